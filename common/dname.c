/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Domain names in wire form (RFC 1035 3.1): a sequence of length-prefixed
 * labels ending in the zero-length root label. Built label by label from
 * bytes we have checked; no presentation-format escapes are honoured
 * (doc/hostile-inputs.md rule 6, X-04), so "a\046b" is one 6-byte label.
 */
#include "dname.h"

#include <string.h>

static uint8_t ascii_lower(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') ? (uint8_t)(c + ('a' - 'A')) : c;
}

/* Letters, digits, '-' and '_' (RFC 952/1123 host names plus the
 * underscore labels of RFC 8552 attribute leaves: _dmarc, _domainkey). */
static bool hostname_byte(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_';
}

static bool set_why(const char **why, const char *text)
{
	if (why != NULL) {
		*why = text;
	}
	return false;
}

void dname_root(struct dname *out)
{
	out->len = 1;
	out->wire[0] = 0;
}

bool dname_from_text(struct dname *out, const char *text, size_t len, unsigned flags,
		     const char **why)
{
	struct dname tmp;
	size_t pos = 0;
	size_t nlabels = 0;

	if (text == NULL || len == 0) {
		return set_why(why, "empty name");
	}
	/* A single trailing dot marks the name absolute; it adds nothing. */
	if (text[len - 1] == '.') {
		len--;
	}
	if (len == 0) {
		/* "." alone: the root, never a mail domain. */
		if (flags & DNAME_MULTILABEL) {
			return set_why(why, "empty name");
		}
		dname_root(out);
		return true;
	}

	tmp.len = 0;
	while (pos <= len) {
		const char *dot = memchr(text + pos, '.', len - pos);
		size_t end = dot != NULL ? (size_t)(dot - text) : len;
		size_t llen = end - pos;

		if (llen == 0) {
			return set_why(why, "empty label");
		}
		if (llen > DNAME_LABEL_MAX) {
			return set_why(why, "label longer than 63 bytes");
		}
		/* This label plus the root label must still fit (RFC 1035
		 * 2.3.4: 255 octets on the wire, 253 characters of text). */
		if (tmp.len + 1 + llen + 1 > DNAME_WIRE_MAX) {
			return set_why(why, "name longer than 253 bytes");
		}
		if (flags & DNAME_HOSTNAME) {
			for (size_t i = pos; i < end; i++) {
				if (!hostname_byte((uint8_t)text[i])) {
					return set_why(why, "invalid character");
				}
			}
		}
		tmp.wire[tmp.len++] = (uint8_t)llen;
		memcpy(tmp.wire + tmp.len, text + pos, llen);
		tmp.len += llen;
		nlabels++;
		pos = end + 1;
	}
	if ((flags & DNAME_MULTILABEL) && nlabels < 2) {
		return set_why(why, "fewer than two labels");
	}
	tmp.wire[tmp.len++] = 0;
	*out = tmp;
	return true;
}

size_t dname_labels(const struct dname *name)
{
	size_t n = 0;
	size_t pos = 0;

	while (pos < name->len && name->wire[pos] != 0) {
		pos += 1 + (size_t)name->wire[pos];
		n++;
	}
	return n;
}

const uint8_t *dname_label(const struct dname *name, size_t i, size_t *len)
{
	size_t pos = 0;

	while (pos < name->len && name->wire[pos] != 0) {
		size_t llen = name->wire[pos];

		if (pos + 1 + llen > name->len) {
			break;
		}
		if (i == 0) {
			if (len != NULL) {
				*len = llen;
			}
			return name->wire + pos + 1;
		}
		i--;
		pos += 1 + llen;
	}
	return NULL;
}

/* Offset of label n in the wire form, or name->len if there are fewer. */
static size_t label_offset(const struct dname *name, size_t n)
{
	size_t pos = 0;

	while (n > 0 && pos < name->len && name->wire[pos] != 0) {
		pos += 1 + (size_t)name->wire[pos];
		n--;
	}
	return n == 0 ? pos : name->len;
}

bool dname_prepend(struct dname *out, const struct dname *name, const char *label, size_t len)
{
	struct dname tmp;

	if (len == 0 || len > DNAME_LABEL_MAX || name->len + 1 + len > DNAME_WIRE_MAX) {
		return false;
	}
	tmp.wire[0] = (uint8_t)len;
	memcpy(tmp.wire + 1, label, len);
	memcpy(tmp.wire + 1 + len, name->wire, name->len);
	tmp.len = 1 + len + name->len;
	*out = tmp;
	return true;
}

