/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/spf_parse.c: record selection (RFC 7208 4.5)
 * and the whole-record parser (4.6, 5, 6, 12). Table-driven: record ->
 * accepted, or rejected with an error naming the term.
 * Catalogue rows: S-REC-01, S-REC-02, S-REC-03, S-IP-01, S-IP-02, X-04.
 */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "spf_parse.h"

struct sel_case {
	const char *rec;
	size_t len;
	bool spf;
};

static const struct sel_case sel[] = {
	{"v=spf1", 6, true},
	{"v=spf1 -all", 11, true},
	{"V=SpF1 ~all", 11, true}, /* S-REC-01 any case */
	{"v=spf10", 7, false},     /* S-REC-01 not SPF */
	{"v=spf1mx", 8, false},
	{"v=spf", 5, false},
	{"", 0, false}, /* TXT with no strings */
	{" v=spf1", 7, false},
	{"v=spf1\0 a", 9, false},
};

START_TEST(test_select)
{
	const struct sel_case *c = &sel[_i];
	ck_assert_msg(spf_is_record(c->rec, c->len) == c->spf, "'%s'", c->rec);
}
END_TEST

struct parse_case {
	const char *rec;
	const char *err; /* NULL: accepted; else a substring */
};

static const struct parse_case cases[] = {
	/* accepted */
	{"v=spf1", NULL},
	{"v=spf1 ", NULL},        /* trailing-space */
	{"v=spf1 a  -all", NULL}, /* two-spaces */
	{"v=spf1 moo.cow-far_out=man:dog/cat ip4:1.2.3.4 -all", NULL},
	{"v=spf1 a:foo:bar/baz.example.com", NULL}, /* a-colon-domain */
	{"v=spf1 a:foo.example.xn--zckzah -all", NULL},
	{"v=spf1 a/24//64 -all", NULL},
	{"v=spf1 a//0 mx/0 ip4:1.1.1.1/0 ip6:::1.1.1.1/0", NULL},
	{"v=spf1 ip6:2001:db8::/32", NULL},  /* S-IP-02 */
	{"v=spf1 ip6:::ffff:1.2.3.4", NULL}, /* S-IP-02 */
	{"v=spf1 ip6:Cafe:Babe:8000::/33", NULL},
	{"v=spf1 default=pass", NULL},
	{"v=spf1 default=+", NULL},
	{"v=spf1 Redirect=example.com", NULL},
	{"v=spf1 exists:%{ir}.%{l1r+-}.%{d}", NULL},
	{"v=spf1 a:macro%%percent%_%_space%-url-space.example.com -all", NULL},
	{"v=spf1 -all exp=%{ir}.example.com", NULL},
	{"v=spf1 redirect=%{d}.d.spf.example.com.", NULL},
	{"v=spf1 include:o.spf.example.com. ~all", NULL},
	{"v=spf1 a:.com", NULL},            /* "." toplabel: legal syntax */
	{"v=spf1 a:1-2.3-4", NULL},         /* toplabel with '-' */
	{"v=spf1 a:a\\046b.example", NULL}, /* '\\' a plain byte */
	{"v=spf1 ptr ptr:example.com", NULL},
	{"v=spf1 ?all -all", NULL},
	/* rejected: the error names the term */
	{"v=spf1 ip4:1.2.3.4 -all moo", "term 3 'moo'"}, /* after all */
	{"v=spf1 moo.cow/far_out=man:dog/cat", "unknown mechanism"},
	{"v=spf1 moo.cow:far_out=man:dog/cat", "unknown mechanism"},
	{"v=spf1 ip4:1.2.3.4 redirect:t2.example.com", "term 2"},
	{"v=spf1 a:foo-bar -all", "top label"},
	{"v=spf1 a:museum", "top label"},
	{"v=spf1 a:museum.", "top label"},
	{"v=spf1 a:abc.123", "top label"},
	{"v=spf1 a:111.222.33.44", "top label"},
	{"v=spf1 a:example.-com", "top label"},
	{"v=spf1 a:example.com:8080", "top label"},
	{"v=spf1 a:", "empty domain-spec"},
	{"v=spf1 mx: -all", "empty domain-spec"},
	{"v=spf1 include: -all", "empty domain-spec"},
	{"v=spf1 exists:", "empty domain-spec"},
	{"v=spf1 exists", "exists needs"},
	{"v=spf1 include", "include needs"},
	{"v=spf1 ptr:", "empty domain-spec"},
	{"v=spf1 ptr/0 -all", "ptr"},
	{"v=spf1 -all.", "term 1"},
	{"v=spf1 -all:foobar", "all takes no argument"},
	{"v=spf1 -all/8", "all takes no argument"},
	{"v=spf1 a//33 a/33", "term 2 'a/33': invalid ip4-cidr"},
	{"v=spf1 a//129", "invalid ip6-cidr"},
	{"v=spf1 a/24/64", "term 1"},
	{"v=spf1 a/24/16", "dual-cidr"},
	{"v=spf1 include:ip5.example.com/24", "top label"},
	{"v=spf1 exists:mail.example.com/24", "top label"},
	{"v=spf1 ip4:1.2.3.4/33", "CIDR"},   /* S-IP-01 */
	{"v=spf1 ip4:1.2.3.4/032", "CIDR"},  /* S-IP-01 */
	{"v=spf1 ip4", "ip4 needs"},         /* S-IP-01 */
	{"v=spf1 ip4:", "ip4 needs"},        /* S-IP-01 */
	{"v=spf1 ip4:1.2.3.4:8080", "IPv4"}, /* S-IP-01 */
	{"v=spf1 ip4:1.2.3", "IPv4"},        /* S-IP-01 */
	{"v=spf1 ip4:01.2.3.4", "IPv4"},
	{"v=spf1 ip4:256.2.3.4", "IPv4"},
	{"v=spf1 ip4:1.2.3.4//32", "CIDR"},
	{"v=spf1 -all ip6", "ip6 needs"},
	{"v=spf1 ip6:::1.1.1.1/129", "CIDR"}, /* S-IP-01 */
	{"v=spf1 ip6:::1.1.1.1//33", "CIDR"},
	{"v=spf1 ip6::CAFE::BABE", "IPv6"},
	{"v=spf1 1up=foo", "term 1"},
	{"v=spf1 =all", "term 1"},
	{"v=spf1 -all foo=%abc", "'%' not followed"},
	{"v=spf1 exp= -all", "empty domain-spec"},
	{"v=spf1 exp=-all", "top label"},
	{"v=spf1 redirect=-all ?all", "top label"},
	{"v=spf1 ?all redirect=", "empty domain-spec"},
	{"v=spf1 exp=a.example.com -all exp=b.example.com", "exp= given twice"},
	{"v=spf1 redirect=a.example.com -all redirect=a.example.com",
	 "redirect= given twice"}, /* S-REC-03 */
	{"v=spf1 -all exp=%{r}.example.com", "invalid macro letter 'r'"},
	{"v=spf1 a:%{a}.example.com -all", "invalid macro letter 'a'"},
	{"v=spf1 -exists:%(ir).sbl.example.com ?all", "'%' not followed"},
	{"v=spf1 exists:foo%.sbl.example.com", "'%' not followed"},
	{"v=spf1 exists:%{q}.example.com", "macro letter 'q'"}, /* S-MAC-01 */
	{"v=spf1 exists:%{}.example.com", "empty macro"},       /* S-MAC-01 */
	{"v=spf1 exists:%{d", "unterminated"},                  /* S-MAC-01 */
	{"v=spf1 exists:x.example.com%", "at the end"},         /* S-MAC-01 */
	{"v=spf1 exists:%{d0}.example.com", "nonzero"},         /* S-MAC-02 */
	{"v=spf1 a:ctrl.example.com\rptr -all", "byte 0x0d"},
	{"v=spf1 ip4:192.0.2.5\n include:x.example.com", "IPv4"},
	{"v=spf1 a:\xef\xbb\xbfgarbage.example.net -all", "byte 0xef"},
	{"v=spf1 \x80"
	 "a:example.net -all",
	 "term 1 '\\x80a:example.net'"},
	{"v=spf1 a:example.net \x96"
	 "all",
	 "term 2"},
};

