/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Escaping of outside text (common/text.h), apart from the renderer so
 * that parsers building finding texts need not include it. '|' would
 * start perfdata and a newline a long-output line, so '|', control bytes
 * and bytes that are not UTF-8 become \xNN, and so do the bytes of the
 * characters that reorder a line in a web view (reorders() below)
 * (doc/hostile-inputs.md rule 7, O-01).
 */
#include "text.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Length of the UTF-8 sequence at p that we print as it is (RFC 3629 4:
 * no overlong forms, no surrogates, nothing above U+10FFFF), or 0. C1
 * controls (U+0080..U+009F, which include the 8-bit CSI) are refused too,
 * so their bytes get escaped like C0 controls.
 */
static size_t utf8_len(const uint8_t *p, size_t n)
{
	uint8_t c = p[0];
	size_t need;

	if (c >= 0xc2 && c <= 0xdf) {
		need = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		need = 3;
	} else if (c >= 0xf0 && c <= 0xf4) {
		need = 4;
	} else {
		return 0;
	}
	if (n < need) {
		return 0;
	}
	for (size_t i = 1; i < need; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			return 0;
		}
	}
	if ((c == 0xc2 && p[1] < 0xa0) || (c == 0xe0 && p[1] < 0xa0) ||
	    (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
	    (c == 0xf4 && p[1] > 0x8f)) {
		return 0;
	}
	return need;
}

/*
 * True for the valid UTF-8 sequence at p (len bytes) of a character that
 * reorders or breaks the text around it when shown: the bidi controls
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069), the line and
 * paragraph separators U+2028, U+2029 and the BOM U+FEFF. A web view
 * (Icinga Web) would let a DNS string reverse the rest of a line, so
 * their bytes are escaped like control bytes.
 */
static bool reorders(const uint8_t *p, size_t len)
{
	if (len == 2) {
		return p[0] == 0xd8 && p[1] == 0x9c; /* U+061C */
	}
	if (len != 3) {
		return false;
	}
	if (p[0] == 0xe2 && p[1] == 0x80) {
		return p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xa8 && p[2] <= 0xae);
	}
	if (p[0] == 0xe2 && p[1] == 0x81) {
		return p[2] >= 0xa6 && p[2] <= 0xa9;
	}
	return p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf;
}

/* Bytes consumed (*in_len) and produced (return) by the unit at p: one
 * byte as itself or as \xNN (4), a character as itself, or a character
 * that reorders text as \xNN per byte (4 * *in_len). */
static size_t unit_at(const uint8_t *p, size_t n, size_t *in_len)
{
	uint8_t c = p[0];

	if (c == '|' || c < 0x20 || c == 0x7f) {
		*in_len = 1;
		return 4;
	}
	if (c < 0x80) {
		*in_len = 1;
		return 1;
	}
	*in_len = utf8_len(p, n);
	if (*in_len == 0) {
		*in_len = 1;
		return 4;
	}
	if (reorders(p, *in_len)) {
		return 4 * *in_len;
	}
	return *in_len;
}

static size_t emit_unit(char *out, const uint8_t *p, size_t in_len, size_t out_len)
{
	static const char hex[] = "0123456789abcdef";

	if (out_len == 4 * in_len) {
		for (size_t i = 0; i < in_len; i++) {
			out[4 * i] = '\\';
			out[4 * i + 1] = 'x';
			out[4 * i + 2] = hex[p[i] >> 4];
			out[4 * i + 3] = hex[p[i] & 0xf];
		}
	} else if (in_len == 1) {
		out[0] = (char)p[0]; /* ASCII: most bytes, no memcpy call */
	} else {
		memcpy(out, p, in_len);
	}
	return out_len;
}

/*
 * Escape len bytes into out (room for cap bytes and a NUL). When the
 * result would be longer than cap, or the input was already cut (more),
 * stop at a character boundary and end with "...". Returns the length.
 */
size_t text_escape(const void *data, size_t len, bool more, char *out, size_t cap)
{
	const uint8_t *in = data;
	size_t total = 0;
	size_t i = 0;
	size_t o = 0;
	size_t limit;

	while (i < len && total <= cap) {
		size_t in_len;

		total += unit_at(in + i, len - i, &in_len);
		i += in_len;
	}
	limit = (!more && total <= cap) ? cap : (cap >= 3 ? cap - 3 : 0);
	i = 0;
	while (i < len) {
		size_t in_len;
		size_t out_len = unit_at(in + i, len - i, &in_len);

		if (o + out_len > limit) {
			break;
		}
		o += emit_unit(out + o, in + i, in_len, out_len);
		i += in_len;
	}
	if (i < len || more) {
		for (size_t k = 0; k < 3 && o < cap; k++) {
			out[o++] = '.';
		}
	}
	out[o] = '\0';
	return o;
}

void out_setf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

char *out_bytes(char *buf, size_t buflen, const void *data, size_t len)
{
	if (buf == NULL || buflen == 0) {
		return buf;
	}
	if (data == NULL) {
		len = 0;
	}
	text_escape(data, len, false, buf, buflen - 1);
	return buf;
}

char *zone_txt_strings(const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t nstrings = len / 255 + 1;
	size_t size;
	char *out;
	size_t o = 0;

	/* RFC 1035 3.3.14 / 5.1: <character-string>s of at most 255 bytes,
	 * quoted, with '"' and '\' escaped and other bytes as \DDD. */
	if (len > (SIZE_MAX - 1) / 8) {
		return NULL;
	}
	size = len * 4 + nstrings * 3 + 1;
	out = malloc(size);
	if (out == NULL) {
		return NULL;
	}
	for (size_t s = 0; s < nstrings; s++) {
		size_t start = s * 255;
		size_t end = start + 255 < len ? start + 255 : len;

		if (s > 0 && start >= len) {
			break;
		}
		if (s > 0) {
			out[o++] = ' ';
		}
		out[o++] = '"';
		for (size_t i = start; i < end; i++) {
			uint8_t c = p[i];

			if (c == '"' || c == '\\') {
				out[o++] = '\\';
				out[o++] = (char)c;
			} else if (c < 0x20 || c > 0x7e || c == '|') {
				/* '|' as \124: the renderer would print a bare
				 * '|' as "\x7c", which a zone file reads as the
				 * literal text "x7c". */
				out[o++] = '\\';
				out[o++] = (char)('0' + c / 100);
				out[o++] = (char)('0' + (c / 10) % 10);
				out[o++] = (char)('0' + c % 10);
			} else {
				out[o++] = (char)c;
			}
		}
		out[o++] = '"';
	}
	out[o] = '\0';
	return out;
}
