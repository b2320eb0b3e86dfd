/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Domain names in wire form, built label by label from validated bytes.
 *
 * Text from DNS or the command line is never pushed through a
 * presentation-format parser (doc/hostile-inputs.md rule 6: ldns turns "\046"
 * into a dot inside a label). A backslash here is an ordinary byte.
 */
#ifndef MAILDNS_DNAME_H
#define MAILDNS_DNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DNAME_WIRE_MAX  255 /* RFC 1035 2.3.4, root label included */
#define DNAME_LABEL_MAX 63
#define DNAME_TEXT_MAX  1024 /* dname_to_text() buffer: every byte may become \DDD */

struct dname {
	size_t len; /* bytes used in wire, root label included */
	uint8_t wire[DNAME_WIRE_MAX];
};

enum dname_flags {
	/* Only letters, digits, '-' and '_' in labels (host names and the
	 * underscore labels of _dmarc, _domainkey); without it any byte but
	 * '.' is accepted, as SPF target names may hold anything. */
	DNAME_HOSTNAME = 1 << 0,
	/* At least two labels (a mail domain, not "localhost" or "com"). */
	DNAME_MULTILABEL = 1 << 1,
};

/*
 * Build a name from dotted text of len bytes (no NUL needed; a trailing
 * dot is optional). Returns true on success; on failure *why (if not
 * NULL) says what is wrong ("empty label", "label longer than 63 bytes",
 * "name longer than 253 bytes", "invalid character", "empty name").
 */
bool dname_from_text(struct dname *out, const char *text, size_t len, unsigned flags,
		     const char **why);

/* The root name. */
void dname_root(struct dname *out);

/* Prepend one label (e.g. "_dmarc") to name into out; out may be name.
 * False if the label or result is too long or the label is empty. */
bool dname_prepend(struct dname *out, const struct dname *name, const char *label, size_t len);

/* out = prefix + suffix (prefix's root label dropped). False if too long. */
bool dname_concat(struct dname *out, const struct dname *prefix, const struct dname *suffix);

/* Drop the first n labels into out (the parent). False if too few labels. */
bool dname_parent(struct dname *out, const struct dname *name, size_t n);

/* Case-insensitive (ASCII) equality. */
bool dname_equal(const struct dname *a, const struct dname *b);

/* True if name is sub or equal to (when or_equal) ancestor. */
bool dname_is_subdomain(const struct dname *name, const struct dname *ancestor, bool or_equal);

/* Number of labels, root not counted ("example.com." is 2). */
size_t dname_labels(const struct dname *name);

/* Pointer to label i (0 = leftmost) and its length; NULL past the end. */
const uint8_t *dname_label(const struct dname *name, size_t i, size_t *len);

/*
 * Presentation form without the trailing dot ("." for the root), bytes
 * outside [A-Za-z0-9-_] and '.' inside a label written as \DDD.
 * buf should hold DNAME_TEXT_MAX bytes; always NUL-terminated.
 * Returns buf.
 */
char *dname_to_text(const struct dname *name, char *buf, size_t buflen);

/*
 * Labels joined with '.', bytes as they are (no escaping, no trailing
 * dot): the value of an SPF macro such as %{d}. Labels that do not fit
 * in buflen are left out; always NUL-terminated (labels may hold NUL:
 * use the returned length). Returns the length written.
 */
size_t dname_raw(const struct dname *name, char *buf, size_t buflen);

/* Lower-case ASCII copy (for cache keys and comparisons). */
void dname_lower(struct dname *out, const struct dname *name);

#endif
