/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --all-ns: the records a check used, one wave of direct questions to
 * every authoritative address (zones and addresses: prop_zone.c), and
 * the findings for the servers that differ (see propagation.h).
 *
 * Queries: one batch of SOA questions for every name and its parents
 * (at most LIMIT_PROP_ZONE_WALK names each), one of NS questions, one of
 * A/AAAA for the NS hosts, all through the check's own servers; then
 * one wave of direct questions (RD=0) to every address.
 */
#include <arpa/inet.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "prop_internal.h"

static const char *type_text(uint16_t t, char *buf, size_t len)
{
	return dns_type_str(t, buf, len);
}

/* ----------------------------------------------------------- records */

static void add_rec(struct prop *p, const struct dname *name, uint16_t type,
		    const struct dns_answer *check)
{
	for (size_t i = 0; i < p->nrec; i++)
		if (p->rec[i].type == type && dname_equal(&p->rec[i].name, name))
			return;
	if (p->nrec == LIMIT_PROP_QUERIES) {
		p->skipped++;
		return;
	}
	p->rec[p->nrec].name = *name;
	p->rec[p->nrec].type = type;
	p->rec[p->nrec].zone = NO_ZONE;
	p->rec[p->nrec].check = check;
	p->nrec++;
}

/* Every question the check asked and answered, and the names on the
 * CNAME chains its answers followed (each held in its own zone). */
static bool collect(struct prop *p)
{
	size_t n = resolver_questions(p->res, NULL, 0);
	struct dns_question *q;

	if (n == 0)
		return true;
	q = calloc(n, sizeof(*q));
	if (q == NULL)
		return false;
	resolver_questions(p->res, q, n);
	for (size_t i = 0; i < n; i++) {
		/* Cached: this sends nothing. */
		const struct dns_answer *a = resolver_query(p->res, &q[i].name, q[i].type);

		/* A question that got no answer was reported by the check. */
		if (!res_status_is_answer(a->status) && a->status != RES_CNAME_LOOP &&
		    a->status != RES_CNAME_LONG)
			continue;
		add_rec(p, &q[i].name, q[i].type, a);
		/* Not asked on their own: asking now would cost a query. */
		for (size_t k = 0; k < a->ncname; k++)
			add_rec(p, &a->cname[k], q[i].type, NULL);
	}
	free(q);
	return true;
}

/* ---------------------------------------------------------- comparing */

static size_t seen_index(struct prop *p, const char *addr)
{
	for (size_t i = 0; i < p->nseen; i++)
		if (strcmp(p->seen[i], addr) == 0)
			return i;
	if (p->nseen == LIMIT_PROP_SERVERS)
		return 0; /* plan() keeps within it */
	snprintf(p->seen[p->nseen], sizeof(p->seen[0]), "%s", addr);
	return p->nseen++;
}

static void mark(struct prop *p, const char *addr)
{
	p->differs[seen_index(p, addr)] = true;
}

/* "ns1.example.com (192.0.2.53)" */
static char *server_text(const struct zone *z, size_t i, char *buf, size_t len)
{
	char host[DNAME_TEXT_MAX];

	dname_to_text(&z->host[z->addr_host[i]], host, sizeof(host));
	snprintf(buf, len, "%s (%s)", host, z->addr[i]);
	return buf;
}

/* Addresses of z not yet asked for another zone. */
static size_t new_addrs(const struct prop *p, const struct zone *z)
{
	size_t n = 0;

	for (size_t i = 0; i < z->naddr; i++) {
		size_t k;

		for (k = 0; k < p->nseen; k++)
			if (strcmp(p->seen[k], z->addr[i]) == 0)
				break;
		n += k == p->nseen;
	}
	return n;
}

/* Lays out the direct questions: per zone, per address, its SOA then
 * its records; within the run's budget (whole records dropped). */
static size_t plan(struct prop *p, struct dns_direct_question **outq)
{
	size_t budget = LIMIT_PROP_QUERIES, total = 0, n = 0;
	struct dns_direct_question *q;

	if (resolver_queries_left(p->res) < budget)
		budget = resolver_queries_left(p->res);
	for (size_t z = 0; z < p->nzone; z++) {
		struct zone *zn = &p->zone[z];

		if (zn->naddr == 0)
			continue;
		if (total + zn->naddr > budget ||
		    p->nseen + new_addrs(p, zn) > LIMIT_PROP_SERVERS) {
			zn->naddr = 0; /* not even the SOA fits */
		} else {
			total += zn->naddr;
			for (size_t i = 0; i < zn->naddr; i++)
				(void)seen_index(p, zn->addr[i]);
		}
		for (size_t r = 0; r < p->nrec; r++) {
			if (p->rec[r].zone != z)
				continue;
			if (zn->naddr == 0 || total + zn->naddr > budget) {
				p->skipped++;
				continue;
			}
			p->rec[r].asked = true;
			zn->nrec++;
			total += zn->naddr;
		}
	}
	q = calloc(total ? total : 1, sizeof(*q));
	if (q == NULL)
		return SIZE_MAX;
	for (size_t z = 0; z < p->nzone; z++) {
		struct zone *zn = &p->zone[z];

		zn->base = n;
		for (size_t i = 0; i < zn->naddr; i++) {
			q[n++] = (struct dns_direct_question){zn->apex, DNS_T_SOA, zn->addr[i]};
			for (size_t r = 0; r < p->nrec; r++)
				if (p->rec[r].zone == z && p->rec[r].asked)
					q[n++] = (struct dns_direct_question){
						p->rec[r].name, p->rec[r].type, zn->addr[i]};
		}
	}
	*outq = q;
	return n;
}

