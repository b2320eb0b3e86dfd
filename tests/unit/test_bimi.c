/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BIMI assertion records (common/bimi.c): selection (draft 7.2), tags
 * (4.3), the l= and a= URLs, with the P-05 inputs of
 * doc/hostile-inputs.md (http:, data:, a 10 KB URL).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bimi.h"
#include "bounds.h"
#include "check_main.h"

#define REC(s) s, sizeof(s) - 1

/* The finding with this code, or NULL. */
static const struct finding *has(const struct bimi_record *r, int code)
{
	return finding_find(&r->findings, code);
}

static bool text_has(const struct finding *f, const char *needle)
{
	return f != NULL && strstr(f->text, needle) != NULL;
}

START_TEST(test_valid)
{
	struct bimi_record *r =
		bimi_parse(REC("v=BIMI1; l=https://Logo.Example.com/brand/logo.svg; "
			       "a=https://vmc.example.com:8443/vmc.pem?x=1"));

	ck_assert_ptr_nonnull(r);
	ck_assert(r->is_bimi);
	ck_assert(r->valid);
	ck_assert(!r->declined);
	ck_assert(r->l.valid);
	ck_assert_str_eq(r->l.host_text, "logo.example.com");
	ck_assert_str_eq(r->l.path, "/brand/logo.svg");
	ck_assert_uint_eq(r->l.port, 443);
	ck_assert_uint_eq(dname_labels(&r->l.host), 3);
	ck_assert(r->a.valid);
	ck_assert_uint_eq(r->a.port, 8443);
	ck_assert_str_eq(r->a.path, "/vmc.pem?x=1");
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_OK);
	bimi_record_free(r);
}
END_TEST

START_TEST(test_declined)
{
	struct bimi_record *r = bimi_parse(REC("v=BIMI1; l=; a=;"));

	ck_assert(r->declined);
	ck_assert(r->valid);
	ck_assert(text_has(has(r, BIMI_F_DECLINED), "declines to publish"));
	bimi_record_free(r);
	/* l= empty, no a=: declined too (a= absent is empty, 4.3) */
	r = bimi_parse(REC("v=BIMI1; l="));
	ck_assert(r->declined);
	bimi_record_free(r);
	/* l= empty with a=: not a declination */
	r = bimi_parse(REC("v=BIMI1; l=; a=https://vmc.example.com/a.pem"));
	ck_assert(!r->declined);
	ck_assert_ptr_nonnull(has(r, BIMI_F_L_EMPTY_WITH_A));
	bimi_record_free(r);
}
END_TEST

struct ucase {
	const char *id;
	const char *rec;
	int code; /* expected finding */
	enum state st;
	const char *text; /* substring of its text */
};

