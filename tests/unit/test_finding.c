/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The finding list (common/finding.c): order, bounds, worst state. */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "finding.h"

START_TEST(test_order_and_worst)
{
	struct finding_list l = {0};

	ck_assert_int_eq(finding_list_worst(&l), STATE_OK);
	ck_assert(finding_add(&l, 1, STATE_WARNING, 0, "weak %d", 1024));
	ck_assert(finding_add(&l, 2, STATE_CRITICAL, 1, "only with -v"));
	ck_assert(finding_add(&l, 3, STATE_UNKNOWN, 0, "odd"));
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0].text, "weak 1024");
	ck_assert_int_eq(l.v[1].verbose, 1);
	/* -v findings are not counted; UNKNOWN ranks under WARNING */
	ck_assert_int_eq(finding_list_worst(&l), STATE_WARNING);
	ck_assert_ptr_eq(finding_find(&l, 3), &l.v[2]);
	ck_assert_ptr_null(finding_find(&l, 9));
	finding_list_clear(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.v);
}
END_TEST

START_TEST(test_bounds)
{
	struct finding_list l = {0};
	char big[2 * FINDING_TEXT_MAX];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (int i = 0; i < FINDING_LIST_MAX + 5; i++) {
		finding_add(&l, i, STATE_OK, 0, "%s", big);
	}
	ck_assert_uint_eq(l.n, FINDING_LIST_MAX);
	ck_assert_uint_eq(l.dropped, 5);
	ck_assert_uint_eq(strlen(l.v[0].text), FINDING_TEXT_MAX - 1);
	ck_assert(!finding_add_dns(&l, 7, NULL, "one too many"));
	finding_list_clear(&l);
	ck_assert(finding_add_dns(&l, 7, NULL, "SPF record"));
	ck_assert_int_eq(l.v[0].state, STATE_CRITICAL);
	finding_list_clear(&l);
}
END_TEST

/* finding_add_bounded(): the worse takes the last place, the list's worst
 * is the worst of all added, what is left out is counted with its state */
START_TEST(test_bounded_policy)
{
	struct finding_list l = {0};

	ck_assert(finding_add_bounded(&l, 3, 1, STATE_WARNING, 0, "w1"));
	ck_assert(finding_add_bounded(&l, 3, 2, STATE_OK, 0, "ok"));
	ck_assert(finding_add_bounded(&l, 3, 3, STATE_OK, 2, "ok -vv"));
	ck_assert_uint_eq(l.dropped, 0);
	ck_assert_int_eq(l.dropped_worst, STATE_OK);
	/* full: a -v finding never displaces; an equal one neither */
	ck_assert(!finding_add_bounded(&l, 3, 4, STATE_CRITICAL, 1, "crit -v"));
	ck_assert_uint_eq(l.dropped, 1);
	ck_assert_int_eq(l.dropped_worst, STATE_OK); /* -v ones do not count */
	/* an OK one shown by default outranks the -v one in the last place */
	ck_assert(finding_add_bounded(&l, 3, 5, STATE_OK, 0, "ok2"));
	ck_assert_str_eq(l.v[2].text, "ok2");
	ck_assert_uint_eq(l.dropped, 2);
	ck_assert(!finding_add_bounded(&l, 3, 6, STATE_OK, 0, "ok3"));
	ck_assert(finding_add_bounded(&l, 3, 7, STATE_UNKNOWN, 0, "unknown %d", 7));
	ck_assert_str_eq(l.v[2].text, "unknown 7");
	ck_assert_int_eq(l.dropped_worst, STATE_OK);
	ck_assert(finding_add_bounded(&l, 3, 8, STATE_CRITICAL, 0, "crit"));
	ck_assert(!finding_add_bounded(&l, 3, 9, STATE_CRITICAL, 0, "crit again"));
	ck_assert(!finding_add_bounded(&l, 3, 10, STATE_WARNING, 0, "w2"));
	ck_assert_uint_eq(l.n, 3);
	ck_assert_str_eq(l.v[0].text, "w1");
	ck_assert_str_eq(l.v[1].text, "ok");
	ck_assert_int_eq(l.v[2].code, 8);
	ck_assert_uint_eq(l.dropped, 7);
	/* dropped: crit -v, ok -vv, ok3, ok2, unknown 7, crit again, w2 */
	ck_assert_int_eq(l.dropped_worst, STATE_CRITICAL);
	ck_assert_int_eq(finding_list_worst(&l), STATE_CRITICAL);
	finding_list_clear(&l);
	ck_assert_uint_eq(l.dropped, 0);
	ck_assert_int_eq(l.dropped_worst, STATE_OK);

	/* max 0 keeps nothing; max over FINDING_LIST_MAX is FINDING_LIST_MAX */
	ck_assert(!finding_add_bounded(&l, 0, 1, STATE_WARNING, 0, "none"));
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(l.dropped_worst, STATE_WARNING);
	finding_list_clear(&l);
	for (int i = 0; i < FINDING_LIST_MAX + 2; i++) {
		finding_add_bounded(&l, FINDING_LIST_MAX + 9, i, STATE_OK, 0, "%d", i);
	}
	ck_assert_uint_eq(l.n, FINDING_LIST_MAX);
	ck_assert_uint_eq(l.dropped, 2);
	finding_list_clear(&l);
}
END_TEST

/* finding_add() past FINDING_LIST_MAX keeps the worst dropped state too */
START_TEST(test_dropped_worst)
{
	struct finding_list l = {0};

	for (int i = 0; i < FINDING_LIST_MAX; i++) {
		finding_add(&l, i, STATE_OK, 0, "ok");
	}
	ck_assert(!finding_add(&l, 1, STATE_CRITICAL, 1, "-v"));
	ck_assert_int_eq(l.dropped_worst, STATE_OK);
	ck_assert(!finding_add(&l, 1, STATE_WARNING, 0, "w"));
	ck_assert(!finding_add(&l, 1, STATE_OK, 0, "ok"));
	ck_assert_uint_eq(l.dropped, 3);
	ck_assert_int_eq(l.dropped_worst, STATE_WARNING);
	finding_list_clear(&l);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("finding");
	TCase *tc = tcase_create("list");

	tcase_add_test(tc, test_order_and_worst);
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_bounded_policy);
	tcase_add_test(tc, test_dropped_worst);
	suite_add_tcase(s, tc);
	return s;
}
