/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --all-ns: the zone that holds each record and the addresses of the
 * zone's authoritative servers, asked through the check's own servers
 * (see propagation.h).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addrclass.h"
#include "prop_internal.h"

/* Is a (an SOA answer for name) the SOA of the zone apex name itself? */
static bool is_apex(const struct dns_answer *a, const struct dname *name)
{
	if (a->status != RES_OK || a->ncname > 0)
		return false;
	for (size_t i = 0; i < a->nrr; i++)
		if (a->rr[i].type == DNS_T_SOA && dname_equal(&a->rr[i].owner, name))
			return true;
	return false;
}

static size_t zone_index(struct prop *p, const struct dname *apex)
{
	for (size_t i = 0; i < p->nzone; i++)
		if (dname_equal(&p->zone[i].apex, apex))
			return i;
	if (p->nzone == LIMIT_PROP_SERVERS)
		return NO_ZONE;
	memset(&p->zone[p->nzone], 0, sizeof(p->zone[0]));
	p->zone[p->nzone].apex = *apex;
	dname_to_text(apex, p->zone[p->nzone].apex_text, sizeof(p->zone[0].apex_text));
	return p->nzone++;
}

/*
 * The closest enclosing SOA of every record: the name asked for SOA,
 * then, for the names not settled, their parents, one level per wave
 * (at most LIMIT_PROP_ZONE_WALK names each, never the root). The first
 * name that answers with its own SOA is the apex; NODATA and NXDOMAIN
 * go on up. A recursive resolver and an authoritative server of the
 * zone both answer so. Level by level, nothing above an apex is asked:
 * "com" may be slow or refused, and would hold the whole batch.
 */
bool prop_find_zones(struct prop *p)
{
	struct dns_question *q;
	const struct dns_answer **a;
	size_t *who, w = LIMIT_PROP_ZONE_WALK;
	bool *done; /* zone found, or the failure reported */
	char name[DNAME_TEXT_MAX], buf[512];

	q = calloc(p->nrec + 1, sizeof(*q));
	a = calloc(p->nrec + 1, sizeof(*a));
	who = calloc(p->nrec + 1, sizeof(*who));
	done = calloc(p->nrec + 1, sizeof(*done));
	if (q == NULL || a == NULL || who == NULL || done == NULL) {
		free(q);
		free(a);
		free(who);
		free(done);
		return false;
	}
	for (size_t k = 0; k < w; k++) {
		size_t n = 0;

		for (size_t r = 0; r < p->nrec; r++) {
			if (done[r])
				continue;
			/* Never the root: past the TLD there is no zone. */
			if (dname_labels(&p->rec[r].name) <= k ||
			    !dname_parent(&q[n].name, &p->rec[r].name, k))
				continue;
			q[n].type = DNS_T_SOA;
			who[n++] = r;
		}
		if (n == 0)
			break;
		/* Records under one parent share its question: cached. */
		resolver_query_batch(p->res, q, n, a);
		for (size_t i = 0; i < n; i++) {
			struct rec *rc = &p->rec[who[i]];

			if (is_apex(a[i], &q[i].name)) {
				rc->zone = zone_index(p, &q[i].name);
				done[who[i]] = true;
			} else if (!res_status_is_answer(a[i]->status)) {
				dname_to_text(&rc->name, name, sizeof(name));
				check_add(p->c, p->co->dns_error_state,
					  "--all-ns: "
					  "zone of %s not found: %s",
					  name, answer_describe(a[i], buf, sizeof(buf)));
				done[who[i]] = true;
			}
		}
	}
	for (size_t r = 0; r < p->nrec; r++) {
		if (done[r])
			continue;
		dname_to_text(&p->rec[r].name, name, sizeof(name));
		check_add(p->c, STATE_WARNING,
			  "--all-ns: no zone found for %s "
			  "(no SOA within %zu labels of it)",
			  name, w);
	}
	free(q);
	free(a);
	free(who);
	free(done);
	return true;
}

/*
 * May --all-ns ask this address of an NS host? Not an internal one
 * (loopback, private, ...) unless --allow-internal: a hostile zone could
 * name the monitoring host's own DNS services as its servers. Such an
 * address is named as not asked (the first LIMIT_PROP_ADDRS of them;
 * *more counts the rest).
 */
static bool ns_addr_allowed(struct prop *p, const struct zone *zn, const char *host,
			    const struct dns_rr *r, size_t *said, size_t *more)
{
	size_t len = r->type == DNS_T_A ? 4 : 16;
	enum addr_class cls = addr_classify(r->u.addr, len);
	char a[ADDR_TEXT_MAX];

	if (p->co->allow_internal || !addr_class_is_internal(cls)) {
		return true;
	}
	if (*said == LIMIT_PROP_ADDRS) {
		(*more)++;
		return false;
	}
	(*said)++;
	check_add(p->c, STATE_WARNING,
		  "--all-ns: NS host %s of %s has the %s address %s: not asked (internal "
		  "addresses are asked only with --allow-internal)",
		  host, zn->apex_text, addr_class_str(cls),
		  addr_to_text(r->u.addr, len, a, sizeof(a)));
	return false;
}

/* The NS set of every zone, and the A/AAAA of every NS host (-4/-6
 * honoured), at most LIMIT_PROP_ADDRS addresses per zone; internal
 * addresses left out unless --allow-internal. */
