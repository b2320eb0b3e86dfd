/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/resolver.c through its transport seam
 * (resolver_set_transport): replies are built with ldns (or byte by byte
 * where ldns would refuse to build them) and everything above the seam
 * runs as in production. IDs of doc/hostile-inputs.md 4.1 in test names.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resolver.h"
#include <ldns/ldns.h>

#define MAXLOG 128

/* What the mock saw and how it should answer. */
struct mock {
	long (*answer)(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
		       bool tcp, uint8_t *out, size_t max);
	unsigned calls, udp, tcp;
	unsigned do_cd;        /* queries with both the DO and the CD bit */
	unsigned cd;           /* queries with the CD bit */
	char log[MAXLOG][300]; /* "u name/TYPE" or "t name/TYPE" */
	/* parameters of the scenario */
	int rcode, variant;
	bool ad, tc_udp, refuse_tcp;
	const char *an[40];
	size_t nan;
	const char *ns[4];
	size_t nns;
};

static long seam(void *ctx, const uint8_t *query, size_t qlen, bool tcp, uint8_t *reply, size_t max)
{
	struct mock *m = ctx;
	ldns_pkt *q = NULL;
	long r;

	ck_assert_int_eq(ldns_wire2pkt(&q, query, qlen), LDNS_STATUS_OK);
	if (m->calls < MAXLOG) {
		char *name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
		char *type = ldns_rr_type2str(
			ldns_rr_get_type(ldns_rr_list_rr(ldns_pkt_question(q), 0)));

		snprintf(m->log[m->calls], sizeof(m->log[0]), "%c %s/%s", tcp ? 't' : 'u', name,
			 type);
		free(name);
		free(type);
	}
	m->calls++;
	if (ldns_pkt_cd(q))
		m->cd++;
	if (ldns_pkt_cd(q) && ldns_pkt_edns_do(q))
		m->do_cd++;
	if (tcp)
		m->tcp++;
	else
		m->udp++;
	r = m->answer(m, q, query, qlen, tcp, reply, max);
	ldns_pkt_free(q);
	return r;
}

/* A reply to q with rcode and the RRs given as zone-file text. */
static long build(const ldns_pkt *q, int rcode, bool ad, bool tc, const char *const *an, size_t nan,
		  const char *const *ns, size_t nns, uint8_t *out, size_t max)
{
	ldns_pkt *r = ldns_pkt_new();
	uint8_t *wire = NULL;
	size_t len = 0, i;

	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_aa(r, true);
	ldns_pkt_set_rd(r, ldns_pkt_rd(q));
	ldns_pkt_set_ra(r, true);
	ldns_pkt_set_ad(r, ad);
	ldns_pkt_set_tc(r, tc);
	ldns_pkt_set_rcode(r, (uint8_t)rcode);
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION,
			 ldns_rr_clone(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	for (i = 0; i < nan + nns; i++) {
		ldns_rr *rr = NULL;
		const char *text = i < nan ? an[i] : ns[i - nan];

		ck_assert_msg(ldns_rr_new_frm_str(&rr, text, 300, NULL, NULL) == LDNS_STATUS_OK,
			      "bad RR text %s", text);
		ldns_pkt_push_rr(r, i < nan ? LDNS_SECTION_ANSWER : LDNS_SECTION_AUTHORITY, rr);
	}
	ck_assert_int_eq(ldns_pkt2wire(&wire, r, &len), LDNS_STATUS_OK);
	ldns_pkt_free(r);
	ck_assert_uint_le(len, max);
	memcpy(out, wire, len);
	free(wire);
	return (long)len;
}

/* The scenario's reply: m->an over both transports (TC over UDP if asked). */
static long plain(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		  uint8_t *out, size_t max)
{
	if (tcp && m->refuse_tcp)
		return -1;
	if (!tcp && m->tc_udp)
		return build(q, 0, false, true, NULL, 0, NULL, 0, out, max);
	return build(q, m->rcode, m->ad, false, m->an, m->nan, m->ns, m->nns, out, max);
}

static long silent(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		   uint8_t *out, size_t max)
{
	return 0;
}

static struct resolver *new_res(struct mock *m, double seconds)
{
	struct resolver_config cfg;
	struct resolver *res;
	char err[128];

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.port = 5300;
	cfg.deadline = clock_monotonic_now() + seconds;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "resolver_new: %s", err);
	if (m->answer == NULL)
		m->answer = plain;
	resolver_set_transport(res, seam, m);
	return res;
}

static struct dname N(const char *s) {
	struct dname d;
	const char *why = NULL;

	ck_assert_msg(dname_from_text(&d, s, strlen(s), 0, &why), "%s: %s", s, why);
	return d;
}

static const struct dns_answer *
ask(struct resolver *res, const char *name, uint16_t type)
{
	struct dname d = N(name);

	return resolver_query(res, &d, type);
}

static const char *describe(const struct dns_answer *a)
{
	static char buf[1024];

	return answer_describe(a, buf, sizeof(buf));
}

/* ------------------------------------------------------------- basics */

START_TEST(test_mx_ok)
{
	struct mock m = {.an = {"example.com. IN MX 10 mail.example.com."}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "example.com", DNS_T_MX);
	char buf[DNAME_TEXT_MAX];

	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_uint_eq(a->rr[0].u.mx.pref, 10);
	ck_assert_str_eq(dname_to_text(&a->rr[0].u.mx.host, buf, sizeof(buf)), "mail.example.com");
	ck_assert_int_eq(a->rcode, 0);
	ck_assert(a->aa);
	ck_assert(!a->via_tcp);
	ck_assert_str_eq(a->server, "127.0.0.1#5300");
	ck_assert_uint_eq(resolver_queries_sent(res), 1);
	ck_assert_uint_eq(resolver_queries_left(res), LIMIT_QUERIES - 1);
	ck_assert_uint_eq(resolver_round_trips(res), 1);
	ck_assert(res_status_is_answer(a->status));
	ck_assert_uint_eq(m.cd, 0); /* CD only with --dnssec */
	resolver_free(res);
}
END_TEST

