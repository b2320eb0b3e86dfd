/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for common/dname.c: names built label by label (X-01, X-04,
 * of doc/hostile-inputs.md). */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dname.h"

#define HN (DNAME_HOSTNAME | DNAME_MULTILABEL)

static bool from(struct dname *d, const char *s, unsigned flags, const char **why)
{
	return dname_from_text(d, s, strlen(s), flags, why);
}

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);

	ck_assert_ptr_nonnull(s);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

struct bad_case {
	const char *id;
	const char *text;
	unsigned flags;
	const char *why;
};

/* X-05 empty label, leading dot, root, empty argument; X-06 characters a
 * d= or domain may not hold (CVE-2020-12272). */
static const struct bad_case bad[] = {
	{"X-05 empty label", "a..example", HN, "empty label"},
	{"X-05 leading dot", ".example.com", HN, "empty label"},
	{"X-05 two trailing dots", "example.com..", HN, "empty label"},
	{"X-05 root", ".", HN, "empty name"},
	{"X-05 empty argument", "", HN, "empty name"},
	{"X-05 empty label without flags", "a..b", 0, "empty label"},
	{"X-06 paren open", "ex(ample.com", HN, "invalid character"},
	{"X-06 paren close", "example).com", HN, "invalid character"},
	{"X-06 space", "exa mple.com", HN, "invalid character"},
	{"X-06 slash", "a/b.example.com", HN, "invalid character"},
	{"X-06 semicolon", "a;b.example.com", HN, "invalid character"},
	{"X-06 at", "user@example.com", HN, "invalid character"},
	{"X-04 backslash in host name", "a\\046b.example", HN, "invalid character"},
	{"X-03 raw UTF-8",
	 "b\xc3\xbc"
	 "cher.example",
	 HN, "invalid character"},
	{"single label", "localhost", HN, "fewer than two labels"},
	{"single label, trailing dot", "com.", HN, "fewer than two labels"},
};

START_TEST(test_bad_names)
{
	const struct bad_case *c = &bad[_i];
	struct dname d;
	const char *why = NULL;

	ck_assert_msg(!from(&d, c->text, c->flags, &why), "%s: accepted", c->id);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strcmp(why, c->why) == 0, "%s: why '%s', want '%s'", c->id, why, c->why);
}
END_TEST

START_TEST(test_why_may_be_null)
{
	struct dname d;

	ck_assert(!from(&d, "a..b", HN, NULL));
}
END_TEST

START_TEST(test_x01_label_64)
{
	/* a 63-byte label is fine, 64 bytes is not. */
	char *l63 = repeat('a', 63), *l64 = repeat('a', 64);
	char buf[200];
	struct dname d;
	const char *why = NULL;

	snprintf(buf, sizeof(buf), "%s.example.com", l63);
	ck_assert(from(&d, buf, HN, &why));
	snprintf(buf, sizeof(buf), "%s.example.com", l64);
	ck_assert(!from(&d, buf, HN, &why));
	ck_assert_str_eq(why, "label longer than 63 bytes");
	snprintf(buf, sizeof(buf), "example.%s", l64);
	ck_assert(!from(&d, buf, 0, &why));
	ck_assert_str_eq(why, "label longer than 63 bytes");
	free(l63);
	free(l64);
}
END_TEST

/* Name of exactly n characters made of 63-byte labels and a shorter tail. */
static char *name_of_len(size_t n)
{
	char *s = repeat('a', n);

	for (size_t i = 63; i < n; i += 64) {
		s[i] = '.';
	}
	return s;
}

START_TEST(test_x01_name_254)
{
	/* 253 characters fit in 255 wire bytes; 254 do not. */
	char *n253 = name_of_len(253), *n254 = name_of_len(254);
	char *n253dot = malloc(255);
	struct dname d;
	const char *why = NULL;

	ck_assert(from(&d, n253, HN, &why));
	ck_assert_uint_eq(d.len, 255);
	snprintf(n253dot, 255, "%s.", n253);
	ck_assert(from(&d, n253dot, HN, &why));
	ck_assert_uint_eq(d.len, 255);
	ck_assert(!from(&d, n254, HN, &why));
	ck_assert_str_eq(why, "name longer than 253 bytes");
	free(n253);
	free(n254);
	free(n253dot);
}
END_TEST

