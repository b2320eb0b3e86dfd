/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The static SPF audit: record selection (RFC 7208 4.5), syntax (12),
 * the lookup and void-lookup counts over the whole include/redirect tree
 * (4.6.4), loops, and the policy of the record's "all" (4.7, 5.1, 6.1).
 *
 * The tree is fetched level by level, one resolver_query_batch() per
 * level, then counted by a depth-first walk over the records fetched: a
 * record included twice is fetched once and counted twice (as receivers
 * count it), a record reached again on the path to itself is a loop.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"
#include "spf_audit.h"
#include "spf_macro.h"

#define COUNT_MAX 99999u /* lookups and voids saturate here */
#define NONE_IDX  ((size_t)-1)

/* PROBE_MXHOST: the addresses of an mx target's hosts, asked for the
 * evaluation only (it finds them cached): without them the evaluation
 * of an mx term costs one more round trip after the audit's last. */
enum probe_kind {
	PROBE_ADDR,
	PROBE_MX,
	PROBE_EXISTS,
	PROBE_MXHOST
};

struct node {              /* one record of the tree */
	struct dname name; /* as asked (the evaluator asks the same) */
	char text[DNAME_TEXT_MAX];
	char raw[DNAME_WIRE_MAX + 1]; /* labels joined, for %{d} */
	size_t depth;
	size_t parent;        /* the record whose term first reached it */
	char first_term[160]; /* that term */
	bool via_redirect;
	const struct dns_answer *ans;
	struct spf_record *rec; /* parsed, or NULL */
	unsigned own_lookups;
	unsigned own_voids[3]; /* for IPv4 / IPv6 clients / for all */
	bool has_all;
	int color;               /* DFS: 0 white, 1 grey, 2 black */
	unsigned cost, voids[3]; /* over its subtree, once black */
	bool partial;
	bool dup_noted;
};

struct edge {
	size_t from, to; /* to: NONE_IDX when not followed */
	bool redirect;
	enum spf_result qual; /* of an include */
	char term[160];
};

struct probe { /* an a, mx or exists target */
	size_t node;
	enum probe_kind kind;
	struct dname name;
	char term[160];
	size_t q; /* index of its first question */
};

/* every node or probe asks at most 2 questions, the root 2 */
#define QMAX (2 * (LIMIT_SPF_AUDIT_RECORDS + 2 * LIMIT_SPF_AUDIT_TARGETS) + 2)

/* The walk's tables, sized for the bounds, in one allocation: about
 * 340 KiB, of which a usual tree touches a few pages. glibc serves a
 * block that large from mmap(), zeroed by the kernel page by page as it
 * is touched; the five callocs under its mmap threshold were memset()
 * whole, a fifth of check_spf's instructions (bench/RESULTS.md). */
struct tables {
	struct node nodes[LIMIT_SPF_AUDIT_RECORDS];
	struct edge edges[LIMIT_SPF_AUDIT_EDGES];
	struct probe probes[2 * LIMIT_SPF_AUDIT_TARGETS];
	struct dns_question q[QMAX];
	const struct dns_answer *ans[QMAX];
};

struct walk {
	struct tables *t;
	struct resolver *res;
	const struct spf_audit_opts *opts;
	struct spf_audit *out;
	bool oom;
	struct node *nodes;
	size_t nnodes;
	struct edge *edges;
	size_t nedges;
	struct probe *probes; /* LIMIT_SPF_AUDIT_TARGETS targets, then as
				 many MX hosts */
	size_t nprobes, nmxhosts;
	bool need_fix;  /* a structural problem: the guide's record */
	size_t foreign; /* first record not the domain's own (nor a
			   subdomain's) with a permerror: no fix line
			   for the domain can mend it; NONE_IDX */
	bool capped_records, capped_targets, capped_edges; /* noted once */
	size_t path[LIMIT_SPF_AUDIT_RECORDS + 1];
	size_t npath;
};

/* ------------------------------------------------------------ findings */

enum state spf_audit_default_state(enum spf_audit_code code, const struct spf_audit_opts *o)
{
	switch (code) {
	case SPF_A_DNS_ERROR:
	case SPF_A_NO_RECORD:
	case SPF_A_ONLY_SPF99:
	case SPF_A_MULTIPLE:
	case SPF_A_SYNTAX:
	case SPF_A_LOOP:
	case SPF_A_TARGET_NONE:
	case SPF_A_MX_LIMIT:
	case SPF_A_ALL_PASS:
		return STATE_CRITICAL;
	case SPF_A_TOO_BIG:
	case SPF_A_ALL_NEUTRAL:
	case SPF_A_NO_ALL:
	case SPF_A_SENDER_ID: /* the caller lowers it beside v=spf1 */
	case SPF_A_PTR:
		return STATE_WARNING;
	case SPF_A_ALL_SOFTFAIL:
		return o != NULL && o->require_fail ? STATE_WARNING : STATE_OK;
	case SPF_A_VOID: /* the caller raises it past the limit */
	case SPF_A_SPF99:
	case SPF_A_ONE:
	case SPF_A_DUPLICATE:
	case SPF_A_MACRO:
	case SPF_A_TOO_DEEP:
	case SPF_A_ALL_FAIL:
	case SPF_A_AFTER_ALL:
	default:
		return STATE_OK;
	}
}

static struct finding *add(struct walk *w, enum spf_audit_code code, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
static struct finding *add(struct walk *w, enum spf_audit_code code, const char *fmt, ...)
{
	struct finding_list *l = &w->out->findings;
	char text[FINDING_TEXT_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (!finding_add(l, (int)code, spf_audit_default_state(code, w->opts), 0, "%s", text)) {
		w->oom = w->oom || l->oom;
		return NULL;
	}
	return &l->v[l->n - 1];
}

/* One finding per failed answer, however many terms lead to it. */
static void dns_error(struct walk *w, const struct dns_answer *ans, const char *what)
{
	struct finding_list *l = &w->out->findings;

	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].failed == ans)
			return;
	if (!finding_add_dns(l, SPF_A_DNS_ERROR, ans, "%s", what))
		w->oom = w->oom || l->oom;
}

/* A permerror in the record of node idx (or in one of its terms): the
 * domain's own record, or a subdomain's, is mended by the guide's
 * record; a third party's is not ours to publish (review finding 2). */
static void fault_at(struct walk *w, size_t idx)
{
	if (idx == 0 || dname_is_subdomain(&w->nodes[idx].name, &w->nodes[0].name, true))
		w->need_fix = true;
	else if (w->foreign == NONE_IDX)
		w->foreign = idx;
}