START_TEST(test_types_decoded)
{
	struct mock m = {.an = {"x.example. IN A 192.0.2.1", "x.example. IN AAAA 2001:db8::1",
				"x.example. IN NS ns.example.",
				"x.example. IN SOA ns.example. host.example. 42 1 2 3 4",
				"x.example. IN TLSA 3 1 1 abcdef", "x.example. IN PTR p.example."},
			 .nan = 6};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a;
	static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	char buf[DNAME_TEXT_MAX];

	a = ask(res, "x.example", DNS_T_A);
	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_mem_eq(a->rr[0].u.addr, "\xc0\x00\x02\x01", 4);
	a = ask(res, "x.example", DNS_T_AAAA);
	ck_assert_mem_eq(a->rr[0].u.addr, v6, 16);
	a = ask(res, "x.example", DNS_T_NS);
	ck_assert_str_eq(dname_to_text(&a->rr[0].u.target, buf, sizeof(buf)), "ns.example");
	a = ask(res, "x.example", DNS_T_SOA);
	ck_assert_uint_eq(a->rr[0].u.soa.serial, 42);
	a = ask(res, "x.example", DNS_T_TLSA);
	ck_assert_uint_eq(a->rr[0].u.tlsa.usage, 3);
	ck_assert_uint_eq(a->rr[0].u.tlsa.len, 3);
	ck_assert_mem_eq(a->rr[0].u.tlsa.data, "\xab\xcd\xef", 3);
	a = ask(res, "x.example", DNS_T_PTR);
	ck_assert_str_eq(dname_to_text(&a->rr[0].u.target, buf, sizeof(buf)), "p.example");
	ck_assert_uint_eq(a->rr[0].rdlen, a->rr[0].u.target.len);
	resolver_free(res);
}
END_TEST

/* ---------------------------------------------- N-ID-01/03: matching */

/* Variant v of a reply that must be ignored. */
static long mangled(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		    uint8_t *out, size_t max)
{
	long n = build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);
	size_t qend = 12;

	while (out[qend] != 0)
		qend += 1 + out[qend];
	qend++;
	switch (m->variant) {
	case 0:
		out[1] ^= 1;
		break; /* ID */
	case 1:
		out[2] &= 0x7f;
		break; /* QR=0 */
	case 2:
		out[2] |= 2 << 3;
		break; /* opcode STATUS */
	case 3:
		out[13] ^= 1;
		break; /* other name */
	case 4:
		out[qend + 1] ^= 1;
		break; /* other type */
	case 5:
		out[qend + 3] = 3;
		break; /* class CH */
	case 6:
		out[5] = 2;
		break; /* QDCOUNT 2 */
	case 7:
		out[5] = 0;
		break; /* QDCOUNT 0 */
	case 8:
		out[13] ^= 0x20;
		return n; /* case: accepted */
	}
	return n;
}

static const struct {
	const char *id, *why;
} ignored[] = {
	{"N-ID-01 wrong ID", "ID mismatch"},         {"N-ID-03 QR=0", "QR=0"},
	{"N-ID-03 opcode", "opcode mismatch"},       {"N-ID-03 other name", "question mismatch"},
	{"N-ID-03 other type", "question mismatch"}, {"N-ID-03 class CH", "question mismatch"},
	{"N-ID-03 QDCOUNT 2", "question mismatch"},  {"N-ID-03 QDCOUNT 0", "question mismatch"},
};

START_TEST(test_ignored_replies)
{
	struct mock m = {.answer = mangled,
			 .variant = _i,
			 .an = {"ab.example. IN TXT \"v=spf1 -all\""},
			 .nan = 1};
	double t0 = clock_monotonic_now();
	struct resolver *res = new_res(&m, 1.2);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);
	char want[64];

	ck_assert_msg(a->status == RES_TIMEOUT, "%s: %s", ignored[_i].id, describe(a));
	snprintf(want, sizeof(want), "no matching reply (%s)", ignored[_i].why);
	ck_assert_msg(strstr(describe(a), want) != NULL, "%s: %s", ignored[_i].id, describe(a));
	ck_assert_msg(strstr(describe(a), "DNS timeout for ab.example/TXT "
					  "via 127.0.0.1#5300 after") != NULL,
		      "%s", describe(a));
	/* Retries within the deadline, and the deadline holds (rule 2). */
	ck_assert_uint_ge(m.calls, 2);
	ck_assert_double_lt(clock_monotonic_now() - t0, 1.2 + 0.3);
	resolver_free(res);
}
END_TEST

START_TEST(test_case_folded_question)
{
	struct mock m = {.answer = mangled,
			 .variant = 8,
			 .an = {"ab.example. IN TXT \"v=spf1 -all\""},
			 .nan = 1};
	struct resolver *res = new_res(&m, 1);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-ID-03 case-folded name: %s", describe(a));
	resolver_free(res);
}
END_TEST

/* A wrong-ID reply then the right one, from the same try. */
static long wrong_then_right(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
			     bool tcp, uint8_t *out, size_t max)
{
	if (m->calls == 1) {
		long n = build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);

		out[0] ^= 0x80;
		return n;
	}
	return build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);
}

START_TEST(test_wrong_id_then_retry)
{
	struct mock m = {.answer = wrong_then_right, .an = {"ab.example. IN TXT \"ok\""}, .nan = 1};
	struct resolver *res = new_res(&m, 4);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-ID-01 then good: %s", describe(a));
	ck_assert_uint_eq(m.calls, 2);
	ck_assert_uint_eq(a->queries, 2);
	resolver_free(res);
}
END_TEST

/* ---------------------------------------------------- N-TC: rule 8 */

START_TEST(test_tc_uses_tcp)
{
	struct mock m = {.tc_udp = true, .an = {"ab.example. IN TXT \"v=spf1 -all\""}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-TC-01: %s", describe(a));
	ck_assert(a->via_tcp);
	ck_assert_uint_eq(m.udp, 1);
	ck_assert_uint_eq(m.tcp, 1);
	ck_assert_uint_eq(resolver_queries_sent(res), 2);
	ck_assert_uint_eq(a->queries, 2);
	resolver_free(res);
}
END_TEST

START_TEST(test_tc_tcp_refused)
{
	struct mock m = {.tc_udp = true, .refuse_tcp = true};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_NETERR);
	ck_assert_msg(strstr(describe(a), "TC and TCP fallback failed: "
					  "connection refused") != NULL,
		      "N-TC-03: %s", describe(a));
	ck_assert(!res_status_is_answer(a->status));
	resolver_free(res);
}
END_TEST

