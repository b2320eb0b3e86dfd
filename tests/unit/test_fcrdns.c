/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for common/fcrdns.c: forward-confirmed reverse DNS, with the
 * network replaced below the resolver (resolver_set_transport). */
#include <arpa/inet.h>
#include <check.h>

#include "check_main.h"
#include <ldns/ldns.h>
#include <stdlib.h>
#include <string.h>

#include "fcrdns.h"

/* The fake DNS: owner, type, rcode, rdata lines (zone syntax). */
static const struct {
	const char *owner;
	ldns_rr_type type;
	ldns_pkt_rcode rcode;
	const char *rrs[6];
} zone[] = {
	{"1.2.0.192.in-addr.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"1.2.0.192.in-addr.arpa. 300 IN PTR mail.example.com."}},
	{"mail.example.com.",
	 LDNS_RR_TYPE_A,
	 LDNS_RCODE_NOERROR,
	 {"mail.example.com. 300 IN A 192.0.2.1"}},
	{"3.2.0.192.in-addr.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"3.2.0.192.in-addr.arpa. 300 IN PTR other.example."}},
	{"other.example.",
	 LDNS_RR_TYPE_A,
	 LDNS_RCODE_NOERROR,
	 {"other.example. 300 IN A 192.0.2.99"}},
	{"4.2.0.192.in-addr.arpa.", LDNS_RR_TYPE_PTR, LDNS_RCODE_SERVFAIL, {NULL}},
	{"5.2.0.192.in-addr.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"5.2.0.192.in-addr.arpa. 300 IN PTR a.example.",
	  "5.2.0.192.in-addr.arpa. 300 IN PTR b.example."}},
	{"a.example.", LDNS_RR_TYPE_A, LDNS_RCODE_SERVFAIL, {NULL}},
	{"b.example.", LDNS_RR_TYPE_A, LDNS_RCODE_NOERROR, {"b.example. 300 IN A 192.0.2.5"}},
	{"6.2.0.192.in-addr.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"6.2.0.192.in-addr.arpa. 300 IN PTR a.example.",
	  "6.2.0.192.in-addr.arpa. 300 IN PTR other.example."}},
	{"7.2.0.192.in-addr.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"7.2.0.192.in-addr.arpa. 300 IN PTR n1.example.",
	  "7.2.0.192.in-addr.arpa. 300 IN PTR n2.example.",
	  "7.2.0.192.in-addr.arpa. 300 IN PTR n3.example.",
	  "7.2.0.192.in-addr.arpa. 300 IN PTR n4.example.",
	  "7.2.0.192.in-addr.arpa. 300 IN PTR n5.example."}},
	{"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.",
	 LDNS_RR_TYPE_PTR,
	 LDNS_RCODE_NOERROR,
	 {"1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."
	  " 300 IN PTR mail6.example."}},
	{"mail6.example.",
	 LDNS_RR_TYPE_AAAA,
	 LDNS_RCODE_NOERROR,
	 {"mail6.example. 300 IN AAAA 2001:db8::1"}},
};

static unsigned asked_n5; /* queries for n5.example (the 5th name) */

static long fake(void *ctx, const uint8_t *query, size_t qlen, bool via_tcp, uint8_t *reply,
		 size_t replymax)
{
	ldns_pkt *q = NULL, *r;
	uint8_t *wire = NULL;
	size_t wlen = 0;
	long ret = 0;

	(void)ctx;
	(void)via_tcp;
	if (ldns_wire2pkt(&q, query, qlen) != LDNS_STATUS_OK)
		return 0;
	ldns_rr *qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	char *owner = ldns_rdf2str(ldns_rr_owner(qrr));
	ldns_rr_type t = ldns_rr_get_type(qrr);

	r = ldns_pkt_new();
	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_aa(r, true);
	ldns_pkt_set_rd(r, ldns_pkt_rd(q));
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
	ldns_pkt_set_rcode(r, LDNS_RCODE_NXDOMAIN);
	if (strcasecmp(owner, "n5.example.") == 0)
		asked_n5++;
	for (size_t i = 0; i < sizeof zone / sizeof zone[0]; i++) {
		if (strcasecmp(zone[i].owner, owner) != 0)
			continue;
		if (ldns_pkt_get_rcode(r) == LDNS_RCODE_NXDOMAIN)
			ldns_pkt_set_rcode(r, LDNS_RCODE_NOERROR); /* NODATA */
		if (zone[i].type != t)
			continue;
		ldns_pkt_set_rcode(r, (uint8_t)zone[i].rcode);
		for (size_t k = 0; zone[i].rrs[k]; k++) {
			ldns_rr *rr = NULL;
			ck_assert(ldns_rr_new_frm_str(&rr, zone[i].rrs[k], 0, NULL, NULL) ==
				  LDNS_STATUS_OK);
			ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
		}
	}
	if (ldns_pkt2wire(&wire, r, &wlen) == LDNS_STATUS_OK && wlen <= replymax) {
		memcpy(reply, wire, wlen);
		ret = (long)wlen;
	}
	free(wire);
	free(owner);
	ldns_pkt_free(r);
	ldns_pkt_free(q);
	return ret;
}

