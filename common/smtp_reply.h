/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * An incremental SMTP reply reader (RFC 5321 4.2): fed the bytes of a
 * connection in whatever pieces they arrive, it yields one complete reply
 * (code and text lines) at a time. Pure: no I/O, no printing.
 *
 * Bounds (doc/hostile-inputs.md rule 4; bounds.h SMTP section):
 *   - a line longer than LIMIT_SMTP_LINE octets, terminator included
 *     (RFC 5321 4.5.3.1.5), is an error as soon as that many octets have
 *     arrived without a line end (T-04), not when the line ends;
 *   - more lines or more octets in one reply than the reader's limits
 *     (default LIMIT_SMTP_REPLY_LINES and LIMIT_SMTP_REPLY_BYTES) is an
 *     error (T-05, T-14); with the defaults the line count is reached
 *     first (100 x 512 < 64 KiB), the byte bound holds for any other;
 *   - a line whose code differs from the reply's first line, or that does
 *     not start with a code (three digits, 2-5 then 0-5 then 0-9) followed
 *     by '-', ' ' or the line end, is an error.
 *
 * Line ends: CRLF ends a line, and so does a bare LF (RFC 5321 4.1.1.4
 * asks for CRLF; Postfix and Exim clients accept a bare LF too, and a
 * reader that did not would only report the server as silent). A CR that
 * is not followed by LF stays in the text. Every other byte, NUL
 * included, stays in the text: texts have lengths and are escaped by the
 * output module when printed.
 *
 * After an error the reader stays in error: feed() returns it again.
 */
#ifndef MAILDNS_SMTP_REPLY_H
#define MAILDNS_SMTP_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"

struct smtp_line {
	const uint8_t *text; /* after "250-" / "250 " (may hold NUL) */
	size_t len;
};

struct smtp_reply {
	int code;      /* 200..559 */
	size_t nlines; /* at least 1 */
	const struct smtp_line *line;
	size_t bytes; /* octets of the reply on the wire */
};

enum smtp_rd {
	SMTP_RD_MORE,  /* all bytes taken; no complete reply yet */
	SMTP_RD_REPLY, /* a reply is complete: smtp_reader_reply() */
	SMTP_RD_ERROR, /* smtp_reader_error() says why */
};

enum smtp_rd_error {
	SMTP_ERR_NONE,
	SMTP_ERR_LINE_TOO_LONG, /* T-04 */
	SMTP_ERR_TOO_MANY_LINES,
	SMTP_ERR_TOO_MANY_BYTES,
	SMTP_ERR_CODE_MISMATCH,
	SMTP_ERR_SYNTAX, /* no reply code at the start of a line */
	SMTP_ERR_NOMEM,
};

struct smtp_reader;

/*
 * New reader. max_lines / max_bytes bound one reply; 0 takes the
 * defaults of bounds.h (tests pass others to reach each bound). NULL on
 * OOM. Caller frees with smtp_reader_free().
 */
struct smtp_reader *smtp_reader_new(size_t max_lines, size_t max_bytes);
void smtp_reader_free(struct smtp_reader *r);

/*
 * Feed len bytes. Bytes are taken up to and including the end of the
 * first reply that completes; *used (if not NULL) says how many were
 * taken, so the caller sees what came after the reply (STARTTLS response
 * injection, T-10). SMTP_RD_REPLY: the reply stays valid until the next
 * feed() or reset(); feed the rest (p + *used) to read the next one.
 */
enum smtp_rd smtp_reader_feed(struct smtp_reader *r, const uint8_t *p, size_t len, size_t *used);

/* The reply completed by the last feed(), or NULL. Borrowed. */
const struct smtp_reply *smtp_reader_reply(const struct smtp_reader *r);

/* True when part of a reply has been taken but it is not complete. */
bool smtp_reader_pending(const struct smtp_reader *r);

/* Forget any partial reply and error (e.g. before reading over TLS). */
void smtp_reader_reset(struct smtp_reader *r);

enum smtp_rd_error smtp_reader_error(const struct smtp_reader *r);

/* "SMTP reply line exceeds 512 octets", ... for an error code. */
const char *smtp_rd_error_str(enum smtp_rd_error e);

/*
 * EHLO reply (RFC 5321 4.1.1.1): true when a line after the first names
 * keyword (case-insensitive) as its first word: "STARTTLS", "SIZE".
 */
bool smtp_reply_has_keyword(const struct smtp_reply *rep, const char *keyword);

#endif
