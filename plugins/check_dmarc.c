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
 *
 * The jobs it is made of, linked into check_dmarc only:
 * plugins/dmarc_discovery.c (finding the record both ways),
 * dmarc_standards.c (what receivers on each standard apply, compared),
 * dmarc_reports.c (rua= and the report destinations) and dmarc_fix.c
 * (the fix: lines); plugins/dmarc_run.h holds the options and the run.
 */
#include <strings.h>

#include "dmarc.h"
#include "dmarc_discovery.h"
#include "dmarc_fix.h"
#include "dmarc_reports.h"
#include "dmarc_run.h"
#include "dmarc_standards.h"
#include "orgdomain.h"
#include "plugin.h"
#include "propagation.h"

enum {
	OPT_POLICY = OPT_PLUGIN_BASE,
	OPT_NO_RUA_OK,
	OPT_TREE_WALK,
	OPT_PSL_FILE,
	OPT_PSL_DISCOVERY
};

static const struct option long_opts[] = {
	{"policy", required_argument, NULL, OPT_POLICY},
	{"no-rua-ok", no_argument, NULL, OPT_NO_RUA_OK},
	{"tree-walk", no_argument, NULL, OPT_TREE_WALK},
	{"psl-discovery", no_argument, NULL, OPT_PSL_DISCOVERY},
	{"psl-file", required_argument, NULL, OPT_PSL_FILE},
	{NULL, 0, NULL, 0},
};

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct dmarc_opts *o = ctx;

	switch (opt) {
	case OPT_POLICY:
		if (!dmarc_policy_parse(arg, &o->policy)) {
			return "policy must be none, quarantine or reject";
		}
		return NULL;
	case OPT_NO_RUA_OK:
		o->no_rua_ok = true;
		return NULL;
	case OPT_TREE_WALK:
		o->psl_discovery = false;
		return NULL;
	case OPT_PSL_DISCOVERY:
		o->psl_discovery = true;
		return NULL;
	case OPT_PSL_FILE:
		o->psl_file = arg;
		return NULL;
	default:
		return "unknown option";
	}
}

/* What must hold between the options: --parked (a domain that sends no
 * mail asks receivers to reject whatever claims to come from it; reports
 * are optional there) sets --policy=reject and --no-rua-ok. -w/-c are
 * refused by plugin_start() (no_thresholds). */
static void validate(struct dmarc_opts *o, const struct common_opts *co)
{
	if (co->parked) {
		o->policy = DMARC_POLICY_REJECT;
		o->no_rua_ok = true;
	}
}

/* The organisational domain of the domain, from the public suffix list
 * (an UNKNOWN line when the list is missing or corrupt: libpsl's
 * built-in one is used). */
