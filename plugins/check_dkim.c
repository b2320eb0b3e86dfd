/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dkim: the DKIM key record of every selector (doc/output-contract.md
 * "check_dkim"; the guide's "DKIM Record"): found, decoded, measured and,
 * with -k, the public half of the key that signs.
 *
 * All selectors are asked in one batch; each gets its own long-output
 * lines, the worst finding of all leads the first line. The fix: lines
 * are plugins/dkim_fix.c's, the -k keys plugins/dkim_keys.c's.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim.h"
#include "dkim_fix.h"
#include "dkim_keys.h"
#include "dkim_run.h"
#include "plugin.h"
#include "propagation.h"

#define SHOWN_RECORDS 4 /* TXT records analysed at one selector */

static const struct option long_opts[] = {
	{"selector", required_argument, NULL, 'S'},
	{"private-key", required_argument, NULL, 'k'},
	{NULL, 0, NULL, 0},
};

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct dkim_opts *o = ctx;
	const char *why = NULL;

	switch (opt) {
	case 'S':
		if (o->nsel == LIMIT_DKIM_SELECTORS) {
			return "too many selectors (limit 16)";
		}
		/* K-13: host-name labels only, checked before any query */
		if (!dname_from_text(&o->seldn[o->nsel], arg, strlen(arg), DNAME_HOSTNAME, &why) ||
		    dname_labels(&o->seldn[o->nsel]) == 0) {
			snprintf(o->why, sizeof(o->why), "invalid selector: %s",
				 why ? why : "not a host name");
			return o->why;
		}
		for (size_t j = 0; j < o->nsel; j++) {
			if (dname_equal(&o->seldn[j], &o->seldn[o->nsel])) {
				return "selector given twice";
			}
		}
		o->sel[o->nsel++] = arg;
		return NULL;
	case 'k':
		if (o->nkey == LIMIT_DKIM_SELECTORS) {
			return "too many private keys (limit 16)";
		}
		o->keyfile[o->nkey++] = arg;
		return NULL;
	}
	return "unknown option";
}

/* What must hold between the options: a selector (default: default), one
 * -k for all or one per -S, and a name SELECTOR._domainkey.DOMAIN for each
 * selector, made into the questions q. */
static void validate(const struct plugin_info *pi, const struct common_opts *co,
		     struct dkim_opts *o, struct dns_question *q)
{
	struct dname dkdom;

	if (o->nsel == 0) {
		o->sel[0] = "default";
		(void)dname_from_text(&o->seldn[0], "default", 7, DNAME_HOSTNAME, NULL);
		o->nsel = 1;
	}
	if (o->nkey > 1 && o->nkey != o->nsel) {
		plugin_die(pi,
			   "%zu private keys for %zu selectors: give one -k for all or one per -S",
			   o->nkey, o->nsel);
	}
	if (!dname_prepend(&dkdom, &co->domain, "_domainkey", 10)) {
		plugin_die(pi, "domain too long for _domainkey");
	}
	for (size_t i = 0; i < o->nsel; i++) {
		q[i].type = DNS_T_TXT;
		if (!dname_concat(&q[i].name, &o->seldn[i], &dkdom)) {
			plugin_die(pi, "invalid selector: %s._domainkey is too long for the domain",
				   o->sel[i]);
		}
	}
}

/* -w/-c, or the defaults (doc/output-contract.md: warn under 2048, critical
 * under 1024). */
static void thresholds(struct dkim_run *r)
{
	const char *why;

	if (r->co->warn.set) {
		r->warn = r->co->warn;
	} else {
		(void)range_parse("2048:", &r->warn, &why);
	}
	if (r->co->crit.set) {
		r->crit = r->co->crit;
	} else {
		(void)range_parse("1024:", &r->crit, &why);
	}
}

static bool has_code(const struct dkim_key *k, enum dkim_code code)
{
	return finding_find(&k->findings, (int)code) != NULL;
}

/* Key size against -w/-c, the RFC 8301 floor and the verifier range.
 * Returns the state it gave. */
static enum state key_size(struct dkim_run *r, const char *pfx, const struct dkim_key *k)
{
	enum state st;

