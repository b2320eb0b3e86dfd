/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DMARC policy records (RFC 7489 6.3, 6.4; RFC 9989 4.7, which obsoletes
 * it): selection and validation.
 * Pure functions over a length-delimited buffer (NUL and any byte
 * allowed): no I/O, no globals (HACKING.md 1). Tag syntax comes from
 * common/tagvalue.h.
 *
 * Every finding names the tag and its value (escaped, cut), so a user
 * can see what to change. Findings are common/finding.h's, with a code of
 * enum dmarc_code and a default state (doc/output-contract.md 8):
 * STATE_CRITICAL is a broken record, STATE_WARNING a record that works
 * but is weak or written in a way some receivers misread, and a note
 * (verbose 1, STATE_OK) something shown with -v. The plugin may change
 * them before printing.
 */
#ifndef MAILDNS_DMARC_H
#define MAILDNS_DMARC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dname.h"
#include "finding.h"

enum dmarc_policy {
	DMARC_POLICY_NONE = 0, /* perfdata values too */
	DMARC_POLICY_QUARANTINE = 1,
	DMARC_POLICY_REJECT = 2,
};

enum dmarc_code {
	DMARC_NOT_RECORD,       /* v=DMARC1 is not the first tag (M-04) */
	DMARC_SYNTAX,           /* tag-list syntax (RFC 6376 3.2 via 7489 6.4) */
	DMARC_DUPLICATE,        /* a tag twice (M-03) */
	DMARC_TOO_MANY_TAGS,    /* over LIMIT_DMARC_TAGS (M-02) */
	DMARC_P_MISSING,        /* no valid p=: with a valid rua= URI
				   receivers apply none (RFC 7489 6.6.3 step
				   6, RFC 9989 4.7), a WARNING; else ERROR */
	DMARC_BAD_VALUE,        /* a value outside its grammar (M-05): p=
				   see DMARC_P_MISSING; any other tag's is
				   discarded for its default (RFC 7489 6.3),
				   a WARNING naming the default */
	DMARC_NONCANONICAL,     /* accepted, but not as RFC 7489 6.4 writes it
				   (HACKING.md 6: p=r, p=Reject) */
	DMARC_UNKNOWN_TAGS,     /* ignored (RFC 7489 6.3), listed (M-02) */
	DMARC_URI_INVALID,      /* a malformed rua/ruf URI, ignored (M-06):
				   a WARNING */
	DMARC_URI_SCHEME,       /* not mailto: (receivers need only mailto:) */
	DMARC_URI_COUNT,        /* more than 2 URIs (M-01, RFC 7489 6.2) */
	DMARC_URI_DROPPED,      /* more than LIMIT_DMARC_URIS: not examined */
	DMARC_USELESS,          /* a tag with no effect (fo= without ruf=) */
	DMARC_FINDINGS_DROPPED, /* over LIMIT_DMARC_FINDINGS */
	DMARC_OBSOLETE,         /* pct=, rf=, ri=: removed by RFC 9989 (its
				   receivers ignore them); a -v note by
				   default, shown as an [OK] line by
				   check_dmarc */
};

/* Bytes of a finding's text, with its NUL: texts are cut there (escaped
 * already: safe to print). */
#define DMARC_FINDING_TEXT 320
_Static_assert(DMARC_FINDING_TEXT <= FINDING_TEXT_MAX, "a DMARC text fits a finding");

struct dmarc_uri {
	bool valid; /* usable: a valid mailto: address, or
		       another scheme with a non-empty rest */
	bool mailto;
	struct dname domain; /* mailto: the address's domain, lower case */
	char text[160];      /* the URI, escaped and cut, for messages */
	bool has_size;
	uint64_t size; /* !size in bytes (k/m/g/t = 2^10.. 2^40) */
};

struct dmarc_uri_list {
	bool present;          /* the tag is in the record */
	size_t count;          /* URIs in the tag, all of them */
	size_t nvalid;         /* of uri[], those valid */
	size_t n;              /* URIs kept in uri (<= LIMIT_DMARC_URIS) */
	struct dmarc_uri *uri; /* heap; owned by the record */
};

/* fo= bits */
enum {
	DMARC_FO_0 = 1,
	DMARC_FO_1 = 2,
	DMARC_FO_D = 4,
	DMARC_FO_S = 8
};

