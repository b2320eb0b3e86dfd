/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tlsrpt's per-run struct, shared by plugins/check_tlsrpt.c and the
 * plugins/tlsrpt_*.c files it is made of (linked into check_tlsrpt only,
 * mk/tlsrpt.am). The plugin has no options of its own: only the shared
 * ones (struct common_opts).
 */
#ifndef MAILDNS_TLSRPT_RUN_H
#define MAILDNS_TLSRPT_RUN_H

#include <stdbool.h>
#include <stddef.h>

#include "bounds.h"
#include "dname.h"
#include "options.h"
#include "output.h"
#include "resolver.h"
#include "tlsrpt.h"

/* What the run works with and what it found. */
struct tlsrpt_run {
	struct check *c;
	const struct common_opts *co;
	struct resolver *res;
	char dom[DNAME_TEXT_MAX]; /* the domain asked, as text */
	struct dname owner;       /* _smtp._tls.DOMAIN */
	char owner_text[DNAME_TEXT_MAX];
	/* the first batch (resolver-owned) */
	const struct dns_answer *txt; /* _smtp._tls.DOMAIN TXT */
	const struct dns_answer *sts; /* _mta-sts.DOMAIN TXT */
	const struct dns_answer *mx;  /* DOMAIN MX */
	size_t nrecords;              /* v=TLSRPTv1 records among txt */
	struct tlsrpt_record *rec;    /* the (first) one parsed, or NULL;
					 owned by the run */
	/* per rec->uri[i]: usable and its destination takes reports */
	bool deliverable[LIMIT_TLSRPT_URIS];
	size_t ndeliverable;
	bool fix_needed;       /* something a new record would mend */
	bool own_accepts_mail; /* DOMAIN takes mail (MX, or A/AAAA):
				  mailto:tlsrpt@DOMAIN can be proposed */
};

/* d as text in buf (DNAME_TEXT_MAX bytes); returns buf. */
static inline char *tlsrpt_name_text(const struct dname *d, char *buf)
{
	return dname_to_text(d, buf, DNAME_TEXT_MAX);
}

#endif
