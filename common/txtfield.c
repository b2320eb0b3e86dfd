/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Field lists of RFC 8461 3.1 and RFC 8460 3 (common/txtfield.h). */
#include "txtfield.h"

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
