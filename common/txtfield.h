/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Two jobs on versioned TXT records:
 *
 * 1. Which record of an RRset is the one (txtv_*): "v=VALUE" first,
 *    exactly one such record, and the near misses ("V=stsv1",
 *    " v = DMARC10") a publisher meant as one but no reader takes. The
 *    MTA-STS, TLS-RPT, BIMI and DMARC parsers differ only in the details
 *    the flags below name; each keeps its own findings and texts.
 *
 * 2. The field lists of the MTA-STS (RFC 8461 3.1) and TLS-RPT (RFC 8460 3)
 * TXT records, which share one grammar:
 *
 *   record      = version 1*(field-delim field) [field-delim]
 *   field-delim = *WSP ";" *WSP
 *   field       = name "=" value
 *   ext-name    = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
 *   ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
 *
 * An iterator over a length-delimited buffer (NUL and any byte allowed);
 * it splits and notes what is outside the grammar but harmless to
 * lenient readers, and leaves the meaning of each field to its caller.
 */
#ifndef MAILDNS_TXTFIELD_H
#define MAILDNS_TXTFIELD_H

#include <stdbool.h>
#include <stddef.h>

enum txtf_note {
	TXTF_TRAILING_WSP = 1 << 0,        /* WSP at the end without a ';' */
	TXTF_EMPTY_FIELD = 1 << 1,         /* ";;" or "; ;" */
	TXTF_SPACE_AFTER_VERSION = 1 << 2, /* "v=STSv1 ;": the grammar
					      allows it, the text's
					      "begin with v=STSv1;" not */
};

struct txtf_iter {
	const char *rec;
	size_t len, pos;
	unsigned notes; /* enum txtf_note bits seen so far */
	bool after_version;
	bool error; /* a field not followed by ';' */
	size_t error_pos;
};

struct txtf_field {
	const char *name; /* up to the first '=' (or the whole field) */
	size_t name_len;
	const char *value; /* after the '=' */
	size_t value_len;
	bool has_eq;
	size_t pos; /* byte offset in the record */
};

/* Start after the version literal of vlen bytes (already checked). */
void txtf_start(struct txtf_iter *it, const char *rec, size_t len, size_t vlen);

/* The next field; false at the end or at an error (it->error). The
 * field's WSP before the next ';' is trimmed (it is the delimiter's). */
bool txtf_next(struct txtf_iter *it, struct txtf_field *f);

/* ext-name and ext-value of the grammar above. */
bool txtf_name_ok(const char *p, size_t n);
bool txtf_value_ok(const char *p, size_t n);

/* ------------------------------------------------ version and selection */

enum txtv_flag {
	/* "V=" as well as "v=" (DMARC, BIMI: their tag names are
	 * case-insensitive; RFC 8461 and 8460 write %s"v=...") */
	TXTV_TAG_ANY_CASE = 1u << 0,
	/* WSP between "v", "=" and the value ("v = BIMI1": tag-value
	 * lists allow it; the STS and TLSRPT grammars do not) */
	TXTV_WSP_AROUND_EQ = 1u << 1,
	/* after the value only *WSP then ";" or the end (tag-value lists);
	 * without it ";", one WSP or the end (RFC 8461 3.1, RFC 8460 3,
	 * whose field-delim starts with *WSP) */
	TXTV_WSP_THEN_SEMI = 1u << 2,
	/* CR and LF count as WSP, as in DKIM/DMARC's FWS (DMARC, BIMI);
	 * without it WSP is SP and HTAB only */
	TXTV_WSP_CRLF = 1u << 3,
	/* a near miss has no WSP around its "=" (DMARC's rule since it was
	 * written: "v = dmarc1" is not reported); without it WSP may stand
	 * on either side */
	TXTV_NEAR_TIGHT_EQ = 1u << 4,
};

/* One record kind: a static const per parser. */
struct txtv {
	const char *value; /* "STSv1", "TLSRPTv1", "BIMI1", "DMARC1": exact */
	const char *stem;  /* near-miss stem in lower case, matched in any
			      case: "stsv", "tlsrptv", "bimi", "dmarc" */
	unsigned flags;    /* enum txtv_flag */
};

/* The bytes up to the end of the value when rec[0..len) is a record of
 * this kind, else 0. rec may be NULL when len is 0 (or NULL with any len:
 * not a record). */
size_t txtv_match(const struct txtv *v, const char *rec, size_t len);

/* Not a record, but leading WSP, "v" in any case, "=" and the stem in any
 * case: someone meant one. */
bool txtv_near_miss(const struct txtv *v, const char *rec, size_t len);

/* The text of element i of an opaque set (an answer's RRs, a parser's
 * own array); false to skip it (not a TXT record, no data). */
typedef bool (*txtv_text_fn)(const void *set, size_t i, const char **rec, size_t *len);

struct txtv_pick {
	size_t count;      /* records of the kind among the set */
	size_t first;      /* index of the first of them; n when none */
	size_t near_total; /* near misses among the set */
};

/* One pass over set[0..n): what a parser's selection reports. */
void txtv_select(const struct txtv *v, const void *set, size_t n, txtv_text_fn text,
		 struct txtv_pick *pick);

/* The index of the first near miss at or after from; n when none. A
 * parser reports them in set order with
 *   for (i = txtv_next_near(v, set, n, text, 0); i < n;
 *        i = txtv_next_near(v, set, n, text, i + 1))
 * and stops where its own bound says. */
size_t txtv_next_near(const struct txtv *v, const void *set, size_t n, txtv_text_fn text,
		      size_t from);

#endif
