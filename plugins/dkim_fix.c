/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dkim's fix: lines (plugins/dkim_fix.h). */
#include "dkim_fix.h"

#include <stdlib.h>
#include <string.h>

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

bool dkim_rsa_reported(const struct dkim_run *r, int bits)
{
	return bits < RFC8301_MIN_BITS || bits > RFC8301_MAX_BITS ||
	       range_state(bits, &r->warn, &r->crit) != STATE_OK;
}

/* The smallest usual RSA size this check passes: 2048 unless -w/-c ask
 * for more. */
static int rsa_bits_to_make(const struct dkim_run *r)
{
	static const int sizes[] = {2048, 3072, 4096};

	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		if (!dkim_rsa_reported(r, sizes[i])) {
			return sizes[i];
		}
	}
	return 2048;
}

void dkim_fix_words(struct dkim_run *r, size_t i, const char *owner,
		    const struct dkim_privkey *priv)
{
	const char *sel = r->o->sel[i];
	int bits = rsa_bits_to_make(r);

	if (priv != NULL) {
		check_add(r->c, STATE_OK,
			  "to fix: private key %s is a %d-bit RSA key, which this check reports: "
			  "make a %d-bit one (openssl genpkey -algorithm RSA -pkeyopt "
			  "rsa_keygen_bits:%d -out %s.key, or opendkim-genkey -b %d -s %s -d %s), "
			  "sign with it and publish \"%s. IN TXT \\\"v=DKIM1; k=rsa; p=<its public "
			  "key>\\\"\" (check_dkim -k %s.key prints the record)",
			  r->o->keyfile[dkim_key_index(r->o, i)], priv->bits, bits, bits, sel, bits,
			  sel, r->co->domain_arg, owner, sel);
	} else {
		check_add(r->c, STATE_OK,
			  "to fix: publish \"%s. IN TXT \\\"v=DKIM1; k=rsa; p=<public key of the "
			  "signing key>\\\"\" (give the private key with -k for the record)",
			  owner);
	}
	if (!r->told_keygen) {
		check_verbose(r->c, 0,
			      "make a key: openssl genpkey -algorithm RSA -pkeyopt "
			      "rsa_keygen_bits:%d -out %s.key && openssl pkey -in %s.key -pubout "
			      "-outform DER -out %s.der && openssl base64 -A -in %s.der (prints "
			      "the p= value)",
			      bits, sel, sel, sel, sel);
	}
	r->told_keygen = true;
}

void dkim_fix_line(struct dkim_run *r, size_t i, const char *owner, const struct dkim_key *k)
{
	const struct dkim_privkey *priv = r->priv[dkim_key_index(r->o, i)];
	char *rec, *txt;

	if (priv != NULL && priv->ktype == DKIM_K_RSA && dkim_rsa_reported(r, priv->bits)) {
		/* a record for it would be the next run's finding */
		dkim_fix_words(r, i, owner, priv);
		return;
	} else if (priv != NULL) {
		rec = dkim_record_for(priv);
	} else if (k != NULL && k->pub != NULL) {
		/* k->pub is borrowed: k, and so the key, outlives the call */
		rec = dkim_record_for_pub(k->ktype, k->pub);
	} else {
		dkim_fix_words(r, i, owner, NULL);
		return;
	}
	txt = rec ? zone_txt_strings(rec, strlen(rec)) : NULL;
	if (txt != NULL && strlen(owner) + strlen(txt) + 16 < LIMIT_LINE_TEXT) {
		check_fix(r->c, "%s. IN TXT %s", owner, txt);
	} else if (txt != NULL) {
		fix_lines(r->c, owner, txt);
	}
	free(txt);
	free(rec);
}
