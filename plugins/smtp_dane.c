/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --dane: TLSA lookups before the probe and the DANE verdict of
 * each address as findings (RFC 7672; doc/hostile-inputs.md T-02 to
 * T-14).
 */
#include "smtp_dane.h"

#include <stdio.h>
#include <string.h>

#include "smtp_check.h"
#include "smtp_text.h"

/* TLSA of every probed host in one batch, over a resolver that validates
 * DNSSEC (the main one when --dnssec is on). RFC 7672 2.2: only
 * DNSSEC-authenticated TLSA records count. */
struct resolver *smtp_lookup_tlsa(struct resolver *res, const struct common_opts *co,
				  const struct smtp_host *hosts, size_t nh, struct tlsa_host *th)
{
	struct dns_question q[LIMIT_SMTP_HOSTS];
	const struct dns_answer *ans[LIMIT_SMTP_HOSTS];
	struct resolver *sec = res;
	char err[256] = "";

	if (!co->rcfg.dnssec) {
		struct resolver_config cfg = co->rcfg;

		cfg.dnssec = true;
		sec = plugin_resolver_from(co, &cfg, err, sizeof(err));
		if (sec == NULL) {
			plugin_die(NULL, "%s", err[0] != '\0' ? err : "cannot set up the resolver");
		}
	}
	for (size_t i = 0; i < nh; i++) {
		if (!dname_prepend(&th[i].owner, hosts[i].name, "_tcp", 4) ||
		    !dname_prepend(&th[i].owner, &th[i].owner, "_25", 3)) {
			th[i].owner = *hosts[i].name; /* too long: asked, fails */
		}
		dname_to_text(&th[i].owner, th[i].owner_text, sizeof(th[i].owner_text));
		q[i].name = th[i].owner;
		q[i].type = DNS_T_TLSA;
	}
	plugin_stage("TLSA lookup");
	resolver_query_batch(sec, q, nh, ans);
	plugin_anchor_check(sec); /* --dane alone: as with --dnssec (D-06) */
	for (size_t i = 0; i < nh; i++) {
		const struct dns_answer *a = ans[i];

		th[i].ans = a;
		/* Only an authenticated RRset is given to the handshake
		 * (RFC 7672 2.2); its data stays the resolver's. */
		for (size_t k = 0;
		     a->status == RES_OK && k < a->nrr && th[i].nrecs < LIMIT_TLSA_RRS; k++) {
			const struct dns_rr *rr = &a->rr[k];

			th[i].recs[th[i].nrecs++] = (struct tlsa_rec){
				rr->u.tlsa.usage, rr->u.tlsa.selector, rr->u.tlsa.mtype,
				rr->u.tlsa.data, rr->u.tlsa.len};
		}
	}
	return sec;
}

/* The fix line: the "3 1 1" record of the live certificate. */
static void fix_tlsa(struct check *c, const struct tlsa_host *th, const struct smtp_result *r)
{
	char hex[65];

	if (r->tls.nchain > 0 &&
	    dane_spki_sha256_hex(r->tls.chain[0], r->tls.chain_len[0], hex, sizeof(hex))) {
		check_fix(c, "%s. IN TLSA 3 1 1 %s", th->owner_text, hex);
	}
}

/*
 * DANE for one address: the verdict OpenSSL gave in the handshake
 * (common/dane.h). Host-level problems (no TLSA, not authenticated, DNS
 * error) are reported once per host. Returns true when a TLSA record
 * authenticated this server.
 */
bool smtp_report_dane(struct check *c, const struct common_opts *co, const struct smtp_opts *so,
		      struct tlsa_host *th, const struct smtp_target *t,
		      const struct smtp_result *r)
{
	const struct dns_answer *a = th->ans;
	const struct dane_outcome *out = &r->dane;
	const struct tlsa_rec *m;
	char w[SMTP_WHO], hex[65], depth[48] = "";

	smtp_who(t, so->port, w, sizeof(w));
	if (a->status == RES_INSECURE) {
		if (!th->reported) {
			check_add(c, STATE_CRITICAL,
				  "TLSA at %s not DNSSEC-authenticated (%s): senders will not use "
				  "DANE (RFC 7672 2.2)",
				  th->owner_text, a->detail);
		}
		th->reported = true;
		return false;
	}
	if (!res_status_is_answer(a->status)) {
		if (!th->reported) {
			plugin_dns_error(c, co, a, "TLSA record");
		}
		th->reported = true;
		return false;
	}
	if (a->status != RES_OK) {
		if (!th->reported) {
			check_add(c, STATE_CRITICAL, "no TLSA record at %s: DANE not published",
				  th->owner_text);
		}
		th->reported = true;
		if (!th->fixed && r->tls.nchain > 0) {
			fix_tlsa(c, th, r);
			th->fixed = true;
		}
		return false;
	}
	if (!r->tls.done) {
		if (r->reachable && !r->starttls_offered) {
			check_add(c, STATE_CRITICAL,
				  "%s: TLSA published at %s but STARTTLS not offered: DANE "
				  "senders will not deliver (RFC 7672 2.2)",
				  w, th->owner_text);
		}
		return false;
	}
	switch (out->result) {
	case DANE_MATCH:
		m = &th->recs[out->matched];
		if (out->depth > 0) {
			snprintf(depth, sizeof(depth), " (trust anchor at depth %zu)", out->depth);
		}
		check_add(c, STATE_OK, "DANE: TLSA %u %u %u (%s) at %s matches %s%s", m->usage,
			  m->selector, m->mtype, dane_usage_str(m->usage), th->owner_text, w,
			  depth);
		return true;
	case DANE_NONE:
	case DANE_NO_USABLE:
		check_add(c, STATE_CRITICAL,
			  "DANE: no usable TLSA record at %s (%zu records; SMTP uses usages 2 and "
			  "3 only, RFC 7672 3.1.3, and records with unknown parameters or "
			  "malformed data are skipped)",
			  th->owner_text, th->nrecs);
		return false;
	case DANE_NO_CHAIN:
		check_add(c, STATE_CRITICAL, "DANE: %s presented no certificate to match", w);
		return false;
	case DANE_NO_MATCH:
	default:
		check_add(c, STATE_CRITICAL,
			  "DANE: no TLSA record at %s matches the certificate of %s%s%s",
			  th->owner_text, w, out->detail[0] != '\0' ? ": " : "", out->detail);
		if (r->tls.nchain > 0 &&
		    dane_spki_sha256_hex(r->tls.chain[0], r->tls.chain_len[0], hex, sizeof(hex))) {
			check_verbose(c, 1, "live certificate of %s: %s. IN TLSA 3 1 1 %s", w,
				      th->owner_text, hex);
		}
		return false;
	}
}
