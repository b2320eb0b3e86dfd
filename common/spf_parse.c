/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SPF record parser: RFC 7208 sections 4.5, 4.6, 5, 6 and 12. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf_macro.h"
#include "spf_parse.h"

static const char *const result_names[SPF_RESULT_COUNT] = {
	"none", "neutral", "pass", "fail", "softfail", "temperror", "permerror",
};

const char *spf_result_str(enum spf_result r)
{
	if ((unsigned)r >= SPF_RESULT_COUNT)
		return "?";
	return result_names[r];
}

bool spf_result_parse(const char *s, size_t len, enum spf_result *out)
{
	for (int i = 0; i < SPF_RESULT_COUNT; i++) {
		if (strlen(result_names[i]) == len && strncasecmp(result_names[i], s, len) == 0) {
			*out = (enum spf_result)i;
			return true;
		}
	}
	return false;
}

bool spf_is_record(const void *vp, size_t len)
{
	const char *p = vp;
	return len >= 6 && strncasecmp(p, "v=spf1", 6) == 0 && (len == 6 || p[6] == ' ');
}

static const char *const mech_names[] = {
	"all", "include", "a", "mx", "ptr", "ip4", "ip6", "exists",
};

const char *spf_mech_str(enum spf_mech m)
{
	return mech_names[m];
}

const char *spf_term_text(const struct spf_record *rec, const struct spf_term *t)
{
	return rec->text + t->off;
}

const char *spf_term_spec(const struct spf_record *rec, const struct spf_term *t)
{
	return rec->text + t->spec_off;
}

bool spf_record_denies_all(const struct spf_record *rec)
{
	bool all = false;
	size_t i;

	if (rec->redirect >= 0)
		return false;
	for (i = 0; i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];

		if (t->kind != SPF_TERM_MECH)
			continue;
		if (t->qual != SPF_FAIL)
			return false;
		if (t->mech == SPF_MECH_ALL)
			all = true;
	}
	return all;
}

bool spf_term_is_lookup(const struct spf_term *t)
{
	if (t->kind == SPF_TERM_REDIRECT)
		return true;
	if (t->kind != SPF_TERM_MECH)
		return false;
	switch (t->mech) {
	case SPF_MECH_INCLUDE:
	case SPF_MECH_A:
	case SPF_MECH_MX:
	case SPF_MECH_PTR:
	case SPF_MECH_EXISTS:
		return true;
	default:
		return false;
	}
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* toplabel = ( *alphanum ALPHA *alphanum ) /
 *            ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
 * i.e. letters, digits and '-', not starting or ending with '-', and
 * not all digits unless it holds a '-' (7.1; a-numeric-toplabel). */
static bool toplabel_ok(const char *p, size_t len)
{
	bool alpha = false, dash = false;

	if (len == 0 || p[0] == '-' || p[len - 1] == '-')
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (is_alpha(c))
			alpha = true;
		else if (c == '-')
			dash = true;
		else if (!is_digit(c))
			return false;
	}
	return alpha || dash;
}

bool spf_domain_spec_ok(const char *p, size_t len, char *err, size_t errlen)
{
	size_t tail;

	if (len == 0) {
		snprintf(err, errlen, "empty domain-spec");
		return false;
	}
	if (!spf_macro_check(p, len, 0, &tail, err, errlen))
		return false;
	if (tail == len)
		return true; /* ends with a macro-expand */
	/* domain-end = "." toplabel [ "." ], inside the trailing literals */
	size_t end = len;
	if (p[end - 1] == '.')
		end--;
	const char *dot = NULL;
	for (size_t i = end; i > tail; i--) {
		if (p[i - 1] == '.') {
			dot = p + i - 1;
			break;
		}
	}
	if (dot == NULL || !toplabel_ok(dot + 1, (size_t)(p + end - dot - 1))) {
		snprintf(err, errlen, "domain-spec must end in a valid top label or a macro");
		return false;
	}
	return true;
}