enum srv_state {
	S_GOOD,
	S_BAD
};

/* One address: every answer had, every one authoritative? Reports it
 * when not. */
static enum srv_state server_state(struct prop *p, const struct zone *z, size_t i,
				   const struct dns_answer **a)
{
	size_t stride = 1 + z->nrec;
	const struct dns_answer *lame = NULL;
	char who[DNAME_TEXT_MAX + 64], buf[512];

	server_text(z, i, who, sizeof(who));
	for (size_t k = 0; k < stride; k++) {
		const struct dns_answer *x = a[z->base + i * stride + k];

		if (!res_status_is_answer(x->status)) {
			const char *what = x->status == RES_TIMEOUT   ? "does not answer"
					   : x->status == RES_REFUSED ? "refuses to answer"
								      : "fails to answer";

			check_add(p->c, STATE_WARNING,
				  "authoritative server %s "
				  "of %s %s: %s",
				  who, z->apex_text, what, answer_describe(x, buf, sizeof(buf)));
			return S_BAD;
		}
		if (!x->aa && lame == NULL)
			lame = x;
	}
	if (lame != NULL) {
		char name[DNAME_TEXT_MAX], tb[16];

		check_add(p->c, STATE_WARNING,
			  "authoritative server %s of %s is "
			  "lame: it answers %s/%s without authority (AA bit clear)",
			  who, z->apex_text, dname_to_text(&lame->qname, name, sizeof(name)),
			  type_text(lame->qtype, tb, sizeof(tb)));
		return S_BAD;
	}
	return S_GOOD;
}

/*
 * The answer the others are measured against: the one of the server
 * with the newest SOA serial, then the one most servers give, then the
 * one the check itself saw, then the first server's.
 */
static size_t reference(const struct zone *z, const struct rec *rc, const struct dns_answer **ans,
			const bool *good, const bool *has_serial, const uint32_t *serial,
			bool have_newest, uint32_t newest)
{
	size_t best = SIZE_MAX;
	int best_score[3] = {-1, -1, -1};

	for (size_t i = 0; i < z->naddr; i++) {
		int score[3] = {0, 0, 0};
		bool seen_before = false;

		if (!good[i])
			continue;
		for (size_t j = 0; j < i && !seen_before; j++)
			seen_before = good[j] && prop_same_answer(ans[j], ans[i]);
		if (seen_before)
			continue; /* same group as an earlier server */
		for (size_t j = 0; j < z->naddr; j++) {
			if (!good[j] || !prop_same_answer(ans[j], ans[i]))
				continue;
			score[1]++;
			if (have_newest && has_serial[j] && prop_serial_cmp(serial[j], newest) == 0)
				score[0] = 1;
		}
		score[2] = rc->check != NULL && prop_same_answer(ans[i], rc->check) ? 1 : 0;
		if (best == SIZE_MAX || score[0] > best_score[0] ||
		    (score[0] == best_score[0] &&
		     (score[1] > best_score[1] ||
		      (score[1] == best_score[1] && score[2] > best_score[2])))) {
			best = i;
			memcpy(best_score, score, sizeof(score));
		}
	}
	return best;
}