START_TEST(test_x06_underscore)
{
	struct dname d;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];

	ck_assert(from(&d, "_dmarc.example.com", HN, &why));
	ck_assert(from(&d, "sel._domainkey.Example.COM", HN, &why));
	ck_assert_uint_eq(dname_labels(&d), 4);
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "sel._domainkey.Example.COM");
	ck_assert(from(&d, "mx-1.example.com.", HN, &why));
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "mx-1.example.com");
}
END_TEST

START_TEST(test_x04_backslash_ordinary)
{
	/* without DNAME_HOSTNAME "a\046b" is one label of 6 bytes, never
	 * a label "a.b" or two labels. */
	struct dname d;
	const char *why = NULL;
	size_t len = 0;
	const uint8_t *l;
	char buf[DNAME_TEXT_MAX];

	ck_assert(from(&d, "a\\046b.example", 0, &why));
	ck_assert_uint_eq(dname_labels(&d), 2);
	l = dname_label(&d, 0, &len);
	ck_assert_ptr_nonnull(l);
	ck_assert_uint_eq(len, 6);
	ck_assert(memcmp(l, "a\\046b", 6) == 0);
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "a\\092046b.example");
	/* a\000b: the backslash and the digits stay bytes, no NUL label byte */
	ck_assert(from(&d, "a\\000b.example", 0, &why));
	l = dname_label(&d, 0, &len);
	ck_assert_uint_eq(len, 6);
	ck_assert(memchr(l, '\0', len) == NULL);
}
END_TEST

START_TEST(test_any_byte_without_hostname)
{
	/* SPF targets may hold any byte but '.', NUL included. */
	static const char text[] = {'a', '\0', 'b', '.', 'e', 'x', '|'};
	struct dname d;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];

	ck_assert(dname_from_text(&d, text, sizeof(text), 0, &why));
	ck_assert_uint_eq(d.len, 1 + 3 + 1 + 3 + 1);
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "a\\000b.ex\\124");
}
END_TEST

START_TEST(test_root_and_single_label)
{
	struct dname d;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];

	ck_assert(from(&d, ".", 0, &why));
	ck_assert_uint_eq(d.len, 1);
	ck_assert_uint_eq(dname_labels(&d), 0);
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), ".");
	dname_root(&d);
	ck_assert_uint_eq(d.len, 1);
	ck_assert(from(&d, "localhost", DNAME_HOSTNAME, &why));
	ck_assert_uint_eq(dname_labels(&d), 1);
	ck_assert_ptr_null(dname_label(&d, 1, NULL));
}
END_TEST

START_TEST(test_prepend_concat_parent)
{
	struct dname d, p, s, r;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];
	char *l64 = repeat('x', 64);

	ck_assert(from(&d, "example.com", HN, &why));
	ck_assert(dname_prepend(&d, &d, "_dmarc", 6));
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "_dmarc.example.com");
	ck_assert(!dname_prepend(&r, &d, "", 0));
	ck_assert(!dname_prepend(&r, &d, l64, 64));

	ck_assert(dname_parent(&p, &d, 1));
	ck_assert_str_eq(dname_to_text(&p, buf, sizeof(buf)), "example.com");
	ck_assert(dname_parent(&p, &d, 3));
	ck_assert_uint_eq(p.len, 1);
	ck_assert(!dname_parent(&p, &d, 4));

	ck_assert(from(&p, "sel._domainkey", 0, &why));
	ck_assert(from(&s, "example.com", 0, &why));
	ck_assert(dname_concat(&r, &p, &s));
	ck_assert_str_eq(dname_to_text(&r, buf, sizeof(buf)), "sel._domainkey.example.com");
	ck_assert_uint_eq(dname_labels(&r), 4);

	/* concatenation that would exceed 255 wire bytes */
	{
		char *n200 = name_of_len(200), *n60 = name_of_len(60);

		ck_assert(from(&p, n200, 0, &why));
		ck_assert(from(&s, n60, 0, &why));
		ck_assert(!dname_concat(&r, &p, &s));
		free(n200);
		free(n60);
	}
	free(l64);
}
END_TEST

