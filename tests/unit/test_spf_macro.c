/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/spf_macro.c: RFC 7208 section 7 macro expansion
 * and 7.3 domain truncation, including the inputs behind libspf2's
 * expansion CVEs. Catalogue rows: S-MAC-01 .. S-MAC-08.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "spf_macro.h"

/* RFC 7208 7.4's example values. */
static void rfc_vars(struct spf_macro_vars *v)
{
	memset(v, 0, sizeof(*v));
	v->s = "strong-bad@email.example.com";
	v->s_len = strlen(v->s);
	v->l = "strong-bad";
	v->l_len = strlen(v->l);
	v->o = "email.example.com";
	v->o_len = strlen(v->o);
	v->d = "email.example.com";
	v->d_len = strlen(v->d);
	v->i = "192.0.2.3";
	v->i_len = strlen(v->i);
	v->h = "mx.example.org";
	v->h_len = strlen(v->h);
	v->c = "192.0.2.3";
	v->c_len = strlen(v->c);
	v->r = "unknown";
	v->r_len = 7;
	v->t = "1234";
	v->t_len = 4;
	v->v = "in-addr";
	v->v_len = 7;
}

struct exp_case {
	const char *in;
	unsigned flags;
	const char *out; /* NULL: syntax error */
};

static const struct exp_case cases[] = {
	/* RFC 7208 7.4 examples */
	{"%{s}", 0, "strong-bad@email.example.com"},
	{"%{o}", 0, "email.example.com"},
	{"%{d}", 0, "email.example.com"},
	{"%{d4}", 0, "email.example.com"},
	{"%{d3}", 0, "email.example.com"},
	{"%{d2}", 0, "example.com"},
	{"%{d1}", 0, "com"},
	{"%{dr}", 0, "com.example.email"},
	{"%{d2r}", 0, "example.email"},
	{"%{l}", 0, "strong-bad"},
	{"%{l-}", 0, "strong.bad"},
	{"%{lr}", 0, "strong-bad"},
	{"%{lr-}", 0, "bad.strong"},
	{"%{l1r-}", 0, "strong"},
	{"%{ir}.%{v}._spf.%{d2}", 0, "3.2.0.192.in-addr._spf.example.com"},
	{"%{lr-}.lp._spf.%{d2}", 0, "bad.strong.lp._spf.example.com"},
	{"%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", 0, "bad.strong.lp.3.2.0.192.in-addr._spf.example.com"},
	{"%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", 0, "3.2.0.192.in-addr.strong.lp._spf.example.com"},
	{"%{d2}.trusted-domains.example.net", 0, "example.com.trusted-domains.example.net"},
	/* S-MAC-05: %% %_ %- */
	{"a%%b%_c%-d", 0, "a%b c%20d"},
	/* S-MAC-02: digits 1, 128, 2147483648, 99999999999999999999 */
	{"%{d1}", 0, "com"},
	{"%{d128}", 0, "email.example.com"},
	{"%{d2147483648}", 0, "email.example.com"},
	{"%{d99999999999999999999}", 0, "email.example.com"},
	{"%{d99999999999999999999r}", 0, "com.example.email"},
	{"%{d0}", 0, NULL},
	{"%{d00}", 0, NULL},
	/* S-MAC-02: every delimiter, repeated delimiters */
	{"%{s.-+,/_=}", 0, "strong.bad@email.example.com"},
	{"%{l--}", 0, "strong.bad"},
	{"%{sr@}", 0, NULL}, /* '@' is not a delimiter */
	/* upper case: URL-escaped (7.3) */
	{"%{S}", 0, "strong-bad%40email.example.com"},
	/* S-MAC-01 */
	{"%{q}", 0, NULL},
	{"%{}", 0, NULL},
	{"%{d", 0, NULL},
	{"abc%", 0, NULL},
	{"%x", 0, NULL},
	{"%(d)", 0, NULL},
	/* c r t only in explanations (S-MAC-09) */
	{"%{c}", 0, NULL},
	{"%{r}", 0, NULL},
	{"%{t}", 0, NULL},
	{"%{c} %{r} %{t}", SPF_MACRO_EXP, "192.0.2.3 unknown 1234"},
	{"a b", 0, NULL}, /* SP only in explanations */
	{"a\x80", SPF_MACRO_EXP, NULL},
	{"%{p}", 0, "unknown"}, /* no PTR callback */
};

