/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_bimi's DMARC requirement (plugins/bimi_dmarc.h). */
#include "bimi_dmarc.h"

#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "dmarc_discovery.h"
#include "dmarc_fix.h"
#include "dmarc_run.h"
#include "dmarc_standards.h"
#include "plugin.h"
#include "text.h"

/* The edits to the DMARC record of the name at (txt, resolver-owned),
 * gathered with check_dmarc's own fix: code (plugins/dmarc_fix.c). */
static struct dmarc_owner_fix *fix_for(struct dmarc_fix *f, const struct dname *at, const char *txt,
				       size_t len)
{
	char d[DNAME_TEXT_MAX];
	struct dmarc_owner_fix *of = dmarc_fix_owner(f, bimi_name_text(at, d));

	if (of != NULL && of->base == NULL) {
		of->base = txt;
		of->base_len = len;
	}
	return of;
}

/*
 * The policy receivers apply to the domain (check_dmarc's reading:
 * dmarc_base_policy(), lowered by t=y for RFC 9989 receivers) must be
 * quarantine or reject, and pct= (RFC 7489) must not leave mail out.
 * Returns the tag that set it ("p" or "sp") through *src.
 */
static void domain_policy(struct bimi_run *r, const struct dmarc_found *f,
			  const struct dmarc_record *rec, struct dmarc_fix *fx, const char **src)
{
	enum dmarc_policy base = dmarc_base_policy(rec, f->inherited, false, src);
	enum dmarc_policy p9989 = dmarc_policy_9989(rec, base);
	char at[DNAME_TEXT_MAX];
	const char *inh = f->inherited ? ", inherited" : "";
	bool ok = true;

	bimi_name_text(&f->at, at);
	if (base < DMARC_POLICY_QUARANTINE) {
		check_add(r->c, STATE_CRITICAL,
			  "DMARC policy %s (%s= at _dmarc.%s%s): receivers show a BIMI indicator "
			  "only under quarantine or reject",
			  dmarc_policy_str(base), *src, at, inh);
		dmarc_fix_edit(fix_for(fx, &f->at, f->txt, f->len), *src, "quarantine");
		ok = false;
	} else if (p9989 < DMARC_POLICY_QUARANTINE) {
		check_add(r->c, STATE_CRITICAL,
			  "DMARC t=y at _dmarc.%s: receivers on RFC 9989 apply %s, and show a "
			  "BIMI indicator only under quarantine or reject",
			  at, dmarc_policy_str(p9989));
		ok = false;
	}
	if (rec->has_pct && rec->pct < 100) {
		check_add(r->c, STATE_CRITICAL,
			  "DMARC pct=%u at _dmarc.%s: the policy applies to %u%% of failing mail "
			  "only; BIMI requires pct=100",
			  rec->pct, at, rec->pct);
		ok = false;
	}
	if (!ok) {
		struct dmarc_owner_fix *of = fix_for(fx, &f->at, f->txt, f->len);

		dmarc_fix_edit(of, "pct", NULL);
		dmarc_fix_edit(of, "t", NULL);
		return;
	}
	if (rec->testing) {
		check_add(r->c, STATE_WARNING,
			  "DMARC t=y at _dmarc.%s: receivers on RFC 9989 apply %s (testing); "
			  "some may not show a BIMI indicator",
			  at, dmarc_policy_str(p9989));
	}
	check_add(r->c, STATE_OK,
		  "DMARC policy %s (%s= at _dmarc.%s%s): enforcing, as BIMI requires",
		  dmarc_policy_str(p9989), *src, at, inh);
}

/*
 * The organisational domain's record: its p= and sp= must not be none
 * (the draft's DMARC requirement: otherwise the brand's other names can
 * be spoofed). What domain_policy() said already about the same tag of
 * the same record is not said twice.
 */
static void org_policy(struct bimi_run *r, const struct dmarc_found *f, const char *src,
		       struct dmarc_fix *fx)
{
	const struct dmarc_found *use = f;
	struct dmarc_found own = {0};
	struct dmarc_record *rec;
	bool same = dname_equal(&f->at, &r->org);
	char ot[DNAME_TEXT_MAX];