bool spf_parse_ip4(const char *p, size_t len, uint8_t out[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (i >= len || p[i] != '.')
				return false;
			i++;
		}
		size_t start = i;
		unsigned v = 0;
		while (i < len && is_digit((unsigned char)p[i]) && i - start < 3) {
			v = v * 10 + (unsigned)(p[i] - '0');
			i++;
		}
		size_t n = i - start;
		/* dec-octet: no leading zeros, at most 255 */
		if (n == 0 || v > 255 || (n > 1 && p[start] == '0'))
			return false;
		out[part] = (uint8_t)v;
	}
	return i == len;
}

bool spf_parse_ip6(const char *p, size_t len, uint8_t out[16])
{
	char buf[64];

	if (len == 0 || len >= sizeof(buf) || memchr(p, '\0', len) != NULL)
		return false;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, out) == 1;
}

/* ip4-cidr-length / ip6-cidr-length digits: 1*DIGIT, no leading zeros
 * (suite cidr4-032), at most max. */
static bool cidr_ok(const char *p, size_t len, unsigned max, unsigned *out)
{
	unsigned v = 0;

	if (len == 0 || len > 3 || (len > 1 && p[0] == '0'))
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!is_digit((unsigned char)p[i]))
			return false;
		v = v * 10 + (unsigned)(p[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Length of the run of digits ending at p[len-1]. */
static size_t trailing_digits(const char *p, size_t len)
{
	size_t n = 0;
	while (n < len && is_digit((unsigned char)p[len - 1 - n]))
		n++;
	return n;
}

/*
 * dual-cidr-length = [ ip4-cidr-length ] [ "/" ip6-cidr-length ], taken
 * off the end of body (a domain-spec may itself hold '/' and ':', as in
 * the suite's a:foo:bar/baz.example.com). *blen is shortened.
 */
static bool take_dual_cidr(const char *body, size_t *blen, struct spf_term *t, char *err,
			   size_t errlen)
{
	size_t n = *blen;
	size_t d = trailing_digits(body, n);

	if (d > 0 && n >= d + 2 && body[n - d - 1] == '/' && body[n - d - 2] == '/') {
		if (!cidr_ok(body + n - d, d, 128, &t->cidr6)) {
			snprintf(err, errlen, "invalid ip6-cidr-length");
			return false;
		}
		n -= d + 2;
		d = trailing_digits(body, n);
	}
	if (d > 0 && n >= d + 1 && body[n - d - 1] == '/') {
		if (!cidr_ok(body + n - d, d, 32, &t->cidr4)) {
			snprintf(err, errlen, "invalid ip4-cidr-length");
			return false;
		}
		n -= d + 1;
	}
	*blen = n;
	return true;
}

/* name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ), then '=': the
 * length of the name when the term is a modifier, else 0. */
static size_t modifier_name(const char *p, size_t len)
{
	if (len == 0 || !is_alpha((unsigned char)p[0]))
		return 0;
	size_t i = 1;
	while (i < len) {
		unsigned char c = (unsigned char)p[i];
		if (!(is_alpha(c) || is_digit(c) || c == '-' || c == '_' || c == '.'))
			break;
		i++;
	}
	return (i < len && p[i] == '=') ? i : 0;
}

static bool parse_modifier(struct spf_record *rec, struct spf_term *t, size_t nlen, char *err,
			   size_t errlen)
{
	const char *p = rec->text + t->off;
	size_t vlen = t->len - nlen - 1;

	t->has_spec = true;
	t->spec_off = t->off + nlen + 1;
	t->spec_len = vlen;
	if (nlen == 8 && strncasecmp(p, "redirect", 8) == 0) {
		if (rec->redirect >= 0) {
			snprintf(err, errlen, "redirect= given twice");
			return false;
		}
		t->kind = SPF_TERM_REDIRECT;
		rec->redirect = (int)rec->nterms;
	} else if (nlen == 3 && strncasecmp(p, "exp", 3) == 0) {
		if (rec->exp >= 0) {
			snprintf(err, errlen, "exp= given twice");
			return false;
		}
		t->kind = SPF_TERM_EXP;
		rec->exp = (int)rec->nterms;
	} else {
		/* unknown-modifier = name "=" macro-string: legal, ignored */
		t->kind = SPF_TERM_UNKNOWN;
		return spf_macro_check(p + nlen + 1, vlen, SPF_MACRO_ANY_LETTER, NULL, err, errlen);
	}
	return spf_domain_spec_ok(p + nlen + 1, vlen, err, errlen);
}

static bool parse_mechanism(struct spf_record *rec, struct spf_term *t, char *err, size_t errlen)
{
	const char *p = rec->text + t->off;
	size_t len = t->len, i = 0;

	t->kind = SPF_TERM_MECH;
	t->qual = SPF_PASS;
	switch (p[0]) {
	case '+':
		t->qual = SPF_PASS;
		i = 1;
		break;
	case '-':
		t->qual = SPF_FAIL;
		i = 1;
		break;
	case '~':
		t->qual = SPF_SOFTFAIL;
		i = 1;
		break;
	case '?':
		t->qual = SPF_NEUTRAL;
		i = 1;
		break;
	default:
		break;
	}
	size_t ns = i;
	while (i < len && (is_alpha((unsigned char)p[i]) || is_digit((unsigned char)p[i])))
		i++;
	size_t nlen = i - ns;
	bool found = false;
	for (size_t m = 0; m < sizeof(mech_names) / sizeof(mech_names[0]); m++) {
		if (strlen(mech_names[m]) == nlen &&
		    strncasecmp(mech_names[m], p + ns, nlen) == 0) {
			t->mech = (enum spf_mech)m;
			found = true;
		}
	}
	if (!found) {
		snprintf(err, errlen, nlen ? "unknown mechanism" : "not a mechanism or modifier");
		return false;
	}
	const char *rest = p + i;
	size_t rlen = len - i;
	bool colon = rlen > 0 && rest[0] == ':';
	if (rlen > 0 && rest[0] != ':' && rest[0] != '/') {
		snprintf(err, errlen, "unexpected character after %s", mech_names[t->mech]);
		return false;
	}

	switch (t->mech) {
	case SPF_MECH_ALL:
		if (rlen != 0) {
			snprintf(err, errlen, "all takes no argument");
			return false;
		}
		return true;
	case SPF_MECH_INCLUDE:
	case SPF_MECH_EXISTS:
	case SPF_MECH_PTR:
		if (!colon) {
			if (t->mech == SPF_MECH_PTR && rlen == 0)
				return true;
			snprintf(err, errlen, "%s needs ':' and a domain-spec%s",
				 mech_names[t->mech],
				 t->mech == SPF_MECH_PTR ? " (no CIDR length)" : "");
			return false;
		}
		t->has_spec = true;
		t->spec_off = t->off + i + 1;
		t->spec_len = rlen - 1;
		return spf_domain_spec_ok(rest + 1, rlen - 1, err, errlen);
	case SPF_MECH_A:
	case SPF_MECH_MX: {
		const char *body = colon ? rest + 1 : rest;
		size_t blen = colon ? rlen - 1 : rlen;
		if (!take_dual_cidr(body, &blen, t, err, errlen))
			return false;
		if (!colon) {
			if (blen != 0) {
				snprintf(err, errlen, "invalid dual-cidr-length");
				return false;
			}
			return true;
		}
		t->has_spec = true;
		t->spec_off = t->off + i + 1;
		t->spec_len = blen;
		return spf_domain_spec_ok(body, blen, err, errlen);
	}
	case SPF_MECH_IP4:
	case SPF_MECH_IP6: {
		if (!colon || rlen < 2) {
			snprintf(err, errlen, "%s needs ':' and a network", mech_names[t->mech]);
			return false;
		}
		const char *net = rest + 1;
		const char *slash = memchr(net, '/', rlen - 1);
		size_t alen = slash ? (size_t)(slash - net) : rlen - 1;
		bool v4 = t->mech == SPF_MECH_IP4;
		if (v4 ? !spf_parse_ip4(net, alen, t->addr) : !spf_parse_ip6(net, alen, t->addr)) {
			snprintf(err, errlen, "invalid %s address", v4 ? "IPv4" : "IPv6");
			return false;
		}
		if (slash != NULL) {
			size_t clen = rlen - 1 - alen - 1;
			if (!cidr_ok(slash + 1, clen, v4 ? 32 : 128, v4 ? &t->cidr4 : &t->cidr6)) {
				snprintf(err, errlen, "invalid CIDR length");
				return false;
			}
		}
		return true;
	}
	}
	return false;
}

void spf_record_free(struct spf_record *rec)
{
	if (rec == NULL)
		return;
	free(rec->text);
	free(rec->terms);
	free(rec);
}

/* "term 4 'a:foo-bar': " + why; the term cut to 64 bytes and any byte
 * outside printable ASCII shown as \xNN (the record is DNS data). */
static void term_error(char *err, size_t errlen, size_t n, const char *p, size_t len,
		       const char *why)
{
	char show[64 * 4 + 4];
	size_t o = 0;

	for (size_t i = 0; i < len && i < 64; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			show[o++] = (char)c;
		else
			o += (size_t)snprintf(show + o, sizeof(show) - o, "\\x%02x", c);
	}
	if (len > 64) {
		memcpy(show + o, "...", 3);
		o += 3;
	}
	show[o] = '\0';
	snprintf(err, errlen, "term %zu '%s': %s", n, show, why);
}

/* Slots for the terms of p: its runs of non-SP bytes after "v=spf1",
 * at most LIMIT_SPF_TERMS (the parser stops there), at least 1. Sized to
 * the record, not to the limit: zeroing LIMIT_SPF_TERMS slots for every
 * record parsed was a third of check_spf's instructions (bench/). */
static size_t term_slots(const char *p, size_t len)
{
	size_t n = 0;

	for (size_t i = 6; i < len && n < LIMIT_SPF_TERMS; i++)
		if (p[i] != ' ' && p[i - 1] == ' ')
			n++;
	return n > 0 ? n : 1;
}

struct spf_record *spf_record_parse(const void *vp, size_t len, char *err, size_t errlen)
{
	const char *p = vp;
	char why[160];

	if (!spf_is_record(p, len)) {
		snprintf(err, errlen, "not a v=spf1 record");
		return NULL;
	}
	if (len > LIMIT_SPF_RECORD_BYTES) {
		snprintf(err, errlen, "record too long: %zu bytes (limit %d)", len,
			 LIMIT_SPF_RECORD_BYTES);
		return NULL;
	}
	struct spf_record *rec = calloc(1, sizeof(*rec));
	if (rec == NULL)
		goto oom;
	rec->redirect = rec->exp = -1;
	rec->text = malloc(len + 1);
	rec->terms = calloc(term_slots(p, len), sizeof(*rec->terms));
	if (rec->text == NULL || rec->terms == NULL)
		goto oom;
	memcpy(rec->text, p, len);
	rec->text[len] = '\0';
	rec->len = len;

	/* terms = *( 1*SP ( directive / modifier ) ); record ends *SP.
	 * Only SP separates (4.6.1): any other byte is part of a term. */
	size_t i = 6;
	while (i < len) {
		if (p[i] == ' ') {
			i++;
			continue;
		}
		size_t start = i;
		while (i < len && p[i] != ' ')
			i++;
		if (rec->nterms >= LIMIT_SPF_TERMS) {
			snprintf(err, errlen, "more than %d terms", LIMIT_SPF_TERMS);
			goto fail;
		}
		struct spf_term *t = &rec->terms[rec->nterms];
		t->off = start;
		t->len = i - start;
		t->cidr4 = 32;
		t->cidr6 = 128;
		size_t nlen = modifier_name(p + start, t->len);
		bool ok = nlen > 0 ? parse_modifier(rec, t, nlen, why, sizeof(why))
				   : parse_mechanism(rec, t, why, sizeof(why));
		if (!ok) {
			term_error(err, errlen, rec->nterms + 1, p + start, t->len, why);
			goto fail;
		}
		if (spf_term_is_lookup(t))
			rec->lookup_terms++;
		rec->nterms++;
	}
	return rec;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	spf_record_free(rec);
	return NULL;
}
