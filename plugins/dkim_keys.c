/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dkim -k: the private keys (plugins/dkim_keys.h). */
#include "dkim_keys.h"

#include <stdio.h>

#include "dkim_fix.h"

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

bool dkim_keys_load(struct dkim_run *r, char *err, size_t errlen)
{
	char why[256];

	for (size_t i = 0; i < r->o->nkey; i++) {
		r->priv[i] = dkim_privkey_load(r->o->keyfile[i], why, sizeof(why));
		if (r->priv[i] == NULL) {
			snprintf(err, errlen, "private key %s: %s", r->o->keyfile[i], why);
			dkim_keys_free(r);
			return false;
		}
		key_mode(r->c, r->o->keyfile[i], r->priv[i]->mode);
	}
	return true;
}

void dkim_keys_free(struct dkim_run *r)
{
	for (size_t i = 0; i < LIMIT_DKIM_SELECTORS; i++) {
		dkim_privkey_free(r->priv[i]);
		r->priv[i] = NULL;
	}
}

bool dkim_keys_mismatch(struct dkim_run *r, size_t i, const char *pfx, const char *owner,
			const struct dkim_key *k)
{
	const struct dkim_privkey *priv = r->priv[dkim_key_index(r->o, i)];
	const char *file = r->o->keyfile[dkim_key_index(r->o, i)];
	bool mismatch;

	if (priv == NULL || k->pub == NULL) {
		return false;
	}
	mismatch = !dkim_key_matches(k, priv);
	if (mismatch && priv->ktype != k->ktype) {
		check_add(r->c, STATE_CRITICAL, "%s: published %s key, but private key %s is %s",
			  pfx, dkim_ktype_str(k->ktype), file, dkim_ktype_str(priv->ktype));
	} else if (mismatch) {
		check_add(r->c, STATE_CRITICAL,
			  "%s: published key does not match private key %s: mail signed with it "
			  "fails verification",
			  pfx, file);
	} else {
		check_add(r->c, STATE_OK, "%s: published key matches private key %s", pfx, file);
	}
	/* the key itself is the finding: no record mends it */
	if (!mismatch && priv->ktype == DKIM_K_RSA && dkim_rsa_reported(r, priv->bits)) {
		dkim_fix_words(r, i, owner, priv);
	}
	return mismatch;
}
