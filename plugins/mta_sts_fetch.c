/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: fetching the policy and reporting what it says. Every
 * text from the server arrives escaped from common/https_fetch.c or goes
 * through the parser's findings (escaped there); nothing here prints raw
 * bytes.
 */
#include "mta_sts_fetch.h"

#include <math.h>
#include <string.h>

#include "https_fetch.h"

/* RFC 8461 3.3: the policy is fetched over HTTPS with a certificate
 * valid for mta-sts.DOMAIN, no redirects followed, a 200 with
 * text/plain; anything else leaves senders without a policy. */
static const char *fetch_hint(enum https_error e)
{
	switch (e) {
	case HTTPS_E_REDIRECT:
		return " (senders do not follow redirects, RFC 8461 3.3)";
	case HTTPS_E_TLS:
		return " (the certificate must be valid for the policy host, RFC 8461 3.3)";
	case HTTPS_E_TOO_BIG:
		return " (senders may refuse a policy over 64 KiB, RFC 8461 3.3)";
	case HTTPS_E_STATUS:
		return " (senders need HTTP 200, RFC 8461 3.3)";
	default:
		return "";
	}
}

/* The policy's fields as one [OK] line, then its findings. */
static void report_policy(struct sts_run *r, const struct mta_sts_policy *p)
{
	plugin_findings(r->c, r->co, &p->findings, "policy: ");
	if (p->has_max_age) {
		check_perf(r->c, "max_age", (double)p->max_age, "s", NULL, NULL, 0,
			   LIMIT_MTA_STS_MAX_AGE);
	}
	if (!p->valid) {
		return;
	}
	check_add(r->c, STATE_OK,
		  "policy: version STSv1, mode %s, max_age %u s (%.1f days), %zu mx pattern%s, "
		  "lines end in %s",
		  mta_sts_mode_str(p->mode), (unsigned)p->max_age, p->max_age / 86400.0, p->nmx,
		  p->nmx == 1 ? "" : "s", mta_sts_eol_str(p->eol));
	for (size_t i = 0; i < p->nmx; i++) {
		check_verbose(r->c, 1, "policy line %zu: mx: %s", p->mx[i].line, p->mx[i].text);
	}
	if (p->mode == MTA_STS_MODE_NONE) {
		check_add(r->c, STATE_WARNING,
			  "policy mode none: senders apply no policy; this is how an MTA-STS "
			  "policy is withdrawn (RFC 8461 8.3): publish testing or enforce, or "
			  "remove the record once max_age has passed");
	}
}

/* Internal addresses the fetch left out (H-07): a WARNING each, as for
 * SMTP (doc/output-contract.md). */
static void report_skipped(struct sts_run *r, const struct https_result *res, const char *host)
{
	for (size_t i = 0; i < res->nskipped; i++) {
		plugin_not_contacted(r->c, &res->skipped[i], "fetched", "policy host %s", host);
	}
}

void sts_fetch_policy(struct sts_run *r)
{
	struct ipaddr addrs[LIMIT_HTTPS_ADDRS];
	struct https_request rq;
	struct https_result res;
	struct finding_list ct = {0};
	char host[DNAME_TEXT_MAX];
	size_t n = 0;
	bool more = false;

	sts_name_text(&r->policy_host, host);
	for (size_t k = 0; k < 2; k++) {
		const struct dns_answer *a = r->addr[k];

		if (a == NULL) {
			continue;
		}
		if (!res_status_is_answer(a->status)) {
			plugin_dns_error(r->c, r->co, a, "MTA-STS policy host");
			r->server_fault = true;
			return;
		}
		n = ipaddr_from_answer(a, addrs, n, LIMIT_HTTPS_ADDRS, &more);
	}
	if (n == 0) {
		check_add(r->c, STATE_CRITICAL,
			  "policy host %s has no %saddress: senders cannot fetch the policy", host,
			  r->co->rcfg.family == 4   ? "IPv4 "
			  : r->co->rcfg.family == 6 ? "IPv6 "
						    : "");
		return;
	}
	memset(&rq, 0, sizeof(rq));
	rq.url = r->url;
	rq.addrs = addrs;
	rq.naddrs = n;
	rq.allow_internal = r->co->allow_internal;
	rq.max_body = LIMIT_MTA_STS_POLICY_BYTES;
	rq.deadline = r->co->deadline;
	rq.ca_file = r->o->smtp.ca_file;
	plugin_stage("policy fetch");
	if (!https_fetch(&rq, &res)) {
		/* A missing file (404), a redirect or a body that is too big
		 * is mended by serving the right body; the rest is not. */
		r->server_fault = res.error != HTTPS_E_STATUS && res.error != HTTPS_E_REDIRECT &&
				  res.error != HTTPS_E_TOO_BIG;
		if (res.error != HTTPS_E_INTERNAL) {
			report_skipped(r, &res, host); /* else the error names them */
		}
		check_add(r->c, STATE_CRITICAL, "policy %s not fetched: %s: %s%s", r->url,
			  https_error_str(res.error), res.detail, fetch_hint(res.error));
		check_perf(r->c, "fetch_time", res.elapsed, "s", NULL, NULL, 0, NAN);
		https_result_clear(&res);
		return;
	}
	report_skipped(r, &res, host);
	check_add(r->c, STATE_OK, "policy %s fetched from %s: HTTP %ld, %zu bytes, %s, %.3f s",
		  r->url, res.address, res.status, res.body_len,
		  res.has_content_type ? res.content_type : "no Content-Type", res.elapsed);
	check_perf(r->c, "fetch_time", res.elapsed, "s", NULL, NULL, 0, NAN);
	mta_sts_content_type(res.has_content_type ? res.content_type : NULL,
			     strlen(res.content_type), &ct);
	plugin_findings(r->c, r->co, &ct, "policy: ");
	finding_list_clear(&ct);
	r->pol = mta_sts_policy_parse((const char *)res.body, res.body_len);
	https_result_clear(&res);
	if (r->pol == NULL) {
		plugin_die(NULL, "out of memory");
	}
	report_policy(r, r->pol);
}
