/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One HTTPS GET with libcurl, for the MTA-STS policy (RFC 8461 3.3) and
 * the BIMI SVG and certificate: the facts of the reply, or why there is
 * none, never a state (the plugin decides; HACKING.md 1).
 *
 * What the fetch holds to (doc/hostile-inputs.md 4.8, H-01..H-08):
 *
 * - Only the addresses the caller resolved with common/resolver.c are
 *   contacted: they are pinned for the URL's host with CURLOPT_RESOLVE,
 *   and a socket to any other address is refused in the open-socket
 *   callback, so -s, --all-ns and -4/-6 hold and there is no second DNS
 *   path. No proxy, whatever the environment says.
 * - Internal addresses (addr_class_is_internal()) are dropped unless
 *   allow_internal (H-07); they are listed in the result.
 * - https only, redirects never followed: a 3xx is HTTPS_E_REDIRECT with
 *   the status and the Location header (H-01).
 * - The certificate is verified for the URL's host against the system
 *   store or ca_file, with the SMTP name rules: subjectAltName only,
 *   never the subject CN, no partial wildcards (H-04). libcurl's own
 *   name check falls back to the CN when the certificate has no DNS
 *   subjectAltName, so OpenSSL is also given the host and the flags of
 *   SMTP_HOST_FLAGS for its chain verification, which then fails first.
 * - The body is capped at max_body bytes: over it the fetch stops and is
 *   HTTPS_E_TOO_BIG, whether the server announced the length or not
 *   (H-02).
 * - Everything ends by the deadline (H-03): the transfer's timeout is
 *   what is left, and a progress callback checks the clock.
 * - No Accept-Encoding is sent; a Content-Encoding sent anyway is
 *   HTTPS_E_ENCODED (the body would be compressed bytes, H-08).
 *   HTTP/1.0 without a length, HTTP/1.1 and HTTP/2 are read alike.
 *
 * The process calls https_global_init() once before the first fetch and
 * https_global_cleanup() once at the end (libcurl's global state and the
 * OpenSSL index the name check uses).
 *
 * In a plugin (tests/tools/httpsget.c does the same):
 *
 *	questions mta-sts.DOMAIN/A and /AAAA in one resolver_query_batch();
 *	a DNS error goes to plugin_dns_error(), as for any record;
 *	n = ipaddr_from_answer() of each (only A with -4, AAAA with -6);
 *	struct https_request rq = { .url = url, .addrs = a, .naddrs = n,
 *		.allow_internal = co.allow_internal, .max_body = LIMIT_...,
 *		.deadline = the resolver's deadline, .ca_file = ... };
 *	if (!https_fetch(&rq, &r)) -> a finding with r.detail (already
 *		escaped; give it as "%s"), its state chosen from r.error;
 *		r.nskipped > 0 -> the WARNING "not contacted" of the contract;
 *	else parse r.body, r.body_len; https_result_clear(&r).
 */
#ifndef MAILDNS_HTTPS_FETCH_H
#define MAILDNS_HTTPS_FETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addrclass.h"
#include "bounds.h"

/* Why a fetch gave no usable body. */
enum https_error {
	HTTPS_OK,           /* status 200, body complete */
	HTTPS_E_URL,        /* the URL could not be used: unparsable,
			       no host, an IP-address host, user info,
			       longer than LIMIT_HTTPS_URL (our input) */
	HTTPS_E_NOT_HTTPS,  /* a scheme other than https */
	HTTPS_E_NO_ADDRESS, /* DNS gave no address to try */
	HTTPS_E_INTERNAL,   /* every address given is internal and
			       allow_internal is off: nothing contacted */
	HTTPS_E_CONNECT,    /* no address accepted a connection */
	HTTPS_E_TLS,        /* handshake or certificate: detail has the
			       reason (verify_reason for a certificate) */
	HTTPS_E_TIMEOUT,    /* the deadline came first */
	HTTPS_E_TOO_BIG,    /* the body is over max_body bytes */
	HTTPS_E_REDIRECT,   /* a 3xx: status and location */
	HTTPS_E_STATUS,     /* any other status than 200 and 3xx */
	HTTPS_E_ENCODED,    /* a Content-Encoding was sent (not asked
			       for): content_encoding */
	HTTPS_E_PROTOCOL,   /* the reply broke HTTP: cut short, a bad
			       header, a reset (detail) */
	HTTPS_E_LOCAL,      /* out of memory, libcurl refused an option:
			       our side, not the server */
};

struct https_request {
	const char *url;            /* "https://mta-sts.example.com/.well-known/
				       mta-sts.txt" (borrowed) */
	const struct ipaddr *addrs; /* the host's addresses from our
				   resolver, in the order to try */
	size_t naddrs;
	bool allow_internal;    /* --allow-internal */
	size_t max_body;        /* body bytes accepted, > 0 */
	double deadline;        /* absolute, clock_monotonic_now() seconds */
	const char *ca_file;    /* PEM trust anchors; NULL: the system store */
	const char *user_agent; /* NULL: "maildns-plugins/VERSION" */
};

/* Texts from the network, escaped as the renderer does (out_bytes()). */
#define HTTPS_TEXT_SHOWN 256

struct https_result {
	enum https_error error;
	char detail[512];                    /* why, for every error but HTTPS_OK: names
						the host, the address and what came;
						escaped */
	long status;                         /* HTTP status; 0: none received */
	int http_version;                    /* 10, 11, 20; 0: no reply */
	char content_type[HTTPS_TEXT_SHOWN]; /* escaped; "" when absent */
	bool has_content_type;
	char location[HTTPS_TEXT_SHOWN]; /* a 3xx's Location, escaped */
	bool has_location;
	char content_encoding[64]; /* escaped; "" when absent */
	char verify_reason[160];   /* HTTPS_E_TLS from the certificate: why
				     ("certificate has expired", "hostname
				     mismatch: ..."); "" otherwise */
	/* The body: malloc'd, owned by the caller (https_result_clear());
	 * body_len bytes that may hold NUL, with one more NUL after them.
	 * NULL unless HTTPS_OK. */
	unsigned char *body;
	size_t body_len;
	size_t body_received;        /* body bytes that came, also on failure */
	size_t header_bytes;         /* header bytes that came */
	double elapsed;              /* s from the start to the end of the fetch */
	char address[ADDR_TEXT_MAX]; /* the address the reply came from (the
				   last tried on failure); "" if none */
	/* Addresses left out because they are internal (H-07). */
	struct ipaddr skipped[LIMIT_HTTPS_ADDRS];
	size_t nskipped;
};

/*
 * Set up libcurl for the process. Call once before any fetch, before any
 * thread starts; false (with the reason in err) when it fails.
 */
bool https_global_init(char *err, size_t errlen);
/* Undo https_global_init(); call once at the end (atexit is fine). */
void https_global_cleanup(void);

/*
 * Fetch req->url. out is written whole; free what it owns with
 * https_result_clear(). Returns true for HTTPS_OK. Uses at most
 * LIMIT_HTTPS_ADDRS of the addresses.
 */
bool https_fetch(const struct https_request *req, struct https_result *out);

/* Free the body; r may be NULL. */
void https_result_clear(struct https_result *r);

/* "ok", "bad URL", "not https", "no address", "internal address",
 * "connect", "TLS", "timeout", "too big", "redirect", "HTTP status",
 * "content encoding", "protocol", "local". */
const char *https_error_str(enum https_error e);

#endif
