/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Table-driven tests of the RFC 6376 3.2 tag=value parser. */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tagvalue.h"

/* Records are given with their length so they may hold NUL bytes. */
#define REC(s) s, sizeof(s) - 1

struct tv_case {
	const char *what;
	const char *rec;
	size_t len;
	size_t max_tags;
	enum tv_error error;
	/* Expected tags "name=value" joined with '|', for valid records and
	 * for the tags kept before an error. */
	const char *tags;
	const char *error_tag; /* NULL: not checked */
};

static const struct tv_case cases[] = {
	{"simple", REC("v=DKIM1; k=rsa; p=AB"), 16, TV_OK, "v=DKIM1|k=rsa|p=AB", NULL},
	{"trailing semicolon", REC("v=DMARC1; p=none;"), 16, TV_OK, "v=DMARC1|p=none", NULL},
	{"FWS around names and '='", REC(" \tv = DKIM1 ;\r\n k\t=\trsa \t"), 16, TV_OK,
	 "v=DKIM1|k=rsa", NULL},
	{"inner FWS kept in value", REC("p=AB CD\r\n\tEF ; n=x"), 16, TV_OK, "p=AB CD\r\n\tEF|n=x",
	 NULL},
	{"empty value", REC("v=DKIM1; p="), 16, TV_OK, "v=DKIM1|p=", NULL},
	{"empty value with spaces", REC("p=   ;k=rsa"), 16, TV_OK, "p=|k=rsa", NULL},
	{"empty tag-specs tolerated", REC(";;v=DMARC1;; ;p=none;;"), 16, TV_OK, "v=DMARC1|p=none",
	 NULL},
	{"'=' inside a value", REC("p=abc==; q=a=b"), 16, TV_OK, "p=abc==|q=a=b", NULL},
	{"tag names with digits and '_'", REC("a1_b=x; Z9=y"), 16, TV_OK, "a1_b=x|Z9=y", NULL},
	{"names are case-sensitive", REC("p=a; P=b"), 16, TV_OK, "p=a|P=b", NULL},
	{"exactly max_tags", REC("a=1;b=2;c=3"), 3, TV_OK, "a=1|b=2|c=3", NULL},
	{"many tags grow the array",
	 REC("a=1;b=2;c=3;d=4;e=5;f=6;g=7;h=8;i=9;"
	     "j=10"),
	 100, TV_OK, "a=1|b=2|c=3|d=4|e=5|f=6|g=7|h=8|i=9|j=10", NULL},

	{"empty record", REC(""), 16, TV_EMPTY, "", NULL},
	{"only whitespace", REC(" \t\r\n "), 16, TV_EMPTY, "", NULL},
	{"only semicolons", REC(" ; ;"), 16, TV_EMPTY, "", NULL},
	/* K-12: a TXT that is no tag list at all (haraka/Haraka#915) */
	{"K-12 not a tag list", REC("e.washingtonpost.com.sailthrudkim.com"), 16, TV_SYNTAX, "",
	 "e.washingtonpost.com.sailthrudkim.com"},
	{"K-09 tag without '='", REC("v=DKIM1; foo; p=AB"), 16, TV_SYNTAX, "v=DKIM1", "foo"},
	{"tag without '=' at the end", REC("v=DKIM1; foo"), 16, TV_SYNTAX, "v=DKIM1", "foo"},
	{"name starting with a digit", REC("1a=b"), 16, TV_SYNTAX, "", "1"},
	{"name starting with '_'", REC("_a=b"), 16, TV_SYNTAX, "", "_"},
	{"missing name", REC("=b"), 16, TV_SYNTAX, "", NULL},
	{"space inside a name", REC("a b=c"), 16, TV_SYNTAX, "", NULL},
	{"hyphen in name", REC("a-b=c"), 16, TV_SYNTAX, "", "a-b=c"},
	{"NUL in name", REC("v\0=DKIM1"), 16, TV_SYNTAX, "", NULL},
	{"NUL in value", REC("v=DKIM1; p=AB\0CD"), 16, TV_BAD_VALUE, "v=DKIM1", "p"},
	{"8-bit byte in value", REC("n=caf\xc3\xa9"), 16, TV_BAD_VALUE, "", "n"},
	{"control byte in value", REC("n=a\x1b[31m"), 16, TV_BAD_VALUE, "", "n"},
	{"DEL in value", REC("n=a\x7f"), 16, TV_BAD_VALUE, "", "n"},
	{"K-07 duplicate p", REC("v=DKIM1; p=AB; p=CD"), 16, TV_DUPLICATE, "v=DKIM1|p=AB", "p"},
	/* K-07: rspamd/rspamd#2999, two records glued together */
	{"K-07 glued records",
	 REC("v=DKIM1; k=ed25519;p=AAAAv=DKIM1; "
	     "k=rsa; p=BB"),
	 16, TV_DUPLICATE, "v=DKIM1|k=ed25519|p=AAAAv=DKIM1", "k"},
	{"M-03 duplicate p", REC("v=DMARC1; p=none; p=reject"), 16, TV_DUPLICATE, "v=DMARC1|p=none",
	 "p"},
	{"over max_tags", REC("a=1;b=2;c=3;d=4"), 3, TV_TOO_MANY, "a=1|b=2|c=3", "d"},
	{"max_tags zero", REC("a=1"), 0, TV_TOO_MANY, "", "a"},
};

