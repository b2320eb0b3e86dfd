/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SPF records (RFC 7208): record selection (4.5) and a parser of the
 * whole record into terms (4.6, 5, 6, 12). Pure functions over a buffer:
 * the record may hold NUL and any byte, and is never assumed terminated.
 *
 * The whole record is parsed before evaluation, so a syntax error
 * anywhere (after a matching "all", inside exp=) is a permerror (4.6).
 * Every error names the term it is in.
 */
#ifndef MAILDNS_SPF_PARSE_H
#define MAILDNS_SPF_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"

/* check_host() results (2.6), in no order of badness. */
enum spf_result {
	SPF_NONE,
	SPF_NEUTRAL,
	SPF_PASS,
	SPF_FAIL,
	SPF_SOFTFAIL,
	SPF_TEMPERROR,
	SPF_PERMERROR,
};
#define SPF_RESULT_COUNT 7

/* "none", "neutral", "pass", "fail", "softfail", "temperror",
 * "permerror". */
const char *spf_result_str(enum spf_result r);
/* Parse one of those words (any case) of len bytes. */
bool spf_result_parse(const char *s, size_t len, enum spf_result *out);

/* 4.5: "v=spf1" (any case) followed by a space or the end. "v=spf10"
 * is not SPF. */
bool spf_is_record(const void *p, size_t len);

enum spf_mech {
	SPF_MECH_ALL,
	SPF_MECH_INCLUDE,
	SPF_MECH_A,
	SPF_MECH_MX,
	SPF_MECH_PTR,
	SPF_MECH_IP4,
	SPF_MECH_IP6,
	SPF_MECH_EXISTS,
};
/* "all", "include", ... */
const char *spf_mech_str(enum spf_mech m);

enum spf_term_kind {
	SPF_TERM_MECH,     /* directive = [qualifier] mechanism */
	SPF_TERM_REDIRECT, /* redirect=domain-spec */
	SPF_TERM_EXP,      /* exp=domain-spec */
	SPF_TERM_UNKNOWN,  /* unknown-modifier: name=macro-string */
};

struct spf_term {
	enum spf_term_kind kind;
	enum spf_mech mech;   /* SPF_TERM_MECH only */
	enum spf_result qual; /* result on match: PASS, FAIL, SOFTFAIL,
				 NEUTRAL */
	size_t off, len;      /* the whole term, in spf_record.text */
	bool has_spec;        /* a domain-spec (or modifier value) given */
	size_t spec_off, spec_len;
	uint8_t addr[16];      /* ip4 (first 4 bytes) / ip6 network */
	unsigned cidr4, cidr6; /* 32 / 128 when not given */
};

struct spf_record {
	char *text; /* own copy of the record, NUL-terminated
		       for convenience only (may hold NUL) */
	size_t len;
	size_t nterms;
	struct spf_term *terms;
	int redirect;          /* index in terms of redirect=, or -1 */
	int exp;               /* index of exp=, or -1 */
	unsigned lookup_terms; /* include a mx ptr exists redirect (4.6.4) */
};

/*
 * Parse a whole record (starting with "v=spf1"). Returns NULL on a
 * syntax error or when a limit is passed, with the reason in err, e.g.
 * "term 4 'a:foo-bar': domain-spec must end in a top label or a macro".
 * Caller frees with spf_record_free().
 */
struct spf_record *spf_record_parse(const void *p, size_t len, char *err, size_t errlen);
void spf_record_free(struct spf_record *rec);

/* Pointer to the term's text / domain-spec in rec->text. */
const char *spf_term_text(const struct spf_record *rec, const struct spf_term *t);
const char *spf_term_spec(const struct spf_record *rec, const struct spf_term *t);

/* True when every client gets fail: no redirect=, every mechanism with
 * the "-" qualifier, and a -all among them ("v=spf1 -all", what a domain
 * that sends no mail publishes). */
bool spf_record_denies_all(const struct spf_record *rec);

/* True for the terms that cost a DNS lookup (4.6.4): include, a, mx,
 * ptr, exists and redirect. */
bool spf_term_is_lookup(const struct spf_term *t);

/*
 * 7.1 domain-spec = macro-string domain-end; domain-end = "." toplabel
 * ["."] / macro-expand. exp_letters allows c, r, t (never for
 * domain-specs in records: 7.3). err says what is wrong.
 */
bool spf_domain_spec_ok(const char *p, size_t len, char *err, size_t errlen);

/* ip4-network (dotted quad, no leading zeros) of len bytes. */
bool spf_parse_ip4(const char *p, size_t len, uint8_t out[4]);
/* ip6-network of len bytes (RFC 4291 text form). */
bool spf_parse_ip6(const char *p, size_t len, uint8_t out[16]);

#endif
