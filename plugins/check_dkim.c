/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dkim: the DKIM key record of every selector (doc/output-contract.md
 * "check_dkim"; the guide's "DKIM Record"): found, decoded, measured and,
 * with -k, the public half of the key that signs.
 *
 * All selectors are asked in one batch; each gets its own long-output
 * lines, the worst finding of all leads the first line.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim.h"
#include "plugin.h"
#include "propagation.h"

#define RFC8301_MIN_BITS 1024   /* RFC 8301 3.2: MUST NOT accept fewer */
#define RFC8301_MAX_BITS 4096   /* ... and MUST be able to verify up to */
#define SHOWN_RECORDS    4      /* TXT records analysed at one selector */

static struct {
	const char *sel[LIMIT_DKIM_SELECTORS];
	struct dname seldn[LIMIT_DKIM_SELECTORS];
	size_t nsel;
	const char *keyfile[LIMIT_DKIM_SELECTORS];
	struct dkim_privkey *priv[LIMIT_DKIM_SELECTORS];
	size_t nkey;
	bool told_keygen;
	char summary[200];      /* "default rsa 2048 bits, ..." */
} dk;
static struct common_opts co;
static struct range warn, crit;         /* -w/-c or the defaults */

static const struct option long_opts[] = {
	{ "selector", required_argument, NULL, 'S' },
	{ "private-key", required_argument, NULL, 'k' },
	{ NULL, 0, NULL, 0 },
};

static const char *handle_opt(void *ctx, int opt, const char *arg)
{
	static char why_buf[96];
	const char *why = NULL;

	(void)ctx;
	switch (opt) {
	case 'S':
		if (dk.nsel == LIMIT_DKIM_SELECTORS)
			return "too many selectors (limit 16)";
		/* K-13: host-name labels only, checked before any query */
		if (!dname_from_text(&dk.seldn[dk.nsel], arg, strlen(arg),
		    DNAME_HOSTNAME, &why) ||
		    dname_labels(&dk.seldn[dk.nsel]) == 0) {
			snprintf(why_buf, sizeof(why_buf), "invalid selector: %s",
			    why ? why : "not a host name");
			return why_buf;
		}
		for (size_t j = 0; j < dk.nsel; j++)
			if (dname_equal(&dk.seldn[j], &dk.seldn[dk.nsel]))
				return "selector given twice";
		dk.sel[dk.nsel++] = arg;
		return NULL;
	case 'k':
		if (dk.nkey == LIMIT_DKIM_SELECTORS)
			return "too many private keys (limit 16)";
		dk.keyfile[dk.nkey++] = arg;
		return NULL;
	}
	return "unknown option";
}

static const struct plugin_info info = {
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
	.handle = handle_opt,
};

/* -k FILE for selector i: one for all, or one per -S in order. */
static size_t key_index(size_t i)
{
	return dk.nkey == 1 ? 0 : i;
}

/* A record too long for one output line (keys over 4096 bits) in the
 * zone file's parenthesised multi-line form, one string per line. The
 * strings are ours (base64 and tags), so '" "' only ever separates two. */
static void fix_lines(struct check *c, const char *owner, const char *txt)
{
	const char *p = txt, *q;

	check_fix(c, "%s. IN TXT (", owner);
	while ((q = strstr(p, "\" \"")) != NULL) {
		check_fix(c, "    %.*s", (int)(q - p + 1), p);
		p = q + 2;
	}
	check_fix(c, "    %s )", p);
}

/* An RSA key size this check reports (under -w/-c, the RFC 8301 floor,
 * or over the verifier range): not worth a record. */
static bool rsa_bits_reported(int bits)
{
	return bits < RFC8301_MIN_BITS || bits > RFC8301_MAX_BITS ||
	       range_state(bits, &warn, &crit) != STATE_OK;
}

/* The smallest usual RSA size this check passes: 2048 unless -w/-c ask
 * for more. */
static int rsa_bits_to_make(void)
{
	static const int sizes[] = {2048, 3072, 4096};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		if (!rsa_bits_reported(sizes[i]))
			return sizes[i];
	return 2048;
}

/* No record can be printed (no -k key, or one this check reports): the
 * record to publish in words, with the commands that make a key, so that
 * the fix: lines stay records that settle the check when published. */
static void fix_words(struct check *c, size_t i, const char *owner, const struct dkim_privkey *priv)
{
	const char *sel = dk.sel[i];
	int bits = rsa_bits_to_make();

	if (priv != NULL)
		check_add(c, STATE_OK,
			  "to fix: private key %s is a %d-bit RSA key, which this check reports: "
			  "make a %d-bit one (openssl genpkey -algorithm RSA -pkeyopt "
			  "rsa_keygen_bits:%d -out %s.key, or opendkim-genkey -b %d -s %s -d %s), "
			  "sign with it and publish \"%s. IN TXT \\\"v=DKIM1; k=rsa; p=<its public "
			  "key>\\\"\" (check_dkim -k %s.key prints the record)",
			  dk.keyfile[key_index(i)], priv->bits, bits, bits, sel, bits, sel,
			  co.domain_arg, owner, sel);
	else
		check_add(c, STATE_OK,
			  "to fix: publish \"%s. IN TXT \\\"v=DKIM1; k=rsa; p=<public key of the "
			  "signing key>\\\"\" (give the private key with -k for the record)",
			  owner);
	if (!dk.told_keygen)
		check_verbose(c, 0,
			      "make a key: openssl genpkey -algorithm RSA -pkeyopt "
			      "rsa_keygen_bits:%d -out %s.key && openssl pkey -in %s.key -pubout "
			      "-outform DER -out %s.der && openssl base64 -A -in %s.der (prints "
			      "the p= value)",
			      bits, sel, sel, sel, sel);
	dk.told_keygen = true;
}

/* The record to publish: from the private key, from the published key
 * (when only the record around it is wrong), or, when neither gives a
 * key this check passes, the record in words and the commands that make
 * a key. */
static void fix_line(struct check *c, size_t i, const char *owner,
    const struct dkim_key *k)
{
	const struct dkim_privkey *priv = dk.priv[key_index(i)];
	char *rec, *txt;

	if (priv != NULL && priv->ktype == DKIM_K_RSA && rsa_bits_reported(priv->bits)) {
		/* a record for it would be the next run's finding */
		fix_words(c, i, owner, priv);
		return;
	} else if (priv != NULL) {
		rec = dkim_record_for(priv);
	} else if (k != NULL && k->pub != NULL) {
		/* k->pub is borrowed: k, and so the key, outlives the call */
		rec = dkim_record_for_pub(k->ktype, k->pub);
	} else {
		fix_words(c, i, owner, NULL);
		return;
	}
	txt = rec ? zone_txt_strings(rec, strlen(rec)) : NULL;
	if (txt != NULL && strlen(owner) + strlen(txt) + 16 < LIMIT_LINE_TEXT)
		check_fix(c, "%s. IN TXT %s", owner, txt);
	else if (txt != NULL)
		fix_lines(c, owner, txt);
	free(txt);
	free(rec);
}

static bool has_code(const struct dkim_key *k, enum dkim_code code)
{
	return finding_find(&k->findings, (int)code) != NULL;
}

/* Key size against -w/-c, the RFC 8301 floor and the verifier range.
 * Returns the state it gave. */
static enum state key_size(struct check *c, const char *pfx,
    const struct dkim_key *k)
{
	enum state st;

	if (k->ktype == DKIM_K_ED25519) {
		check_add(c, STATE_OK, "%s: ed25519 key", pfx);
		return STATE_OK;
	}
	if (k->bits > LIMIT_DKIM_RSA_BITS)
		return STATE_CRITICAL;  /* the parser said so */
	st = range_state(k->bits, &warn, &crit);
	if (k->bits < RFC8301_MIN_BITS)
		check_add(c, st = STATE_CRITICAL, "%s: rsa %d-bit key too "
		    "small: verifiers must not accept keys under %d bits (RFC "
		    "8301 3.2)", pfx, k->bits, RFC8301_MIN_BITS);
	else if (st == STATE_CRITICAL)
		check_add(c, st, "%s: rsa %d-bit key outside -c %s", pfx,
		    k->bits, crit.text);
	else if (st == STATE_WARNING && !co.warn.set)
		check_add(c, st, "%s: rsa %d-bit key: under 2048 bits, which "
		    "signers should use (RFC 8301 3.2)", pfx, k->bits);
	else if (st == STATE_WARNING)
		check_add(c, st, "%s: rsa %d-bit key outside -w %s", pfx,
		    k->bits, warn.text);
	else if (k->bits > RFC8301_MAX_BITS)
		check_add(c, st = STATE_WARNING, "%s: rsa %d-bit key outside "
		    "RFC 8301 verifier range %d-%d: some verifiers will not "
		    "use it", pfx, k->bits, RFC8301_MIN_BITS, RFC8301_MAX_BITS);
	else if (!has_code(k, DKIM_F_EXPONENT) && !has_code(k, DKIM_F_DER))
		check_add(c, STATE_OK, "%s: rsa %d-bit key", pfx, k->bits);
	return st;
}

/* The first line when all is well: every selector's key. */
static void summarise(const char *sel, const struct dkim_key *k)
{
	size_t used = strlen(dk.summary);

	if (used + 2 < sizeof(dk.summary))
		snprintf(dk.summary + used, sizeof(dk.summary) - used,
		    "%s%s %s %d bits", used ? ", " : "", sel,
		    dkim_ktype_str(k->ktype), k->bits);
}

/* One TXT record at selector i: its findings, size, match, fix. */
/* --parked: the domain signs nothing, so a revoked key (empty p=) or
 * none at all is what it should publish, and a usable key is the finding:
 * mail signed with it passes DKIM. */
static void parked_record(struct check *c, const char *pfx, const char *owner,
    const struct dkim_key *k)
{
	if (k->revoked) {
		check_add(c, STATE_OK, "%s: key revoked (empty p=): nothing passes "
		    "DKIM with it, as for a parked domain", pfx);
	} else if (k->pub != NULL) {
		check_add(c, STATE_WARNING, "%s: parked domain publishes a usable "
		    "%s key: mail signed with it passes DKIM", pfx,
		    dkim_ktype_str(k->ktype));
		check_fix(c, "%s. IN TXT \"v=DKIM1; p=\"", owner);
	} else {
		check_add(c, STATE_OK, "%s: no usable key in the record (nothing "
		    "passes DKIM with it)", pfx);
		/* what is wrong with a key nobody should use: detail */
		for (size_t f = 0; f < k->findings.n; f++)
			check_verbose(c, 1, "%s: %s", pfx, k->findings.v[f].text);
	}
}

static void check_record(struct check *c, size_t i, const struct dns_rr *rr,
    const char *pfx, const char *owner, bool first)
{
	const struct dkim_privkey *priv = dk.priv[key_index(i)];
	struct dkim_key *k;
	enum state size_st = STATE_OK;
	bool need_fix, mismatch = false;
	char label[DNAME_TEXT_MAX + 8], lead[168];

	k = dkim_key_parse((const char *)rr->u.txt.data, rr->u.txt.len);
	if (k == NULL) {
		check_add(c, STATE_UNKNOWN, "%s: out of memory", pfx);
		return;
	}
	if (co.parked) {
		parked_record(c, pfx, owner, k);
		dkim_key_free(k);
		return;
	}
	snprintf(lead, sizeof(lead), "%s: ", pfx);
	plugin_findings(c, &co, &k->findings, lead);
	if (k->pub != NULL) {
		size_st = key_size(c, pfx, k);
		if (first) {
			summarise(dk.sel[i], k);
			bool rsa = k->ktype == DKIM_K_RSA;
			snprintf(label, sizeof(label), "%s_bits", dk.sel[i]);
			check_perf(c, label, k->bits, "", rsa ? &warn : NULL,
			    rsa ? &crit : NULL, 0, NAN);
		}
	}
	if (priv != NULL && k->pub != NULL) {
		const char *file = dk.keyfile[key_index(i)];

		mismatch = !dkim_key_matches(k, priv);
		if (mismatch && priv->ktype != k->ktype)
			check_add(c, STATE_CRITICAL, "%s: published %s key, but "
			    "private key %s is %s", pfx,
			    dkim_ktype_str(k->ktype), file,
			    dkim_ktype_str(priv->ktype));
		else if (mismatch)
			check_add(c, STATE_CRITICAL, "%s: published key does "
			    "not match private key %s: mail signed with it "
			    "fails verification", pfx, file);
		else
			check_add(c, STATE_OK, "%s: published key matches "
			    "private key %s", pfx, file);
		/* the key itself is the finding: no record mends it */
		if (!mismatch && priv->ktype == DKIM_K_RSA && rsa_bits_reported(priv->bits))
			fix_words(c, i, owner, priv);
	}
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
		fix_line(c, i, owner, keep ? k : NULL);
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
		if (w < 0 || (size_t)w >= len - used)
			break;
		used += (size_t)w;
	}
}

