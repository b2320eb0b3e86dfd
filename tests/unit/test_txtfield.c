/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The versioned-TXT helper (common/txtfield.h txtv_*): each flag on its
 * own, the near-miss rule with and without WSP around '=', and selection
 * over a set with skipped elements.
 */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "txtfield.h"

#define REC(s) (s), (sizeof(s) - 1)

/* RFC 8461 3.1 style: exact "v=", ';' or WSP or end after the value */
static const struct txtv strict = {"STSv1", "stsv", 0};
/* tag-value style, as DMARC and BIMI */
static const struct txtv tagval = {"DMARC1", "dmarc",
				   TXTV_TAG_ANY_CASE | TXTV_WSP_AROUND_EQ | TXTV_WSP_THEN_SEMI |
					   TXTV_WSP_CRLF};
static const struct txtv tight = {"DMARC1", "dmarc",
				  TXTV_TAG_ANY_CASE | TXTV_WSP_AROUND_EQ | TXTV_WSP_THEN_SEMI |
					  TXTV_WSP_CRLF | TXTV_NEAR_TIGHT_EQ};

START_TEST(test_match_strict)
{
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1")), 7);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1; id=1")), 7);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1 ;id=1")), 7);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1\tx")), 7); /* WSP ends it */
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv10")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("V=STSv1")), 0);   /* %s"v=" */
	ck_assert_uint_eq(txtv_match(&strict, REC("v = STSv1")), 0); /* no WSP at '=' */
	ck_assert_uint_eq(txtv_match(&strict, REC("v=stsv1")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC(" v=STSv1")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1\r")), 0); /* CR is not WSP */
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STS")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("v")), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("")), 0);
	ck_assert_uint_eq(txtv_match(&strict, NULL, 0), 0);
	ck_assert_uint_eq(txtv_match(&strict, NULL, 9), 0);
	/* the length bounds the record, not a NUL */
	ck_assert_uint_eq(txtv_match(&strict, "v=STSv1x", 7), 7);
	ck_assert_uint_eq(txtv_match(&strict, "v=STSv1", 6), 0);
	ck_assert_uint_eq(txtv_match(&strict, REC("v=STSv1\0")), 0);
}
END_TEST

START_TEST(test_match_tagvalue)
{
	ck_assert_uint_eq(txtv_match(&tagval, REC("v=DMARC1")), 8);
	ck_assert_uint_eq(txtv_match(&tagval, REC("V=DMARC1; p=none")), 8);
	ck_assert_uint_eq(txtv_match(&tagval, REC("v = DMARC1 ; p=none")), 10);
	ck_assert_uint_eq(txtv_match(&tagval, REC("v\r\n=\tDMARC1\r\n")), 11);
	ck_assert_uint_eq(txtv_match(&tagval, REC("v=DMARC1 p=none")), 0); /* WSP then ';' */
	ck_assert_uint_eq(txtv_match(&tagval, REC("v=dmarc1")), 0);
	ck_assert_uint_eq(txtv_match(&tagval, REC(" v=DMARC1")), 0);
	ck_assert_uint_eq(txtv_match(&tagval, REC("v = ")), 0);
	/* without TXTV_WSP_CRLF a CR is not skipped */
	{
		static const struct txtv nocrlf = {"DMARC1", "dmarc",
						   TXTV_WSP_AROUND_EQ | TXTV_WSP_THEN_SEMI};

		ck_assert_uint_eq(txtv_match(&nocrlf, REC("v =\tDMARC1 ;")), 10);
		ck_assert_uint_eq(txtv_match(&nocrlf, REC("v=DMARC1\r;")), 0);
		ck_assert_uint_eq(txtv_match(&nocrlf, REC("V=DMARC1")), 0);
	}
}
END_TEST

START_TEST(test_near_miss)
{
	/* spaced '=' allowed without TXTV_NEAR_TIGHT_EQ */
	ck_assert(txtv_near_miss(&strict, REC("V=STSv1")));
	ck_assert(txtv_near_miss(&strict, REC(" v=STSv1")));
	ck_assert(txtv_near_miss(&strict, REC("v = STSv1")));
	ck_assert(txtv_near_miss(&strict, REC("v=STSv10")));
	ck_assert(txtv_near_miss(&strict, REC("v=stsv1")));
	ck_assert(txtv_near_miss(&strict, REC("v=stsv")));
	ck_assert(!txtv_near_miss(&strict, REC("v=STSv1"))); /* a record */
	ck_assert(!txtv_near_miss(&strict, REC("v=sts")));
	ck_assert(!txtv_near_miss(&strict, REC("x=stsv1")));
	ck_assert(!txtv_near_miss(&strict, REC("v stsv1")));
	ck_assert(!txtv_near_miss(&strict, REC("\rv=stsv1"))); /* CR: not WSP here */
	ck_assert(!txtv_near_miss(&strict, REC("")));
	ck_assert(!txtv_near_miss(&strict, NULL, 0));
	ck_assert(!txtv_near_miss(&strict, NULL, 5));
	ck_assert(txtv_near_miss(&tagval, REC("\r\nv = dmarc1")));
	ck_assert(txtv_near_miss(&tagval, REC("v=DMARC1 p=none")));
	ck_assert(!txtv_near_miss(&tagval, REC("v = DMARC1;")));
	/* TXTV_NEAR_TIGHT_EQ: no WSP at '=' */
	ck_assert(txtv_near_miss(&tight, REC("  v=DMARC1; p=none")));
	ck_assert(txtv_near_miss(&tight, REC("V=DMARC10")));
	ck_assert(!txtv_near_miss(&tight, REC("v =dmarc1")));
	ck_assert(!txtv_near_miss(&tight, REC("v= dmarc1")));
	ck_assert(!txtv_near_miss(&tight, REC("v=dm")));
}
END_TEST

struct item {
	const char *p;
	size_t len;
	bool skip;
};

static bool item_text(const void *set, size_t i, const char **rec, size_t *len)
{
	const struct item *it = (const struct item *)set + i;

	*rec = it->p;
	*len = it->len;
	return !it->skip;
}

START_TEST(test_select)
{
	const struct item set[] = {
		{REC("v=spf1 -all"), false},  {REC("v=stsv1"), false},       {REC("v=STSv1"), true},
		{REC("v=STSv1;id=2"), false}, {REC("V=STSv1"), true},        {NULL, 0, false},
		{REC("v=STSv10"), false},     {REC("v=STSv1 ;id=3"), false},
	};
	const size_t n = sizeof(set) / sizeof(set[0]);
	struct txtv_pick pick;
	size_t i;

	txtv_select(&strict, set, n, item_text, &pick);
	ck_assert_uint_eq(pick.count, 2); /* index 2 is skipped */
	ck_assert_uint_eq(pick.first, 3);
	ck_assert_uint_eq(pick.near_total, 2); /* index 4 is skipped */
	i = txtv_next_near(&strict, set, n, item_text, 0);
	ck_assert_uint_eq(i, 1);
	i = txtv_next_near(&strict, set, n, item_text, i + 1);
	ck_assert_uint_eq(i, 6);
	ck_assert_uint_eq(txtv_next_near(&strict, set, n, item_text, i + 1), n);

	txtv_select(&strict, set, 1, item_text, &pick);
	ck_assert_uint_eq(pick.count, 0);
	ck_assert_uint_eq(pick.first, 1); /* n when none */
	ck_assert_uint_eq(pick.near_total, 0);
	txtv_select(&strict, NULL, 0, item_text, &pick);
	ck_assert_uint_eq(pick.count, 0);
	ck_assert_uint_eq(pick.first, 0);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("txtfield");
	TCase *tc = tcase_create("txtv");

	tcase_add_test(tc, test_match_strict);
	tcase_add_test(tc, test_match_tagvalue);
	tcase_add_test(tc, test_near_miss);
	tcase_add_test(tc, test_select);
	suite_add_tcase(s, tc);
	return s;
}
