/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc: the effective DMARC policy of a domain, validated tag by
 * tag, held to --policy, with its report destinations verified.
 *
 * Discovery is RFC 7489 6.6.3 (the domain's _dmarc, else the
 * organisational domain's from the public suffix list) or, with
 * --tree-walk, the DNS tree walk of draft-ietf-dmarc-dmarcbis-41 (at most
 * 8 queries).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dmarc.h"
#include "bounds.h"
#include "orgdomain.h"
#include "plugin.h"
#include "propagation.h"

/* at most p/np, rua, sp, np edits on one owner */
enum { FIX_EDITS = 6, FIX_OWNERS = 2 };

enum { OPT_POLICY = OPT_PLUGIN_BASE, OPT_NO_RUA_OK, OPT_TREE_WALK,
	OPT_PSL_FILE };

struct dmarc_opts {
	enum dmarc_policy policy;
	bool no_rua_ok, tree_walk;
	const char *psl_file;
};

static const struct option long_opts[] = {
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "no-rua-ok", no_argument, NULL, OPT_NO_RUA_OK },
	{ "tree-walk", no_argument, NULL, OPT_TREE_WALK },
	{ "psl-file", required_argument, NULL, OPT_PSL_FILE },
	{ NULL, 0, NULL, 0 },
};

static const char *
handle(void *ctx, int opt, const char *arg)
{
	struct dmarc_opts *o = ctx;

	switch (opt) {
	case OPT_POLICY:
		if (!dmarc_policy_parse(arg, &o->policy))
			return "policy must be none, quarantine or reject";
		return NULL;
	case OPT_NO_RUA_OK: o->no_rua_ok = true; return NULL;
	case OPT_TREE_WALK: o->tree_walk = true; return NULL;
	case OPT_PSL_FILE: o->psl_file = arg; return NULL;
	default: return "unknown option";
	}
}

/* What the run found and works on. */
struct run {
	struct check *c;
	const struct common_opts *co;
	const struct dmarc_opts *o;
	struct resolver *res;
	struct orgdomain *od;
	char dom[DNAME_TEXT_MAX];   /* the domain asked, as text */
	struct dname at;            /* where the record was found */
	char at_text[DNAME_TEXT_MAX];
	const char *txt;            /* the record (resolver-owned) */
	size_t len;
	bool inherited;
	/* fix: edits gathered per owner, printed once at the end: two
	 * fix: lines for one owner would publish two records there, and
	 * two DMARC records are none (RFC 7489 6.6.3). Allocated by the
	 * first fix_owner(): 15 KiB that a run with nothing to fix (most
	 * runs) would otherwise zero on the stack (issue 10: peak RSS). */
	struct owner_fix {
		char owner[DNAME_TEXT_MAX + 8];
		bool fresh;             /* a new record: without sp=/np= */
		size_t n;
		struct dmarc_edit e[FIX_EDITS];
		char val[FIX_EDITS][DNAME_TEXT_MAX + 16];
	} *fix;                         /* FIX_OWNERS of them, or NULL */
	size_t nfix;
};

static char *
name_text(const struct dname *d, char *buf)
{
	return dname_to_text(d, buf, DNAME_TEXT_MAX);
}

/*
 * Ask _dmarc.D (RFC 7489 6.6.3 steps 1-3): 1 one record found, 0 none,
 * -1 the run cannot go on (DNS error, several records: reported here).
 */
static int
ask(struct run *r, const struct dname *d)
{
	struct dname q;
	const struct dns_answer *a;
	const struct dns_rr *hit = NULL;
	char qt[DNAME_TEXT_MAX], shown[200];
	size_t n = 0;

	if (!dname_prepend(&q, d, "_dmarc", 6))
		return 0;   /* no such name can exist */
	name_text(&q, qt);
	a = resolver_query(r->res, &q, DNS_T_TXT);
	if (!res_status_is_answer(a->status)) {
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
			check_verbose(r->c, 1, "DMARC record at %s: %s", qt, shown);
		} else if (dmarc_near_miss(t, tl)) {
			check_add(r->c, STATE_WARNING, "TXT at %s is not a DMARC "
			    "record: v=DMARC1 must come first, exactly so "
			    "(RFC 7489 6.3): %s", qt, shown);
		} else {
			check_verbose(r->c, 1, "ignored TXT at %s: %s", qt, shown);
		}
	}
	if (n > 1) {
		check_add(r->c, STATE_CRITICAL, "multiple DMARC records at %s "
		    "(treated as none, RFC 7489 6.6.3)", qt);
		return -1;
	}
	if (n == 0)
		return 0;
	r->at = *d;
	name_text(d, r->at_text);
	r->txt = (const char *)hit->u.txt.data;
	r->len = hit->u.txt.len;
	return 1;
}