/* N-TC-02: a TC reply with a partial CNAME chain is not used. */
static long tc_partial(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
		       bool tcp, uint8_t *out, size_t max)
{
	static const char *part[] = {"c0.example. IN CNAME c1.example."};
	static const char *full[] = {"c0.example. IN CNAME c1.example.",
				     "c1.example. IN TXT \"end\""};

	if (!tcp)
		return build(q, 0, false, true, part, 1, NULL, 0, out, max);
	return build(q, 0, false, false, full, 2, NULL, 0, out, max);
}

START_TEST(test_tc_partial_chain)
{
	struct mock m = {.answer = tc_partial};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "c0.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-TC-02: %s", describe(a));
	ck_assert_uint_eq(a->ncname, 1);
	ck_assert_uint_eq(m.calls, 2);
	resolver_free(res);
}
END_TEST

static long refuse(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		   uint8_t *out, size_t max)
{
	return -1;
}

START_TEST(test_udp_refused)
{
	struct mock m = {.answer = refuse};
	double t0 = clock_monotonic_now();
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "ab.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_NETERR);
	ck_assert_str_eq(describe(a), "DNS network error for ab.example/TXT "
				      "via 127.0.0.1#5300: connection refused");
	/* Implied (hardening round 2): one ICMP error is easy to forge, so it is
	 * ignored while a try remains; the second one ends the query. */
	ck_assert_uint_eq(m.calls, 2);
	ck_assert_double_lt(clock_monotonic_now() - t0, 0.5);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- TXT: rule 3, N-TXT */

/* A TXT reply with hand-made RDATA (ldns will not build some of them). */
static long raw_txt(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		    uint8_t *out, size_t max)
{
	size_t n = rawlen, k, i;

	/* The query's header and question, turned into a reply. */
	memcpy(out, raw, rawlen);
	while (n > 12 && out[11] != 0) { /* drop the OPT RR */
		out[11] = 0;
		n = 12;
		while (out[n] != 0)
			n += 1 + out[n];
		n += 5;
	}
	out[2] |= 0x84;
	out[7] = 1;
	out[n++] = 0xc0;
	out[n++] = 12;
	memcpy(out + n, "\0\x10\0\x01\0\0\x01\x2c", 8);
	n += 8;
	switch (m->variant) {
	case 0: /* "\0\xff" "ab": NUL and high bytes kept */
		memcpy(out + n,
		       "\0\x06\x02\0\xff\x02"
		       "ab",
		       8);
		n += 8;
		break;
	case 1: /* zero strings */
		out[n++] = 0;
		out[n++] = 0;
		break;
	case 2: /* one empty string */
		memcpy(out + n, "\0\x01\0", 3);
		n += 3;
		break;
	case 3: /* N-TXT-01: 1,000 one-byte strings */
	case 4: /* 1,001: over LIMIT_TXT_STRINGS */
		k = m->variant == 3 ? 1000 : 1001;
		out[n++] = (uint8_t)((2 * k) >> 8);
		out[n++] = (uint8_t)(2 * k);
		for (i = 0; i < k; i++) {
			out[n++] = 1;
			out[n++] = (uint8_t)('a' + i % 26);
		}
		break;
	case 5: /* N-WIRE-03: string longer than its RDATA */
		memcpy(out + n, "\0\x03\x09xy", 5);
		n += 5;
		break;
	}
	ck_assert_uint_le(n, max);
	return (long)n;
}

START_TEST(test_txt_bytes)
{
	struct mock m = {.answer = raw_txt, .variant = 0};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "%s", describe(a));
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_uint_eq(a->rr[0].u.txt.nstrings, 2);
	ck_assert_uint_eq(a->rr[0].u.txt.len, 4);
	ck_assert_mem_eq(a->rr[0].u.txt.data,
			 "\0\xff"
			 "ab",
			 4);
	ck_assert_uint_eq(a->rr[0].rdlen, 6);
	resolver_free(res);
}
END_TEST

START_TEST(test_txt_zero_strings)
{
	struct mock m = {.answer = raw_txt, .variant = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-TXT-03 zero strings: %s", describe(a));
	ck_assert_uint_eq(a->rr[0].u.txt.nstrings, 0);
	ck_assert_uint_eq(a->rr[0].u.txt.len, 0);
	resolver_free(res);

	memset(&m, 0, sizeof(m));
	m.answer = raw_txt;
	m.variant = 2;
	res = new_res(&m, 2);
	a = ask(res, "t.example", DNS_T_TXT);
	ck_assert_msg(a->status == RES_OK, "N-TXT-03 one empty string: %s", describe(a));
	ck_assert_uint_eq(a->rr[0].u.txt.nstrings, 1);
	ck_assert_uint_eq(a->rr[0].u.txt.len, 0);
	resolver_free(res);
}
END_TEST

START_TEST(test_txt_many_strings)
{
	struct mock m = {.answer = raw_txt, .variant = 3};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-TXT-01: %s", describe(a));
	ck_assert_uint_eq(a->rr[0].u.txt.nstrings, 1000);
	ck_assert_uint_eq(a->rr[0].u.txt.len, 1000);
	ck_assert_mem_eq(a->rr[0].u.txt.data, "abcdefghijklmnopqrstuvwxyza", 27);
	resolver_free(res);

	memset(&m, 0, sizeof(m));
	m.answer = raw_txt;
	m.variant = 4;
	res = new_res(&m, 2);
	a = ask(res, "t.example", DNS_T_TXT);
	ck_assert_int_eq(a->status, RES_MALFORMED);
	ck_assert_msg(strstr(describe(a), "more than 1000 strings") != NULL, "%s", describe(a));
	resolver_free(res);
}
END_TEST

START_TEST(test_txt_overrun)
{
	struct mock m = {.answer = raw_txt, .variant = 5};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_MALFORMED, "N-WIRE-03: %s", describe(a));
	ck_assert_msg(strncmp(describe(a),
			      "malformed DNS reply for "
			      "t.example/TXT via 127.0.0.1#5300: ",
			      51) == 0,
		      "%s", describe(a));
	resolver_free(res);
}
END_TEST

