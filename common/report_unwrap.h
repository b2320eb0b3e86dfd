/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A report file as it arrives, unwrapped to the report inside: plain XML
 * or JSON, gzip (.xml.gz, .json.gz) and zip through libarchive, a mail
 * message (RFC 5322, MIME) carrying one of those as a part through GMime
 * 3. Everything in memory: nothing is written anywhere, member and part
 * names are only shown, escaped. The decompressed size is capped
 * (LIMIT_REPORT_XML_BYTES), an archive inside an archive is refused, and
 * the members and MIME parts looked at are bounded; a
 * message with more than LIMIT_REPORT_MIME_LINES lines that could be
 * boundaries is refused before GMime builds its parts.
 */
#ifndef MAILDNS_REPORT_UNWRAP_H
#define MAILDNS_REPORT_UNWRAP_H

#include <stdbool.h>
#include <stddef.h>

enum report_format {
	REPORT_XML,  /* starts with '<' (after a UTF-8 BOM and white space) */
	REPORT_JSON, /* starts with '{' */
};

struct report_blob {
	const unsigned char *data; /* the report: in the input given to
				      report_unwrap() (plain XML or JSON)
				      or in owned */
	size_t len;
	enum report_format format;
	char how[200];        /* the wrappings, escaped: "mail part NAME, gzip" */
	unsigned char *owned; /* what was decompressed or decoded, if
				 anything; freed by report_blob_free() */
};

/* GMime's global set-up and tear-down, once per process around all
 * report_unwrap() calls. */
void report_unwrap_init(void);
void report_unwrap_shutdown(void);

/*
 * Unwrap len bytes of one file. True with out filled (the input must
 * outlive it; free it with report_blob_free()); false with why (escaped,
 * "zip member NAME: over 16777216 bytes decompressed") and nothing to
 * free.
 *
 * What is decompressed or decoded goes into one anonymous mapping of
 * LIMIT_REPORT_XML_BYTES + 1 bytes, of which only the pages written are
 * resident: no buffer is grown by copying, and none lingers in an
 * allocator after it is freed.
 */
bool report_unwrap(const void *data, size_t len, struct report_blob *out, char *why, size_t whylen);
void report_blob_free(struct report_blob *b);

#endif