/* RFC 7489 6.6.3, or the tree walk: at most LIMIT_DMARC_TREE_WALK names,
 * the domain, then parents one label at a time, jumping to 7 labels from
 * a longer name, up to the TLD (draft-ietf-dmarc-dmarcbis-41, "DNS Tree
 * Walk"). 1 found, 0 none, -1 reported failure. */
static int
discover(struct run *r, struct dname *org)
{
	struct dname d = r->co->domain;
	int got = ask(r, &d);

	if (got != 0)
		return got;
	r->inherited = true;
	if (!r->o->tree_walk) {
		if (dname_equal(org, &d))
			return 0;
		return ask(r, org);
	}
	for (unsigned q = 1; q < LIMIT_DMARC_TREE_WALK; q++) {
		size_t x = dname_labels(&d);

		if (x <= 1 || !dname_parent(&d, &d, x >= 8 ? x - 7 : 1))
			return 0;
		if ((got = ask(r, &d)) != 0)
			return got;
	}
	return 0;
}

/* The edits for owner "_dmarc.D", D the text of a name. */
static struct owner_fix *
fix_owner(struct run *r, const char *d)
{
	char owner[DNAME_TEXT_MAX + 8];

	snprintf(owner, sizeof(owner), "_dmarc.%s", d);
	for (size_t i = 0; i < r->nfix; i++)
		if (strcmp(r->fix[i].owner, owner) == 0)
			return &r->fix[i];
	if (r->nfix == FIX_OWNERS)
		return NULL;   /* cannot happen: the domain's and the record's */
	if (r->fix == NULL && (r->fix = calloc(FIX_OWNERS,
	    sizeof(*r->fix))) == NULL)
		return NULL;   /* out of memory: no fix: line, the check stands */
	memcpy(r->fix[r->nfix].owner, owner, sizeof(owner));
	return &r->fix[r->nfix++];
}

/* Set tag to value (NULL: remove it) in f, replacing an earlier edit. */
static void
fix_edit(struct owner_fix *f, const char *tag, const char *value)
{
	size_t i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n && strcmp(f->e[i].tag, tag) != 0; i++)
		;
	if (i == FIX_EDITS)
		return;
	if (i == f->n)
		f->n++;
	f->e[i].tag = tag;
	f->e[i].value = NULL;
	if (value != NULL) {
		snprintf(f->val[i], sizeof(f->val[i]), "%s", value);
		f->e[i].value = f->val[i];
	}
}

/* One fix: line per owner, every edit applied to base (the record
 * found; NULL for none). */
static void
fix_emit(struct run *r, const char *base, size_t len)
{
	for (size_t i = 0; i < r->nfix; i++) {
		struct owner_fix *f = &r->fix[i];
		char *s, *z;

		if (f->fresh) {
			fix_edit(f, "sp", NULL);
			fix_edit(f, "np", NULL);
		}
		s = dmarc_rebuild(base, len, f->e, f->n);
		if (s == NULL)
			continue;
		z = zone_txt_strings(s, strlen(s));
		if (z != NULL)
			check_fix(r->c, "%s. IN TXT %s", f->owner, z);
		free(z);
		free(s);
	}
}

/*
 * An invalid record: its correction as the fix (dmarc_repair()), p=
 * raised to --policy for the domain's own record and the guide's rua=
 * added when none is left, so that publishing it settles the check.
 */
