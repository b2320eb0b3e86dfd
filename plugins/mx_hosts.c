/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx's MX hosts: collected from the MX RRset, resolved in one
 * batch, reported host by host (README "check_mx"; the guide's "MX
 * Record" and "A Record").
 */
#include "mx_hosts.h"

#include <stdlib.h>
#include <string.h>

/* Why no sender will deliver to this target, or NULL. */
static const char *bad_name(const struct dname *n)
{
	if (dname_is_address_literal(n))
		return "is an IP address, not a host name (RFC 1035 3.3.9, RFC 5321 5.1)";
	if (dname_is_localhost(n))
		return "is localhost, every sender's own host (RFC 6761 6.3)";
	if (dname_labels(n) < 2)
		return "is a single-label name";
	return NULL;
}

/* RFC 5321 5.1: lower preference first; equal ones in answer order. */
static int cmp_rr(const void *x, const void *y)
{
	const struct dns_rr *a = *(const struct dns_rr *const *)x;
	const struct dns_rr *b = *(const struct dns_rr *const *)y;

	if (a->u.mx.pref != b->u.mx.pref)
		return a->u.mx.pref < b->u.mx.pref ? -1 : 1;
	return a < b ? -1 : a > b;
}

void mx_collect_hosts(struct mx_run *r)
{
	const struct dns_answer *mx = r->mx;
	const struct dns_rr **rrs = r->st->step.collect.rrs;
	size_t n = mx->nrr < LIMIT_RRS_PER_ANSWER ? mx->nrr : LIMIT_RRS_PER_ANSWER;
	size_t skipped = 0;

	for (size_t i = 0; i < n; i++)
		rrs[i] = &mx->rr[i];
	qsort(rrs, n, sizeof rrs[0], cmp_rr);
	for (size_t i = 0; i < n; i++) {
		if (rrs[i]->u.mx.host.len <= 1) {
			r->null_mx = true;
		} else if (r->nhosts == LIMIT_MX_HOSTS) {
			skipped++;
		} else {
			struct mx_host *h = &r->hosts[r->nhosts++];
			memset(h, 0, sizeof *h);
			h->pref = rrs[i]->u.mx.pref;
			h->name = rrs[i]->u.mx.host;
			dname_to_text(&h->name, h->text, sizeof h->text);
			h->bad_name = bad_name(&h->name);
			for (size_t j = 0; j + 1 < r->nhosts && !h->dup; j++)
				h->dup = dname_equal(&h->name, &r->hosts[j].name);
		}
	}
	if (skipped)
		check_add(r->c, STATE_WARNING,
			  "%zu MX records; only the %d most preferred were checked",
			  r->nhosts + skipped, LIMIT_MX_HOSTS);
}

void mx_resolve_hosts(struct mx_run *r)
{
	struct dns_question *q = r->st->step.resolve.q;
	const struct dns_answer **ans = r->st->step.resolve.ans;
	size_t nq = 0;

	for (size_t i = 0; i < r->nhosts; i++) {
		if (r->hosts[i].bad_name || r->hosts[i].dup)
			continue;
		q[nq++] = (struct dns_question){r->hosts[i].name, DNS_T_A};
		q[nq++] = (struct dns_question){r->hosts[i].name, DNS_T_AAAA};
	}
	plugin_stage("MX host address lookup");
	resolver_query_batch(r->res, q, nq, ans);
	nq = 0;
	for (size_t i = 0; i < r->nhosts; i++) {
		struct mx_host *h = &r->hosts[i];
		if (h->bad_name || h->dup)
			continue;
		for (size_t t = 0; t < 2; t++) {
			const struct dns_answer *a = h->ans[t] = ans[nq++];
			if (!res_status_is_answer(a->status)) {
				char what[DNAME_TEXT_MAX + 16];
				snprintf(what, sizeof what, "MX %u %s", h->pref, h->text);
				h->failed = true;
				h->v6_failed |= t == 1;
				plugin_dns_error(r->c, r->co, a, what);
				continue;
			}
			h->nxdomain |= a->status == RES_NXDOMAIN;
			size_t before = h->naddr;
			h->naddr = ipaddr_from_answer(a, h->addr, h->naddr, LIMIT_MX_HOST_ADDRS,
						      &h->more_addrs);
			h->has_v6 |= t == 1 && h->naddr > before;
		}
	}
}

/* RFC 2181 10.3: an MX target must not be an alias. */
static void report_cname(struct check *c, const struct mx_host *h)
{
	char to[DNAME_TEXT_MAX];

	for (size_t t = 0; t < 2; t++) {
		const struct dns_answer *a = h->ans[t];
		if (!a || a->ncname == 0)
			continue;
		check_add(c, STATE_WARNING,
			  "MX %u %s is a CNAME (to %s); MX targets must not be aliases (RFC 2181 "
			  "10.3)",
			  h->pref, h->text, dname_to_text(&a->cname[a->ncname - 1], to, sizeof to));
		for (size_t k = 0; k < a->ncname; k++)
			check_verbose(c, 1, "%s CNAME hop %zu: %s", h->text, k + 1,
				      dname_to_text(&a->cname[k], to, sizeof to));
		return;
	}
}

/* One line per host with its addresses; internal ranges flagged. */
static void report_host(struct check *c, const struct mx_host *h, size_t *naddr)
{
	char list[LIMIT_LINE_TEXT / 2], a[ADDR_TEXT_MAX];

	for (size_t k = 0; k < h->naddr; k++) {
		const struct ipaddr *ad = &h->addr[k];
		enum addr_class cls = addr_classify(ad->b, ad->len);
		if (addr_class_is_internal(cls))
			check_add(c, STATE_WARNING,
				  "MX %s has address %s (%s), not reachable from the Internet",
				  h->text, addr_to_text(ad->b, ad->len, a, sizeof a),
				  addr_class_str(cls));
	}
	*naddr += h->naddr;
	check_add(c, STATE_OK, "MX %u %s: %s%s", h->pref, h->text,
		  ipaddr_list_text(h->addr, h->naddr, list, sizeof list),
		  h->more_addrs ? ", ... (more not checked)" : "");
	for (size_t t = 0; t < 2; t++)
		if (h->ans[t] && h->ans[t]->nrr > 0)
			check_verbose(c, 1, "%s %s TTL %u", h->text, t ? "AAAA" : "A",
				      (unsigned)h->ans[t]->rr[0].ttl);
}

/* The same address on two different hosts (one failure takes out both). */
static void report_shared_addrs(struct mx_run *r)
{
	const struct mx_host *hosts = r->hosts;
	char a[ADDR_TEXT_MAX];

	for (size_t i = 0; i < r->nhosts; i++)
		for (size_t k = 0; k < hosts[i].naddr; k++) {
			const struct ipaddr *ad = &hosts[i].addr[k];
			size_t j = 0;
			while (j < i &&
			       ipaddr_find(hosts[j].addr, hosts[j].naddr, ad) == hosts[j].naddr)
				j++;
			if (j < i)
				check_add(r->c, STATE_WARNING, "MX %s and %s share the address %s",
					  hosts[j].text, hosts[i].text,
					  addr_to_text(ad->b, ad->len, a, sizeof a));
		}
}

void mx_report_hosts(struct mx_run *r)
{
	struct check *c = r->c;
	size_t usable = 0, broken = 0, failed = 0, distinct = 0;
	bool v6 = false, v6_failed = false;

	for (size_t i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];
		if (h->dup)
			continue;
		distinct++;
		usable += h->naddr > 0;
		broken += h->naddr == 0 && !h->failed;
		failed += h->naddr == 0 && h->failed;
		v6 |= h->has_v6;
		v6_failed |= h->v6_failed && !h->bad_name;
	}
	/* Some targets unusable: senders go on to the next (WARNING); none
	 * usable: no mail arrives (CRITICAL). A target whose lookup failed
	 * is neither: its DNS error was reported at --dns-error-state. */
	enum state lost = usable || failed ? STATE_WARNING : STATE_CRITICAL;
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct mx_host *h = &r->hosts[i];
		if (h->dup)
			check_add(c, STATE_WARNING,
				  "MX %u %s: the same host is listed more than once", h->pref,
				  h->text);
		else if (h->bad_name)
			check_add(c, STATE_CRITICAL, "MX %u %s %s", h->pref, h->text, h->bad_name);
		else if (h->naddr == 0 && !h->failed)
			check_add(c, lost, "MX %u %s %s", h->pref, h->text,
				  h->nxdomain ? "does not exist (NXDOMAIN)"
					      : "has no A or AAAA record");
		if (h->dup || h->bad_name)
			continue;
		report_cname(c, h);
		if (h->naddr > 0)
			report_host(c, h, &r->naddr);
	}
	report_shared_addrs(r);
	/* With one host its own finding says it all. */
	if (distinct > 1 && usable == 0 && failed == 0)
		check_summary(c, STATE_CRITICAL, "no usable MX host (%zu of %zu unusable)", broken,
			      distinct);
	/* An AAAA lookup that failed is a DNS error (reported at
	 * --dns-error-state), never "no IPv6 address". */
	if (usable > 0 && !v6 && !v6_failed)
		check_add(c, r->o->require_ipv6 ? STATE_WARNING : STATE_OK,
			  "no MX host has an IPv6 (AAAA) address");
	r->usable = usable;
}
