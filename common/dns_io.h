/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resolver's transport (internal to common/resolver.c; no ldns here).
 *
 * Sends a wave of wire-form queries on connected non-blocking UDP sockets
 * (TCP when asked or after TC=1), all before waiting on any reply, and
 * collects them in one poll() loop under one absolute deadline
 * (doc/hostile-inputs.md rules 1, 2, 8). A reply is handed back only when it
 * came from the socket of a try and its ID, QR, opcode and question match
 * the query; everything else is counted and ignored.
 */
#ifndef MAILDNS_DNS_IO_H
#define MAILDNS_DNS_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

#include "bounds.h"
#include "clock.h"
#include "dname.h"
#include "dns_seam.h"
#include "dns_servers.h"
#include "dns_type.h"

/* Why replies were ignored, for the final "no matching reply (...)". */
enum dns_ignore {
	IGN_ID,
	IGN_NOT_RESPONSE,
	IGN_OPCODE,
	IGN_QUESTION,
	IGN_SHORT,
	IGN_ICMP,
	IGN_NMAX
};

/*
 * Why a server was left for the next one while other servers remained
 * (glibc, unbound and drill do the same): values 1..15 are the rcode it
 * answered (SERVFAIL 2, NOTIMP 4, REFUSED 5); the others are ours.
 */
enum dns_skip {
	SKIP_TCP_MISMATCH = 16, /* a TCP reply that was not for our query */
	SKIP_TCP_FAILED,        /* TCP connect, reset or close */
};

enum dns_io_result {
	IO_PENDING,   /* not finished yet (internal) */
	IO_REPLY,     /* reply holds a matching message */
	IO_TIMEOUT,   /* nothing matching before the deadline */
	IO_NETERR,    /* refused, reset, closed; detail says which */
	IO_MALFORMED, /* a message too short or cut to be matched */
};

struct dns_io_try;

/* One question on the wire: filled by the caller, then by dns_io_wave(). */
struct dns_io_query {
	/* in */
	uint8_t *wire; /* query message, ID patched per try */
	size_t wirelen;
	const struct dname *qname;
	uint16_t qtype;
	const struct dns_server *only; /* NULL: io->servers in turn; else
					  this server alone (direct query) */
	/* out */
	enum dns_io_result result;
	uint8_t *reply; /* malloc'd, owner: caller (free()) */
	size_t replylen;
	bool via_tcp;
	size_t server; /* index of the server of the last try */
	double started, finished;
	unsigned sent; /* queries written for it */
	unsigned ignored[IGN_NMAX];
	/* servers left for the next one, in order: index and enum dns_skip
	 * (or rcode); the answer, if any, came from q->server */
	uint8_t skip_srv[LIMIT_SERVERS], skip_why[LIMIT_SERVERS];
	size_t nskipped;
	char detail[128];
	/* private to dns_io.c */
	struct dns_io_try *io;
};

struct dns_io {
	const struct dns_server *servers;
	size_t nservers;
	bool tcp_only;
	double deadline;
	resolver_transport_fn fn; /* test seam; NULL: the network */
	void *fnctx;
	FILE *trace;    /* NULL: no trace */
	unsigned *sent; /* running count of queries sent */
	uint8_t *rbuf;  /* LIMIT_DNS_MESSAGE + 1 bytes */
	/* random ID pool */
	uint8_t rnd[64];
	size_t rndpos;
};

/* Send every query of qs (n <= LIMIT_BATCH), then wait for all of them
 * until each has a result or io->deadline passes. */
void dns_io_wave(struct dns_io *io, struct dns_io_query *qs, size_t n);

/* Text of an ignore reason: "ID mismatch". */
const char *dns_ignore_str(enum dns_ignore why);

/* Text of a skip reason (enum dns_skip or an rcode): "REFUSED". */
const char *dns_skip_str(unsigned why);

#endif