START_TEST(test_txt_multi_string)
{
	struct mock m = {.an = {"t.example. IN TXT \"v=spf1 inc\" \"lude:x.example -all\"",
				"t.example. IN TXT \"second\""},
			 .nan = 2};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(a->nrr, 2);
	ck_assert_uint_eq(a->rr[0].u.txt.nstrings, 2);
	ck_assert_uint_eq(a->rr[0].u.txt.len, 29);
	ck_assert_mem_eq(a->rr[0].u.txt.data, "v=spf1 include:x.example -all", 29);
	ck_assert_mem_eq(a->rr[1].u.txt.data, "second", 6);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- N-RR-01..03 */

START_TEST(test_rr_filtering)
{
	struct mock m = {.an = {"other.example. IN TXT \"v=spf1 +all\"", /* N-RR-02 */
				"t.example. IN A 192.0.2.1",             /* N-RR-01 */
				"t.example. IN SPF \"v=spf1 ?all\"",     /* N-RR-01 */
				"t.example. CH TXT \"chaos\"",           /* N-RR-03 */
				"t.example. IN TXT \"v=spf1 -all\""},
			 .nan = 5};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_uint_eq(a->rr[0].type, DNS_T_TXT);
	ck_assert_mem_eq(a->rr[0].u.txt.data, "v=spf1 -all", 11);
	resolver_free(res);
}
END_TEST

START_TEST(test_rr_only_foreign)
{
	struct mock m = {.an = {"other.example. IN TXT \"v=spf1 +all\"",
				"t.example. IN A 192.0.2.1", "t.example. CH TXT \"chaos\""},
			 .nan = 3};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "t.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_NODATA, "N-RR-01/02/03: %s", describe(a));
	ck_assert_uint_eq(a->nrr, 0);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- CNAMEs: N-CN-* */

START_TEST(test_cname_in_answer)
{
	struct mock m = {.an = {"a.example. IN CNAME b.example.", "b.example. IN CNAME c.example.",
				"c.example. IN TXT \"end\""},
			 .nan = 3};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "a.example", DNS_T_TXT);
	char buf[DNAME_TEXT_MAX];

	ck_assert_msg(a->status == RES_OK, "%s", describe(a));
	ck_assert_uint_eq(a->ncname, 2);
	ck_assert_str_eq(dname_to_text(&a->cname[1], buf, sizeof(buf)), "c.example");
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_uint_eq(m.calls, 1);
	resolver_free(res);
}
END_TEST

/* One CNAME per answer, the next hop answered on the next query. */
static long one_hop(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		    uint8_t *out, size_t max)
{
	char *name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	char rr[300];
	const char *an[1] = {rr};
	int i;

	/* hN.example -> h(N+1).example, up to h{variant}.example TXT;
	 * m->rcode = 1 makes the last hop point back at h0. */
	ck_assert(sscanf(name, "h%d.", &i) == 1);
	free(name);
	if (i < m->variant)
		snprintf(rr, sizeof(rr), "h%d.example. IN CNAME h%d.example.", i,
			 m->rcode == 1 && i == m->variant - 1 ? 0 : i + 1);
	else
		snprintf(rr, sizeof(rr), "h%d.example. IN TXT \"end\"", i);
	return build(q, 0, false, false, an, 1, NULL, 0, out, max);
}

/* The alias answers with a CNAME; its target fails with m->rcode (or,
 * with rcode 0, has no TXT). */
static long alias_then_fail(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
			    bool tcp, uint8_t *out, size_t max)
{
	char *name = ldns_rdf2str(ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_question(q), 0)));
	static const char *const an[1] = {"default._domainkey.example.com. "
					  "IN CNAME key.provider.example.net."};
	bool alias = strcmp(name, "default._domainkey.example.com.") == 0;

	free(name);
	if (alias)
		return build(q, 0, false, false, an, 1, NULL, 0, out, max);
	return build(q, m->rcode, false, false, NULL, 0, NULL, 0, out, max);
}

/* Review finding 5d: a failure at the end of a CNAME chain names the
 * name that was asked last, and the alias it came from (N-CN-03). */
START_TEST(test_describe_names_cname_target)
{
	struct mock m = {.answer = alias_then_fail, .rcode = 2};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "default._domainkey.example.com", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_SERVFAIL);
	ck_assert_str_eq(describe(a), "DNS SERVFAIL for "
				      "key.provider.example.net/TXT (CNAME of "
				      "default._domainkey.example.com) via 127.0.0.1#5300");
	resolver_free(res);

	m = (struct mock){.answer = alias_then_fail, .rcode = 0};
	res = new_res(&m, 2);
	a = ask(res, "default._domainkey.example.com", DNS_T_TXT);
	ck_assert_int_eq(a->status, RES_NODATA);
	ck_assert_str_eq(describe(a), "no TXT record for "
				      "key.provider.example.net (CNAME of "
				      "default._domainkey.example.com, via 127.0.0.1#5300)");
	resolver_free(res);
}
END_TEST

START_TEST(test_cname_across_queries)
{
	struct mock m = {.answer = one_hop, .variant = 3};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "h0.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_OK, "N-CN-03: %s", describe(a));
	ck_assert_uint_eq(a->ncname, 3);
	ck_assert_uint_eq(m.calls, 4);
	ck_assert_uint_eq(a->queries, 4);
	ck_assert_uint_eq(resolver_round_trips(res), 4);
	/* Every hop is cached: asking a name on the chain costs nothing. */
	a = ask(res, "h2.example", DNS_T_TXT);
	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(m.calls, 4);
	resolver_free(res);
}
END_TEST