bool prop_find_servers(struct prop *p)
{
	struct dns_question q[LIMIT_PROP_SERVERS];
	const struct dns_answer *a[LIMIT_PROP_SERVERS], **aa;
	struct dns_question *hq;
	size_t nh = 0, z, unresolved = 0, budget, said = 0, more = 0;
	char buf[512], host[DNAME_TEXT_MAX];
	int family = p->co->rcfg.family;

	for (z = 0; z < p->nzone; z++) {
		q[z].name = p->zone[z].apex;
		q[z].type = DNS_T_NS;
	}
	resolver_query_batch(p->res, q, p->nzone, a);
	budget = resolver_queries_left(p->res) / 2;
	hq = calloc(p->nzone * LIMIT_PROP_ADDRS * 2 + 1, sizeof(*hq));
	aa = calloc(p->nzone * LIMIT_PROP_ADDRS * 2 + 1, sizeof(*aa));
	if (hq == NULL || aa == NULL) {
		free(hq);
		free(aa);
		return false;
	}
	for (z = 0; z < p->nzone; z++) {
		struct zone *zn = &p->zone[z];

		if (!res_status_is_answer(a[z]->status)) {
			check_add(p->c, p->co->dns_error_state,
				  "--all-ns: NS of "
				  "%s: %s",
				  zn->apex_text, answer_describe(a[z], buf, sizeof(buf)));
			continue;
		}
		if (a[z]->nrr == 0)
			check_add(p->c, STATE_WARNING,
				  "--all-ns: zone %s has no "
				  "NS record",
				  zn->apex_text);
		for (size_t i = 0; i < a[z]->nrr; i++) {
			if (a[z]->rr[i].type != DNS_T_NS)
				continue;
			if (zn->nhost == LIMIT_PROP_ADDRS) {
				check_add(p->c, STATE_OK,
					  "--all-ns: zone %s has "
					  "more than %d NS hosts; the first %d asked",
					  zn->apex_text, LIMIT_PROP_ADDRS, LIMIT_PROP_ADDRS);
				break;
			}
			zn->host[zn->nhost++] = a[z]->rr[i].u.target;
		}
		/* Half of what the run may still send goes to finding
		 * addresses, the rest is left for the direct questions. */
		while (zn->nhost > 0 && nh + (family ? 1 : 2) * zn->nhost > budget) {
			zn->nhost--;
			unresolved++;
		}
		for (size_t h = 0; h < zn->nhost; h++) {
			if (family != 6)
				hq[nh++] = (struct dns_question){zn->host[h], DNS_T_A};
			if (family != 4)
				hq[nh++] = (struct dns_question){zn->host[h], DNS_T_AAAA};
		}
	}
	if (unresolved > 0)
		check_add(p->c, STATE_WARNING,
			  "--all-ns: %zu NS hosts not asked "
			  "for (the run's query limit is reached)",
			  unresolved);
	resolver_query_batch(p->res, hq, nh, aa);
	nh = 0;
	for (z = 0; z < p->nzone; z++) {
		struct zone *zn = &p->zone[z];
		size_t dropped = 0;

		for (size_t h = 0; h < zn->nhost; h++) {
			size_t got = 0, failed = 0, per = family ? 1 : 2;

			dname_to_text(&zn->host[h], host, sizeof(host));
			for (size_t t = 0; t < per; t++) {
				const struct dns_answer *x = aa[nh++];

				if (!res_status_is_answer(x->status)) {
					check_add(p->c, p->co->dns_error_state,
						  "--all-ns: address of NS host %s of "
						  "%s: %s",
						  host, zn->apex_text,
						  answer_describe(x, buf, sizeof(buf)));
					failed++;
					continue;
				}
				for (size_t i = 0; i < x->nrr; i++) {
					const struct dns_rr *r = &x->rr[i];
					size_t k;

					got++;
					if ((r->type != DNS_T_A && r->type != DNS_T_AAAA) ||
					    !ns_addr_allowed(p, zn, host, r, &said, &more))
						continue;
					if (zn->naddr == LIMIT_PROP_ADDRS) {
						dropped++;
						continue;
					}
					if (inet_ntop(r->type == DNS_T_A ? AF_INET : AF_INET6,
						      r->u.addr, zn->addr[zn->naddr],
						      INET6_ADDRSTRLEN) == NULL)
						continue;
					for (k = 0; k < zn->naddr; k++)
						if (strcmp(zn->addr[k], zn->addr[zn->naddr]) == 0)
							break;
					if (k == zn->naddr)
						zn->addr_host[zn->naddr++] = h;
				}
			}
			if (got == 0 && failed == 0)
				check_add(p->c, STATE_WARNING,
					  "--all-ns: NS host "
					  "%s of %s has no %saddress",
					  host, zn->apex_text,
					  family == 4   ? "IPv4 "
					  : family == 6 ? "IPv6 "
							: "");
		}
		if (dropped > 0)
			check_add(p->c, STATE_OK,
				  "--all-ns: %zu more addresses "
				  "of the servers of %s not asked (at most %d per "
				  "zone)",
				  dropped, zn->apex_text, LIMIT_PROP_ADDRS);
	}
	if (more > 0) {
		check_add(p->c, STATE_WARNING,
			  "--all-ns: %zu more internal NS addresses not asked (--allow-internal)",
			  more);
	}
	free(hq);
	free(aa);
	return true;
}