struct dmarc_record {
	bool valid;    /* a DMARC record with no STATE_CRITICAL
			  finding */
	bool is_dmarc; /* v=DMARC1 first (else nothing else is set) */
	bool has_p, has_sp, has_np;
	enum dmarc_policy p, sp, np;
	char adkim, aspf; /* 'r' (default) or 's' */
	bool has_pct;
	unsigned pct;      /* 0..100, default 100 */
	unsigned fo;       /* DMARC_FO_* bits, default DMARC_FO_0 */
	uint32_t ri;       /* default 86400 */
	bool testing;      /* t=y (RFC 9989 4.7): receivers on RFC
			      9989 apply the next lower policy */
	char psd;          /* 'y', 'n' or 'u' (default) */
	size_t ndiscarded; /* invalid values discarded (a tag's value
			      for its default, a malformed URI, p=) */
	struct dmarc_uri_list rua, ruf;
	size_t ntags;    /* tags parsed */
	size_t nunknown; /* unknown tags (ignored) */
	/* In the order found, at most LIMIT_DMARC_FINDINGS; once full, an
	 * error (STATE_CRITICAL) replaces the last finding unless that is
	 * one too, and every finding not kept (or replaced) is counted in
	 * findings.dropped. Owned by the record. */
	struct finding_list findings;
};

/*
 * Does this TXT record count as a DMARC record at all (RFC 7489 6.6.3
 * step 3: "records that do not start with a v= tag that identifies the
 * current version of DMARC are discarded")? True when the bytes begin
 * with "v", optional WSP, "=", optional WSP, exactly "DMARC1", then
 * optional WSP and ";" or the end. " v=DMARC1", "v=dmarc1", "v=DMARC10"
 * and "v=DMARC1 p=none" are not (M-04). A capital "V" is accepted (ABNF
 * literals are case-insensitive) and flagged by dmarc_parse().
 */
bool dmarc_is_record(const char *rec, size_t len);

/*
 * Parse and validate one record. Never NULL but on out of memory.
 * Caller frees with dmarc_record_free().
 */
struct dmarc_record *dmarc_parse(const char *rec, size_t len);
void dmarc_record_free(struct dmarc_record *r);

/* "none", "quarantine", "reject". */
const char *dmarc_policy_str(enum dmarc_policy p);

/* For --policy: the three names in any case. */
bool dmarc_policy_parse(const char *s, enum dmarc_policy *out);

/* One change for dmarc_rebuild(): set tag to value (replacing it or
 * appending it), or remove the tag when value is NULL. */
struct dmarc_edit {
	const char *tag;
	const char *value;
};

/*
 * The record to publish as a fix: rec's tags in their order, "v=DMARC1"
 * first, edits applied, joined with "; ". rec may be NULL (a new record).
 * Returns a heap string (caller frees) or NULL on out of memory; feed it
 * to zone_txt_strings().
 */
char *dmarc_rebuild(const char *rec, size_t len, const struct dmarc_edit *e, size_t n);

/*
 * An invalid record corrected, for a fix: line: "v=DMARC1" first, then
 * the tags in their order with names in lower case; the second and later
 * of a duplicate tag dropped; a tag that breaks the tag-list syntax
 * dropped (parsing resumes after its ';'); a missing p= set to policy,
 * an invalid one to the policy its first letter names (p=rejetc:
 * reject; p=qurantine: quarantine), never weaker than policy; invalid URIs dropped from rua=/ruf=
 * (one without a scheme that is a valid address gets "mailto:"), the tag dropped when none is left;
 * any other known tag with an invalid value dropped (its default applies). Unknown tags are kept
 * (receivers ignore them). Returns a heap string (caller frees) or NULL on out of memory.
 */
char *dmarc_repair(const char *rec, size_t len, enum dmarc_policy policy);

/* A TXT record that looks like a misspelt DMARC record ("v=dmarc1",
 * " v=DMARC1", "v=DMARC10"): worth showing, since no receiver reads it
 * (M-04). False for a real one (see dmarc_is_record()). */
bool dmarc_near_miss(const char *rec, size_t len);

/*
 * The distinct domains of the valid mailto: URIs of rua= then ruf=, at
 * most max into out (lower case). *more counts the URIs left out for
 * another domain once out is full. Returns the number stored.
 */
size_t dmarc_report_domains(const struct dmarc_record *r, struct dname *out, size_t max,
			    size_t *more);

/* The next lower policy (RFC 9989 t=y; RFC 7489 6.6.4 for the mail pct=
 * leaves out): reject -> quarantine -> none. */
enum dmarc_policy dmarc_policy_lower(enum dmarc_policy p);

#endif
