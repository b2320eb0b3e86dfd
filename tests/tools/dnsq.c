/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dnsq: a test-only driver of common/resolver.h over the real network.
 *
 *   dnsq [-s ADDR]... [-p PORT] [-t SEC] [--tcp] [--dnssec] [--trust-anchor FILE] [-4|-6]
 *        [-r RESOLV_CONF] [-v] NAME TYPE [NAME TYPE]...
 *
 * All questions go in one resolver_query_batch(). Prints, per answer:
 *   answer NAME/TYPE status=... rcode=N nrr=N ncname=N tcp=0|1 queries=N
 *   rr TYPE len=N strings=N hex=...   (TXT/SPF: joined strings; others:
 *                                      rdata)
 *   describe <answer_describe()>
 * and last "sent=N waves=N elapsed=S". Exit 0 when every answer is an
 * answer (OK/NODATA/NXDOMAIN), 1 when not, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "resolver.h"

static void usage(void)
{
	fprintf(stderr, "usage: dnsq [-s ADDR]... [-p PORT] [-t SEC] [--tcp] "
			"[--dnssec] [--trust-anchor FILE] [-4|-6] [-r FILE] [-v] NAME TYPE [NAME "
			"TYPE]...\n");
	exit(2);
}

static uint16_t parse_type(const char *s)
{
	static const struct {
		const char *n;
		uint16_t t;
	} types[] = {{"A", DNS_T_A},      {"NS", DNS_T_NS},     {"CNAME", DNS_T_CNAME},
		     {"SOA", DNS_T_SOA},  {"PTR", DNS_T_PTR},   {"MX", DNS_T_MX},
		     {"TXT", DNS_T_TXT},  {"AAAA", DNS_T_AAAA}, {"SPF", DNS_T_SPF},
		     {"TLSA", DNS_T_TLSA}};
	size_t i;
	char *end;
	long v;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(s, types[i].n) == 0)
			return types[i].t;
	v = strtol(strncmp(s, "TYPE", 4) == 0 ? s + 4 : s, &end, 10);
	if (*end != '\0' || v <= 0 || v > 65535)
		usage();
	return (uint16_t)v;
}

static void hex(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		printf("%02x", p[i]);
}

int main(int argc, char **argv)
{
	struct resolver_config cfg;
	struct dns_question q[64];
	const struct dns_answer *a[64];
	struct resolver *res;
	char err[256], buf[2048], tb[16];
	double timeout = 5, t0;
	size_t nq = 0, i, k;
	int rc = 0;

	memset(&cfg, 0, sizeof(cfg));
	for (i = 1; i < (size_t)argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "-s") == 0 && i + 1 < (size_t)argc && cfg.nservers < LIMIT_SERVERS)
			cfg.servers[cfg.nservers++] = argv[++i];
		else if (strcmp(o, "-p") == 0 && i + 1 < (size_t)argc)
			cfg.port = (uint16_t)strtoul(argv[++i], NULL, 10);
		else if (strcmp(o, "-t") == 0 && i + 1 < (size_t)argc)
			timeout = strtod(argv[++i], NULL);
		else if (strcmp(o, "-r") == 0 && i + 1 < (size_t)argc)
			cfg.resolv_conf = argv[++i];
		else if (strcmp(o, "--tcp") == 0)
			cfg.tcp_only = true;
		else if (strcmp(o, "--dnssec") == 0)
			cfg.dnssec = true;
		else if (strcmp(o, "--trust-anchor") == 0 && i + 1 < (size_t)argc)
			cfg.trust_anchor = argv[++i];
		else if (strcmp(o, "--norec") == 0)
			cfg.no_recursion = true;
		else if (strcmp(o, "-4") == 0)
			cfg.family = 4;
		else if (strcmp(o, "-6") == 0)
			cfg.family = 6;
		else if (strcmp(o, "-v") == 0)
			cfg.verbose = 3;
		else if (o[0] == '-')
			usage();
		else if (i + 1 < (size_t)argc && nq < 64) {
			const char *why = NULL;

			if (!dname_from_text(&q[nq].name, o, strlen(o), 0, &why)) {
				fprintf(stderr, "dnsq: bad name %s: %s\n", o, why ? why : "?");
				return 2;
			}
			q[nq++].type = parse_type(argv[++i]);
		} else
			usage();
	}
	if (nq == 0)
		usage();
	t0 = clock_monotonic_now();
	cfg.deadline = t0 + timeout;
	res = resolver_new(&cfg, err, sizeof(err));
	if (res == NULL) {
		printf("error %s\n", err);
		return 1;
	}
	resolver_query_batch(res, q, nq, a);
	for (i = 0; i < nq; i++) {
		printf("answer %s/%s status=%s rcode=%d nrr=%zu ncname=%zu "
		       "tcp=%d queries=%u\n",
		       dname_to_text(&a[i]->qname, buf, sizeof(buf)),
		       dns_type_str(a[i]->qtype, tb, sizeof(tb)), res_status_str(a[i]->status),
		       a[i]->rcode, a[i]->nrr, a[i]->ncname, a[i]->via_tcp, a[i]->queries);
		for (k = 0; k < a[i]->nrr; k++) {
			const struct dns_rr *r = &a[i]->rr[k];

			printf("rr %s len=", dns_type_str(r->type, tb, sizeof(tb)));
			if (r->type == DNS_T_TXT || r->type == DNS_T_SPF) {
				printf("%zu strings=%zu hex=", r->u.txt.len, r->u.txt.nstrings);
				hex(r->u.txt.data, r->u.txt.len);
			} else if (r->type == DNS_T_MX) {
				printf("%zu pref=%u host=%s", r->rdlen, r->u.mx.pref,
				       dname_to_text(&r->u.mx.host, buf, sizeof(buf)));
			} else {
				printf("%zu hex=", r->rdlen);
				hex(r->rdata, r->rdlen);
			}
			printf("\n");
		}
		printf("describe %s\n", answer_describe(a[i], buf, sizeof(buf)));
		if (!res_status_is_answer(a[i]->status))
			rc = 1;
	}
	printf("sent=%u waves=%u elapsed=%.3f\n", resolver_queries_sent(res),
	       resolver_round_trips(res), clock_monotonic_now() - t0);
	resolver_free(res);
	return rc;
}