START_TEST(test_prepend_too_long)
{
	char *n250 = name_of_len(250);
	struct dname d, r;
	const char *why = NULL;

	ck_assert(from(&d, n250, 0, &why));
	ck_assert_uint_eq(d.len, 252);
	ck_assert(dname_prepend(&r, &d, "a", 1));
	ck_assert_uint_eq(r.len, 254);
	ck_assert(dname_prepend(&r, &d, "ab", 2)); /* 255: fits */
	ck_assert_uint_eq(r.len, 255);
	ck_assert(!dname_prepend(&r, &d, "abc", 3)); /* 256: does not */
	free(n250);
}
END_TEST

START_TEST(test_equal_subdomain_lower)
{
	struct dname a, b, c, l;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];

	ck_assert(from(&a, "Mail.Example.COM", HN, &why));
	ck_assert(from(&b, "mail.example.com.", HN, &why));
	ck_assert(from(&c, "example.com", HN, &why));
	ck_assert(dname_equal(&a, &b));
	ck_assert(!dname_equal(&a, &c));
	ck_assert(dname_is_subdomain(&a, &c, false));
	ck_assert(dname_is_subdomain(&c, &c, true));
	ck_assert(!dname_is_subdomain(&c, &c, false));
	ck_assert(!dname_is_subdomain(&c, &a, true));
	/* label-aligned: "badexample.com" is not under "example.com" */
	ck_assert(from(&b, "badexample.com", HN, &why));
	ck_assert(!dname_is_subdomain(&b, &c, true));
	dname_root(&b);
	ck_assert(dname_is_subdomain(&a, &b, false));
	dname_lower(&l, &a);
	ck_assert_str_eq(dname_to_text(&l, buf, sizeof(buf)), "mail.example.com");
}
END_TEST

START_TEST(test_raw)
{
	/* The macro value of a name: bytes as they are, no escaping, and
	 * whole labels only when the buffer is short. */
	struct dname d;
	char buf[DNAME_TEXT_MAX];
	char small[8];

	ck_assert(dname_from_text(&d, "a\\b|c.Example.com.", 18, 0, NULL));
	ck_assert_uint_eq(dname_raw(&d, buf, sizeof(buf)), 17);
	ck_assert_str_eq(buf, "a\\b|c.Example.com");
	ck_assert_uint_eq(dname_raw(&d, small, sizeof(small)), 5);
	ck_assert_str_eq(small, "a\\b|c");
	dname_root(&d);
	ck_assert_uint_eq(dname_raw(&d, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_to_text_small_buffer)
{
	struct dname d;
	const char *why = NULL;
	char buf[8];

	ck_assert(from(&d, "abcdefgh.example", 0, &why));
	ck_assert_str_eq(dname_to_text(&d, buf, sizeof(buf)), "abcdefg");
	ck_assert(from(&d, "a|bcdefgh", 0, &why));
	ck_assert_str_eq(dname_to_text(&d, buf, 5), "a");
}
END_TEST

START_TEST(test_to_text_worst_case_fits)
{
	/* every byte escaped: 4 bytes each, must fit DNAME_TEXT_MAX */
	char *n = name_of_len(253);
	struct dname d;
	const char *why = NULL;
	char buf[DNAME_TEXT_MAX];

	for (size_t i = 0; i < 253; i++) {
		if (n[i] != '.') {
			n[i] = '\x01';
		}
	}
	ck_assert(from(&d, n, 0, &why));
	dname_to_text(&d, buf, sizeof(buf));
	ck_assert_uint_eq(strlen(buf), 250 * 4 + 3);
	free(n);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dname");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_bad_names, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_why_may_be_null);
	tcase_add_test(tc, test_x01_label_64);
	tcase_add_test(tc, test_x01_name_254);
	tcase_add_test(tc, test_x06_underscore);
	tcase_add_test(tc, test_x04_backslash_ordinary);
	tcase_add_test(tc, test_any_byte_without_hostname);
	tcase_add_test(tc, test_root_and_single_label);
	tcase_add_test(tc, test_prepend_concat_parent);
	tcase_add_test(tc, test_prepend_too_long);
	tcase_add_test(tc, test_equal_subdomain_lower);
	tcase_add_test(tc, test_raw);
	tcase_add_test(tc, test_to_text_small_buffer);
	tcase_add_test(tc, test_to_text_worst_case_fits);
	suite_add_tcase(s, tc);
	return s;
}
