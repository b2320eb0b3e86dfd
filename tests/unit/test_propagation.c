/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for --all-ns: the answer comparison of common/prop_compare.c
 * (table-driven over hand-built answers) and the two resolver additions
 * it rests on, resolver_questions() and resolver_query_direct(), through
 * the transport seam (replies built with ldns).
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "propagation.h"
#include "resolver.h"

/* ------------------------------------------------------- hand-built data */

static struct dname dn(const char *s)
{
	struct dname d;

	ck_assert(dname_from_text(&d, s, strlen(s), 0, NULL));
	return d;
}

static struct dns_rr txt(const char *joined, const char *wire, size_t wlen, uint32_t ttl)
{
	struct dns_rr r;

	memset(&r, 0, sizeof(r));
	r.type = DNS_T_TXT;
	r.rrclass = 1;
	r.ttl = ttl;
	r.rdata = (const uint8_t *)wire;
	r.rdlen = wlen;
	r.u.txt.data = (const uint8_t *)joined;
	r.u.txt.len = strlen(joined);
	r.u.txt.nstrings = 1;
	return r;
}

static struct dns_rr mx(uint16_t pref, const char *host)
{
	struct dns_rr r;

	memset(&r, 0, sizeof(r));
	r.type = DNS_T_MX;
	r.rrclass = 1;
	r.u.mx.pref = pref;
	r.u.mx.host = dn(host);
	return r;
}

static struct dns_rr addr4(uint8_t last)
{
	struct dns_rr r;
	static uint8_t wire[256][4];

	memset(&r, 0, sizeof(r));
	r.type = DNS_T_A;
	r.rrclass = 1;
	wire[last][0] = 192;
	wire[last][1] = 0;
	wire[last][2] = 2;
	wire[last][3] = last;
	memcpy(r.u.addr, wire[last], 4);
	r.rdata = wire[last];
	r.rdlen = 4;
	return r;
}

static struct dns_answer answer(enum res_status st, uint16_t type, const struct dns_rr *rr,
				size_t n)
{
	struct dns_answer a;

	memset(&a, 0, sizeof(a));
	a.status = st;
	a.qname = dn("example.com");
	a.qtype = type;
	a.rr = rr;
	a.nrr = n;
	return a;
}

START_TEST(same_answer_sets)
{
	/* TXT: the same joined text split differently, another TTL */
	struct dns_rr t1 = txt("v=spf1 -all", "\x0bv=spf1 -all", 12, 300);
	struct dns_rr t2 = txt("v=spf1 -all", "\x07v=spf1 \x04-all", 13, 60);
	struct dns_rr t3 = txt("v=spf1 ~all", "\x0bv=spf1 ~all", 12, 300);
	struct dns_rr m[3] = {mx(10, "mx1.example.com"), mx(20, "MX2.Example.COM"),
			      mx(10, "mx2.example.com")};
	struct dns_rr m2[2] = {mx(20, "mx2.example.com"), mx(10, "mx1.example.com")};
	struct dns_rr a[3] = {addr4(1), addr4(2), addr4(3)};
	struct dns_answer x, y;

	x = answer(RES_OK, DNS_T_TXT, &t1, 1);
	y = answer(RES_OK, DNS_T_TXT, &t2, 1);
	ck_assert(prop_same_answer(&x, &y)); /* joined strings, TTL */
	y = answer(RES_OK, DNS_T_TXT, &t3, 1);
	ck_assert(!prop_same_answer(&x, &y));
	/* order ignored, names case-insensitive, preference counts */
	x = answer(RES_OK, DNS_T_MX, m, 2);
	y = answer(RES_OK, DNS_T_MX, m2, 2);
	ck_assert(prop_same_answer(&x, &y));
	x = answer(RES_OK, DNS_T_MX, &m[2], 1);
	y = answer(RES_OK, DNS_T_MX, &m2[0], 1);
	ck_assert(!prop_same_answer(&x, &y));
	/* a subset is not the same set, either way round */
	x = answer(RES_OK, DNS_T_A, a, 3);
	y = answer(RES_OK, DNS_T_A, a, 2);
	ck_assert(!prop_same_answer(&x, &y));
	ck_assert(!prop_same_answer(&y, &x));
	ck_assert(prop_shares_record(&x, &y));
	y = answer(RES_OK, DNS_T_A, &a[2], 1);
	x = answer(RES_OK, DNS_T_A, a, 2);
	ck_assert(!prop_shares_record(&x, &y));
	/* status: NXDOMAIN is not NODATA */
	x = answer(RES_NXDOMAIN, DNS_T_TXT, NULL, 0);
	y = answer(RES_NODATA, DNS_T_TXT, NULL, 0);
	ck_assert(!prop_same_answer(&x, &y));
	y = answer(RES_NXDOMAIN, DNS_T_TXT, NULL, 0);
	ck_assert(prop_same_answer(&x, &y));
	ck_assert(!prop_shares_record(&x, &y));
}
END_TEST

