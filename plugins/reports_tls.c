/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc_reports --tls (plugins/reports_tls.h): the sessions of
 * the policies about the domain (RFC 8460 4.3 policy-domain), and the
 * failure details by policy type (sts, tlsa, no-policy-found) and
 * result type (starttls-not-supported, certificate-expired, ...).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"
#include "report_tls.h"
#include "reports_files.h"
#include "reports_tally.h"
#include "reports_tls.h"
#include "tlsrpt.h"

static void kind_add(struct reports_run *r, const char *policy, const char *result, uint64_t count)
{
	struct tls_kind *k;

	for (size_t i = 0; i < r->ntls_kinds; i++) {
		k = &r->tls_kinds[i];
		if (strcmp(k->policy, policy) == 0 && strcmp(k->result, result) == 0) {
			k->count += count;
			return;
		}
	}
	if (r->ntls_kinds >= sizeof(r->tls_kinds) / sizeof(r->tls_kinds[0])) {
		r->tls_kinds_dropped += count;
		return;
	}
	k = &r->tls_kinds[r->ntls_kinds++];
	out_setf(k->policy, sizeof(k->policy), "%s", policy[0] ? policy : "?");
	out_setf(k->result, sizeof(k->result), "%s", result[0] ? result : "?");
	k->count = count;
}

static void count_report(struct reports_run *r, const struct tls_report *t)
{
	r->reports++;
	for (size_t i = 0; i < t->npolicies; i++) {
		if (!reports_about(r, t->policies[i].domain)) {
			continue;
		}
		r->tls_ok += t->policies[i].ok;
		r->tls_failed += t->policies[i].failed;
	}
	for (size_t i = 0; i < t->nfailures; i++) {
		const struct tls_failure *f = &t->failures[i];
		const struct tls_policy *p = &t->policies[f->policy];

		if (reports_about(r, p->domain)) {
			kind_add(r, p->type, f->result, f->sessions);
		}
	}
}

void reports_tls_file(struct reports_run *r, const char *name, const struct report_blob *b)
{
	struct tls_report *t = tls_report_parse(b->data, b->len);
	char why[240];
	bool about = false;

	if (t == NULL) {
		reports_bad(r, name, "out of memory");
		return;
	}
	for (size_t i = 0; i < t->npolicies; i++) {
		about = about || reports_about(r, t->policies[i].domain);
	}
	if (t->error[0] != '\0') {
		out_setf(why, sizeof(why), "%s%s%s", b->how, b->how[0] ? ": " : "", t->error);
		reports_bad(r, name, why);
	} else if (!about) {
		r->other_domain++;
	} else if (t->end > (int64_t)r->now + 86400) {
		out_setf(why, sizeof(why), "end-datetime %lld is in the future", (long long)t->end);
		reports_bad(r, name, why);
	} else if (t->end + r->o->since < (int64_t)r->now) {
		r->too_old++;
	} else if (reports_seen(r, t->org, t->report_id)) {
		r->duplicates++; /* */
	} else {
		count_report(r, t);
	}
	tls_report_free(t);
}

static int by_count(const void *a, const void *b)
{
	const struct tls_kind *x = a, *y = b;

	return x->count < y->count ? 1 : x->count > y->count ? -1 : 0;
}

/* No report: does _smtp._tls.DOMAIN ask for them (RFC 8460 3)? */
static void no_reports(struct reports_run *r)
{
	struct dname tls, name;
	const struct dns_answer *a;
	const struct dns_rr *chosen = NULL;
	struct finding_list fl = {0};
	bool rua = false;

	if (!dname_prepend(&tls, &r->co->domain, "_tls", 4) ||
	    !dname_prepend(&name, &tls, "_smtp", 5)) {
		return;
	}
	plugin_stage("TLS-RPT record");
	a = resolver_query(r->res, &name, DNS_T_TXT);
	if (!res_status_is_answer(a->status)) {
		plugin_dns_error(r->c, r->co, a, "TLS-RPT record");
		return;
	}
	if (tlsrpt_record_select(a->rr, a->nrr, &fl, &chosen) == 1 && chosen != NULL) {
		struct tlsrpt_record *rec =
			tlsrpt_record_parse((const char *)chosen->u.txt.data, chosen->u.txt.len);

		rua = rec != NULL && rec->nusable > 0;
		tlsrpt_record_free(rec);
	}
	finding_list_clear(&fl);
	if (rua) {
		check_add(
			r->c, STATE_WARNING,
			"no TLS report about %s within --since (%lds) although _smtp._tls.%s asks "
			"for them (rua=): reports not arriving",
			r->dom, r->o->since, r->dom);
	} else {
		check_add(r->c, STATE_OK,
			  "no TLS report about %s within --since (%lds); _smtp._tls.%s asks for "
			  "none",
			  r->dom, r->o->since, r->dom);
	}
}

void reports_tls_results(struct reports_run *r)
{
	uint64_t all = r->tls_ok + r->tls_failed;
	struct range w = r->co->warn, c = r->co->crit;
	size_t shown;

	if (r->reports == 0) {
		no_reports(r);
	} else if (r->tls_failed == 0) {
		check_add(r->c, STATE_OK, "all %llu TLS sessions succeeded",
			  (unsigned long long)all);
	} else {
		check_add(r->c, reports_fail_state(r, r->tls_failed, all),
			  "%llu of %llu TLS sessions failed (%.1f%%)",
			  (unsigned long long)r->tls_failed, (unsigned long long)all,
			  reports_pct(r->tls_failed, all));
		qsort(r->tls_kinds, r->ntls_kinds, sizeof(r->tls_kinds[0]), by_count);
		shown = r->ntls_kinds < LIMIT_REPORT_SHOWN ? r->ntls_kinds : LIMIT_REPORT_SHOWN;
		for (size_t i = 0; i < shown; i++) {
			check_verbose(r->c, 0, "policy %s, %s: %llu sessions failed",
				      r->tls_kinds[i].policy, r->tls_kinds[i].result,
				      (unsigned long long)r->tls_kinds[i].count);
		}
	}
	if (r->reports > 0) {
		check_summary(r->c, STATE_OK, "%u TLS report%s, %llu sessions, %.1f%% succeeded",
			      r->reports, r->reports == 1 ? "" : "s", (unsigned long long)all,
			      reports_pct(r->tls_ok, all));
	}
	w.set = w.set && !r->co->warn_pct;
	c.set = c.set && !r->co->crit_pct;
	check_perf(r->c, "reports", r->reports, "", NULL, NULL, 0, NAN);
	check_perf(r->c, "sessions", (double)all, "", NULL, NULL, 0, NAN);
	check_perf(r->c, "tls_success_pct", all ? reports_pct(r->tls_ok, all) : NAN, "%", NULL,
		   NULL, 0, 100);
	check_perf(r->c, "failed_sessions", (double)r->tls_failed, "", w.set ? &w : NULL,
		   c.set ? &c : NULL, 0, NAN);
}