	if (k->ktype == DKIM_K_ED25519) {
		check_add(r->c, STATE_OK, "%s: ed25519 key", pfx);
		return STATE_OK;
	}
	if (k->bits > LIMIT_DKIM_RSA_BITS) {
		return STATE_CRITICAL; /* the parser said so */
	}
	st = range_state(k->bits, &r->warn, &r->crit);
	if (k->bits < RFC8301_MIN_BITS) {
		check_add(r->c, st = STATE_CRITICAL,
			  "%s: rsa %d-bit key too small: verifiers must not accept keys under %d "
			  "bits (RFC 8301 3.2)",
			  pfx, k->bits, RFC8301_MIN_BITS);
	} else if (st == STATE_CRITICAL) {
		check_add(r->c, st, "%s: rsa %d-bit key outside -c %s", pfx, k->bits, r->crit.text);
	} else if (st == STATE_WARNING && !r->co->warn.set) {
		check_add(r->c, st,
			  "%s: rsa %d-bit key: under 2048 bits, which signers should use (RFC 8301 "
			  "3.2)",
			  pfx, k->bits);
	} else if (st == STATE_WARNING) {
		check_add(r->c, st, "%s: rsa %d-bit key outside -w %s", pfx, k->bits, r->warn.text);
	} else if (k->bits > RFC8301_MAX_BITS) {
		check_add(r->c, st = STATE_WARNING,
			  "%s: rsa %d-bit key outside RFC 8301 verifier range %d-%d: some "
			  "verifiers will not use it",
			  pfx, k->bits, RFC8301_MIN_BITS, RFC8301_MAX_BITS);
	} else if (!has_code(k, DKIM_F_EXPONENT) && !has_code(k, DKIM_F_DER)) {
		check_add(r->c, STATE_OK, "%s: rsa %d-bit key", pfx, k->bits);
	}
	return st;
}

/* The first line when all is well: every selector's key, and its size as
 * perfdata. */
static void summarise(struct dkim_run *r, size_t i, const struct dkim_key *k)
{
	const char *sel = r->o->sel[i];
	size_t used = strlen(r->summary);
	bool rsa = k->ktype == DKIM_K_RSA;
	char label[DNAME_TEXT_MAX + 8];

	if (used + 2 < sizeof(r->summary)) {
		snprintf(r->summary + used, sizeof(r->summary) - used, "%s%s %s %d bits",
			 used ? ", " : "", sel, dkim_ktype_str(k->ktype), k->bits);
	}
	snprintf(label, sizeof(label), "%s_bits", sel);
	check_perf(r->c, label, k->bits, "", rsa ? &r->warn : NULL, rsa ? &r->crit : NULL, 0, NAN);
}

/* --parked: the domain signs nothing, so a revoked key (empty p=) or
 * none at all is what it should publish, and a usable key is the finding:
 * mail signed with it passes DKIM. */
static void parked_record(struct dkim_run *r, const char *pfx, const char *owner,
			  const struct dkim_key *k)
{
	if (k->revoked) {
		check_add(
			r->c, STATE_OK,
			"%s: key revoked (empty p=): nothing passes DKIM with it, as for a parked "
			"domain",
			pfx);
	} else if (k->pub != NULL) {
		check_add(r->c, STATE_WARNING,
			  "%s: parked domain publishes a usable %s key: mail signed with it passes "
			  "DKIM",
			  pfx, dkim_ktype_str(k->ktype));
		check_fix(r->c, "%s. IN TXT \"v=DKIM1; p=\"", owner);
	} else {
		check_add(r->c, STATE_OK,
			  "%s: no usable key in the record (nothing passes DKIM with it)", pfx);
		/* what is wrong with a key nobody should use: detail */
		for (size_t f = 0; f < k->findings.n; f++) {
			check_verbose(r->c, 1, "%s: %s", pfx, k->findings.v[f].text);
		}
	}
}