START_TEST(same_answer_cname)
{
	struct dname c1[1] = {dn("key.provider.example")};
	struct dname c2[1] = {dn("KEY.provider.example")};
	struct dname c3[1] = {dn("old.provider.example")};
	struct dns_answer x = answer(RES_NODATA, DNS_T_TXT, NULL, 0);
	struct dns_answer y = x;

	x.cname = c1;
	x.ncname = 1;
	y.cname = c2;
	y.ncname = 1;
	ck_assert(prop_same_answer(&x, &y));
	y.cname = c3;
	ck_assert(!prop_same_answer(&x, &y));
	y.ncname = 0;
	ck_assert(!prop_same_answer(&x, &y));
}
END_TEST

static const struct {
	uint32_t a, b;
	int want;
} serials[] = {
	{1, 2, -1},
	{2, 1, 1},
	{7, 7, 0},
	{0xFFFFFFFFu, 0, -1}, /* RFC 1982 3.1: wraps to 0 */
	{0, 0xFFFFFFFFu, 1},
	{2026112601u, 2026112602u, -1},
	{0, 0x7FFFFFFFu, -1}, /* largest step forward */
	{0, 0x80000000u, 1},  /* undefined pair: "newer" */
};

START_TEST(serial_order)
{
	ck_assert_int_eq(prop_serial_cmp(serials[_i].a, serials[_i].b), serials[_i].want);
}
END_TEST

START_TEST(answer_text)
{
	static const char joined[] = "v=spf1 |x\001 -all";
	struct dns_rr t = txt(joined, "", 0, 300);
	struct dns_rr m[2] = {mx(10, "mx1.example.com"), mx(20, "mx2.example.com")};
	struct dns_rr a[2] = {addr4(1), addr4(2)};
	struct dname c[2] = {dn("a.example"), dn("b.example")};
	struct dns_answer x;
	char buf[200], small[20];

	t.u.txt.len = sizeof(joined) - 1;
	x = answer(RES_NXDOMAIN, DNS_T_TXT, NULL, 0);
	ck_assert_str_eq(prop_answer_text(&x, buf, sizeof(buf)), "NXDOMAIN");
	x = answer(RES_NODATA, DNS_T_TXT, NULL, 0);
	ck_assert_str_eq(prop_answer_text(&x, buf, sizeof(buf)), "no TXT record");
	x.cname = c;
	x.ncname = 2;
	ck_assert_str_eq(prop_answer_text(&x, buf, sizeof(buf)),
			 "CNAME a.example -> b.example, no TXT record");
	/* O-01: '|' and control bytes from DNS escaped */
	x = answer(RES_OK, DNS_T_TXT, &t, 1);
	prop_answer_text(&x, buf, sizeof(buf));
	ck_assert_ptr_null(strchr(buf, '|'));
	ck_assert_ptr_null(strchr(buf, '\001'));
	ck_assert_ptr_nonnull(strstr(buf, "v=spf1 "));
	x = answer(RES_OK, DNS_T_MX, m, 2);
	ck_assert_str_eq(prop_answer_text(&x, buf, sizeof(buf)),
			 "10 mx1.example.com, 20 mx2.example.com");
	x = answer(RES_OK, DNS_T_A, a, 2);
	ck_assert_str_eq(prop_answer_text(&x, buf, sizeof(buf)), "192.0.2.1, 192.0.2.2");
	/* cut to fit, with "..." */
	x = answer(RES_OK, DNS_T_MX, m, 2);
	prop_answer_text(&x, small, sizeof(small));
	ck_assert_str_eq(small, "10 mx1.example.c...");
}
END_TEST

/* --------------------------------------------- resolver additions, seam */

struct mock {
	unsigned calls;
	bool rd[64];
	char qname[64][64];
	bool aa;
};

static long seam(void *ctx, const uint8_t *query, size_t qlen, bool tcp, uint8_t *reply, size_t max)
{
	struct mock *m = ctx;
	ldns_pkt *q = NULL, *r;
	ldns_rr *rr = NULL;
	uint8_t *wire = NULL;
	size_t len = 0;
	char *name;

	(void)tcp;
	ck_assert_int_eq(ldns_wire2pkt(&q, query, qlen), LDNS_STATUS_OK);
	name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	if (m->calls < 64) {
		m->rd[m->calls] = ldns_pkt_rd(q);
		snprintf(m->qname[m->calls], sizeof(m->qname[0]), "%s", name);
	}
	m->calls++;
	r = ldns_pkt_new();
	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_aa(r, m->aa);
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION,
			 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	/* Every name is a CNAME to another zone: a direct question stops
	 * there, a recursive one asks on. */
	if (strncmp(name, "sel.", 4) == 0) {
		ck_assert_int_eq(
			ldns_rr_new_frm_str(&rr, "sel.example.com. 300 IN CNAME key.other.example.",
					    300, NULL, NULL),
			LDNS_STATUS_OK);
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
	} else {
		ck_assert_int_eq(
			ldns_rr_new_frm_str(&rr, "key.other.example. 300 IN TXT \"v=DKIM1; p=\"",
					    300, NULL, NULL),
			LDNS_STATUS_OK);
		ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, r, &len), LDNS_STATUS_OK);
	ck_assert_uint_le(len, max);
	memcpy(reply, wire, len);
	free(wire);
	free(name);
	ldns_pkt_free(r);
	ldns_pkt_free(q);
	return (long)len;
}

