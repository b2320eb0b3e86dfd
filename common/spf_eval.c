/* SPDX-License-Identifier: GPL-3.0-or-later */
/* RFC 7208 check_host(): sections 2.6, 4, 5, 6, 7 and 8. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "spf_eval.h"
#include "spf_macro.h"

/* ------------------------------------------------------------ addresses */

bool spf_ip_parse(const char *s, struct spf_ip *out)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = 4;
		return true;
	}
	if (inet_pton(AF_INET6, s, out->addr) != 1)
		return false;
	out->family = 6;
	/* RFC 7208 5: an IPv4-mapped IPv6 client is evaluated as IPv4 */
	if (memcmp(out->addr, mapped, 12) == 0) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = 4;
	}
	return true;
}

char *spf_ip_str(const struct spf_ip *ip, char *buf, size_t len)
{
	if (inet_ntop(ip->family == 4 ? AF_INET : AF_INET6, ip->addr, buf, (socklen_t)len) ==
		    NULL &&
	    len > 0)
		buf[0] = '\0';
	return buf;
}

static bool prefix_match(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	size_t bytes = bits / 8;
	if (memcmp(a, b, bytes) != 0)
		return false;
	unsigned rest = bits % 8;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

/* ------------------------------------------------------- record fetch */

void spf_select(const struct dns_answer *ans, struct spf_selection *sel)
{
	memset(sel, 0, sizeof(*sel));
	if (!res_status_is_answer(ans->status)) {
		sel->status = SPF_SEL_DNS_ERROR;
		return;
	}
	sel->status = SPF_SEL_NONE;
	for (size_t i = 0; i < ans->nrr; i++) {
		const struct dns_rr *rr = &ans->rr[i];
		if (rr->type != DNS_T_TXT)
			continue;
		sel->ntxt++;
		/* 4.5: TXT only; a TXT with no strings is not a record */
		if (!spf_is_record(rr->u.txt.data, rr->u.txt.len))
			continue;
		if (sel->nspf++ == 0) {
			sel->data = rr->u.txt.data;
			sel->len = rr->u.txt.len;
		}
	}
	if (sel->nspf == 1)
		sel->status = SPF_SEL_ONE;
	else if (sel->nspf > 1)
		sel->status = SPF_SEL_MULTIPLE;
}

void spf_fetch(struct resolver *res, const struct dname *domain, struct spf_fetch *f)
{
	char name[DNAME_TEXT_MAX], err[200];

	memset(f, 0, sizeof(*f));
	dname_to_text(domain, name, sizeof(name));
	f->ans = resolver_query(res, domain, DNS_T_TXT);
	spf_select(f->ans, &f->sel);
	switch (f->sel.status) {
	case SPF_SEL_DNS_ERROR:
		f->result = SPF_TEMPERROR;
		answer_describe(f->ans, f->why, sizeof(f->why));
		return;
	case SPF_SEL_NONE:
		f->result = SPF_NONE;
		out_setf(f->why, sizeof(f->why), "%s: no SPF record (%s)", name,
			 f->ans->status == RES_NXDOMAIN ? "no such domain"
			 : f->sel.ntxt                  ? "no TXT record starts with v=spf1"
							: "no TXT record");
		return;
	case SPF_SEL_MULTIPLE:
		f->result = SPF_PERMERROR;
		out_setf(f->why, sizeof(f->why), "%s: %zu SPF records (4.5)", name, f->sel.nspf);
		return;
	case SPF_SEL_ONE:
		break;
	}
	f->rec = spf_record_parse(f->sel.data, f->sel.len, err, sizeof(err));
	if (f->rec == NULL) {
		f->result = SPF_PERMERROR;
		out_setf(f->why, sizeof(f->why), "%s: %s", name, err);
		return;
	}
	f->result = SPF_PASS;
}

void spf_fetch_clear(struct spf_fetch *f)
{
	spf_record_free(f->rec);
	f->rec = NULL;
}

/* ------------------------------------------------------------ evaluator */

/* Sentinels for match(): anything else is an spf_result to return. */
#define M_NO  (-1)
#define M_YES (-2)

struct ev {
	struct resolver *res;
	const struct spf_request *req;
	struct spf_outcome *out;
	char *sbuf; /* owns <sender> text */
	const char *s, *l, *o, *h;
	size_t s_len, l_len, o_len, h_len;
	char i[80], c[48], t[24];
	/* PTR names that validate (5.5), computed once */
	bool ptr_done, ptr_void;
	const struct dns_answer *ptr_ans;
	size_t nvalid;
	struct dname valid[LIMIT_SPF_PTR_NAMES];
	/* current <domain> for %{d} and %{p} */
	const struct dname *cur;
	char cur_text[DNAME_WIRE_MAX + 1];
	char p_text[DNAME_WIRE_MAX + 1];
	/* include/redirect chain, for loops */
	size_t depth;
	struct dname chain[LIMIT_SPF_DEPTH];
};

static enum spf_result fail_with(struct ev *ev, enum spf_result r, const char *fmt, ...)
	PRINTF_LIKE(3, 4);
static enum spf_result fail_with(struct ev *ev, enum spf_result r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev->out->why, sizeof(ev->out->why), fmt, ap);
	va_end(ap);
	return r;
}

