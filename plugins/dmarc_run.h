/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc's options and the per-run struct, shared by
 * plugins/check_dmarc.c and the plugins/dmarc_*.c files it is made of
 * (linked into check_dmarc only, mk/dmarc.am).
 */
#ifndef MAILDNS_DMARC_RUN_H
#define MAILDNS_DMARC_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "dmarc.h"
#include "dmarc_fix.h"
#include "dname.h"
#include "options.h"
#include "orgdomain.h"
#include "output.h"
#include "resolver.h"

struct dmarc_opts {
	enum dmarc_policy policy; /* --policy; reject with --parked */
	bool no_rua_ok;           /* --no-rua-ok; with --parked too */
	bool psl_discovery;       /* --psl-discovery (else --tree-walk) */
	const char *psl_file;     /* --psl-file, or NULL */
};

/* What the run works with and what it found. */
struct run {
	struct check *c;
	const struct common_opts *co;
	const struct dmarc_opts *o;
	struct resolver *res;
	struct orgdomain *od;     /* the public suffix list */
	struct dname org;         /* the domain's organisational domain */
	char dom[DNAME_TEXT_MAX]; /* the domain asked, as text */
	struct dname at;          /* where the record was found */
	char at_text[DNAME_TEXT_MAX];
	const char *txt; /* the record (resolver-owned) */
	size_t len;
	bool inherited;       /* found at a parent of the domain */
	struct dmarc_fix fix; /* the fix: lines, printed at the end */
};

/* d as text in buf (DNAME_TEXT_MAX bytes); returns buf. */
static inline char *name_text(const struct dname *d, char *buf)
{
	return dname_to_text(d, buf, DNAME_TEXT_MAX);
}

#endif
