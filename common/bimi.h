/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BIMI assertion records (draft-brand-indicators-for-message-
 * identification, "the draft" below): the TXT record at
 * SELECTOR._bimi.DOMAIN, its selection among the TXT records of an
 * answer (7.2) and its tags (4.3): v=BIMI1 first, l= the https URL of
 * the SVG indicator (empty: a declination to publish, 4.3.1), a= the
 * https URL of the evidence document (a PEM VMC), lps=, avp=, unknown
 * tags ignored.
 *
 * Pure functions over (pointer, length) (HACKING.md 1): no I/O, no
 * globals. Findings go into a struct finding_list (common/finding.h)
 * with the codes of enum bimi_code and the default states given next to
 * each code; every byte from the record in a finding text is escaped
 * (out_bytes()). The plugin decides the final states.
 *
 * For check_bimi, in order:
 *   1. ask TXT at SELECTOR._bimi.DOMAIN (and, when that has no BIMI
 *      record, at SELECTOR._bimi.ORGDOMAIN: draft 7.2 step 6; that
 *      lookup and lps= are the plugin's);
 *   2. bimi_select() over the answer's TXT records (struct dns_rr
 *      u.txt.data/len): the index of the one record, or -1 with
 *      BIMI_F_NONE or BIMI_F_MULTIPLE in the list;
 *   3. bimi_parse() of that record: r->declined (stop: nothing to
 *      fetch), r->l and r->a (when .valid: .host for the A/AAAA lookup,
 *      .port and .path for the request, .text for messages), the
 *      findings to map to states;
 *   4. the fetched SVG to common/svg_tinyps.h, the fetched PEM to
 *      common/bimi_cert.h.
 */
#ifndef MAILDNS_BIMI_H
#define MAILDNS_BIMI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "dname.h"
#include "finding.h"

enum bimi_code {
	BIMI_F_NONE = 300,     /* no TXT record is a BIMI record (7.2
				  step 9): CRITICAL */
	BIMI_F_MULTIPLE,       /* more than one BIMI record (7.2 step 9:
				  receivers do no BIMI): CRITICAL */
	BIMI_F_NEAR_MISS,      /* a TXT record that looks like a misspelt
				  BIMI record ("v=bimi1", " v=BIMI1"):
				  WARNING, one per record, -v not needed */
	BIMI_F_NOT_RECORD,     /* bimi_parse() of bytes without v=BIMI1
				  first (4.3): CRITICAL */
	BIMI_F_SYNTAX,         /* tag-list syntax (RFC 6376 3.2 via 4.3),
				  a duplicate tag, over LIMIT_BIMI_TAGS:
				  CRITICAL */
	BIMI_F_V_CASE,         /* "V=BIMI1": accepted, WARNING */
	BIMI_F_L_MISSING,      /* no l= (REQUIRED, 4.3): CRITICAL */
	BIMI_F_DECLINED,       /* l= and a= empty: a declination to
				  publish (4.3.1; receivers add
				  bimi=declined): WARNING (the plugin may
				  make it OK) */
	BIMI_F_L_EMPTY_WITH_A, /* l= empty but a= given: 7.3 step 1 finds
				  no indicator: WARNING */
	BIMI_F_URL_SCHEME,     /* l=/a= not https: (http:, data:, ...):
				  CRITICAL naming the scheme (P-05) */
	BIMI_F_URL_LONG,       /* over LIMIT_BIMI_URL bytes: CRITICAL
				  naming the length (P-05) */
	BIMI_F_URL_INVALID,    /* not a URI the fetcher can use: a byte
				  outside RFC 3986, a comma (the draft:
				  commas MUST be encoded; earlier drafts
				  allowed a list), userinfo, an IP address
				  or a bad host name instead of an FQDN,
				  a bad port: CRITICAL naming why */
	BIMI_F_URL_FORMAT,     /* l= ends in a raster image suffix (.png,
				  .jpg, ...): 4.3.2 "permanent error":
				  CRITICAL */
	BIMI_F_URL_CASE,       /* "HTTPS://": accepted, WARNING */
	BIMI_F_URL_FRAGMENT,   /* a "#fragment": never sent, WARNING */
	BIMI_F_BAD_VALUE,      /* lps= not true/false, avp= not
				  personal/brand (ignored by receivers, some
				  fail the record): WARNING */
	BIMI_F_UNKNOWN_TAG,    /* ignored (4.3): OK, shown with -v */
	BIMI_F_NO_EVIDENCE,    /* no a= or an empty one: receivers that
				  require a VMC (Gmail, Apple) show no logo:
				  OK note, shown with -v */
};

/* A validated https URL of l= or a=. */
struct bimi_url {
	bool present;                   /* the tag is in the record */
	bool empty;                     /* ... with an empty value */
	bool valid;                     /* https, host, port and path usable: only
					   then are the fields below set */
	char text[LIMIT_BIMI_URL + 1];  /* the URL as published (valid: only
				    printable ASCII of RFC 3986, no escaping
				    needed), NUL-terminated */
	struct dname host;              /* the host, for the caller's A/AAAA
					   lookup (DNAME_HOSTNAME, 2+ labels) */
	char host_text[DNAME_TEXT_MAX]; /* the same as text, lower case */
	uint16_t port;                  /* 443 unless given */
	char path[LIMIT_BIMI_URL + 1];  /* path and query ("/" when none),
				    fragment left out: the request target */
};

struct bimi_record {
	bool is_bimi;  /* v=BIMI1 first (else nothing else set) */
	bool valid;    /* no CRITICAL finding */
	bool declined; /* l= and a= empty (4.3.1) */
	struct bimi_url l, a;
	bool lps;          /* lps=true */
	bool avp_personal; /* avp=personal (default brand) */
	size_t ntags;
	struct finding_list findings; /* in order found; owned */
};

/*
 * Does this TXT record count as a BIMI record (7.2 step 4)? True when
 * the bytes begin with "v" (or "V"), optional WSP, "=", optional WSP,
 * exactly "BIMI1", then optional WSP and ";" or the end.
 */
bool bimi_is_record(const void *rec, size_t len);

/* One TXT record of an answer: the strings joined (struct dns_rr's
 * u.txt.data and len). */
struct bimi_txt {
	const void *data;
	size_t len;
};

/*
 * Select the assertion record among the n TXT records of the answer at
 * SELECTOR._bimi.DOMAIN (7.2 steps 4 and 9). Returns the index of the
 * one BIMI record, or -1 when there is none (BIMI_F_NONE) or more than
 * one (BIMI_F_MULTIPLE, naming how many). Look-alikes get a
 * BIMI_F_NEAR_MISS each. Findings are appended to f. n may be 0.
 */
long bimi_select(const struct bimi_txt *rrs, size_t n, struct finding_list *f);

/*
 * Parse and validate one record. Never NULL but when out of memory.
 * Caller frees with bimi_record_free() (NULL accepted).
 */
struct bimi_record *bimi_parse(const void *rec, size_t len);
void bimi_record_free(struct bimi_record *r);

/*
 * Validate one URL value of len bytes as the draft's bimi-uri (4.3):
 * https only, an FQDN host, a port, an RFC 3986 path. Fills out (out->
 * present and out->empty are the caller's) and appends findings naming
 * tag ("l" or "a"); returns out->valid. Exposed for the plugin's
 * --location/--authority overrides and for the tests.
 */
bool bimi_url_parse(const char *tag, const char *v, size_t len, struct bimi_url *out,
		    struct finding_list *f);

#endif