START_TEST(test_cname_across_queries_cap)
{
	struct mock m = {.answer = one_hop, .variant = 17};
	struct resolver *res = new_res(&m, 3);
	const struct dns_answer *a = ask(res, "h0.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_CNAME_LONG, "N-CN-03 17 hops: %s", describe(a));
	ck_assert_uint_le(m.calls, 17);
	resolver_free(res);

	memset(&m, 0, sizeof(m));
	m.answer = one_hop;
	m.variant = 16;
	res = new_res(&m, 3);
	a = ask(res, "h0.example", DNS_T_TXT);
	ck_assert_msg(a->status == RES_OK, "16 hops: %s", describe(a));
	ck_assert_uint_eq(a->ncname, 16);
	resolver_free(res);
}
END_TEST

START_TEST(test_cname_loop_across_queries)
{
	struct mock m = {.answer = one_hop, .variant = 3, .rcode = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "h0.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_CNAME_LOOP, "N-CN-01 across: %s", describe(a));
	ck_assert_str_eq(describe(a), "CNAME loop at h0.example (asking "
				      "h0.example/TXT)");
	ck_assert_uint_eq(m.calls, 3);
	resolver_free(res);
}
END_TEST

START_TEST(test_cname_loop)
{
	struct mock m = {.an = {"a.example. IN CNAME b.example.", "b.example. IN CNAME a.example."},
			 .nan = 2};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "a.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_CNAME_LOOP);
	ck_assert_msg(strncmp(describe(a), "CNAME loop at a.example", 23) == 0, "N-CN-01: %s",
		      describe(a));
	ck_assert(!res_status_is_answer(a->status));
	resolver_free(res);

	/* Mixed case: A -> b -> a is the same loop. */
	memset(&m, 0, sizeof(m));
	m.an[0] = "A.example. IN CNAME b.example.";
	m.an[1] = "b.example. IN CNAME a.example.";
	m.nan = 2;
	res = new_res(&m, 2);
	a = ask(res, "A.example", DNS_T_TXT);
	ck_assert_msg(a->status == RES_CNAME_LOOP, "N-CN-01 mixed case: %s", describe(a));
	resolver_free(res);
}
END_TEST

static char hops[40][100];

START_TEST(test_cname_long_in_answer)
{
	struct mock m = {.nan = 0};
	struct resolver *res;
	const struct dns_answer *a;
	size_t i, n = (size_t)_i ? 17 : 16;

	for (i = 0; i < n; i++) {
		snprintf(hops[i], sizeof(hops[i]), "c%zu.example. IN CNAME c%zu.example.", i,
			 i + 1);
		m.an[m.nan++] = hops[i];
	}
	snprintf(hops[n], sizeof(hops[n]), "c%zu.example. IN TXT \"end\"", n);
	m.an[m.nan++] = hops[n];
	res = new_res(&m, 2);
	a = ask(res, "c0.example", DNS_T_TXT);
	if (n == 17) {
		ck_assert_msg(a->status == RES_CNAME_LONG, "N-CN-02 17: %s", describe(a));
		ck_assert_str_eq(describe(a), "CNAME chain longer than 16 for "
					      "c0.example/TXT");
	} else {
		ck_assert_msg(a->status == RES_OK, "16 hops: %s", describe(a));
		ck_assert_uint_eq(a->ncname, 16);
	}
	ck_assert_uint_eq(m.calls, 1);
	resolver_free(res);
}
END_TEST

START_TEST(test_cname_qtype)
{
	struct mock m = {.an = {"a.example. IN CNAME b.example."}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "a.example", DNS_T_CNAME);

	ck_assert_int_eq(a->status, RES_OK);
	ck_assert_uint_eq(a->nrr, 1);
	ck_assert_uint_eq(a->ncname, 0);
	resolver_free(res);
}
END_TEST

/* A chain ending at a NODATA with an SOA is final (no further query). */
START_TEST(test_cname_nodata_soa)
{
	struct mock m = {.an = {"a.example. IN CNAME b.example."},
			 .nan = 1,
			 .ns = {"example. IN SOA ns.example. h.example. 1 2 3 "
				"4 5"},
			 .nns = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "a.example", DNS_T_TXT);

	ck_assert_int_eq(a->status, RES_NODATA);
	ck_assert_uint_eq(a->ncname, 1);
	ck_assert_uint_eq(m.calls, 1);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- rcodes: N-RC-* */

static const struct {
	int rcode;
	enum res_status st;
	const char *text;
} rcodes[] = {
	{0, RES_NODATA, "no TXT record for r.example"},
	{3, RES_NXDOMAIN, "NXDOMAIN for r.example/TXT"},
	{2, RES_SERVFAIL, "DNS SERVFAIL for r.example/TXT via 127.0.0.1#5300"},
	{5, RES_REFUSED, "DNS REFUSED for r.example/TXT"},
	{1, RES_RCODE, "DNS FORMERR for r.example/TXT"},
	{4, RES_RCODE, "DNS NOTIMP for r.example/TXT"},
	{11, RES_RCODE, "DNS RCODE11 for r.example/TXT"},
	{15, RES_RCODE, "DNS RCODE15 for r.example/TXT"},
};

START_TEST(test_rcodes)
{
	struct mock m = {.rcode = rcodes[_i].rcode};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "r.example", DNS_T_TXT);

	ck_assert_msg(a->status == rcodes[_i].st, "N-RC-01 rcode %d: %s", rcodes[_i].rcode,
		      describe(a));
	ck_assert_int_eq(a->rcode, rcodes[_i].rcode);
	ck_assert_msg(strstr(describe(a), rcodes[_i].text) != NULL, "%s", describe(a));
	ck_assert_uint_eq(m.calls, 1);
	resolver_free(res);
}
END_TEST

START_TEST(test_nxdomain_with_answer)
{
	struct mock m = {.rcode = 3, .an = {"r.example. IN TXT \"v=spf1 +all\""}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "r.example", DNS_T_TXT);

	ck_assert_msg(a->status == RES_NXDOMAIN, "N-RC-03: %s", describe(a));
	ck_assert_uint_eq(a->nrr, 0);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- limits, wire */

static long bad_wire(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen, bool tcp,
		     uint8_t *out, size_t max)
{
	long n = build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);

	switch (m->variant) {
	case 0: /* N-WIRE-06: ANCOUNT 65,535 with one record */
		out[6] = out[7] = 0xff;
		return n;
	case 1: /* ANCOUNT 1,001: one over the cap */
		out[6] = 0x03;
		out[7] = 0xe9;
		return n;
	case 2: /* N-WIRE-01: header only, ANCOUNT 5 */
		out[7] = 5;
		return n - 11; /* cut the one TXT RR */
	case 3:                /* N-WIRE-01: 5 bytes */
		return 5;
	case 4: /* N-WIRE-03: trailing garbage after the last RR */
		memcpy(out + n, "\x01\x02\x03", 3);
		return n + 3;
	}
	return n;
}

START_TEST(test_rr_count_cap)
{
	struct mock m = {
		.answer = bad_wire, .variant = _i, .an = {"w.example. IN TXT \"x\""}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "w.example", DNS_T_TXT);

	if (_i == 3) {
		/* N-WIRE-01: a 5-byte datagram cannot be matched to the
		 * query, so it is ignored like a wrong ID (anyone can send
		 * one), and the query ends without an answer. */
		ck_assert_int_eq(a->status, RES_TIMEOUT);
		ck_assert_msg(strstr(describe(a), "message cut short") != NULL, "%s", describe(a));
		resolver_free(res);
		return;
	}
	ck_assert_int_eq(a->status, RES_MALFORMED);
	if (_i < 2)
		ck_assert_msg(strstr(describe(a), "too many records") != NULL, "N-WIRE-06: %s",
			      describe(a));
	ck_assert_uint_eq(m.calls, 1);
	resolver_free(res);
}
END_TEST

START_TEST(test_trailing_bytes)
{
	struct mock m = {
		.answer = bad_wire, .variant = 4, .an = {"w.example. IN TXT \"x\""}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "w.example", DNS_T_TXT);

	/* N-WIRE-03: trailing bytes are ignored or make the reply
	 * malformed; either way no crash and no wrong data. */
	ck_assert(a->status == RES_OK || a->status == RES_MALFORMED);
	if (a->status == RES_OK)
		ck_assert_mem_eq(a->rr[0].u.txt.data, "x", 1);
	resolver_free(res);
}
END_TEST

/* --------------------------------------------- batch, cache, deadline */

START_TEST(test_batch_sends_all_first)
{
	struct mock m = {.tc_udp = true,
			 .an = {"a.example. IN TXT \"a\"", "b.example. IN MX 0 .",
				"c.example. IN A 192.0.2.3"},
			 .nan = 3};
	struct resolver *res = new_res(&m, 2);
	struct dns_question q[4];
	const struct dns_answer *out[4];

	q[0].name = N("a.example");
	q[0].type = DNS_T_TXT;
	q[1].name = N("b.example");
	q[1].type = DNS_T_MX;
	q[2].name = N("c.example");
	q[2].type = DNS_T_A;
	q[3].name = N("A.EXAMPLE"); /* a duplicate, other case */
	q[3].type = DNS_T_TXT;
	resolver_query_batch(res, q, 4, out);
	ck_assert_int_eq(out[0]->status, RES_OK);
	ck_assert_int_eq(out[1]->status, RES_OK);
	ck_assert_int_eq(out[2]->status, RES_OK);
	ck_assert_ptr_eq(out[0], out[3]);
	/* All three UDP queries went out before any reply was looked at
	 * (the TC replies' TCP retries come after all of them). */
	ck_assert_uint_eq(m.calls, 6);
	ck_assert_str_eq(m.log[0], "u a.example./TXT");
	ck_assert_str_eq(m.log[1], "u b.example./MX");
	ck_assert_str_eq(m.log[2], "u c.example./A");
	ck_assert_int_eq(m.log[3][0], 't');
	ck_assert_uint_eq(resolver_round_trips(res), 1);
	ck_assert_uint_eq(resolver_queries_sent(res), 6);
	resolver_free(res);
}
END_TEST

START_TEST(test_batch_cname_second_wave)
{
	struct mock m = {.answer = one_hop, .variant = 1};
	struct resolver *res = new_res(&m, 2);
	struct dns_question q[2];
	const struct dns_answer *out[2];

	q[0].name = N("h0.example"); /* -> h1, asked in a second wave */
	q[0].type = DNS_T_TXT;
	q[1].name = N("h1.example");
	q[1].type = DNS_T_A;
	resolver_query_batch(res, q, 2, out);
	ck_assert_int_eq(out[0]->status, RES_OK);
	ck_assert_uint_eq(resolver_round_trips(res), 2);
	ck_assert_uint_eq(m.calls, 3);
	resolver_free(res);
}
END_TEST

START_TEST(test_cache_hit)
{
	struct mock m = {.an = {"a.example. IN TXT \"a\""}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a1 = ask(res, "a.example", DNS_T_TXT);
	const struct dns_answer *a2 = ask(res, "A.Example.", DNS_T_TXT);

	ck_assert_ptr_eq(a1, a2);
	ck_assert_uint_eq(m.calls, 1);
	ck_assert_uint_eq(resolver_queries_sent(res), 1);
	ck_assert_uint_eq(resolver_round_trips(res), 1);
	/* Another type is another question. */
	ask(res, "a.example", DNS_T_A);
	ck_assert_uint_eq(m.calls, 2);
	resolver_free(res);
}
END_TEST

START_TEST(test_deadline_silent)
{
	struct mock m = {.answer = silent};
	double t0 = clock_monotonic_now();
	struct resolver *res = new_res(&m, 1.0);
	const struct dns_answer *a = ask(res, "s.example", DNS_T_MX);
	double took = clock_monotonic_now() - t0;

	ck_assert_int_eq(a->status, RES_TIMEOUT);
	ck_assert_msg(strncmp(describe(a),
			      "DNS timeout for s.example/MX via "
			      "127.0.0.1#5300 after ",
			      45) == 0,
		      "N-TO-01: %s", describe(a));
	ck_assert_msg(strstr(a->detail, "no reply after") != NULL, "%s", a->detail);
	ck_assert_double_lt(took, 1.0 + 0.2);
	ck_assert_double_ge(took, 0.9);
	ck_assert_uint_ge(m.calls, 2);
	ck_assert_uint_le(m.calls, 6);
	/* Past the deadline nothing more is sent. */
	a = ask(res, "t.example", DNS_T_MX);
	ck_assert_int_eq(a->status, RES_TIMEOUT);
	ck_assert_uint_le(m.calls, 6);
	resolver_free(res);
}
END_TEST

static char *write_file(const char *text);

/* --dnssec validates here (common/dnssec.h): an AD bit proves nothing.
 * The mock's reply has AD=1 but no signature, and no DNSKEY for the
 * root of the anchor: bogus, never authenticated. */
START_TEST(test_dnssec)
{
	struct resolver_config cfg;
	struct mock m = {.answer = plain, .ad = true, .an = {"d.example. IN TXT \"x\""}, .nan = 1};
	struct resolver *res;
	const struct dns_answer *a;
	char err[256], *path;

	path = write_file(". IN DS 20326 8 2 "
			  "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n");
	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "::1";
	cfg.nservers = 1;
	cfg.dnssec = true;
	cfg.trust_anchor = path;
	cfg.deadline = clock_monotonic_now() + 2;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_set_transport(res, seam, &m);
	a = ask(res, "d.example", DNS_T_TXT);
	/* RFC 6840 5.9: every query of a validator sets CD, so that a
	 * validating resolver upstream hands over what it would refuse and
	 * the reason can be named here (and DO, for the signatures) */
	ck_assert_uint_gt(m.calls, 0);
	ck_assert_uint_eq(m.do_cd, m.calls);
	ck_assert_int_eq(a->status, RES_BOGUS);
	ck_assert(a->validated && !a->secure && a->nrr == 0);
	ck_assert_msg(strstr(describe(a), "DNSSEC bogus answer for d.example/TXT via ::1#53: ") !=
			      NULL,
		      "%s", describe(a));
	resolver_free(res);
	/* D-06: the anchor file is read when the resolver is made */
	cfg.trust_anchor = "/nonexistent/root.key";
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "trust anchor /nonexistent/root.key: No such file or directory");
	unlink(path);
}
END_TEST

/* Review finding 13: -vvv shows the answer RRs, one a line, sanitised
 * (O-01: no raw '|' or control byte from the network) and capped. */
START_TEST(test_trace_answers)
{
	struct resolver_config cfg;
	struct mock m = {.answer = plain,
			 .an = {"example.com. IN MX 10 mail.example.com.",
				"example.com. IN TXT \"v=spf1 a|b\\010c -all\""},
			 .nan = 2};
	static char rrs[30][80];
	struct resolver *res;
	char err[128], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct dname d = N("example.com");

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.verbose = 3;
	cfg.trace = f;
	cfg.deadline = clock_monotonic_now() + 2;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(res);
	resolver_set_transport(res, seam, &m);
	ck_assert_int_eq(resolver_query(res, &d, DNS_T_MX)->status, RES_OK);
	fclose(f);
	ck_assert_msg(strstr(buf, "\ndns:   example.com. 300 IN MX 10 "
				  "mail.example.com.\n") != NULL,
		      "%s", buf);
	ck_assert_msg(strstr(buf, "\ndns:   example.com. 300 IN TXT") != NULL, "%s", buf);
	ck_assert_msg(strchr(buf, '|') == NULL, "raw '|' in trace: %s", buf);
	free(buf);
	resolver_free(res);

	/* 30 RRs: 20 shown, the rest counted */
	memset(&m, 0, sizeof(m));
	m.answer = plain;
	for (int i = 0; i < 30; i++) {
		snprintf(rrs[i], sizeof(rrs[i]), "example.com. IN A 192.0.2.%d", i + 1);
		m.an[i] = rrs[i];
	}
	m.nan = 30;
	buf = NULL;
	f = open_memstream(&buf, &len);
	cfg.trace = f;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(res);
	resolver_set_transport(res, seam, &m);
	ck_assert_int_eq(resolver_query(res, &d, DNS_T_A)->status, RES_OK);
	fclose(f);
	ck_assert_msg(strstr(buf, "IN A 192.0.2.20\n") != NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "IN A 192.0.2.21\n") == NULL, "%s", buf);
	ck_assert_msg(strstr(buf, "dns:   (10 more RRs not shown)\n") != NULL, "%s", buf);
	free(buf);
	resolver_free(res);
}
END_TEST

START_TEST(test_trace)
{
	struct resolver_config cfg;
	struct mock m = {.answer = plain, .an = {"t\\255.example. IN TXT \"x\""}, .nan = 1};
	struct resolver *res;
	char err[128], *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct dname d;
	const char *why;

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.verbose = 3;
	cfg.trace = f;
	cfg.deadline = clock_monotonic_now() + 2;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(res);
	resolver_set_transport(res, seam, &m);
	ck_assert(dname_from_text(&d, "t\xff.example", 10, 0, &why));
	ck_assert_int_eq(resolver_query(res, &d, DNS_T_TXT)->status, RES_OK);
	fclose(f);
	ck_assert_msg(strstr(buf, "dns: send t\\255.example/TXT udp "
				  "127.0.0.1#53 id=") != NULL,
		      "%s", buf);
	ck_assert_msg(strstr(buf, "dns: reply t\\255.example/TXT udp "
				  "127.0.0.1#53 id=") != NULL,
		      "%s", buf);
	ck_assert_msg(strstr(buf, "NOERROR 1 RRs") != NULL, "%s", buf);
	free(buf);
	resolver_free(res);

	/* Failures are traced with their reason. */
	f = open_memstream(&buf, &len);
	cfg.trace = f;
	m.answer = refuse;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_ptr_nonnull(res);
	resolver_set_transport(res, seam, &m);
	ck_assert_int_eq(resolver_query(res, &d, DNS_T_TXT)->status, RES_NETERR);
	fclose(f);
	ck_assert_msg(strstr(buf, "dns: failed t\\255.example/TXT udp "
				  "127.0.0.1#53: network error: connection refused") != NULL,
		      "%s", buf);
	free(buf);
	resolver_free(res);
}
END_TEST

/* The first server is silent: the next try goes to the second one. */
static long second_answers(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
			   bool tcp, uint8_t *out, size_t max)
{
	if (m->calls == 1)
		return 0;
	return build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);
}