static void organisational_domain(struct run *r)
{
	r->od = orgdomain_new(r->o->psl_file);
	if (r->od == NULL) {
		plugin_die(NULL, "out of memory");
	}
	if (orgdomain_problem(r->od) != NULL) {
		check_add(r->c, STATE_UNKNOWN, "%s", orgdomain_problem(r->od));
	}
	check_verbose(r->c, 1, "public suffix list: %s", orgdomain_source(r->od));
	orgdomain_find(r->od, &r->co->domain, &r->org);
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

/*
 * The effective policy, held to --policy: dmarc_base_policy(), lowered one
 * step where t=y (RFC 9989) or pct= below 100 (RFC 7489) has receivers
 * apply less to some mail: the weakest any receiver applies.
 */
static void check_policy(struct run *r, const struct dmarc_record *rec,
			 const struct dmarc_found *other)
{
	bool nonexistent = false, need_np = r->inherited && rec->has_np;
	enum dmarc_policy base, p9989, p7489, eff;
	const char *src = "p";

	if (!need_np && other->got == 1 && other->inherited && !dname_equal(&other->at, &r->at)) {
		struct dmarc_record *orec = dmarc_parse(other->txt, other->len);

		need_np = orec != NULL && orec->has_np;
		dmarc_record_free(orec);
	}
	dmarc_check_destinations(r, rec, need_np, &nonexistent);
	base = dmarc_base_policy(rec, r->inherited, nonexistent, &src);
	p9989 = dmarc_policy_9989(rec, base);
	p7489 = dmarc_policy_7489(rec, base);
	eff = p9989 < p7489 ? p9989 : p7489;
	check_add(r->c, STATE_OK, "policy %s (%s= of the record at _dmarc.%s%s)",
		  dmarc_policy_str(eff), src, r->at_text, r->inherited ? ", inherited" : "");
	check_summary(r->c, STATE_OK, "policy %s (%s= at _dmarc.%s%s)", dmarc_policy_str(eff), src,
		      r->at_text, r->inherited ? ", inherited" : "");
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
	dmarc_compare_standards(r, rec, p9989, p7489, other, nonexistent);
	if (eff < r->o->policy) {
		const char *want = dmarc_policy_str(r->o->policy);
		/* np= is raised in the organisational record; otherwise the
		 * domain gets its own record with p= raised (for an inherited
		 * one without the parent's sp= and np=); t= and pct= go, as
		 * they lower it */
		struct dmarc_owner_fix *f =
			dmarc_fix_owner(&r->fix, nonexistent ? r->at_text : r->dom);

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
		dmarc_fix_edit(f, nonexistent ? "np" : "p", want);
		dmarc_fix_edit(f, "t", NULL);
		dmarc_fix_edit(f, "pct", NULL);
		if (f != NULL && r->inherited && !nonexistent)
			f->fresh = true;
	}
	dmarc_check_rua(r, rec);
	check_perf(r->c, "policy", (double)eff, "", NULL, NULL, 0, 2);
	check_perf(r->c, "pct", (double)rec->pct, "%", NULL, NULL, 0, 100);
}

/* The record found (r->txt at r->at): its findings, then for a valid one
 * its policy, destinations and fix; for an invalid one its correction. */
static void check_record(struct run *r, const struct dmarc_found *other)
{
	struct dmarc_record *rec = dmarc_parse(r->txt, r->len);
	char shown[160];

	if (rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	out_bytes(shown, sizeof(shown), r->txt, r->len);
	report_findings(r, rec);
	if (rec->valid) {
		check_add(r->c, STATE_OK, "DMARC record at _dmarc.%s%s: %s", r->at_text,
			  r->inherited ? " (inherited from a parent domain)" : "", shown);
		check_policy(r, rec, other);
		dmarc_fix_publish(r, rec);
	} else {
		/* no [OK] for a record receivers cannot use */
		check_verbose(r->c, 0, "the record at _dmarc.%s%s: %s", r->at_text,
			      r->inherited ? " (inherited from a parent domain)" : "", shown);
		dmarc_fix_repair(r);
	}
	dmarc_record_free(rec);
}

/* No record where the chosen method looks: CRITICAL, the other method's
 * record named, and the record to publish. */
static void no_record(struct run *r, const struct dmarc_found *other, const char *mis,
		      size_t mislen)
{
	bool psl = r->o->psl_discovery;
	char ot[DNAME_TEXT_MAX];

	name_text(&r->org, ot);
	if (psl && !dname_equal(&r->org, &r->co->domain)) {
		check_add(r->c, STATE_CRITICAL,
			  "no DMARC record at _dmarc.%s nor at the organisational domain's "
			  "_dmarc.%s",
			  r->dom, ot);
	} else {
		check_add(r->c, STATE_CRITICAL, "no DMARC record at _dmarc.%s%s", r->dom,
			  psl ? "" : " or any parent");
	}
	if (other->got > 0) {
		r->at = other->at;
		name_text(&r->at, r->at_text);
		check_add(r->c, STATE_WARNING,
			  "receivers on RFC %s find the record at _dmarc.%s, receivers on RFC %s "
			  "none: the old and the new standard apply different policies",
			  psl ? "9989 (DNS tree walk)" : "7489 (public suffix list)", r->at_text,
			  psl ? "7489" : "9989");
	}
	dmarc_fix_missing(r, mis, mislen);
}

/*
 * --all-ns: a server whose _dmarc answer holds no usable DMARC record,
 * or one weaker than --policy, fails the check for the receivers that
 * ask it (RFC 7489 6.6.3); other differences are warnings.
 */
static enum state stale_policy(void *ctx, const struct dns_answer *ref,
			       const struct dns_answer *got)
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
		n += dmarc_is_record((const char *)ref->rr[i].u.txt.data, ref->rr[i].u.txt.len);
	if (n == 0)
		return STATE_WARNING; /* no policy there either */
	n = 0;
	for (size_t i = 0; i < got->nrr; i++)
		if (dmarc_is_record((const char *)got->rr[i].u.txt.data, got->rr[i].u.txt.len)) {
			hit = &got->rr[i];
			n++;
		}
	if (n != 1)
		return STATE_CRITICAL;
	rec = dmarc_parse((const char *)hit->u.txt.data, hit->u.txt.len);
	st = rec == NULL || !rec->valid || rec->p < o->policy ? STATE_CRITICAL : STATE_WARNING;
	dmarc_record_free(rec);
	return st;
}

static const char blurb[] = "Checks the DMARC policy of a mail domain: finds the record "
			    "(RFC 9989's DNS tree walk, compared with RFC 7489's public "
			    "suffix list method), validates every tag, holds the "
			    "effective policy to --policy and verifies the report "
			    "destinations.";
static const char usage[] = "[--policy=POLICY] [--no-rua-ok] "
			    "[--psl-discovery] [--psl-file=FILE]";
static const char options_help[] =
	" --policy=POLICY\n"
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
	"    libpsl's built-in one)\n";
static const char notes[] = "-w and -c do not apply. At most 10 report domains are\n"
			    "verified: MX, else A/AAAA (the implicit MX, RFC 5321 5.1;\n"
			    "a null MX accepts no mail, RFC 7505), and\n"
			    "DOMAIN._report._dmarc.DEST for an external one (RFC 7489\n"
			    "7.1). np= applies when the domain has no A, AAAA\n"
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
			    "Example: check_dmarc -D example.com --policy=quarantine\n";

int main(int argc, char **argv)
{
	struct dmarc_opts o = {.policy = DMARC_POLICY_NONE};
	const struct plugin_info pi = {
		.progname = "check_dmarc",
		.service = "DMARC",
		.blurb = blurb,
		.usage = usage,
		.options_help = options_help,
		.notes = notes,
		.short_opts = "",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
		.no_thresholds = true,
	};
	struct common_opts co;
	struct run r = {0};
	struct dmarc_found walk, psl;
	const struct dmarc_found *mine, *other;
	const char *mis = NULL;
	size_t mislen = 0;
	int got;

	plugin_start(argc, argv, &pi, &co);
	validate(&o, &co);
	r.co = &co;
	r.o = &o;
	r.res = plugin_resolver(&co);
	r.c = check_new("DMARC");
	check_set_verbosity(r.c, co.verbose);
	name_text(&co.domain, r.dom);
	check_subject(r.c, "%s", co.domain_shown);
	organisational_domain(&r);

	plugin_stage("policy discovery");
	got = dmarc_discover(&r, &walk, &psl, &mis, &mislen);
	mine = o.psl_discovery ? &psl : &walk;
	other = o.psl_discovery ? &walk : &psl;
	if (got == 0) {
		no_record(&r, other, mis, mislen);
	} else if (got > 0) {
		r.at = mine->at;
		name_text(&r.at, r.at_text);
		r.txt = mine->txt;
		r.len = mine->len;
		r.inherited = mine->inherited;
		check_record(&r, other);
	}
	orgdomain_free(r.od);
	dmarc_fix_free(&r.fix);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, stale_policy, &o);
	}
	plugin_exit(r.c, r.res);
}
