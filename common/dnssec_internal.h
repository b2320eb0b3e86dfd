/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * What the dnssec_*.c files share: the anchor's layout and the limits of
 * validation work (doc/hostile-inputs.md D-01, D-02, D-05). These files
 * and common/resolver.c are the only ones that include <ldns/ldns.h>:
 * the signature and denial code is ldns's (dnssec_verify.h).
 */
#ifndef MAILDNS_DNSSEC_INTERNAL_H
#define MAILDNS_DNSSEC_INTERNAL_H

#include <ldns/ldns.h>

#include "compiler.h"
#include "dnssec.h"

/* D-01 (KeyTrap, CVE-2023-50387): a signature is tried against at most
 * this many keys of its key tag and algorithm (a real zone has one or two,
 * three during a rollover), and an RRset's signatures at most this many
 * (one per algorithm and key in a rollover). */
#define DNSSEC_KEYS_PER_SIG   4
#define DNSSEC_SIGS_PER_RRSET 8
/* NSEC/NSEC3 records looked at in one reply's authority section. */
#define DNSSEC_DENIAL_RRS 16
/* D-02: RFC 9276 3.2 lets a validator call NSEC3 with more iterations
 * insecure; such hashes are never computed (CVE-2023-50868). */
#define DNSSEC_NSEC3_ITER_MAX 150
/* D-05: names from the anchor to the zone that signed an answer (a DNS
 * name has at most 127 labels; mail domains under a dozen, an ip6.arpa
 * zone 34 at most). Each costs two questions, all in one batch. */
#define DNSSEC_DEPTH_MAX 40
/* Records read from a trust anchor file. */
#define DNSSEC_ANCHOR_MAX 32

struct dnssec_anchor {
	struct dname zone;
	ldns_rr_list *rrs; /* DS and/or DNSKEY, all owned by zone */
};

/* One validation's state, shared by the dnssec_validate.c steps. */
struct vrun {
	const struct dnssec_anchor *anchor;
	dnssec_fetch_fn fetch;
	void *ctx;
	time_t now;
	struct dnssec_result *out;
	int64_t expire;
	uint8_t labels; /* RRSIG labels of the signature that last verified */
};

/* Names in a reason are cut to this (the reason must fit a line). */
#define NAME_SHOWN 64

/* d as text ("?" when NULL or too long). */
void dnssec_rdf_text(const ldns_rdf *d, char *buf, size_t len);
/* Sets the outcome and its reason. */
void dnssec_verdict(struct vrun *v, enum dnssec_outcome o, const char *fmt, ...) PRINTF_LIKE(3, 4);
/* The RRset of nsec (owner, type) in auth verified with keys of zone. */
bool dnssec_nsec_signed(struct vrun *v, const ldns_rr_list *auth, const ldns_rr *nsec,
			const ldns_rr_list *keys, const ldns_rdf *zone, char *why, size_t whylen);

/* NSEC3 rr (its hash parameters) against name in zone: rr's owner is
 * the hash of name (matches), or rr belongs to zone and its span holds
 * that hash without being it (covers: name does not exist). */
bool dnssec_nsec3_matches(const ldns_rr *rr, const ldns_rdf *name, const ldns_rdf *zone);
bool dnssec_nsec3_covers(const ldns_rr *rr, const ldns_rdf *name, const ldns_rdf *zone);

/*
 * A secure RRset of owner expanded from a wildcard (its signature's
 * labels, v->labels, fewer than owner's): the outcome is secure only
 * when a signed NSEC or NSEC3 of auth proves that the next closer name
 * does not exist (RFC 4035 5.3.4, RFC 5155 8.8), else bogus.
 */
void dnssec_wildcard_proof(struct vrun *v, const ldns_rr_list *auth, const ldns_rdf *owner,
			   const ldns_rdf *zone, const ldns_rr_list *keys);

#endif
