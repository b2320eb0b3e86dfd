/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * IP addresses as they come out of A/AAAA rdata: what range they are in,
 * their text form, their reverse (PTR) name, and whether a host name is
 * really an address written as a name (an MX target of "192.0.2.1").
 *
 * Addresses are raw network-order bytes: 4 for IPv4, 16 for IPv6.
 * Nothing here allocates, prints or exits.
 */
#ifndef MAILDNS_ADDRCLASS_H
#define MAILDNS_ADDRCLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dname.h"
#include "resolver.h"

/* An address from A (len 4) or AAAA (len 16) rdata. */
struct ipaddr {
	uint8_t b[16];
	size_t len;
};

enum addr_class {
	ADDR_GLOBAL,        /* none of the below */
	ADDR_DOCUMENTATION, /* 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737),
			       2001:db8::/32 (RFC 3849): the guides use them */
	ADDR_UNSPECIFIED,   /* 0.0.0.0/8 (RFC 1122 3.2.1.3), :: */
	ADDR_LOOPBACK,      /* 127/8, ::1 */
	ADDR_PRIVATE,       /* 10/8, 172.16/12, 192.168/16 (RFC 1918) */
	ADDR_LINKLOCAL,     /* 169.254/16 (RFC 3927), fe80::/10 (RFC 4291) */
	ADDR_ULA,           /* fc00::/7 (RFC 4193) */
	ADDR_SHARED,        /* 100.64/10, carrier-grade NAT (RFC 6598) */
	ADDR_MULTICAST,     /* 224/4 (RFC 5771), ff00::/8 (RFC 4291 2.7) */
	ADDR_RESERVED,      /* 240/4 incl. 255.255.255.255 (RFC 1112 4) */
};

/* Longest text from addr_to_text(), NUL included (INET6_ADDRSTRLEN). */
#define ADDR_TEXT_MAX 46

/*
 * Class of an address of alen bytes (4 or 16; anything else is
 * ADDR_GLOBAL). An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is classed
 * by its IPv4 part.
 */
enum addr_class addr_classify(const uint8_t *addr, size_t alen);

/* "loopback", "private (RFC 1918)", ...; "global" for ADDR_GLOBAL. */
const char *addr_class_str(enum addr_class cls);

/* True for the classes that should never be an Internet-facing mail
 * server's address, nor a policy server's: unspecified, loopback,
 * private, link-local, ULA, shared (CGNAT: reachable only inside one
 * provider's network), multicast and reserved (never a unicast host). */
bool addr_class_is_internal(enum addr_class cls);

/* "192.0.2.1" / "2001:db8::1" into buf (ADDR_TEXT_MAX bytes). "?" when
 * alen is neither 4 nor 16. Returns buf. */
char *addr_to_text(const uint8_t *addr, size_t alen, char *buf, size_t buflen);

/*
 * The reverse name of an address, built label by label:
 * 1.2.0.192.in-addr.arpa (RFC 1035 3.5) or the 32 nibbles of
 * ip6.arpa (RFC 3596 2.5). False when alen is neither 4 nor 16.
 */
bool addr_reverse_name(const uint8_t *addr, size_t alen, struct dname *out);

/*
 * True when a host name is an address written as a name: four decimal
 * labels (192.0.2.1), a label starting with '[' or ending with ']'
 * (an address literal of RFC 5321 4.1.3), or a label holding ':'.
 * Such an MX target is never looked up as an address by senders.
 */
bool dname_is_address_literal(const struct dname *name);

/* True for localhost. and every name under it (RFC 6761 6.3), which
 * never leads to another host. */
bool dname_is_localhost(const struct dname *name);

/* Same length and bytes. */
bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b);

/*
 * Append the addresses of answer a (its A or AAAA RRs; other types are
 * skipped) to out, which holds n of at most max. Returns the new count;
 * sets *more when some did not fit.
 */
size_t ipaddr_from_answer(const struct dns_answer *a, struct ipaddr *out, size_t n, size_t max,
			  bool *more);

/* "192.0.2.1, 2001:db8::1" into buf, ending in "..." when cut. Returns
 * buf. */
char *ipaddr_list_text(const struct ipaddr *list, size_t n, char *buf, size_t buflen);

/* Index of the first of n addresses in list equal to a; n if none. */
size_t ipaddr_find(const struct ipaddr *list, size_t n, const struct ipaddr *a);

#endif