static enum spf_result dns_failure(struct ev *ev, const struct dns_answer *a)
{
	ev->out->failed = a;
	answer_describe(a, ev->out->why, sizeof(ev->out->why));
	return SPF_TEMPERROR;
}

/* Count one void lookup (4.6.4): more than two is a permerror. */
static int void_lookup(struct ev *ev, const char *what)
{
	if (++ev->out->voids > LIMIT_SPF_VOID) {
		out_setf(ev->out->why, sizeof(ev->out->why),
			 "more than %d void lookups (4.6.4), the last for %s", LIMIT_SPF_VOID,
			 what);
		return SPF_PERMERROR;
	}
	return M_NO;
}

static void ptr_validate(struct ev *ev);

/* %{p} (7.3): a validated name equal to <domain>, else one under it,
 * else any, else "unknown". */
static void p_value(void *ctx, const char **p, size_t *len)
{
	struct ev *ev = ctx;
	const struct dname *pick = NULL;

	ptr_validate(ev);
	for (size_t i = 0; i < ev->nvalid && pick == NULL; i++)
		if (dname_equal(&ev->valid[i], ev->cur))
			pick = &ev->valid[i];
	for (size_t i = 0; i < ev->nvalid && pick == NULL; i++)
		if (dname_is_subdomain(&ev->valid[i], ev->cur, false))
			pick = &ev->valid[i];
	if (pick == NULL && ev->nvalid > 0)
		pick = &ev->valid[0];
	if (pick == NULL) {
		*p = NULL;
		return;
	}
	*len = dname_raw(pick, ev->p_text, sizeof(ev->p_text));
	*p = ev->p_text;
}

static void macro_vars(struct ev *ev, struct spf_macro_vars *v)
{
	memset(v, 0, sizeof(*v));
	v->s = ev->s;
	v->s_len = ev->s_len;
	v->l = ev->l;
	v->l_len = ev->l_len;
	v->o = ev->o;
	v->o_len = ev->o_len;
	v->h = ev->h;
	v->h_len = ev->h_len;
	v->d = ev->cur_text;
	v->d_len = strlen(ev->cur_text);
	v->i = ev->i;
	v->i_len = strlen(ev->i);
	v->c = ev->c;
	v->c_len = strlen(ev->c);
	v->r = ev->req->receiver ? ev->req->receiver : "unknown";
	v->r_len = strlen(v->r);
	v->t = ev->t;
	v->t_len = strlen(ev->t);
	v->v = ev->req->ip.family == 4 ? "in-addr" : "ip6";
	v->v_len = strlen(v->v);
	v->p_fn = p_value;
	v->p_ctx = ev;
}

enum tgt {
	TGT_OK,
	TGT_INVALID,
	TGT_ERROR
};

/*
 * The target name of a term: its domain-spec expanded (7) and truncated
 * (7.3), or <domain>. A result that cannot be a domain name is
 * TGT_INVALID (the mechanism does not match: 4.8, 5); an expansion over
 * LIMIT_SPF_MACRO_OUT is TGT_ERROR (permerror, S-MAC-07/08).
 */
