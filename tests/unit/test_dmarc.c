/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Table-driven tests of the DMARC record parser (RFC 7489 6.3, 6.4),
 * with every M-04..M-07 value of doc/hostile-inputs.md and values of
 * lengths 0, 1, 32, 33, 255, 256 and 4096 in every tag.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "bounds.h"

#define REC(s) s, sizeof(s) - 1

/* the worst default state of the findings shown without -v */
enum {
	NONE = -1,
	INFO = STATE_OK,
	WARN = STATE_WARNING,
	ERR = STATE_CRITICAL
};

struct dcase {
	const char *id;
	const char *rec;
	size_t len;
	bool is_dmarc;       /* dmarc_is_record() and r->is_dmarc */
	int worst;           /* NONE: no finding at all */
	const char *finding; /* substring of some finding, or NULL */
};

static const struct dcase cases[] = {
	/* the guide's three records */
	{"guide monitoring", REC("v=DMARC1; p=none; rua=mailto:dmarc@example.com"), true, NONE,
	 NULL},
	{"guide quarantine", REC("v=DMARC1; p=quarantine; rua=mailto:dmarc@example.com; pct=100"),
	 true, INFO, "pct=: obsolete, removed by RFC 9989"},
	{"guide reject", REC("v=DMARC1; p=reject; rua=mailto:dmarc@example.com; aspf=r; adkim=r"),
	 true, NONE, NULL},
	{"all tags",
	 REC("v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s; aspf=s; pct=50; fo=0:1:d:s; "
	     "rf=afrf; ri=3600; rua=mailto:a@example.com; ruf=mailto:f@example.com!10m"),
	 true, INFO, "ri=: obsolete"},
	{"trailing semicolon", REC("v=DMARC1; p=none; rua=mailto:a@example.com;"), true, NONE,
	 NULL},
	{"WSP around =", REC("v = DMARC1 ; p = none; rua=mailto:a@example.com"), true, NONE, NULL},

	/* M-04: v=DMARC1 first and exact */
	{"M-04 v not first", REC("p=none; v=DMARC1"), false, ERR, "not a DMARC record"},
	{"M-04 v=dmarc1", REC("v=dmarc1; p=none"), false, ERR, "not a DMARC record"},
	{"M-04 v=DMARC10", REC("v=DMARC10; p=none"), false, ERR, "not a DMARC record"},
	{"M-04 no ; after v=DMARC1", REC("v=DMARC1 p=none"), false, ERR, "not a DMARC record"},
	{"M-04 leading spaces", REC("  v=DMARC1; p=none"), false, ERR, "not a DMARC record"},
	{"M-04 empty", REC(""), false, ERR, "not a DMARC record"},
	{"M-04 v= only", REC("v="), false, ERR, "not a DMARC record"},
	{"M-04 DMARC1 then NUL", REC("v=DMARC1\0; p=none"), false, ERR, "not a DMARC record"},
	{"M-04 V capital accepted, flagged", REC("V=DMARC1; p=none; rua=mailto:a@example.com"),
	 true, WARN, "lower case"},
	{"M-04 v=DMARC1 alone: p missing", REC("v=DMARC1"), true, ERR, "p= missing"},
	{"M-04 v twice", REC("v=DMARC1; p=none; v=DMARC1"), true, ERR, "duplicate tag v"},

	/* M-03: duplicate tags */
	{"M-03 p twice", REC("v=DMARC1; p=none; p=reject"), true, ERR, "duplicate tag p"},
	{"M-03 p and P", REC("v=DMARC1; p=none; P=reject"), true, ERR, "duplicate tag p"},
	{"M-03 rua twice",
	 REC("v=DMARC1; p=none; rua=mailto:a@example.com; rua=mailto:b@example.com"), true, ERR,
	 "duplicate tag rua"},

	/* M-05: p */
	{"M-05 p missing", REC("v=DMARC1; rua=mailto:a@example.com"), true, WARN,
	 "p= missing: receivers apply none"},
	{"M-05 p missing, rua invalid", REC("v=DMARC1; rua=mailto:"), true, ERR,
	 "p= missing and no valid rua="},
	{"M-05 p=rejetc with rua", REC("v=DMARC1; p=rejetc; rua=mailto:a@example.com"), true, WARN,
	 "p=rejetc: invalid policy (none, quarantine or reject): receivers apply none"},
	{"M-05 p empty", REC("v=DMARC1; p="), true, ERR, "p=: invalid policy"},
	{"M-05 p=foo", REC("v=DMARC1; p=foo"), true, ERR, "p=foo: invalid policy"},
	{"M-05 p=rejectx", REC("v=DMARC1; p=rejectx"), true, ERR, "invalid policy"},
	{"M-05 p=re ject", REC("v=DMARC1; p=re ject"), true, ERR, "invalid policy"},
	{"habit 15 p=r", REC("v=DMARC1; p=r; rua=mailto:a@example.com"), true, WARN,
	 "p=r: not a policy name"},
	{"habit 15 p=quar", REC("v=DMARC1; p=quar; rua=mailto:a@example.com"), true, WARN,
	 "lenient receivers read quarantine"},
	{"habit 15 p=Reject", REC("v=DMARC1; p=Reject; rua=mailto:a@example.com"), true, WARN,
	 "lower case (reject)"},
	{"habit 15 P=reject", REC("v=DMARC1; P=reject; rua=mailto:a@example.com"), true, WARN,
	 "tag P="},
	/* M-05: sp, np */
	{"M-05 sp invalid", REC("v=DMARC1; p=none; sp=bogus"), true, WARN,
	 "sp=bogus: invalid policy (none, quarantine or reject); receivers discard it: sp= takes "
	 "p='s policy (RFC 7489 6.3)"},
	{"M-05 sp empty", REC("v=DMARC1; p=none; sp="), true, WARN, "sp=: invalid policy"},
	{"M-05 np invalid", REC("v=DMARC1; p=none; np=x1"), true, WARN, "np=x1: invalid policy"},
	/* M-05: pct */
	{"M-05 pct=101", REC("v=DMARC1; p=none; pct=101"), true, WARN,
	 "pct=101: out of range (0-100); receivers discard it: pct=100 applies"},
	{"M-05 pct=-1", REC("v=DMARC1; p=none; pct=-1"), true, WARN, "pct=-1: not a number"},
	{"M-05 pct=abc", REC("v=DMARC1; p=none; pct=abc"), true, WARN, "pct=abc: not a number"},
	{"M-05 pct overflow", REC("v=DMARC1; p=none; pct=99999999999999999999"), true, WARN,
	 "pct=99999999999999999999: out of range"},
	{"M-05 pct empty", REC("v=DMARC1; p=none; pct="), true, WARN, "pct=: not a number"},
	{"M-05 pct=+5", REC("v=DMARC1; p=none; pct=+5"), true, WARN, "not a number"},
	{"M-05 pct=0", REC("v=DMARC1; p=none; pct=0; rua=mailto:a@example.com"), true, INFO,
	 "pct=: obsolete"},
	{"M-05 pct=100", REC("v=DMARC1; p=none; pct=100; rua=mailto:a@example.com"), true, INFO,
	 "pct=: obsolete"},
	{"M-05 pct=050", REC("v=DMARC1; p=none; pct=050; rua=mailto:a@example.com"), true, WARN,
	 "leading zeros"},
	/* M-05: ri */
	{"M-05 ri overflow", REC("v=DMARC1; p=none; ri=99999999999999999999"), true, WARN,
	 "ri=99999999999999999999: out of range (0-4294967295)"},
	{"M-05 ri 2^32", REC("v=DMARC1; p=none; ri=4294967296"), true, WARN, "out of range"},
	{"M-05 ri max", REC("v=DMARC1; p=none; ri=4294967295; rua=mailto:a@example.com"), true,
	 INFO, "ri=: obsolete"},
	{"M-05 ri=1h", REC("v=DMARC1; p=none; ri=1h"), true, WARN, "ri=1h: not a number"},
	/* M-05: fo */
	{"M-05 fo=::", REC("v=DMARC1; p=none; fo=::"), true, WARN, "fo=::: empty element"},
	{"M-05 fo=2", REC("v=DMARC1; p=none; fo=2; ruf=mailto:a@example.com"), true, WARN,
	 "invalid option 2"},
	{"M-05 fo=1:", REC("v=DMARC1; p=none; fo=1:"), true, WARN, "empty element"},
	{"M-05 fo=d : s",
	 REC("v=DMARC1; p=none; fo=d : s; ruf=mailto:a@example.com; rua=mailto:a@example.com"),
	 true, NONE, NULL},
	{"fo without ruf", REC("v=DMARC1; p=none; fo=1; rua=mailto:a@example.com"), true, INFO,
	 "no effect without ruf"},
	/* M-05: adkim/aspf */
	{"M-05 adkim=x", REC("v=DMARC1; p=none; adkim=x"), true, WARN,
	 "adkim=x: invalid alignment mode (r or s); receivers discard it: adkim=r applies"},
	{"M-05 aspf=relaxed", REC("v=DMARC1; p=none; aspf=relaxed"), true, WARN,
	 "aspf=relaxed: invalid alignment"},
	{"M-05 adkim empty", REC("v=DMARC1; p=none; adkim="), true, WARN, "adkim=: invalid"},
	{"habit 15 aspf=S", REC("v=DMARC1; p=none; aspf=S; rua=mailto:a@example.com"), true, WARN,
	 "lower case"},
	/* rf */
	{"rf=iodef", REC("v=DMARC1; p=none; rf=iodef; rua=mailto:a@example.com"), true, WARN,
	 "unknown report format iodef (RFC 7489 6.3 defines afrf); receivers discard it: rf=afrf "
	 "applies"},
	{"rf=afrf:iodef", REC("v=DMARC1; p=none; rf=afrf:iodef; rua=mailto:a@example.com"), true,
	 WARN, "unknown report format"},
	/* M-07: OpenDMARC#62 verbatim */
	{"M-07 rf=afrfruf=",
	 REC("v=DMARC1; p=none; rf=afrfruf=mailto:dmarc_fr@dmarc.250ok.net; "
	     "rua=mailto:dmarc_agg@dmarc.250ok.net"),
	 true, WARN, "rf=afrfruf=mailto:"},
	{"M-07 space-separated rua",
	 REC("v=DMARC1; p=none; rua=mailto:a@example.com rua=mailto:b@example.com"), true, WARN,
	 "malformed URI"},
	{"M-07 joined mid-token",
	 REC("v=DMARC1; p=none; rua=mailto:dmarc@exa"
	     "mple.com"),
	 true, NONE, NULL},

	/* M-06: URIs */
	{"M-06 mailto: empty", REC("v=DMARC1; p=none; rua=mailto:"), true, WARN,
	 "rua=mailto:: malformed URI: empty address; receivers ignore it"},
	{"M-06 mailto:@", REC("v=DMARC1; p=none; rua=mailto:@"), true, WARN, "empty local part"},
	{"M-06 mailto:a@", REC("v=DMARC1; p=none; rua=mailto:a@"), true, WARN, "empty domain"},
	{"M-06 mailto:a@b!10m", REC("v=DMARC1; p=none; rua=mailto:a@b!10m"), true, WARN,
	 "mailto:a@b!10m"},
	{"M-06 !10m ok", REC("v=DMARC1; p=none; rua=mailto:a@b.example!10m"), true, NONE, NULL},
	{"M-06 !999999999999t", REC("v=DMARC1; p=none; rua=mailto:a@example.com!999999999999t"),
	 true, WARN, "size limit too large"},
	{"M-06 !huge", REC("v=DMARC1; p=none; rua=mailto:a@example.com!99999999999999999999999"),
	 true, WARN, "size limit too large"},
	{"M-06 !10x", REC("v=DMARC1; p=none; rua=mailto:a@example.com!10x"), true, WARN,
	 "bad size limit unit"},
	{"M-06 ! empty", REC("v=DMARC1; p=none; rua=mailto:a@example.com!"), true, WARN,
	 "empty size limit"},
	{"M-06 https", REC("v=DMARC1; p=none; rua=https://x"), true, WARN,
	 "need only support mailto"},
	{"M-06 https://[", REC("v=DMARC1; p=none; rua=https://["), true, WARN,
	 "rua=https://[: malformed URI: unclosed [ in the host"},
	{"M-06 https://[::1]:8443/r ok", REC("v=DMARC1; p=none; rua=https://[::1]:8443/r"), true,
	 WARN, "need only support mailto"},
	{"M-06 https space", REC("v=DMARC1; p=none; rua=https://a b.example/"), true, WARN,
	 "malformed URI: a character URIs do not allow"},
	{"M-06 https bad port", REC("v=DMARC1; p=none; rua=https://r.example:44x/"), true, WARN,
	 "malformed URI: port is not a number"},
	{"M-06 https no host", REC("v=DMARC1; p=none; rua=https:///x"), true, WARN,
	 "malformed URI: empty host"},
	{"M-06 no scheme", REC("v=DMARC1; p=none; rua=dmarc@example.com"), true, WARN,
	 "no URI scheme"},
	{"M-06 commas with spaces",
	 REC("v=DMARC1; p=none; rua=mailto:a@example.com , mailto:b@example.com"), true, NONE,
	 NULL},
	{"M-06 trailing comma", REC("v=DMARC1; p=none; rua=mailto:a@example.com,"), true, WARN,
	 "empty URI"},
	{"M-06 leading comma", REC("v=DMARC1; p=none; rua=,mailto:a@example.com"), true, WARN,
	 "empty URI"},
	{"M-06 empty rua", REC("v=DMARC1; p=none; rua="), true, WARN, "empty URI"},
	{"M-06 no @", REC("v=DMARC1; p=none; rua=mailto:example.com"), true, WARN, "no @"},
	{"M-06 address literal", REC("v=DMARC1; p=none; rua=mailto:a@[192.0.2.1]"), true, WARN,
	 "address literals"},
	{"M-06 bad local part", REC("v=DMARC1; p=none; rua=mailto:a..b@example.com"), true, WARN,
	 "invalid local part"},
	{"M-06 bad domain", REC("v=DMARC1; p=none; rua=mailto:a@exa(mple.com"), true, WARN,
	 "rua=mailto:a@exa(mple.com"},
	{"M-06 percent-encoded", REC("v=DMARC1; p=none; rua=mailto:dmarc%2Breports@example.com"),
	 true, NONE, NULL},
	{"M-06 bad percent", REC("v=DMARC1; p=none; rua=mailto:a%zz@example.com"), true, WARN,
	 "bad percent-encoding"},
	{"M-06 percent at end", REC("v=DMARC1; p=none; rua=mailto:a@example.com%4"), true, WARN,
	 "bad percent-encoding"},
	{"M-06 hfields ignored", REC("v=DMARC1; p=none; rua=mailto:a@example.com?subject=x"), true,
	 NONE, NULL},
	{"M-06 quoted local", REC("v=DMARC1; p=none; rua=mailto:\"a\"@example.com"), true, NONE,
	 NULL},
	{"M-06 ruf invalid", REC("v=DMARC1; p=none; rua=mailto:a@example.com; ruf=mailto:"), true,
	 WARN, "ruf=mailto:: malformed URI: empty address"},
	{"M-01 three URIs",
	 REC("v=DMARC1; p=none; "
	     "rua=mailto:a@example.com,mailto:b@example.com,mailto:c@example.com"),
	 true, WARN, "3 rua URIs (receivers need only support 2"},

	/* M-02: unknown tags */
	{"M-02 unknown tag", REC("v=DMARC1; p=none; foo=bar; rua=mailto:a@example.com"), true, INFO,
	 "unknown tags ignored (RFC 9989 4.7, RFC 7489 6.3): foo (1 in all)"},
	{"RFC 9989 psd=y", REC("v=DMARC1; p=none; psd=y; t=n; rua=mailto:a@example.com"), true,
	 NONE, NULL},
	{"RFC 9989 psd=x", REC("v=DMARC1; p=none; psd=x; rua=mailto:a@example.com"), true, WARN,
	 "psd=x: invalid value (one of ynu, RFC 9989 4.7); receivers discard it: psd=u applies"},
	{"RFC 9989 t=maybe", REC("v=DMARC1; p=none; t=maybe; rua=mailto:a@example.com"), true, WARN,
	 "t=maybe: invalid value (one of yn, RFC 9989 4.7); receivers discard it: t=n applies"},
	{"p not second", REC("v=DMARC1; rua=mailto:a@example.com; p=none"), true, INFO,
	 "not the second tag: RFC 9989 4.7 allows that"},
	/* syntax */
	{"tag without =", REC("v=DMARC1; p=none; junk"), true, ERR, "tag without '='"},
	{"NUL in value", REC("v=DMARC1; p=no\0ne"), true, ERR,
	 "invalid character in tag value in tag p"},
	{"X-04 escape in a rua domain", REC("v=DMARC1; p=none; rua=mailto:a@a\\046b.example"), true,
	 WARN, "rua=mailto:a@a\\046b.example"},
	{"byte 0xff in value", REC("v=DMARC1; p=none; rua=mailto:\xff@example.com"), true, ERR,
	 "invalid character"},
};

