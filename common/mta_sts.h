/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MTA-STS (RFC 8461): the _mta-sts TXT record (3.1), the policy file body
 * (3.2), the Content-Type it is served with (3.3) and MX pattern matching
 * (4.1). Pure functions over (pointer, length) that may hold NUL and any
 * byte: no I/O, no globals (HACKING.md 1). The fetch of the policy over
 * HTTPS is not here.
 *
 * Findings go into a struct finding_list (common/finding.h) with a code
 * of enum mta_sts_code and a default state; the plugin may change the
 * state. Every text from the record or the body is escaped (out_bytes())
 * and cut before it goes into a finding. Default states:
 *   CRITICAL  senders apply no policy, or not the one meant: a record or
 *             id outside the grammar, two records, a missing or invalid
 *             version, mode or max_age, no mx in testing/enforce mode,
 *             an mx pattern that matches nothing, a Content-Type other
 *             than text/plain;
 *   WARNING   works with lenient senders only, or works badly: spacing
 *             and empty fields outside the grammar, duplicate fields
 *             (the first is used), case-variants of field names, bare
 *             CR, control bytes, invalid UTF-8, max_age under a day,
 *             patterns that are odd (an IP address, a trailing dot), a
 *             body or line over the limits of common/bounds.h;
 *   OK        notes: unknown extension fields, the line ends used.
 */
#ifndef MAILDNS_MTA_STS_H
#define MAILDNS_MTA_STS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dname.h"
#include "finding.h"

struct dns_rr;

enum mta_sts_code {
	/* TXT record (RFC 8461 3.1) */
	MTA_STS_REC_MULTIPLE = 1, /* more than one v=STSv1 record (P-01) */
	MTA_STS_REC_NEAR_MISS,    /* "V=STSv1", " v=STSv1", "v=STSv10": not
				     a record to senders */
	MTA_STS_REC_NOT_RECORD,   /* does not begin with v=STSv1 */
	MTA_STS_REC_SYNTAX,       /* outside the 3.1 grammar: CRITICAL */
	MTA_STS_REC_SPACING,      /* grammar-adjacent: trailing WSP, ";;",
				     "v=STSv1 ;": WARNING */
	MTA_STS_REC_ID_MISSING,   /* no id= */
	MTA_STS_REC_ID_INVALID,   /* id= not 1-32 ALPHA/DIGIT (P-01) */
	MTA_STS_REC_DUPLICATE,    /* a field twice: the first is used */
	MTA_STS_REC_FIELD_CASE,   /* "ID=": not id= to senders */
	MTA_STS_REC_EXTENSION,    /* extension fields (OK note, -v) */

	/* policy body (RFC 8461 3.2) */
	MTA_STS_POL_TOO_LONG = 32, /* over LIMIT_MTA_STS_POLICY_BYTES (H-06) */
	MTA_STS_POL_LINE_LONG,     /* a line over LIMIT_MTA_STS_LINE (H-06) */
	MTA_STS_POL_LINE_SYNTAX,   /* not "key: value", a blank line */
	MTA_STS_POL_BARE_CR,       /* CR without LF (H-06) */
	MTA_STS_POL_CONTROL,       /* NUL or another control byte (H-06) */
	MTA_STS_POL_UTF8,          /* bytes that are not UTF-8 (H-06) */
	MTA_STS_POL_BOM,           /* a UTF-8 byte order mark first */
	MTA_STS_POL_EOL,           /* the line ends used (OK note) */
	MTA_STS_POL_MISSING,       /* version, mode or max_age missing */
	MTA_STS_POL_VERSION,       /* version not STSv1 */
	MTA_STS_POL_MODE,          /* mode not enforce/testing/none */
	MTA_STS_POL_MAX_AGE,       /* max_age invalid or over a year (P-03) */
	MTA_STS_POL_MAX_AGE_SHORT, /* max_age under a day (P-03) */
	MTA_STS_POL_MX_MISSING,    /* no mx in testing or enforce mode */
	MTA_STS_POL_MX_INVALID,    /* a pattern that matches nothing (P-02) */
	MTA_STS_POL_MX_ODD,        /* an IP address, a trailing dot (P-02) */
	MTA_STS_POL_MX_DUPLICATE,  /* the same pattern twice (OK note) */
	MTA_STS_POL_MX_TOO_MANY,   /* over LIMIT_MTA_STS_MX (H-06) */
	MTA_STS_POL_DUPLICATE,     /* version/mode/max_age twice */
	MTA_STS_POL_FIELD_CASE,    /* "Mode:", "max-age:": a known field
				      misspelt, ignored by senders */
	MTA_STS_POL_UNKNOWN,       /* extension fields, ignored (OK note) */
	MTA_STS_POL_MORE,          /* line problems past
				      LIMIT_MTA_STS_LINE_FINDINGS, counted;
				      its state is the worst of those */