/* ------------------------------------------------------------- helpers */

bool spf_audit_needs_identity(const char *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] != '%')
			continue;
		if (p[i + 1] == '{') {
			if (i + 2 < len && p[i + 2] != 'd' && p[i + 2] != 'D')
				return true;
			continue;
		}
		i++; /* %% %_ %-: a literal */
	}
	return false;
}

static void term_text(const struct spf_record *rec, const struct spf_term *t, char *buf, size_t len)
{
	out_bytes(buf, len, spf_term_text(rec, t), t->len);
}

enum tgt {
	TGT_OK,
	TGT_MACRO,
	TGT_INVALID
};

/* The target of a term as check_host() computes it (spf_eval.c
 * target_name): the domain-spec with %{d} expanded, truncated (7.3),
 * or the current domain. */
static enum tgt target_of(const struct node *n, const struct spf_record *rec,
			  const struct spf_term *t, unsigned dflags, struct dname *out)
{
	char buf[LIMIT_SPF_MACRO_OUT], err[120];
	struct spf_macro_vars v;
	size_t len, off;

	if (!t->has_spec) {
		*out = n->name;
		return TGT_OK;
	}
	if (spf_audit_needs_identity(spf_term_spec(rec, t), t->spec_len))
		return TGT_MACRO;
	memset(&v, 0, sizeof(v));
	v.d = n->raw;
	v.d_len = strlen(n->raw);
	if (spf_macro_expand(spf_term_spec(rec, t), t->spec_len, 0, &v, buf, sizeof(buf), &len, err,
			     sizeof(err)) != SPF_MACRO_OK)
		return TGT_INVALID;
	if (!spf_truncate_domain(buf, len, &off))
		return TGT_INVALID;
	if (!dname_from_text(out, buf + off, len - off, dflags, NULL))
		return TGT_INVALID;
	return TGT_OK;
}

static size_t find_node(const struct walk *w, const struct dname *name)
{
	for (size_t i = 0; i < w->nnodes; i++)
		if (dname_equal(&w->nodes[i].name, name))
			return i;
	return NONE_IDX;
}

static size_t new_node(struct walk *w, const struct dname *name, size_t parent, const char *term,
		       bool redirect)
{
	if (w->nnodes >= LIMIT_SPF_AUDIT_RECORDS)
		return NONE_IDX;
	struct node *n = &w->nodes[w->nnodes];
	memset(n, 0, sizeof(*n));
	n->name = *name;
	dname_to_text(name, n->text, sizeof(n->text));
	dname_raw(name, n->raw, sizeof(n->raw));
	n->parent = parent;
	n->depth = parent == NONE_IDX ? 0 : w->nodes[parent].depth + 1;
	n->via_redirect = redirect;
	snprintf(n->first_term, sizeof(n->first_term), "%s", term);
	return w->nnodes++;
}

/* An include or redirect term of node `from`. */
static void follow(struct walk *w, size_t from, const struct spf_record *rec,
		   const struct spf_term *t, bool redirect)
{
	struct node *n = &w->nodes[from];
	struct dname target;
	char term[160];
	size_t to = NONE_IDX;

	term_text(rec, t, term, sizeof(term));
	switch (target_of(n, rec, t, DNAME_MULTILABEL, &target)) {
	case TGT_MACRO:
		add(w, SPF_A_MACRO,
		    "%s in %s: not followed (macro needs a "
		    "client identity), counted as 1 lookup",
		    term, n->text);
		n->partial = true;
		break;
	case TGT_INVALID:
		add(w, SPF_A_TARGET_NONE,
		    "%s in %s: the target is not a "
		    "domain name (permerror)",
		    term, n->text);
		fault_at(w, from);
		n->partial = true;
		break;
	case TGT_OK:
		to = find_node(w, &target);
		if (to != NONE_IDX)
			break;
		if (n->depth + 1 >= LIMIT_SPF_DEPTH) {
			add(w, SPF_A_TOO_DEEP,
			    "%s in %s: not followed (nesting "
			    "deeper than %d)",
			    term, n->text, LIMIT_SPF_DEPTH);
			n->partial = true;
			break;
		}
		to = new_node(w, &target, from, term, redirect);
		if (to == NONE_IDX) {
			if (!w->capped_records)
				add(w, SPF_A_TOO_DEEP,
				    "%s in %s and what follows: "
				    "not followed (the audit fetches at most %d "
				    "records)",
				    term, n->text, LIMIT_SPF_AUDIT_RECORDS);
			w->capped_records = true;
			n->partial = true;
		}
		break;
	}
	if (w->nedges >= LIMIT_SPF_AUDIT_EDGES) {
		if (!w->capped_edges)
			add(w, SPF_A_TOO_DEEP,
			    "%s in %s and what follows: not "
			    "counted (the audit follows at most %d include and "
			    "redirect terms)",
			    term, n->text, LIMIT_SPF_AUDIT_EDGES);
		w->capped_edges = true;
		n->partial = true;
		return;
	}
	struct edge *e = &w->edges[w->nedges++];
	e->from = from;
	e->to = to;
	e->redirect = redirect;
	e->qual = t->qual;
	memcpy(e->term, term, sizeof(term));
}

static void probe(struct walk *w, size_t from, const struct spf_record *rec,
		  const struct spf_term *t, enum probe_kind kind)
{
	struct node *n = &w->nodes[from];
	struct dname target;

	/* 4.8: a target that cannot be a name matches nothing, no query */
	if (target_of(n, rec, t, 0, &target) != TGT_OK)
		return;
	if (w->nprobes - w->nmxhosts >= LIMIT_SPF_AUDIT_TARGETS) {
		if (!w->capped_targets)
			add(w, SPF_A_TOO_DEEP,
			    "void lookups not checked past "
			    "%d a/mx/exists targets (from %s on)",
			    LIMIT_SPF_AUDIT_TARGETS, n->text);
		/* the lookup is counted all the same: only voids are
		 * left unchecked */
		w->capped_targets = true;
		return;
	}
	struct probe *p = &w->probes[w->nprobes++];
	p->node = from;
	p->kind = kind;
	p->name = target;
	term_text(rec, t, p->term, sizeof(p->term));
}

/* Walk the terms of a parsed record: count its lookups, collect the
 * targets for the next level. */
