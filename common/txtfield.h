/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The field lists of the MTA-STS (RFC 8461 3.1) and TLS-RPT (RFC 8460 3)
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

#endif
