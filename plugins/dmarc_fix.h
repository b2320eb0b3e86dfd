/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc's fix: lines. Edits are gathered per owner and printed
 * once at the end: two fix: lines for one owner would publish two
 * records there, and two DMARC records are none (RFC 7489 6.6.3).
 */
#ifndef MAILDNS_DMARC_FIX_H
#define MAILDNS_DMARC_FIX_H

#include <stdbool.h>
#include <stddef.h>

#include "dmarc.h"
#include "dname.h"
#include "output.h"

/* at most p/np, rua, sp, np, t, pct edits on one owner; the domain's
 * record and the one found */
enum {
	DMARC_FIX_EDITS = 8,
	DMARC_FIX_OWNERS = 2
};

/* The edits of one owner's record. */
struct dmarc_owner_fix {
	char owner[DNAME_TEXT_MAX + 8];
	bool fresh;       /* a new record: without sp=/np= */
	const char *base; /* the record these edits apply to; NULL: the one
			     dmarc_fix_emit() is given (check_bimi edits two) */
	size_t base_len;
	size_t n;
	struct dmarc_edit e[DMARC_FIX_EDITS];
	char val[DMARC_FIX_EDITS][DNAME_TEXT_MAX + 16];
};

/* Every owner's edits: allocated by the first dmarc_fix_owner(), 15 KiB
 * that a run with nothing to fix (most runs) would otherwise zero on the
 * stack (issue 10: peak RSS). Starts zeroed; dmarc_fix_free() frees. */
struct dmarc_fix {
	struct dmarc_owner_fix *v; /* DMARC_FIX_OWNERS of them, or NULL */
	size_t n;
};

struct run;

/* The edits for owner "_dmarc.D", D the text of a name; NULL when out of
 * memory (no fix: line, the check stands). */
struct dmarc_owner_fix *dmarc_fix_owner(struct dmarc_fix *f, const char *d);

/* Set tag to value (NULL: remove it) in of (may be NULL), replacing an
 * earlier edit of the tag. */
void dmarc_fix_edit(struct dmarc_owner_fix *of, const char *tag, const char *value);

/* The same edit for every owner so far. */
void dmarc_fix_edit_all(struct dmarc_fix *f, const char *tag, const char *value);

/* The guide's rua= for the run's organisational domain,
 * "mailto:dmarc@ORG", into buf; returns buf. */
const char *dmarc_fix_rua(const struct run *r, char *buf, size_t len);

/* One fix: line per owner, every edit applied to base (the record found;
 * NULL for none). */
void dmarc_fix_emit(struct dmarc_fix *f, struct check *c, const char *base, size_t len);

/* A valid record (rec, parsed from r->txt): the fix: lines with the edits
 * gathered, on the record as found, or corrected (dmarc_repair()) when it
 * has values receivers discard. */
void dmarc_fix_publish(struct run *r, const struct dmarc_record *rec);

/* An invalid record (r->txt): its correction as the fix (dmarc_repair()),
 * p= raised to --policy for the domain's own record and a rua= added when
 * none is left, so that publishing it settles the check. */
void dmarc_fix_repair(struct run *r);

/* No record found: the record to publish at _dmarc of the domain, made
 * from mis (a DMARC record misplaced at the domain itself, or NULL) or
 * else a new one at the organisational domain's. */
void dmarc_fix_missing(struct run *r, const char *mis, size_t mislen);

void dmarc_fix_free(struct dmarc_fix *f);

#endif