static void check_selector(struct check *c, size_t i,
    const struct dns_answer *ans)
{
	const char *sel = dk.sel[i];
	char owner[DNAME_TEXT_MAX], chain[900], what[128], pfx[160];

	dname_to_text(ans->ncname ? &ans->cname[ans->ncname - 1] :
	    &ans->qname, owner, sizeof(owner));
	if (!res_status_is_answer(ans->status)) {
		/* Never "no key": the question was not answered. */
		snprintf(what, sizeof(what), "DKIM key of selector %s", sel);
		plugin_dns_error(c, &co, ans, what);
		return;
	}
	if (ans->ncname > 0)
		chain_text(ans, chain, sizeof(chain));
	if (ans->status != RES_OK) {
		const char *why = ans->status == RES_NXDOMAIN ? "NXDOMAIN" :
		    "no TXT record";
		if (co.parked) {
			check_add(c, STATE_OK, "%s: no DKIM key at %s (%s): "
			    "nothing passes DKIM as the domain, as for a parked "
			    "domain", sel, owner, why);
			return;
		}
		if (ans->ncname > 0)    /* K-11: the delegation dangles */
			check_add(c, STATE_CRITICAL, "%s: dangling delegation, "
			    "no key at the end of CNAME %s (%s)", sel, chain, why);
		else
			check_add(c, STATE_CRITICAL, "%s: no DKIM key at %s (%s)",
			    sel, owner, why);
		fix_line(c, i, owner, NULL);
		return;
	}
	if (ans->ncname > 0)
		check_add(c, STATE_OK, "%s: delegated by CNAME %s", sel, chain);
	/* Over 512 bytes is every 2048-bit key, and every resolver since
	 * EDNS0 takes it; over 1232 (DNS Flag Day 2020's EDNS buffer size)
	 * verifiers' resolvers fall back to TCP, which some networks block:
	 * worth an [OK] line. The size itself is -v detail. */
	if (ans->msg_size > LIMIT_EDNS_BUFSIZE)
		check_add(c, STATE_OK, "%s: key answer is %zu bytes, over %d: "
		    "resolvers need TCP for it (it came over %s)", sel,
		    ans->msg_size, LIMIT_EDNS_BUFSIZE, ans->via_tcp ? "TCP" :
		    "UDP with EDNS0");
	else
		check_verbose(c, 1, "%s: key answer is %zu bytes (over %s)",
		    sel, ans->msg_size, ans->via_tcp ? "TCP" : "UDP");
	if (ans->nrr > 1)               /* K-10 */
		check_add(c, STATE_CRITICAL, "%s: multiple key records (%zu TXT "
		    "at %s): verifiers may use any of them", sel, ans->nrr,
		    owner);
	for (size_t r = 0; r < ans->nrr && r < SHOWN_RECORDS; r++) {
		if (ans->nrr > 1)
			snprintf(pfx, sizeof(pfx), "%s (record %zu of %zu)", sel,
			    r + 1, ans->nrr);
		else
			snprintf(pfx, sizeof(pfx), "%s", sel);
		check_record(c, i, &ans->rr[r], pfx, owner, r == 0);
	}
}

