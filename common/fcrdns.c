/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Forward-confirmed reverse DNS in two batches. */
#include <string.h>

#include "fcrdns.h"

_Static_assert(LIMIT_MX_PTR_ADDRS *LIMIT_MX_PTR_NAMES <= LIMIT_BATCH,
	       "forward-confirmation batch over LIMIT_BATCH");

bool fcrdns_check(struct resolver *res, const struct ipaddr *addrs, size_t n, struct fcrdns *out)
{
	struct dns_question q[LIMIT_MX_PTR_ADDRS * LIMIT_MX_PTR_NAMES];
	const struct dns_answer *ptr[LIMIT_MX_PTR_ADDRS];
	const struct dns_answer *fwd[LIMIT_MX_PTR_ADDRS * LIMIT_MX_PTR_NAMES];
	size_t nq = 0;

	if (n > LIMIT_MX_PTR_ADDRS)
		return false;
	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		memset(&out[i], 0, sizeof out[i]);
		dname_root(&out[i].name);
		q[i].type = DNS_T_PTR;
		if (!addr_reverse_name(addrs[i].b, addrs[i].len, &q[i].name))
			return false;
	}
	resolver_query_batch(res, q, n, ptr);

	/* Second batch: forward lookups of the PTR names, in address order,
	 * so q[first[i] .. first[i] + count[i]) belong to address i. */
	size_t first[LIMIT_MX_PTR_ADDRS], count[LIMIT_MX_PTR_ADDRS];
	for (size_t i = 0; i < n; i++) {
		first[i] = nq;
		count[i] = 0;
		if (!res_status_is_answer(ptr[i]->status)) {
			out[i].status = FCRDNS_DNS_ERROR;
			out[i].failed = ptr[i];
			continue;
		}
		if (ptr[i]->status != RES_OK) {
			out[i].status = FCRDNS_NO_PTR;
			continue;
		}
		out[i].status = FCRDNS_UNCONFIRMED;
		out[i].name = ptr[i]->rr[0].u.target;
		for (size_t k = 0; k < ptr[i]->nrr && k < LIMIT_MX_PTR_NAMES; k++) {
			q[nq].name = ptr[i]->rr[k].u.target;
			q[nq++].type = addrs[i].len == 4 ? DNS_T_A : DNS_T_AAAA;
			count[i]++;
		}
	}
	if (nq > 0)
		resolver_query_batch(res, q, nq, fwd);

	for (size_t i = 0; i < n; i++) {
		const struct dns_answer *failed = NULL;
		if (out[i].status != FCRDNS_UNCONFIRMED)
			continue;
		for (size_t k = first[i]; k < first[i] + count[i]; k++) {
			const struct dns_answer *a = fwd[k];
			if (!res_status_is_answer(a->status)) {
				failed = failed ? failed : a;
				continue;
			}
			for (size_t r = 0; r < a->nrr; r++)
				if (memcmp(a->rr[r].u.addr, addrs[i].b, addrs[i].len) == 0) {
					out[i].status = FCRDNS_CONFIRMED;
					out[i].name = q[k].name;
					break;
				}
			if (out[i].status == FCRDNS_CONFIRMED)
				break;
		}
		/* Unconfirmed only for certain when every lookup answered. */
		if (out[i].status == FCRDNS_UNCONFIRMED && failed) {
			out[i].status = FCRDNS_DNS_ERROR;
			out[i].failed = failed;
			dname_root(&out[i].name);
		}
	}
	return true;
}