static void scan_record(struct walk *w, size_t idx)
{
	struct node *n = &w->nodes[idx];
	const struct spf_record *rec = n->rec;
	bool ptr = false;
	char after[200] = "";

	for (size_t i = 0; i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];
		if (t->kind != SPF_TERM_MECH)
			continue;
		if (n->has_all) {
			/* 5.1: mechanisms after "all" are never tested */
			if (spf_term_is_lookup(t) && after[0] == '\0')
				term_text(rec, t, after, sizeof(after));
			continue;
		}
		if (spf_term_is_lookup(t))
			n->own_lookups++;
		switch (t->mech) {
		case SPF_MECH_ALL:
			n->has_all = true;
			break;
		case SPF_MECH_INCLUDE:
			follow(w, idx, rec, t, false);
			break;
		case SPF_MECH_A:
			probe(w, idx, rec, t, PROBE_ADDR);
			break;
		case SPF_MECH_MX:
			probe(w, idx, rec, t, PROBE_MX);
			break;
		case SPF_MECH_EXISTS:
			probe(w, idx, rec, t, PROBE_EXISTS);
			break;
		case SPF_MECH_PTR:
			ptr = true;
			break;
		default:
			break;
		}
		n = &w->nodes[idx];
	}
	if (ptr)
		add(w, SPF_A_PTR,
		    "ptr in %s: deprecated, slow and unreliable "
		    "(RFC 7208 5.5)",
		    n->text);
	if (after[0] != '\0')
		add(w, SPF_A_AFTER_ALL,
		    "%s in %s comes after all and is never "
		    "evaluated (RFC 7208 5.1)",
		    after, n->text);
	if (rec->redirect >= 0) {
		const struct spf_term *t = &rec->terms[rec->redirect];
		if (n->has_all) {
			char term[160];
			term_text(rec, t, term, sizeof(term));
			/* 6.1: redirect is ignored when "all" is present */
			add(w, SPF_A_AFTER_ALL,
			    "%s in %s is ignored: the record "
			    "has all (RFC 7208 6.1)",
			    term, n->text);
		} else {
			n->own_lookups++;
			follow(w, idx, rec, t, true);
		}
	}
}

/* Sender ID records (RFC 4406: "spf2.0/" and a scope list) in the
 * domain's TXT answer: receivers discard TXT records that do not start
 * with v=spf1 (RFC 7208 4.5). Noted beside a v=spf1 record, a WARNING
 * when they are all there is. */
static void sender_id(struct walk *w, const struct dns_answer *ans, bool have_spf)
{
	struct finding *f;
	size_t n = 0;

	if (ans == NULL || ans->status != RES_OK)
		return;
	for (size_t i = 0; i < ans->nrr; i++) {
		const struct dns_rr *rr = &ans->rr[i];

		if (rr->type == DNS_T_TXT && rr->u.txt.len >= 7 &&
		    strncasecmp((const char *)rr->u.txt.data, "spf2.0/", 7) == 0)
			n++;
	}
	if (n == 0)
		return;
	f = add(w, SPF_A_SENDER_ID,
		"%zu Sender ID record%s (spf2.0/, RFC 4406): "
		"obsolete, receivers ignore %s (RFC 7208 4.5)%s",
		n, n == 1 ? "" : "s", n == 1 ? "it" : "them",
		have_spf ? "" : "; it is no SPF record");
	if (f != NULL && have_spf)
		f->state = STATE_OK;
}

/* The fetched TXT answer of node idx: select, parse, scan. */
static void take_record(struct walk *w, size_t idx, const struct dns_answer *spf99)
{
	struct node *n = &w->nodes[idx];
	struct spf_selection sel;
	char err[200];
	bool root = idx == 0;

	spf_select(n->ans, &sel);
	switch (sel.status) {
	case SPF_SEL_DNS_ERROR:
		if (root) {
			dns_error(w, n->ans, "SPF record");
		} else {
			char what[300];
			out_setf(what, sizeof(what), "%s in %s", n->first_term,
				 w->nodes[n->parent].text);
			dns_error(w, n->ans, what);
		}
		n->partial = true;
		return;
	case SPF_SEL_NONE:
		if (!root) {
			add(w, SPF_A_TARGET_NONE,
			    "%s: no SPF record at %s "
			    "(permerror, RFC 7208 %s)",
			    n->first_term, n->text, n->via_redirect ? "6.1" : "5.2");
			fault_at(w, idx);
			n->partial = true;
			return;
		}
		/* a type-99 record alone: receivers ignore it (3.1) */
		if (spf99 != NULL && spf99->status == RES_OK) {
			for (size_t i = 0; i < spf99->nrr; i++) {
				const struct dns_rr *rr = &spf99->rr[i];
				if (rr->type != DNS_T_SPF ||
				    !spf_is_record(rr->u.txt.data, rr->u.txt.len))
					continue;
				add(w, SPF_A_ONLY_SPF99,
				    "no SPF record in TXT, "
				    "only a type-99 SPF RR, which receivers "
				    "ignore (RFC 7208 3.1)");
				struct spf_record *r = spf_record_parse(
					rr->u.txt.data, rr->u.txt.len, err, sizeof(err));
				if (r != NULL) {
					/* publish the same record as TXT, its
					 * all mended: the TXT record is then
					 * audited, and a +all in it would be
					 * the next finding */
					char *fix = spf_audit_mend_all(r, w->opts->require_fail);
					size_t flen = fix != NULL ? strlen(fix) : rr->u.txt.len;
					if (fix == NULL && (fix = malloc(flen + 1)) != NULL) {
						memcpy(fix, rr->u.txt.data, flen);
						fix[flen] = '\0';
					}
					if (fix == NULL) {
						w->oom = true;
					} else {
						w->out->fix = fix;
						w->out->fix_len = flen;
						w->out->fix_owner = n->name;
					}
					spf_record_free(r);
				} else {
					w->need_fix = true;
				}
				return;
			}
		}
		sender_id(w, n->ans, false);
		add(w, SPF_A_NO_RECORD, "no SPF record (%s)",
		    n->ans->status == RES_NXDOMAIN ? "no such domain"
		    : sel.ntxt                     ? "no TXT record starts with v=spf1"
						   : "no TXT record");
		w->need_fix = true;
		return;
	case SPF_SEL_MULTIPLE:
		if (root)
			add(w, SPF_A_MULTIPLE,
			    "multiple SPF records (%zu SPF "
			    "records): permerror (RFC 7208 4.5)",
			    sel.nspf);
		else
			add(w, SPF_A_TARGET_NONE,
			    "%s: %zu SPF records at %s "
			    "(permerror, RFC 7208 4.5)",
			    n->first_term, sel.nspf, n->text);
		fault_at(w, idx);
		n->partial = true;
		return;
	case SPF_SEL_ONE:
		break;
	}
	if (root) {
		w->out->record_bytes = sel.len;
		add(w, SPF_A_ONE, "exactly one v=spf1 record");
		sender_id(w, n->ans, true);
		if (spf99 != NULL && spf99->status == RES_OK)
			add(w, SPF_A_SPF99,
			    "a type-99 SPF RR is published "
			    "too: obsolete, receivers use the TXT record (RFC "
			    "7208 3.1)");
		if (sel.len > LIMIT_SPF_UDP_RECORD)
			add(w, SPF_A_TOO_BIG,
			    "record is %zu bytes, over %d: "
			    "it may not fit a UDP answer (RFC 7208 3.4)",
			    sel.len, LIMIT_SPF_UDP_RECORD);
	}
	n->rec = spf_record_parse(sel.data, sel.len, err, sizeof(err));
	if (n->rec == NULL) {
		if (root)
			add(w, SPF_A_SYNTAX, "permerror: %s", err);
		else
			add(w, SPF_A_TARGET_NONE, "%s: permerror in %s: %s", n->first_term, n->text,
			    err);
		fault_at(w, idx);
		n->partial = true;
		return;
	}
	if (root)
		w->out->have_record = true;
	scan_record(w, idx);
}

