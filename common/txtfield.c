/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Field lists of RFC 8461 3.1 and RFC 8460 3 (common/txtfield.h). */
#include "txtfield.h"

#include <string.h>

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

void txtf_start(struct txtf_iter *it, const char *rec, size_t len, size_t vlen)
{
	it->rec = rec;
	it->len = len;
	it->pos = vlen < len ? vlen : len;
	it->notes = 0;
	it->after_version = true;
	it->error = false;
	it->error_pos = 0;
}

bool txtf_next(struct txtf_iter *it, struct txtf_field *f)
{
	const char *r = it->rec;
	size_t start, end;

	for (;;) {
		size_t w = it->pos;

		if (it->error || it->pos >= it->len) {
			return false;
		}
		while (it->pos < it->len && is_wsp(r[it->pos])) {
			it->pos++;
		}
		if (it->pos == it->len) {
			it->notes |= TXTF_TRAILING_WSP;
			return false;
		}
		if (r[it->pos] != ';') {
			it->error = true;
			it->error_pos = it->pos;
			return false;
		}
		if (it->after_version && it->pos > w) {
			it->notes |= TXTF_SPACE_AFTER_VERSION;
		}
		it->after_version = false;
		it->pos++;
		while (it->pos < it->len && is_wsp(r[it->pos])) {
			it->pos++;
		}
		if (it->pos == it->len) {
			return false; /* [field-delim] at the end */
		}
		if (r[it->pos] == ';') {
			it->notes |= TXTF_EMPTY_FIELD;
			continue;
		}
		break;
	}
	start = it->pos;
	while (it->pos < it->len && r[it->pos] != ';') {
		it->pos++;
	}
	end = it->pos;
	while (end > start && is_wsp(r[end - 1])) {
		end--;
	}
	/* the WSP trimmed is the next delimiter's: go back to it */
	it->pos = end;
	f->pos = start;
	f->has_eq = false;
	f->name = r + start;
	f->name_len = end - start;
	f->value = r + end;
	f->value_len = 0;
	for (size_t i = start; i < end; i++) {
		if (r[i] == '=') {
			f->has_eq = true;
			f->name_len = i - start;
			f->value = r + i + 1;
			f->value_len = end - i - 1;
			break;
		}
	}
	return true;
}

bool txtf_name_ok(const char *p, size_t n)
{
	if (n == 0 || n > 32 || !is_alnum(p[0])) {
		return false;
	}
	for (size_t i = 1; i < n; i++) {
		if (!is_alnum(p[i]) && p[i] != '_' && p[i] != '-' && p[i] != '.') {
			return false;
		}
	}
	return true;
}

bool txtf_value_ok(const char *p, size_t n)
{
	if (n == 0) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x21 || c > 0x7e || c == ';' || c == '=') {
			return false;
		}
	}
	return true;
}

/* ------------------------------------------------ version and selection */

static bool is_wsp_of(const struct txtv *v, char c)
{
	return is_wsp(c) || ((v->flags & TXTV_WSP_CRLF) && (c == '\r' || c == '\n'));
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static size_t skip_wsp(const struct txtv *v, const char *p, size_t i, size_t n)
{
	while (i < n && is_wsp_of(v, p[i])) {
		i++;
	}
	return i;
}

size_t txtv_match(const struct txtv *v, const char *rec, size_t len)
{
	size_t vlen = strlen(v->value), i, end;

	if (rec == NULL || len < 1 ||
	    !(rec[0] == 'v' || ((v->flags & TXTV_TAG_ANY_CASE) && rec[0] == 'V'))) {
		return 0;
	}
	i = 1;
	if (v->flags & TXTV_WSP_AROUND_EQ) {
		i = skip_wsp(v, rec, i, len);
	}
	if (i >= len || rec[i] != '=') {
		return 0;
	}
	i++;
	if (v->flags & TXTV_WSP_AROUND_EQ) {
		i = skip_wsp(v, rec, i, len);
	}
	/* the value is case-sensitive in all four: RFC 8461 3.1 and 8460 3
	 * (%s""), RFC 7489 6.4 (%x44...), BIMI 4.3 ("MUST match precisely") */
	if (len - i < vlen || memcmp(rec + i, v->value, vlen) != 0) {
		return 0;
	}
	end = i + vlen;
	if (v->flags & TXTV_WSP_THEN_SEMI) {
		i = skip_wsp(v, rec, end, len);
		return i == len || rec[i] == ';' ? end : 0;
	}
	return end == len || rec[end] == ';' || is_wsp_of(v, rec[end]) ? end : 0;
}

bool txtv_near_miss(const struct txtv *v, const char *rec, size_t len)
{
	size_t slen = strlen(v->stem), i;

	if (rec == NULL || txtv_match(v, rec, len) > 0) {
		return false;
	}
	i = skip_wsp(v, rec, 0, len);
	if (i >= len || lower(rec[i]) != 'v') {
		return false;
	}
	i++;
	if (!(v->flags & TXTV_NEAR_TIGHT_EQ)) {
		i = skip_wsp(v, rec, i, len);
	}
	if (i >= len || rec[i] != '=') {
		return false;
	}
	i++;
	if (!(v->flags & TXTV_NEAR_TIGHT_EQ)) {
		i = skip_wsp(v, rec, i, len);
	}
	if (len - i < slen) {
		return false;
	}
	for (size_t k = 0; k < slen; k++) {
		if (lower(rec[i + k]) != v->stem[k]) {
			return false;
		}
	}
	return true;
}

void txtv_select(const struct txtv *v, const void *set, size_t n, txtv_text_fn text,
		 struct txtv_pick *pick)
{
	pick->count = 0;
	pick->first = n;
	pick->near_total = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rec;
		size_t len;

		if (!text(set, i, &rec, &len)) {
			continue;
		}
		if (txtv_match(v, rec, len) > 0) {
			if (pick->count++ == 0) {
				pick->first = i;
			}
		} else if (txtv_near_miss(v, rec, len)) {
			pick->near_total++;
		}
	}
}

size_t txtv_next_near(const struct txtv *v, const void *set, size_t n, txtv_text_fn text,
		      size_t from)
{
	for (size_t i = from; i < n; i++) {
		const char *rec;
		size_t len;

		if (text(set, i, &rec, &len) && txtv_near_miss(v, rec, len)) {
			return i;
		}
	}
	return n;
}
