/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target for the resolver's reply path (doc/hostile-inputs.md rule 10):
 * reply matching, header-count limits, ldns parsing, RR extraction,
 * RDATA decoding and CNAME composition, all through the transport seam.
 *
 * Input: byte 0 picks the query type, byte 1 the mode; the rest is the
 * reply after its header and question:
 *   mode & 1 = 0: bytes 2..11 are flags and the four counts, and the
 *                 reply gets the query's ID and question (so it matches);
 *   mode & 1 = 1: bytes 2.. are sent as the whole reply, unmodified.
 *   mode & 2:     the first reply has TC=1 (the TCP retry gets the body).
 * Every query (CNAME follow-ups too) gets the same body.
 *
 * Built two ways: with clang -fsanitize=fuzzer for fuzzing, and linked
 * with replay_main.c for `make check`, which replays the checked-in
 * corpus (tests/fuzz/corpus/dns_reply) and prints TAP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver.h"

struct input {
	const uint8_t *data;
	size_t size;
	unsigned calls;
};

static long seam(void *ctx, const uint8_t *query, size_t qlen, bool tcp, uint8_t *reply, size_t max)
{
	struct input *in = ctx;
	uint8_t mode = in->data[1];
	size_t qend = 12, n;

	if (++in->calls > 40)
		return -1;
	if (mode & 1) {
		n = in->size - 2 < max ? in->size - 2 : max;
		memcpy(reply, in->data + 2, n);
		return (long)n;
	}
	if (in->size < 12)
		return 0;
	while (qend < qlen && query[qend] != 0)
		qend += 1 + query[qend];
	qend += 5; /* root label, type, class */
	if (qend > qlen || qend + (in->size - 12) > max)
		return 0;
	memcpy(reply, query, 2);            /* ID */
	memcpy(reply + 2, in->data + 2, 2); /* flags */
	reply[2] |= 0x80;                   /* QR */
	reply[2] &= (uint8_t)~0x78;         /* opcode QUERY */
	if ((mode & 2) && !tcp)
		reply[2] |= 0x02;
	else if (!(mode & 2))
		reply[2] &= (uint8_t)~0x02;
	reply[4] = 0;
	reply[5] = 1;                       /* QDCOUNT */
	memcpy(reply + 6, in->data + 6, 6); /* AN, NS, AR counts */
	memcpy(reply + 12, query + 12, qend - 12);
	memcpy(reply + qend, in->data + 12, in->size - 12);
	return (long)(qend + in->size - 12);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = {DNS_T_TXT, DNS_T_MX, DNS_T_A,   DNS_T_AAAA, DNS_T_CNAME,
					 DNS_T_PTR, DNS_T_NS, DNS_T_SOA, DNS_T_SPF,  DNS_T_TLSA};
	struct resolver_config cfg;
	struct input in = {data, size, 0};
	struct resolver *res;
	struct dname name;
	const struct dns_answer *a;
	char err[128], buf[2048];
	size_t i;
	const char *why;

	if (size < 2)
		return 0;
	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	/* Ignored replies wait for the deadline: keep it short. */
	cfg.deadline = clock_monotonic_now() + 0.01;
	res = resolver_new(&cfg, err, sizeof(err));
	if (res == NULL)
		abort();
	resolver_set_transport(res, seam, &in);
	if (!dname_from_text(&name, "a.example", 9, 0, &why))
		abort();
	a = resolver_query(res, &name, types[data[0] % (sizeof(types) / sizeof(types[0]))]);
	answer_describe(a, buf, sizeof(buf));
	/* Touch everything the answer hands out, so ASan sees bad bounds. */
	for (i = 0; i < a->nrr; i++) {
		const struct dns_rr *r = &a->rr[i];
		volatile uint8_t sink = 0;
		size_t k;

		for (k = 0; k < r->rdlen; k++)
			sink ^= r->rdata[k];
		if (r->type == DNS_T_TXT || r->type == DNS_T_SPF)
			for (k = 0; k < r->u.txt.len; k++)
				sink ^= r->u.txt.data[k];
		dname_to_text(&r->owner, buf, sizeof(buf));
		(void)sink;
	}
	for (i = 0; i < a->ncname; i++)
		dname_to_text(&a->cname[i], buf, sizeof(buf));
	resolver_free(res);
	return 0;
}
