/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc's policy discovery by both methods, batched: the DNS tree
 * walk of RFC 9989 4.10, which obsoletes RFC 7489 (at most
 * LIMIT_DMARC_TREE_WALK _dmarc queries), and RFC 7489 6.6.3's public
 * suffix list (the domain's _dmarc, else the organisational domain's).
 */
#ifndef MAILDNS_DMARC_DISCOVERY_H
#define MAILDNS_DMARC_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>

#include "dname.h"

struct run;

/* What one discovery method found. */
struct dmarc_found {
	int got;         /* 1 a record, 0 none, -1 failure reported: the run
			    cannot go on */
	struct dname at; /* where the record was found */
	const char *txt; /* the record (resolver-owned) */
	size_t len;
	bool inherited; /* at a parent of the domain */
};

/*
 * Both methods for r->co->domain, r->org its organisational domain. The
 * first batch asks _dmarc.D and the MX of the organisational domain, the
 * usual rua= mailbox (the report destinations then find it cached); when
 * _dmarc.D has no record the second asks the walk's next name, the
 * organisational domain's _dmarc and TXT at D: a DMARC record misplaced
 * there is reported (WARNING) and put in *mis (else NULL). No question is
 * sent twice (the resolver's cache). walk and psl get what each method
 * found; a DNS error, several records or a near miss is reported once.
 * Returns the got of the one --psl-discovery chooses.
 */
int dmarc_discover(struct run *r, struct dmarc_found *walk, struct dmarc_found *psl,
		   const char **mis, size_t *mislen);

#endif
