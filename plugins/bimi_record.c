/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_bimi's assertion record (plugins/bimi_record.h). */
#include "bimi_record.h"

#include <stdlib.h>

#include "plugin.h"
#include "text.h"

/* SELECTOR._bimi.D into out; false when too long to exist. */
static bool bimi_owner(const struct bimi_run *r, const struct dname *d, struct dname *out)
{
	struct dname under;

	return dname_prepend(&under, d, "_bimi", 5) && dname_concat(out, &r->o->seldn, &under);
}

/*
 * The BIMI record among the TXT records of a (draft 7.2 steps 4 and 9):
 * its index, -1 for none, -2 for several. Findings reported but "no
 * record" (the caller says where it looked).
 */
static long select_record(struct bimi_run *r, const struct dns_answer *a, const char *owner)
{
	struct bimi_txt txt[LIMIT_RRS_PER_ANSWER];
	struct finding_list f = {0};
	char pfx[DNAME_TEXT_MAX + 8];
	size_t n = 0;
	long i;

	for (size_t k = 0; k < a->nrr && n < LIMIT_RRS_PER_ANSWER; k++) {
		txt[n].data = a->rr[k].u.txt.data;
		txt[n++].len = a->rr[k].u.txt.len;
	}
	i = bimi_select(txt, n, &f);
	for (size_t k = 0; k < f.n; k++) {
		if (f.v[k].code == BIMI_F_NONE) {
			f.v[k].verbose = 1; /* said once by the caller */
		}
	}
	snprintf(pfx, sizeof(pfx), "%s: ", owner);
	plugin_findings(r->c, r->co, &f, pfx);
	if (i < 0 && finding_find(&f, BIMI_F_MULTIPLE) != NULL) {
		i = -2;
	}
	finding_list_clear(&f);
	return i;
}

/* The parser's findings at their states, a run of errors at a time:
 * errors named "invalid BIMI record", the rest prefixed with pfx. */
static void report_findings(struct bimi_run *r, const struct finding_list *l, const char *pfx)
{
	size_t i, j;

	for (i = 0; i < l->n; i = j) {
		bool err = l->v[i].state == STATE_CRITICAL;
		struct finding_list run = {.v = &l->v[i]};

		for (j = i; j < l->n && (l->v[j].state == STATE_CRITICAL) == err; j++) {
			run.n++;
		}
		plugin_findings(r->c, r->co, &run, err ? "invalid BIMI record: " : pfx);
	}
	/* the dropped ones at their own worst state (common/finding.c);
	 * only -v notes dropped: a -v note too */
	if (l->dropped > 0 && l->dropped_worst != STATE_OK) {
		check_add(r->c, l->dropped_worst, "%zu more problems in the record not listed",
			  l->dropped);
	} else if (l->dropped > 0) {
		check_verbose(r->c, 1, "%zu more notes on the record not listed", l->dropped);
	}
}

/* The record chosen: parsed, its findings reported. */
static bool use_record(struct bimi_run *r, const struct dns_answer *a, long i,
		       const struct dname *d)
{
	char shown[300], pfx[DNAME_TEXT_MAX + 24];

	r->rec_domain = *d;
	r->rec_txt = (const char *)a->rr[i].u.txt.data;
	r->rec_len = a->rr[i].u.txt.len;
	r->rec = bimi_parse(r->rec_txt, r->rec_len);
	if (r->rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	out_bytes(shown, sizeof(shown), r->rec_txt, r->rec_len);
	snprintf(pfx, sizeof(pfx), "BIMI record at %s: ", r->rec_owner);
	report_findings(r, &r->rec->findings, pfx);
	if (!r->rec->valid) {
		check_verbose(r->c, 0, "the record at %s: %s", r->rec_owner, shown);
		return false;
	}
	check_add(r->c, STATE_OK, "BIMI record at %s%s: %s", r->rec_owner,
		  dname_equal(d, &r->co->domain) ? "" : " (the organisational domain's, draft 7.2)",
		  shown);
	return !r->rec->declined;
}

/* No record: CRITICAL, but what a parked domain (--parked: it sends no
 * mail, so nothing would show a logo) should have. */
static enum state none_state(const struct bimi_run *r)
{
	return r->co->parked ? STATE_OK : STATE_CRITICAL;
}

/* plugins/bimi_record.h */
bool bimi_find_record(struct bimi_run *r)
{
	struct dns_question q[2];
	const struct dns_answer *a[2] = {NULL, NULL};
	char own[2][DNAME_TEXT_MAX];
	bool org_too = !dname_equal(&r->org, &r->co->domain);
	size_t nq = 0;
	long i;

	if (!bimi_owner(r, &r->co->domain, &q[0].name)) {
		check_add(r->c, STATE_CRITICAL, "%s._bimi.%s is too long to be a name",
			  r->o->selector, r->dom);
		return false;
	}
	q[nq++].type = DNS_T_TXT;
	/* the organisational domain's record in the same round trip: it is
	 * needed whenever the domain has none (draft 7.2 step 6) */
	if (org_too && bimi_owner(r, &r->org, &q[nq].name)) {
		q[nq++].type = DNS_T_TXT;
	} else {
		org_too = false;
	}
	resolver_query_batch(r->res, q, nq, a);
	for (size_t k = 0; k < nq; k++) {
		bimi_name_text(&q[k].name, own[k]);
	}
	if (!res_status_is_answer(a[0]->status)) {
		plugin_dns_error(r->c, r->co, a[0], "BIMI record");
		return false;
	}
	snprintf(r->rec_owner, sizeof(r->rec_owner), "%s", own[0]);
	i = select_record(r, a[0], own[0]);
	if (i >= 0) {
		return use_record(r, a[0], i, &r->co->domain);
	}
	if (i == -2) {
		return false; /* receivers use neither (7.2 step 9) */
	}
	if (org_too) {
		if (!res_status_is_answer(a[1]->status)) {
			plugin_dns_error(r->c, r->co, a[1], "BIMI record");
			return false;
		}
		snprintf(r->rec_owner, sizeof(r->rec_owner), "%s", own[1]);
		i = select_record(r, a[1], own[1]);
		if (i >= 0) {
			check_add(r->c, STATE_OK,
				  "no BIMI record at %s: receivers use the organisational "
				  "domain's",
				  own[0]);
			return use_record(r, a[1], i, &r->org);
		}
		if (i == -2) {
			return false;
		}
		check_add(r->c, none_state(r),
			  "no BIMI record at %s nor at the organisational domain's %s", own[0],
			  own[1]);
		return false;
	}
	check_add(r->c, none_state(r), "no BIMI record at %s", own[0]);
	return false;
}