static void
repair_fix(struct run *r, const struct dname *org)
{
	char *s = dmarc_repair(r->txt, r->len, r->o->policy);
	struct dmarc_record *fixed;
	struct owner_fix *f = fix_owner(r, r->at_text);
	char orgt[DNAME_TEXT_MAX], rua[DNAME_TEXT_MAX + 16];

	if (s == NULL)
		return;
	fixed = dmarc_parse(s, strlen(s));
	if (fixed != NULL && !r->inherited && fixed->p < r->o->policy)
		fix_edit(f, "p", dmarc_policy_str(r->o->policy));
	if (fixed != NULL && fixed->rua.n == 0 && !r->o->no_rua_ok) {
		snprintf(rua, sizeof(rua), "mailto:dmarc@%s",
		    name_text(org, orgt));
		fix_edit(f, "rua", rua);
	}
	dmarc_record_free(fixed);
	fix_emit(r, s, strlen(s));
	free(s);
}

/* Findings of the parser as states (design.md default states). */
static void
report_findings(struct run *r, const struct dmarc_record *rec)
{
	for (size_t i = 0; i < rec->nfindings; i++) {
		const struct dmarc_finding *f = &rec->findings[i];

		if (f->sev == DMARC_SEV_ERROR)
			check_add(r->c, STATE_CRITICAL, "invalid DMARC record: "
			    "%s", f->text);
		else if (f->sev == DMARC_SEV_WARN)
			check_add(r->c, STATE_WARNING, "%s", f->text);
		else
			check_verbose(r->c, 1, "%s", f->text);
	}
	if (rec->findings_dropped > 0)
		check_add(r->c, dmarc_worst(rec) == DMARC_SEV_ERROR ?
		    STATE_CRITICAL : STATE_WARNING, "%zu more problems in the "
		    "record not listed", rec->findings_dropped);
}

/* Report an external destination's authorisation (RFC 7489 7.1). */
static void
auth_result(struct run *r, const char *dt, const struct dns_answer *au)
{
	char owner[DNAME_TEXT_MAX];
	bool ok = false;

	if (!res_status_is_answer(au->status)) {
		plugin_dns_error(r->c, r->co, au, "report authorisation");
		return;
	}
	for (size_t i = 0; i < au->nrr && !ok; i++)
		ok = dmarc_is_record((const char *)au->rr[i].u.txt.data,
		    au->rr[i].u.txt.len);
	if (ok) {
		check_add(r->c, STATE_OK, "external report destination %s "
		    "authorises reports for %s", dt, r->at_text);
		return;
	}
	check_add(r->c, STATE_WARNING, "external report destination %s has "
	    "not authorised reports for %s (RFC 7489 7.1)", dt, r->at_text);
	check_fix(r->c, "%s. IN TXT \"v=DMARC1\"", name_text(&au->qname, owner));
}

/* A report mailbox's domain must accept mail: MX, not null MX. */
static void
mx_result(struct run *r, const char *dt, const struct dns_answer *mx)
{
	if (!res_status_is_answer(mx->status))
		plugin_dns_error(r->c, r->co, mx, "report mailbox MX");
	else if (mx->status == RES_NXDOMAIN)
		check_add(r->c, STATE_WARNING, "report domain %s does not exist: "
		    "reports cannot be delivered", dt);
	else if (mx->status == RES_NODATA || mx->nrr == 0)
		check_add(r->c, STATE_WARNING, "report domain %s has no MX record",
		    dt);
	else if (mx->nrr == 1 && mx->rr[0].u.mx.host.len == 1)
		check_add(r->c, STATE_WARNING, "report domain %s has a null MX: it "
		    "accepts no mail (RFC 7505)", dt);
	else
		check_verbose(r->c, 1, "report domain %s has MX", dt);
}

/*
 * One batch for every independent question: A/AAAA/MX of the domain when
 * np= may apply, then per report domain its MX and, when external, the
 * authorisation record DOMAIN._report._dmarc.DEST. At most
 * LIMIT_DMARC_DESTINATIONS report domains (M-09).
 */
