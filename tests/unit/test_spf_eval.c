/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/spf_eval.c: client addresses, record selection
 * and check_host() over a mocked network below the resolver
 * (resolver_set_transport), so the resolver and its cache run as in
 * production. Also the audit's promise: a fetch before the evaluation
 * costs no second query.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "spf_eval.h"
#include "mock_zone.h"

/* The mock zone: RRs in zone-file text; a name with no RR is NXDOMAIN. */
static const char *const zone[] = {
	"example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.0/24 a:mail.example.com "
	"mx include:_i.example.com -all exp=why.example.com\"",
	"example.com. 300 IN TXT \"google-site-verification=x\"",
	"example.com. 300 IN MX 10 mx1.example.com.",
	"mx1.example.com. 300 IN A 198.51.100.1",
	"mail.example.com. 300 IN A 198.51.100.2",
	"mail.example.com. 300 IN AAAA 2001:db8::2",
	"_i.example.com. 300 IN TXT \"v=spf1 ip6:2001:db8:1::/48 ~all\"",
	"why.example.com. 300 IN TXT \"%{i} is not allowed to send for %{d}\"",
	"two.example.com. 300 IN TXT \"v=spf1 -all\"",
	"two.example.com. 300 IN TXT \"V=SPF1 +all\"",
	"bad.example.com. 300 IN TXT \"v=spf1 mx a:%{c}.example.com -all\"",
	"v10.example.com. 300 IN TXT \"v=spf10 +all\"",
	"void.example.com. 300 IN TXT \"v=spf1 a:n1.example.com "
	"a:n2.example.com a:n3.example.com +all\"",
};

/* The zone above, answered below the resolver. */
static struct resolver *new_res(struct mock_zone *m)
{
	return mock_zone_resolver(m, zone, sizeof(zone) / sizeof(zone[0]));
}

struct ip_case {
	const char *text;
	bool ok;
	int family;
	uint8_t b0, b3;
};

static const struct ip_case ips[] = {
	{"192.0.2.1", true, 4, 192, 1},      {"::ffff:192.0.2.7", true, 4, 192, 7}, /* RFC 7208 5 */
	{"::FFFF:1.2.3.4", true, 4, 1, 4},   {"::1", true, 6, 0, 0},                /* S-IP-02 */
	{"2001:db8::", true, 6, 0x20, 0xb8}, {"1.2.3", false, 0, 0, 0},
	{"192.0.2.1/24", false, 0, 0, 0},    {"", false, 0, 0, 0},
};

START_TEST(test_ip)
{
	const struct ip_case *c = &ips[_i];
	struct spf_ip ip;
	ck_assert_msg(spf_ip_parse(c->text, &ip) == c->ok, "%s", c->text);
	if (!c->ok)
		return;
	ck_assert_int_eq(ip.family, c->family);
	ck_assert_uint_eq(ip.addr[0], c->b0);
	ck_assert_uint_eq(ip.addr[3], c->b3);
}
END_TEST

struct eval_case {
	const char *ip, *sender, *helo;
	enum spf_result want;
	const char *in_term, *in_why, *exp;
};

