/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Table-driven tests of the MTA-STS parsers (common/mta_sts.c, RFC 8461):
 * the TXT record and its selection (3.1), the policy body (3.2), its
 * Content-Type (3.3), MX pattern matching (4.1) and the policy built for
 * a fix. Every P-01, P-02, P-03, H-05 and H-06 input of
 * doc/hostile-inputs.md 4.8 is a case named by its ID, and so are the
 * RFC's own examples.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "bounds.h"
#include "mta_sts.h"
#include "resolver.h"

#define REC(s) s, sizeof(s) - 1
#define NONE   (-1) /* no finding shown by default worse than OK */

/* The finding with code (0: any) whose text holds sub (NULL: any). */
static const struct finding *find(const struct finding_list *l, int code, const char *sub)
{
	for (size_t i = 0; i < l->n; i++) {
		if ((code == 0 || l->v[i].code == code) &&
		    (sub == NULL || strstr(l->v[i].text, sub) != NULL)) {
			return &l->v[i];
		}
	}
	return NULL;
}

static const char *first_text(const struct finding_list *l)
{
	return l->n > 0 ? l->v[0].text : "-";
}

/* Every finding has its code's default state (HACKING.md 6), but those
 * that count others ("N more ... not listed"), which have their worst. */
static void states_from_table(const struct finding_list *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++) {
		if (strstr(l->v[i].text, "more problems of this kind") != NULL) {
			continue;
		}
		ck_assert_msg(l->v[i].state == mta_sts_default_state(l->v[i].code),
			      "%s: state of %s", name, l->v[i].text);
	}
}

/* ------------------------------------------------------------ TXT record */

struct rcase {
	const char *name;
	const char *rec;
	size_t len;
	bool is_sts;
	bool valid;
	int worst;       /* state, or NONE */
	int code;        /* a finding with this code ... (0: none asked) */
	const char *sub; /* ... and this text */
	const char *id;  /* the id kept, or "" */
};