	/* Content-Type of the policy (RFC 8461 3.3, H-05) */
	MTA_STS_CT_MISSING = 64,
	MTA_STS_CT_NOT_TEXT_PLAIN,
	MTA_STS_CT_CHARSET, /* a charset other than utf-8/us-ascii */

	MTA_STS_NOMEM = 96, /* out of memory */
};

/* The state each code has by default, with the rule it follows
 * (common/mta_sts.c); the findings carry it already. The "more not
 * listed" findings (MTA_STS_POL_MORE, and MTA_STS_REC_SYNTAX's) carry
 * the worst state of those they count instead. */
enum state mta_sts_default_state(int code);

/* ------------------------------------------------------------ TXT record */

/*
 * The TXT record's first bytes make it an MTA-STS record for senders:
 * "v=STSv1" then ";", WSP or the end (RFC 8461 3.1; the literal is
 * case-sensitive, %s). "V=STSv1", " v=STSv1" and "v=STSv10" are not.
 */
bool mta_sts_is_record(const char *rec, size_t len);

/*
 * Choose the MTA-STS record among the TXT RRs of one answer (each RR's
 * strings already joined: u.txt.data/len; RRs of another type are
 * skipped). Returns how many RRs are MTA-STS records
 * (mta_sts_is_record()); *chosen is the one when that is 1, else NULL.
 * Adds to fl: MTA_STS_REC_MULTIPLE (CRITICAL, P-01: senders then apply
 * no policy, RFC 8461 3.1) when more than one; MTA_STS_REC_NEAR_MISS
 * (WARNING) for each TXT that looks like a misspelt record (at most 4).
 * None at all adds nothing: the caller decides what a missing record
 * means.
 */
size_t mta_sts_record_select(const struct dns_rr *rr, size_t nrr, struct finding_list *fl,
			     const struct dns_rr **chosen);

#define MTA_STS_ID_MAX 32 /* RFC 8461 3.1: sts-id = 1*32(ALPHA / DIGIT) */

struct mta_sts_record {
	bool is_sts;                 /* begins with v=STSv1 (else nothing else
					is set but one finding) */
	bool valid;                  /* is_sts, a valid id, no CRITICAL finding */
	bool has_id;                 /* id= present (valid or not) */
	char id[MTA_STS_ID_MAX + 1]; /* valid id (ALPHA/DIGIT only, so safe
				    to print); "" otherwise */
	size_t nfields;              /* fields after v=, all */
	size_t nextensions;          /* fields other than v= and id= */
	struct finding_list findings;
};

/*
 * Parse one record (the joined strings of one TXT RR). Never NULL but on
 * out of memory. Caller frees with mta_sts_record_free().
 */
struct mta_sts_record *mta_sts_record_parse(const char *rec, size_t len);
void mta_sts_record_free(struct mta_sts_record *r);

/* ----------------------------------------------------------- policy body */

enum mta_sts_mode {
	MTA_STS_MODE_UNSET = 0, /* no valid mode field */
	MTA_STS_MODE_NONE,
	MTA_STS_MODE_TESTING,
	MTA_STS_MODE_ENFORCE,
};

enum mta_sts_eol {
	MTA_STS_EOL_NONE = 0, /* one line without a terminator, or empty */
	MTA_STS_EOL_CRLF,     /* every line ends in CRLF (RFC 8461 3.2 text) */
	MTA_STS_EOL_LF,       /* every line ends in LF (the grammar allows) */
	MTA_STS_EOL_MIXED,    /* some of each */
};

enum mta_sts_mx_kind {
	MTA_STS_MX_EXACT,    /* a host name: equal, case-insensitive */
	MTA_STS_MX_WILDCARD, /* "*." and a host name: one more leftmost label */
	MTA_STS_MX_INVALID,  /* matches nothing (RFC 8461 4.1): "*.*.x",
				"*x.com", "", bytes outside host names */
};

