/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/spf_audit.c: the pure parts (which targets need
 * a client identity, the guide's record for fix lines, the policy
 * mended in place, the default states of doc/output-contract.md), and the tree walk
 * over a mocked network below the resolver (resolver_set_transport):
 * round trips per level, lookup and void counts, loops, duplicates, and
 * an evaluation afterwards that asks no question twice. The same is run
 * against a real NSD in tests/integration/test_spf_audit.py.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf_audit.h"
#include "mock_zone.h"

struct ident_case {
	const char *spec;
	bool needs;
};

static const struct ident_case ident[] = {
	{"_spf.example.com", false},    {"%{d}", false},
	{"_spf.%{d}", false},           {"%{D2}.x.example", false},
	{"%{dr-}.x.example", false},    {"%%.x.example", false}, /* a literal percent */
	{"%_%-.x.example", false},      {"%{i}._spf.example.com", true},
	{"%{ir}.%{v}._spf.%{d}", true}, {"%{l1r+-}._spf.%{d}", true},
	{"%{s}.example.com", true},     {"%{o}.example.com", true},
	{"%{h}.example.com", true},     {"%{p}.example.com", true},
	{"%{S}.example.com", true},     {"%%{i}.example.com", false}, /* "%%" then literal "{i}" */
};

START_TEST(test_needs_identity)
{
	const struct ident_case *c = &ident[_i];
	ck_assert_msg(spf_audit_needs_identity(c->spec, strlen(c->spec)) == c->needs, "%s",
		      c->spec);
}
END_TEST

START_TEST(test_guide_record)
{
	struct spf_ip ips[2];
	char *r;

	ck_assert(spf_ip_parse("192.0.2.1", &ips[0]));
	ck_assert(spf_ip_parse("2001:db8::1", &ips[1]));

	r = spf_audit_guide_record(true, true, NULL, 0, false);
	ck_assert_str_eq(r, "v=spf1 mx a ~all");
	free(r);
	/* implied: nothing known is no record (a made-up mx or a would name
	 * hosts that do not exist) */
	r = spf_audit_guide_record(false, false, NULL, 0, false);
	ck_assert_ptr_null(r);
	r = spf_audit_guide_record(true, false, NULL, 0, false);
	ck_assert_str_eq(r, "v=spf1 mx ~all");
	free(r);
	r = spf_audit_guide_record(true, true, ips, 2, false);
	ck_assert_str_eq(r, "v=spf1 mx a ip4:192.0.2.1 ip6:2001:db8::1 ~all");
	free(r);
	r = spf_audit_guide_record(false, false, ips, 1, true);
	ck_assert_str_eq(r, "v=spf1 ip4:192.0.2.1 -all");
	free(r);
	/* implied: the mail server by name ($MAILNAME) when mx cannot be */
	r = spf_audit_guide_fix(false, true, NULL, NULL, 0, "mail.example.com", false);
	ck_assert_str_eq(r, "v=spf1 a a:mail.example.com ~all");
	free(r);
}
END_TEST

/* Review finding 2: the guide's record keeps the ip4:/ip6: terms of the
 * domain's own record (senders it authorises), as written. */
struct keep_case {
	const char *rec;
	bool have_mx, have_addr, mail, require_fail;
	const char *want;
};
static const struct keep_case keep[] = {
	{"v=spf1 mx a include:_spf.big.example ip4:192.0.2.1 ~all", true, false, false, false,
	 "v=spf1 mx ip4:192.0.2.1 ~all"},
	/* qualifiers and CIDR kept, in order; -all never weakened */
	{"v=spf1 -ip4:192.0.2.9 ip4:198.51.100.0/24 ip6:2001:db8::/32 "
	 "include:x.example -all",
	 true, true, false, false,
	 "v=spf1 mx a -ip4:192.0.2.9 ip4:198.51.100.0/24 ip6:2001:db8::/32 "
	 "-all"},
	/* --mail-host addresses a kept term matches are not repeated */
	{"v=spf1 ip4:192.0.2.0/24 include:x.example ~all", true, false, true, false,
	 "v=spf1 mx ip4:192.0.2.0/24 ip6:2001:db8::1 ~all"},
	{"v=spf1 ?ip4:192.0.2.1 include:x.example ~all", false, false, true, true,
	 "v=spf1 ?ip4:192.0.2.1 ip6:2001:db8::1 -all"},
	/* only ip terms known: no mx/a added for "nothing known" */
	{"v=spf1 ip4:192.0.2.1 include:x.example", false, false, false, false,
	 "v=spf1 ip4:192.0.2.1 ~all"},
	/* implied: nothing that names a sender is no fix */
	{"v=spf1 include:x.example ~all", false, false, false, false, NULL},
};

