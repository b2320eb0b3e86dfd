/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a domain accepts mail (common/mailaccept.h). */
#include "mailaccept.h"

#include "dns_type.h"

static bool has_rr(const struct dns_answer *ans)
{
	return ans->status == RES_OK && ans->nrr > 0;
}

struct mailaccept mailaccept_from_mx(const struct dns_answer *mx)
{
	struct mailaccept m = {MAILACCEPT_NULL_MX, NULL};

	if (!res_status_is_answer(mx->status)) {
		return (struct mailaccept){MAILACCEPT_DNS_ERROR, mx};
	}
	if (mx->status == RES_NXDOMAIN) {
		return (struct mailaccept){MAILACCEPT_NXDOMAIN, NULL};
	}
	if (!has_rr(mx)) {
		/* NODATA: the name exists, its addresses decide */
		return (struct mailaccept){MAILACCEPT_NEEDS_ADDRESS, NULL};
	}
	/* RFC 7505 3: a null MX is the only MX of its domain; one beside
	 * real hosts leaves those hosts to take the mail. The root's
	 * wire form is one byte. */
	for (size_t i = 0; i < mx->nrr; i++) {
		if (mx->rr[i].u.mx.host.len > 1) {
			m.verdict = MAILACCEPT_MX;
		}
	}
	return m;
}

size_t mailaccept_questions(const struct mailaccept *m, const struct dname *domain,
			    struct dns_question q[MAILACCEPT_ADDRESS_QUESTIONS])
{
	if (m->verdict != MAILACCEPT_NEEDS_ADDRESS) {
		return 0;
	}
	q[0] = (struct dns_question){*domain, DNS_T_A};
	q[1] = (struct dns_question){*domain, DNS_T_AAAA};
	return MAILACCEPT_ADDRESS_QUESTIONS;
}

void mailaccept_from_addresses(struct mailaccept *m, const struct dns_answer *a,
			       const struct dns_answer *aaaa)
{
	m->failed = NULL;
	if (has_rr(a) || has_rr(aaaa)) {
		m->verdict = MAILACCEPT_IMPLICIT_MX;
	} else if (!res_status_is_answer(a->status)) {
		m->verdict = MAILACCEPT_DNS_ERROR;
		m->failed = a;
	} else if (!res_status_is_answer(aaaa->status)) {
		m->verdict = MAILACCEPT_DNS_ERROR;
		m->failed = aaaa;
	} else {
		m->verdict = MAILACCEPT_NO_MX_NO_ADDRESS;
	}
}

bool mailaccept_accepts(const struct mailaccept *m)
{
	return m->verdict == MAILACCEPT_MX || m->verdict == MAILACCEPT_IMPLICIT_MX;
}
