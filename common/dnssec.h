/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DNSSEC validated by the plugins themselves (RFC 4033-4035, 5155, 6840):
 * the chain of DS and DNSKEY records from a trust anchor down to an
 * answer, checked with ldns's signature code, in place of a resolver's
 * AD bit.
 *
 * The validator asks nothing itself: what it needs (DNSKEY and DS of the
 * names from the anchor down, one batch for them all) it gets from a
 * fetch function the resolver provides, as raw reply messages, so that
 * every question goes through the resolver's cache and transport.
 */
#ifndef MAILDNS_DNSSEC_H
#define MAILDNS_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "dname.h"

/* The default trust anchor: Debian's dns-root-data. */
#define DNSSEC_DEFAULT_ANCHOR "/usr/share/dns/root.key"

enum dnssec_outcome {
	DNSSEC_SECURE,   /* the chain from the anchor holds */
	DNSSEC_INSECURE, /* a proven unsigned delegation (or only algorithms
			    we do not support, RFC 6840 5.2) */
	DNSSEC_BOGUS,    /* a signature or link of the chain fails */
	DNSSEC_ERROR,    /* DS/DNSKEY could not be fetched: a DNS error */
};

const char *dnssec_outcome_str(enum dnssec_outcome o);

/* A parsed trust anchor file: DS or DNSKEY records of one zone. */
struct dnssec_anchor;

/*
 * Reads path (zone-file form, DS or DNSKEY records of one zone). NULL on
 * failure with the reason, naming the file, in err (D-06: missing,
 * unreadable, empty, unparsable, records of more than one zone).
 */
struct dnssec_anchor *dnssec_anchor_load(const char *path, char *err, size_t errlen);
void dnssec_anchor_free(struct dnssec_anchor *a);
/* The zone the anchor is for. */
const struct dname *dnssec_anchor_zone(const struct dnssec_anchor *a);

/* One question the validator needs answered. */
struct dnssec_need {
	struct dname name;
	uint16_t type;
};

/*
 * Answers n questions at once (one round trip): msg[i]/len[i] the raw
 * reply to q[i], or msg[i] NULL when there is none (timeout, network
 * error...), with why[i] the reason. The replies stay valid while the
 * fetcher lives.
 */
typedef void (*dnssec_fetch_fn)(void *ctx, const struct dnssec_need *q, size_t n,
				const uint8_t **msg, size_t *len, const char **why);

struct dnssec_result {
	enum dnssec_outcome outcome;
	struct dname zone; /* insecure: the zone cut; secure: the signer */
	char reason[256];  /* bogus/insecure/error: why, for the output */
	/* The earliest expiration (seconds since the epoch) of the
	 * signatures the result relied on; 0 when none (not secure). */
	int64_t expire;
	/* DNSSEC_ERROR because the anchor's zone is not above the name:
	 * the user's configuration, not the DNS (D-06). */
	bool anchor_elsewhere;
};

/*
 * Validates the answer of qtype for owner (the end of any CNAME chain)
 * found in the reply msg/len: the RRset and its RRSIGs, or for a NODATA
 * or NXDOMAIN reply the NSEC/NSEC3 proof of its authority section, and
 * the chain above it fetched through fetch. now: the time to judge
 * signatures by.
 */
void dnssec_validate(const struct dnssec_anchor *anchor, dnssec_fetch_fn fetch, void *ctx,
		     const struct dname *owner, uint16_t qtype, const uint8_t *msg, size_t len,
		     time_t now, struct dnssec_result *out);

#endif
