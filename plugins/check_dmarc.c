/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc: the effective DMARC policy of a domain, validated tag by
 * tag, held to --policy, with its report destinations verified.
 *
 * Discovery is the DNS tree walk of RFC 9989 4.10, which obsoletes RFC
 * 7489 (at most 8 _dmarc queries), or with --psl-discovery RFC 7489
 * 6.6.3's (the domain's _dmarc, else the organisational domain's from
 * the public suffix list). Both are run, batched, and a difference
 * between what receivers on the two standards apply is a WARNING.
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

/* at most p/np, rua, sp, np, t, pct edits on one owner */
enum {
	FIX_EDITS = 8,
	FIX_OWNERS = 2
};

enum { OPT_POLICY = OPT_PLUGIN_BASE, OPT_NO_RUA_OK, OPT_TREE_WALK,
	OPT_PSL_FILE,
	OPT_PSL_DISCOVERY
};

struct dmarc_opts {
	enum dmarc_policy policy;
	bool no_rua_ok, psl_discovery;
	const char *psl_file;
};

static const struct option long_opts[] = {
	{"policy", required_argument, NULL, OPT_POLICY},
	{"no-rua-ok", no_argument, NULL, OPT_NO_RUA_OK},
	{"tree-walk", no_argument, NULL, OPT_TREE_WALK},
	{"psl-discovery", no_argument, NULL, OPT_PSL_DISCOVERY},
	{"psl-file", required_argument, NULL, OPT_PSL_FILE},
	{NULL, 0, NULL, 0},
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
	case OPT_TREE_WALK:
		o->psl_discovery = false;
		return NULL;
	case OPT_PSL_DISCOVERY:
		o->psl_discovery = true;
		return NULL;
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

/* What one discovery method found (RFC 9989 4.10 or RFC 7489 6.6.3). */
struct found {
	int got;         /* 1 a record, 0 none, -1 failure
			    reported: the run cannot go on */
	struct dname at; /* where the record was found */
	const char *txt; /* the record (resolver-owned) */
	size_t len;
	bool inherited; /* at a parent of the domain */
};

/*
 * The _dmarc answer for D (RFC 7489 6.6.3 steps 1-3, RFC 9989 4.10):
 * 1 one record found, 0 none, -1 the run cannot go on (DNS error,
 * several records: reported here, once per name: report is false for
 * an answer judged before).
 */
static int judge(struct run *r, const struct dname *d, const struct dns_answer *a, struct found *f,
		 bool report)
{
	const struct dns_rr *hit = NULL;
	char qt[DNAME_TEXT_MAX], shown[200];
	size_t n = 0;

	name_text(&a->qname, qt);
	if (!res_status_is_answer(a->status)) {
		if (report)
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
			if (report)
				check_verbose(r->c, 1, "DMARC record at %s: %s", qt, shown);
		} else if (!report) {
			continue;
		} else if (dmarc_near_miss(t, tl)) {
			check_add(r->c, STATE_WARNING, "TXT at %s is not a DMARC "
			    "record: v=DMARC1 must come first, exactly so "
			    "(RFC 7489 6.3): %s", qt, shown);
		} else {
			check_verbose(r->c, 1, "ignored TXT at %s: %s", qt, shown);
		}
	}
	if (n > 1) {
		if (report)
			check_add(r->c, STATE_CRITICAL,
				  "multiple DMARC records "
				  "at %s (treated as none, RFC 7489 6.6.3, RFC 9989 "
				  "4.10)",
				  qt);
		return -1;
	}
	if (n == 0)
		return 0;
	f->at = *d;
	f->txt = (const char *)hit->u.txt.data;
	f->len = hit->u.txt.len;
	f->inherited = !dname_equal(d, &r->co->domain);
	return 1;
}

/* The names the DNS tree walk asks, in order (RFC 9989 4.10): the
 * domain, then parents one label at a time, jumping to 7 labels from a
 * longer name, down to the TLD; at most LIMIT_DMARC_TREE_WALK. */