bool dname_concat(struct dname *out, const struct dname *prefix, const struct dname *suffix)
{
	struct dname tmp;
	size_t plen = prefix->len > 0 ? prefix->len - 1 : 0; /* drop the root label */

	if (plen + suffix->len > DNAME_WIRE_MAX) {
		return false;
	}
	memcpy(tmp.wire, prefix->wire, plen);
	memcpy(tmp.wire + plen, suffix->wire, suffix->len);
	tmp.len = plen + suffix->len;
	*out = tmp;
	return true;
}

bool dname_parent(struct dname *out, const struct dname *name, size_t n)
{
	struct dname tmp;
	size_t off;

	if (n > dname_labels(name)) {
		return false;
	}
	off = label_offset(name, n);
	if (off >= name->len) {
		return false;
	}
	tmp.len = name->len - off;
	memcpy(tmp.wire, name->wire + off, tmp.len);
	*out = tmp;
	return true;
}

/* Length bytes are at most 63, below 'A', so lowering every byte of the
 * wire form compares the labels without touching the lengths. */
static bool wire_equal(const uint8_t *a, const uint8_t *b, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (ascii_lower(a[i]) != ascii_lower(b[i])) {
			return false;
		}
	}
	return true;
}

bool dname_equal(const struct dname *a, const struct dname *b)
{
	return a->len == b->len && wire_equal(a->wire, b->wire, a->len);
}

bool dname_is_subdomain(const struct dname *name, const struct dname *ancestor, bool or_equal)
{
	size_t n = dname_labels(name);
	size_t m = dname_labels(ancestor);
	size_t off;

	if (m > n || (m == n && !or_equal)) {
		return false;
	}
	off = label_offset(name, n - m);
	if (off >= name->len || name->len - off != ancestor->len) {
		return false;
	}
	return wire_equal(name->wire + off, ancestor->wire, ancestor->len);
}

void dname_lower(struct dname *out, const struct dname *name)
{
	size_t len = name->len <= DNAME_WIRE_MAX ? name->len : DNAME_WIRE_MAX;

	for (size_t i = 0; i < len; i++) {
		out->wire[i] = ascii_lower(name->wire[i]);
	}
	out->len = len;
}

size_t dname_raw(const struct dname *name, char *buf, size_t buflen)
{
	size_t o = 0;
	size_t ll;
	const uint8_t *lab;

	if (buflen == 0) {
		return 0;
	}
	for (size_t i = 0; (lab = dname_label(name, i, &ll)) != NULL; i++) {
		if (o + ll + 2 > buflen) {
			break;
		}
		if (i > 0) {
			buf[o++] = '.';
		}
		memcpy(buf + o, lab, ll);
		o += ll;
	}
	buf[o] = '\0';
	return o;
}

char *dname_to_text(const struct dname *name, char *buf, size_t buflen)
{
	size_t o = 0;
	size_t pos = 0;

	if (buflen == 0) {
		return buf;
	}
	if (name->len == 0 || name->wire[0] == 0) {
		if (buflen >= 2) {
			buf[o++] = '.';
		}
		buf[o] = '\0';
		return buf;
	}
	while (pos < name->len && name->wire[pos] != 0) {
		size_t llen = name->wire[pos];

		if (pos + 1 + llen > name->len) {
			break;
		}
		if (pos > 0) {
			if (o + 1 >= buflen) {
				break;
			}
			buf[o++] = '.';
		}
		for (size_t i = 0; i < llen; i++) {
			uint8_t c = name->wire[pos + 1 + i];

			if (hostname_byte(c)) {
				if (o + 1 >= buflen) {
					goto out;
				}
				buf[o++] = (char)c;
			} else {
				/* RFC 1035 5.1 \DDD, so a dot or any other byte
				 * inside a label cannot be misread. */
				if (o + 4 >= buflen) {
					goto out;
				}
				buf[o++] = '\\';
				buf[o++] = (char)('0' + c / 100);
				buf[o++] = (char)('0' + (c / 10) % 10);
				buf[o++] = (char)('0' + c % 10);
			}
		}
		pos += 1 + llen;
	}
out:
	buf[o] = '\0';
	return buf;
}
