/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/range.c and common/state.c. The range vectors are
 * the meaning of monitoring-plugins' lib/tests/test_utils.c, written anew:
 * "6", "1:12%", "-7:23", ":5.75", "~:-95.99", "12345678901234567890:",
 * "~:0", "@0:657.8210567", "1:1", "2:1" and thresholds "30"/"60".
 */
#include <check.h>

#include "check_main.h"
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"
#include "state.h"

struct parse_case {
	const char *text;
	double start, end;
	bool start_inf, end_inf, inside;
	const char *perf_text;
};

static const struct parse_case good[] = {
	{"6", 0, 6, false, false, false, "6"},
	{"1:12%", 1, 12, false, false, false, "1:12"}, /* upstream ignores '%' */
	{"-7:23", -7, 23, false, false, false, "-7:23"},
	{":5.75", 0, 5.75, false, false, false, ":5.75"},
	{"~:-95.99", 0, -95.99, true, false, false, "~:-95.99"},
	{"~:0", 0, 0, true, false, false, "~:0"},
	{"@0:657.8210567", 0, 657.8210567, false, false, true, "@0:657.8210567"},
	{"1:1", 1, 1, false, false, false, "1:1"},
	{"@1:1", 1, 1, false, false, true, "@1:1"},
	{"10:", 10, 0, false, true, false, "10:"},
	{"~:10", 0, 10, true, false, false, "~:10"},
	{"10:20", 10, 20, false, false, false, "10:20"},
	{"@10:20", 10, 20, false, false, true, "@10:20"},
	{"~:", 0, 0, true, true, false, "~:"},
	{"1e3", 0, 1000, false, false, false, "1e3"},
};

START_TEST(test_parse_good)
{
	const struct parse_case *c = &good[_i];
	struct range r;
	const char *why = NULL;

	ck_assert_msg(range_parse(c->text, &r, &why), "'%s' rejected: %s", c->text, why);
	ck_assert(r.set);
	ck_assert_msg(r.start_infinite == c->start_inf, "%s start_inf", c->text);
	ck_assert_msg(r.end_infinite == c->end_inf, "%s end_inf", c->text);
	ck_assert_msg(r.alert_inside == c->inside, "%s inside", c->text);
	if (!c->start_inf) {
		ck_assert_msg(r.start == c->start, "%s start %g", c->text, r.start);
	}
	if (!c->end_inf) {
		ck_assert_msg(r.end == c->end, "%s end %g", c->text, r.end);
	}
	ck_assert_str_eq(r.text, c->perf_text);
}
END_TEST

static const char *const bad[] = {
	"2:1",
	"10:5",
	"",
	"@",
	"~",
	"abc",
	"1:2:3",
	"10:x",
	" 10",
	"10 ",
	"0x10",
	"inf",
	"nan:",
	"-5",  /* 0..-5: start greater than end */
	"1,5", /* a German decimal comma is not a number */
	"12345678901234567890123456789012345678901234567890123456789012345:",
};

START_TEST(test_parse_bad)
{
	struct range r;
	const char *why = NULL;

	r.set = false;
	ck_assert_msg(!range_parse(bad[_i], &r, &why), "'%s' accepted", bad[_i]);
	ck_assert_ptr_nonnull(why);
	ck_assert(!r.set);
}
END_TEST

START_TEST(test_start_greater_than_end_reason)
{
	struct range r;
	const char *why = NULL;

	ck_assert(!range_parse("2:1", &r, &why));
	ck_assert_str_eq(why, "start greater than end");
	ck_assert(!range_parse(NULL, &r, NULL));
}
END_TEST

struct alert_case {
	const char *range;
	double value;
	bool alerts;
};

static const struct alert_case alerts[] = {
	/* "~:0": alert above 0 */
	{"~:0", 0.5, true},
	{"~:0", -10, false},
	{"~:0", 0, false},
	/* "@0:657.8210567": alert inside, endpoints included */
	{"@0:657.8210567", 32.88, true},
	{"@0:657.8210567", -2, false},
	{"@0:657.8210567", 657.8210567, true},
	{"@0:657.8210567", 0, true},
	/* "1:1": only 1 is fine */
	{"1:1", 0.5, true},
	{"1:1", 1, false},
	{"1:1", 5.2, true},
	/* "@1:1": only 1 alerts */
	{"@1:1", 1, true},
	{"@1:1", 0.99, false},
	/* "10": 0..10 */
	{"10", -1, true},
	{"10", 0, false},
	{"10", 10, false},
	{"10", 10.01, true},
	/* "10:": below 10 alerts */
	{"10:", 9.99, true},
	{"10:", 10, false},
	{"10:", 1e300, false},
	/* "~:10": above 10 alerts */
	{"~:10", -1e300, false},
	{"~:10", 11, true},
	/* "10:20" and "@10:20" */
	{"10:20", 9, true},
	{"10:20", 15, false},
	{"10:20", 21, true},
	{"@10:20", 9, false},
	{"@10:20", 10, true},
	{"@10:20", 20, true},
	{"@10:20", 21, false},
	/* "~:" never alerts, "@~:" always does */
	{"~:", -1e300, false},
	{"@~:", 42, true},
};

START_TEST(test_alerts)
{
	const struct alert_case *c = &alerts[_i];
	struct range r;
	const char *why = NULL;

	ck_assert(range_parse(c->range, &r, &why));
	ck_assert_msg(range_alerts(&r, c->value) == c->alerts, "%s with %g", c->range, c->value);
}
END_TEST

