/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resolver: the only code that sends DNS queries and the only file
 * that includes <ldns/ldns.h>.
 *
 * ldns builds and parses the wire format; the transport is our own
 * (doc/hostile-inputs.md rules 1, 2, 8): connected sockets, replies accepted
 * only when ID, QR, opcode and question match the query, TC answers never
 * used but retried over TCP, one deadline shared by every query of the run.
 *
 * Answers are cached per (name, type) for the life of the resolver, so a
 * question is never sent twice; every answer returned is owned by the
 * resolver and stays valid until resolver_free().
 */
#ifndef MAILDNS_RESOLVER_H
#define MAILDNS_RESOLVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bounds.h"
#include "clock.h"
#include "dname.h"
#include "dns_seam.h"
#include "dns_type.h"

enum res_status {
	RES_OK,       /* answer with at least one RR of the type asked */
	RES_NODATA,   /* NOERROR, name exists, no RR of that type */
	RES_NXDOMAIN, /* name does not exist */
	RES_SERVFAIL,
	RES_REFUSED,
	RES_RCODE,      /* any other error rcode (FORMERR, NOTIMP, 11..15) */
	RES_TIMEOUT,    /* no matching reply before the deadline */
	RES_MALFORMED,  /* reply could not be parsed, or broke a limit */
	RES_NETERR,     /* socket error, connection refused or reset */
	RES_CNAME_LOOP, /* the CNAME chain came back to a name on it */
	RES_CNAME_LONG, /* more than LIMIT_CNAME_HOPS CNAMEs */
	RES_INSECURE,   /* --dnssec: a proven unsigned zone (detail) */
	RES_BOGUS,      /* --dnssec: the DNSSEC chain fails (detail) */
};

/* True for the three answers that say something about the record
 * (OK, NODATA, NXDOMAIN); false for every failure to ask. */
bool res_status_is_answer(enum res_status st);

/* "SERVFAIL", "timeout", "malformed reply", ... */
const char *res_status_str(enum res_status st);

struct dns_rr {
	uint16_t type;
	uint16_t rrclass;
	uint32_t ttl;
	struct dname owner;
	const uint8_t *rdata; /* uncompressed rdata, for comparing answers */
	size_t rdlen;
	union {
		struct {
			uint16_t pref;
			struct dname host;
		} mx;
		uint8_t addr[16]; /* A: first 4 bytes; AAAA: 16 */
		struct {
			const uint8_t *data; /* strings joined, no separator */
			size_t len;          /* may contain NUL and any byte */
			size_t nstrings;     /* 0 for an empty RDATA */
		} txt;                       /* TXT and SPF (type 99) */
		struct dname target;         /* CNAME, PTR, NS */
		struct {
			struct dname mname;
			uint32_t serial;
		} soa;
		struct {
			uint8_t usage, selector, mtype;
			const uint8_t *data;
			size_t len;
		} tlsa;
	} u;
};

struct dns_answer {
	enum res_status status;
	struct dname qname; /* as asked */
	uint16_t qtype;
	int rcode;    /* of the last reply used, -1 if none */
	bool aa, ad;  /* flags of the last reply used */
	bool via_tcp; /* the answer came over TCP (TC or --tcp) */
	/* RRs of qtype owned by qname or by the end of the CNAME chain;
	 * RRs of other types or owners are not here (N-RR-01, N-RR-02). */
	size_t nrr;
	const struct dns_rr *rr;
	/* CNAME targets followed from qname, in order (empty if none). */
	size_t ncname;
	const struct dname *cname;
	char server[64];  /* "127.0.0.1#5300" that gave the answer or
			     was last tried */
	double elapsed;   /* seconds from first send to answer */
	size_t msg_size;  /* bytes of the reply used */
	char detail[128]; /* for failures: "ID mismatch", "connection
			     refused", "TC and TCP failed: ...", ... */
	char skipped[96]; /* servers that failed this question and were
			     left for the next one: "192.0.2.1#53
			     REFUSED, ..."; empty if none */
	unsigned queries; /* wire queries this answer cost */
	/* With --dnssec (our own validation): secure, or else the status
	 * is RES_INSECURE or RES_BOGUS with the reason in detail. */
	bool validated;       /* the validator judged this answer */
	bool secure;          /* ... and found it secure */
	struct dname signer;  /* secure: the zone whose keys signed it */
	int64_t rrsig_expire; /* secure: earliest expiration (epoch s) of
				 the signatures relied on */
};

struct resolver_config {
	const char *servers[LIMIT_SERVERS]; /* numeric addresses; if none:
					       nameservers of /etc/resolv.conf */
	size_t nservers;
	uint16_t port; /* 0: 53 */
	int family;    /* 0: any, 4 or 6 only */
	bool tcp_only;
	bool dnssec;              /* set DO and validate every answer
				     (common/dnssec.h); AD is not consulted */
	const char *trust_anchor; /* its anchor file; NULL: the default,
				     DNSSEC_DEFAULT_ANCHOR */
	bool no_recursion;        /* RD=0, for asking authoritative servers */
	double deadline;          /* absolute, in clock_monotonic_now() seconds:
				     every query ends by then */
	int verbose;              /* >= 3: trace each query and reply */
	FILE *trace;              /* where traces go; NULL: stderr */
	const char *resolv_conf;  /* NULL: /etc/resolv.conf (tests override) */
	unsigned max_queries;     /* queries the run may send; 0: LIMIT_QUERIES.
				     Past it a question is not sent and is
				     answered RES_NETERR with detail "not
				     sent: query limit reached ..." and
				     queries 0 */
};