/* One TXT record at selector i: its findings, size, match, fix. */
static void check_record(struct dkim_run *r, size_t i, const struct dns_rr *rr, const char *pfx,
			 const char *owner, bool first)
{
	struct dkim_key *k;
	enum state size_st = STATE_OK;
	bool need_fix, mismatch;
	char lead[168];

	k = dkim_key_parse((const char *)rr->u.txt.data, rr->u.txt.len);
	if (k == NULL) {
		check_add(r->c, STATE_UNKNOWN, "%s: out of memory", pfx);
		return;
	}
	if (r->co->parked) {
		parked_record(r, pfx, owner, k);
		dkim_key_free(k);
		return;
	}
	snprintf(lead, sizeof(lead), "%s: ", pfx);
	plugin_findings(r->c, r->co, &k->findings, lead);
	if (k->pub != NULL) {
		size_st = key_size(r, pfx, k);
		if (first) {
			summarise(r, i, k);
		}
	}
	mismatch = dkim_keys_mismatch(r, i, pfx, owner, k);
	/* A fix for what a new record would repair: a broken or foreign
	 * record, a key that does not sign, a record written wrongly. */
	need_fix = mismatch || k->pub == NULL ||
		   finding_list_worst(&k->findings) == STATE_CRITICAL ||
		   has_code(k, DKIM_F_PKCS1) || has_code(k, DKIM_F_KTYPE_CASE);
	if (need_fix) {
		/* A weak or broken key is not worth publishing again. */
		bool keep = k->pub != NULL && size_st == STATE_OK &&
			    !has_code(k, DKIM_F_EXPONENT) && !has_code(k, DKIM_F_DER) &&
			    !has_code(k, DKIM_F_RSA_TOO_BIG);

		dkim_fix_line(r, i, owner, keep ? k : NULL);
	}
	dkim_key_free(k);
}

/* "a.example -> b.example", cut to fit. */
static void chain_text(const struct dns_answer *ans, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	dname_to_text(&ans->qname, buf, len);
	used = strlen(buf);
	for (size_t h = 0; h < ans->ncname && used + 8 < len; h++) {
		char t[DNAME_TEXT_MAX];
		int w;

		dname_to_text(&ans->cname[h], t, sizeof(t));
		w = snprintf(buf + used, len - used, " -> %s", t);
		if (w < 0 || (size_t)w >= len - used) {
			break;
		}
		used += (size_t)w;
	}
}

/* The answer for selector i: a DNS error, no key, or its records. */
static void check_selector(struct dkim_run *r, size_t i, const struct dns_answer *ans)
{
	const char *sel = r->o->sel[i];
	char owner[DNAME_TEXT_MAX], chain[900], what[128], pfx[160];

	dname_to_text(ans->ncname ? &ans->cname[ans->ncname - 1] : &ans->qname, owner,
		      sizeof(owner));
	if (!res_status_is_answer(ans->status)) {
		/* Never "no key": the question was not answered. */
		snprintf(what, sizeof(what), "DKIM key of selector %s", sel);
		plugin_dns_error(r->c, r->co, ans, what);
		return;
	}
	if (ans->ncname > 0) {
		chain_text(ans, chain, sizeof(chain));
	}
	if (ans->status != RES_OK) {
		const char *why = ans->status == RES_NXDOMAIN ? "NXDOMAIN" : "no TXT record";

		if (r->co->parked) {
			check_add(
				r->c, STATE_OK,
				"%s: no DKIM key at %s (%s): nothing passes DKIM as the domain, as "
				"for a parked domain",
				sel, owner, why);
			return;
		}
		if (ans->ncname > 0) { /* K-11: the delegation dangles */
			check_add(r->c, STATE_CRITICAL,
				  "%s: dangling delegation, no key at the end of CNAME %s (%s)",
				  sel, chain, why);
		} else {
			check_add(r->c, STATE_CRITICAL, "%s: no DKIM key at %s (%s)", sel, owner,
				  why);
		}
		dkim_fix_line(r, i, owner, NULL);
		return;
	}
	if (ans->ncname > 0) {
		check_add(r->c, STATE_OK, "%s: delegated by CNAME %s", sel, chain);
	}
	/* Over 512 bytes is every 2048-bit key, and every resolver since
	 * EDNS0 takes it; over 1232 (DNS Flag Day 2020's EDNS buffer size)
	 * verifiers' resolvers fall back to TCP, which some networks block:
	 * worth an [OK] line. The size itself is -v detail. */
	if (ans->msg_size > LIMIT_EDNS_BUFSIZE) {
		check_add(r->c, STATE_OK,
			  "%s: key answer is %zu bytes, over %d: resolvers need TCP for it (it "
			  "came over %s)",
			  sel, ans->msg_size, LIMIT_EDNS_BUFSIZE,
			  ans->via_tcp ? "TCP" : "UDP with EDNS0");
	} else {
		check_verbose(r->c, 1, "%s: key answer is %zu bytes (over %s)", sel, ans->msg_size,
			      ans->via_tcp ? "TCP" : "UDP");
	}
	if (ans->nrr > 1) { /* K-10 */
		check_add(r->c, STATE_CRITICAL,
			  "%s: multiple key records (%zu TXT at %s): verifiers may use any of "
			  "them",
			  sel, ans->nrr, owner);
	}
	for (size_t n = 0; n < ans->nrr && n < SHOWN_RECORDS; n++) {
		if (ans->nrr > 1) {
			snprintf(pfx, sizeof(pfx), "%s (record %zu of %zu)", sel, n + 1, ans->nrr);
		} else {
			snprintf(pfx, sizeof(pfx), "%s", sel);
		}
		check_record(r, i, &ans->rr[n], pfx, owner, n == 0);
	}
}