START_TEST(test_table)
{
	const struct dcase *c = &cases[_i];
	struct dmarc_record *r;
	bool found = c->finding == NULL;

	ck_assert_msg(dmarc_is_record(c->rec, c->len) == c->is_dmarc, "%s: dmarc_is_record", c->id);
	r = dmarc_parse(c->rec, c->len);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(r->is_dmarc == c->is_dmarc, "%s: is_dmarc", c->id);
	for (size_t i = 0; i < r->findings.n; i++) {
		if (c->finding != NULL && strstr(r->findings.v[i].text, c->finding))
			found = true;
	}
	if (c->worst == NONE) {
		ck_assert_msg(r->findings.n == 0, "%s: unexpected finding: %s", c->id,
			      r->findings.v[0].text);
		ck_assert_msg(r->valid, "%s: not valid", c->id);
	} else {
		ck_assert_msg((int)finding_list_worst(&r->findings) == c->worst,
			      "%s: worst %d, expected %d (first: %s)", c->id,
			      (int)finding_list_worst(&r->findings), c->worst,
			      r->findings.n ? r->findings.v[0].text : "-");
		ck_assert_msg(r->valid == (c->worst != ERR), "%s: valid", c->id);
	}
	ck_assert_msg(found, "%s: no finding with \"%s\" (first: %s)", c->id, c->finding,
		      r->findings.n ? r->findings.v[0].text : "-");
	dmarc_record_free(r);
}
END_TEST