static const struct ucase ucases[] = {
	/* P-05: http:, data: and other schemes refused with the reason */
	{"P-05 http", "v=BIMI1; l=http://example.com/logo.svg", BIMI_F_URL_SCHEME, STATE_CRITICAL,
	 "scheme http: refused, the draft allows https only"},
	{"P-05 data", "v=BIMI1; l=data:image/svg+xml;base64,PHN2Zz4=", BIMI_F_SYNTAX,
	 STATE_CRITICAL, NULL},
	{"P-05 data no semicolon", "v=BIMI1; l=data:image/svg+xml,%3Csvg%3E", BIMI_F_URL_SCHEME,
	 STATE_CRITICAL, "scheme data: refused"},
	{"P-05 a= http", "v=BIMI1; l=https://e.example/l.svg; a=http://e.example/v.pem",
	 BIMI_F_URL_SCHEME, STATE_CRITICAL, "a=http://e.example/v.pem: scheme http"},
	{"P-05 ftp", "v=BIMI1; l=ftp://example.com/logo.svg", BIMI_F_URL_SCHEME, STATE_CRITICAL,
	 "scheme ftp"},
	{"no scheme", "v=BIMI1; l=example.com/logo.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "no scheme"},
	{"HTTPS upper", "v=BIMI1; l=HTTPS://example.com/logo.svg", BIMI_F_URL_CASE, STATE_WARNING,
	 "lower case"},
	{"comma list", "v=BIMI1; l=https://a.example/l.svg,https://b.example/l.svg",
	 BIMI_F_URL_INVALID, STATE_CRITICAL, "a comma"},
	{"userinfo", "v=BIMI1; l=https://u:p@example.com/l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "user information"},
	{"ipv4 host", "v=BIMI1; l=https://192.0.2.1/l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "IP address"},
	{"ipv6 host", "v=BIMI1; l=https://[2001:db8::1]/l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "IP address"},
	{"single label", "v=BIMI1; l=https://localhost/l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "FQDN"},
	{"bad port", "v=BIMI1; l=https://example.com:99999/l.svg", BIMI_F_URL_INVALID,
	 STATE_CRITICAL, "invalid port"},
	{"port 0", "v=BIMI1; l=https://example.com:0/l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "invalid port"},
	{"bad pct", "v=BIMI1; l=https://example.com/l%zz.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "two hex digits"},
	{"bad byte", "v=BIMI1; l=https://example.com/l<x>.svg", BIMI_F_URL_INVALID, STATE_CRITICAL,
	 "byte 0x3c"},
	{"no host", "v=BIMI1; l=https:///l.svg", BIMI_F_URL_INVALID, STATE_CRITICAL, "no host"},
	{"png", "v=BIMI1; l=https://example.com/logo.PNG", BIMI_F_URL_FORMAT, STATE_CRITICAL,
	 "must be SVG"},
	{"fragment", "v=BIMI1; l=https://example.com/l.svg#x", BIMI_F_URL_FRAGMENT, STATE_WARNING,
	 "fragment"},
	{"l missing", "v=BIMI1; a=https://example.com/v.pem", BIMI_F_L_MISSING, STATE_CRITICAL,
	 "no l= tag"},
	{"duplicate l", "v=BIMI1; l=https://a.example/l.svg; l=https://b.example/l.svg",
	 BIMI_F_SYNTAX, STATE_CRITICAL, "duplicate"},
	{"lps bad", "v=BIMI1; l=https://a.example/l.svg; lps=yes", BIMI_F_BAD_VALUE, STATE_WARNING,
	 "lps=yes"},
	{"avp bad", "v=BIMI1; l=https://a.example/l.svg; avp=Brand", BIMI_F_BAD_VALUE,
	 STATE_WARNING, "avp=Brand"},
	{"unknown tag", "v=BIMI1; l=https://a.example/l.svg; z=1", BIMI_F_UNKNOWN_TAG, STATE_OK,
	 "unknown tag z"},
	{"no a=", "v=BIMI1; l=https://a.example/l.svg", BIMI_F_NO_EVIDENCE, STATE_OK,
	 "no evidence"},
	{"V upper", "V=BIMI1; l=https://a.example/l.svg", BIMI_F_V_CASE, STATE_WARNING, "lower"},
	{"v not first", "l=https://a.example/l.svg; v=BIMI1", BIMI_F_NOT_RECORD, STATE_CRITICAL,
	 "not a BIMI record"},
	{"v=bimi1", "v=bimi1; l=https://a.example/l.svg", BIMI_F_NOT_RECORD, STATE_CRITICAL, NULL},
	{"v=BIMI10", "v=BIMI10; l=https://a.example/l.svg", BIMI_F_NOT_RECORD, STATE_CRITICAL,
	 NULL},
	{"escaped record text", "x=\x1b[31m|", BIMI_F_NOT_RECORD, STATE_CRITICAL, "\\x1b[31m\\x7c"},
};

START_TEST(test_table)
{
	const struct ucase *c = &ucases[_i];
	struct bimi_record *r = bimi_parse(c->rec, strlen(c->rec));
	const struct finding *f = has(r, c->code);

	ck_assert_msg(f != NULL, "%s: no finding %d", c->id, c->code);
	ck_assert_msg(f->state == c->st, "%s: state %d", c->id, f->state);
	if (c->text != NULL) {
		ck_assert_msg(strstr(f->text, c->text) != NULL, "%s: text \"%s\"", c->id, f->text);
	}
	if (c->st == STATE_CRITICAL) {
		ck_assert_msg(!r->valid, "%s: valid", c->id);
	} else {
		ck_assert_msg(r->valid, "%s: not valid", c->id);
	}
	bimi_record_free(r);
}
END_TEST

/* The request target the fetcher gets: "/" when there is no path, the
 * query kept, the fragment left out; a trailing dot on the host */
START_TEST(test_url_parts)
{
	static const struct {
		const char *url, *host, *path;
		unsigned port;
	} ok[] = {
		{"https://example.com", "example.com", "/", 443},
		{"https://example.com?x=1", "example.com", "/?x=1", 443},
		{"https://example.com:443/a/b.svg?x=1&y=%2C#frag", "example.com",
		 "/a/b.svg?x=1&y=%2C", 443},
		{"https://EXAMPLE.com./l.svg", "example.com", "/l.svg", 443},
		{"https://_bimi-logos.example.com:1/l.svgz", "_bimi-logos.example.com", "/l.svgz",
		 1},
	};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct bimi_url *u = calloc(1, sizeof(*u));
		struct finding_list f = {0};

		ck_assert_ptr_nonnull(u);
		ck_assert_msg(bimi_url_parse("l", ok[i].url, strlen(ok[i].url), u, &f), "%s: %s",
			      ok[i].url, f.n ? f.v[0].text : "");
		ck_assert_str_eq(u->host_text, ok[i].host);
		ck_assert_str_eq(u->path, ok[i].path);
		ck_assert_uint_eq(u->port, ok[i].port);
		ck_assert_str_eq(u->text, ok[i].url);
		finding_list_clear(&f);
		free(u);
	}
}
END_TEST

/* P-05: a 10 KB URL is refused by length before it is looked at. */
START_TEST(test_long_url)
{
	size_t n = 10240;
	char *rec = malloc(n + 64);
	struct bimi_record *r;
	const struct finding *f;
	int k;

	ck_assert_ptr_nonnull(rec);
	k = snprintf(rec, 64, "v=BIMI1; l=https://example.com/");
	memset(rec + k, 'a', n - (size_t)k);
	r = bimi_parse(rec, n);
	f = has(r, BIMI_F_URL_LONG);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "refused (over 2048)") != NULL);
	ck_assert(!r->l.valid);
	bimi_record_free(r);
	/* exactly at the limit: accepted */
	memset(rec, 0, n + 64);
	k = snprintf(rec, 64, "v=BIMI1; l=https://example.com/");
	memset(rec + k, 'a', LIMIT_BIMI_URL - (size_t)(k - 11));
	r = bimi_parse(rec, strlen(rec));
	ck_assert(r->l.valid);
	ck_assert_uint_eq(strlen(r->l.text), LIMIT_BIMI_URL);
	bimi_record_free(r);
	free(rec);
}
END_TEST

START_TEST(test_select)
{
	struct bimi_txt one[] = {
		{REC("v=spf1 -all")},
		{REC("v=BIMI1; l=https://a.example/l.svg")},
	};
	struct bimi_txt two[] = {
		{REC("v=BIMI1; l=https://a.example/l.svg")},
		{REC("v=BIMI1; l=https://b.example/l.svg")},
	};
	struct bimi_txt miss[] = {
		{REC(" v=BIMI1; l=https://a.example/l.svg")},
		{REC("v=bimi1; l=https://a.example/l.svg")},
	};
	struct finding_list f = {0};

	ck_assert_int_eq(bimi_select(one, 2, &f), 1);
	ck_assert_uint_eq(f.n, 0);
	ck_assert_int_eq(bimi_select(two, 2, &f), -1);
	ck_assert(strstr(finding_find(&f, BIMI_F_MULTIPLE)->text, "multiple BIMI records (2)"));
	ck_assert_int_eq(finding_find(&f, BIMI_F_MULTIPLE)->state, STATE_CRITICAL);
	finding_list_clear(&f);
	ck_assert_int_eq(bimi_select(miss, 2, &f), -1);
	ck_assert_ptr_nonnull(finding_find(&f, BIMI_F_NONE));
	ck_assert_ptr_nonnull(finding_find(&f, BIMI_F_NEAR_MISS));
	ck_assert_uint_eq(f.n, 3);
	finding_list_clear(&f);
	ck_assert_int_eq(bimi_select(NULL, 0, &f), -1);
	ck_assert_ptr_nonnull(finding_find(&f, BIMI_F_NONE));
	finding_list_clear(&f);
}
END_TEST

/* implied (rule 4): findings are bounded (finding_add_bounded()): the
 * first are kept, the worst takes the last place, the rest are counted
 * in dropped with their worst default state in dropped_worst */
START_TEST(test_findings_bound)
{
	char rec[4096];
	size_t o;
	struct bimi_record *r;

	/* 60 unknown tags and no a=: 61 findings, all shown only with -v */
	o = (size_t)snprintf(rec, sizeof(rec), "v=BIMI1; l=https://a.example/l.svg");
	for (int i = 0; i < 60; i++) {
		o += (size_t)snprintf(rec + o, sizeof(rec) - o, "; x%d=1", i);
	}
	r = bimi_parse(rec, o);
	ck_assert_uint_eq(r->findings.n, LIMIT_BIMI_FINDINGS);
	ck_assert_uint_eq(r->findings.dropped, 61 - LIMIT_BIMI_FINDINGS);
	ck_assert(text_has(&r->findings.v[0], "x0"));
	ck_assert_int_eq(r->findings.v[LIMIT_BIMI_FINDINGS - 1].code, BIMI_F_UNKNOWN_TAG);
	/* what was left out is -v only: no state, the record stays OK */
	ck_assert_int_eq(r->findings.dropped_worst, STATE_OK);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_OK);
	ck_assert(r->valid);
	bimi_record_free(r);
	/* no l=: the CRITICAL found after the 60 tags takes the last place */
	o = (size_t)snprintf(rec, sizeof(rec), "v=BIMI1");
	for (int i = 0; i < 60; i++) {
		o += (size_t)snprintf(rec + o, sizeof(rec) - o, "; x%d=1", i);
	}
	r = bimi_parse(rec, o);
	ck_assert_uint_eq(r->findings.n, LIMIT_BIMI_FINDINGS);
	ck_assert_uint_eq(r->findings.dropped, 62 - LIMIT_BIMI_FINDINGS);
	ck_assert_int_eq(r->findings.v[LIMIT_BIMI_FINDINGS - 1].code, BIMI_F_L_MISSING);
	ck_assert_int_eq(r->findings.dropped_worst, STATE_OK);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_CRITICAL);
	ck_assert(!r->valid);
	bimi_record_free(r);
	/* over LIMIT_BIMI_TAGS */
	o = (size_t)snprintf(rec, sizeof(rec), "v=BIMI1; l=https://a.example/l.svg");
	for (int i = 0; i < 70; i++) {
		o += (size_t)snprintf(rec + o, sizeof(rec) - o, "; y%d=1", i);
	}
	r = bimi_parse(rec, o);
	ck_assert(strstr(has(r, BIMI_F_SYNTAX)->text, "more than 64 tags"));
	bimi_record_free(r);
}
END_TEST

/* NUL and bytes that are not VALCHAR inside the record */
START_TEST(test_nul)
{
	struct bimi_record *r = bimi_parse(REC("v=BIMI1; l=https://a.example/\0.svg"));

	ck_assert(!r->valid);
	ck_assert(!r->l.valid);
	bimi_record_free(r);
	bimi_record_free(NULL);
	ck_assert(!bimi_is_record(NULL, 0));
	ck_assert(bimi_is_record(REC("v = BIMI1 ;")));
	ck_assert(bimi_is_record(REC("v=BIMI1")));
	ck_assert(!bimi_is_record(REC("v=BIMI1 l=x")));
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("bimi");
	TCase *tc = tcase_create("record");

	tcase_add_test(tc, test_valid);
	tcase_add_test(tc, test_declined);
	tcase_add_loop_test(tc, test_table, 0, (int)(sizeof(ucases) / sizeof(ucases[0])));
	tcase_add_test(tc, test_url_parts);
	tcase_add_test(tc, test_long_url);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_findings_bound);
	tcase_add_test(tc, test_nul);
	suite_add_tcase(s, tc);
	return s;
}
