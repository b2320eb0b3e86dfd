/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A zone of RRs in zone-file text answered below the resolver, through
 * resolver_set_transport(): the unit tests' stand-in for a DNS server.
 * Names in the zone answer NOERROR (with the RRs of the type asked, or
 * none), other names NXDOMAIN. Every question asked is counted.
 */
#ifndef MAILDNS_MOCK_ZONE_H
#define MAILDNS_MOCK_ZONE_H

#include <stddef.h>

#include "resolver.h"

#define MOCK_ZONE_QUESTIONS 256

struct mock_zone {
	const char *const *rrs; /* zone-file lines, borrowed */
	size_t nrrs;
	unsigned calls; /* queries answered */
	unsigned dups;  /* queries for a question asked before */
	struct {
		char key[300];
		unsigned n;
	} asked[MOCK_ZONE_QUESTIONS];
	size_t nasked;
};

/* A resolver (5 s deadline) whose queries m answers from rrs[0..n-1].
 * m is reset. Caller frees with resolver_free(). */
struct resolver *mock_zone_resolver(struct mock_zone *m, const char *const *rrs, size_t n);

/* How often name ("example.com.", any case) was asked with type. */
unsigned mock_zone_asked(const struct mock_zone *m, const char *name, int type);

#endif