START_TEST(test_parse)
{
	const struct parse_case *c = &cases[_i];
	char err[300] = "";
	struct spf_record *r = spf_record_parse(c->rec, strlen(c->rec), err, sizeof(err));

	if (c->err == NULL) {
		ck_assert_msg(r != NULL, "'%s' rejected: %s", c->rec, err);
	} else {
		ck_assert_msg(r == NULL, "'%s' accepted", c->rec);
		ck_assert_msg(strstr(err, c->err) != NULL, "'%s': error '%s' lacks '%s'", c->rec,
			      err, c->err);
	}
	spf_record_free(r);
}
END_TEST

/* A NUL inside the record is a byte like any other: a syntax error in
 * its term (suite a-null), never the end of the record. */
START_TEST(test_nul)
{
	static const char rec[] = "v=spf1 a:foo.example.com\0 -all";
	char err[200];
	struct spf_record *r = spf_record_parse(rec, sizeof(rec) - 1, err, sizeof(err));
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err, "term 1") && strstr(err, "0x00"), "%s", err);
}
END_TEST

START_TEST(test_terms)
{
	static const char rec[] = "v=spf1 ~a:x.example.com/24//64 ip4:192.0.2.0/24 mx ptr "
				  "include:i.example exists:%{i}.e.example exp=x.example "
				  "redirect=r.example foo=bar ?all";
	char err[200];
	struct spf_record *r = spf_record_parse(rec, sizeof(rec) - 1, err, sizeof(err));
	ck_assert_msg(r != NULL, "%s", err);
	ck_assert_uint_eq(r->nterms, 10);
	ck_assert_uint_eq(r->lookup_terms, 6);
	ck_assert_int_eq(r->exp, 6);
	ck_assert_int_eq(r->redirect, 7);
	ck_assert_int_eq(r->terms[0].qual, SPF_SOFTFAIL);
	ck_assert_int_eq(r->terms[0].mech, SPF_MECH_A);
	ck_assert_uint_eq(r->terms[0].cidr4, 24);
	ck_assert_uint_eq(r->terms[0].cidr6, 64);
	ck_assert_uint_eq(r->terms[0].spec_len, 13);
	ck_assert(memcmp(spf_term_spec(r, &r->terms[0]), "x.example.com", 13) == 0);
	ck_assert_int_eq(r->terms[1].mech, SPF_MECH_IP4);
	ck_assert_uint_eq(r->terms[1].addr[0], 192);
	ck_assert_uint_eq(r->terms[1].cidr4, 24);
	ck_assert_int_eq(r->terms[2].qual, SPF_PASS);
	ck_assert(!r->terms[2].has_spec);
	ck_assert_uint_eq(r->terms[2].cidr4, 32);
	ck_assert_uint_eq(r->terms[2].cidr6, 128);
	ck_assert_int_eq(r->terms[8].kind, SPF_TERM_UNKNOWN);
	ck_assert_int_eq(r->terms[9].qual, SPF_NEUTRAL);
	spf_record_free(r);
}
END_TEST