static void
check_destinations(struct run *r, const struct dmarc_record *rec,
    bool need_np, bool *nonexistent)
{
	enum { NQ = 3 + 2 * LIMIT_DMARC_DESTINATIONS };
	struct dname dom[LIMIT_DMARC_DESTINATIONS], an;
	struct dns_question q[NQ];
	const struct dns_answer *a[NQ];
	size_t auth_at[LIMIT_DMARC_DESTINATIONS], nq = 0, more;
	size_t nd = dmarc_report_domains(rec, dom, LIMIT_DMARC_DESTINATIONS, &more);
	static const uint16_t types[3] = { DNS_T_A, DNS_T_AAAA, DNS_T_MX };
	char dt[DNAME_TEXT_MAX];
	bool exists = false;

	for (int i = 0; need_np && i < 3; i++)
		q[nq++] = (struct dns_question){ r->co->domain, types[i] };
	for (size_t k = 0; k < nd; k++) {
		q[nq++] = (struct dns_question){ dom[k], DNS_T_MX };
		auth_at[k] = 0;
		if (orgdomain_same(r->od, &dom[k], &r->at))
			continue;
		if (dname_prepend(&an, &dom[k], "_dmarc", 6) &&
		    dname_prepend(&an, &an, "_report", 7) &&
		    dname_concat(&an, &r->at, &an)) {
			auth_at[k] = nq;
			q[nq++] = (struct dns_question){ an, DNS_T_TXT };
		} else {
			check_add(r->c, STATE_WARNING, "external report destination "
			    "%s: authorisation name too long to ask",
			    name_text(&dom[k], dt));
		}
	}
	plugin_stage("report destinations");
	if (nq > 0)
		resolver_query_batch(r->res, q, nq, a);
	/* RFC 9091: non-existent is NXDOMAIN or NODATA for A, AAAA and MX.
	 * One record of any of the three proves existence: the other two
	 * are then not needed, and their failure is no DNS error. */
	for (int i = 0; need_np && i < 3; i++)
		exists = exists || (a[i]->status == RES_OK && a[i]->nrr > 0);
	*nonexistent = need_np && !exists;
	for (int i = 0; need_np && !exists && i < 3; i++) {
		if (!res_status_is_answer(a[i]->status))
			plugin_dns_error(r->c, r->co, a[i], "existence (np=)");
		if (a[i]->status != RES_NXDOMAIN && a[i]->status != RES_NODATA)
			*nonexistent = false;
	}
	for (size_t k = 0, i = need_np ? 3 : 0; k < nd; k++) {
		name_text(&dom[k], dt);
		mx_result(r, dt, a[i]);
		if (auth_at[k] != 0)
			auth_result(r, dt, a[auth_at[k]]);
		i += auth_at[k] != 0 ? 2 : 1;
	}
	if (more > 0)
		check_add(r->c, STATE_WARNING, "%zu further report URIs not "
		    "verified (at most %d report domains are)", more,
		    LIMIT_DMARC_DESTINATIONS);
}

/*
 * The effective policy (RFC 7489 6.6.3; np= RFC 9091): p= of the
 * domain's own record; for an inherited one sp= when present, else p=;
 * np= when the domain does not exist. Held to --policy.
 */