START_TEST(test_guide_keeps_ips)
{
	const struct keep_case *c = &keep[_i];
	struct spf_ip ips[2];
	char err[200];
	struct spf_record *rec = spf_record_parse(c->rec, strlen(c->rec), err, sizeof(err));

	ck_assert_msg(rec != NULL, "%s: %s", c->rec, err);
	ck_assert(spf_ip_parse("192.0.2.1", &ips[0]));
	ck_assert(spf_ip_parse("2001:db8::1", &ips[1]));
	char *r = spf_audit_guide_fix(c->have_mx, c->have_addr, rec, ips, c->mail ? 2 : 0, NULL,
				      c->require_fail);
	if (c->want == NULL)
		ck_assert_ptr_null(r);
	else
		ck_assert_str_eq(r, c->want);
	free(r);
	spf_record_free(rec);
}
END_TEST

struct mend_case {
	const char *rec;
	bool require_fail;
	const char *want;
};

static const struct mend_case mend[] = {
	{"v=spf1 mx a +all", false, "v=spf1 mx a ~all"},
	{"v=spf1 mx a all", false, "v=spf1 mx a ~all"},
	{"v=spf1 ?all", false, "v=spf1 ~all"},
	{"v=spf1 mx a", false, "v=spf1 mx a ~all"},
	{"v=spf1 mx a   ", false, "v=spf1 mx a ~all"},
	{"v=spf1", false, "v=spf1 ~all"},
	{"v=spf1 mx ~all", false, NULL},
	{"v=spf1 mx -all", false, NULL},
	{"v=spf1 mx ~all", true, "v=spf1 mx -all"},
	{"v=spf1 mx ~ALL exp=x.example", true, "v=spf1 mx -all exp=x.example"},
	{"v=spf1 redirect=_spf.example.com", false, NULL},
	{"v=spf1 +all redirect=_spf.example.com", false, "v=spf1 ~all redirect=_spf.example.com"},
};

START_TEST(test_mend_all)
{
	const struct mend_case *c = &mend[_i];
	char err[200];
	struct spf_record *rec = spf_record_parse(c->rec, strlen(c->rec), err, sizeof(err));
	ck_assert_msg(rec != NULL, "%s: %s", c->rec, err);
	char *got = spf_audit_mend_all(rec, c->require_fail);
	if (c->want == NULL)
		ck_assert_msg(got == NULL, "%s: got %s", c->rec, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, c->want) == 0, "%s: got %s, want %s",
			      c->rec, got ? got : "NULL", c->want);
	free(got);
	spf_record_free(rec);
}
END_TEST

/* doc/output-contract.md 8 for SPF. */
START_TEST(test_states)
{
	struct spf_audit_opts soft = {.require_fail = false};
	struct spf_audit_opts hard = {.require_fail = true};

	ck_assert_int_eq(spf_audit_default_state(SPF_A_NO_RECORD, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ONLY_SPF99, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_MULTIPLE, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_SYNTAX, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_LOOP, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_MX_LIMIT, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_PASS, &soft), STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_NEUTRAL, &soft), STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_NO_ALL, &soft), STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_PTR, &soft), STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_TOO_BIG, &soft), STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, &soft), STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, &hard), STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_FAIL, &hard), STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_DUPLICATE, &soft), STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ONE, &soft), STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, NULL), STATE_OK);
}
END_TEST

/* ------------------------------------------------- the walk, mocked */

