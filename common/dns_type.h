/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The RR types the plugins ask for, and their names, without ldns: shared
 * by the resolver and its transport (common/dns_io.c), which then need
 * not include each other.
 */
#ifndef MAILDNS_DNS_TYPE_H
#define MAILDNS_DNS_TYPE_H

#include <stddef.h>
#include <stdint.h>

enum dns_type {
	DNS_T_A = 1,
	DNS_T_NS = 2,
	DNS_T_CNAME = 5,
	DNS_T_SOA = 6,
	DNS_T_PTR = 12,
	DNS_T_MX = 15,
	DNS_T_TXT = 16,
	DNS_T_AAAA = 28,
	DNS_T_SPF = 99,
	DNS_T_TLSA = 52,
};

/* "TXT", "MX", or "TYPE65" into buf; returns buf. */
const char *dns_type_str(uint16_t type, char *buf, size_t len);

#endif
