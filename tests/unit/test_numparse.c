/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for common/numparse.c: whole-string, bounded, overflow-safe. */
#include <check.h>

#include "check_main.h"
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"

#include <limits.h>

#define U_MAX ULONG_MAX
#define L_MAX LONG_MAX
#define L_MIN LONG_MIN

struct long_case {
	const char *s;
	long min, max;
	bool ok;
	long want;
	const char *why;
};

static const struct long_case longs[] = {
	{"0", 0, 10, true, 0, NULL},
	{"10", 0, 10, true, 10, NULL},
	{"+7", 0, 10, true, 7, NULL},
	{"-7", -10, 10, true, -7, NULL},
	{"65535", 1, 65535, true, 65535, NULL},
	{"65536", 1, 65535, false, 0, "too large"},
	{"0", 1, 65535, false, 0, "too small"},
	{"-1", 1, 65535, false, 0, "too small"},
	{"", 0, 10, false, 0, "not a number"},
	{" 5", 0, 10, false, 0, "not a number"},
	{"5 ", 0, 10, false, 0, "not a number"},
	{"5x", 0, 10, false, 0, "not a number"},
	{"0x10", 0, 100, false, 0, "not a number"},
	{"-", 0, 10, false, 0, "not a number"},
	{"+", 0, 10, false, 0, "not a number"},
	{"1.5", 0, 10, false, 0, "not a number"},
	{"99999999999999999999999", L_MIN, L_MAX, false, 0, "too large"},
	{"-99999999999999999999999", L_MIN, L_MAX, false, 0, "too small"},
};

START_TEST(test_parse_long)
{
	const struct long_case *c = &longs[_i];
	long v = -12345;
	const char *why = NULL;
	bool ok = parse_long(c->s, c->min, c->max, &v, &why);

	ck_assert_msg(ok == c->ok, "'%s': %d", c->s, ok);
	if (ok) {
		ck_assert_int_eq(v, c->want);
	} else {
		ck_assert_str_eq(why, c->why);
		ck_assert_int_eq(v, -12345); /* untouched on failure */
	}
}
END_TEST

START_TEST(test_parse_long_null)
{
	long v;

	ck_assert(!parse_long(NULL, 0, 1, &v, NULL));
}
END_TEST

START_TEST(test_parse_ulong_buf)
{
	unsigned long v = 0;
	const char *why = NULL;
	/* not NUL-terminated: the length decides */
	static const char pct[] = {'1', '0', '0', '1'};
	static const char nul[] = {'1', '\0', '2'};

	ck_assert(parse_ulong_buf(pct, 3, 100, &v, &why));
	ck_assert_uint_eq(v, 100);
	ck_assert(!parse_ulong_buf(pct, 4, 100, &v, &why));
	ck_assert_str_eq(why, "too large");
	ck_assert(!parse_ulong_buf("101", 3, 100, &v, &why));
	ck_assert_str_eq(why, "too large");
	ck_assert(parse_ulong_buf("007", 3, 100, &v, &why));
	ck_assert_uint_eq(v, 7);
	ck_assert(!parse_ulong_buf(nul, 3, 1000, &v, &why));
	ck_assert_str_eq(why, "not a number");
	ck_assert(!parse_ulong_buf("", 0, 100, &v, &why));
	ck_assert_str_eq(why, "not a number");
	ck_assert(!parse_ulong_buf("-1", 2, 100, &v, &why));
	ck_assert(!parse_ulong_buf("+1", 2, 100, &v, &why));
	ck_assert(!parse_ulong_buf(" 1", 2, 100, &v, &why));
	/* M-05: 99999999999999999999 overflows unsigned long: too large */
	ck_assert(!parse_ulong_buf("99999999999999999999", 20, U_MAX, &v, &why));
	ck_assert_str_eq(why, "too large");
	/* overflow first, then junk: still not a number */
	ck_assert(!parse_ulong_buf("99999999999999999999x", 21, U_MAX, &v, &why));
	ck_assert_str_eq(why, "not a number");
	ck_assert(parse_ulong_buf("18446744073709551615", 20, U_MAX, &v, &why) ==
		  (U_MAX == 18446744073709551615UL));
	/* a maximum smaller than one digit */
	ck_assert(!parse_ulong_buf("9", 1, 5, &v, &why));
	ck_assert_str_eq(why, "too large");
	ck_assert(parse_ulong_buf("5", 1, 5, &v, &why));
	ck_assert(parse_ulong_buf("0", 1, 0, &v, &why));
}
END_TEST

struct double_case {
	const char *s;
	double min, max;
	bool ok;
	double want;
	const char *why;
};

static const struct double_case doubles[] = {
	{"1.5", 0, 3600, true, 1.5, NULL},          {"10", 0, 3600, true, 10, NULL},
	{".5", 0, 3600, true, 0.5, NULL},           {"5.", 0, 3600, true, 5, NULL},
	{"1e2", 0, 3600, true, 100, NULL},          {"-2.5", -10, 10, true, -2.5, NULL},
	{"3601", 0, 3600, false, 0, "too large"},   {"-1", 0, 3600, false, 0, "too small"},
	{"1e999", 0, 1e308, false, 0, "too large"}, {"-1e999", -1e308, 0, false, 0, "too small"},
	{"", 0, 1, false, 0, "not a number"},       {".", 0, 1, false, 0, "not a number"},
	{"1,5", 0, 10, false, 0, "not a number"},   {"inf", 0, 10, false, 0, "not a number"},
	{"nan", 0, 10, false, 0, "not a number"},   {"0x1p3", 0, 10, false, 0, "not a number"},
	{" 1", 0, 10, false, 0, "not a number"},    {"1 ", 0, 10, false, 0, "not a number"},
	{"1e", 0, 10, false, 0, "not a number"},    {"1.2.3", 0, 10, false, 0, "not a number"},
};

START_TEST(test_parse_double)
{
	const struct double_case *c = &doubles[_i];
	double v = -1;
	const char *why = NULL;
	bool ok = parse_double(c->s, c->min, c->max, &v, &why);

	ck_assert_msg(ok == c->ok, "'%s': %d", c->s, ok);
	if (ok) {
		ck_assert(v == c->want);
	} else {
		ck_assert_str_eq(why, c->why);
	}
}
END_TEST

START_TEST(test_parse_double_locale)
{
	/* C locale whatever the process set: "1.5" is 1.5, "1,5" is not a
	 * number, under a decimal-comma locale when one is installed. */
	double v = 0;
	const char *why = NULL;
	const char *loc = setlocale(LC_NUMERIC, "de_DE.UTF-8");

	if (loc == NULL) {
		loc = setlocale(LC_NUMERIC, "de_DE");
	}
	if (loc != NULL) {
		char probe[16];

		snprintf(probe, sizeof(probe), "%.1f", 1.5);
		ck_assert_str_eq(probe, "1,5"); /* the locale really is German */
	}
	ck_assert(parse_double("1.5", 0, 10, &v, &why));
	ck_assert(v == 1.5);
	ck_assert(!parse_double("1,5", 0, 10, &v, &why));
	setlocale(LC_NUMERIC, "C");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("numparse");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_long, 0, sizeof(longs) / sizeof(longs[0]));
	tcase_add_test(tc, test_parse_long_null);
	tcase_add_test(tc, test_parse_ulong_buf);
	tcase_add_loop_test(tc, test_parse_double, 0, sizeof(doubles) / sizeof(doubles[0]));
	tcase_add_test(tc, test_parse_double_locale);
	suite_add_tcase(s, tc);
	return s;
}