static void compare_zone(struct prop *p, const struct zone *z, const struct dns_answer **a)
{
	size_t stride = 1 + z->nrec, r, i, k;
	bool good[LIMIT_PROP_ADDRS] = {0}, has_serial[LIMIT_PROP_ADDRS] = {0};
	uint32_t serial[LIMIT_PROP_ADDRS] = {0}, newest = 0;
	bool have_newest = false;
	char who[DNAME_TEXT_MAX + 64];

	for (i = 0; i < z->naddr; i++) {
		const struct dns_answer *soa = a[z->base + i * stride];

		(void)seen_index(p, z->addr[i]);
		good[i] = server_state(p, z, i, a) == S_GOOD;
		has_serial[i] = good[i] && soa->status == RES_OK && soa->nrr > 0 &&
				soa->rr[0].type == DNS_T_SOA;
		if (!good[i])
			mark(p, z->addr[i]);
		if (!has_serial[i])
			continue;
		serial[i] = soa->rr[0].u.soa.serial;
		check_verbose(p->c, 1, "%s: %s SOA serial %lu", z->apex_text,
			      server_text(z, i, who, sizeof(who)), (unsigned long)serial[i]);
		if (!have_newest || prop_serial_cmp(serial[i], newest) > 0)
			newest = serial[i];
		have_newest = true;
	}
	for (r = 0, k = 0; r < p->nrec; r++) {
		const struct rec *rc = &p->rec[r];
		const struct dns_answer *ans[LIMIT_PROP_ADDRS];
		size_t ref, same;

		if (rc->zone != (size_t)(z - p->zone) || !rc->asked)
			continue;
		k++; /* 0 is the SOA */
		for (size_t s = 0; s < z->naddr; s++)
			ans[s] = a[z->base + s * stride + k];
		ref = reference(z, rc, ans, good, has_serial, serial, have_newest, newest);
		if (ref == SIZE_MAX)
			continue; /* no server answered well */
		same = 0;
		for (size_t s = 0; s < z->naddr; s++)
			same += good[s] && prop_same_answer(ans[s], ans[ref]);
		for (size_t s = 0; s < z->naddr; s++) {
			char got[PROP_TEXT_SHOWN], want[PROP_TEXT_SHOWN];
			char name[DNAME_TEXT_MAX], tb[16], age[96] = "";
			enum state st = STATE_WARNING;

			if (!good[s] || prop_same_answer(ans[s], ans[ref]))
				continue;
			if (p->judge != NULL)
				st = p->judge(p->ctx, ans[ref], ans[s]);
			if (st < STATE_WARNING || st == STATE_UNKNOWN)
				st = STATE_WARNING;
			if (has_serial[s] && have_newest && prop_serial_cmp(serial[s], newest) < 0)
				snprintf(age, sizeof(age),
					 " (its zone serial %lu "
					 "is older than %lu)",
					 (unsigned long)serial[s], (unsigned long)newest);
			check_add(p->c, st,
				  "%s serves %s for %s/%s, not %s as "
				  "%zu other server%s%s",
				  server_text(z, s, who, sizeof(who)),
				  prop_answer_text(ans[s], got, sizeof(got)),
				  dname_to_text(&rc->name, name, sizeof(name)),
				  type_text(rc->type, tb, sizeof(tb)),
				  prop_answer_text(ans[ref], want, sizeof(want)), same,
				  same == 1 ? " does" : "s do", age);
			mark(p, z->addr[s]);
		}
	}
}

static void compare(struct prop *p)
{
	struct dns_direct_question *q = NULL;
	const struct dns_answer **a;
	size_t n = plan(p, &q), agree = 0;

	if (n == SIZE_MAX) {
		check_add(p->c, STATE_UNKNOWN, "--all-ns: out of memory");
		return;
	}
	a = calloc(n ? n : 1, sizeof(*a));
	if (a == NULL) {
		free(q);
		check_add(p->c, STATE_UNKNOWN, "--all-ns: out of memory");
		return;
	}
	resolver_query_direct(p->res, q, n, a);
	for (size_t z = 0; z < p->nzone; z++)
		if (p->zone[z].naddr > 0)
			compare_zone(p, &p->zone[z], a);
	if (p->skipped > 0)
		check_add(p->c, STATE_WARNING,
			  "--all-ns: %zu records not "
			  "compared (at most %d direct questions and %d servers "
			  "per run)",
			  p->skipped, LIMIT_PROP_QUERIES, LIMIT_PROP_SERVERS);
	for (size_t i = 0; i < p->nseen; i++)
		if (!p->differs[i])
			agree++;
	if (p->nseen > 0 && agree == p->nseen)
		check_add(p->c, STATE_OK,
			  "all %zu authoritative server "
			  "address%s agree on the %zu record%s compared",
			  p->nseen, p->nseen == 1 ? "" : "es", p->nrec - p->skipped,
			  p->nrec - p->skipped == 1 ? "" : "s");
	check_perf(p->c, "ns_total", (double)p->nseen, "", NULL, NULL, 0, NAN);
	check_perf(p->c, "ns_agree", (double)agree, "", NULL, NULL, 0, (double)p->nseen);
	free(a);
	free(q);
}

void propagation_check(struct check *c, const struct common_opts *co, struct resolver *res,
		       prop_judge_fn judge, void *ctx)
{
	struct prop *p = calloc(1, sizeof(*p));

	if (p != NULL) {
		p->rec = calloc(LIMIT_PROP_QUERIES, sizeof(*p->rec));
		p->zone = calloc(LIMIT_PROP_SERVERS, sizeof(*p->zone));
	}
	if (p == NULL || p->rec == NULL || p->zone == NULL) {
		check_add(c, STATE_UNKNOWN, "--all-ns: out of memory");
		goto out;
	}
	p->c = c;
	p->co = co;
	p->res = res;
	p->judge = judge;
	p->ctx = ctx;
	if (!collect(p) || !prop_find_zones(p) || !prop_find_servers(p)) {
		check_add(c, STATE_UNKNOWN, "--all-ns: out of memory");
		goto out;
	}
	compare(p);
out:
	if (p != NULL) {
		free(p->rec);
		free(p->zone);
	}
	free(p);
}