static enum tgt target_name(struct ev *ev, const struct spf_record *rec, const struct spf_term *t,
			    struct dname *out, unsigned dflags)
{
	char buf[LIMIT_SPF_MACRO_OUT], err[120];
	struct spf_macro_vars v;
	size_t n, off;

	if (!t->has_spec) {
		*out = *ev->cur;
		return TGT_OK;
	}
	macro_vars(ev, &v);
	if (spf_macro_expand(spf_term_spec(rec, t), t->spec_len, 0, &v, buf, sizeof(buf), &n, err,
			     sizeof(err)) != SPF_MACRO_OK) {
		char term[120];
		out_bytes(term, sizeof(term), spf_term_text(rec, t), t->len);
		out_setf(ev->out->why, sizeof(ev->out->why), "%s in %s: %s", term, ev->cur_text,
			 err);
		return TGT_ERROR;
	}
	if (!spf_truncate_domain(buf, n, &off))
		return TGT_INVALID;
	if (!dname_from_text(out, buf + off, n - off, dflags, NULL))
		return TGT_INVALID;
	return TGT_OK;
}

/* The name under in-addr.arpa / ip6.arpa for the client. */
static void reverse_name(const struct spf_ip *ip, struct dname *out)
{
	char buf[80];
	size_t o = 0;
	if (ip->family == 4) {
		o = (size_t)snprintf(buf, sizeof(buf), "%u.%u.%u.%u.in-addr.arpa", ip->addr[3],
				     ip->addr[2], ip->addr[1], ip->addr[0]);
	} else {
		static const char hex[] = "0123456789abcdef";
		for (int i = 15; i >= 0; i--) {
			buf[o++] = hex[ip->addr[i] & 15];
			buf[o++] = '.';
			buf[o++] = hex[ip->addr[i] >> 4];
			buf[o++] = '.';
		}
		memcpy(buf + o, "ip6.arpa", 8);
		o += 8;
	}
	dname_from_text(out, buf, o, 0, NULL);
}

static uint16_t addr_type(const struct ev *ev)
{
	return ev->req->ip.family == 4 ? DNS_T_A : DNS_T_AAAA;
}

static bool rr_matches(const struct ev *ev, const struct dns_rr *rr, unsigned bits)
{
	if (rr->type != addr_type(ev))
		return false;
	return prefix_match(rr->u.addr, ev->req->ip.addr, bits);
}

/*
 * 5.5: the PTR names of the client whose A/AAAA include the client.
 * At most LIMIT_SPF_PTR_NAMES names are looked at (4.6.4: the rest are
 * ignored); a name whose lookup fails (a CNAME loop too) is skipped.
 */
static void ptr_validate(struct ev *ev)
{
	struct dns_question q[LIMIT_SPF_PTR_NAMES];
	const struct dns_answer *a[LIMIT_SPF_PTR_NAMES];
	struct dname rev;
	size_t n = 0;

	if (ev->ptr_done)
		return;
	ev->ptr_done = true;
	reverse_name(&ev->req->ip, &rev);
	ev->ptr_ans = resolver_query(ev->res, &rev, DNS_T_PTR);
	ev->ptr_void = ev->ptr_ans->status == RES_NXDOMAIN || ev->ptr_ans->status == RES_NODATA;
	if (ev->ptr_ans->status != RES_OK)
		return;
	for (size_t i = 0; i < ev->ptr_ans->nrr && n < LIMIT_SPF_PTR_NAMES; i++) {
		const struct dns_rr *rr = &ev->ptr_ans->rr[i];
		if (rr->type != DNS_T_PTR)
			continue;
		q[n].name = rr->u.target;
		q[n].type = addr_type(ev);
		n++;
	}
	resolver_query_batch(ev->res, q, n, a);
	for (size_t i = 0; i < n; i++) {
		if (a[i]->status != RES_OK)
			continue;
		for (size_t j = 0; j < a[i]->nrr; j++) {
			if (rr_matches(ev, &a[i]->rr[j], ev->req->ip.family == 4 ? 32 : 128)) {
				ev->valid[ev->nvalid++] = q[i].name;
				break;
			}
		}
	}
}

