/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resolver's test seam: a function that stands in for the network.
 * It gets each query in wire form and writes a reply into reply (returns
 * its length, 0 for "no reply", or -1 for "connection refused"), once per
 * try; via_tcp tells UDP from TCP. Mocks go here, below the resolver, so
 * everything above it runs as in production. Its own header so that the
 * transport (common/dns_io.c) need not include the resolver's.
 */
#ifndef MAILDNS_DNS_SEAM_H
#define MAILDNS_DNS_SEAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef long (*resolver_transport_fn)(void *ctx, const uint8_t *query, size_t qlen, bool via_tcp,
				      uint8_t *reply, size_t replymax);

#endif