struct resolver;

/*
 * New resolver. NULL on failure, with the reason in err ("no nameserver
 * in /etc/resolv.conf", "invalid server address: x"). Caller frees with
 * resolver_free().
 */
struct resolver *resolver_new(const struct resolver_config *cfg, char *err, size_t errlen);
void resolver_free(struct resolver *res);

/*
 * Ask one question (answered from the cache when asked before). CNAMEs
 * are followed across queries up to LIMIT_CNAME_HOPS. Never returns NULL.
 */
const struct dns_answer *resolver_query(struct resolver *res, const struct dname *name,
					uint16_t type);

struct dns_question {
	struct dname name;
	uint16_t type;
};

/*
 * Ask n questions at once: all are sent before any reply is awaited, and
 * all are collected under the one deadline. out[i] answers q[i].
 * Duplicate and cached questions cost nothing.
 */
void resolver_query_batch(struct resolver *res, const struct dns_question *q, size_t n,
			  const struct dns_answer **out);

/*
 * The questions callers asked with resolver_query() and
 * resolver_query_batch(), in the order first asked (each once; not the
 * CNAME targets followed for them, which are in each answer's cname
 * list; not direct questions). Fills out[0..max-1] (out may be NULL
 * when max is 0) and returns how many there are: "every record a check
 * relies on" for --all-ns.
 */
size_t resolver_questions(const struct resolver *res, struct dns_question *out, size_t max);

/* A question for one server, named by its numeric address. */
struct dns_direct_question {
	struct dname name;
	uint16_t type;
	const char *server; /* "192.0.2.53", "2001:db8::53"; the port is
			       the resolver's (-p) */
};

/*
 * Ask each q[i] at q[i].server alone, without recursion (RD=0), to see
 * what each authoritative server of a zone serves. All are sent in one
 * wave under the resolver's deadline, like resolver_query_batch(). A
 * reply is used as it is: CNAMEs inside it are followed, never into
 * another query (the rest of the chain is another zone's, or the same
 * server's to give); the answer's aa says whether the server answered
 * authoritatively; --dnssec is not applied (authoritative servers set no
 * AD). Cached per (server, name, type), apart from resolver_query()'s
 * answers. At most LIMIT_PROP_SERVERS distinct servers per resolver; a
 * question for one more, or for an address that is not numeric or not of
 * the -4/-6 family, is answered RES_NETERR with the reason in detail.
 * out[i] answers q[i] and is owned by the resolver.
 */
void resolver_query_direct(struct resolver *res, const struct dns_direct_question *q, size_t n,
			   const struct dns_answer **out);

/*
 * The resolver's servers that failed questions of this run and were left
 * for the next server (REFUSED, SERVFAIL, NOTIMP, a broken TCP reply):
 * the i-th such server as "192.0.2.1#53 answered REFUSED to 2 questions"
 * into buf; false when there is no i-th.
 */
bool resolver_failover_note(const struct resolver *res, size_t i, char *buf, size_t len);

/*
 * With --dnssec, the i-th secure answer of the run in the order asked:
 * "sec.example/MX secure (zone sec.example)" into buf; false when there
 * is no i-th.
 */
bool resolver_dnssec_note(const struct resolver *res, size_t i, char *buf, size_t len);

/* With --dnssec: why the trust anchor does not apply ("trust anchor
 * FILE: the trust anchor is for X, not above Y"), or NULL. The run's
 * configuration is wrong: UNKNOWN (D-06). */
const char *resolver_anchor_problem(const struct resolver *res);

/* With --dnssec: the earliest expiration (seconds since the epoch)
 * of the signatures the secure answers so far relied on; 0 if none. */
int64_t resolver_rrsig_expire(const struct resolver *res);

/* Queries put on the wire so far (UDP and TCP tries each count). */
unsigned resolver_queries_sent(const struct resolver *res);
/* Queries the run may still send before max_queries is reached. */
unsigned resolver_queries_left(const struct resolver *res);
/* Batches that waited on the network (a lone query is a batch of one). */
unsigned resolver_round_trips(const struct resolver *res);

/*
 * One line naming the server, question and reason of a failed answer:
 * "DNS timeout for _dmarc.example.com/TXT via 127.0.0.1#53 after 2.0s".
 * Returns buf.
 */
char *answer_describe(const struct dns_answer *ans, char *buf, size_t len);

/* Test seam, for unit tests only: the network replaced by fn (see
 * common/dns_seam.h). */
void resolver_set_transport(struct resolver *res, resolver_transport_fn fn, void *ctx);

#endif
