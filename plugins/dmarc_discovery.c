/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc's policy discovery (plugins/dmarc_discovery.h). */
#include "dmarc_discovery.h"

#include <string.h>

#include "bounds.h"
#include "dmarc.h"
#include "dmarc_run.h"
#include "plugin.h"
#include "text.h"

/*
 * The _dmarc answer for D (RFC 7489 6.6.3 steps 1-3, RFC 9989 4.10):
 * 1 one record found, 0 none, -1 the run cannot go on (DNS error,
 * several records: reported here, once per name: report is false for
 * an answer judged before).
 */
static int judge(struct run *r, const struct dname *d, const struct dns_answer *a,
		 struct dmarc_found *f, bool report)
{
	const struct dns_rr *hit = NULL;
	char qt[DNAME_TEXT_MAX], shown[200];
	size_t n = 0;

	name_text(&a->qname, qt);
	if (!res_status_is_answer(a->status)) {
		if (report)
			plugin_dns_error(r->c, r->co, a, "DMARC record");
		return -1;
	}
	for (size_t i = 0; i < a->nrr; i++) {
		const char *t = (const char *)a->rr[i].u.txt.data;
		size_t tl = a->rr[i].u.txt.len;

		out_bytes(shown, sizeof(shown), t, tl);
		if (dmarc_is_record(t, tl)) {
			hit = &a->rr[i];
			n++;
			if (report)
				check_verbose(r->c, 1, "DMARC record at %s: %s", qt, shown);
		} else if (!report) {
			continue;
		} else if (dmarc_near_miss(t, tl)) {
			check_add(r->c, STATE_WARNING,
				  "TXT at %s is not a DMARC "
				  "record: v=DMARC1 must come first, exactly so "
				  "(RFC 7489 6.3): %s",
				  qt, shown);
		} else {
			check_verbose(r->c, 1, "ignored TXT at %s: %s", qt, shown);
		}
	}
	if (n > 1) {
		if (report)
			check_add(r->c, STATE_CRITICAL,
				  "multiple DMARC records "
				  "at %s (treated as none, RFC 7489 6.6.3, RFC 9989 "
				  "4.10)",
				  qt);
		return -1;
	}
	if (n == 0)
		return 0;
	f->at = *d;
	f->txt = (const char *)hit->u.txt.data;
	f->len = hit->u.txt.len;
	f->inherited = !dname_equal(d, &r->co->domain);
	return 1;
}

/* The names the DNS tree walk asks, in order (RFC 9989 4.10): the
 * domain, then parents one label at a time, jumping to 7 labels from a
 * longer name, down to the TLD; at most LIMIT_DMARC_TREE_WALK. */
static size_t walk_names(const struct dname *domain, struct dname *out)
{
	struct dname d = *domain;
	size_t n = 0;

	out[n++] = d;
	while (n < LIMIT_DMARC_TREE_WALK) {
		size_t x = dname_labels(&d);

		if (x <= 1 || !dname_parent(&d, &d, x >= 8 ? x - 7 : 1))
			break;
		out[n++] = d;
	}
	return n;
}

/* A _dmarc question for d; false when _dmarc.D is too long to exist. */
static bool dmarc_question(const struct dname *d, struct dns_question *q)
{
	q->type = DNS_T_TXT;
	return dname_prepend(&q->name, d, "_dmarc", 6);
}

/*
 * A DMARC record at the domain itself, where no receiver looks (RFC 7489
 * 6.6.3, RFC 9989 4.10 ask _dmarc only): named when _dmarc.D has none.
 * Its text into *txt for a fix, or NULL.
 */
static void misplaced(struct run *r, const struct dns_answer *a, const char **txt, size_t *len)
{
	char shown[200];

	*txt = NULL;
	if (a == NULL || a->status != RES_OK)
		return;
	for (size_t i = 0; i < a->nrr; i++) {
		const char *t = (const char *)a->rr[i].u.txt.data;
		size_t tl = a->rr[i].u.txt.len;

		if (!dmarc_is_record(t, tl))
			continue;
		out_bytes(shown, sizeof(shown), t, tl);
		check_add(r->c, STATE_WARNING,
			  "a DMARC record is published at "
			  "%s itself, where receivers never look: it belongs at "
			  "_dmarc.%s (%s)",
			  r->dom, r->dom, shown);
		*txt = t;
		*len = tl;
		return;
	}
}

/* plugins/dmarc_discovery.h */
int dmarc_discover(struct run *r, struct dmarc_found *walk, struct dmarc_found *psl,
		   const char **mis, size_t *mislen)
{
	const struct dname *org = &r->org;
	struct dname names[LIMIT_DMARC_TREE_WALK];
	size_t nn = walk_names(&r->co->domain, names), i;
	struct dns_question q[4];
	const struct dns_answer *a[4];
	size_t nq = 0, org_at = nn;
	bool org_self = dname_equal(org, &r->co->domain);
	int first;

	memset(walk, 0, sizeof(*walk));
	memset(psl, 0, sizeof(*psl));
	*mis = NULL;
	for (i = 0; i < nn && !org_self; i++)
		if (dname_equal(&names[i], org))
			org_at = i;
	if (!dmarc_question(&names[0], &q[0])) {
		/* _dmarc.D is too long to exist: none there */
		first = 0;
	} else {
		q[1] = (struct dns_question){*org, DNS_T_MX};
		resolver_query_batch(r->res, q, 2, a);
		first = judge(r, &names[0], a[0], walk, true);
	}
	walk->got = first;
	if (first != 0) {
		*psl = *walk;
		return first;
	}
	/* none at _dmarc.D: the next step of each method, and D's TXT */
	if (nn > 1 && dmarc_question(&names[1], &q[nq]))
		nq++;
	if (!org_self && org_at > 1 && dmarc_question(org, &q[nq]))
		nq++;
	q[nq++] = (struct dns_question){r->co->domain, DNS_T_TXT};
	resolver_query_batch(r->res, q, nq, a);
	misplaced(r, a[nq - 1], mis, mislen);
	walk->got = 0;
	for (i = 1; i < nn && walk->got == 0; i++) {
		const struct dns_answer *ans;

		if (!dmarc_question(&names[i], &q[0]))
			continue;
		ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);
		walk->got = judge(r, &names[i], ans, walk, true);
	}
	if (org_self) {
		psl->got = 0;
	} else if (org_at < nn && (org_at < i || walk->got == 0)) {
		/* the walk asked it: the same answer, judged again quietly */
		const struct dns_answer *ans;

		(void)dmarc_question(org, &q[0]);
		ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);
		psl->got = judge(r, org, ans, psl, false);
	} else if (dmarc_question(org, &q[0])) {
		const struct dns_answer *ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);

		psl->got = judge(r, org, ans, psl, true);
	}
	return r->o->psl_discovery ? psl->got : walk->got;
}