static void
check_policy(struct run *r, const struct dmarc_record *rec, const struct dname *org)
{
	bool nonexistent = false;
	enum dmarc_policy eff = rec->p;
	const char *src = "p";
	char orgt[DNAME_TEXT_MAX];

	check_destinations(r, rec, r->inherited && rec->has_np, &nonexistent);
	if (nonexistent) {
		eff = rec->np;
		src = "np";
	} else if (r->inherited && rec->has_sp) {
		eff = rec->sp;
		src = "sp";
	}
	check_add(r->c, STATE_OK, "policy %s (%s= of the record at _dmarc.%s%s)",
	    dmarc_policy_str(eff), src, r->at_text, r->inherited ?
	    ", inherited" : "");
	check_summary(r->c, STATE_OK, "policy %s (%s= at _dmarc.%s%s)",
	    dmarc_policy_str(eff), src, r->at_text, r->inherited ?
	    ", inherited" : "");
	if (eff < r->o->policy) {
		const char *want = dmarc_policy_str(r->o->policy);
		/* np= is raised in the organisational record; otherwise the
		 * domain gets its own record with p= raised (for an inherited
		 * one without the parent's sp= and np=) */
		struct owner_fix *f = fix_owner(r, nonexistent ? r->at_text :
		    r->dom);

		check_add(r->c, STATE_CRITICAL, "policy %s (%s=) is weaker than "
		    "the required %s", dmarc_policy_str(eff), src, want);
		fix_edit(f, nonexistent ? "np" : "p", want);
		if (f != NULL && r->inherited && !nonexistent)
			f->fresh = true;
	}
	if (rec->has_pct && rec->pct < 100)
		check_add(r->c, STATE_WARNING, "pct=%u: the policy applies to "
		    "%u%% of failing mail only", rec->pct, rec->pct);
	if (!rec->rua.present || rec->rua.n == 0) {
		if (r->o->no_rua_ok) {
			check_add(r->c, STATE_OK, "no rua= (accepted by --no-rua-ok)");
		} else {
			char rua[DNAME_TEXT_MAX + 16];

			snprintf(rua, sizeof(rua), "mailto:dmarc@%s",
			    name_text(org, orgt));
			check_add(r->c, STATE_WARNING, "no rua=: no aggregate "
			    "reports are asked for, so failures go unseen");
			/* the record found, and a new record of the domain
			 * made from it above, both need it */
			for (size_t i = 0; i < r->nfix; i++)
				fix_edit(&r->fix[i], "rua", rua);
			fix_edit(fix_owner(r, r->at_text), "rua", rua);
		}
	}
	check_perf(r->c, "policy", (double)eff, "", NULL, NULL, 0, 2);
	check_perf(r->c, "pct", (double)rec->pct, "%", NULL, NULL, 0, 100);
}

/*
 * --all-ns: a server whose _dmarc answer holds no usable DMARC record,
 * or one weaker than --policy, fails the check for the receivers that
 * ask it (RFC 7489 6.6.3); other differences are warnings.
 */
static enum state
stale_policy(void *ctx, const struct dns_answer *ref, const struct dns_answer *got)
{
	const struct dmarc_opts *o = ctx;
	const struct dns_rr *hit = NULL;
	size_t n = 0, lab = 0;
	const uint8_t *first = dname_label(&ref->qname, 0, &lab);
	struct dmarc_record *rec;
	enum state st;

	if (got->qtype != DNS_T_TXT || first == NULL || lab != 6 ||
	    strncasecmp((const char *)first, "_dmarc", 6) != 0)
		return STATE_WARNING;
	for (size_t i = 0; i < ref->nrr; i++)
		n += dmarc_is_record((const char *)ref->rr[i].u.txt.data,
		    ref->rr[i].u.txt.len);
	if (n == 0)
		return STATE_WARNING;   /* no policy there either */
	n = 0;
	for (size_t i = 0; i < got->nrr; i++)
		if (dmarc_is_record((const char *)got->rr[i].u.txt.data,
		    got->rr[i].u.txt.len)) {
			hit = &got->rr[i];
			n++;
		}
	if (n != 1)
		return STATE_CRITICAL;
	rec = dmarc_parse((const char *)hit->u.txt.data, hit->u.txt.len);
	st = rec == NULL || !rec->valid || rec->p < o->policy ?
	    STATE_CRITICAL : STATE_WARNING;
	dmarc_record_free(rec);
	return st;
}