/*
 * Functions with big frames that are not on the include/redirect
 * recursion (check_level -> match -> match_include -> check_level) are
 * kept out of line: inlined, their arrays joined check_level's frame and
 * every level of the tree paid for them (9 KiB a level; stack pages are
 * peak RSS, issue 10).
 */
#define OFF_RECURSION __attribute__((noinline))

static OFF_RECURSION int match_mx(struct ev *ev, const struct dname *target,
				  const struct spf_term *t)
{
	struct dns_question q[LIMIT_SPF_MX_NAMES];
	const struct dns_answer *a[LIMIT_SPF_MX_NAMES];
	char name[DNAME_TEXT_MAX];
	size_t n = 0;
	const struct dns_answer *mx = resolver_query(ev->res, target, DNS_T_MX);

	dname_to_text(target, name, sizeof(name));
	if (!res_status_is_answer(mx->status))
		return dns_failure(ev, mx);
	if (mx->nrr == 0)
		return void_lookup(ev, name);
	/* 4.6.4: more than 10 MX names is a permerror */
	if (mx->nrr > LIMIT_SPF_MX_NAMES) {
		char cnt[24];
		out_setf(cnt, sizeof(cnt), "%zu", mx->nrr);
		return fail_with(ev, SPF_PERMERROR, "%s has %s MX records, more than 10 (4.6.4)",
				 name, cnt);
	}
	for (size_t i = 0; i < mx->nrr; i++) {
		const struct dns_rr *rr = &mx->rr[i];
		/* a null MX (RFC 7505) names no host */
		if (rr->type != DNS_T_MX || dname_labels(&rr->u.mx.host) == 0)
			continue;
		q[n].name = rr->u.mx.host;
		q[n].type = addr_type(ev);
		n++;
	}
	resolver_query_batch(ev->res, q, n, a);
	for (size_t i = 0; i < n; i++) {
		if (!res_status_is_answer(a[i]->status))
			return dns_failure(ev, a[i]);
		for (size_t j = 0; j < a[i]->nrr; j++)
			if (rr_matches(ev, &a[i]->rr[j],
				       ev->req->ip.family == 4 ? t->cidr4 : t->cidr6))
				return M_YES;
	}
	return M_NO;
}

static enum spf_result check_level(struct ev *ev, const struct dname *domain, bool want_exp);

static int match_include(struct ev *ev, const struct dname *target, const struct spf_term *t,
			 const char *term)
{
	const struct dname *saved = ev->cur;

	/* 5.2: no exp= of the included record is ever used */
	enum spf_result r = check_level(ev, target, false);
	/* back to the including record's name (its text made again rather
	 * than kept in a 1 KiB copy on every level of the recursion) */
	ev->cur = saved;
	dname_raw(saved, ev->cur_text, sizeof(ev->cur_text));
	switch (r) {
	case SPF_PASS:
		return M_YES;
	case SPF_FAIL:
	case SPF_SOFTFAIL:
	case SPF_NEUTRAL:
		return M_NO;
	case SPF_TEMPERROR:
		return SPF_TEMPERROR;
	case SPF_NONE: {
		char why[sizeof(ev->out->why)];
		memcpy(why, ev->out->why, sizeof(why));
		out_setf(ev->out->why, sizeof(ev->out->why), "%s: %s", term, why);
		return SPF_PERMERROR;
	}
	default:
		return SPF_PERMERROR;
	}
}

