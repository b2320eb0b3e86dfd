/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The servers the resolver asks (internal to the resolver): the -s
 * addresses, or the nameserver lines of resolv.conf, read by us (ldns'
 * parser has no port syntax and its own defaults), filtered by -4/-6.
 */
#ifndef MAILDNS_DNS_SERVERS_H
#define MAILDNS_DNS_SERVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct resolver_config;

struct dns_server {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char name[64]; /* "127.0.0.1#53", "2001:db8::1#53" */
};

/*
 * Fills servers from cfg (or resolv.conf's nameserver lines); false with
 * err on failure. Its options lines are not read: the AD bit that
 * "options trust-ad" is about is never consulted (--dnssec validates in
 * dnssec_*.c).
 */
bool dns_servers_load(const struct resolver_config *cfg, struct dns_server *servers,
		      size_t *nservers, char *err, size_t errlen);

/* One numeric address (port, family 0/4/6 as in the config) into s;
 * false when it is not a numeric address of that family. */
bool dns_server_parse(struct dns_server *s, const char *text, uint16_t port, int family);

#endif