static struct resolver *new_res(struct mock *m, int family)
{
	struct resolver_config cfg;
	struct resolver *res;
	char err[128];

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.family = family;
	cfg.deadline = clock_monotonic_now() + 5;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(res);
	resolver_set_transport(res, seam, m);
	return res;
}

START_TEST(questions_in_order)
{
	struct mock m = {.aa = true};
	struct resolver *res = new_res(&m, 0);
	struct dname a = dn("sel.example.com"), b = dn("example.com");
	struct dns_question q[4];
	const struct dns_answer *ans;

	ck_assert_uint_eq(resolver_questions(res, NULL, 0), 0);
	ans = resolver_query(res, &a, DNS_T_TXT);
	ck_assert_int_eq(ans->status, RES_OK);
	ck_assert_uint_eq(ans->ncname, 1); /* followed: recursive */
	(void)resolver_query(res, &b, DNS_T_MX);
	(void)resolver_query(res, &a, DNS_T_TXT); /* cached: once */
	ck_assert_uint_eq(resolver_questions(res, q, 4), 2);
	ck_assert(dname_equal(&q[0].name, &a) && q[0].type == DNS_T_TXT);
	ck_assert(dname_equal(&q[1].name, &b) && q[1].type == DNS_T_MX);
	ck_assert_uint_eq(resolver_questions(res, q, 1), 2); /* max */
	ck_assert(m.rd[0]);                                  /* RD set as before */
	resolver_free(res);
}
END_TEST

START_TEST(direct_questions)
{
	struct mock m = {.aa = false};
	struct resolver *res = new_res(&m, 0);
	struct dns_direct_question q[4] = {
		{dn("sel.example.com"), DNS_T_TXT, "192.0.2.53"},
		{dn("sel.example.com"), DNS_T_TXT, "2001:db8::53"},
		{dn("sel.example.com"), DNS_T_TXT, "ns1.example.com"},
		{dn("sel.example.com"), DNS_T_TXT, "192.0.2.53"},
	};
	const struct dns_answer *a[4];
	unsigned before;

	resolver_query_direct(res, q, 4, a);
	/* two servers asked, RD off, the chain not followed to the other
	 * zone; the fourth is the first's, from the cache */
	ck_assert_uint_eq(m.calls, 2);
	ck_assert(!m.rd[0] && !m.rd[1]);
	ck_assert_int_eq(a[0]->status, RES_NODATA);
	ck_assert_uint_eq(a[0]->ncname, 1);
	ck_assert(!a[0]->aa); /* lame shows */
	ck_assert_ptr_nonnull(strstr(a[0]->server, "192.0.2.53"));
	ck_assert_ptr_nonnull(strstr(a[1]->server, "2001:db8::53"));
	ck_assert_int_eq(a[2]->status, RES_NETERR); /* not numeric */
	ck_assert_ptr_eq(a[3], a[0]);
	/* direct questions are no questions of the check */
	ck_assert_uint_eq(resolver_questions(res, NULL, 0), 0);
	/* ... and do not answer a recursive one */
	before = m.calls;
	ck_assert_int_eq(resolver_query(res, &q[0].name, DNS_T_TXT)->status, RES_OK);
	ck_assert_uint_gt(m.calls, before);
	ck_assert(m.rd[before]);
	resolver_free(res);
}
END_TEST

START_TEST(direct_family)
{
	struct mock m = {.aa = true};
	struct resolver *res = new_res(&m, 4);
	struct dns_direct_question q = {dn("example.com"), DNS_T_SOA, "2001:db8::53"};
	const struct dns_answer *a;

	resolver_query_direct(res, &q, 1, &a);
	ck_assert_int_eq(a->status, RES_NETERR); /* -4 */
	ck_assert_uint_eq(m.calls, 0);
	resolver_free(res);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("propagation");
	TCase *tc = tcase_create("compare");

	tcase_add_test(tc, same_answer_sets);
	tcase_add_test(tc, same_answer_cname);
	tcase_add_loop_test(tc, serial_order, 0, sizeof(serials) / sizeof(serials[0]));
	tcase_add_test(tc, answer_text);
	suite_add_tcase(s, tc);
	tc = tcase_create("resolver");
	tcase_add_test(tc, questions_in_order);
	tcase_add_test(tc, direct_questions);
	tcase_add_test(tc, direct_family);
	suite_add_tcase(s, tc);
	return s;
}
