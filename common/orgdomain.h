/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Organisational domain (RFC 7489 3.2) from the public suffix list,
 * through libpsl. Never a "last two labels" guess: example.co.uk is the
 * organisational domain of a.b.example.co.uk.
 *
 * The list is the distribution's (psl_latest(NULL): Debian's
 * publicsuffix package) or a file given by the user. When it is missing
 * or corrupt, libpsl's built-in list is used instead and
 * orgdomain_problem() says so; when there is no list at all, every name
 * is taken to be its own organisational domain (ORG_NO_LIST), so a
 * plugin asks only the name itself and treats every other domain as
 * foreign. Either way the plugin reports the problem (M-11).
 */
#ifndef MAILDNS_ORGDOMAIN_H
#define MAILDNS_ORGDOMAIN_H

#include <stdbool.h>
#include <stddef.h>

#include "dname.h"

struct orgdomain;

enum org_status {
	ORG_OK,        /* *org is the organisational domain */
	ORG_IS_SUFFIX, /* name is itself a public suffix: RFC 7489 3.2 has
			  no x+1th label; *org is the name itself */
	ORG_NO_LIST,   /* no public suffix list: *org is the name itself */
	ORG_BAD_NAME,  /* a label the list cannot be asked about (a byte
			  other than letter, digit, '-' or '_'; the root):
			  *org is the name itself */
};

/*
 * Load the list. file NULL: the distribution's list (falling back to
 * libpsl's built-in one); else that file (DAFSA or text format). A list
 * that loads but fails a sanity check (co.uk must be a public suffix and
 * example.co.uk must not) counts as corrupt. Returns NULL only when out
 * of memory. Caller frees with orgdomain_free().
 */
struct orgdomain *orgdomain_new(const char *file);
void orgdomain_free(struct orgdomain *od);

/* What went wrong loading the list ("public suffix list /x: cannot be
 * loaded (No such file or directory); using libpsl's built-in list"),
 * or NULL when the list asked for is in use. Owned by od. */
const char *orgdomain_problem(const struct orgdomain *od);

/* Which list is in use, for -v: "/usr/share/publicsuffix/..." or
 * "libpsl built-in list" or "none". Owned by od. */
const char *orgdomain_source(const struct orgdomain *od);

/*
 * The organisational domain of name into *org (lower case). Bounded:
 * a name has at most 127 labels and libpsl walks them once.
 */
enum org_status orgdomain_find(const struct orgdomain *od, const struct dname *name,
			       struct dname *org);

/* True when a and b have the same organisational domain. */
bool orgdomain_same(const struct orgdomain *od, const struct dname *a, const struct dname *b);

#endif