static size_t walk_names(const struct dname *domain, struct dname *out)
{
	struct dname d = *domain;
	size_t n = 0;

	out[n++] = d;
	while (n < LIMIT_DMARC_TREE_WALK) {
		size_t x = dname_labels(&d);

		if (x <= 1 || !dname_parent(&d, &d, x >= 8 ? x - 7 : 1))
			break;
		out[n++] = d;
	}
	return n;
}

/* A _dmarc question for d; false when _dmarc.D is too long to exist. */
static bool dmarc_question(const struct dname *d, struct dns_question *q)
{
	q->type = DNS_T_TXT;
	return dname_prepend(&q->name, d, "_dmarc", 6);
}

/*
 * A DMARC record at the domain itself, where no receiver looks (RFC 7489
 * 6.6.3, RFC 9989 4.10 ask _dmarc only): named when _dmarc.D has none.
 * Its text into *txt for a fix, or NULL.
 */
static void misplaced(struct run *r, const struct dns_answer *a, const char **txt, size_t *len)
{
	char shown[200];

	*txt = NULL;
	if (a == NULL || a->status != RES_OK)
		return;
	for (size_t i = 0; i < a->nrr; i++) {
		const char *t = (const char *)a->rr[i].u.txt.data;
		size_t tl = a->rr[i].u.txt.len;

		if (!dmarc_is_record(t, tl))
			continue;
		out_bytes(shown, sizeof(shown), t, tl);
		check_add(r->c, STATE_WARNING,
			  "a DMARC record is published at "
			  "%s itself, where receivers never look: it belongs at "
			  "_dmarc.%s (%s)",
			  r->dom, r->dom, shown);
		*txt = t;
		*len = tl;
		return;
	}
}

/*
 * Policy discovery by both methods, batched: the DNS tree walk of RFC
 * 9989 4.10 (which obsoletes RFC 7489) and RFC 7489 6.6.3's public
 * suffix list (the domain, then its organisational domain org). The
 * first batch asks _dmarc.D and the MX of org, the usual rua= mailbox
 * (check_destinations() then finds it cached); when _dmarc.D has no
 * record the second asks the walk's next name, _dmarc.ORG and TXT at D
 * (misplaced()). No question is sent twice (the resolver's cache).
 * walk and psl get what each method found; the one --psl-discovery
 * does not choose is compared only. Returns the chosen one's got.
 */
static int discover(struct run *r, const struct dname *org, struct found *walk, struct found *psl,
		    const char **mis, size_t *mislen)
{
	struct dname names[LIMIT_DMARC_TREE_WALK];
	size_t nn = walk_names(&r->co->domain, names), i;
	struct dns_question q[4];
	const struct dns_answer *a[4];
	size_t nq = 0, org_at = nn;
	bool org_self = dname_equal(org, &r->co->domain);
	int first;

	memset(walk, 0, sizeof(*walk));
	memset(psl, 0, sizeof(*psl));
	*mis = NULL;
	for (i = 0; i < nn && !org_self; i++)
		if (dname_equal(&names[i], org))
			org_at = i;
	if (!dmarc_question(&names[0], &q[0])) {
		/* _dmarc.D is too long to exist: none there */
		first = 0;
	} else {
		q[1] = (struct dns_question){*org, DNS_T_MX};
		resolver_query_batch(r->res, q, 2, a);
		first = judge(r, &names[0], a[0], walk, true);
	}
	walk->got = first;
	if (first != 0) {
		*psl = *walk;
		return first;
	}
	/* none at _dmarc.D: the next step of each method, and D's TXT */
	if (nn > 1 && dmarc_question(&names[1], &q[nq]))
		nq++;
	if (!org_self && org_at > 1 && dmarc_question(org, &q[nq]))
		nq++;
	q[nq++] = (struct dns_question){r->co->domain, DNS_T_TXT};
	resolver_query_batch(r->res, q, nq, a);
	misplaced(r, a[nq - 1], mis, mislen);
	walk->got = 0;
	for (i = 1; i < nn && walk->got == 0; i++) {
		const struct dns_answer *ans;

		if (!dmarc_question(&names[i], &q[0]))
			continue;
		ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);
		walk->got = judge(r, &names[i], ans, walk, true);
	}
	if (org_self) {
		psl->got = 0;
	} else if (org_at < nn && (org_at < i || walk->got == 0)) {
		/* the walk asked it: the same answer, judged again quietly */
		const struct dns_answer *ans;

		(void)dmarc_question(org, &q[0]);
		ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);
		psl->got = judge(r, org, ans, psl, false);
	} else if (dmarc_question(org, &q[0])) {
		const struct dns_answer *ans = resolver_query(r->res, &q[0].name, DNS_T_TXT);

		psl->got = judge(r, org, ans, psl, true);
	}
	return r->o->psl_discovery ? psl->got : walk->got;
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