/* -w/-c, or the defaults (doc/output-contract.md: warn under 2048, critical under
 * 1024). */
static void thresholds(void)
{
	const char *why;

	if (co.warn.set)
		warn = co.warn;
	else
		(void)range_parse("2048:", &warn, &why);
	if (co.crit.set)
		crit = co.crit;
	else
		(void)range_parse("1024:", &crit, &why);
}

/* A signing key that its group or others may read or write is not
 * secure (opendkim-testkey: "key not secure"): anyone who can read it
 * signs as the domain, anyone who can write it replaces it. The mode is
 * that of the file itself, after symlinks. */
static void key_mode(struct check *c, const char *file, unsigned mode)
{
	const char *who = "others";
	const char *can = "write";

	if ((mode & 066) == 0) {
		return;
	}
	if ((mode & 060) != 0) {
		who = (mode & 006) != 0 ? "group and others" : "its group";
	}
	if ((mode & 044) != 0) {
		can = (mode & 022) != 0 ? "read and write" : "read";
	}
	check_add(c, STATE_WARNING,
		  "private key %s not secure: mode %04o lets %s %s it: chmod go-rw it", file, mode,
		  who, can);
}

static void load_keys(struct check *c)
{
	char err[256];

	for (size_t i = 0; i < dk.nkey; i++) {
		dk.priv[i] = dkim_privkey_load(dk.keyfile[i], err, sizeof(err));
		if (dk.priv[i] == NULL)         /* our own input: UNKNOWN */
			plugin_die(&info, "private key %s: %s", dk.keyfile[i],
			    err);
		key_mode(c, dk.keyfile[i], dk.priv[i]->mode);
	}
}

