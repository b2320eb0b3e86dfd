/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Escaping of text that came from outside (DNS, SMTP, HTTPS, files), the
 * way the renderer prints it, for parsers that build finding texts:
 * '|', control bytes, bytes that are not UTF-8 and the Unicode bidi and
 * separator characters become \xNN.
 */
#ifndef MAILDNS_TEXT_H
#define MAILDNS_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"

/*
 * Escape len bytes into out (room for cap bytes and a NUL). When the
 * result would be longer than cap, or the input was already cut (more),
 * stop at a character boundary and end with "...". Returns the length.
 */
size_t text_escape(const void *data, size_t len, bool more, char *out, size_t cap);

/*
 * Escape len bytes (DNS data, NUL allowed) into buf the way the renderer
 * does, cut to fit with "..." when longer. Returns buf. For building
 * finding texts from record data.
 */
char *out_bytes(char *buf, size_t buflen, const void *data, size_t len);

/* snprintf() into buf that may cut: finding and reason texts are bounded
 * on purpose, so a cut is no error (and no -Wformat-truncation). */
void out_setf(char *buf, size_t len, const char *fmt, ...) PRINTF_LIKE(3, 4);

/*
 * A zone-file TXT data field: the bytes split into quoted strings of at
 * most 255 bytes, '"' and '\' escaped, non-printables as \DDD.
 * Returns a heap string (caller frees) or NULL on OOM.
 */
char *zone_txt_strings(const void *data, size_t len);

#endif