/* Render the parsed tags as "name=value|..." for comparison. */
static void render(const struct tag_list *l, char *buf, size_t len)
{
	size_t k, used = 0;

	buf[0] = '\0';
	for (k = 0; k < l->n && used < len; k++) {
		int w = snprintf(buf + used, len - used, "%s%.*s=%.*s", k ? "|" : "",
				 (int)l->tags[k].name_len, l->tags[k].name,
				 (int)l->tags[k].value_len, l->tags[k].value);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

START_TEST(test_table)
{
	const struct tv_case *tc = &cases[_i];
	struct tag_list l;
	char got[512];
	bool ok;
	size_t k;

	ok = tag_list_parse(tc->rec, tc->len, tc->max_tags, &l);
	ck_assert_msg(ok == (tc->error == TV_OK), "%s: returned %d", tc->what, ok);
	ck_assert_msg(l.error == tc->error, "%s: error %d (%s), want %d", tc->what, l.error,
		      tv_error_str(l.error), tc->error);
	render(&l, got, sizeof(got));
	ck_assert_msg(strcmp(got, tc->tags) == 0, "%s: tags '%s', want '%s'", tc->what, got,
		      tc->tags);
	for (k = 0; k < l.n; k++)
		ck_assert_uint_eq(l.tags[k].index, k);
	if (tc->error_tag != NULL)
		ck_assert_msg(strcmp(l.error_tag, tc->error_tag) == 0,
			      "%s: error tag '%s', want '%s'", tc->what, l.error_tag,
			      tc->error_tag);
	tag_list_free(&l);
	ck_assert_ptr_null(l.tags);
}
END_TEST

START_TEST(test_find)
{
	struct tag_list l;
	const struct tag *t;

	ck_assert(tag_list_parse(REC("v=DKIM1; k=rsa; P=x; p=AB"), 8, &l));
	t = tag_list_find(&l, "p");
	ck_assert_ptr_nonnull(t);
	ck_assert_uint_eq(t->index, 3);
	ck_assert_uint_eq(t->value_len, 2);
	ck_assert(memcmp(t->value, "AB", 2) == 0);
	ck_assert_ptr_null(tag_list_find(&l, "h"));
	ck_assert_ptr_null(tag_list_find(&l, "ke"));
	ck_assert_ptr_null(tag_list_find(NULL, "p"));
	tag_list_free(&l);
	tag_list_free(&l); /* twice is harmless */
	tag_list_free(NULL);
}
END_TEST

START_TEST(test_error_pos)
{
	struct tag_list l;

	ck_assert(!tag_list_parse(REC("v=DKIM1; p=A\001B"), 8, &l));
	ck_assert_uint_eq(l.error_pos, 12);
	tag_list_free(&l);
	ck_assert(!tag_list_parse(REC("v=DKIM1; v=x"), 8, &l));
	ck_assert_uint_eq(l.error_pos, 9);
	tag_list_free(&l);
}
END_TEST

/* The record is not read past len: a value that would continue with an
 * invalid byte right after the buffer still parses. */
START_TEST(test_length_bound)
{
	struct tag_list l;
	const char buf[] = "p=AB\001garbage";

	ck_assert(tag_list_parse(buf, 4, 8, &l));
	ck_assert_uint_eq(l.n, 1);
	ck_assert_uint_eq(l.tags[0].value_len, 2);
	tag_list_free(&l);
	ck_assert(!tag_list_parse(NULL, 0, 8, &l));
	ck_assert_int_eq(l.error, TV_EMPTY);
	tag_list_free(&l);
}
END_TEST

/* A big list: 1,000 tags under a cap of 1,000 (M-02), then one more. */
START_TEST(test_many)
{
	struct tag_list l;
	char *buf = malloc(1001 * 16);
	size_t used = 0, k;

	ck_assert_ptr_nonnull(buf);
	for (k = 0; k < 1001; k++)
		used += (size_t)sprintf(buf + used, "t%zu=%zu;", k, k);
	ck_assert(!tag_list_parse(buf, used, 1000, &l));
	ck_assert_int_eq(l.error, TV_TOO_MANY);
	ck_assert_uint_eq(l.n, 1000);
	tag_list_free(&l);
	ck_assert(tag_list_parse(buf, used, 1001, &l));
	ck_assert_uint_eq(l.n, 1001);
	tag_list_free(&l);
	free(buf);
}
END_TEST

START_TEST(test_strings)
{
	ck_assert_str_eq(tv_error_str(TV_DUPLICATE), "duplicate tag");
	ck_assert_ptr_nonnull(tv_error_str((enum tv_error)99));
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("tagvalue");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_table, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_error_pos);
	tcase_add_test(tc, test_length_bound);
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_strings);
	suite_add_tcase(s, tc);
	return s;
}