static void void_note(struct walk *w, const struct probe *p, const char *why)
{
	char *d = w->out->void_detail;
	size_t o = strlen(d);

	if (o + 4 >= sizeof(w->out->void_detail))
		return;
	out_setf(d + o, sizeof(w->out->void_detail) - o, "%s%s in %s (%s)", o ? ", " : "", p->term,
		 w->nodes[p->node].text, why);
}

/* Queue the address lookups of an mx target's hosts (at most the 10
 * check_host() looks at, 4.6.4) for the next level's batch, in the
 * families of the evaluation to come (opts->eval_ipv4/6). */
static void mx_hosts(struct walk *w, const struct probe *p, const struct dns_answer *a)
{
	size_t n = 0;

	if (!w->opts->eval_ipv4 && !w->opts->eval_ipv6)
		return;
	for (size_t i = 0; i < a->nrr && n < LIMIT_SPF_MX_NAMES; i++) {
		if (a->rr[i].type != DNS_T_MX || dname_labels(&a->rr[i].u.mx.host) == 0 ||
		    w->nmxhosts >= LIMIT_SPF_AUDIT_TARGETS)
			continue;
		struct probe *h = &w->probes[w->nprobes++];
		w->nmxhosts++;
		n++;
		h->node = p->node;
		h->kind = PROBE_MXHOST;
		h->name = a->rr[i].u.mx.host;
		memcpy(h->term, p->term, sizeof(h->term));
	}
}

/* The answers to one level's a/mx/exists targets. */
static void take_probe(struct walk *w, const struct probe *p, const struct dns_answer *const *ans)
{
	struct node *n = &w->nodes[p->node];
	char what[400];
	const struct dns_answer *a = ans[0];

	out_setf(what, sizeof(what), "%s in %s", p->term, n->text);
	switch (p->kind) {
	case PROBE_ADDR:
		/* a client asks the address type of its own family (5.3):
		 * a name with only A records is a void lookup for every
		 * IPv6 client, and the other way round */
		for (size_t i = 0; i < 2; i++)
			if (!res_status_is_answer(ans[i]->status)) {
				dns_error(w, ans[i], what);
				return;
			}
		if (ans[0]->nrr == 0)
			n->own_voids[0]++;
		if (ans[1]->nrr == 0)
			n->own_voids[1]++;
		if (ans[0]->nrr == 0 && ans[1]->nrr == 0) {
			n->own_voids[2]++;
			void_note(w, p, ans[0]->status == RES_NXDOMAIN ? "NXDOMAIN" : "no address");
		} else if (ans[0]->nrr == 0 || ans[1]->nrr == 0)
			void_note(w, p, ans[0]->nrr == 0 ? "no A" : "no AAAA");
		return;
	case PROBE_MX:
	case PROBE_EXISTS:
		if (!res_status_is_answer(a->status)) {
			dns_error(w, a, what);
			return;
		}
		if (a->nrr == 0) {
			n->own_voids[0]++;
			n->own_voids[1]++;
			n->own_voids[2]++;
			void_note(w, p,
				  a->status == RES_NXDOMAIN ? "NXDOMAIN"
				  : p->kind == PROBE_MX     ? "no MX"
							    : "no A");
			return;
		}
		if (p->kind == PROBE_MX && a->nrr > LIMIT_SPF_MX_NAMES) {
			add(w, SPF_A_MX_LIMIT,
			    "%s: %zu MX records, more than "
			    "%d (permerror, RFC 7208 4.6.4)",
			    what, a->nrr, LIMIT_SPF_MX_NAMES);
			fault_at(w, p->node);
		}
		if (p->kind == PROBE_MX)
			mx_hosts(w, p, a);
		return;
	case PROBE_MXHOST:
		/* for the evaluation's cache only: 4.6.4 counts these
		 * neither as terms nor here as voids */
		return;
	}
}

/* ------------------------------------------------------------- levels */

static void fetch_levels(struct walk *w, const struct dname *domain)
{
	size_t lvl_start = 0, lvl_end, probe_start = 0, probe_end = 0;
	struct dns_question *q = w->t->q;
	const struct dns_answer **ans = w->t->ans;
	const struct dns_answer *spf99 = NULL;

	new_node(w, domain, NONE_IDX, "", false);
	lvl_end = 1;
	for (;;) {
		size_t nq = 0;

		for (size_t i = lvl_start; i < lvl_end; i++) {
			q[nq].name = w->nodes[i].name;
			q[nq++].type = DNS_T_TXT;
			/* 3.1: the type-99 RR, asked with the root's TXT */
			if (i == 0) {
				q[nq].name = w->nodes[i].name;
				q[nq++].type = DNS_T_SPF;
			}
		}
		for (size_t i = probe_start; i < probe_end; i++) {
			struct probe *p = &w->probes[i];
			p->q = nq;
			q[nq].name = p->name;
			switch (p->kind) {
			case PROBE_MXHOST:
				/* the families the evaluation will ask */
				if (w->opts->eval_ipv4)
					q[nq++].type = DNS_T_A;
				if (w->opts->eval_ipv6) {
					q[nq].name = p->name;
					q[nq++].type = DNS_T_AAAA;
				}
				break;
			case PROBE_ADDR:
				/* both families: check_host() asks the
				 * client's, which the evaluation then finds
				 * cached */
				q[nq++].type = DNS_T_A;
				q[nq].name = p->name;
				q[nq++].type = DNS_T_AAAA;
				break;
			case PROBE_MX:
				q[nq++].type = DNS_T_MX;
				break;
			case PROBE_EXISTS:
				/* 5.7: exists always asks A */
				q[nq++].type = DNS_T_A;
				break;
			}
		}
		if (nq == 0)
			break;
		resolver_query_batch(w->res, q, nq, ans);

		for (size_t i = probe_start; i < probe_end; i++)
			take_probe(w, &w->probes[i], &ans[w->probes[i].q]);
		probe_start = probe_end;

		size_t k = 0;
		for (size_t i = lvl_start; i < lvl_end; i++) {
			w->nodes[i].ans = ans[k++];
			if (i == 0)
				spf99 = ans[k++];
		}
		for (size_t i = lvl_start; i < lvl_end; i++) {
			if (i == 0 && spf99 != NULL && !res_status_is_answer(spf99->status) &&
			    res_status_is_answer(w->nodes[0].ans->status))
				dns_error(w, spf99, "SPF RR (type 99)");
			take_record(w, i, i == 0 ? spf99 : NULL);
			if (w->oom)
				return;
		}
		/* probes found by this level wait for the next batch */
		probe_end = w->nprobes;
		lvl_start = lvl_end;
		lvl_end = w->nnodes;
	}
}

