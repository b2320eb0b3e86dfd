/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dkim -k: the private keys the mail server signs with, loaded and
 * judged (file mode), and the published key held against them.
 */
#ifndef MAILDNS_DKIM_KEYS_H
#define MAILDNS_DKIM_KEYS_H

#include "dkim_run.h"

/* Load every -k file into r->priv, with a WARNING for a file others may
 * read or write. False with "private key FILE: reason" in err when one
 * cannot be used (our own input: the caller ends the run UNKNOWN); the
 * keys loaded are then freed. */
bool dkim_keys_load(struct dkim_run *r, char *err, size_t errlen);

/* Free the keys of r (a run without -k has none). */
void dkim_keys_free(struct dkim_run *r);

/* With a -k key for selector i and a published key in k: whether the
 * published key is the private key's public half, as a finding prefixed
 * with pfx. True when it is not (a mismatch); false when it is or there is
 * nothing to compare. */
bool dkim_keys_mismatch(struct dkim_run *r, size_t i, const char *pfx, const char *owner,
			const struct dkim_key *k);

#endif
