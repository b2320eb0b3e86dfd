/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Forward-confirmed reverse DNS (RFC 8601 2.7.3 "iprev"; the guide's
 * spam troubleshooting): an address passes when one of its PTR names
 * has an A/AAAA record giving that address back.
 */
#ifndef MAILDNS_FCRDNS_H
#define MAILDNS_FCRDNS_H

#include <stdbool.h>
#include <stddef.h>

#include "addrclass.h"
#include "resolver.h"

enum fcrdns_status {
	FCRDNS_CONFIRMED,   /* a PTR name resolves back to the address */
	FCRDNS_NO_PTR,      /* NXDOMAIN or NODATA for the reverse name */
	FCRDNS_UNCONFIRMED, /* PTR names found, none resolves back */
	FCRDNS_DNS_ERROR,   /* a query needed for the verdict failed */
};

struct fcrdns {
	enum fcrdns_status status;
	/* CONFIRMED: the name that resolved back; UNCONFIRMED: the first
	 * PTR name. Root otherwise. */
	struct dname name;
	/* DNS_ERROR: the answer that could not be had (owned by the
	 * resolver, valid until resolver_free()); NULL otherwise. */
	const struct dns_answer *failed;
};

/*
 * Check n addresses (n <= LIMIT_MX_PTR_ADDRS; false and nothing asked
 * otherwise) with two batches: the PTR of every address, then A or
 * AAAA of at most LIMIT_MX_PTR_NAMES PTR names per address. out[i]
 * answers addrs[i].
 */
bool fcrdns_check(struct resolver *res, const struct ipaddr *addrs, size_t n, struct fcrdns *out);

#endif