/* ------------------------------------------------------------ counting */

static unsigned sat_add(unsigned a, unsigned b)
{
	return a > COUNT_MAX - b || b > COUNT_MAX ? COUNT_MAX : a + b;
}

static void report_loop(struct walk *w, size_t to, const struct edge *closing)
{
	char text[400];
	size_t o = 0, start = 0;
	bool inc = !closing->redirect, red = closing->redirect;

	for (size_t i = 0; i < w->npath; i++)
		if (w->path[i] == to)
			start = i;
	/* what kind of edges the cycle is made of */
	for (size_t e = 0; e < w->nedges; e++) {
		for (size_t i = start; i + 1 < w->npath; i++) {
			if (w->edges[e].from == w->path[i] && w->edges[e].to == w->path[i + 1]) {
				if (w->edges[e].redirect)
					red = true;
				else
					inc = true;
			}
		}
	}
	text[0] = '\0';
	for (size_t i = start; i < w->npath && o < sizeof(text); i++)
		o += (size_t)snprintf(text + o, sizeof(text) - o, "%.300s -> ",
				      w->nodes[w->path[i]].text);
	if (o < sizeof(text))
		out_setf(text + o, sizeof(text) - o, "%s", w->nodes[to].text);
	add(w, SPF_A_LOOP, "%s loop %s (permerror)",
	    inc && red ? "include/redirect"
	    : red      ? "redirect"
		       : "include",
	    text);
	/* a loop through the domain's own record (or a subdomain's) is
	 * broken by mending that record; one among third parties is
	 * theirs */
	size_t at = closing->from;
	for (size_t i = start; i < w->npath; i++)
		if (w->path[i] == 0 ||
		    dname_is_subdomain(&w->nodes[w->path[i]].name, &w->nodes[0].name, true))
			at = w->path[i];
	fault_at(w, at);
}

/*
 * Depth-first over the records fetched: a node's cost is its own
 * DNS-querying terms plus the cost of every record it includes or
 * redirects to, each counted as often as it is reached (4.6.4 counts
 * evaluations, not names).
 */
static void count(struct walk *w, size_t idx)
{
	struct node *n = &w->nodes[idx];

	n->color = 1;
	w->path[w->npath++] = idx;
	n->cost = n->own_lookups;
	for (size_t i = 0; i < 3; i++)
		n->voids[i] = n->own_voids[i];
	for (size_t e = 0; e < w->nedges; e++) {
		struct edge *ed = &w->edges[e];
		if (ed->from != idx)
			continue;
		unsigned cost = 1; /* the term itself, in own_lookups */
		if (ed->to != NONE_IDX) {
			struct node *t = &w->nodes[ed->to];
			if (t->color == 1) {
				report_loop(w, ed->to, ed);
				n->partial = true;
			} else {
				if (t->color == 2 && !t->dup_noted) {
					t->dup_noted = true;
					add(w, SPF_A_DUPLICATE,
					    "%s is reached "
					    "more than once: counted each time, "
					    "as receivers do",
					    t->text);
				}
				if (t->color == 0)
					count(w, ed->to);
				n->cost = sat_add(n->cost, t->cost);
				for (size_t i = 0; i < 3; i++)
					n->voids[i] = sat_add(n->voids[i], t->voids[i]);
				cost = sat_add(cost, t->cost);
				if (t->partial)
					n->partial = true;
			}
		}
		struct spf_audit *a = w->out;
		if (a->ncosts < LIMIT_SPF_AUDIT_EDGES) {
			struct spf_audit_cost *c = &a->costs[a->ncosts++];
			snprintf(c->term, sizeof(c->term), "%s", ed->term);
			snprintf(c->where, sizeof(c->where), "%s", n->text);
			c->lookups = cost;
			c->top = false;
		}
	}
	w->npath--;
	n->color = 2;
}

/* S-CN-01: an include of a CNAME alias of another included name. */
static void note_aliases(struct walk *w)
{
	for (size_t i = 1; i < w->nnodes; i++) {
		const struct dns_answer *a = w->nodes[i].ans;
		if (a == NULL || a->ncname == 0)
			continue;
		size_t j = find_node(w, &a->cname[a->ncname - 1]);
		if (j != NONE_IDX && j != i)
			add(w, SPF_A_DUPLICATE,
			    "%s is an alias (CNAME) of %s, "
			    "which is included too: counted each time, as "
			    "receivers do",
			    w->nodes[i].text, w->nodes[j].text);
	}
}

/* The qualifier of a record's "all", or SPF_NONE without one. */
static enum spf_result all_qual(const struct spf_record *rec)
{
	for (size_t i = 0; i < rec->nterms; i++)
		if (rec->terms[i].kind == SPF_TERM_MECH && rec->terms[i].mech == SPF_MECH_ALL)
			return rec->terms[i].qual;
	return SPF_NONE;
}

/* 5.2: an include matches when the included record passes, so an
 * included +all lets every host pass as if it were the domain's own. */
