/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_spf's static audit as output (plugins/spf_audit_report.h). */
#include "spf_audit_report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plugin.h"
#include "range.h"
#include "spf_audit.h"
#include "text.h"

/* The mail server's name for the fix: line: --mail-host, else $MAILNAME
 * (the variable the mail server's DNS guide uses) when it is a host
 * name; NULL when neither names one (the audit then says in words what
 * to publish rather than make a host up). */
static const char *mail_host_name(const struct spf_opts *o, char *buf, size_t len)
{
	struct dname d;
	const char *env = getenv("MAILNAME");

	if (o->mail_host_arg != NULL) {
		return dname_to_text(&o->mail_host, buf, len);
	}
	if (env == NULL || env[0] == '\0' ||
	    !dname_from_text(&d, env, strlen(env), DNAME_HOSTNAME | DNAME_MULTILABEL, NULL)) {
		return NULL;
	}
	return dname_to_text(&d, buf, len);
}

/*
 * The audit's findings at the plugin's states. A question the run's query
 * cap kept from being asked is ours (UNKNOWN), not a DNS error of the
 * domain: said here in full (the cap's text does not fit a finding's) and
 * left out of the list, as the FIX_NOTE is with --parked (the parked
 * record is the fix: spf_parked()). The renderer orders by state, then as
 * added.
 */
static void report_findings(struct spf_run *r, struct finding_list *l)
{
	size_t kept = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct finding *f = &l->v[i];

		if (f->code == SPF_A_DNS_ERROR && spf_over_query_limit(r->res, f->failed)) {
			char t[600];

			spf_query_limit_text(f->failed, t, sizeof(t));
			check_add(r->c, STATE_UNKNOWN, "%s: %s", f->text, t);
			continue;
		}
		if (f->code == SPF_A_FIX_NOTE && r->co->parked) {
			continue;
		}
		l->v[kept++] = *f;
	}
	l->n = kept;
	plugin_findings(r->c, r->co, l, NULL);
}

/* -w/-c for the lookup count, defaults 8 and 10. */
static void thresholds(const struct common_opts *co, struct range *warn, struct range *crit)
{
	const char *why;

	*warn = co->warn;
	*crit = co->crit;
	if (!warn->set) {
		range_parse("8", warn, &why);
	}
	if (!crit->set) {
		range_parse("10", crit, &why);
	}
}

/* The lookup count's state: -w/-c may only be stricter than RFC 7208
 * 4.6.4: more than 10 is CRITICAL regardless. */
static enum state lookups_state(unsigned n, const struct range *warn, const struct range *crit,
				char *text, size_t len)
{
	enum state st = range_state(n, warn, crit);
	const char *s = n == 1 ? "" : "s";

	if (n > LIMIT_SPF_LOOKUPS) {
		snprintf(text, len, "%u DNS lookups, limit is %d", n, LIMIT_SPF_LOOKUPS);
		return STATE_CRITICAL;
	}
	if (st == STATE_CRITICAL) {
		snprintf(text, len, "%u DNS lookup%s, outside -c %s", n, s, crit->text);
	} else if (st == STATE_WARNING) {
		snprintf(text, len, "%u DNS lookup%s, outside -w %s", n, s, warn->text);
	} else {
		snprintf(text, len, "%u DNS lookup%s, limit is %d", n, s, LIMIT_SPF_LOOKUPS);
	}
	return st;
}

/*
 * The lookup count over the tree, a finding at every state like the
 * others (the first line may repeat it: spf_audit_summary()), and the
 * perfdata lookups, void_lookups and record_bytes. Returns its state.
 */
static enum state report_lookups(struct spf_run *r, const struct spf_audit *a)
{
	struct range warn, crit, vcrit, bwarn;
	/* part of the tree not counted (loop, macro, missing target): the
	 * total is a lower bound */
	const char *partial = a->lookups_partial ? "at least " : "";
	const char *why;
	char t[100];
	enum state st;

