/*
 * Unit tests for the pure parts of common/spf_audit.c: which targets
 * need a client identity (macros), the guide's record for fix lines,
 * the policy mended in place, and the default states of the findings
 * (design.md "Default states"). The tree walk itself is tested against
 * a real NSD in tests/integration/test_spf_audit.py.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "spf_audit.h"

struct ident_case { const char *spec; bool needs; };

static const struct ident_case ident[] = {
	{ "_spf.example.com", false },
	{ "%{d}", false },
	{ "_spf.%{d}", false },
	{ "%{D2}.x.example", false },
	{ "%{dr-}.x.example", false },
	{ "%%.x.example", false },              /* a literal percent */
	{ "%_%-.x.example", false },
	{ "%{i}._spf.example.com", true },
	{ "%{ir}.%{v}._spf.%{d}", true },
	{ "%{l1r+-}._spf.%{d}", true },
	{ "%{s}.example.com", true },
	{ "%{o}.example.com", true },
	{ "%{h}.example.com", true },
	{ "%{p}.example.com", true },
	{ "%{S}.example.com", true },
	{ "%%{i}.example.com", false },         /* "%%" then literal "{i}" */
};

START_TEST(test_needs_identity)
{
	const struct ident_case *c = &ident[_i];
	ck_assert_msg(spf_audit_needs_identity(c->spec, strlen(c->spec)) ==
	    c->needs, "%s", c->spec);
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
	/* nothing known: the guide's form as it stands */
	r = spf_audit_guide_record(false, false, NULL, 0, false);
	ck_assert_str_eq(r, "v=spf1 mx a ~all");
	free(r);
	r = spf_audit_guide_record(true, false, NULL, 0, false);
	ck_assert_str_eq(r, "v=spf1 mx ~all");
	free(r);
	r = spf_audit_guide_record(true, true, ips, 2, false);
	ck_assert_str_eq(r, "v=spf1 mx a ip4:192.0.2.1 ip6:2001:db8::1 ~all");
	free(r);
	r = spf_audit_guide_record(false, false, ips, 1, true);
	ck_assert_str_eq(r, "v=spf1 ip4:192.0.2.1 -all");
	free(r);
}
END_TEST

struct mend_case { const char *rec; bool require_fail; const char *want; };

static const struct mend_case mend[] = {
	{ "v=spf1 mx a +all", false, "v=spf1 mx a ~all" },
	{ "v=spf1 mx a all", false, "v=spf1 mx a ~all" },
	{ "v=spf1 ?all", false, "v=spf1 ~all" },
	{ "v=spf1 mx a", false, "v=spf1 mx a ~all" },
	{ "v=spf1 mx a   ", false, "v=spf1 mx a ~all" },
	{ "v=spf1", false, "v=spf1 ~all" },
	{ "v=spf1 mx ~all", false, NULL },
	{ "v=spf1 mx -all", false, NULL },
	{ "v=spf1 mx ~all", true, "v=spf1 mx -all" },
	{ "v=spf1 mx ~ALL exp=x.example", true, "v=spf1 mx -all exp=x.example" },
	{ "v=spf1 redirect=_spf.example.com", false, NULL },
	{ "v=spf1 +all redirect=_spf.example.com", false,
	  "v=spf1 ~all redirect=_spf.example.com" },
};

START_TEST(test_mend_all)
{
	const struct mend_case *c = &mend[_i];
	char err[200];
	struct spf_record *rec = spf_record_parse(c->rec, strlen(c->rec), err,
	    sizeof(err));
	ck_assert_msg(rec != NULL, "%s: %s", c->rec, err);
	char *got = spf_audit_mend_all(rec, c->require_fail);
	if (c->want == NULL)
		ck_assert_msg(got == NULL, "%s: got %s", c->rec, got);
	else
		ck_assert_msg(got != NULL && strcmp(got, c->want) == 0,
		    "%s: got %s, want %s", c->rec, got ? got : "NULL", c->want);
	free(got);
	spf_record_free(rec);
}
END_TEST

/* design.md "Default states" for SPF. */
START_TEST(test_states)
{
	struct spf_audit_opts soft = { .require_fail = false };
	struct spf_audit_opts hard = { .require_fail = true };

	ck_assert_int_eq(spf_audit_default_state(SPF_A_NO_RECORD, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ONLY_SPF99, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_MULTIPLE, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_SYNTAX, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_LOOP, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_MX_LIMIT, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_PASS, &soft),
	    STATE_CRITICAL);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_NEUTRAL, &soft),
	    STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_NO_ALL, &soft),
	    STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_PTR, &soft),
	    STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_TOO_BIG, &soft),
	    STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, &soft),
	    STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, &hard),
	    STATE_WARNING);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_FAIL, &hard),
	    STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_DUPLICATE, &soft),
	    STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ONE, &soft), STATE_OK);
	ck_assert_int_eq(spf_audit_default_state(SPF_A_ALL_SOFTFAIL, NULL),
	    STATE_OK);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("spf_audit");
	TCase *tc = tcase_create("pure");
	tcase_add_loop_test(tc, test_needs_identity, 0,
	    sizeof(ident) / sizeof(ident[0]));
	tcase_add_test(tc, test_guide_record);
	tcase_add_loop_test(tc, test_mend_all, 0, sizeof(mend) / sizeof(mend[0]));
	tcase_add_test(tc, test_states);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