static int match(struct ev *ev, const struct spf_record *rec, const struct spf_term *t,
		 const char *term)
{
	struct dname target;
	char name[DNAME_TEXT_MAX];
	const struct dns_answer *a;
	bool v4 = ev->req->ip.family == 4;

	switch (t->mech) {
	case SPF_MECH_ALL:
		return M_YES;
	case SPF_MECH_IP4:
		return v4 && prefix_match(t->addr, ev->req->ip.addr, t->cidr4) ? M_YES : M_NO;
	case SPF_MECH_IP6:
		return !v4 && prefix_match(t->addr, ev->req->ip.addr, t->cidr6) ? M_YES : M_NO;
	default:
		break;
	}

	unsigned flags = t->mech == SPF_MECH_INCLUDE ? DNAME_MULTILABEL : 0;
	switch (target_name(ev, rec, t, &target, flags)) {
	case TGT_ERROR:
		return SPF_PERMERROR;
	case TGT_INVALID:
		if (t->mech == SPF_MECH_INCLUDE)
			return fail_with(ev, SPF_PERMERROR,
					 "%s in %s: the target is not a domain name", term,
					 ev->cur_text);
		return M_NO; /* 4.8: a name that cannot exist matches nothing */
	case TGT_OK:
		break;
	}
	dname_to_text(&target, name, sizeof(name));

	switch (t->mech) {
	case SPF_MECH_INCLUDE:
		return match_include(ev, &target, t, term);
	case SPF_MECH_A:
		a = resolver_query(ev->res, &target, addr_type(ev));
		if (!res_status_is_answer(a->status))
			return dns_failure(ev, a);
		if (a->nrr == 0)
			return void_lookup(ev, name);
		for (size_t i = 0; i < a->nrr; i++)
			if (rr_matches(ev, &a->rr[i], v4 ? t->cidr4 : t->cidr6))
				return M_YES;
		return M_NO;
	case SPF_MECH_MX:
		return match_mx(ev, &target, t);
	case SPF_MECH_EXISTS:
		/* 5.7: always an A query, whatever the client's family */
		a = resolver_query(ev->res, &target, DNS_T_A);
		if (!res_status_is_answer(a->status))
			return dns_failure(ev, a);
		if (a->nrr == 0)
			return void_lookup(ev, name);
		return M_YES;
	case SPF_MECH_PTR:
		ptr_validate(ev);
		/* 5.5: a PTR lookup error makes the mechanism not match */
		if (ev->ptr_void) {
			char rev[16];
			out_setf(rev, sizeof(rev), "PTR of client");
			return void_lookup(ev, rev);
		}
		for (size_t i = 0; i < ev->nvalid; i++)
			if (dname_is_subdomain(&ev->valid[i], &target, true))
				return M_YES;
		return M_NO;
	default:
		return M_NO;
	}
}

/* 6.2: the explanation, ignored on any error. */
static void explain(struct ev *ev, const struct spf_record *rec)
{
	const struct spf_term *t = &rec->terms[rec->exp];
	struct dname target;
	char buf[LIMIT_SPF_MACRO_OUT], err[120];
	struct spf_macro_vars v;
	size_t n;

	if (target_name(ev, rec, t, &target, 0) != TGT_OK) {
		ev->out->why[0] = '\0';
		return;
	}
	const struct dns_answer *a = resolver_query(ev->res, &target, DNS_T_TXT);
	if (a->status != RES_OK || a->nrr != 1 || a->rr[0].type != DNS_T_TXT)
		return;
	const struct dns_rr *rr = &a->rr[0];
	macro_vars(ev, &v);
	if (spf_macro_expand((const char *)rr->u.txt.data, rr->u.txt.len, SPF_MACRO_EXP, &v, buf,
			     sizeof(buf), &n, err, sizeof(err)) != SPF_MACRO_OK)
		return;
	ev->out->explanation = malloc(n + 1);
	if (ev->out->explanation == NULL)
		return;
	memcpy(ev->out->explanation, buf, n);
	ev->out->explanation[n] = '\0';
	ev->out->explanation_len = n;
}

static void set_term(struct ev *ev, const char *term, const char *inner)
{
	char in[sizeof(ev->out->term)];
	out_setf(in, sizeof(in), "%s", inner ? inner : "");
	if (in[0] != '\0')
		out_setf(ev->out->term, sizeof(ev->out->term), "%s (%s)", term, in);
	else
		out_setf(ev->out->term, sizeof(ev->out->term), "%s", term);
	out_setf(ev->out->where, sizeof(ev->out->where), "%s", ev->cur_text);
}

/* One count of 4.6.4's ten DNS-querying terms; false past the limit. */
static bool count_lookup(struct ev *ev, const char *term)
{
	if (++ev->out->lookups <= LIMIT_SPF_LOOKUPS)
		return true;
	out_setf(ev->out->why, sizeof(ev->out->why),
		 "more than %d DNS-querying terms (4.6.4), at %s in %s", LIMIT_SPF_LOOKUPS, term,
		 ev->cur_text);
	return false;
}