	thresholds(r->co, &warn, &crit);
	st = lookups_state(a->lookups, &warn, &crit, t, sizeof(t));
	snprintf(r->audited.lookups_text, sizeof(r->audited.lookups_text), "%s%s", partial, t);
	r->audited.lookups_state = st;
	check_add(r->c, st, "%s", r->audited.lookups_text);
	snprintf(r->audited.ok_text, sizeof(r->audited.ok_text),
		 "one v=spf1 record, %s%u DNS lookup%s, %u void", partial, a->lookups,
		 a->lookups == 1 ? "" : "s", a->voids_family);
	/* more than 10 is CRITICAL whatever -c says, so the perfdata's
	 * crit is never above 10 (-c 20 prints 10) */
	if (!crit.alert_inside && !crit.end_infinite && crit.end > LIMIT_SPF_LOOKUPS) {
		crit.end = LIMIT_SPF_LOOKUPS;
	}
	check_perf(r->c, "lookups", a->lookups, "", &warn, &crit, 0, LIMIT_SPF_LOOKUPS);
	/* void_lookups: the worst case, for the client family that gets
	 * more (voids_family >= voids), as the SPF_A_VOID finding says */
	range_parse("2", &vcrit, &why);
	check_perf(r->c, "void_lookups", a->voids_family, "", NULL, &vcrit, 0, NAN);
	range_parse("450", &bwarn, &why);
	check_perf(r->c, "record_bytes", (double)a->record_bytes, "B", &bwarn, NULL, 0, NAN);
	return st;
}

/* What each include and redirect costs (RFC 7208 4.6.4), at the lookup
 * count's state: those of the domain's own record first, then those its
 * redirect chain adds, then (-v) the nested ones. */
static void report_costs(struct spf_run *r, const struct spf_audit *a, enum state st)
{
	char self[DNAME_TEXT_MAX];

	dname_to_text(&r->co->domain, self, sizeof(self));
	for (size_t i = 0; i < a->ncosts; i++) {
		const struct spf_audit_cost *k = &a->costs[i];
		const char *s = k->lookups == 1 ? "" : "s";

		if (k->top && strcmp(k->where, self) == 0) {
			check_add(r->c, st, "%s adds %u lookup%s", k->term, k->lookups, s);
		} else if (k->top) {
			check_add(r->c, st, "%s in %s adds %u lookup%s", k->term, k->where,
				  k->lookups, s);
		} else {
			check_verbose(r->c, 1, "%s in %s adds %u lookup%s", k->term, k->where,
				      k->lookups, s);
		}
	}
}

/* The record to publish, as a zone line; not with --parked, whose fix is
 * the parked record (spf_parked()). */
static void report_fix(struct spf_run *r, const struct spf_audit *a)
{
	char owner[DNAME_TEXT_MAX];
	char *txt;

	if (a->fix == NULL || r->co->parked) {
		return;
	}
	txt = zone_txt_strings(a->fix, a->fix_len);
	if (txt != NULL) {
		check_fix(r->c, "%s. IN TXT %s", dname_to_text(&a->fix_owner, owner, sizeof(owner)),
			  txt);
	}
	free(txt);
}

void spf_audit_report(struct spf_run *r)
{
	struct spf_audit a;
	char host[DNAME_TEXT_MAX];
	struct spf_audit_opts o = {
		.require_fail = r->o->require_fail,
		.mail_ips = &r->ips[r->nip_args],
		.nmail_ips = r->nips - r->nip_args,
		.mail_host = mail_host_name(r->o, host, sizeof(host)),
	};

	for (size_t i = 0; i < r->nips; i++) {
		o.eval_ipv4 |= r->ips[i].family == 4;
		o.eval_ipv6 |= r->ips[i].family == 6;
	}
	plugin_stage("SPF audit");
	if (!spf_audit_run(r->res, &r->co->domain, &o, &a)) {
		check_add(r->c, STATE_UNKNOWN, "SPF audit: out of memory");
	}
	r->audited.done = true;
	r->audited.have_record = a.have_record;
	r->audited.lookups_state = STATE_OK;
	report_findings(r, &a.findings);
	if (a.have_record) {
		report_costs(r, &a, report_lookups(r, &a));
	}
	report_fix(r, &a);
	check_verbose(r->c, 1, "audit: %u DNS quer%s in %u round trip%s, %u SPF record%s",
		      a.queries, a.queries == 1 ? "y" : "ies", a.round_trips,
		      a.round_trips == 1 ? "" : "s", a.records, a.records == 1 ? "" : "s");
	spf_audit_clear(&a);
}

void spf_audit_summary(struct spf_run *r)
{
	const struct spf_audited *au = &r->audited;
	enum state worst;

	if (!au->done || !au->have_record) {
		return;
	}
	worst = check_state(r->c);
	if (au->lookups_state != STATE_OK) {
		/* the long output has it already (report_lookups()) */
		if (state_worst(worst, au->lookups_state) == au->lookups_state) {
			check_summary(r->c, au->lookups_state, "%s", au->lookups_text);
		}
	} else if (worst == STATE_OK && r->nips == 0) {
		check_summary(r->c, STATE_OK, "%s", au->ok_text);
	}
}
