/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tlsrpt's report destinations: each mailto: URI's domain must
 * accept mail (an MX that is not the null MX of RFC 7505, or without MX
 * an address: the implicit MX of RFC 5321 5.1), each https: URI's host
 * must resolve. Nothing is sent to them: no mail, no POST.
 */
#ifndef MAILDNS_TLSRPT_DEST_H
#define MAILDNS_TLSRPT_DEST_H

#include <stdbool.h>

#include "dname.h"
#include "mailaccept.h"
#include "resolver.h"

struct tlsrpt_run;

/* A report domain and whether it takes mail (common/mailaccept.h). */
struct tlsrpt_mail_dest {
	struct dname name;
	struct mailaccept acc;
};

/*
 * Decide for each d[i].name whether it takes mail: the MX of all in one
 * batch with the extra questions xq[0..nx-1] (their answers into xa),
 * then A and AAAA of those that exist without MX in a second batch.
 */
void tlsrpt_mail_domains(struct resolver *res, struct tlsrpt_mail_dest *d, size_t n,
			 const struct dns_question *xq, size_t nx, const struct dns_answer **xa);

/*
 * Every destination of r->rec (NULL: none; mailto: domains and https:
 * hosts) and the domain itself (for the mailbox a fix: line may
 * propose), in at most two round trips, the extra questions xq (answers
 * into xa) in the first: a CRITICAL naming the domain or host for each
 * that cannot take reports, r->deliverable[], r->ndeliverable,
 * r->own_accepts_mail and r->fix_needed set.
 */
void tlsrpt_check_destinations(struct tlsrpt_run *r, const struct dns_question *xq, size_t nx,
			       const struct dns_answer **xa);

#endif