START_TEST(test_values)
{
	struct dmarc_record *r =
		dmarc_parse(REC("v=DMARC1; p=reject; "
				"sp=quarantine; np=none; adkim=s; aspf=r; pct=25; fo=d:s; "
				"ri=3600; rua=mailto:a@Example.COM!10k, https://r.example/x; "
				"ruf=mailto:f@dest.example"));

	ck_assert(r->valid && r->has_p && r->has_sp && r->has_np);
	ck_assert_int_eq(r->p, DMARC_POLICY_REJECT);
	ck_assert_int_eq(r->sp, DMARC_POLICY_QUARANTINE);
	ck_assert_int_eq(r->np, DMARC_POLICY_NONE);
	ck_assert_int_eq(r->adkim, 's');
	ck_assert_int_eq(r->aspf, 'r');
	ck_assert(r->has_pct);
	ck_assert_uint_eq(r->pct, 25);
	ck_assert_uint_eq(r->fo, DMARC_FO_D | DMARC_FO_S);
	ck_assert_uint_eq(r->ri, 3600);
	ck_assert(r->rua.present && r->ruf.present);
	ck_assert_uint_eq(r->rua.count, 2);
	ck_assert_uint_eq(r->rua.n, 2);
	ck_assert(r->rua.uri[0].valid && r->rua.uri[0].mailto);
	ck_assert(r->rua.uri[0].has_size);
	ck_assert(r->rua.uri[0].size == 10240);
	{
		char buf[DNAME_TEXT_MAX];

		ck_assert_str_eq(dname_to_text(&r->rua.uri[0].domain, buf, sizeof(buf)),
				 "example.com");
	}
	ck_assert(r->rua.uri[1].valid && !r->rua.uri[1].mailto);
	ck_assert_uint_eq(r->ruf.count, 1);
	dmarc_record_free(r);

	/* defaults */
	r = dmarc_parse(REC("v=DMARC1; p=none"));
	ck_assert(r->valid && !r->has_sp && !r->has_np && !r->has_pct);
	ck_assert_uint_eq(r->pct, 100);
	ck_assert_int_eq(r->adkim, 'r');
	ck_assert_uint_eq(r->ri, 86400);
	ck_assert_uint_eq(r->fo, DMARC_FO_0);
	ck_assert(!r->rua.present);
	dmarc_record_free(r);

	/* the largest size that fits: 2^24-1 t < 2^64 */
	r = dmarc_parse(REC("v=DMARC1; p=none; rua=mailto:a@example.com!16777215t"));
	ck_assert(r->valid);
	ck_assert(r->rua.uri[0].size == (uint64_t)16777215 << 40);
	dmarc_record_free(r);
	r = dmarc_parse(REC("v=DMARC1; p=none; rua=mailto:a@example.com!16777216t"));
	ck_assert(r->valid && r->ndiscarded == 1 && r->rua.nvalid == 0);
	dmarc_record_free(r);

	/* invalid values discarded for the defaults (RFC 7489 6.3) */
	r = dmarc_parse(REC("v=DMARC1; p=reject; sp=bogus; np=x; adkim=x; "
			    "aspf=y; pct=101; fo=0:x; rf=afrf:x; ri=1h; psd=q; t=q; "
			    "rua=mailto:a@example.com"));
	ck_assert(r->valid && r->has_p && !r->has_sp && !r->has_np);
	ck_assert_uint_eq(r->ndiscarded, 10);
	ck_assert(r->adkim == 'r' && r->aspf == 'r' && !r->has_pct && r->pct == 100 &&
		  r->fo == DMARC_FO_0 && r->ri == 86400 && r->psd == 'u' && !r->testing);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_WARNING);
	dmarc_record_free(r);

	/* p= missing with a valid rua=: none (RFC 7489 6.6.3 step 6) */
	r = dmarc_parse(REC("v=DMARC1; rua=mailto:a@example.com"));
	ck_assert(r->valid && !r->has_p && r->p == DMARC_POLICY_NONE);
	dmarc_record_free(r);
	r = dmarc_parse(REC("v=DMARC1; p=bogus; rua=https://[, mailto:"));
	ck_assert(!r->valid);
	dmarc_record_free(r);

	/* t=y (RFC 9989 4.7) */
	r = dmarc_parse(REC("v=DMARC1; p=reject; t=y; rua=mailto:a@example.com"));
	ck_assert(r->valid && r->testing && r->findings.n == 0);
	dmarc_record_free(r);
	ck_assert_int_eq(dmarc_policy_lower(DMARC_POLICY_REJECT), DMARC_POLICY_QUARANTINE);
	ck_assert_int_eq(dmarc_policy_lower(DMARC_POLICY_QUARANTINE), DMARC_POLICY_NONE);
	ck_assert_int_eq(dmarc_policy_lower(DMARC_POLICY_NONE), DMARC_POLICY_NONE);
}
END_TEST

