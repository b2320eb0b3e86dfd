/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Decoding one RR's RDATA into struct dns_rr (internal to the resolver).
 */
#ifndef MAILDNS_DNS_RDATA_H
#define MAILDNS_DNS_RDATA_H

#include <stdbool.h>
#include <stdint.h>

#include "resolver.h"

/*
 * Fills r->u from r->rdata/r->rdlen by r->type (A, AAAA, MX, CNAME, PTR,
 * NS, SOA, TXT, SPF, TLSA; other types are left alone). TXT and SPF
 * strings are joined into txtbuf, which must hold r->rdlen bytes (NULL
 * for other types); r->u points into r->rdata and txtbuf. False, with a
 * reason in *why, when the RDATA does not fit its type.
 */
bool dns_rdata_decode(struct dns_rr *r, uint8_t *txtbuf, const char **why);

#endif