#define MTA_STS_MX_TEXT 96 /* bytes of a pattern kept for messages */

struct mta_sts_mx {
	enum mta_sts_mx_kind kind;
	bool trailing_dot;          /* "mail.example.com.": outside 3.2's grammar,
				       ignored when matching */
	bool ip_address;            /* an IPv4 address: a host name to the
				       grammar, never an MX name */
	struct dname name;          /* EXACT: the host; WILDCARD: what follows
				       "*."; lower case; root when INVALID */
	size_t line;                /* 1-based line of the body */
	char text[MTA_STS_MX_TEXT]; /* the pattern, escaped and cut */
};

struct mta_sts_policy {
	bool valid;                              /* version, mode, max_age valid, mx where
						    needed, no CRITICAL finding */
	bool has_version, has_mode, has_max_age; /* valid value seen */
	enum mta_sts_mode mode;
	uint32_t max_age;      /* seconds, 0..31557600 when has_max_age */
	size_t nmx;            /* patterns kept in mx[] (<= LIMIT_MTA_STS_MX) */
	size_t mx_lines;       /* mx lines in the body, all of them */
	struct mta_sts_mx *mx; /* heap, owned by the policy; in body order */
	enum mta_sts_eol eol;
	size_t crlf, lf;     /* lines ended by CRLF, by LF */
	size_t nlines;       /* lines parsed */
	size_t parsed_bytes; /* bytes of the body parsed (<= the limit) */
	struct finding_list findings;
};

/*
 * Parse and judge a policy body (RFC 8461 3.2): the bytes as received,
 * NUL and any byte allowed. At most LIMIT_MTA_STS_POLICY_BYTES are
 * parsed, and at most LIMIT_MTA_STS_MX patterns kept; the rest named.
 * Never NULL but on out of memory. Caller frees with
 * mta_sts_policy_free().
 */
struct mta_sts_policy *mta_sts_policy_parse(const char *body, size_t len);
void mta_sts_policy_free(struct mta_sts_policy *p);

/* "none", "testing", "enforce"; "unset". */
const char *mta_sts_mode_str(enum mta_sts_mode m);

/* "CRLF", "LF", "mixed CRLF and LF", "none". */
const char *mta_sts_eol_str(enum mta_sts_eol e);

/*
 * The Content-Type header value the policy came with (RFC 8461 3.3,
 * H-05): NULL for a reply without one. Adds MTA_STS_CT_MISSING or
 * MTA_STS_CT_NOT_TEXT_PLAIN (CRITICAL: senders that validate the media
 * type, as 3.3 says they SHOULD, refuse the policy), or
 * MTA_STS_CT_CHARSET (WARNING: the body is read as UTF-8 whatever the
 * charset). Returns true when the media type is text/plain.
 */
bool mta_sts_content_type(const char *ct, size_t len, struct finding_list *fl);

/* ------------------------------------------------------------ MX matching */

/*
 * Does an MX host match one mx pattern (RFC 8461 4.1: RFC 6125 rules,
 * the "*" only as the whole leftmost label)? pattern and host are text
 * of plen and hlen bytes (no NUL needed); letters compare
 * case-insensitively, one trailing dot on either is ignored. "*.x.com"
 * matches "a.x.com" but neither "x.com" nor "a.b.x.com"; an invalid
 * pattern (mta_sts_mx_kind INVALID) or host matches nothing.
 */
bool mta_sts_mx_match(const char *pattern, size_t plen, const char *host, size_t hlen);

/*
 * The first pattern of a parsed policy that the MX host matches, or NULL:
 * what the plugin asks for each MX record's exchange name.
 */
const struct mta_sts_mx *mta_sts_policy_match(const struct mta_sts_policy *p,
					      const struct dname *host);

/*
 * A policy body that the MX hosts hosts[0..n-1] match, for a fix
 * suggestion: "version: STSv1", "mode: MODE", one "mx: HOST" per distinct
 * host (lower case, no trailing dot), "max_age: MAX_AGE", CRLF line ends
 * (RFC 8461 3.2). max_age 0 means 604800 (a week); mode UNSET means
 * testing. Returns a heap string (caller frees) or NULL on out of memory
 * or when a host's name is not a valid host name (it is a fix line: it
 * must not carry bytes a policy cannot).
 */
char *mta_sts_policy_build(const struct dname *hosts, size_t n, enum mta_sts_mode mode,
			   uint32_t max_age);

#endif