/* --all-ns: a server without the key the check saw fails every
 * signature verified against it (old key, no key, other delegation). */
static enum state stale_key(void *ctx, const struct dns_answer *ref,
    const struct dns_answer *got)
{
	(void)ctx;
	return prop_shares_record(ref, got) ? STATE_WARNING : STATE_CRITICAL;
}

int main(int argc, char **argv)
{
	struct dns_question q[LIMIT_DKIM_SELECTORS];
	const struct dns_answer *ans[LIMIT_DKIM_SELECTORS];
	struct dname dkdom;
	char dom[DNAME_TEXT_MAX];
	struct check *c;
	struct resolver *res;

	plugin_start(argc, argv, &info, &co);
	if (dk.nsel == 0) {
		dk.sel[0] = "default";
		(void)dname_from_text(&dk.seldn[0], "default", 7,
		    DNAME_HOSTNAME, NULL);
		dk.nsel = 1;
	}
	if (dk.nkey > 1 && dk.nkey != dk.nsel)
		plugin_die(&info, "%zu private keys for %zu selectors: give one "
		    "-k for all or one per -S", dk.nkey, dk.nsel);
	thresholds();
	if (!dname_prepend(&dkdom, &co.domain, "_domainkey", 10))
		plugin_die(&info, "domain too long for _domainkey");
	for (size_t i = 0; i < dk.nsel; i++) {
		q[i].type = DNS_T_TXT;
		if (!dname_concat(&q[i].name, &dk.seldn[i], &dkdom))
			plugin_die(&info, "invalid selector: %s._domainkey is "
			    "too long for the domain", dk.sel[i]);
	}

	c = check_new(info.service);
	check_set_verbosity(c, co.verbose);
	dname_to_text(&co.domain, dom, sizeof(dom));
	check_subject(c, "%s", co.domain_shown);
	load_keys(c);
	res = plugin_resolver(&co);

	plugin_stage("DKIM key lookup");
	resolver_query_batch(res, q, dk.nsel, ans);
	for (size_t i = 0; i < dk.nsel; i++)
		check_selector(c, i, ans[i]);
	if (check_state(c) == STATE_OK)
		check_summary(c, STATE_OK, "%s%s", dk.summary,
		    dk.nkey ? ", matching the private key" : "");
	for (size_t i = 0; i < dk.nkey; i++)
		dkim_privkey_free(dk.priv[i]);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(c, &co, res, stale_key, NULL);
	}
	plugin_exit(c, res);
}