static const struct eval_case evals[] = {
	{"192.0.2.9", "a@example.com", NULL, SPF_PASS, "ip4:192.0.2.0/24", NULL, NULL},
	{"198.51.100.2", "a@example.com", NULL, SPF_PASS, "a:mail.example.com", NULL, NULL},
	{"2001:db8::2", "a@example.com", NULL, SPF_PASS, "a:mail.example.com", NULL, NULL},
	{"198.51.100.1", "a@example.com", NULL, SPF_PASS, "mx", NULL, NULL},
	{"::ffff:198.51.100.1", "", "example.com", SPF_PASS, "mx", NULL, NULL},
	{"2001:db8:1::5", "a@example.com", NULL, SPF_PASS,
	 "include:_i.example.com (ip6:2001:db8:1::/48)", NULL, NULL},
	{"2001:db8:2::5", "a@example.com", NULL, SPF_FAIL, "-all", NULL,
	 "2.0.0.1.0.d.b.8.0.0.0.2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.5 "
	 "is not allowed to send for example.com"},
	{"203.0.113.1", "a@example.com", NULL, SPF_FAIL, "-all", NULL,
	 "203.0.113.1 is not allowed to send for example.com"},
	{"203.0.113.1", "a@two.example.com", NULL, SPF_PERMERROR, NULL, "2 SPF records", NULL},
	{"203.0.113.1", "a@bad.example.com", NULL, SPF_PERMERROR, NULL,
	 "term 2 'a:%{c}.example.com'", NULL},
	{"203.0.113.1", "a@v10.example.com", NULL, SPF_NONE, NULL,
	 "no TXT record starts with v=spf1", NULL},
	{"203.0.113.1", "a@nowhere.example.com", NULL, SPF_NONE, NULL, "no such domain", NULL},
	{"203.0.113.1", "a@[192.0.2.1]", NULL, SPF_NONE, NULL, "not a domain name", NULL},
	{"203.0.113.1", "a@localhost", NULL, SPF_NONE, NULL, "not a domain name", NULL},
	{"203.0.113.1", "a@void.example.com", NULL, SPF_PERMERROR, NULL, "more than 2 void lookups",
	 NULL},
};

START_TEST(test_eval)
{
	const struct eval_case *c = &evals[_i];
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_request req;
	struct spf_outcome out;

	memset(&req, 0, sizeof(req));
	ck_assert(spf_ip_parse(c->ip, &req.ip));
	req.sender = c->sender;
	req.helo = c->helo;
	enum spf_result r = spf_check_host(res, &req, &out);
	ck_assert_msg(r == c->want, "%s %s: %s (%s), want %s", c->ip, c->sender, spf_result_str(r),
		      out.why, spf_result_str(c->want));
	if (c->in_term)
		ck_assert_msg(strstr(out.term, c->in_term), "term '%s'", out.term);
	if (c->in_why)
		ck_assert_msg(strstr(out.why, c->in_why), "why '%s'", out.why);
	if (c->exp) {
		ck_assert_ptr_nonnull(out.explanation);
		ck_assert_str_eq(out.explanation, c->exp);
	} else {
		ck_assert_ptr_null(out.explanation);
	}
	spf_outcome_clear(&out);
	resolver_free(res);
}
END_TEST

/* The audit fetches first; the evaluation then sends no query twice. */
START_TEST(test_fetch_then_eval)
{
	struct mock_zone m;
	struct resolver *res = new_res(&m);
	struct spf_fetch f;
	struct dname d;
	struct spf_request req;
	struct spf_outcome out;

	ck_assert(dname_from_text(&d, "example.com", 11, 0, NULL));
	spf_fetch(res, &d, &f);
	ck_assert_int_eq(f.result, SPF_PASS);
	ck_assert_uint_eq(f.rec->nterms, 6);
	ck_assert_uint_eq(f.sel.ntxt, 2);
	spf_fetch_clear(&f);
	unsigned after_fetch = m.calls;
	memset(&req, 0, sizeof(req));
	ck_assert(spf_ip_parse("198.51.100.1", &req.ip));
	req.sender = "x@example.com";
	ck_assert_int_eq(spf_check_host(res, &req, &out), SPF_PASS);
	spf_outcome_clear(&out);
	ck_assert_uint_eq(mock_zone_asked(&m, "example.com.", DNS_T_TXT), 1);
	/* the second evaluation is answered from the cache entirely */
	unsigned after_first = m.calls;
	ck_assert_uint_gt(after_first, after_fetch);
	ck_assert_int_eq(spf_check_host(res, &req, &out), SPF_PASS);
	spf_outcome_clear(&out);
	ck_assert_uint_eq(m.calls, after_first);
	resolver_free(res);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("spf_eval");
	TCase *tc = tcase_create("all");
	tcase_add_loop_test(tc, test_ip, 0, sizeof(ips) / sizeof(ips[0]));
	tcase_add_loop_test(tc, test_eval, 0, sizeof(evals) / sizeof(evals[0]));
	tcase_add_test(tc, test_fetch_then_eval);
	suite_add_tcase(s, tc);
	return s;
}
