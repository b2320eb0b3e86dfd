/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Bounded number parsing for options and records: never atoi. */
#ifndef MAILDNS_NUMPARSE_H
#define MAILDNS_NUMPARSE_H

#include <stdbool.h>
#include <stddef.h>

/* Decimal integer in [min, max], the whole string. False with *why
 * ("not a number", "too large", "too small") otherwise. */
bool parse_long(const char *s, long min, long max, long *out, const char **why);

/* Same over a buffer of len bytes (DNS-derived text, no NUL needed). */
bool parse_ulong_buf(const char *s, size_t len, unsigned long max, unsigned long *out,
		     const char **why);

/* Decimal number (C locale) in [min, max]; "1.5" for timeouts. */
bool parse_double(const char *s, double min, double max, double *out, const char **why);

#endif