static const struct rcase rcases[] = {
	/* RFC 8461 3.1's example */
	{"RFC 8461 3.1 example", REC("v=STSv1; id=20160831085700Z;"), true, true, NONE, 0, NULL,
	 "20160831085700Z"},
	{"no spaces", REC("v=STSv1;id=abc123"), true, true, NONE, 0, NULL, "abc123"},
	{"id of 32", REC("v=STSv1; id=abcdefghijklmnopqrstuvwxyz012345"), true, true, NONE, 0, NULL,
	 "abcdefghijklmnopqrstuvwxyz012345"},
	{"id of 1", REC("v=STSv1; id=1"), true, true, NONE, 0, NULL, "1"},
	{"extension field", REC("v=STSv1; id=1; foo=bar"), true, true, NONE, MTA_STS_REC_EXTENSION,
	 "foo", "1"},
	{"extension before id", REC("v=STSv1; x.y-z_=1:2; id=7"), true, true, NONE, 0, NULL, "7"},

	/* P-01: an id of 33 characters, a non-alphanumeric id */
	{"P-01 id of 33", REC("v=STSv1; id=abcdefghijklmnopqrstuvwxyz0123456"), true, false,
	 STATE_CRITICAL, MTA_STS_REC_ID_INVALID, "33 characters, at most 32", ""},
	{"P-01 id with dashes", REC("v=STSv1; id=2024-01-01"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_ID_INVALID, "id=2024-01-01: only letters and digits are allowed, not -", ""},
	{"P-01 id with a dot", REC("v=STSv1; id=1.0"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_ID_INVALID, "not .", ""},
	{"P-01 id with NUL", REC("v=STSv1; id=ab\0c"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_ID_INVALID, "id=ab\\x00c", ""},
	{"P-01 id with UTF-8", REC("v=STSv1; id=caf\xc3\xa9"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_ID_INVALID, "only letters and digits", ""},
	{"P-01 empty id", REC("v=STSv1; id="), true, false, STATE_CRITICAL, MTA_STS_REC_ID_INVALID,
	 "id= is empty", ""},
	{"P-01 no id", REC("v=STSv1;"), true, false, STATE_CRITICAL, MTA_STS_REC_ID_MISSING,
	 "no id= field", ""},
	{"P-01 v=STSv1 alone", REC("v=STSv1"), true, false, STATE_CRITICAL, MTA_STS_REC_ID_MISSING,
	 NULL, ""},
	{"P-01 ID in capitals", REC("v=STSv1; ID=abc"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_FIELD_CASE, "case-sensitive", ""},
	{"P-01 id twice", REC("v=STSv1; id=abc; id=def"), true, true, STATE_WARNING,
	 MTA_STS_REC_DUPLICATE, "senders use the first, id=abc", "abc"},

	/* not a record: v=STSv1 first, case-sensitive */
	{"V capital", REC("V=STSv1; id=1"), false, false, STATE_CRITICAL, MTA_STS_REC_NOT_RECORD,
	 "must begin with v=STSv1", ""},
	{"v=STSv10", REC("v=STSv10; id=1"), false, false, STATE_CRITICAL, MTA_STS_REC_NOT_RECORD,
	 NULL, ""},
	{"leading space", REC(" v=STSv1; id=1"), false, false, STATE_CRITICAL,
	 MTA_STS_REC_NOT_RECORD, NULL, ""},
	{"not first", REC("id=1; v=STSv1"), false, false, STATE_CRITICAL, MTA_STS_REC_NOT_RECORD,
	 NULL, ""},
	{"empty", REC(""), false, false, STATE_CRITICAL, MTA_STS_REC_NOT_RECORD, NULL, ""},

	/* the grammar */
	{"no ; after v=", REC("v=STSv1 id=1"), true, false, STATE_CRITICAL, MTA_STS_REC_SYNTAX,
	 "separated by ';'", ""},
	{"spaces around =", REC("v=STSv1; id = 1"), true, false, STATE_CRITICAL, MTA_STS_REC_SYNTAX,
	 "no spaces around '='", ""},
	{"field without =", REC("v=STSv1; id=1; junk"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_SYNTAX, "field junk has no '='", "1"},
	{"bad extension name", REC("v=STSv1; id=1; _x=1"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_SYNTAX, "not a valid extension field", "1"},
	{"bad extension value", REC("v=STSv1; id=1; x=a\xff"), true, false, STATE_CRITICAL,
	 MTA_STS_REC_SYNTAX, "x=a\\xff", "1"},
	{"extension name of 33", REC("v=STSv1; id=1; abcdefghijklmnopqrstuvwxyz0123456=1"), true,
	 false, STATE_CRITICAL, MTA_STS_REC_SYNTAX, NULL, "1"},
	{"space before ;", REC("v=STSv1 ; id=1"), true, true, STATE_WARNING, MTA_STS_REC_SPACING,
	 "\"v=STSv1;\"", "1"},
	{"empty field", REC("v=STSv1;; id=1"), true, true, STATE_WARNING, MTA_STS_REC_SPACING,
	 "empty field", "1"},
	{"trailing space", REC("v=STSv1; id=1 "), true, true, STATE_WARNING, MTA_STS_REC_SPACING,
	 "space at the end", "1"},
	{"trailing ; and space", REC("v=STSv1; id=1;  "), true, true, NONE, 0, NULL, "1"},
	{"tabs around ;", REC("v=STSv1;\tid=1\t;"), true, true, NONE, 0, NULL, "1"},
	{"v twice", REC("v=STSv1; id=1; v=STSv1"), true, true, STATE_WARNING, MTA_STS_REC_DUPLICATE,
	 "v= twice", "1"},
};

START_TEST(test_record)
{
	const struct rcase *c = &rcases[_i];
	struct mta_sts_record *r = mta_sts_record_parse(c->rec, c->len);

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(mta_sts_is_record(c->rec, c->len) == c->is_sts, "%s: is_record", c->name);
	ck_assert_msg(r->is_sts == c->is_sts, "%s: is_sts", c->name);
	ck_assert_msg(r->valid == c->valid, "%s: valid %d (first: %s)", c->name, r->valid,
		      first_text(&r->findings));
	if (c->worst == NONE) {
		ck_assert_msg(finding_list_worst(&r->findings) == STATE_OK, "%s: finding %s",
			      c->name, first_text(&r->findings));
	} else {
		ck_assert_msg((int)finding_list_worst(&r->findings) == c->worst,
			      "%s: worst %d (first: %s)", c->name,
			      (int)finding_list_worst(&r->findings), first_text(&r->findings));
	}
	if (c->code != 0 || c->sub != NULL) {
		ck_assert_msg(find(&r->findings, c->code, c->sub) != NULL,
			      "%s: no finding %d \"%s\" (first: %s)", c->name, c->code,
			      c->sub ? c->sub : "", first_text(&r->findings));
	}
	ck_assert_msg(strcmp(r->id, c->id) == 0, "%s: id \"%s\"", c->name, r->id);
	states_from_table(&r->findings, c->name);
	mta_sts_record_free(r);
}
END_TEST

static struct dns_rr txt_rr(const char *s, size_t n)
{
	struct dns_rr rr;

	memset(&rr, 0, sizeof(rr));
	rr.type = DNS_T_TXT;
	rr.u.txt.data = (const uint8_t *)s;
	rr.u.txt.len = n;
	rr.u.txt.nstrings = 1;
	return rr;
}

START_TEST(test_select)
{
	struct finding_list fl = {0};
	const struct dns_rr *chosen;
	struct dns_rr rr[4];

	/* one record among others */
	rr[0] = txt_rr(REC("v=spf1 -all"));
	rr[1] = txt_rr(REC("v=STSv1; id=1"));
	rr[2] = txt_rr(REC("google-site-verification=x"));
	ck_assert_uint_eq(mta_sts_record_select(rr, 3, &fl, &chosen), 1);
	ck_assert_ptr_eq(chosen, &rr[1]);
	ck_assert_uint_eq(fl.n, 0);

	/* P-01: two v=STSv1 records */
	rr[2] = txt_rr(REC("v=STSv1; id=2"));
	ck_assert_uint_eq(mta_sts_record_select(rr, 3, &fl, &chosen), 2);
	ck_assert_ptr_null(chosen);
	ck_assert_ptr_nonnull(find(&fl, MTA_STS_REC_MULTIPLE, "2 MTA-STS records"));
	ck_assert_int_eq(finding_list_worst(&fl), STATE_CRITICAL);
	finding_list_clear(&fl);

	/* none: nothing added, the caller decides */
	ck_assert_uint_eq(mta_sts_record_select(rr, 1, &fl, &chosen), 0);
	ck_assert_ptr_null(chosen);
	ck_assert_uint_eq(fl.n, 0);

	/* a misspelt record is shown, and is not one */
	rr[0] = txt_rr(REC("v=stsv1; id=1"));
	rr[1] = txt_rr(REC("V = STSv1; id=1"));
	rr[2] = txt_rr(REC("v=STSv1\0; id=1"));
	ck_assert_uint_eq(mta_sts_record_select(rr, 3, &fl, &chosen), 0);
	ck_assert_uint_eq(fl.n, 3);
	ck_assert_ptr_nonnull(find(&fl, MTA_STS_REC_NEAR_MISS, "v=stsv1; id=1"));
	ck_assert_int_eq(finding_list_worst(&fl), STATE_WARNING);
	finding_list_clear(&fl);

	/* another type is not looked at */
	rr[0] = txt_rr(REC("v=STSv1; id=1"));
	rr[0].type = DNS_T_MX;
	ck_assert_uint_eq(mta_sts_record_select(rr, 1, &fl, &chosen), 0);
	finding_list_clear(&fl);
}
END_TEST

/* ----------------------------------------------------------- policy body */

struct pcase {
	const char *name;
	const char *body;
	size_t len;
	bool valid;
	int worst;
	int code;
	const char *sub;
	enum mta_sts_mode mode;
	long max_age; /* -1: no valid max_age */
	size_t nmx;
	enum mta_sts_eol eol;
};

#define EX_CRLF                                                                                    \
	"version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"         \
	"mx: backupmx.example.com\r\nmax_age: 604800\r\n"
#define HEAD      "version: STSv1\nmode: enforce\nmx: mail.example.com\n"
#define HEAD_NOMX "version: STSv1\nmode: enforce\n"

static const struct pcase pcases[] = {
	/* RFC 8461 3.2's example, with CRLF as its text says and LF as its
	 * grammar allows */
	{"RFC 8461 3.2 example", REC(EX_CRLF), true, NONE, MTA_STS_POL_EOL, "CRLF",
	 MTA_STS_MODE_ENFORCE, 604800, 3, MTA_STS_EOL_CRLF},
	{"RFC 8461 3.2 example, LF",
	 REC("version: STSv1\nmode: enforce\nmx: mail.example.com\n"
	     "mx: *.example.net\nmx: backupmx.example.com\n"
	     "max_age: 604800\n"),
	 true, NONE, MTA_STS_POL_EOL, "LF", MTA_STS_MODE_ENFORCE, 604800, 3, MTA_STS_EOL_LF},
	{"no final line end",
	 REC("version: STSv1\r\nmode: testing\r\nmx: a.example\r\n"
	     "max_age: 86400"),
	 true, NONE, 0, NULL, MTA_STS_MODE_TESTING, 86400, 1, MTA_STS_EOL_CRLF},
	{"mixed line ends",
	 REC("version: STSv1\r\nmode: testing\nmx: a.example\r\n"
	     "max_age: 86400\n"),
	 true, STATE_OK, MTA_STS_POL_EOL, "mixed: 2 CRLF, 2 LF", MTA_STS_MODE_TESTING, 86400, 1,
	 MTA_STS_EOL_MIXED},
	{"mode none without mx", REC("version: STSv1\nmode: none\nmax_age: 86400\n"), true, NONE, 0,
	 NULL, MTA_STS_MODE_NONE, 86400, 0, MTA_STS_EOL_LF},
	{"fields in any order",
	 REC("max_age: 86400\nmx: a.example\nmode: enforce\n"
	     "version: STSv1\n"),
	 true, NONE, 0, NULL, MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"no space after :", REC("version:STSv1\nmode:enforce\nmx:a.example\nmax_age:86400\n"),
	 true, NONE, 0, NULL, MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"trailing spaces",
	 REC("version: STSv1  \nmode: enforce\t\nmx: a.example \n"
	     "max_age: 86400 \n"),
	 true, NONE, 0, NULL, MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"unknown field", REC(HEAD "max_age: 86400\nfoo: bar\n"), true, STATE_OK,
	 MTA_STS_POL_UNKNOWN, "fields senders ignore (RFC 8461 3.2): foo (1 in all)",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},

	/* P-03: max_age */
	{"P-03 max_age 0", REC(HEAD "max_age: 0\n"), true, STATE_WARNING, MTA_STS_POL_MAX_AGE_SHORT,
	 "max_age: 0 s is under a day: senders keep the policy for no time", MTA_STS_MODE_ENFORCE,
	 0, 1, MTA_STS_EOL_LF},
	{"P-03 max_age under a day", REC(HEAD "max_age: 86399\n"), true, STATE_WARNING,
	 MTA_STS_POL_MAX_AGE_SHORT, "86399 s is under a day", MTA_STS_MODE_ENFORCE, 86399, 1,
	 MTA_STS_EOL_LF},
	{"P-03 max_age a day", REC(HEAD "max_age: 86400\n"), true, NONE, 0, NULL,
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-03 max_age a year", REC(HEAD "max_age: 31557600\n"), true, NONE, 0, NULL,
	 MTA_STS_MODE_ENFORCE, 31557600, 1, MTA_STS_EOL_LF},
	{"P-03 max_age over a year", REC(HEAD "max_age: 31557601\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, "max_age: 31557601: over a year; RFC 8461 3.2 allows 0 to 31557600",
	 MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"P-03 max_age negative", REC(HEAD "max_age: -1\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, "max_age: -1: not a number of seconds", MTA_STS_MODE_ENFORCE, -1, 1,
	 MTA_STS_EOL_LF},
	{"P-03 max_age 2^64", REC(HEAD "max_age: 18446744073709551616\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, "18446744073709551616: over a year", MTA_STS_MODE_ENFORCE, -1, 1,
	 MTA_STS_EOL_LF},
	{"P-03 max_age 2^32", REC(HEAD "max_age: 4294967296\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, "over a year", MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"P-03 max_age 11 digits", REC(HEAD "max_age: 00000086400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, NULL, MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"P-03 max_age 10 digits", REC(HEAD "max_age: 0000086400\n"), true, NONE, 0, NULL,
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-03 max_age 1w", REC(HEAD "max_age: 1w\n"), false, STATE_CRITICAL, MTA_STS_POL_MAX_AGE,
	 "not a number", MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"P-03 max_age empty", REC(HEAD "max_age:\n"), false, STATE_CRITICAL, MTA_STS_POL_MAX_AGE,
	 NULL, MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"P-03 max_age +86400", REC(HEAD "max_age: +86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MAX_AGE, NULL, MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},

	/* required fields and their values */
	{"no version", REC("mode: enforce\nmx: a.example\nmax_age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MISSING, "no version field", MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"no mode", REC("version: STSv1\nmx: a.example\nmax_age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MISSING, "no mode field", MTA_STS_MODE_UNSET, 86400, 1, MTA_STS_EOL_LF},
	{"no max_age", REC(HEAD), false, STATE_CRITICAL, MTA_STS_POL_MISSING, "no max_age field",
	 MTA_STS_MODE_ENFORCE, -1, 1, MTA_STS_EOL_LF},
	{"no mx in enforce", REC(HEAD_NOMX "max_age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MX_MISSING, "mode enforce needs at least one", MTA_STS_MODE_ENFORCE, 86400, 0,
	 MTA_STS_EOL_LF},
	{"version STSv2", REC("version: STSv2\nmode: none\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_VERSION, "version: STSv2: must be STSv1", MTA_STS_MODE_NONE,
	 86400, 0, MTA_STS_EOL_LF},
	{"version stsv1", REC("version: stsv1\nmode: none\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_VERSION, NULL, MTA_STS_MODE_NONE, 86400, 0, MTA_STS_EOL_LF},
	{"mode Enforce", REC("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_MODE, "case-sensitive, write enforce",
	 MTA_STS_MODE_UNSET, 86400, 1, MTA_STS_EOL_LF},
	{"mode report", REC("version: STSv1\nmode: report\nmx: a.example\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MODE, "must be enforce, testing or none", MTA_STS_MODE_UNSET,
	 86400, 1, MTA_STS_EOL_LF},
	{"Mode: a misspelt field",
	 REC("version: STSv1\nMode: enforce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_FIELD_CASE, "Mode is not the field mode",
	 MTA_STS_MODE_UNSET, 86400, 1, MTA_STS_EOL_LF},
	{"max-age: a misspelt field", REC(HEAD "max-age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_FIELD_CASE, "max-age is not the field max_age", MTA_STS_MODE_ENFORCE, -1, 1,
	 MTA_STS_EOL_LF},
	{"duplicate mode",
	 REC("version: STSv1\nmode: testing\nmode: enforce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 true, STATE_WARNING, MTA_STS_POL_DUPLICATE,
	 "line 3: mode: enforce repeats the field of line 2: senders ignore it",
	 MTA_STS_MODE_TESTING, 86400, 1, MTA_STS_EOL_LF},
	{"duplicate invalid version",
	 REC("version: STSv2\nversion: STSv1\nmode: none\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_VERSION, NULL, MTA_STS_MODE_NONE, 86400, 0,
	 MTA_STS_EOL_LF},
	{"space before :", REC("version: STSv1\nmode : enforce\nmx: a.example\nmax_age: 86400\n"),
	 true, STATE_WARNING, MTA_STS_POL_LINE_SYNTAX, "space after the field name",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"not key: value", REC(HEAD "max_age: 86400\nhello\n"), true, STATE_WARNING,
	 MTA_STS_POL_LINE_SYNTAX, "line 5: not a \"key: value\" field", MTA_STS_MODE_ENFORCE, 86400,
	 1, MTA_STS_EOL_LF},
	{"comment line", REC(HEAD "max_age: 86400\n# note: x\n"), true, STATE_WARNING,
	 MTA_STS_POL_LINE_SYNTAX, "# note is not a field name", MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
	{"blank line", REC("version: STSv1\n\nmode: enforce\nmx: a.example\nmax_age: 86400\n\n"),
	 true, STATE_WARNING, MTA_STS_POL_LINE_SYNTAX, "2 blank lines (the first: line 2)",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"empty body", REC(""), false, STATE_CRITICAL, MTA_STS_POL_MISSING, "no version field",
	 MTA_STS_MODE_UNSET, -1, 0, MTA_STS_EOL_NONE},
	{"an HTML page", REC("<html><body>Not Found</body></html>\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MISSING, NULL, MTA_STS_MODE_UNSET, -1, 0, MTA_STS_EOL_LF},
	{"byte order mark", REC("\xef\xbb\xbfversion: STSv1\nmode: none\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_BOM, "byte order mark", MTA_STS_MODE_NONE, 86400, 0,
	 MTA_STS_EOL_LF},

	/* P-02: mx patterns */
	{"P-02 *.*.example.com", REC(HEAD_NOMX "mx: *.*.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID,
	 "line 3: mx: *.*.example.com matches no MX host: a '*' is allowed only as the whole "
	 "leftmost label",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 *example.com", REC(HEAD_NOMX "mx: *example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "*example.com matches no MX host",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 mail*.example.com", REC(HEAD_NOMX "mx: mail*.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, NULL, MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
	{"P-02 an IP address", REC(HEAD_NOMX "mx: 192.0.2.1\nmax_age: 86400\n"), true,
	 STATE_WARNING, MTA_STS_POL_MX_ODD, "192.0.2.1 is an IP address", MTA_STS_MODE_ENFORCE,
	 86400, 1, MTA_STS_EOL_LF},
	{"P-02 an IPv6 address", REC(HEAD_NOMX "mx: 2001:db8::1\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "an address literal is no host name",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 a trailing dot", REC(HEAD_NOMX "mx: mail.example.com.\nmax_age: 86400\n"), true,
	 STATE_WARNING, MTA_STS_POL_MX_ODD, "mail.example.com. ends in a dot", MTA_STS_MODE_ENFORCE,
	 86400, 1, MTA_STS_EOL_LF},
	{"P-02 two trailing dots", REC(HEAD_NOMX "mx: mail.example.com..\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "more than one trailing dot", MTA_STS_MODE_ENFORCE,
	 86400, 1, MTA_STS_EOL_LF},
	{"P-02 empty mx", REC(HEAD_NOMX "mx:\nmax_age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MX_INVALID, "empty pattern", MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 *. alone", REC(HEAD_NOMX "mx: *.\nmax_age: 86400\n"), false, STATE_CRITICAL,
	 MTA_STS_POL_MX_INVALID, "*. matches no MX host", MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
	{"P-02 underscore", REC(HEAD_NOMX "mx: mail_1.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "a byte host names do not hold",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 a U-label", REC(HEAD_NOMX "mx: m\xc3\xa4il.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "written as its A-label, xn--",
	 MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 an A-label", REC(HEAD_NOMX "mx: xn--mil-via.example.com\nmax_age: 86400\n"), true,
	 NONE, 0, NULL, MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"P-02 a hyphen first", REC(HEAD_NOMX "mx: -mail.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, "begins with '-'", MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
	{"P-02 one good, one bad", REC(HEAD "mx: *.*.example.com\nmax_age: 86400\n"), false,
	 STATE_CRITICAL, MTA_STS_POL_MX_INVALID, NULL, MTA_STS_MODE_ENFORCE, 86400, 2,
	 MTA_STS_EOL_LF},
	{"P-02 the same pattern twice", REC(HEAD "mx: MAIL.example.com\nmax_age: 86400\n"), true,
	 STATE_OK, MTA_STS_POL_MX_DUPLICATE, "line 4: mx: MAIL.example.com repeats line 3",
	 MTA_STS_MODE_ENFORCE, 86400, 2, MTA_STS_EOL_LF},

	/* H-06: NUL, CR without LF, invalid UTF-8 (10,000 mx lines and a
	 * 10 KB line are test_policy_bounds) */
	{"H-06 NUL in a value",
	 REC("version: STSv1\nmode: enf\0orce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_CONTROL, "line 2: control byte 0x00",
	 MTA_STS_MODE_UNSET, 86400, 1, MTA_STS_EOL_LF},
	{"H-06 NUL escaped in the text",
	 REC("version: STSv1\nmode: enf\0orce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_MODE, "mode: enf\\x00orce: must be", MTA_STS_MODE_UNSET,
	 86400, 1, MTA_STS_EOL_LF},
	{"H-06 CR without LF",
	 REC("version: STSv1\rmode: enforce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_BARE_CR, "line 1: CR without LF", MTA_STS_MODE_UNSET,
	 86400, 1, MTA_STS_EOL_LF},
	{"H-06 CR without LF, the version",
	 REC("version: STSv1\rmode: enforce\nmx: a.example\n"
	     "max_age: 86400\n"),
	 false, STATE_CRITICAL, MTA_STS_POL_VERSION, "version: STSv1\\x0dmode: enforce",
	 MTA_STS_MODE_UNSET, 86400, 1, MTA_STS_EOL_LF},
	{"H-06 a final CR", REC("version: STSv1\nmode: none\nmax_age: 86400\r"), false,
	 STATE_CRITICAL, MTA_STS_POL_BARE_CR, NULL, MTA_STS_MODE_NONE, -1, 0, MTA_STS_EOL_LF},
	{"H-06 invalid UTF-8", REC(HEAD "max_age: 86400\nnote: caf\xe9\n"), true, STATE_WARNING,
	 MTA_STS_POL_UTF8, "line 5: bytes that are not UTF-8", MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
	{"H-06 valid UTF-8 in an extension", REC(HEAD "max_age: 86400\nnote: caf\xc3\xa9\n"), true,
	 STATE_OK, MTA_STS_POL_UNKNOWN, "note", MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"H-06 a surrogate", REC(HEAD "max_age: 86400\nnote: \xed\xa0\x80\n"), true, STATE_WARNING,
	 MTA_STS_POL_UTF8, NULL, MTA_STS_MODE_ENFORCE, 86400, 1, MTA_STS_EOL_LF},
	{"H-06 an escape sequence", REC(HEAD "max_age: 86400\nnote: \x1b[31m|x\n"), true,
	 STATE_WARNING, MTA_STS_POL_CONTROL, "control byte 0x1b", MTA_STS_MODE_ENFORCE, 86400, 1,
	 MTA_STS_EOL_LF},
};

START_TEST(test_policy)
{
	const struct pcase *c = &pcases[_i];
	struct mta_sts_policy *p = mta_sts_policy_parse(c->body, c->len);

	ck_assert_ptr_nonnull(p);
	ck_assert_msg(p->valid == c->valid, "%s: valid %d (first: %s)", c->name, p->valid,
		      first_text(&p->findings));
	if (c->worst == NONE) {
		ck_assert_msg(finding_list_worst(&p->findings) == STATE_OK, "%s: finding %s",
			      c->name, first_text(&p->findings));
	} else {
		ck_assert_msg((int)finding_list_worst(&p->findings) == c->worst,
			      "%s: worst %d (first: %s)", c->name,
			      (int)finding_list_worst(&p->findings), first_text(&p->findings));
	}
	if (c->code != 0 || c->sub != NULL) {
		ck_assert_msg(find(&p->findings, c->code, c->sub) != NULL,
			      "%s: no finding %d \"%s\" (first: %s)", c->name, c->code,
			      c->sub ? c->sub : "", first_text(&p->findings));
	}
	ck_assert_msg(p->mode == c->mode, "%s: mode %s", c->name, mta_sts_mode_str(p->mode));
	ck_assert_msg(p->has_mode == (c->mode != MTA_STS_MODE_UNSET), "%s: has_mode", c->name);
	ck_assert_msg(p->has_max_age == (c->max_age >= 0), "%s: has_max_age", c->name);
	if (c->max_age >= 0) {
		ck_assert_msg(p->max_age == (uint32_t)c->max_age, "%s: max_age %u", c->name,
			      (unsigned)p->max_age);
	}
	ck_assert_msg(p->nmx == c->nmx, "%s: nmx %zu", c->name, p->nmx);
	ck_assert_msg(p->eol == c->eol, "%s: eol %s", c->name, mta_sts_eol_str(p->eol));
	states_from_table(&p->findings, c->name);
	mta_sts_policy_free(p);
}
END_TEST

/* A heap buffer: the policy, then n lines of line, then the rest. */
static char *repeat(const char *head, const char *line, size_t n, const char *tail, size_t *len)
{
	size_t hl = strlen(head), ll = strlen(line), tl = strlen(tail);
	char *b = malloc(hl + n * ll + tl + 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, head, hl);
	for (size_t i = 0; i < n; i++) {
		memcpy(b + hl + i * ll, line, ll);
	}
	memcpy(b + hl + n * ll, tail, tl);
	*len = hl + n * ll + tl;
	return b;
}

START_TEST(test_policy_bounds)
{
	struct mta_sts_policy *p;
	size_t len;
	char *b;

	/* H-06: 10,000 mx lines (short ones: 64 KiB are parsed): 100 kept,
	 * the rest counted and named */
	b = repeat(HEAD_NOMX, "mx:a\n", 10000, "max_age: 86400\n", &len);
	p = mta_sts_policy_parse(b, len);
	ck_assert_uint_eq(p->nmx, LIMIT_MTA_STS_MX);
	ck_assert_uint_eq(p->mx_lines, 10000);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_MX_TOO_MANY,
				   "10000 mx patterns: those after the first 100 not examined"));
	/* the duplicates are named a bounded number of times */
	ck_assert_uint_le(p->findings.n, LIMIT_MTA_STS_LINE_FINDINGS + 8);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_MORE, "more problems"));
	ck_assert(p->valid);
	mta_sts_policy_free(p);
	free(b);

	/* H-06: 10,000 invalid mx lines: bounded findings, still CRITICAL */
	b = repeat(HEAD_NOMX, "mx: *.*.x.example\n", 10000, "max_age: 86400\n", &len);
	p = mta_sts_policy_parse(b, len);
	ck_assert_uint_le(p->findings.n, LIMIT_MTA_STS_LINE_FINDINGS + 8);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_MORE, "not listed (the first 16"));
	ck_assert_int_eq(finding_list_worst(&p->findings), STATE_CRITICAL);
	ck_assert(!p->valid);
	mta_sts_policy_free(p);
	free(b);

	/* H-06: a 10 KB line is named and skipped, the rest parsed */
	b = repeat(HEAD "x: ", "a", 10240, "\nmax_age: 86400\n", &len);
	p = mta_sts_policy_parse(b, len);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_LINE_LONG,
				   "line 4 is 10243 bytes, over 1024: not parsed"));
	ck_assert(p->valid && p->has_max_age);
	ck_assert_int_eq(finding_list_worst(&p->findings), STATE_WARNING);
	mta_sts_policy_free(p);
	free(b);

	/* H-06: a body over 64 KiB (RFC 8461 3.3): only the first 64 KiB parsed */
	b = repeat("version: STSv1\nmode: none\nmax_age: 86400\n", "x: y\n", 20000, "", &len);
	p = mta_sts_policy_parse(b, len);
	ck_assert_uint_eq(p->parsed_bytes, LIMIT_MTA_STS_POLICY_BYTES);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_TOO_LONG, "only the first 65536"));
	ck_assert(p->valid);
	mta_sts_policy_free(p);
	free(b);

	/* 1,000 lines of junk: bounded findings */
	b = repeat(HEAD, "\x01\xff junk\r\n", 1000, "max_age: 86400\n", &len);
	p = mta_sts_policy_parse(b, len);
	ck_assert_uint_le(p->findings.n, LIMIT_MTA_STS_LINE_FINDINGS + 8);
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_CONTROL, "control byte 0x01"));
	ck_assert_ptr_nonnull(find(&p->findings, MTA_STS_POL_UTF8, NULL));
	ck_assert_int_eq(p->eol, MTA_STS_EOL_MIXED);
	mta_sts_policy_free(p);
	free(b);

	mta_sts_policy_free(NULL);
	mta_sts_record_free(NULL);
}
END_TEST

/* ------------------------------------------------------------ MX matching */

struct mcase {
	const char *name;
	const char *pattern;
	const char *host;
	bool match;
};

static const struct mcase mcases[] = {
	/* RFC 8461 4.1's example */
	{"RFC 8461 4.1 wildcard", "*.example.com", "mail.example.com", true},
	{"RFC 8461 4.1 not the parent", "*.example.com", "example.com", false},
	{"RFC 8461 4.1 one label only", "*.example.com", "foo.bar.example.com", false},
	{"exact", "mail.example.com", "mail.example.com", true},
	{"case-insensitive", "Mail.Example.COM", "mail.EXAMPLE.com", true},
	{"host with a trailing dot", "mail.example.com", "mail.example.com.", true},
	{"wildcard, host with a trailing dot", "*.example.com", "MX1.example.com.", true},
	{"another host", "mail.example.com", "mail2.example.com", false},
	{"a suffix is not a match", "example.com", "mail.example.com", false},
	{"a longer name", "mail.example.com", "mail.example.com.evil.example", false},
	/* P-02 */
	{"P-02 *.*.example.com", "*.*.example.com", "a.b.example.com", false},
	{"P-02 *.*.example.com literal", "*.*.example.com", "a.*.example.com", false},
	{"P-02 *example.com", "*example.com", "wwwexample.com", false},
	{"P-02 *example.com, the name", "*example.com", "example.com", false},
	{"P-02 trailing dot ignored", "mail.example.com.", "mail.example.com", true},
	{"P-02 an IP address as text", "192.0.2.1", "192.0.2.1", true},
	{"P-02 an IPv6 address", "2001:db8::1", "2001:db8::1", false},
	{"empty pattern", "", "mail.example.com", false},
	{"empty host", "mail.example.com", "", false},
	{"host of a dot", "*.example.com", ".", false},
	{"host with an empty label", "*.example.com", ".example.com", false},
};

START_TEST(test_mx_match)
{
	const struct mcase *c = &mcases[_i];

	ck_assert_msg(mta_sts_mx_match(c->pattern, strlen(c->pattern), c->host, strlen(c->host)) ==
			      c->match,
		      "%s", c->name);
}
END_TEST

static struct dname name(const char *s)
{
	struct dname d;

	ck_assert(dname_from_text(&d, s, strlen(s), 0, NULL));
	return d;
}

START_TEST(test_policy_match)
{
	struct mta_sts_policy *p = mta_sts_policy_parse(REC(EX_CRLF "mx: *.*.example.org\r\n"));
	struct dname h;

	h = name("MAIL.example.com");
	ck_assert_ptr_eq(mta_sts_policy_match(p, &h), &p->mx[0]);
	h = name("mx7.example.net");
	ck_assert_ptr_eq(mta_sts_policy_match(p, &h), &p->mx[1]);
	ck_assert_str_eq(p->mx[1].text, "*.example.net");
	ck_assert_int_eq(p->mx[1].kind, MTA_STS_MX_WILDCARD);
	h = name("example.net");
	ck_assert_ptr_null(mta_sts_policy_match(p, &h));
	h = name("a.b.example.org");
	ck_assert_ptr_null(mta_sts_policy_match(p, &h));
	ck_assert_int_eq(p->mx[3].kind, MTA_STS_MX_INVALID);
	ck_assert_uint_eq(p->mx[3].line, 7);
	mta_sts_policy_free(p);
}
END_TEST

/* ----------------------------------------------------- H-05: Content-Type */

struct ctcase {
	const char *name;
	const char *ct; /* NULL: no header */
	bool ok;
	int worst;
	int code;
};

static const struct ctcase ctcases[] = {
	{"text/plain", "text/plain", true, NONE, 0},
	{"with charset utf-8", "text/plain; charset=utf-8", true, NONE, 0},
	{"capitals, quoted", "TEXT/Plain;Charset=\"US-ASCII\"", true, NONE, 0},
	{"other parameters", "text/plain; format=flowed", true, NONE, 0},
	{"H-05 missing", NULL, false, STATE_CRITICAL, MTA_STS_CT_MISSING},
	{"H-05 text/html", "text/html; charset=utf-8", false, STATE_CRITICAL,
	 MTA_STS_CT_NOT_TEXT_PLAIN},
	{"H-05 charset=utf-16", "text/plain; charset=utf-16", true, STATE_WARNING,
	 MTA_STS_CT_CHARSET},
	{"H-05 empty", "", false, STATE_CRITICAL, MTA_STS_CT_NOT_TEXT_PLAIN},
	{"H-05 text/plainx", "text/plainx", false, STATE_CRITICAL, MTA_STS_CT_NOT_TEXT_PLAIN},
	{"H-05 application/octet-stream", "application/octet-stream", false, STATE_CRITICAL,
	 MTA_STS_CT_NOT_TEXT_PLAIN},
};

START_TEST(test_content_type)
{
	const struct ctcase *c = &ctcases[_i];
	struct finding_list fl = {0};
	bool ok = mta_sts_content_type(c->ct, c->ct ? strlen(c->ct) : 0, &fl);

	ck_assert_msg(ok == c->ok, "%s: ok", c->name);
	if (c->worst == NONE) {
		ck_assert_msg(fl.n == 0, "%s: %s", c->name, first_text(&fl));
	} else {
		ck_assert_msg((int)finding_list_worst(&fl) == c->worst, "%s: worst", c->name);
		ck_assert_msg(find(&fl, c->code, NULL) != NULL, "%s: code", c->name);
	}
	finding_list_clear(&fl);
}
END_TEST

/* --------------------------------------------------------- the fix helper */

START_TEST(test_build)
{
	struct dname hosts[4];
	struct mta_sts_policy *p;
	char *b;

	hosts[0] = name("mail.example.com.");
	hosts[1] = name("MAIL.Example.com");
	hosts[2] = name("mx2.example.net");
	dname_root(&hosts[3]);
	b = mta_sts_policy_build(hosts, 4, MTA_STS_MODE_ENFORCE, 0);
	ck_assert_ptr_nonnull(b);
	ck_assert_str_eq(b, "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\n"
			    "mx: mx2.example.net\r\nmax_age: 604800\r\n");
	p = mta_sts_policy_parse(b, strlen(b));
	ck_assert(p->valid);
	ck_assert_int_eq(finding_list_worst(&p->findings), STATE_OK);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_ptr_nonnull(mta_sts_policy_match(p, &hosts[i]));
	}
	mta_sts_policy_free(p);
	free(b);

	b = mta_sts_policy_build(hosts, 0, MTA_STS_MODE_UNSET, 86400);
	ck_assert_str_eq(b, "version: STSv1\r\nmode: testing\r\nmax_age: 86400\r\n");
	free(b);

	/* a name a policy cannot carry gives no fix */
	hosts[0] = name("mail_1.example.com");
	ck_assert_ptr_null(mta_sts_policy_build(hosts, 1, MTA_STS_MODE_TESTING, 0));
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("mta_sts");
	TCase *tc = tcase_create("mta_sts");

	tcase_add_loop_test(tc, test_record, 0, sizeof(rcases) / sizeof(rcases[0]));
	tcase_add_test(tc, test_select);
	tcase_add_loop_test(tc, test_policy, 0, sizeof(pcases) / sizeof(pcases[0]));
	tcase_add_test(tc, test_policy_bounds);
	tcase_add_loop_test(tc, test_mx_match, 0, sizeof(mcases) / sizeof(mcases[0]));
	tcase_add_test(tc, test_policy_match);
	tcase_add_loop_test(tc, test_content_type, 0, sizeof(ctcases) / sizeof(ctcases[0]));
	tcase_add_test(tc, test_build);
	suite_add_tcase(s, tc);
	return s;
}