int
main(int argc, char **argv)
{
	struct dmarc_opts o = { .policy = DMARC_POLICY_NONE };
	const struct plugin_info pi = {
		.progname = "check_dmarc",
		.service = "DMARC",
		.blurb = "Checks the DMARC policy of a mail domain: finds the record "
		    "(the domain's own, else its organisational domain's), "
		    "validates every tag, holds the effective policy to --policy "
		    "and verifies the report destinations.",
		.usage = "[--policy=POLICY] [--no-rua-ok] "
		    "[--tree-walk] [--psl-file=FILE]",
		.options_help =
		    " --policy=POLICY\n"
		    "    Weakest acceptable effective policy: none (default),\n"
		    "    quarantine or reject\n"
		    " --no-rua-ok\n"
		    "    A record without rua= is fine (default: WARNING)\n"
		    " --tree-walk\n"
		    "    Find the record by the DMARCbis DNS tree walk (at most 8\n"
		    "    queries) instead of RFC 7489's organisational domain\n"
		    " --psl-file=FILE\n"
		    "    Public suffix list (default: the distribution's, else\n"
		    "    libpsl's built-in one)\n",
		.notes = "-w and -c do not apply. At most 10 report domains are\n"
		    "verified: MX, and DOMAIN._report._dmarc.DEST for an external\n"
		    "one (RFC 7489 7.1). np= applies when the domain has no A, AAAA\n"
		    "or MX (RFC 9091).\n"
		    "Limits: 2048 tags per record, 1000 URIs examined per rua/ruf\n"
		    "(more than 2 is a WARNING: receivers need only support 2).\n"
		    "Example: check_dmarc -D example.com --policy=quarantine\n",
		.short_opts = "",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
		.no_thresholds = true,
	};
	struct common_opts co;
	struct run r = { 0 };
	struct dname org;
	struct dmarc_record *rec;
	int got;

	plugin_start(argc, argv, &pi, &co);
	if (co.warn.set || co.crit.set)
		plugin_die(&pi, "-w and -c do not apply to check_dmarc");
	r.co = &co;
	r.o = &o;
	r.res = plugin_resolver(&co);
	r.c = check_new("DMARC");
	check_set_verbosity(r.c, co.verbose);
	name_text(&co.domain, r.dom);
	check_subject(r.c, "%s", co.domain_shown);
	r.od = orgdomain_new(o.psl_file);
	if (r.od == NULL)
		plugin_die(&pi, "out of memory");
	if (orgdomain_problem(r.od) != NULL)
		check_add(r.c, STATE_UNKNOWN, "%s", orgdomain_problem(r.od));
	check_verbose(r.c, 1, "public suffix list: %s", orgdomain_source(r.od));
	orgdomain_find(r.od, &co.domain, &org);

	plugin_stage("policy discovery");
	got = discover(&r, &org);
	if (got == 0) {
		char ot[DNAME_TEXT_MAX], rua[DNAME_TEXT_MAX + 16];
		struct owner_fix *f;

		name_text(&org, ot);
		if (r.inherited && !o.tree_walk && !dname_equal(&org, &co.domain))
			check_add(r.c, STATE_CRITICAL, "no DMARC record at _dmarc.%s "
			    "nor at the organisational domain's _dmarc.%s", r.dom, ot);
		else
			check_add(r.c, STATE_CRITICAL, "no DMARC record at _dmarc.%s%s",
			    r.dom, o.tree_walk ? " or any parent" : "");
		snprintf(rua, sizeof(rua), "mailto:dmarc@%s", ot);
		f = fix_owner(&r, ot);
		fix_edit(f, "p", dmarc_policy_str(o.policy));
		fix_edit(f, "rua", rua);
		fix_emit(&r, NULL, 0);
	} else if (got > 0) {
		rec = dmarc_parse(r.txt, r.len);
		if (rec == NULL)
			plugin_die(&pi, "out of memory");
		char shown[160];

		out_bytes(shown, sizeof(shown), r.txt, r.len);
		report_findings(&r, rec);
		if (rec->valid) {
			check_add(r.c, STATE_OK, "DMARC record at _dmarc.%s%s: "
			    "%s", r.at_text, r.inherited ? " (inherited from a "
			    "parent domain)" : "", shown);
			check_policy(&r, rec, &org);
			fix_emit(&r, r.txt, r.len);
		} else {
			/* no [OK] for a record receivers cannot use */
			check_verbose(r.c, 0, "the record at _dmarc.%s%s: %s",
			    r.at_text, r.inherited ? " (inherited from a "
			    "parent domain)" : "", shown);
			repair_fix(&r, &org);
		}
		dmarc_record_free(rec);
	}
	orgdomain_free(r.od);
	free(r.fix);
	r.fix = NULL;
	r.nfix = 0;
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, stale_policy, &o);
	}
	plugin_exit(r.c, r.res);
}