START_TEST(test_policy_names)
{
	enum dmarc_policy p;

	ck_assert(dmarc_policy_parse("none", &p) && p == DMARC_POLICY_NONE);
	ck_assert(dmarc_policy_parse("Quarantine", &p) && p == DMARC_POLICY_QUARANTINE);
	ck_assert(dmarc_policy_parse("REJECT", &p) && p == DMARC_POLICY_REJECT);
	ck_assert(!dmarc_policy_parse("r", &p));
	ck_assert(!dmarc_policy_parse("", &p));
	ck_assert_str_eq(dmarc_policy_str(DMARC_POLICY_QUARANTINE), "quarantine");
}
END_TEST

/* M-05: every tag's value at lengths 0, 1, 32, 33, 255, 256, 4096
 * (OpenDMARC ae55b6c): no crash, bounded finding texts, the tag named. */
static const size_t lengths[] = {0, 1, 32, 33, 255, 256, 4096};
static const char *const tagnames[] = {"p",  "sp", "np",  "adkim", "aspf", "pct", "fo",
				       "rf", "ri", "rua", "ruf",   "psd",  "t",   "zz"};

START_TEST(test_lengths)
{
	const char *tag = tagnames[_i];
	const char fills[] = {'a', '9', 'r'};

	for (size_t li = 0; li < sizeof(lengths) / sizeof(lengths[0]); li++)
		for (size_t fi = 0; fi < sizeof(fills); fi++) {
			size_t L = lengths[li];
			char *rec = malloc(64 + L);
			size_t n;
			struct dmarc_record *r;
			bool named = false;

			if (strcmp(tag, "p") == 0)
				n = (size_t)sprintf(rec, "v=DMARC1; p=");
			else
				n = (size_t)sprintf(rec, "v=DMARC1; p=none; %s=", tag);
			memset(rec + n, fills[fi], L);
			n += L;
			r = dmarc_parse(rec, n);
			ck_assert_ptr_nonnull(r);
			ck_assert(r->is_dmarc);
			for (size_t i = 0; i < r->findings.n; i++) {
				ck_assert(strlen(r->findings.v[i].text) < DMARC_FINDING_TEXT);
				if (strstr(r->findings.v[i].text, tag))
					named = true;
			}
			/* a value receivers cannot use: the record, or the value
			 * discarded for its default (RFC 7489 6.3) */
			bool rejected = !r->valid || r->ndiscarded > 0;

			/* a known tag with a wrong value names itself */
			if (strcmp(tag, "zz") != 0 && rejected)
				ck_assert_msg(named, "%s len %zu: tag not named", tag, L);
			/* expectations where the value is certain */
			if (fills[fi] == 'a' && L >= 2 && strcmp(tag, "zz") != 0 &&
			    strcmp(tag, "psd") != 0 && strcmp(tag, "t") != 0 &&
			    strcmp(tag, "rf") != 0)
				ck_assert_msg(rejected, "%s=%zu x a accepted", tag, L);
			if (strcmp(tag, "pct") == 0 && fills[fi] == '9')
				ck_assert(!rejected == (L == 1 || L == 2));
			if (strcmp(tag, "ri") == 0 && fills[fi] == '9')
				ck_assert(!rejected == (L >= 1 && L <= 9));
			if (strcmp(tag, "zz") == 0)
				ck_assert(!rejected);
			dmarc_record_free(r);
			free(rec);
		}
}
END_TEST

