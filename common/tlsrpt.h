/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SMTP TLS Reporting (RFC 8460 3): the _smtp._tls TXT record, its
 * selection among the TXT RRs of an answer, and its rua= URIs. Pure
 * functions over (pointer, length) that may hold NUL and any byte: no
 * I/O, no globals (HACKING.md 1).
 *
 * Findings go into a struct finding_list (common/finding.h) with a code
 * of enum tlsrpt_code and a default state; the plugin may change it.
 * Record text is escaped (out_bytes()) and cut before it goes into a
 * finding. Default states:
 *   CRITICAL  no reports can be sent: two records, a malformed record,
 *             no rua=, no usable URI;
 *   WARNING   one URI unusable while another works (http:, a mailto:
 *             without a domain, an unknown scheme, '!' or ',' not
 *             encoded), spacing outside the grammar, a duplicate rua=,
 *             more URIs than LIMIT_TLSRPT_URIS (the rest not examined);
 *   OK        notes: extension fields.
 */
#ifndef MAILDNS_TLSRPT_H
#define MAILDNS_TLSRPT_H

#include <stdbool.h>
#include <stddef.h>

#include "dname.h"
#include "finding.h"

struct dns_rr;

enum tlsrpt_code {
	TLSRPT_MULTIPLE = 1,  /* more than one v=TLSRPTv1 record */
	TLSRPT_NEAR_MISS,     /* "V=TLSRPTv1", "v=TLSRPTv2": ignored */
	TLSRPT_NOT_RECORD,    /* does not begin with v=TLSRPTv1 */
	TLSRPT_SYNTAX,        /* outside RFC 8460 3's grammar */
	TLSRPT_SPACING,       /* trailing WSP, ";;", "v=TLSRPTv1 ;" */
	TLSRPT_RUA_MISSING,   /* no rua= */
	TLSRPT_RUA_DUPLICATE, /* rua= twice: the first is used */
	TLSRPT_URI_INVALID,   /* one URI unusable (P-04) */
	TLSRPT_URI_TOO_MANY,  /* over LIMIT_TLSRPT_URIS (P-04) */
	TLSRPT_NO_USABLE_URI, /* rua= without one usable URI */
	TLSRPT_EXTENSION,     /* extension fields (OK note) */
	TLSRPT_NOMEM,         /* out of memory */
};

/* The state each code has by default, with the rule it follows
 * (common/tlsrpt.c); the findings carry it already. */
enum state tlsrpt_default_state(int code);

/*
 * The TXT record's first bytes make it a TLS-RPT record: "v=TLSRPTv1"
 * then ";", WSP or the end (RFC 8460 3; case-sensitive, %s).
 */
bool tlsrpt_is_record(const char *rec, size_t len);

/*
 * Choose the TLS-RPT record among the TXT RRs of one answer (strings
 * joined: u.txt.data/len; other types skipped). Returns how many RRs
 * are TLS-RPT records; *chosen is the one when that is 1, else NULL.
 * Adds TLSRPT_MULTIPLE (CRITICAL: "If the number of resulting records
 * is not one, senders MUST assume the recipient domain does not
 * implement TLSRPT", RFC 8460 3) and TLSRPT_NEAR_MISS (WARNING, at most
 * 4). None adds nothing: the caller decides.
 */
size_t tlsrpt_record_select(const struct dns_rr *rr, size_t nrr, struct finding_list *fl,
			    const struct dns_rr **chosen);

enum tlsrpt_scheme {
	TLSRPT_URI_UNUSABLE = 0, /* see its TLSRPT_URI_INVALID finding */
	TLSRPT_URI_MAILTO,
	TLSRPT_URI_HTTPS,
};

#define TLSRPT_URI_TEXT 160

struct tlsrpt_uri {
	enum tlsrpt_scheme scheme;
	struct dname domain;        /* MAILTO: the address's domain; HTTPS: the
				       host when it is a name; lower case; the
				       root otherwise: what the plugin looks up
				       (MX or address) */
	bool ip_literal;            /* HTTPS: the host is an IP address */
	char text[TLSRPT_URI_TEXT]; /* the URI, escaped and cut */
};

struct tlsrpt_record {
	bool is_tlsrpt; /* begins with v=TLSRPTv1 (else only one
			   finding is set) */
	bool valid;     /* a record with no CRITICAL finding: at
			   least one usable URI */
	bool has_rua;
	size_t count;           /* URIs in rua=, all of them */
	size_t n;               /* URIs examined and kept in uri[]
				   (<= LIMIT_TLSRPT_URIS) */
	size_t nusable;         /* of uri[], scheme != TLSRPT_URI_UNUSABLE */
	struct tlsrpt_uri *uri; /* heap, owned by the record, in order */
	size_t nextensions;
	struct finding_list findings;
};

/*
 * Parse one record (the joined strings of one TXT RR). Never NULL but on
 * out of memory. Caller frees with tlsrpt_record_free().
 */
struct tlsrpt_record *tlsrpt_record_parse(const char *rec, size_t len);
void tlsrpt_record_free(struct tlsrpt_record *r);

/*
 * The distinct domains of the usable mailto: URIs, in order, at most max
 * into out (lower case): the names whose MX the plugin looks up. *more
 * counts the URIs left out for another domain once out is full. Returns
 * the number stored.
 */
size_t tlsrpt_mailto_domains(const struct tlsrpt_record *r, struct dname *out, size_t max,
			     size_t *more);

#endif