START_TEST(test_next_server)
{
	struct resolver_config cfg;
	struct mock m = {.answer = second_answers, .an = {"n.example. IN A 192.0.2.7"}, .nan = 1};
	struct resolver *res;
	const struct dns_answer *a;
	char err[128];

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.servers[1] = "127.0.0.2";
	cfg.nservers = 2;
	cfg.port = 53;
	cfg.deadline = clock_monotonic_now() + 3;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_set_transport(res, seam, &m);
	a = ask(res, "n.example", DNS_T_A);
	ck_assert_msg(a->status == RES_OK, "%s", describe(a));
	ck_assert_str_eq(a->server, "127.0.0.2#53");
	ck_assert_uint_eq(a->queries, 2);
	resolver_free(res);
}
END_TEST

/* ------------------------------------------------- resolver_new */

static char *write_file(const char *text)
{
	static char path[64];
	int fd;

	snprintf(path, sizeof(path), "/tmp/test_resolver.XXXXXX");
	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (long)strlen(text));
	close(fd);
	return path;
}

START_TEST(test_new_errors)
{
	struct resolver_config cfg;
	struct resolver *res;
	char err[128], *path;

	memset(&cfg, 0, sizeof(cfg));
	cfg.resolv_conf = "/nonexistent/resolv.conf";
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_msg(strncmp(err, "cannot read /nonexistent/resolv.conf", 36) == 0, "%s", err);

	path = write_file("# nothing\nsearch example\nnameserverx 1.2.3.4\n");
	cfg.resolv_conf = path;
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_msg(strstr(err, "no nameserver in ") != NULL, "%s", err);
	unlink(path);

	path = write_file("nameserver 192.0.2.53\nnameserver\t2001:db8::53 "
			  "# v6\nnameserver bogus\n");
	cfg.resolv_conf = path;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_free(res);
	cfg.family = 6;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_free(res);
	unlink(path);

	path = write_file("nameserver 192.0.2.53\n");
	cfg.resolv_conf = path;
	cfg.family = 6;
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_msg(strstr(err, "no IPv6 nameserver") != NULL, "%s", err);
	unlink(path);

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "example.com";
	cfg.nservers = 1;
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_str_eq(err, "invalid server address: example.com");
	cfg.servers[0] = "192.0.2.1";
	cfg.family = 6;
	ck_assert_ptr_null(resolver_new(&cfg, err, sizeof(err)));
	ck_assert_msg(strstr(err, "IPv6") != NULL, "%s", err);
	resolver_free(NULL);
}
END_TEST

