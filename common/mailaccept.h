/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Whether a domain accepts mail, the way a sender decides where to
 * deliver: an MX RRset with a host, or without MX the domain's own
 * address (the implicit MX of RFC 5321 5.1); the null MX "." alone says
 * it accepts none (RFC 7505). A DNS failure is a DNS error, never "does
 * not accept".
 *
 * Pure: the caller asks the questions through the resolver, in its own
 * batches, and hands the answers in. The MX answer decides alone unless
 * the domain exists without MX; then the verdict is
 * MAILACCEPT_NEEDS_ADDRESS and mailaccept_questions() gives the A and
 * AAAA questions whose answers mailaccept_from_addresses() takes, so a
 * caller with many domains asks all of those in one more batch.
 */
#ifndef MAILDNS_MAILACCEPT_H
#define MAILDNS_MAILACCEPT_H

#include <stdbool.h>

#include "dname.h"
#include "resolver.h"

enum mailaccept_verdict {
	MAILACCEPT_MX,               /* an MX RRset with a host */
	MAILACCEPT_IMPLICIT_MX,      /* no MX, an A or AAAA (RFC 5321 5.1) */
	MAILACCEPT_NULL_MX,          /* only the null MX "." (RFC 7505) */
	MAILACCEPT_NO_MX_NO_ADDRESS, /* neither MX nor A nor AAAA */
	MAILACCEPT_NXDOMAIN,         /* the domain does not exist */
	MAILACCEPT_DNS_ERROR,        /* an answer needed could not be had */
	MAILACCEPT_NEEDS_ADDRESS     /* no MX: A and AAAA still to ask */
};

/* Number of questions mailaccept_questions() fills. */
enum {
	MAILACCEPT_ADDRESS_QUESTIONS = 2
};

struct mailaccept {
	enum mailaccept_verdict verdict;
	/* MAILACCEPT_DNS_ERROR: the answer that failed (resolver-owned) */
	const struct dns_answer *failed;
};

/* The verdict from the domain's MX answer alone. */
struct mailaccept mailaccept_from_mx(const struct dns_answer *mx);

/*
 * The questions still needed for m: none unless m->verdict is
 * MAILACCEPT_NEEDS_ADDRESS, then A and AAAA of domain into q[0..1].
 * Returns how many were written.
 */
size_t mailaccept_questions(const struct mailaccept *m, const struct dname *domain,
			    struct dns_question q[MAILACCEPT_ADDRESS_QUESTIONS]);

/*
 * A verdict of MAILACCEPT_NEEDS_ADDRESS completed from the answers to
 * the A and AAAA questions: MAILACCEPT_IMPLICIT_MX when either has an
 * address (even if the other failed), MAILACCEPT_DNS_ERROR when neither
 * has one and one failed, else MAILACCEPT_NO_MX_NO_ADDRESS. The MX
 * answer said the name exists, so an NXDOMAIN here is only "no address".
 */
void mailaccept_from_addresses(struct mailaccept *m, const struct dns_answer *a,
			       const struct dns_answer *aaaa);

/* Whether mail to the domain has somewhere to go. */
bool mailaccept_accepts(const struct mailaccept *m);

#endif