/* --all-ns: a server without the key the check saw fails every
 * signature verified against it (old key, no key, other delegation). */
static enum state stale_key(void *ctx, const struct dns_answer *ref, const struct dns_answer *got)
{
	(void)ctx;
	return prop_shares_record(ref, got) ? STATE_WARNING : STATE_CRITICAL;
}

int main(int argc, char **argv)
{
	struct dkim_opts o = {0};
	const struct plugin_info pi = {
		.progname = "check_dkim",
		.service = "DKIM",
		.blurb = "Checks the DKIM key record (RFC 6376) of each selector of a "
			 "mail domain: that it exists (following CNAME delegation), parses, "
			 "holds a usable RSA or Ed25519 key of a sound size and, with -k, "
			 "is the public half of the private key the mail server signs with.",
		.usage = "[-S SELECTOR]... [-k KEYFILE]...",
		.options_help =
			" -S, --selector=NAME\n"
			"    Selector to check (repeatable, at most 16; default: default).\n"
			"    Looked up at NAME._domainkey.DOMAIN\n"
			" -k, --private-key=FILE\n"
			"    Private key (PEM or DER, PKCS#1 or PKCS#8, RSA or Ed25519,\n"
			"    unencrypted): one per -S in the same order, or one for all.\n"
			"    The published key must be its public half, else CRITICAL;\n"
			"    the fix: line then carries the record to publish (for an RSA\n"
			"    key this check reports, such as under 2048 bits: the commands\n"
			"    that make a 2048-bit key instead)\n"
			" -w, --warning=RANGE / -c, --critical=RANGE\n"
			"    RSA key size in bits (defaults 2048: and 1024:). Under 1024\n"
			"    bits is CRITICAL whatever -c says (RFC 8301 3.2)\n",
		.notes = "RSA keys over 4096 bits are a WARNING (outside the RFC 8301\n"
			 "verifier range), over 16384 bits CRITICAL; p= over 8192 decoded bytes\n"
			 "is refused before parsing. A bare PKCS#1 key is a WARNING, k=RSA (not\n"
			 "lower case) too. A -k file (after symlinks) that its group or others\n"
			 "may read or write is a WARNING (key not secure), naming its mode.\n"
			 "An RSA exponent of 0, 1 or an even one is CRITICAL, and one over 64\n"
			 "bits with a modulus over 3072 bits (verifiers refuse it).\n"
			 "Limits: 16 selectors (-S), 64 tags per key record, 64 KiB per -k file.\n"
			 "Example: check_dkim -D example.com -S default -S 2024 "
			 "-k /etc/dkim/default.key -k /etc/dkim/2024.key",
		.short_opts = "S:k:",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
	};
	struct common_opts co;
	struct dkim_run r = {.co = &co, .o = &o};
	struct dns_question q[LIMIT_DKIM_SELECTORS];
	const struct dns_answer *ans[LIMIT_DKIM_SELECTORS];
	char err[1024];

	plugin_start(argc, argv, &pi, &co);
	validate(&pi, &co, &o, q);
	thresholds(&r);
	r.c = check_new(pi.service);
	check_set_verbosity(r.c, co.verbose);
	check_subject(r.c, "%s", co.domain_shown);
	if (!dkim_keys_load(&r, err, sizeof(err))) { /* our own input: UNKNOWN */
		check_free(r.c);
		plugin_die(&pi, "%s", err);
	}
	r.res = plugin_resolver(&co);

	plugin_stage("DKIM key lookup");
	resolver_query_batch(r.res, q, o.nsel, ans);
	for (size_t i = 0; i < o.nsel; i++) {
		check_selector(&r, i, ans[i]);
	}
	if (check_state(r.c) == STATE_OK) {
		check_summary(r.c, STATE_OK, "%s%s", r.summary,
			      o.nkey ? ", matching the private key" : "");
	}
	dkim_keys_free(&r);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, stale_key, NULL);
	}
	plugin_exit(r.c, r.res);
}
