/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Organisational domains (RFC 7489 3.2) through libpsl, and what
 * happens when the list is missing or corrupt (M-11).
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "orgdomain.h"

struct ocase {
	const char *name;
	enum org_status st;
	const char *org;
};

static const struct ocase cases[] = {
	{"example.com", ORG_OK, "example.com"},
	{"mail.example.com", ORG_OK, "example.com"},
	{"_dmarc.example.com", ORG_OK, "example.com"},
	{"MAIL.Example.COM", ORG_OK, "example.com"},
	/* a multi-label public suffix, never "last two labels" */
	{"a.b.example.co.uk", ORG_OK, "example.co.uk"},
	{"example.co.uk", ORG_OK, "example.co.uk"},
	{"mail.example.com.au", ORG_OK, "example.com.au"},
	/* a name directly under a suffix is its own organisational domain */
	{"bar.co.uk", ORG_OK, "bar.co.uk"},
	/* a suffix itself: RFC 7489 3.2 has no x+1th label */
	{"co.uk", ORG_IS_SUFFIX, "co.uk"},
	{"com", ORG_IS_SUFFIX, "com"},
	/* a TLD the list does not know: the implicit "*" rule */
	{"x.y.unknowntld-example", ORG_OK, "y.unknowntld-example"},
};

START_TEST(test_cases)
{
	const struct ocase *c = &cases[_i];
	struct orgdomain *od = orgdomain_new(NULL);
	struct dname name, org;
	char buf[DNAME_TEXT_MAX];

	ck_assert_ptr_nonnull(od);
	ck_assert_msg(orgdomain_problem(od) == NULL, "%s", orgdomain_problem(od));
	ck_assert(dname_from_text(&name, c->name, strlen(c->name), 0, NULL));
	ck_assert_int_eq(orgdomain_find(od, &name, &org), c->st);
	ck_assert_str_eq(dname_to_text(&org, buf, sizeof(buf)), c->org);
	orgdomain_free(od);
}
END_TEST

START_TEST(test_same)
{
	struct orgdomain *od = orgdomain_new(NULL);
	struct dname a, b, c;

	dname_from_text(&a, "mail.example.co.uk", 18, 0, NULL);
	dname_from_text(&b, "example.co.uk", 13, 0, NULL);
	dname_from_text(&c, "other.co.uk", 11, 0, NULL);
	ck_assert(orgdomain_same(od, &a, &b));
	ck_assert(!orgdomain_same(od, &a, &c));
	orgdomain_free(od);
}
END_TEST

/* M-11: a 127-label name (the most a 255-byte wire name holds). */
START_TEST(test_127_labels)
{
	struct orgdomain *od = orgdomain_new(NULL);
	char text[300];
	size_t n = 0;
	struct dname name, org;
	char buf[DNAME_TEXT_MAX];

	for (int i = 0; i < 125; i++)
		n += (size_t)sprintf(text + n, "a.");
	/* 127 one-byte labels: 255 bytes on the wire */
	n += (size_t)sprintf(text + n, "b.c");
	ck_assert(dname_from_text(&name, text, n, 0, NULL));
	ck_assert_uint_eq(dname_labels(&name), 127);
	ck_assert_int_eq(orgdomain_find(od, &name, &org), ORG_OK);
	ck_assert_str_eq(dname_to_text(&org, buf, sizeof(buf)), "b.c");
	orgdomain_free(od);
}
END_TEST

/* A label holding a byte the list cannot be asked about. */
START_TEST(test_bad_name)
{
	struct orgdomain *od = orgdomain_new(NULL);
	struct dname name, org;

	ck_assert(dname_from_text(&name, "a b.example.com", 15, 0, NULL));
	ck_assert_int_eq(orgdomain_find(od, &name, &org), ORG_BAD_NAME);
	ck_assert(dname_equal(&name, &org));
	dname_root(&name);
	ck_assert_int_eq(orgdomain_find(od, &name, &org), ORG_BAD_NAME);
	orgdomain_free(od);
}
END_TEST

/* M-11: a missing or corrupt list falls back to libpsl's built-in one
 * and says so; results stay right. */
START_TEST(test_missing_and_corrupt)
{
	char path[] = "/tmp/test_orgdomain_XXXXXX";
	int fd = mkstemp(path);
	const char junk[] = "this is not\na public suffix list\n\x01\x02\xff\n";
	struct orgdomain *od;
	struct dname name, org;
	char buf[DNAME_TEXT_MAX];

	ck_assert_int_ge(fd, 0);
	ck_assert(write(fd, junk, sizeof(junk) - 1) == sizeof(junk) - 1);
	close(fd);
	dname_from_text(&name, "a.b.example.co.uk", 17, 0, NULL);

	od = orgdomain_new("/nonexistent/public_suffix_list.dat");
	ck_assert_ptr_nonnull(orgdomain_problem(od));
	ck_assert(strstr(orgdomain_problem(od), "/nonexistent") != NULL);
	ck_assert(strstr(orgdomain_problem(od), "built-in") != NULL);
	ck_assert_int_eq(orgdomain_find(od, &name, &org), ORG_OK);
	ck_assert_str_eq(dname_to_text(&org, buf, sizeof(buf)), "example.co.uk");
	orgdomain_free(od);

	od = orgdomain_new(path);
	ck_assert_ptr_nonnull(orgdomain_problem(od));
	ck_assert(strstr(orgdomain_problem(od), "corrupt") != NULL);
	ck_assert_int_eq(orgdomain_find(od, &name, &org), ORG_OK);
	ck_assert_str_eq(dname_to_text(&org, buf, sizeof(buf)), "example.co.uk");
	orgdomain_free(od);

	/* the distribution's own list is fine */
	od = orgdomain_new("/usr/share/publicsuffix/public_suffix_list.dat");
	ck_assert_ptr_null(orgdomain_problem(od));
	orgdomain_free(od);
	unlink(path);

	/* no list object at all: every name its own organisational domain */
	ck_assert_int_eq(orgdomain_find(NULL, &name, &org), ORG_NO_LIST);
	ck_assert(dname_equal(&name, &org));
	orgdomain_free(NULL);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("orgdomain");
	TCase *tc = tcase_create("orgdomain");

	tcase_add_loop_test(tc, test_cases, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_same);
	tcase_add_test(tc, test_127_labels);
	tcase_add_test(tc, test_bad_name);
	tcase_add_test(tc, test_missing_and_corrupt);
	suite_add_tcase(s, tc);
	return s;
}