	bimi_name_text(&r->org, ot);
	if (!same) {
		struct dname q;
		const struct dns_answer *a;
		size_t n = 0;

		if (!dname_prepend(&q, &r->org, "_dmarc", 6)) {
			return;
		}
		a = resolver_query(r->res, &q, DNS_T_TXT); /* cached by the discovery */
		if (!res_status_is_answer(a->status)) {
			plugin_dns_error(r->c, r->co, a, "DMARC record");
			return;
		}
		for (size_t i = 0; i < a->nrr; i++) {
			if (dmarc_is_record((const char *)a->rr[i].u.txt.data,
					    a->rr[i].u.txt.len)) {
				own.txt = (const char *)a->rr[i].u.txt.data;
				own.len = a->rr[i].u.txt.len;
				n++;
			}
		}
		if (n != 1) {
			check_add(r->c, STATE_CRITICAL,
				  "%s DMARC record at the organisational domain's _dmarc.%s: BIMI "
				  "requires its policy to be quarantine or reject",
				  n == 0 ? "no" : "more than one", ot);
			if (n == 0) {
				static const struct dmarc_edit e = {"p", "quarantine"};
				char *s = dmarc_rebuild(NULL, 0, &e, 1);
				char *z = s != NULL ? zone_txt_strings(s, strlen(s)) : NULL;

				if (z != NULL) {
					check_fix(r->c, "_dmarc.%s. IN TXT %s", ot, z);
				}
				free(z);
				free(s);
			}
			return;
		}
		own.at = r->org;
		use = &own;
	}
	rec = dmarc_parse(use->txt, use->len);
	if (rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	if (!rec->valid) {
		if (!same) {
			check_add(
				r->c, STATE_CRITICAL,
				"the organisational domain's DMARC record at _dmarc.%s is invalid: "
				"BIMI requires its policy to be quarantine or reject",
				ot);
		}
	} else {
		bool p_said = same && strcmp(src, "p") == 0;
		bool sp_said = same && strcmp(src, "sp") == 0;

		if (rec->p < DMARC_POLICY_QUARANTINE && !p_said) {
			check_add(r->c, STATE_CRITICAL,
				  "the organisational domain's DMARC policy is p=%s (_dmarc.%s): "
				  "BIMI "
				  "requires quarantine or reject",
				  dmarc_policy_str(rec->p), ot);
			dmarc_fix_edit(fix_for(fx, &r->org, use->txt, use->len), "p", "quarantine");
		}
		if (rec->has_sp && rec->sp < DMARC_POLICY_QUARANTINE && !sp_said) {
			check_add(
				r->c, STATE_CRITICAL,
				"the organisational domain's DMARC record says sp=%s (_dmarc.%s): "
				"BIMI requires its subdomain policy not to be none",
				dmarc_policy_str(rec->sp), ot);
			dmarc_fix_edit(fix_for(fx, &r->org, use->txt, use->len), "sp",
				       "quarantine");
		}
	}
	dmarc_record_free(rec);
}

/* plugins/bimi_dmarc.h */
void bimi_check_dmarc(struct bimi_run *r)
{
	struct dmarc_opts dopts = {.policy = DMARC_POLICY_QUARANTINE, .psl_file = r->o->psl_file};
	struct run dr = {0};
	struct dmarc_found walk, psl;
	struct dmarc_record *rec;
	struct dmarc_fix fx = {0};
	const char *mis = NULL, *src = "p";
	size_t mislen = 0;
	char at[DNAME_TEXT_MAX];
	int got;

	/* check_dmarc's run, sharing this one's output, resolver and list:
	 * the DNS tree walk of RFC 9989 4.10, its default */
	dr.c = r->c;
	dr.co = r->co;
	dr.o = &dopts;
	dr.res = r->res;
	dr.od = r->od;
	dr.org = r->org;
	memcpy(dr.dom, r->dom, sizeof(dr.dom));
	plugin_stage("DMARC policy");
	got = dmarc_discover(&dr, &walk, &psl, &mis, &mislen);
	if (got < 0) {
		return; /* reported: a DNS error, several records */
	}
	if (got == 0) {
		static const struct dmarc_edit e = {"p", "quarantine"};
		char *s = dmarc_rebuild(NULL, 0, &e, 1);
		char *z = s != NULL ? zone_txt_strings(s, strlen(s)) : NULL;

		check_add(r->c, STATE_CRITICAL,
			  "no DMARC record at _dmarc.%s or any parent: receivers show a BIMI "
			  "indicator only under a DMARC policy of quarantine or reject",
			  r->dom);
		if (z != NULL) {
			check_fix(r->c, "_dmarc.%s. IN TXT %s", r->dom, z);
		}
		free(z);
		free(s);
		return;
	}
	bimi_name_text(&walk.at, at);
	rec = dmarc_parse(walk.txt, walk.len);
	if (rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	if (!rec->valid) {
		char *s = dmarc_repair(walk.txt, walk.len, DMARC_POLICY_QUARANTINE);
		char *z = s != NULL ? zone_txt_strings(s, strlen(s)) : NULL;

		check_add(r->c, STATE_CRITICAL,
			  "the DMARC record at _dmarc.%s is invalid (check_dmarc names why): no "
			  "policy applies, so no BIMI indicator",
			  at);
		if (z != NULL) {
			check_fix(r->c, "_dmarc.%s. IN TXT %s", at, z);
		}
		free(z);
		free(s);
	} else {
		domain_policy(r, &walk, rec, &fx, &src);
	}
	org_policy(r, &walk, rec->valid ? src : "", &fx);
	dmarc_record_free(rec);
	dmarc_fix_emit(&fx, r->c, NULL, 0);
	dmarc_fix_free(&fx);
}
