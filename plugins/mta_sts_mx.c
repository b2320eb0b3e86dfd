/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: which MX hosts the policy covers, and --starttls.
 */
#include "mta_sts_mx.h"

#include <stdlib.h>
#include <string.h>

#include "addrclass.h"

static bool host_known(const struct sts_run *r, const struct dname *d)
{
	for (size_t i = 0; i < r->nhosts; i++) {
		if (dname_equal(&r->hosts[i], d)) {
			return true;
		}
	}
	return false;
}

static void add_host(struct sts_run *r, const struct dname *d)
{
	dname_lower(&r->hosts[r->nhosts], d);
	if (host_known(r, &r->hosts[r->nhosts])) {
		return;
	}
	sts_name_text(&r->hosts[r->nhosts], r->host_text[r->nhosts]);
	r->nhosts++;
}

void sts_collect_mx(struct sts_run *r)
{
	const struct dns_rr *rr[LIMIT_MX_HOSTS];
	size_t n = 0, nroot = 0;

	if (!res_status_is_answer(r->mx->status)) {
		plugin_dns_error(r->c, r->co, r->mx, "MX");
		r->mx_failed = true;
		return;
	}
	for (size_t i = 0; i < r->mx->nrr && n < LIMIT_MX_HOSTS; i++) {
		if (r->mx->rr[i].type == DNS_T_MX) {
			rr[n++] = &r->mx->rr[i];
		}
	}
	if (n == 0) {
		/* RFC 5321 5.1: without MX the domain itself is the mail host,
		 * and RFC 8461 4.1 matches that name against the policy. */
		r->implicit_mx = true;
		add_host(r, &r->co->domain);
		check_add(r->c, STATE_OK, "no MX records: the implicit MX is %s itself", r->dom);
		return;
	}
	/* Best preference first: the hosts probed with --starttls. */
	for (size_t i = 1; i < n; i++) {
		for (size_t j = i; j > 0 && rr[j]->u.mx.pref < rr[j - 1]->u.mx.pref; j--) {
			const struct dns_rr *t = rr[j];

			rr[j] = rr[j - 1];
			rr[j - 1] = t;
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (dname_labels(&rr[i]->u.mx.host) == 0) {
			nroot++; /* RFC 7505 null MX: no host to match */
			continue;
		}
		add_host(r, &rr[i]->u.mx.host);
	}
	if (r->nhosts == 0 && nroot > 0) {
		r->null_mx = true;
		check_add(r->c, STATE_OK,
			  "null MX (RFC 7505): %s receives no mail; the policy has no MX host to "
			  "cover",
			  r->dom);
	}
}

void sts_check_mx(struct sts_run *r)
{
	const struct mta_sts_policy *p = r->pol;
	bool enforce;

	if (p == NULL || !p->valid || r->mx_failed || p->mode == MTA_STS_MODE_NONE) {
		return;
	}
	enforce = p->mode == MTA_STS_MODE_ENFORCE;
	for (size_t i = 0; i < r->nhosts; i++) {
		const struct mta_sts_mx *m = mta_sts_policy_match(p, &r->hosts[i]);
		const char *what = r->implicit_mx ? "the implicit MX " : "MX ";

		if (m != NULL) {
			check_add(r->c, STATE_OK, "%s%s matches mx: %s (line %zu)", what,
				  r->host_text[i], m->text, m->line);
			continue;
		}
		r->uncovered++;
		if (enforce) {
			check_add(r->c, STATE_CRITICAL,
				  "%s%s matches no mx: pattern of the policy: senders refuse to "
				  "deliver to it (mode enforce, RFC 8461 5)",
				  what, r->host_text[i]);
		} else {
			check_add(
				r->c, STATE_WARNING,
				"%s%s matches no mx: pattern of the policy: senders would refuse "
				"it under enforce (mode testing: they deliver and report, RFC 8461 "
				"5)",
				what, r->host_text[i]);
		}
	}
	check_perf(r->c, "mx_uncovered", (double)r->uncovered, "", NULL, NULL, 0,
		   (double)r->nhosts);
	if (r->uncovered == 0 && r->nhosts > 0) {
		check_summary(r->c, STATE_OK, "mode %s, id %s, %zu MX host%s covered, max_age %u s",
			      mta_sts_mode_str(p->mode), r->record_ok ? r->id : "(none)", r->nhosts,
			      r->nhosts == 1 ? "" : "s", (unsigned)p->max_age);
	}
}

/* Probe storage: big, so on the heap (as check_mx keeps it in its run's
 * heap block). */
struct probe_store {
	struct dns_question q[2 * LIMIT_SMTP_HOSTS];
	const struct dns_answer *ans[2 * LIMIT_SMTP_HOSTS];
	struct smtp_addr addrs[LIMIT_SMTP_HOSTS][LIMIT_MX_HOST_ADDRS];
	struct smtp_host sh[LIMIT_SMTP_HOSTS];
	struct smtp_work work;
};

/* Not to an internal address unless --allow-internal: a hostile zone
 * could point its MX at the monitoring host's own services (as check_mx
 * does, plugins/mx_smtp.c). */
static bool probe_allowed(struct sts_run *r, const char *host, const struct ipaddr *ad)
{
	if (r->co->allow_internal || !addr_class_is_internal(addr_classify(ad->b, ad->len))) {
		return true;
	}
	plugin_not_contacted(r->c, ad, "probed", "SMTP: MX %s", host);
	return false;
}

void sts_probe_mx(struct sts_run *r)
{
	struct smtp_opts so = r->o->smtp;
	struct probe_store *st;
	size_t nh = r->nhosts < LIMIT_SMTP_HOSTS ? r->nhosts : LIMIT_SMTP_HOSTS;
	size_t nq = 0, n = 0;
	bool enforce = r->pol != NULL && r->pol->valid && r->pol->mode == MTA_STS_MODE_ENFORCE;

	if (!so.starttls || r->mx_failed || nh == 0) {
		return;
	}
	st = malloc(sizeof(*st));
	if (st == NULL) {
		plugin_die(NULL, "out of memory");
	}
	for (size_t i = 0; i < nh; i++) {
		if (r->co->rcfg.family != 6) {
			st->q[nq].name = r->hosts[i];
			st->q[nq++].type = DNS_T_A;
		}
		if (r->co->rcfg.family != 4) {
			st->q[nq].name = r->hosts[i];
			st->q[nq++].type = DNS_T_AAAA;
		}
	}
	plugin_stage("MX addresses");
	resolver_query_batch(r->res, st->q, nq, st->ans);
	for (size_t i = 0, k = 0; i < nh; i++) {
		struct ipaddr ad[LIMIT_MX_HOST_ADDRS];
		size_t na = 0, kept = 0;
		bool more = false;

		for (size_t e = k + (r->co->rcfg.family == 0 ? 2 : 1); k < e; k++) {
			if (!res_status_is_answer(st->ans[k]->status)) {
				plugin_dns_error(r->c, r->co, st->ans[k], "MX host address");
				continue;
			}
			na = ipaddr_from_answer(st->ans[k], ad, na, LIMIT_MX_HOST_ADDRS, &more);
		}
		for (size_t j = 0; j < na; j++) {
			if (!probe_allowed(r, r->host_text[i], &ad[j])) {
				continue;
			}
			memcpy(st->addrs[n][kept].b, ad[j].b, sizeof(st->addrs[n][kept].b));
			st->addrs[n][kept++].len = ad[j].len;
		}
		if (na == 0) {
			check_add(r->c, enforce ? STATE_CRITICAL : STATE_WARNING,
				  "SMTP: MX %s has no address", r->host_text[i]);
		}
		if (kept == 0) {
			continue;
		}
		st->sh[n] = (struct smtp_host){&r->hosts[i], r->host_text[i], st->addrs[n], kept};
		n++;
	}
	/* RFC 8461 5: under enforce a sender delivers only over TLS with a
	 * certificate valid for the MX name; under testing it delivers
	 * anyway and reports. */
	so.require_starttls = enforce;
	so.cert_failure_warns = !enforce;
	smtp_probe_all(r->c, r->res, r->co, &so, st->sh, n, &st->work);
	free(st);
}