/* M-01/M-02: 1,000 URIs and 1,000 unknown tags, bounded. */
START_TEST(test_many)
{
	size_t cap = 80000, n;
	char *rec = malloc(cap);
	struct dmarc_record *r;

	n = (size_t)sprintf(rec, "v=DMARC1; p=none; rua=");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(rec + n, "%smailto:r%d@d%d.example", i ? "," : "", i, i);
	r = dmarc_parse(rec, n);
	ck_assert(r->valid);
	ck_assert_uint_eq(r->rua.count, 1000);
	ck_assert_uint_eq(r->rua.n, 1000);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_WARNING);
	ck_assert_msg(strstr(r->findings.v[0].text, "1000 rua URIs (receivers "
						    "need only support 2, RFC 7489 6.2)") != NULL,
		      "M-01: %s", r->findings.v[0].text);
	dmarc_record_free(r);

	/* 1,500 URIs: the first LIMIT_DMARC_URIS kept, all counted */
	n = (size_t)sprintf(rec, "v=DMARC1; p=none; rua=");
	for (int i = 0; i < 1500; i++)
		n += (size_t)sprintf(rec + n, "%smailto:a@b%d.example", i ? "," : "", i);
	r = dmarc_parse(rec, n);
	ck_assert_uint_eq(r->rua.count, 1500);
	ck_assert_uint_eq(r->rua.n, LIMIT_DMARC_URIS);
	dmarc_record_free(r);

	/* 1,000 malformed URIs: findings capped, each ignored */
	n = (size_t)sprintf(rec, "v=DMARC1; p=none; rua=");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(rec + n, "%smailto:", i ? "," : "");
	r = dmarc_parse(rec, n);
	ck_assert(r->valid && r->ndiscarded == 1000 && r->rua.nvalid == 0);
	ck_assert_uint_le(r->findings.n, LIMIT_DMARC_FINDINGS);
	ck_assert_uint_gt(r->findings.dropped, 0);
	dmarc_record_free(r);

	/* M-02: 1,000 unknown tags */
	n = (size_t)sprintf(rec, "v=DMARC1; p=none");
	for (int i = 0; i < 1000; i++)
		n += (size_t)sprintf(rec + n, "; x%d=y", i);
	r = dmarc_parse(rec, n);
	ck_assert(r->valid);
	ck_assert_uint_eq(r->nunknown, 1000);
	ck_assert_uint_eq(r->findings.n, 1);
	ck_assert(strstr(r->findings.v[0].text, "(1000 in all)") != NULL);
	dmarc_record_free(r);

	/* M-02: more tags than LIMIT_DMARC_TAGS */
	n = (size_t)sprintf(rec, "v=DMARC1; p=none");
	for (int i = 0; i < LIMIT_DMARC_TAGS; i++)
		n += (size_t)sprintf(rec + n, ";x%d=", i);
	r = dmarc_parse(rec, n);
	ck_assert(!r->valid);
	ck_assert(strstr(r->findings.v[0].text, "more than") != NULL);
	dmarc_record_free(r);
	free(rec);
}
END_TEST

