/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_bimi's fetch of one URL (plugins/bimi_fetch.h). */
#include "bimi_fetch.h"

#include <string.h>

#include "addrclass.h"
#include "plugin.h"

/* The host's addresses into a (at most LIMIT_HTTPS_ADDRS); false on a
 * DNS error (reported). */
static bool host_addresses(struct bimi_run *r, const struct bimi_url *u, const char *what,
			   struct ipaddr *a, size_t *n)
{
	struct dns_question q[2];
	const struct dns_answer *ans[2];
	size_t nq = 0;
	bool more = false;
	char why[300];

	if (r->co->rcfg.family != 6) {
		q[nq++] = (struct dns_question){u->host, DNS_T_A};
	}
	if (r->co->rcfg.family != 4) {
		q[nq++] = (struct dns_question){u->host, DNS_T_AAAA};
	}
	resolver_query_batch(r->res, q, nq, ans);
	*n = 0;
	for (size_t i = 0; i < nq; i++) {
		if (!res_status_is_answer(ans[i]->status)) {
			snprintf(why, sizeof(why), "address of the %s host", what);
			plugin_dns_error(r->c, r->co, ans[i], why);
			return false;
		}
		*n = ipaddr_from_answer(ans[i], a, *n, LIMIT_HTTPS_ADDRS, &more);
	}
	return true;
}

/* plugins/bimi_fetch.h */
bool bimi_fetch(struct bimi_run *r, const struct bimi_url *u, const char *what, size_t max,
		struct https_result *out)
{
	struct ipaddr a[LIMIT_HTTPS_ADDRS];
	struct https_request rq;
	size_t n = 0;

	memset(out, 0, sizeof(*out));
	if (!host_addresses(r, u, what, a, &n)) {
		return false;
	}
	memset(&rq, 0, sizeof(rq));
	rq.url = u->text;
	rq.addrs = a;
	rq.naddrs = n;
	rq.allow_internal = r->co->allow_internal;
	rq.max_body = max;
	rq.deadline = r->co->deadline;
	rq.ca_file = r->o->ca_file;
	bool ok = https_fetch(&rq, out);

	for (size_t i = 0; i < out->nskipped; i++) {
		plugin_not_contacted(r->c, &out->skipped[i], "fetched from", "%s host %s", what,
				     u->host_text);
	}
	if (ok) {
		check_verbose(r->c, 1, "%s %s: %zu bytes from %s, Content-Type %s", what, u->text,
			      out->body_len, out->address,
			      out->has_content_type ? out->content_type : "(none)");
		return true;
	}
	switch (out->error) {
	case HTTPS_E_TOO_BIG:
		check_add(r->c, STATE_CRITICAL, "%s %s is over %zu bytes: %s", what, u->text, max,
			  out->detail);
		break;
	case HTTPS_E_LOCAL:
		check_add(r->c, STATE_UNKNOWN, "%s %s not fetched: %s", what, u->text, out->detail);
		break;
	default:
		check_add(r->c, STATE_CRITICAL, "%s %s not fetched (%s): %s", what, u->text,
			  https_error_str(out->error), out->detail);
		break;
	}
	return false;
}
