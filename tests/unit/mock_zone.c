/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "mock_zone.h"

static void count(struct mock_zone *m, const char *key)
{
	for (size_t i = 0; i < m->nasked; i++) {
		if (strcasecmp(m->asked[i].key, key) == 0) {
			m->asked[i].n++;
			m->dups++;
			return;
		}
	}
	if (m->nasked < MOCK_ZONE_QUESTIONS) {
		snprintf(m->asked[m->nasked].key, sizeof(m->asked[0].key), "%s", key);
		m->asked[m->nasked++].n = 1;
	}
}

static long answer(void *ctx, const uint8_t *query, size_t qlen, bool tcp, uint8_t *reply,
		   size_t max)
{
	struct mock_zone *m = ctx;
	ldns_pkt *q = NULL, *r;
	ldns_rr *qrr;
	uint8_t *wire = NULL;
	size_t len = 0;
	bool exists = false;
	char key[300];
	char *name;

	(void)tcp;
	ck_assert_int_eq(ldns_wire2pkt(&q, query, qlen), LDNS_STATUS_OK);
	m->calls++;
	qrr = ldns_rr_list_rr(ldns_pkt_question(q), 0);
	name = ldns_rdf2str(ldns_rr_owner(qrr));
	snprintf(key, sizeof(key), "%s/%d", name, (int)ldns_rr_get_type(qrr));
	free(name);
	count(m, key);
	r = ldns_pkt_new();
	ldns_pkt_set_id(r, ldns_pkt_id(q));
	ldns_pkt_set_qr(r, true);
	ldns_pkt_set_aa(r, true);
	ldns_pkt_set_rd(r, ldns_pkt_rd(q));
	ldns_pkt_push_rr(r, LDNS_SECTION_QUESTION, ldns_rr_clone(qrr));
	for (size_t i = 0; i < m->nrrs; i++) {
		ldns_rr *rr = NULL;

		ck_assert(ldns_rr_new_frm_str(&rr, m->rrs[i], 300, NULL, NULL) == LDNS_STATUS_OK);
		if (ldns_dname_compare(ldns_rr_owner(rr), ldns_rr_owner(qrr)) == 0) {
			exists = true;
			if (ldns_rr_get_type(rr) == ldns_rr_get_type(qrr)) {
				ldns_pkt_push_rr(r, LDNS_SECTION_ANSWER, rr);
				continue;
			}
		}
		ldns_rr_free(rr);
	}
	ldns_pkt_set_rcode(r, exists ? LDNS_RCODE_NOERROR : LDNS_RCODE_NXDOMAIN);
	ck_assert_int_eq(ldns_pkt2wire(&wire, r, &len), LDNS_STATUS_OK);
	ck_assert_uint_le(len, max);
	memcpy(reply, wire, len);
	free(wire);
	ldns_pkt_free(r);
	ldns_pkt_free(q);
	return (long)len;
}

struct resolver *mock_zone_resolver(struct mock_zone *m, const char *const *rrs, size_t n)
{
	struct resolver_config cfg;
	struct resolver *res;
	char err[128];

	memset(&cfg, 0, sizeof(cfg));
	memset(m, 0, sizeof(*m));
	m->rrs = rrs;
	m->nrrs = n;
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.port = 5300;
	cfg.deadline = clock_monotonic_now() + 5;
	res = resolver_new(&cfg, err, sizeof(err));
	ck_assert_msg(res != NULL, "%s", err);
	resolver_set_transport(res, answer, m);
	return res;
}

unsigned mock_zone_asked(const struct mock_zone *m, const char *name, int type)
{
	char key[300];

	snprintf(key, sizeof(key), "%s/%d", name, type);
	for (size_t i = 0; i < m->nasked; i++)
		if (strcasecmp(m->asked[i].key, key) == 0)
			return m->asked[i].n;
	return 0;
}