/* Hardening round 2 (implied): a forged ICMP error is ignored while a
 * try remains, so the answer after it is used. */
static long refuse_once(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
			bool tcp, uint8_t *out, size_t max)
{
	if (m->calls == 1)
		return -1;
	return plain(m, q, raw, rawlen, tcp, out, max);
}

START_TEST(test_icmp_then_answer)
{
	struct mock m = {.answer = refuse_once, .an = {"i.example. IN A 192.0.2.7"}, .nan = 1};
	struct resolver *res = new_res(&m, 2);
	const struct dns_answer *a = ask(res, "i.example", DNS_T_A);

	ck_assert_msg(a->status == RES_OK, "%s", describe(a));
	ck_assert_uint_eq(m.calls, 2);
	resolver_free(res);
}
END_TEST

/* N-RC-01 (round 2): REFUSED from one server is that server's failure;
 * the next answers and the refusing one is noted for the run. */
static long refused_first(struct mock *m, const ldns_pkt *q, const uint8_t *raw, size_t rawlen,
			  bool tcp, uint8_t *out, size_t max)
{
	if (m->calls % 2 == 1)
		return build(q, 5, false, false, NULL, 0, NULL, 0, out, max);
	return build(q, 0, false, false, m->an, m->nan, NULL, 0, out, max);
}