static void included_pass_all(struct walk *w)
{
	for (size_t e = 0; e < w->nedges; e++) {
		const struct edge *ed = &w->edges[e];
		if (ed->redirect || ed->qual != SPF_PASS || ed->to == NONE_IDX)
			continue;
		const struct node *t = &w->nodes[ed->to];
		if (t->rec != NULL && all_qual(t->rec) == SPF_PASS)
			add(w, SPF_A_ALL_PASS,
			    "%s in %s: %s ends in +all, so "
			    "every host passes (RFC 7208 5.2)",
			    ed->term, w->nodes[ed->from].text, t->text);
	}
}

/* The root and the records its redirect chain leads to. */
static void mark_top(struct walk *w)
{
	size_t cur = 0;

	for (size_t steps = 0; steps <= w->nnodes; steps++) {
		size_t next = NONE_IDX;
		for (size_t k = 0; k < w->out->ncosts; k++)
			if (strcmp(w->out->costs[k].where, w->nodes[cur].text) == 0)
				w->out->costs[k].top = true;
		for (size_t e = 0; e < w->nedges; e++)
			if (w->edges[e].from == cur && w->edges[e].redirect)
				next = w->edges[e].to;
		if (next == NONE_IDX || next == cur)
			return;
		cur = next;
	}
}

/* ------------------------------------------------------------- policy */

/* The record whose "all" decides: the root's, or its redirect
 * target's (6.1). NULL when the chain breaks. */
static const struct node *effective(const struct walk *w)
{
	size_t cur = 0;

	for (size_t steps = 0; steps <= w->nnodes; steps++) {
		const struct node *n = &w->nodes[cur];
		if (n->rec == NULL)
			return NULL;
		if (n->has_all || n->rec->redirect < 0)
			return n;
		size_t next = NONE_IDX;
		for (size_t e = 0; e < w->nedges; e++)
			if (w->edges[e].from == cur && w->edges[e].redirect)
				next = w->edges[e].to;
		if (next == NONE_IDX)
			return NULL;
		cur = next;
	}
	return NULL;
}

static void policy(struct walk *w)
{
	const struct node *n = effective(w);
	const char *where;
	char via[DNAME_TEXT_MAX + 32] = "";

	if (n == NULL)
		return;
	where = w->nodes[0].text;
	if (n != &w->nodes[0])
		snprintf(via, sizeof(via), " (in %s, by redirect)", n->text);
	if (!n->has_all) {
		add(w, SPF_A_NO_ALL,
		    "no all and no redirect: mail from other "
		    "hosts is neutral (RFC 7208 4.7)%s",
		    via);
	} else {
		const struct spf_term *all = NULL;
		for (size_t i = 0; i < n->rec->nterms && all == NULL; i++)
			if (n->rec->terms[i].kind == SPF_TERM_MECH &&
			    n->rec->terms[i].mech == SPF_MECH_ALL)
				all = &n->rec->terms[i];
		/* has_all promises one; a record that broke the promise is
		 * not worth a crash (cppcheck, scan-build: NULL dereference) */
		if (all == NULL)
			return;
		switch (all->qual) {
		case SPF_PASS:
			add(w, SPF_A_ALL_PASS,
			    "+all: every host may send mail "
			    "as %s%s",
			    where, via);
			break;
		case SPF_NEUTRAL:
			add(w, SPF_A_ALL_NEUTRAL,
			    "?all: mail from other hosts "
			    "is neutral, not rejected%s",
			    via);
			break;
		case SPF_SOFTFAIL:
			add(w, SPF_A_ALL_SOFTFAIL,
			    w->opts->require_fail ? "~all: other hosts only softfail, "
						    "--require-all=fail wants -all%s"
						  : "~all: other hosts softfail (the guide's "
						    "recommended start)%s",
			    via);
			break;
		default:
			add(w, SPF_A_ALL_FAIL, "-all: other hosts fail%s", via);
			break;
		}
	}
	/* the policy mended in place, unless a structural fix is due */
	if (w->need_fix || w->out->fix != NULL)
		return;
	w->out->fix = spf_audit_mend_all(n->rec, w->opts->require_fail);
	if (w->out->fix != NULL) {
		w->out->fix_len = strlen(w->out->fix);
		w->out->fix_owner = n->name;
	}
}

char *spf_audit_mend_all(const struct spf_record *rec, bool require_fail)
{
	const struct spf_term *all = NULL;
	const char *want = require_fail ? "-all" : "~all";
	char *out;

	for (size_t i = 0; i < rec->nterms && all == NULL; i++)
		if (rec->terms[i].kind == SPF_TERM_MECH && rec->terms[i].mech == SPF_MECH_ALL)
			all = &rec->terms[i];
	if (all == NULL && rec->redirect >= 0)
		return NULL;
	if (all != NULL && (all->qual == SPF_FAIL || (all->qual == SPF_SOFTFAIL && !require_fail)))
		return NULL;
	/* room for the record, a space and the new term */
	out = malloc(rec->len + 6);
	if (out == NULL)
		return NULL;
	if (all == NULL) {
		size_t len = rec->len;
		while (len > 6 && rec->text[len - 1] == ' ')
			len--;
		memcpy(out, rec->text, len);
		out[len] = ' ';
		memcpy(out + len + 1, want, 4);
		out[len + 5] = '\0';
		return out;
	}
	memcpy(out, rec->text, all->off);
	memcpy(out + all->off, want, 4);
	memcpy(out + all->off + 4, rec->text + all->off + all->len, rec->len - all->off - all->len);
	out[all->off + 4 + rec->len - all->off - all->len] = '\0';
	return out;
}

/* True when an ip4:/ip6: term of rec matches ip: the record already
 * decides that address (a term after it would never be reached). */
static bool ip_covered(const struct spf_record *rec, const struct spf_ip *ip)
{
	for (size_t i = 0; rec != NULL && i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];
		if (t->kind != SPF_TERM_MECH ||
		    t->mech != (ip->family == 4 ? SPF_MECH_IP4 : SPF_MECH_IP6))
			continue;
		unsigned bits = ip->family == 4 ? t->cidr4 : t->cidr6;
		size_t bytes = bits / 8;
		if (memcmp(t->addr, ip->addr, bytes) != 0)
			continue;
		if (bits % 8 == 0)
			return true;
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
		if ((t->addr[bytes] & mask) == (ip->addr[bytes] & mask))
			return true;
	}
	return false;
}

/* True when rec has an ip4: or ip6: term (a sender the guide's record
 * keeps). */
static bool has_ip_terms(const struct spf_record *rec)
{
	for (size_t i = 0; rec != NULL && i < rec->nterms; i++)
		if (rec->terms[i].kind == SPF_TERM_MECH &&
		    (rec->terms[i].mech == SPF_MECH_IP4 || rec->terms[i].mech == SPF_MECH_IP6))
			return true;
	return false;
}