START_TEST(test_huge_start)
{
	/* "12345678901234567890:" */
	struct range r;
	const char *why = NULL;
	double t = 12345678901234567890.0;

	ck_assert(range_parse("12345678901234567890:", &r, &why));
	ck_assert(r.start == t);
	ck_assert(!r.start_infinite);
	ck_assert(r.end_infinite);
	ck_assert(range_alerts(&r, t / 1.1));
	ck_assert(!range_alerts(&r, t));
	ck_assert(!range_alerts(&r, t * 2));
}
END_TEST

START_TEST(test_unset_never_alerts)
{
	struct range r;

	memset(&r, 0, sizeof(r));
	ck_assert(!range_alerts(&r, 1e9));
	ck_assert(!range_alerts(NULL, 1e9));
}
END_TEST

START_TEST(test_thresholds)
{
	/* warning "30", critical "60" */
	struct range w, c, none;
	const char *why = NULL;

	memset(&none, 0, sizeof(none));
	ck_assert(range_parse("30", &w, &why));
	ck_assert(range_parse("60", &c, &why));
	ck_assert_int_eq(range_state(15.3, &w, &c), STATE_OK);
	ck_assert_int_eq(range_state(30.0001, &w, &c), STATE_WARNING);
	ck_assert_int_eq(range_state(69, &w, &c), STATE_CRITICAL);
	/* only a critical "80" */
	ck_assert(range_parse("80", &c, &why));
	ck_assert_int_eq(range_state(79, &none, &c), STATE_OK);
	ck_assert_int_eq(range_state(81, &none, &c), STATE_CRITICAL);
	ck_assert_int_eq(range_state(81, NULL, NULL), STATE_OK);
	/* only a warning "5:33" */
	ck_assert(range_parse("5:33", &w, &why));
	ck_assert(w.start == 5 && w.end == 33);
	ck_assert_int_eq(range_state(4, &w, &none), STATE_WARNING);
}
END_TEST

START_TEST(test_german_locale)
{
	/* The decimal point stays '.' under a locale with a decimal comma. */
	struct range r;
	const char *why = NULL;

	if (setlocale(LC_NUMERIC, "de_DE.UTF-8") == NULL) {
		setlocale(LC_NUMERIC, "de_DE");
	}
	ck_assert(range_parse("~:5.75", &r, &why));
	ck_assert(r.end == 5.75);
	setlocale(LC_NUMERIC, "C");
}
END_TEST

START_TEST(test_state_worst)
{
	/* OK < UNKNOWN < WARNING < CRITICAL */
	ck_assert_int_eq(state_worst(STATE_OK, STATE_UNKNOWN), STATE_UNKNOWN);
	ck_assert_int_eq(state_worst(STATE_UNKNOWN, STATE_WARNING), STATE_WARNING);
	ck_assert_int_eq(state_worst(STATE_CRITICAL, STATE_UNKNOWN), STATE_CRITICAL);
	ck_assert_int_eq(state_worst(STATE_WARNING, STATE_CRITICAL), STATE_CRITICAL);
	ck_assert_int_eq(state_worst(STATE_OK, STATE_OK), STATE_OK);
	ck_assert_int_eq(state_worst(STATE_WARNING, STATE_OK), STATE_WARNING);
}
END_TEST

START_TEST(test_state_names)
{
	static const char *const yes[] = {"ok",       "OK",      "Warning", "critical",
					  "CRITICAL", "unknown", "UNKNOWN", "0",
					  "1",        "2",       "3"};
	static const enum state want[] = {STATE_OK,       STATE_OK,       STATE_WARNING,
					  STATE_CRITICAL, STATE_CRITICAL, STATE_UNKNOWN,
					  STATE_UNKNOWN,  STATE_OK,       STATE_WARNING,
					  STATE_CRITICAL, STATE_UNKNOWN};
	static const char *const no[] = {"", "bogus", "4", "-1", "crit", "okay", "00", " ok", NULL};
	enum state s;

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		ck_assert_msg(state_parse(yes[i], &s), "%s", yes[i]);
		ck_assert_int_eq(s, want[i]);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		ck_assert_msg(!state_parse(no[i], &s), "%s", no[i] ? no[i] : "NULL");
	}
	ck_assert_str_eq(state_name(STATE_OK), "OK");
	ck_assert_str_eq(state_name(STATE_WARNING), "WARNING");
	ck_assert_str_eq(state_name(STATE_CRITICAL), "CRITICAL");
	ck_assert_str_eq(state_name(STATE_UNKNOWN), "UNKNOWN");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("range");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_parse_good, 0, sizeof(good) / sizeof(good[0]));
	tcase_add_loop_test(tc, test_parse_bad, 0, sizeof(bad) / sizeof(bad[0]));
	tcase_add_test(tc, test_start_greater_than_end_reason);
	tcase_add_loop_test(tc, test_alerts, 0, sizeof(alerts) / sizeof(alerts[0]));
	tcase_add_test(tc, test_huge_start);
	tcase_add_test(tc, test_unset_never_alerts);
	tcase_add_test(tc, test_thresholds);
	tcase_add_test(tc, test_german_locale);
	tcase_add_test(tc, test_state_worst);
	tcase_add_test(tc, test_state_names);
	suite_add_tcase(s, tc);
	return s;
}