/* The mock zone: RRs in zone-file text; a name with no RR is NXDOMAIN. */
static const char *const zone[] = {
	/* a 10-lookup tree three levels deep */
	"t.example. 300 IN TXT \"v=spf1 include:a.t.example include:b.t.example "
	"a mx -all\"",
	"t.example. 300 IN A 192.0.2.1",
	"t.example. 300 IN MX 10 mail.t.example.",
	"mail.t.example. 300 IN A 192.0.2.2",
	"a.t.example. 300 IN TXT \"v=spf1 include:c.t.example a:x.t.example "
	"-all\"",
	"b.t.example. 300 IN TXT \"v=spf1 include:d.t.example mx:y.t.example "
	"exists:z.t.example a:w.t.example -all\"",
	"c.t.example. 300 IN TXT \"v=spf1 ip4:192.0.2.0/28 -all\"",
	"d.t.example. 300 IN TXT \"v=spf1 ip6:2001:db8::/32 -all\"",
	"x.t.example. 300 IN A 192.0.2.3",
	"y.t.example. 300 IN MX 10 mail.t.example.",
	/* z.t.example does not exist: the exists is a void lookup */
	"w.t.example. 300 IN AAAA 2001:db8::3",
	/* loops and duplicates */
	"e2.example. 300 IN TXT \"v=spf1 include:e3.example -all\"",
	"e3.example. 300 IN TXT \"v=spf1 include:e2.example -all\"",
	"dup.example. 300 IN TXT \"v=spf1 include:c.t.example "
	"include:c.t.example redirect=c.t.example\"",
	/* void lookups and policy */
	"void.example. 300 IN TXT \"v=spf1 a:n1.example mx:n2.example "
	"exists:n3.example +all\"",
	"none.example. 300 IN MX 10 mail.t.example.",
};

/* The zone above, answered below the resolver. */
static struct resolver *new_res(struct mock_zone *m)
{
	return mock_zone_resolver(m, zone, sizeof(zone) / sizeof(zone[0]));
}

static void run(struct resolver *res, const char *domain, struct spf_audit *a)
{
	struct dname d;
	ck_assert(dname_from_text(&d, domain, strlen(domain), 0, NULL));
	ck_assert(spf_audit_run(res, &d, NULL, a));
}

static const struct finding *find(const struct spf_audit *a, enum spf_audit_code code)
{
	return finding_find(&a->findings, (int)code);
}

/* One round trip per level; the evaluation afterwards asks nothing
 * twice. */
START_TEST(test_tree_batches)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_audit a;

	run(res, "t.example", &a);
	ck_assert_uint_eq(a.lookups, 10);
	/* every client: z (exists asks A); IPv6 clients: z, t.example and
	 * x.t.example (no AAAA): 3, a permerror for them (a note);
	 * IPv4 clients: z and w.t.example: 2 */
	ck_assert_uint_eq(a.voids, 1);
	ck_assert_uint_eq(a.voids_family, 3);
	/* IPv6 clients get permerror: never [OK] */
	ck_assert_int_eq(find(&a, SPF_A_VOID)->state, STATE_WARNING);
	ck_assert_ptr_nonnull(strstr(find(&a, SPF_A_VOID)->text,
				     "3 void lookups for IPv6 clients, over the limit of 2: they "
				     "get permerror"));
	ck_assert_ptr_null(a.fix);
	ck_assert(!a.lookups_partial);
	ck_assert_uint_eq(a.round_trips, 3);
	ck_assert_uint_eq(a.records, 5);
	ck_assert_ptr_nonnull(find(&a, SPF_A_ONE));
	ck_assert_ptr_nonnull(find(&a, SPF_A_ALL_FAIL));
	bool top_a = false, nested_c = false;
	for (size_t i = 0; i < a.ncosts; i++) {
		if (strcmp(a.costs[i].term, "include:a.t.example") == 0)
			top_a = a.costs[i].top && a.costs[i].lookups == 3;
		if (strcmp(a.costs[i].term, "include:c.t.example") == 0)
			nested_c = !a.costs[i].top && a.costs[i].lookups == 1;
	}
	ck_assert(top_a && nested_c);
	unsigned calls = m.calls;
	spf_audit_clear(&a);

	struct spf_request req;
	struct spf_outcome out;
	memset(&req, 0, sizeof(req));
	req.sender = "postmaster@t.example";
	ck_assert(spf_ip_parse("198.51.100.9", &req.ip));
	ck_assert_int_eq(spf_check_host(res, &req, &out), SPF_FAIL);
	spf_outcome_clear(&out);
	ck_assert(spf_ip_parse("2001:db9::9", &req.ip));
	/* what the audit said: 3 void lookups for an IPv6 client */
	ck_assert_int_eq(spf_check_host(res, &req, &out), SPF_PERMERROR);
	spf_outcome_clear(&out);
	ck_assert_uint_eq(m.dups, 0);
	/* only the MX hosts' addresses were new to the evaluation */
	ck_assert_uint_le(m.calls - calls, 2);
	resolver_free(res);
}
END_TEST