START_TEST(test_failover_refused)
{
	struct resolver_config cfg;
	struct mock m = {.answer = refused_first, .an = {"n.example. IN A 192.0.2.7"}, .nan = 1};
	struct resolver *res;
	const struct dns_answer *a;
	char err[128], note[160];

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.servers[1] = "127.0.0.2";
	cfg.nservers = 2;
	cfg.deadline = clock_monotonic_now() + 3;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_set_transport(res, seam, &m);
	ck_assert(!resolver_failover_note(res, 0, note, sizeof(note)));
	a = ask(res, "n.example", DNS_T_A);
	ck_assert_msg(a->status == RES_OK, "%s", describe(a));
	ck_assert_str_eq(a->server, "127.0.0.2#53");
	ck_assert_str_eq(a->skipped, "127.0.0.1#53 REFUSED");
	ck_assert(resolver_failover_note(res, 0, note, sizeof(note)));
	ck_assert_str_eq(note, "127.0.0.1#53 answered REFUSED to 1 question");
	ck_assert(!resolver_failover_note(res, 1, note, sizeof(note)));
	resolver_free(res);
}
END_TEST

START_TEST(test_strings)
{
	char b[16];

	ck_assert_str_eq(dns_type_str(DNS_T_TXT, b, sizeof(b)), "TXT");
	ck_assert_str_eq(dns_type_str(65, b, sizeof(b)), "TYPE65");
	ck_assert_str_eq(res_status_str(RES_SERVFAIL), "SERVFAIL");
	ck_assert(res_status_is_answer(RES_NXDOMAIN));
	ck_assert(!res_status_is_answer(RES_TIMEOUT));
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_mx_ok);
	tcase_add_test(tc, test_types_decoded);
	tcase_add_loop_test(tc, test_ignored_replies, 0, sizeof(ignored) / sizeof(ignored[0]));
	tcase_add_test(tc, test_case_folded_question);
	tcase_add_test(tc, test_wrong_id_then_retry);
	tcase_add_test(tc, test_tc_uses_tcp);
	tcase_add_test(tc, test_tc_tcp_refused);
	tcase_add_test(tc, test_tc_partial_chain);
	tcase_add_test(tc, test_udp_refused);
	tcase_add_test(tc, test_txt_bytes);
	tcase_add_test(tc, test_txt_zero_strings);
	tcase_add_test(tc, test_txt_many_strings);
	tcase_add_test(tc, test_txt_overrun);
	tcase_add_test(tc, test_txt_multi_string);
	tcase_add_test(tc, test_rr_filtering);
	tcase_add_test(tc, test_rr_only_foreign);
	tcase_add_test(tc, test_cname_in_answer);
	tcase_add_test(tc, test_cname_across_queries);
	tcase_add_test(tc, test_describe_names_cname_target);
	tcase_add_test(tc, test_cname_across_queries_cap);
	tcase_add_test(tc, test_cname_loop_across_queries);
	tcase_add_test(tc, test_cname_loop);
	tcase_add_loop_test(tc, test_cname_long_in_answer, 0, 2);
	tcase_add_test(tc, test_cname_qtype);
	tcase_add_test(tc, test_cname_nodata_soa);
	tcase_add_loop_test(tc, test_rcodes, 0, sizeof(rcodes) / sizeof(rcodes[0]));
	tcase_add_test(tc, test_nxdomain_with_answer);
	tcase_add_loop_test(tc, test_rr_count_cap, 0, 4);
	tcase_add_test(tc, test_trailing_bytes);
	tcase_add_test(tc, test_batch_sends_all_first);
	tcase_add_test(tc, test_batch_cname_second_wave);
	tcase_add_test(tc, test_cache_hit);
	tcase_add_test(tc, test_deadline_silent);
	tcase_add_test(tc, test_dnssec);
	tcase_add_test(tc, test_trace);
	tcase_add_test(tc, test_trace_answers);
	tcase_add_test(tc, test_next_server);
	tcase_add_test(tc, test_icmp_then_answer);
	tcase_add_test(tc, test_failover_refused);
	tcase_add_test(tc, test_new_errors);
	tcase_add_test(tc, test_strings);
	suite_add_tcase(s, tc);
	return s;
}