/* permerror for an include/redirect loop back to chain[i]. */
static OFF_RECURSION enum spf_result loop_error(struct ev *ev, size_t i)
{
	char loop[sizeof(ev->out->why)];
	size_t o = 0;

	for (size_t j = i; j < ev->depth; j++) {
		char t[DNAME_TEXT_MAX];
		o += (size_t)snprintf(loop + o, sizeof(loop) - o, "%s -> ",
				      dname_to_text(&ev->chain[j], t, sizeof(t)));
		if (o >= sizeof(loop))
			break;
	}
	if (o < sizeof(loop))
		out_setf(loop + o, sizeof(loop) - o, "%s", ev->cur_text);
	return fail_with(ev, SPF_PERMERROR, "%s%s", "include/redirect loop ", loop);
}

static enum spf_result check_level(struct ev *ev, const struct dname *domain, bool want_exp)
{
	struct spf_fetch f;
	enum spf_result r = SPF_NEUTRAL;
	char term[120];

	ev->cur = domain;
	dname_raw(domain, ev->cur_text, sizeof(ev->cur_text));
	for (size_t i = 0; i < ev->depth; i++)
		if (dname_equal(&ev->chain[i], domain))
			return loop_error(ev, i);
	if (ev->depth >= LIMIT_SPF_DEPTH)
		return fail_with(ev, SPF_PERMERROR, "%s%s", "include/redirect nesting too deep at ",
				 ev->cur_text);
	ev->chain[ev->depth++] = *domain;

	spf_fetch(ev->res, domain, &f);
	if (f.result != SPF_PASS) {
		r = f.result;
		if (r == SPF_TEMPERROR)
			ev->out->failed = f.ans;
		out_setf(ev->out->why, sizeof(ev->out->why), "%s", f.why);
		goto out;
	}
	const struct spf_record *rec = f.rec;
	for (size_t i = 0; i < rec->nterms; i++) {
		const struct spf_term *t = &rec->terms[i];
		if (t->kind != SPF_TERM_MECH)
			continue;
		out_bytes(term, sizeof(term), spf_term_text(rec, t), t->len);
		if (spf_term_is_lookup(t) && !count_lookup(ev, term)) {
			r = SPF_PERMERROR;
			goto out;
		}
		int m = match(ev, rec, t, term);
		ev->cur = domain;
		dname_raw(domain, ev->cur_text, sizeof(ev->cur_text));
		if (m == M_NO)
			continue;
		if (m != M_YES) {
			r = (enum spf_result)m;
			goto out;
		}
		r = t->qual;
		set_term(ev, term, t->mech == SPF_MECH_INCLUDE ? ev->out->term : NULL);
		if (r == SPF_FAIL && want_exp && rec->exp >= 0)
			explain(ev, rec);
		goto out;
	}
	if (rec->redirect >= 0) {
		/* 6.1: only when no mechanism matched */
		const struct spf_term *t = &rec->terms[rec->redirect];
		struct dname target;
		out_bytes(term, sizeof(term), spf_term_text(rec, t), t->len);
		if (!count_lookup(ev, term)) {
			r = SPF_PERMERROR;
			goto out;
		}
		switch (target_name(ev, rec, t, &target, DNAME_MULTILABEL)) {
		case TGT_ERROR:
			r = SPF_PERMERROR;
			goto out;
		case TGT_INVALID:
			r = fail_with(ev, SPF_PERMERROR,
				      "%s in %s: the target is not a domain name", term,
				      ev->cur_text);
			goto out;
		case TGT_OK:
			break;
		}
		/* the redirect target's own exp= applies, not ours (6.2) */
		r = check_level(ev, &target, want_exp);
		if (r == SPF_NONE) {
			char why[sizeof(ev->out->why)];
			memcpy(why, ev->out->why, sizeof(why));
			out_setf(ev->out->why, sizeof(ev->out->why), "%s: %s", term, why);
			r = SPF_PERMERROR;
		}
		goto out;
	}
	out_setf(ev->out->term, sizeof(ev->out->term), "default (no term matched)");
	out_setf(ev->out->where, sizeof(ev->out->where), "%s", ev->cur_text);
out:
	spf_fetch_clear(&f);
	ev->depth--;
	return r;
}

