/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dkim's options and the state of one run, shared by its files
 * (check_dkim.c, dkim_fix.c, dkim_keys.c; linked into check_dkim only).
 * Both live in main(): nothing here is file-scope state.
 */
#ifndef MAILDNS_DKIM_RUN_H
#define MAILDNS_DKIM_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "dkim.h"
#include "plugin.h"

#define RFC8301_MIN_BITS 1024 /* RFC 8301 3.2: MUST NOT accept fewer */
#define RFC8301_MAX_BITS 4096 /* ... and MUST be able to verify up to */

/* The plugin's own options (-S, -k), filled by handle(). */
struct dkim_opts {
	const char *sel[LIMIT_DKIM_SELECTORS];    /* -S as given */
	struct dname seldn[LIMIT_DKIM_SELECTORS]; /* ... as names */
	size_t nsel;
	const char *keyfile[LIMIT_DKIM_SELECTORS]; /* -k as given */
	size_t nkey;
	char why[96]; /* handle()'s reason for a refused -S */
};

/* One run: what it works with and what it found so far. */
struct dkim_run {
	struct check *c;
	const struct common_opts *co;
	const struct dkim_opts *o;
	struct resolver *res;
	struct range warn, crit;                         /* -w/-c or the defaults */
	struct dkim_privkey *priv[LIMIT_DKIM_SELECTORS]; /* the -k keys, in -k order
							    (owned: dkim_keys_free()) */
	bool told_keygen;                                /* the make-a-key line is out */
	char summary[200];                               /* "default rsa 2048 bits, ..." */
};

/* The -k of selector i: one for all, or one per -S in order. */
static inline size_t dkim_key_index(const struct dkim_opts *o, size_t i)
{
	return o->nkey == 1 ? 0 : i;
}

#endif