/* S-LIM-01 */
START_TEST(test_loop)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_audit a;

	run(res, "e2.example", &a);
	const struct finding *f = find(&a, SPF_A_LOOP);
	ck_assert_ptr_nonnull(f);
	ck_assert_str_eq(f->text, "include loop e2.example -> e3.example -> "
				  "e2.example (permerror)");
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(a.lookups_partial);
	/* implied: e2.example has no MX and no address, so the guide's
	 * record would name no sender: a note instead of a fix line */
	ck_assert_ptr_null(a.fix);
	f = find(&a, SPF_A_FIX_NOTE);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "to fix: e2.example has no MX"));
	spf_audit_clear(&a);
	resolver_free(res);
}
END_TEST

/* A record included twice (and redirected to) is fetched once and
 * counted each time. */
START_TEST(test_duplicate)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_audit a;

	run(res, "dup.example", &a);
	ck_assert_uint_eq(a.lookups, 3);
	ck_assert_ptr_nonnull(find(&a, SPF_A_DUPLICATE));
	ck_assert_ptr_null(find(&a, SPF_A_LOOP));
	ck_assert_uint_eq(a.records, 2);
	ck_assert_uint_eq(m.dups, 0);
	/* the policy is the redirect target's -all */
	ck_assert_ptr_nonnull(find(&a, SPF_A_ALL_FAIL));
	spf_audit_clear(&a);
	resolver_free(res);
}
END_TEST

/* S-LIM-05 and +all: three voids (a, mx, exists) and a fix line */
START_TEST(test_void_and_pass)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_audit a;

	run(res, "void.example", &a);
	ck_assert_uint_eq(a.voids, 3);
	ck_assert_uint_eq(a.lookups, 3);
	const struct finding *f = find(&a, SPF_A_VOID);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert_ptr_nonnull(find(&a, SPF_A_ALL_PASS));
	/* a structural fault: the guide's record, not the mended one; the
	 * name has no MX and no address, so no record names a sender
	 * (implied: no made-up mx or a), and a note says what to publish */
	ck_assert_ptr_null(a.fix);
	f = find(&a, SPF_A_FIX_NOTE);
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(strstr(f->text, "to fix:"));
	spf_audit_clear(&a);
	resolver_free(res);
}
END_TEST

START_TEST(test_missing)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_audit a;

	run(res, "none.example", &a);
	ck_assert(!a.have_record);
	ck_assert_ptr_nonnull(find(&a, SPF_A_NO_RECORD));
	/* MX known, no address: mx only */
	ck_assert_str_eq(a.fix, "v=spf1 mx ~all");
	ck_assert_uint_eq(a.round_trips, 2);
	spf_audit_clear(&a);
	resolver_free(res);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("spf_audit");
	TCase *tc = tcase_create("pure");
	tcase_add_loop_test(tc, test_needs_identity, 0, sizeof(ident) / sizeof(ident[0]));
	tcase_add_test(tc, test_guide_record);
	tcase_add_loop_test(tc, test_guide_keeps_ips, 0, sizeof(keep) / sizeof(keep[0]));
	tcase_add_loop_test(tc, test_mend_all, 0, sizeof(mend) / sizeof(mend[0]));
	tcase_add_test(tc, test_states);
	suite_add_tcase(s, tc);
	TCase *tw = tcase_create("walk");
	tcase_add_test(tw, test_tree_batches);
	tcase_add_test(tw, test_loop);
	tcase_add_test(tw, test_duplicate);
	tcase_add_test(tw, test_void_and_pass);
	tcase_add_test(tw, test_missing);
	suite_add_tcase(s, tw);
	return s;
}