START_TEST(test_rebuild)
{
	static const struct dmarc_edit raise[] = {
		{"p", "reject"}, {"sp", NULL}, {"rua", "mailto:dmarc@example.com"}};
	char *s;

	s = dmarc_rebuild(REC("v=DMARC1; p=none; sp=none; pct=50; "
			      "rua=mailto:a@example.com"),
			  raise, 3);
	ck_assert_str_eq(s, "v=DMARC1; p=reject; pct=50; "
			    "rua=mailto:dmarc@example.com");
	free(s);
	s = dmarc_rebuild(REC("v=DMARC1; P=quarantine; foo=bar"), raise, 1);
	ck_assert_str_eq(s, "v=DMARC1; P=reject; foo=bar");
	free(s);
	s = dmarc_rebuild(NULL, 0, raise, 3);
	ck_assert_str_eq(s, "v=DMARC1; p=reject; rua=mailto:dmarc@example.com");
	free(s);
	/* an invalid record: the tags before the error are kept */
	s = dmarc_rebuild(REC("v=DMARC1; pct=5; junk"), raise, 1);
	ck_assert_str_eq(s, "v=DMARC1; pct=5; p=reject");
	free(s);
}
END_TEST

/* Review finding 7: an invalid record gets a corrected one as its fix,
 * and the correction is itself a valid record. */