/* 4.3 and 2.4: the identity: <sender>, its local part and domain. */
static bool identity(struct ev *ev, struct dname *domain)
{
	const struct spf_request *req = ev->req;
	const char *snd = req->sender ? req->sender : "";
	const char *helo = req->helo ? req->helo : "";
	const char *local, *dom;
	size_t llen, dlen;

	if (snd[0] == '\0') {
		/* null reverse-path: postmaster@<HELO> (2.4) */
		local = "postmaster";
		llen = 10;
		dom = helo;
		dlen = strlen(helo);
	} else {
		const char *at = strrchr(snd, '@');
		if (at == NULL) {
			local = "postmaster";
			llen = 10;
			dom = snd;
			dlen = strlen(snd);
		} else {
			local = snd;
			llen = (size_t)(at - snd);
			if (llen == 0) {
				local = "postmaster";
				llen = 10;
			}
			dom = at + 1;
			dlen = strlen(at + 1);
		}
	}
	ev->sbuf = malloc(llen + dlen + 2);
	if (ev->sbuf == NULL)
		return false;
	memcpy(ev->sbuf, local, llen);
	ev->sbuf[llen] = '@';
	memcpy(ev->sbuf + llen + 1, dom, dlen);
	ev->sbuf[llen + 1 + dlen] = '\0';
	ev->s = ev->sbuf;
	ev->s_len = llen + 1 + dlen;
	ev->l = ev->sbuf;
	ev->l_len = llen;
	ev->o = ev->sbuf + llen + 1;
	ev->o_len = dlen;
	ev->h = req->helo ? req->helo : ev->o;
	ev->h_len = strlen(ev->h);
	out_bytes(ev->out->domain, sizeof(ev->out->domain), ev->o, ev->o_len);
	/* 4.3: a malformed or single-label domain gives none, with no
	 * query (a domain literal "[192.0.2.1]" is not a domain) */
	return dname_from_text(domain, ev->o, ev->o_len, DNAME_HOSTNAME | DNAME_MULTILABEL, NULL);
}

enum spf_result spf_check_host(struct resolver *res, const struct spf_request *req,
			       struct spf_outcome *out)
{
	struct ev *ev = calloc(1, sizeof(*ev));
	struct dname domain;

	memset(out, 0, sizeof(*out));
	if (ev == NULL) {
		out_setf(out->why, sizeof(out->why), "out of memory");
		return out->result = SPF_TEMPERROR;
	}
	ev->res = res;
	ev->req = req;
	ev->out = out;
	if (req->ip.family == 4) {
		out_setf(ev->i, sizeof(ev->i), "%u.%u.%u.%u", req->ip.addr[0], req->ip.addr[1],
			 req->ip.addr[2], req->ip.addr[3]);
	} else {
		static const char hex[] = "0123456789abcdef";
		size_t o = 0;
		for (int i = 0; i < 16; i++) {
			ev->i[o++] = hex[req->ip.addr[i] >> 4];
			ev->i[o++] = '.';
			ev->i[o++] = hex[req->ip.addr[i] & 15];
			ev->i[o++] = i < 15 ? '.' : '\0';
		}
	}
	spf_ip_str(&req->ip, ev->c, sizeof(ev->c));
	out_setf(ev->t, sizeof(ev->t), "%lld", (long long)req->now);

	if (!identity(ev, &domain)) {
		if (ev->sbuf == NULL) {
			out_setf(out->why, sizeof(out->why), "out of memory");
			out->result = SPF_TEMPERROR;
		} else {
			out_setf(out->why, sizeof(out->why), "'%s' is not a domain name (4.3)",
				 out->domain);
			out->result = SPF_NONE;
		}
	} else {
		dname_to_text(&domain, out->domain, sizeof(out->domain));
		out->result = check_level(ev, &domain, true);
	}
	if (out->result != SPF_FAIL) {
		free(out->explanation);
		out->explanation = NULL;
		out->explanation_len = 0;
	}
	free(ev->sbuf);
	free(ev);
	return out->result;
}

void spf_outcome_clear(struct spf_outcome *out)
{
	free(out->explanation);
	out->explanation = NULL;
	out->explanation_len = 0;
}