/*
 * The parser's findings as output (doc/output-contract.md 8): its default
 * states, but the RFC 9989 obsolete-tag notes as [OK] lines, an error
 * named "invalid DMARC record", and the findings past the record's limit
 * counted at the worst state kept. Printed in their order, a run of
 * errors or of the rest at a time.
 */
static void report_findings(struct run *r, struct dmarc_record *rec)
{
	struct finding_list *l = &rec->findings;
	size_t i, j;

	for (i = 0; i < l->n; i++) {
		if (l->v[i].code == DMARC_OBSOLETE) {
			l->v[i].verbose = 0;
		}
	}
	for (i = 0; i < l->n; i = j) {
		bool err = l->v[i].state == STATE_CRITICAL;
		struct finding_list run = {.v = &l->v[i]};

		for (j = i; j < l->n && (l->v[j].state == STATE_CRITICAL) == err; j++) {
			run.n++;
		}
		plugin_findings(r->c, r->co, &run, err ? "invalid DMARC record: " : NULL);
	}
	if (l->dropped > 0) {
		check_add(r->c,
			  finding_list_worst(l) == STATE_CRITICAL ? STATE_CRITICAL : STATE_WARNING,
			  "%zu more problems in the record not listed", l->dropped);
	}
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

/* The policy a record gives the domain (RFC 7489 6.6.3; np= RFC 9091,
 * RFC 9989 4.7): p= of the domain's own record; for an inherited one
 * sp= when present, else p=; np= when the domain does not exist. */
static enum dmarc_policy base_policy(const struct dmarc_record *rec, bool inherited,
				     bool nonexistent, const char **src)
{
	if (inherited && nonexistent && rec->has_np) {
		*src = "np";
		return rec->np;
	}
	if (inherited && rec->has_sp) {
		*src = "sp";
		return rec->sp;
	}
	*src = "p";
	return rec->p;
}

/* What receivers on RFC 9989 apply: t=y lowers the policy one step
 * (4.7); pct= is gone. */
static enum dmarc_policy policy_9989(const struct dmarc_record *rec, enum dmarc_policy base)
{
	return rec->testing ? dmarc_policy_lower(base) : base;
}

/* What receivers on RFC 7489 apply to the mail pct= leaves out (6.6.4:
 * the next lower policy); t= is unknown to them. */
static enum dmarc_policy policy_7489(const struct dmarc_record *rec, enum dmarc_policy base)
{
	return rec->has_pct && rec->pct < 100 ? dmarc_policy_lower(base) : base;
}

/*
 * The two standards compared: what receivers on RFC 9989 (the DNS tree
 * walk) and on RFC 7489 (the public suffix list) apply to the domain.
 * A difference is a WARNING. mine is the record checked, other what the
 * other method found (a DNS failure there is reported already).
 */
static void compare_standards(struct run *r, const struct dmarc_record *rec,
			      enum dmarc_policy mine_9989, enum dmarc_policy mine_7489,
			      const struct found *other, bool nonexistent)
{
	bool walk_is_mine = !r->o->psl_discovery;
	char ot[DNAME_TEXT_MAX], what[DNAME_TEXT_MAX + 80];
	enum dmarc_policy theirs = DMARC_POLICY_NONE;
	struct dmarc_record *orec;
	const char *src;

	if (other->got < 0)
		return;
	if (other->got == 1 && dname_equal(&other->at, &r->at)) {
		if (mine_9989 != mine_7489)
			check_add(r->c, STATE_WARNING,
				  "receivers on RFC 9989 apply %s%s, receivers on RFC 7489 "
				  "%s%s: the old and the new standard apply different "
				  "policies",
				  dmarc_policy_str(mine_9989), rec->testing ? " (t=y)" : "",
				  dmarc_policy_str(mine_7489),
				  rec->has_pct && rec->pct < 100 ? " to the mail pct= leaves out"
								 : "");
		return;
	}
	/* what the others apply; "none" for no usable record at all */
	bool same = false;

	if (other->got == 0) {
		snprintf(what, sizeof(what), "find no DMARC record: no policy");
	} else {
		orec = dmarc_parse(other->txt, other->len);
		if (orec == NULL)
			return;
		theirs = base_policy(orec, other->inherited, nonexistent, &src);
		theirs = walk_is_mine ? policy_7489(orec, theirs) : policy_9989(orec, theirs);
		same = orec->valid && theirs == (walk_is_mine ? mine_9989 : mine_7489);
		if (orec->valid)
			snprintf(what, sizeof(what), "use the record at _dmarc.%s and apply %s",
				 name_text(&other->at, ot), dmarc_policy_str(theirs));
		else
			snprintf(what, sizeof(what),
				 "use the record at _dmarc.%s, which is invalid: no policy",
				 name_text(&other->at, ot));
		dmarc_record_free(orec);
	}
	check_add(r->c, STATE_WARNING,
		  "receivers on RFC %s (%s) use the record at _dmarc.%s and apply %s; "
		  "receivers on RFC %s (%s) %s: the old and the new standard %s",
		  walk_is_mine ? "9989" : "7489",
		  walk_is_mine ? "DNS tree walk" : "public suffix list", r->at_text,
		  dmarc_policy_str(walk_is_mine ? mine_9989 : mine_7489),
		  walk_is_mine ? "7489" : "9989",
		  walk_is_mine ? "public suffix list" : "DNS tree walk", what,
		  same ? "find different records" : "apply different policies");
}

/*
 * The effective policy, held to --policy: base_policy(), lowered one
 * step where t=y (RFC 9989) or pct= below 100 (RFC 7489) has receivers
 * apply less to some mail: the weakest any receiver applies.
 */
static void check_policy(struct run *r, const struct dmarc_record *rec, const struct dname *org,
			 const struct found *other)
{
	bool nonexistent = false, need_np = r->inherited && rec->has_np;
	enum dmarc_policy base, p9989, p7489, eff;
	const char *src = "p";
	char orgt[DNAME_TEXT_MAX];

	if (!need_np && other->got == 1 && other->inherited && !dname_equal(&other->at, &r->at)) {
		struct dmarc_record *orec = dmarc_parse(other->txt, other->len);

		need_np = orec != NULL && orec->has_np;
		dmarc_record_free(orec);
	}
	check_destinations(r, rec, need_np, &nonexistent);
	base = base_policy(rec, r->inherited, nonexistent, &src);
	p9989 = policy_9989(rec, base);
	p7489 = policy_7489(rec, base);
	eff = p9989 < p7489 ? p9989 : p7489;
	check_add(r->c, STATE_OK, "policy %s (%s= of the record at _dmarc.%s%s)",
	    dmarc_policy_str(eff), src, r->at_text, r->inherited ?
	    ", inherited" : "");
	check_summary(r->c, STATE_OK, "policy %s (%s= at _dmarc.%s%s)",
	    dmarc_policy_str(eff), src, r->at_text, r->inherited ?
	    ", inherited" : "");
	if (rec->has_pct && rec->pct < 100)
		check_add(r->c, STATE_WARNING,
			  "pct=%u: the policy applies to "
			  "%u%% of failing mail only (receivers on RFC 7489; the "
			  "rest gets %s)",
			  rec->pct, rec->pct, dmarc_policy_str(p7489));
	if (rec->testing && p9989 != base)
		check_add(r->c, STATE_WARNING,
			  "t=y: receivers on RFC 9989 apply "
			  "%s, the next lower policy, instead of %s=%s (testing, "
			  "RFC 9989 4.7)",
			  dmarc_policy_str(p9989), src, dmarc_policy_str(base));
	compare_standards(r, rec, p9989, p7489, other, nonexistent);
	if (eff < r->o->policy) {
		const char *want = dmarc_policy_str(r->o->policy);
		/* np= is raised in the organisational record; otherwise the
		 * domain gets its own record with p= raised (for an inherited
		 * one without the parent's sp= and np=); t= and pct= go, as
		 * they lower it */
		struct owner_fix *f = fix_owner(r, nonexistent ? r->at_text :
		    r->dom);

		if (eff < base)
			check_add(r->c, STATE_CRITICAL,
				  "policy %s (%s=%s lowered by "
				  "%s) is weaker than the required %s",
				  dmarc_policy_str(eff), src, dmarc_policy_str(base),
				  p9989 < base && p7489 < base ? "t=y and pct="
				  : p9989 < base               ? "t=y"
							       : "pct=",
				  want);
		else
			check_add(r->c, STATE_CRITICAL,
				  "policy %s (%s=) is weaker "
				  "than the required %s",
				  dmarc_policy_str(eff), src, want);
		fix_edit(f, nonexistent ? "np" : "p", want);
		fix_edit(f, "t", NULL);
		fix_edit(f, "pct", NULL);
		if (f != NULL && r->inherited && !nonexistent)
			f->fresh = true;
	}
	if (!rec->rua.present || rec->rua.nvalid == 0) {
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
			 "(RFC 9989's DNS tree walk, compared with RFC 7489's public "
			 "suffix list method), validates every tag, holds the "
			 "effective policy to --policy and verifies the report "
			 "destinations.",
		.usage = "[--policy=POLICY] [--no-rua-ok] "
			 "[--psl-discovery] [--psl-file=FILE]",
		.options_help = " --policy=POLICY\n"
				"    Weakest acceptable effective policy: none (default),\n"
				"    quarantine or reject; the policy one step lower counts\n"
				"    where t=y (RFC 9989 4.7) or pct=\n"
				"    below 100 (RFC 7489 6.6.4) has receivers apply less\n"
				" --no-rua-ok\n"
				"    A record without rua= is fine (default: WARNING)\n"
				" --psl-discovery\n"
				"    Check the record RFC 7489 receivers find (the domain's,\n"
				"    else its organisational domain's from the public suffix\n"
				"    list) instead of RFC 9989's DNS tree walk (4.10). Both are\n"
				"    looked up either way; a difference is a WARNING\n"
				" --tree-walk\n"
				"    The default: find the record by RFC 9989's DNS tree walk\n"
				" --psl-file=FILE\n"
				"    Public suffix list (default: the distribution's, else\n"
				"    libpsl's built-in one)\n",
		.notes = "-w and -c do not apply. At most 10 report domains are\n"
			 "verified: MX, and DOMAIN._report._dmarc.DEST for an external\n"
			 "one (RFC 7489 7.1). np= applies when the domain has no A, AAAA\n"
			 "or MX (RFC 9091).\n"
			 "Queries: the tree walk asks at most 8 _dmarc names; the MX\n"
			 "of the organisational domain (the usual rua= mailbox) goes\n"
			 "in the same batch as the first, so discovery asks at most 9\n"
			 "(one more than before) and a typical run is one round trip.\n"
			 "When _dmarc.DOMAIN has no record, TXT at DOMAIN itself (a\n"
			 "DMARC record misplaced there) and the organisational\n"
			 "domain's _dmarc share the walk's second batch.\n"
			 "RFC 9989 relaxed RFC 7489: p= is optional (none, when rua=\n"
			 "has a valid URI) and need not follow v=; pct=, rf= and ri=\n"
			 "are removed (an [OK] note); t=y asks for the next lower\n"
			 "policy. Invalid values of other tags and malformed report\n"
			 "URIs are discarded for their defaults (RFC 7489 6.3): a\n"
			 "WARNING each.\n"
			 "Limits: 2048 tags per record, 1000 URIs examined per rua/ruf\n"
			 "(more than 2 is a WARNING: receivers need only support 2).\n"
			 "--parked holds the policy to reject and accepts a record without\n"
			 "rua=.\n"
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
	struct found walk, psl, *mine, *other;
	const char *mis = NULL;
	size_t mislen = 0;
	int got;

	plugin_start(argc, argv, &pi, &co); /* refuses -w/-c: no_thresholds */
	/* --parked: a domain that sends no mail asks receivers to reject
	 * whatever claims to come from it; reports are optional there. */
	if (co.parked) {
		o.policy = DMARC_POLICY_REJECT;
		o.no_rua_ok = true;
	}
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
	got = discover(&r, &org, &walk, &psl, &mis, &mislen);
	mine = o.psl_discovery ? &psl : &walk;
	other = o.psl_discovery ? &walk : &psl;
	if (got > 0) {
		r.at = mine->at;
		name_text(&r.at, r.at_text);
		r.txt = mine->txt;
		r.len = mine->len;
		r.inherited = mine->inherited;
	}
	if (got == 0) {
		char ot[DNAME_TEXT_MAX], rua[DNAME_TEXT_MAX + 16];
		struct owner_fix *f;

		name_text(&org, ot);
		if (o.psl_discovery && !dname_equal(&org, &co.domain))
			check_add(r.c, STATE_CRITICAL, "no DMARC record at _dmarc.%s "
			    "nor at the organisational domain's _dmarc.%s", r.dom, ot);
		else
			check_add(r.c, STATE_CRITICAL, "no DMARC record at _dmarc.%s%s", r.dom,
				  o.psl_discovery ? "" : " or any parent");
		if (other->got > 0) {
			r.at = other->at;
			name_text(&r.at, r.at_text);
			check_add(r.c, STATE_WARNING,
				  "receivers on RFC %s find "
				  "the record at _dmarc.%s, receivers on RFC %s none: "
				  "the old and the new standard apply different "
				  "policies",
				  o.psl_discovery ? "9989 (DNS tree walk)"
						  : "7489 (public suffix list)",
				  r.at_text, o.psl_discovery ? "7489" : "9989");
		}
		if (mis != NULL) {
			/* the misplaced record, where receivers look */
			struct dmarc_record *m = dmarc_parse(mis, mislen);

			f = fix_owner(&r, r.dom);
			if (m != NULL && (!m->has_p || m->p < o.policy))
				fix_edit(f, "p", dmarc_policy_str(o.policy));
			if (m != NULL && m->rua.nvalid == 0) {
				snprintf(rua, sizeof(rua), "mailto:dmarc@%s", ot);
				fix_edit(f, "rua", rua);
			}
			dmarc_record_free(m);
			fix_emit(&r, mis, mislen);
		} else {
			snprintf(rua, sizeof(rua), "mailto:dmarc@%s", ot);
			f = fix_owner(&r, ot);
			fix_edit(f, "p", dmarc_policy_str(o.policy));
			fix_edit(f, "rua", rua);
			fix_emit(&r, NULL, 0);
		}
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
			check_policy(&r, rec, &org, other);
			if (rec->ndiscarded > 0) {
				/* values receivers discard: the record
				 * corrected, with the edits above */
				char *s =
					dmarc_repair(r.txt, r.len, rec->has_p ? rec->p : o.policy);

				(void)fix_owner(&r, r.at_text);
				if (s != NULL)
					fix_emit(&r, s, strlen(s));
				free(s);
			} else {
				fix_emit(&r, r.txt, r.len);
			}
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
	check_verbose(r.c, 1, "%u DNS quer%s in %u round trip%s", resolver_queries_sent(r.res),
		      resolver_queries_sent(r.res) == 1 ? "y" : "ies", resolver_round_trips(r.res),
		      resolver_round_trips(r.res) == 1 ? "" : "s");
	plugin_exit(r.c, r.res);
}