START_TEST(test_expand)
{
	const struct exp_case *c = &cases[_i];
	struct spf_macro_vars v;
	char out[LIMIT_SPF_MACRO_OUT], err[120] = "";
	size_t n = 0;

	rfc_vars(&v);
	enum spf_macro_status st = spf_macro_expand(c->in, strlen(c->in), c->flags, &v, out,
						    sizeof(out), &n, err, sizeof(err));
	ck_assert_msg(spf_macro_check(c->in, strlen(c->in), c->flags, NULL, err, sizeof(err)) ==
			      (c->out != NULL),
		      "check '%s'", c->in);
	if (c->out == NULL) {
		ck_assert_msg(st == SPF_MACRO_SYNTAX, "'%s' accepted", c->in);
		return;
	}
	ck_assert_msg(st == SPF_MACRO_OK, "'%s': %s", c->in, err);
	ck_assert_msg(n == strlen(c->out) && memcmp(out, c->out, n) == 0,
		      "'%s' -> '%.*s', want '%s'", c->in, (int)n, out, c->out);
}
END_TEST

/* S-MAC-03 (CVE-2021-33912): every byte 0x80-0xFF URL-encodes to
 * exactly three bytes %XX. */
START_TEST(test_url_high_bytes)
{
	struct spf_macro_vars v;
	char l[128], out[512], err[80];
	size_t n;

	rfc_vars(&v);
	for (int i = 0; i < 128; i++)
		l[i] = (char)(0x80 + i);
	v.l = l;
	v.l_len = sizeof(l);
	ck_assert_int_eq(spf_macro_expand("%{L}", 4, 0, &v, out, sizeof(out), &n, err, sizeof(err)),
			 SPF_MACRO_OK);
	ck_assert_uint_eq(n, 3 * 128);
	for (int i = 0; i < 128; i++) {
		char want[4];
		snprintf(want, sizeof(want), "%%%02X", 0x80 + i);
		ck_assert_msg(memcmp(out + 3 * i, want, 3) == 0, "byte %d", i);
	}
	/* exactly fitting output, then one byte short */
	ck_assert_int_eq(spf_macro_expand("%{L}", 4, 0, &v, out, 384, &n, err, sizeof(err)),
			 SPF_MACRO_OK);
	ck_assert_int_eq(spf_macro_expand("%{L}", 4, 0, &v, out, 383, &n, err, sizeof(err)),
			 SPF_MACRO_TOO_LONG);
}
END_TEST

/* S-MAC-04 (CVE-2021-33913): reverse over labels of unequal lengths. */
START_TEST(test_reverse_unequal)
{
	struct spf_macro_vars v;
	char out[LIMIT_SPF_MACRO_OUT], err[80];
	size_t n;
	static const char *const in[] = {
		"a.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.cc",
		"..x..",
		"x",
		"",
		".",
		"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.b",
	};
	static const char *const want[] = {
		"cc.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.a",
		"..x..",
		"x",
		"",
		".",
		"b.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		rfc_vars(&v);
		v.d = in[i];
		v.d_len = strlen(in[i]);
		/* exact-size buffer: no byte more is written */
		size_t wl = strlen(want[i]);
		char *exact = malloc(wl ? wl : 1);
		ck_assert_int_eq(
			spf_macro_expand("%{dr}", 5, 0, &v, exact, wl, &n, err, sizeof(err)),
			SPF_MACRO_OK);
		ck_assert_msg(n == wl && memcmp(exact, want[i], n) == 0, "'%s' -> '%.*s'", in[i],
			      (int)n, exact);
		free(exact);
		ck_assert_int_eq(spf_macro_expand("%{d2r}", 6, 0, &v, out, sizeof(out), &n, err,
						  sizeof(err)),
				 SPF_MACRO_OK);
	}
}
END_TEST

/* S-MAC-07 (CVE-2021-20314): literal runs filling the buffer exactly,
 * and one byte over. */
START_TEST(test_literal_fill)
{
	struct spf_macro_vars v;
	char *in = malloc(LIMIT_SPF_MACRO_OUT + 1);
	char *out = malloc(LIMIT_SPF_MACRO_OUT);
	char err[80];
	size_t n;

	rfc_vars(&v);
	memset(in, 'a', LIMIT_SPF_MACRO_OUT + 1);
	ck_assert_int_eq(spf_macro_expand(in, LIMIT_SPF_MACRO_OUT, 0, &v, out, LIMIT_SPF_MACRO_OUT,
					  &n, err, sizeof(err)),
			 SPF_MACRO_OK);
	ck_assert_uint_eq(n, LIMIT_SPF_MACRO_OUT);
	ck_assert_int_eq(spf_macro_expand(in, LIMIT_SPF_MACRO_OUT + 1, 0, &v, out,
					  LIMIT_SPF_MACRO_OUT, &n, err, sizeof(err)),
			 SPF_MACRO_TOO_LONG);
	/* "%%" turns two input bytes into one: 2x input still fits */
	for (size_t i = 0; i + 1 < LIMIT_SPF_MACRO_OUT + 1; i += 2) {
		in[i] = '%';
		in[i + 1] = '%';
	}
	ck_assert_int_eq(spf_macro_expand(in, LIMIT_SPF_MACRO_OUT, 0, &v, out,
					  LIMIT_SPF_MACRO_OUT / 2, &n, err, sizeof(err)),
			 SPF_MACRO_OK);
	/* "%-" grows 2 -> 3 bytes */
	for (size_t i = 0; i + 1 < LIMIT_SPF_MACRO_OUT + 1; i += 2)
		in[i + 1] = '-';
	ck_assert_int_eq(spf_macro_expand(in, LIMIT_SPF_MACRO_OUT, 0, &v, out, LIMIT_SPF_MACRO_OUT,
					  &n, err, sizeof(err)),
			 SPF_MACRO_TOO_LONG);
	free(in);
	free(out);
}
END_TEST

