/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_spf's evaluation against --expect (plugins/spf_evaluate.h). */
#include "spf_evaluate.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "plugin.h"

void spf_mail_host_addresses(struct spf_run *r)
{
	struct dns_question q[2] = {
		{r->o->mail_host, DNS_T_A},
		{r->o->mail_host, DNS_T_AAAA},
	};
	const struct dns_answer *a[2];
	size_t before = r->nips;
	bool failed = false; /* a DNS failure is never "no record", even
				at --dns-error-state=ok */

	plugin_stage("mail host addresses");
	resolver_query_batch(r->res, q, 2, a);
	for (size_t i = 0; i < 2; i++) {
		if (!res_status_is_answer(a[i]->status)) {
			plugin_dns_error(r->c, r->co, a[i], "mail host address");
			failed = true;
			continue;
		}
		for (size_t j = 0; j < a[i]->nrr && r->nips < LIMIT_SPF_ADDRESSES; j++) {
			const struct dns_rr *rr = &a[i]->rr[j];
			struct spf_ip *ip = &r->ips[r->nips++];

			memset(ip, 0, sizeof(*ip));
			ip->family = rr->type == DNS_T_A ? 4 : 6;
			memcpy(ip->addr, rr->u.addr, ip->family == 4 ? 4 : 16);
		}
	}
	if (r->nips == before && !failed) {
		check_add(r->c, STATE_CRITICAL, "mail host %s has no A or AAAA record",
			  r->o->mail_host_arg);
	}
}

/* What --expect said, as the user wrote it. */
static const char *expected(const struct spf_opts *o)
{
	return o->expect_set ? o->expect_arg : "pass";
}

/* One long-output line per address: result, deciding term, why or
 * explanation. */
static enum state evaluate_one(struct spf_run *r, const struct spf_request *req)
{
	struct spf_outcome out;
	char ip[64], detail[800], exp[LIMIT_SPF_EXP_SHOWN + 1];
	enum spf_result result = spf_check_host(r->res, req, &out);
	/* a temperror is judged as the DNS answer behind it would be
	 * (plugin_dns_error_state(): CRITICAL when DNSSEC failed) */
	enum state st = r->o->expect[result]      ? STATE_OK
			: result != SPF_TEMPERROR ? STATE_CRITICAL
			: out.failed != NULL      ? plugin_dns_error_state(r->co, out.failed)
						  : r->co->dns_error_state;

	spf_ip_str(&req->ip, ip, sizeof(ip));
	if (result == SPF_TEMPERROR && spf_over_query_limit(r->res, out.failed)) {
		/* not a result any receiver gets: ours to own (UNKNOWN) */
		spf_query_limit_text(out.failed, detail, sizeof(detail));
		check_add(r->c, STATE_UNKNOWN, "%s: not evaluated, %s", ip, detail);
		spf_outcome_clear(&out);
		return STATE_UNKNOWN;
	}
	switch (result) {
	case SPF_PASS:
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		snprintf(detail, sizeof(detail), "by %.319s in %.400s", out.term, out.where);
		break;
	default:
		snprintf(detail, sizeof(detail), "%.690s", out.why);
		break;
	}
	exp[0] = '\0';
	if (out.explanation != NULL) {
		/* shown cut to LIMIT_SPF_EXP_SHOWN bytes; the renderer
		 * escapes '|' and control bytes (S-EXP-01) */
		size_t n = out.explanation_len < LIMIT_SPF_EXP_SHOWN ? out.explanation_len
								     : LIMIT_SPF_EXP_SHOWN;
		memcpy(exp, out.explanation, n);
		exp[n] = '\0';
	}
	check_add(r->c, st, "%s: SPF %s for %s (%s)%s%s%s%s%s", ip, spf_result_str(result),
		  out.domain, detail, exp[0] ? ", explanation \"" : "", exp, exp[0] ? "\"" : "",
		  st == STATE_OK ? "" : ", expected ", st == STATE_OK ? "" : expected(r->o));
	check_verbose(r->c, 1, "%s: %u DNS-querying terms, %u void lookups", ip, out.lookups,
		      out.voids);
	spf_outcome_clear(&out);
	return st;
}

void spf_evaluate(struct spf_run *r)
{
	const struct common_opts *co = r->co;
	struct spf_request req;
	char dsender[DNAME_TEXT_MAX + 16];
	size_t bad = 0;

	memset(&req, 0, sizeof(req));
	req.helo = r->o->helo;
	req.sender = r->o->sender;
	req.now = time(NULL);
	if (r->o->sender == NULL && co->have_domain) {
		char d[DNAME_TEXT_MAX];

		snprintf(dsender, sizeof(dsender), "postmaster@%s",
			 dname_to_text(&co->domain, d, sizeof(d)));
		req.sender = dsender;
	}
	if (req.helo == NULL && co->have_domain) {
		req.helo = co->domain_text;
	}

	plugin_stage("SPF evaluation");
	for (size_t i = 0; i < r->nips; i++) {
		req.ip = r->ips[i];
		if (evaluate_one(r, &req) != STATE_OK) {
			bad++;
		}
	}
	if (r->nips > 0 && bad == 0 && check_state(r->c) == STATE_OK) {
		check_summary(r->c, STATE_OK, "%zu address%s get%s an expected SPF result (%s)",
			      r->nips, r->nips == 1 ? "" : "es", r->nips == 1 ? "s" : "",
			      expected(r->o));
	}
}