static struct resolver *fake_resolver(void)
{
	struct resolver_config cfg = {
		.servers = {"127.0.0.1"}, .nservers = 1, .deadline = clock_monotonic_now() + 5};
	char err[128];
	struct resolver *res = resolver_new(&cfg, err, sizeof err);

	ck_assert_msg(res != NULL, "%s", err);
	resolver_set_transport(res, fake, NULL);
	return res;
}

static struct ipaddr ip(const char *text)
{
	struct ipaddr a = {.len = 4};

	if (inet_pton(AF_INET, text, a.b) != 1) {
		ck_assert(inet_pton(AF_INET6, text, a.b) == 1);
		a.len = 16;
	}
	return a;
}

static const struct {
	const char *addr;
	enum fcrdns_status st;
	const char *name; /* expected name, NULL: root */
} cases[] = {
	{"192.0.2.1", FCRDNS_CONFIRMED, "mail.example.com"},
	{"192.0.2.2", FCRDNS_NO_PTR, NULL},
	{"192.0.2.3", FCRDNS_UNCONFIRMED, "other.example"},
	{"192.0.2.4", FCRDNS_DNS_ERROR, NULL},           /* PTR SERVFAIL */
	{"192.0.2.5", FCRDNS_CONFIRMED, "b.example"},    /* one name failed, one confirms */
	{"192.0.2.6", FCRDNS_DNS_ERROR, NULL},           /* failed + mismatch: unknown */
	{"192.0.2.7", FCRDNS_UNCONFIRMED, "n1.example"}, /* 5 names, 4 asked */
	{"2001:db8::1", FCRDNS_CONFIRMED, "mail6.example"},
};
#define NCASES (sizeof cases / sizeof cases[0])

START_TEST(test_batch)
{
	struct resolver *res = fake_resolver();
	struct ipaddr addrs[NCASES];
	struct fcrdns out[NCASES];
	char text[DNAME_TEXT_MAX];

	for (size_t i = 0; i < NCASES; i++)
		addrs[i] = ip(cases[i].addr);
	asked_n5 = 0;
	ck_assert(fcrdns_check(res, addrs, NCASES, out));
	for (size_t i = 0; i < NCASES; i++) {
		ck_assert_msg(out[i].status == cases[i].st, "%s: status %d", cases[i].addr,
			      out[i].status);
		dname_to_text(&out[i].name, text, sizeof text);
		ck_assert_str_eq(text, cases[i].name ? cases[i].name : ".");
		ck_assert((out[i].failed != NULL) == (cases[i].st == FCRDNS_DNS_ERROR));
	}
	ck_assert_uint_eq(asked_n5, 0); /* LIMIT_MX_PTR_NAMES */
	ck_assert_int_eq(out[3].failed->status, RES_SERVFAIL);
	resolver_free(res);
}
END_TEST

START_TEST(test_limits)
{
	struct resolver *res = fake_resolver();
	static struct ipaddr addrs[LIMIT_MX_PTR_ADDRS + 1];
	static struct fcrdns out[LIMIT_MX_PTR_ADDRS + 1];

	for (size_t i = 0; i <= LIMIT_MX_PTR_ADDRS; i++)
		addrs[i] = ip("192.0.2.1");
	ck_assert(!fcrdns_check(res, addrs, LIMIT_MX_PTR_ADDRS + 1, out));
	ck_assert_uint_eq(resolver_queries_sent(res), 0);
	addrs[0].len = 5; /* neither IPv4 nor IPv6 */
	ck_assert(!fcrdns_check(res, addrs, 1, out));
	ck_assert_uint_eq(resolver_queries_sent(res), 0);
	resolver_free(res);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("fcrdns");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_batch);
	tcase_add_test(tc, test_limits);
	suite_add_tcase(s, tc);
	return s;
}