struct rcase {
	const char *rec;
	size_t len;
	enum dmarc_policy policy;
	const char *want;
};

static const struct rcase repairs[] = {
	/* a misspelt policy: what was meant, never weaker than --policy */
	{REC("v=DMARC1; p=rejetc; rua=mailto:d@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=reject; rua=mailto:d@example.com"},
	{REC("v=DMARC1; p=Qurantine"), DMARC_POLICY_NONE, "v=DMARC1; p=quarantine"},
	{REC("v=DMARC1; p=rejetc"), DMARC_POLICY_QUARANTINE, "v=DMARC1; p=reject"},
	{REC("v=DMARC1; p=nope"), DMARC_POLICY_QUARANTINE, "v=DMARC1; p=quarantine"},
	{REC("v=DMARC1; p=bogus"), DMARC_POLICY_NONE, "v=DMARC1; p=none"},
	{REC("v=DMARC1; p="), DMARC_POLICY_NONE, "v=DMARC1; p=none"},
	{REC("v=DMARC1; rua=mailto:d@example.com"), DMARC_POLICY_QUARANTINE,
	 "v=DMARC1; p=quarantine; rua=mailto:d@example.com"},
	{REC("v=DMARC1"), DMARC_POLICY_NONE, "v=DMARC1; p=none"},
	{REC("v=DMARC1; p=none; rua=d@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; rua=mailto:d@example.com"},
	{REC("v=DMARC1; p=none; rua=d@example.com, mailto:e@example.com,mailto:"),
	 DMARC_POLICY_NONE, "v=DMARC1; p=none; rua=mailto:d@example.com,mailto:e@example.com"},
	{REC("v=DMARC1; p=none; rua=mailto:; adkim=s"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; adkim=s"},
	{REC("v=DMARC1; p=none; fo=x; ruf=mailto:f@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; ruf=mailto:f@example.com"},
	{REC("v=DMARC1; p=reject; sp=bogus; pct=101; ri=x; adkim=q"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=reject"},
	/* M-03: the first of a duplicate tag stays */
	{REC("v=DMARC1; p=none; p=reject; rua=mailto:d@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; rua=mailto:d@example.com"},
	{REC("v=DMARC1; p=none; P=reject"), DMARC_POLICY_NONE, "v=DMARC1; p=none"},
	/* M-07: OpenDMARC#62 verbatim */
	{REC("v=DMARC1; p=none; rf=afrfruf=mailto:dmarc_fr@dmarc.250ok.net; "
	     "rua=mailto:d@example.com"),
	 DMARC_POLICY_NONE, "v=DMARC1; p=none; rua=mailto:d@example.com"},
	/* a syntax error drops its tag only; parsing resumes after ';' */
	{REC("v=DMARC1; p=none; 1x=y; rua=mailto:d@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; rua=mailto:d@example.com"},
	{REC("v=DMARC1; p=no\0ne; rua=mailto:d@example.com"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; rua=mailto:d@example.com"},
	{REC("v=DMARC1; p=none; junk"), DMARC_POLICY_NONE, "v=DMARC1; p=none"},
	/* names in lower case; unknown tags kept once */
	{REC("V=DMARC1; P=none; Pct=50; x=1; x=2"), DMARC_POLICY_NONE,
	 "v=DMARC1; p=none; pct=50; x=1"},
	/* implied: values receivers misread in their canonical form, so the
	 * fix: line has no warning of its own */
	{REC("v=DMARC1; p=Reject; sp=quar; adkim=S; fo=D; rf=AFRF; pct=050; pct=101"),
	 DMARC_POLICY_NONE, "v=DMARC1; p=reject; sp=quarantine; adkim=s; fo=d; rf=afrf; pct=50"},
};

START_TEST(test_repair)
{
	const struct rcase *c = &repairs[_i];
	char *s = dmarc_repair(c->rec, c->len, c->policy);
	struct dmarc_record *r;

	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, c->want);
	r = dmarc_parse(s, strlen(s));
	ck_assert_msg(r->valid, "repaired record still invalid: %s", s);
	for (size_t i = 0; i < r->findings.n; i++)
		ck_assert_msg(r->findings.v[i].code != DMARC_NONCANONICAL ||
				      r->findings.v[i].state != STATE_WARNING,
			      "repaired record warned about: %s: %s", s, r->findings.v[i].text);
	dmarc_record_free(r);
	free(s);
}
END_TEST

START_TEST(test_near_miss)
{
	ck_assert(dmarc_near_miss(REC("v=dmarc1; p=none")));
	ck_assert(dmarc_near_miss(REC("  v=DMARC1; p=none")));
	ck_assert(dmarc_near_miss(REC("v=DMARC10")));
	ck_assert(dmarc_near_miss(REC("V=DMARC1 p=none")));
	ck_assert(!dmarc_near_miss(REC("v=DMARC1; p=none")));
	ck_assert(!dmarc_near_miss(REC("v=spf1 -all")));
	ck_assert(!dmarc_near_miss(REC("junk")));
	ck_assert(!dmarc_near_miss(REC("v=dm")));
	ck_assert(!dmarc_near_miss(REC("")));
}
END_TEST

/* M-09: distinct report domains, capped, the rest counted. */
START_TEST(test_report_domains)
{
	struct dmarc_record *r =
		dmarc_parse(REC("v=DMARC1; p=none; "
				"rua=mailto:a@x.example,mailto:b@X.example,https://y.example,"
				"mailto:c@y.example; ruf=mailto:d@z.example,mailto:e@w.example"));
	struct dname out[2];
	size_t more, n;
	char buf[DNAME_TEXT_MAX];

	n = dmarc_report_domains(r, out, 2, &more);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(dname_to_text(&out[0], buf, sizeof(buf)), "x.example");
	ck_assert_str_eq(dname_to_text(&out[1], buf, sizeof(buf)), "y.example");
	ck_assert_uint_eq(more, 2);
	dmarc_record_free(r);
}
END_TEST

/* A full list (LIMIT_DMARC_FINDINGS): an error still shows, taking the
 * last slot from a warning; more errors are only counted. */
START_TEST(test_full_list)
{
	char *rec = malloc(32 + 100 * 8 + 32);
	struct dmarc_record *r;
	size_t n;

	ck_assert_ptr_nonnull(rec);
	n = (size_t)sprintf(rec, "v=DMARC1; rua=");
	for (int i = 0; i < 100; i++)
		n += (size_t)sprintf(rec + n, "%smailto:", i ? "," : "");
	n += (size_t)sprintf(rec + n, "; p=bogus; sp=bogus");
	r = dmarc_parse(rec, n);
	ck_assert_ptr_nonnull(r);
	ck_assert(!r->valid);
	ck_assert_uint_eq(r->findings.n, LIMIT_DMARC_FINDINGS);
	ck_assert_uint_gt(r->findings.dropped, 100 - LIMIT_DMARC_FINDINGS);
	ck_assert_int_eq(r->findings.v[LIMIT_DMARC_FINDINGS - 2].state, STATE_WARNING);
	ck_assert_int_eq(r->findings.v[LIMIT_DMARC_FINDINGS - 1].state, STATE_CRITICAL);
	ck_assert_msg(strstr(r->findings.v[LIMIT_DMARC_FINDINGS - 1].text, "p=") != NULL, "%s",
		      r->findings.v[LIMIT_DMARC_FINDINGS - 1].text);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_CRITICAL);
	dmarc_record_free(r);
	free(rec);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dmarc");
	TCase *tc = tcase_create("parser");

	tcase_add_loop_test(tc, test_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_policy_names);
	tcase_add_loop_test(tc, test_lengths, 0, sizeof(tagnames) / sizeof(tagnames[0]));
	tcase_add_test(tc, test_many);
	tcase_add_test(tc, test_full_list);
	tcase_add_test(tc, test_rebuild);
	tcase_add_loop_test(tc, test_repair, 0, sizeof(repairs) / sizeof(repairs[0]));
	tcase_add_test(tc, test_near_miss);
	tcase_add_test(tc, test_report_domains);
	suite_add_tcase(s, tc);
	return s;
}
