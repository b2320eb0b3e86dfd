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

Suite *unit_suite(void)
{
	Suite *s = suite_create("finding");
	TCase *tc = tcase_create("list");

	tcase_add_test(tc, test_order_and_worst);
	tcase_add_test(tc, test_bounds);
	suite_add_tcase(s, tc);
	return s;
}