/* S-REC-02: a 60 KB record, 10,000 terms, one term of 60 KB: rejected
 * by the limits before any work, in bounded time. */
START_TEST(test_huge)
{
	size_t n = 60000;
	char *rec = malloc(n);
	char err[200];
	ck_assert_ptr_nonnull(rec);
	memcpy(rec, "v=spf1", 6);
	for (size_t i = 6; i < n; i += 2) {
		rec[i] = ' ';
		if (i + 1 < n)
			rec[i + 1] = 'a';
	}
	ck_assert_ptr_null(spf_record_parse(rec, n, err, sizeof(err)));
	ck_assert_msg(strstr(err, "record too long"), "%s", err);
	/* under the byte limit, over the term limit */
	size_t m = LIMIT_SPF_RECORD_BYTES;
	ck_assert_ptr_null(spf_record_parse(rec, m, err, sizeof(err)));
	ck_assert_msg(strstr(err, "more than"), "%s", err);
	/* one term of 60 KB */
	memset(rec + 7, 'x', n - 7);
	ck_assert_ptr_null(spf_record_parse(rec, n, err, sizeof(err)));
	free(rec);
}
END_TEST

START_TEST(test_ip6_parse)
{
	uint8_t a[16];
	/* S-IP-02: last chunk without ':' (OpenDMARC a1fea0b) */
	ck_assert(spf_parse_ip6("2001:db8::", 10, a));
	ck_assert(spf_parse_ip6("2001:db8::1", 11, a));
	ck_assert_uint_eq(a[15], 1);
	ck_assert(spf_parse_ip6("::ffff:1.2.3.4", 14, a));
	ck_assert_uint_eq(a[10], 0xff);
	ck_assert_uint_eq(a[15], 4);
	ck_assert(!spf_parse_ip6("2001:db8::1\0", 12, a));
	ck_assert(!spf_parse_ip6("", 0, a));
	/* length-delimited: the bytes after len are not read as part */
	ck_assert(spf_parse_ip6("::1/64", 3, a));
}
END_TEST

START_TEST(test_results)
{
	enum spf_result r;
	ck_assert(spf_result_parse("SoftFail", 8, &r));
	ck_assert_int_eq(r, SPF_SOFTFAIL);
	ck_assert(!spf_result_parse("pas", 3, &r));
	ck_assert_str_eq(spf_result_str(SPF_PERMERROR), "permerror");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("spf_parse");
	TCase *tc = tcase_create("all");
	tcase_add_loop_test(tc, test_select, 0, sizeof(sel) / sizeof(sel[0]));
	tcase_add_loop_test(tc, test_parse, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_nul);
	tcase_add_test(tc, test_terms);
	tcase_add_test(tc, test_huge);
	tcase_add_test(tc, test_ip6_parse);
	tcase_add_test(tc, test_results);
	suite_add_tcase(s, tc);
	return s;
}
