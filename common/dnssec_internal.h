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

#endif
