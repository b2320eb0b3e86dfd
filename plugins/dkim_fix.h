/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dkim's fix: lines: the record to publish at a selector, made from
 * the -k key or the published key, or, when neither gives a key this
 * check passes, the record in words and the commands that make a key.
 */
#ifndef MAILDNS_DKIM_FIX_H
#define MAILDNS_DKIM_FIX_H

#include "dkim_run.h"

/* An RSA key size this check reports (under -w/-c, the RFC 8301 floor,
 * or over the verifier range): not worth a record. */
bool dkim_rsa_reported(const struct dkim_run *r, int bits);

/* No record can be printed (no -k key, or one this check reports, priv
 * then): the record to publish at owner in words, with the commands that
 * make a key (once per run), so that the fix: lines stay records that
 * settle the check when published. */
void dkim_fix_words(struct dkim_run *r, size_t i, const char *owner,
		    const struct dkim_privkey *priv);

/* The record to publish at owner for selector i: from its -k key, else
 * from k's published key (k may be NULL; borrowed), else in words. */
void dkim_fix_line(struct dkim_run *r, size_t i, const char *owner, const struct dkim_key *k);

#endif