/* S-MAC-08 (CVE-2023-42118): domain-specs of 490..530 bytes mixing
 * macros and literals, into a buffer of the expansion's exact size and
 * into the real cap; then 7.3 truncation to <= 253. */
START_TEST(test_long_specs)
{
	struct spf_macro_vars v;
	char in[600], out[LIMIT_SPF_MACRO_OUT], err[80];
	size_t n, off;

	rfc_vars(&v);
	for (size_t len = 490; len <= 530; len++) {
		size_t o = 0;
		while (o < len) {
			static const char *const pieces[] = {
				"%{d}.", "%{L}.", "lit.", "%{ir}.", "%%.", "%{s2r+}.",
			};
			const char *pc = pieces[o % 6];
			size_t pl = strlen(pc);
			if (o + pl > len)
				break;
			memcpy(in + o, pc, pl);
			o += pl;
		}
		while (o < len)
			in[o++] = 'x';
		ck_assert_int_eq(
			spf_macro_expand(in, len, 0, &v, out, sizeof(out), &n, err, sizeof(err)),
			SPF_MACRO_OK);
		char *exact = malloc(n);
		size_t n2;
		ck_assert_int_eq(spf_macro_expand(in, len, 0, &v, exact, n, &n2, err, sizeof(err)),
				 SPF_MACRO_OK);
		ck_assert_uint_eq(n, n2);
		ck_assert_int_eq(
			spf_macro_expand(in, len, 0, &v, exact, n - 1, &n2, err, sizeof(err)),
			SPF_MACRO_TOO_LONG);
		free(exact);
		ck_assert(spf_truncate_domain(out, n, &off));
		ck_assert_uint_le(n - off, 253);
		ck_assert(off == 0 || out[off - 1] == '.');
	}
}
END_TEST

/* S-MAC-06: a 100,000-byte local part: bounded, an error, no overflow;
 * a 1,000-byte one fits the cap and truncation keeps whole labels. */
START_TEST(test_huge_values)
{
	struct spf_macro_vars v;
	char out[LIMIT_SPF_MACRO_OUT], err[80];
	size_t n, off;
	char *big = malloc(100000);

	rfc_vars(&v);
	memset(big, 'x', 100000);
	for (size_t i = 50; i < 100000; i += 51)
		big[i] = '.';
	v.l = big;
	v.l_len = 100000;
	ck_assert_int_eq(spf_macro_expand("%{l}.x.example", 14, 0, &v, out, sizeof(out), &n, err,
					  sizeof(err)),
			 SPF_MACRO_TOO_LONG);
	ck_assert_int_eq(
		spf_macro_expand("%{lr}", 5, 0, &v, out, sizeof(out), &n, err, sizeof(err)),
		SPF_MACRO_TOO_LONG);
	ck_assert_int_eq(
		spf_macro_expand("%{l3r}", 6, 0, &v, out, sizeof(out), &n, err, sizeof(err)),
		SPF_MACRO_OK);
	ck_assert_uint_eq(n, 50 * 3 + 2);
	v.l_len = 1000;
	ck_assert_int_eq(spf_macro_expand("%{l}.x.example", 14, 0, &v, out, sizeof(out), &n, err,
					  sizeof(err)),
			 SPF_MACRO_OK);
	ck_assert(spf_truncate_domain(out, n, &off));
	ck_assert_uint_le(n - off, 253);
	/* no dot to cut at: cannot be made a domain */
	memset(big, 'y', 1000);
	ck_assert(!spf_truncate_domain(big, 1000, &off));
	ck_assert(spf_truncate_domain(big, 253, &off));
	ck_assert_uint_eq(off, 0);
	free(big);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("spf_macro");
	TCase *tc = tcase_create("all");
	tcase_add_loop_test(tc, test_expand, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_url_high_bytes);
	tcase_add_test(tc, test_reverse_unequal);
	tcase_add_test(tc, test_literal_fill);
	tcase_add_test(tc, test_long_specs);
	tcase_add_test(tc, test_huge_values);
	suite_add_tcase(s, tc);
	return s;
}