char *spf_audit_guide_fix(bool have_mx, bool have_addr, const struct spf_record *keep,
			  const struct spf_ip *ips, size_t nips, const char *host,
			  bool require_fail)
{
	size_t cap = 32 + nips * 50 + (keep != NULL ? keep->len : 0) +
		     (host != NULL ? strlen(host) + 4 : 0);
	bool fail = require_fail;
	char *out;
	size_t o;

	for (size_t i = 0; keep != NULL && i < keep->nterms; i++) {
		const struct spf_term *t = &keep->terms[i];
		/* never weaker than the record's own -all */
		if (t->kind == SPF_TERM_MECH && t->mech == SPF_MECH_ALL && t->qual == SPF_FAIL)
			fail = true;
	}
	/* a record that names no sender is no fix (an mx or a of a name
	 * without MX or address would be a made-up host) */
	if (!have_mx && !have_addr && nips == 0 && host == NULL && !has_ip_terms(keep))
		return NULL;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	o = (size_t)snprintf(out, cap, "v=spf1%s%s", have_mx ? " mx" : "", have_addr ? " a" : "");
	/* the record's own ip4:/ip6: terms, as written and in order: the
	 * senders it names are authorised (qualifiers kept) */
	for (size_t i = 0; keep != NULL && i < keep->nterms; i++) {
		const struct spf_term *t = &keep->terms[i];
		if (t->kind != SPF_TERM_MECH ||
		    (t->mech != SPF_MECH_IP4 && t->mech != SPF_MECH_IP6) || o + t->len + 2 >= cap)
			continue;
		out[o++] = ' ';
		memcpy(out + o, spf_term_text(keep, t), t->len);
		o += t->len;
		out[o] = '\0';
	}
	if (host != NULL && o < cap)
		o += (size_t)snprintf(out + o, cap - o, " a:%s", host);
	for (size_t i = 0; i < nips && o < cap; i++) {
		char ip[64];
		if (ip_covered(keep, &ips[i]))
			continue;
		spf_ip_str(&ips[i], ip, sizeof(ip));
		o += (size_t)snprintf(out + o, cap - o, " %s:%s",
				      ips[i].family == 4 ? "ip4" : "ip6", ip);
	}
	if (o < cap)
		snprintf(out + o, cap - o, " %s", fail ? "-all" : "~all");
	return out;
}

char *spf_audit_guide_record(bool have_mx, bool have_addr, const struct spf_ip *ips, size_t nips,
			     bool require_fail)
{
	return spf_audit_guide_fix(have_mx, have_addr, NULL, ips, nips, NULL, require_fail);
}

/* The terms of rec that the guide's record leaves out and that may
 * name senders: include, redirect, exists, ptr, and a/mx of another
 * name (the bare a and mx are the guide's own). */
static void left_out(const struct spf_record *rec, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < rec->nterms && o + 5 < len; i++) {
		const struct spf_term *t = &rec->terms[i];
		char term[160];
		bool drop = t->kind == SPF_TERM_REDIRECT ||
			    (t->kind == SPF_TERM_MECH &&
			     (t->mech == SPF_MECH_INCLUDE || t->mech == SPF_MECH_EXISTS ||
			      t->mech == SPF_MECH_PTR ||
			      ((t->mech == SPF_MECH_A || t->mech == SPF_MECH_MX) && t->has_spec)));
		if (!drop)
			continue;
		term_text(rec, t, term, sizeof(term));
		int n = snprintf(buf + o, len - o, "%s%s", o ? ", " : "", term);
		if (n < 0 || (size_t)n >= len - o) {
			/* cut: say so rather than end mid-term */
			snprintf(buf + (o < len - 5 ? o : len - 5), 5, "...");
			return;
		}
		o += (size_t)n;
	}
}

/* The guide's record for the domain, from its MX and addresses, keeping
 * the ip4:/ip6: terms of the domain's own record: a fix line must not
 * drop senders the record authorises (review finding 2). What it leaves
 * out is said in the long output. The fix: line must be right when
 * published: no mx when the MX set is over RFC 7208 4.6.4's 10 names
 * (that mx is the permerror), no mx or a naming hosts that do not exist;
 * where only the mail server's name would do and none was given, no
 * fix: line but a note saying what to publish. */
static void guide_fix(struct walk *w, const struct dname *domain)
{
	struct dns_question q[3] = {
		{*domain, DNS_T_MX},
		{*domain, DNS_T_A},
		{*domain, DNS_T_AAAA},
	};
	const struct dns_answer *a[3];
	bool have_mx = false, have_addr = false;
	const struct spf_record *root = w->nnodes > 0 ? w->nodes[0].rec : NULL;
	const char *self = w->nodes[0].text;
	const char *all = w->opts->require_fail ? "-all" : "~all";
	bool have_ips = w->opts->nmail_ips > 0;
	const char *host = NULL;
	size_t nmx = 0;

	resolver_query_batch(w->res, q, 3, a);
	for (size_t i = 0; i < a[0]->nrr; i++)
		if (a[0]->rr[i].type == DNS_T_MX)
			nmx++;
	for (size_t i = 0; i < a[0]->nrr; i++)
		if (a[0]->rr[i].type == DNS_T_MX && dname_labels(&a[0]->rr[i].u.mx.host) > 0)
			have_mx = true;
	have_addr = a[1]->nrr > 0 || a[2]->nrr > 0;
	/* an answer we could not get says nothing: keep the term */
	if (!res_status_is_answer(a[0]->status))
		have_mx = true;
	if (!res_status_is_answer(a[1]->status) || !res_status_is_answer(a[2]->status))
		have_addr = true;
	/* RFC 7208 4.6.4: over 10 MX names, mx is a permerror for every
	 * client: the fix must not publish it again */
	bool mx_over = nmx > LIMIT_SPF_MX_NAMES;
	if (mx_over)
		have_mx = false;
	/* the mail server by name (--mail-host without addresses, or
	 * $MAILNAME) where mx does not cover it */
	if (!have_mx && !have_ips)
		host = w->opts->mail_host;
	free(w->out->fix);
	w->out->fix = NULL;
	w->out->fix_len = 0;
	if ((mx_over && !have_ips && host == NULL) ||
	    (!have_mx && !have_addr && !have_ips && host == NULL && !has_ip_terms(root))) {
		char why[200];
		if (mx_over)
			out_setf(why, sizeof(why),
				 "%s has %zu MX names, more than %d, so mx "
				 "is a permerror (RFC 7208 4.6.4)",
				 self, nmx, LIMIT_SPF_MX_NAMES);
		else
			out_setf(why, sizeof(why),
				 "%s has no MX and no address, so mx and a "
				 "would name no host",
				 self);
		add(w, SPF_A_FIX_NOTE,
		    "to fix: %s: publish \"%s. IN TXT \\\"v=spf1 "
		    "a:<your mail server's host name> %s\\\"\" (or ip4:/ip6: terms of its "
		    "addresses; give it with --mail-host or MAILNAME for the record)",
		    why, self, all);
		return;
	}
	w->out->fix = spf_audit_guide_fix(have_mx, have_addr, root, w->opts->mail_ips,
					  w->opts->nmail_ips, host, w->opts->require_fail);
	if (w->out->fix == NULL) {
		w->oom = true;
		return;
	}
	w->out->fix_len = strlen(w->out->fix);
	w->out->fix_owner = *domain;
	if (mx_over)
		add(w, SPF_A_FIX_NOTE,
		    "the fix: line leaves mx out: %s has %zu MX "
		    "names, more than %d (RFC 7208 4.6.4)",
		    self, nmx, LIMIT_SPF_MX_NAMES);
	if (root != NULL) {
		char dropped[400];
		left_out(root, dropped, sizeof(dropped));
		if (dropped[0] != '\0')
			add(w, SPF_A_FIX_NOTE,
			    "the fix: line keeps the ip4:/ip6: "
			    "terms of %s but leaves out %s: flatten those into "
			    "ip4:/ip6: terms, or trim them, before publishing it",
			    w->nodes[0].text, dropped);
	}
}

