/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Tag=value lists of DKIM key records (RFC 6376 3.2) and DMARC records
 * (RFC 7489 6.4): "tag = value ; tag = value ;". A pure parser over a
 * length-delimited buffer (NUL and any byte allowed in the input).
 */
#ifndef MAILDNS_TAGVALUE_H
#define MAILDNS_TAGVALUE_H

#include <stdbool.h>
#include <stddef.h>

struct tag {
	const char *name; /* points into the record; not NUL-terminated */
	size_t name_len;
	const char *value; /* surrounding whitespace trimmed; inner FWS kept */
	size_t value_len;
	size_t index; /* position in the list, 0-based */
};

enum tv_error {
	TV_OK,
	TV_EMPTY,     /* nothing but whitespace */
	TV_SYNTAX,    /* a tag-spec without '=', or an invalid tag name */
	TV_BAD_VALUE, /* a byte a tag-value may not hold (RFC 6376 VALCHAR) */
	TV_DUPLICATE, /* a tag name twice (RFC 6376 3.2: invalid) */
	TV_TOO_MANY,  /* more than max_tags */
	TV_NOMEM,
};

struct tag_list {
	struct tag *tags; /* heap array; free with tag_list_free() */
	size_t n;
	enum tv_error error; /* first error, TV_OK if none */
	size_t error_pos;    /* byte offset of the error in the record */
	char error_tag[64];  /* sanitised name of the offending tag, if any */
};

/*
 * Parse len bytes into out. Returns true when the whole list is valid.
 * On false, out->error says why; tags parsed so far are kept so callers
 * can still report them. Caller frees with tag_list_free() either way.
 */
bool tag_list_parse(const char *rec, size_t len, size_t max_tags, struct tag_list *out);
void tag_list_free(struct tag_list *l);

/* The tag named name (case-sensitive, as RFC 6376 3.2 says), or NULL. */
const struct tag *tag_list_find(const struct tag_list *l, const char *name);

/* "duplicate tag", "tag without '='", ... */
const char *tv_error_str(enum tv_error e);

#endif