/* ---------------------------------------------------------------- run */

bool spf_audit_run(struct resolver *res, const struct dname *domain,
		   const struct spf_audit_opts *opts, struct spf_audit *out)
{
	static const struct spf_audit_opts none;
	struct walk w;
	unsigned q0 = resolver_queries_sent(res);
	unsigned rt0 = resolver_round_trips(res);

	memset(out, 0, sizeof(*out));
	memset(&w, 0, sizeof(w));
	w.res = res;
	w.opts = opts != NULL ? opts : &none;
	w.out = out;
	w.t = calloc(1, sizeof(*w.t));
	out->costs = calloc(LIMIT_SPF_AUDIT_EDGES, sizeof(*out->costs));
	if (w.t == NULL || out->costs == NULL) {
		w.oom = true;
		goto out;
	}
	w.nodes = w.t->nodes;
	w.edges = w.t->edges;
	w.probes = w.t->probes;
	w.foreign = NONE_IDX;
	fetch_levels(&w, domain);
	if (w.oom)
		goto out;
	out->records = (unsigned)w.nnodes;
	if (w.nodes[0].rec != NULL) {
		note_aliases(&w);
		count(&w, 0);
		included_pass_all(&w);
		mark_top(&w);
		out->lookups = w.nodes[0].cost;
		const unsigned *v = w.nodes[0].voids;
		out->voids = v[2];
		out->voids_family = v[0] > v[1] ? v[0] : v[1];
		out->lookups_partial = w.nodes[0].partial;
		if (out->voids > LIMIT_SPF_VOID || out->lookups > LIMIT_SPF_LOOKUPS)
			w.need_fix = true;
		struct finding *f;
		if (out->voids > LIMIT_SPF_VOID ||
		    (out->voids > 0 && out->voids_family == out->voids)) {
			char fam[48] = "";

			if (out->voids_family > out->voids)
				out_setf(fam, sizeof(fam), " (%u for IPv%d clients)",
					 out->voids_family, v[0] > v[1] ? 4 : 6);
			f = add(&w, SPF_A_VOID, "%u void lookup%s%s, %s %d%s: %s", out->voids,
				out->voids == 1 ? "" : "s", fam,
				out->voids > LIMIT_SPF_VOID ? "limit is" : "within the limit of",
				LIMIT_SPF_VOID,
				out->voids > LIMIT_SPF_VOID ? " (permerror, RFC 7208 4.6.4)" : "",
				out->void_detail);
			if (f != NULL && out->voids > LIMIT_SPF_VOID)
				f->state = STATE_CRITICAL;
		} else if (out->voids_family > 0) {
			/* 5.3: a client asks its own family's type, so
			 * over the limit clients of that family get
			 * permerror, not the all result: a WARNING (the
			 * others still get a result) */
			f = add(&w, SPF_A_VOID, "%u void lookup%s for IPv%d clients, %s %d%s: %s",
				out->voids_family, out->voids_family == 1 ? "" : "s",
				v[0] > v[1] ? 4 : 6,
				out->voids_family > LIMIT_SPF_VOID ? "over the limit of"
								   : "within the limit of",
				LIMIT_SPF_VOID,
				out->voids_family > LIMIT_SPF_VOID
					? ": they get permerror, not the all "
					  "result (RFC 7208 4.6.4)"
					: "",
				out->void_detail);
			if (f != NULL && out->voids_family > LIMIT_SPF_VOID)
				f->state = STATE_WARNING;
		}
		policy(&w);
	}
	/* a DNS failure is not a reason to publish another record */
	bool dns_failed = false;
	for (size_t i = 0; i < out->findings.n; i++)
		if (out->findings.v[i].code == SPF_A_DNS_ERROR &&
		    (out->findings.v[i].failed == w.nodes[0].ans))
			dns_failed = true;
	if (w.foreign != NONE_IDX) {
		/* a third party's permerror: no record the domain publishes
		 * mends it, and the guide's would drop that party's senders */
		free(out->fix);
		out->fix = NULL;
		out->fix_len = 0;
		add(&w, SPF_A_FIX_NOTE,
		    "no fix: line: the permerror is in the "
		    "record of %s, which %s does not publish: ask its operator "
		    "to mend it, or stop including it",
		    w.nodes[w.foreign].text, w.nodes[0].text);
	} else if (w.need_fix && !dns_failed) {
		guide_fix(&w, domain);
	}
out:
	for (size_t i = 0; w.nodes != NULL && i < w.nnodes; i++)
		spf_record_free(w.nodes[i].rec);
	free(w.t);
	out->queries = resolver_queries_sent(res) - q0;
	out->round_trips = resolver_round_trips(res) - rt0;
	return !w.oom;
}

void spf_audit_clear(struct spf_audit *a)
{
	if (a == NULL)
		return;
	finding_list_clear(&a->findings);
	free(a->costs);
	free(a->fix);
	memset(a, 0, sizeof(*a));
}
