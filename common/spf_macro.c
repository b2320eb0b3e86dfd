/* SPDX-License-Identifier: GPL-3.0-or-later */
/* SPF macro strings: RFC 7208 section 7. See spf_macro.h. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "spf_macro.h"

static void seterr(char *err, size_t errlen, const char *msg, int c)
{
	if (err == NULL || errlen == 0)
		return;
	if (c >= 0x21 && c <= 0x7e)
		snprintf(err, errlen, "%s '%c'", msg, c);
	else if (c >= 0)
		snprintf(err, errlen, "%s (byte 0x%02x)", msg, (unsigned)c);
	else
		snprintf(err, errlen, "%s", msg);
}

static int lower(int c)
{
	return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* 7.1: macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" /
 * "r" / "t" / "v"; c, r and t only in explanation text (7.3). */
static bool letter_ok(int c, unsigned flags)
{
	switch (lower(c)) {
	case 's':
	case 'l':
	case 'o':
	case 'd':
	case 'i':
	case 'p':
	case 'h':
	case 'v':
		return true;
	case 'c':
	case 'r':
	case 't':
		return (flags & (SPF_MACRO_EXP | SPF_MACRO_ANY_LETTER)) != 0;
	default:
		return false;
	}
}

static bool is_delim(int c)
{
	return c == '.' || c == '-' || c == '+' || c == ',' || c == '/' || c == '_' || c == '=';
}

/* One parsed %{...}: letter, digits (saturated), reverse, delimiters. */
struct mexpand {
	int letter;
	bool has_digits;
	size_t digits;
	bool reverse;
	const char *delims;
	size_t ndelims;
};

/*
 * Parse the macro-expand at p[0] == '%'. On success *adv is its length
 * and, for %{..}, *me is filled (me->letter == 0 for %% %_ %-, with the
 * literal byte in me->digits... no: literal returned via *lit).
 */
static bool parse_expand(const char *p, size_t len, unsigned flags, size_t *adv, struct mexpand *me,
			 int *lit, char *err, size_t errlen)
{
	*lit = -1;
	if (len < 2) {
		seterr(err, errlen, "'%' at the end of the string", -1);
		return false;
	}
	switch (p[1]) {
	case '%':
		*lit = '%';
		*adv = 2;
		return true;
	case '_':
		*lit = ' ';
		*adv = 2;
		return true;
	case '-':
		*lit = -2;
		*adv = 2;
		return true; /* "%20" */
	case '{':
		break;
	default:
		seterr(err, errlen, "'%' not followed by '{', '%', '_' or '-' but",
		       (unsigned char)p[1]);
		return false;
	}
	size_t i = 2;
	if (i >= len) {
		seterr(err, errlen, "unterminated macro '%{'", -1);
		return false;
	}
	if (!letter_ok((unsigned char)p[i], flags)) {
		if (p[i] == '}')
			seterr(err, errlen, "empty macro '%{}'", -1);
		else
			seterr(err, errlen, "invalid macro letter", (unsigned char)p[i]);
		return false;
	}
	memset(me, 0, sizeof(*me));
	me->letter = (unsigned char)p[i++];
	/* transformers = *DIGIT [ "r" ]; digits saturate at SIZE_MAX */
	while (i < len && p[i] >= '0' && p[i] <= '9') {
		size_t d = (size_t)(p[i] - '0');
		me->has_digits = true;
		if (me->digits > (SIZE_MAX - d) / 10)
			me->digits = SIZE_MAX;
		else
			me->digits = me->digits * 10 + d;
		i++;
	}
	if (me->has_digits && me->digits == 0) {
		seterr(err, errlen, "macro transformer digits must be nonzero", -1);
		return false;
	}
	if (i < len && lower((unsigned char)p[i]) == 'r') {
		me->reverse = true;
		i++;
	}
	me->delims = p + i;
	while (i < len && is_delim((unsigned char)p[i]))
		i++;
	me->ndelims = (size_t)(p + i - me->delims);
	if (i >= len) {
		seterr(err, errlen, "unterminated macro '%{'", -1);
		return false;
	}
	if (p[i] != '}') {
		seterr(err, errlen, "invalid character in macro", (unsigned char)p[i]);
		return false;
	}
	*adv = i + 1;
	return true;
}

/* macro-literal = %x21-24 / %x26-7E; SP also in explanation-string. */
static bool literal_ok(unsigned char c, unsigned flags)
{
	if (c == ' ')
		return (flags & SPF_MACRO_EXP) != 0;
	return c >= 0x21 && c <= 0x7e && c != '%';
}

bool spf_macro_check(const char *p, size_t len, unsigned flags, size_t *tail_off, char *err,
		     size_t errlen)
{
	size_t tail = 0;
	size_t i = 0;

	while (i < len) {
		unsigned char c = (unsigned char)p[i];
		if (c == '%') {
			size_t adv;
			struct mexpand me;
			int lit;
			if (!parse_expand(p + i, len - i, flags, &adv, &me, &lit, err, errlen))
				return false;
			i += adv;
			tail = i;
			continue;
		}
		if (!literal_ok(c, flags)) {
			seterr(err, errlen, "invalid character", c);
			return false;
		}
		i++;
	}
	if (tail_off != NULL)
		*tail_off = tail;
	return true;
}

/* Output writer that never passes outmax. */
struct wbuf {
	char *out;
	size_t max, len;
	bool overflow;
};

static void put(struct wbuf *w, const char *s, size_t n)
{
	if (w->overflow)
		return;
	if (n > w->max - w->len) {
		w->overflow = true;
		return;
	}
	memcpy(w->out + w->len, s, n);
	w->len += n;
}

/* 7.3: upper-case letters are URL-escaped: every byte not unreserved
 * (ALPHA / DIGIT / "-" / "." / "_" / "~") becomes %XX, whatever its
 * value (S-MAC-03: bytes 0x80-0xFF give exactly three bytes each). */
static void put_part(struct wbuf *w, const char *s, size_t n, bool url)
{
	static const char hex[] = "0123456789ABCDEF";

	if (!url) {
		put(w, s, n);
		return;
	}
	for (size_t i = 0; i < n && !w->overflow; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~') {
			put(w, (const char *)&s[i], 1);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			put(w, e, 3);
		}
	}
}

static bool in_delims(const struct mexpand *me, unsigned char c)
{
	if (me->ndelims == 0)
		return c == '.';
	return memchr(me->delims, c, me->ndelims) != NULL;
}

/*
 * Split value on the delimiters, optionally reverse, keep the right-hand
 * digits parts, join with '.'. Linear in the value's length whatever the
 * part count (no per-part array: the value may be 100 KB, S-MAC-06).
 */
static void put_transformed(struct wbuf *w, const struct mexpand *me, const char *val, size_t vlen,
			    bool url)
{
	size_t nparts = 1;
	for (size_t i = 0; i < vlen; i++)
		if (in_delims(me, (unsigned char)val[i]))
			nparts++;
	size_t keep = nparts;
	if (me->has_digits && me->digits < nparts)
		keep = me->digits;

	if (!me->reverse) {
		/* original parts nparts-keep .. nparts-1 */
		size_t skip = nparts - keep, i = 0;
		while (skip > 0 && i < vlen) {
			if (in_delims(me, (unsigned char)val[i]))
				skip--;
			i++;
		}
		size_t start = i;
		for (; i <= vlen && !w->overflow; i++) {
			if (i == vlen || in_delims(me, (unsigned char)val[i])) {
				put_part(w, val + start, i - start, url);
				if (i < vlen)
					put(w, ".", 1);
				start = i + 1;
			}
		}
		return;
	}
	/* reversed: original parts keep-1 down to 0 */
	size_t end = 0, seen = 0;
	while (end < vlen) {
		if (in_delims(me, (unsigned char)val[end])) {
			if (++seen == keep)
				break;
		}
		end++;
	}
	/* val[0..end) holds parts 0..keep-1; walk it backwards */
	size_t stop = end;
	bool first = true;
	for (size_t j = end; !w->overflow; j--) {
		if (j == 0 || in_delims(me, (unsigned char)val[j - 1])) {
			if (!first)
				put(w, ".", 1);
			first = false;
			put_part(w, val + j, stop - j, url);
			if (j == 0)
				break;
			stop = j - 1;
		}
	}
}

static void value_of(const struct spf_macro_vars *v, int letter, const char **val, size_t *vlen)
{
	switch (lower(letter)) {
	case 's':
		*val = v->s;
		*vlen = v->s_len;
		break;
	case 'l':
		*val = v->l;
		*vlen = v->l_len;
		break;
	case 'o':
		*val = v->o;
		*vlen = v->o_len;
		break;
	case 'd':
		*val = v->d;
		*vlen = v->d_len;
		break;
	case 'i':
		*val = v->i;
		*vlen = v->i_len;
		break;
	case 'h':
		*val = v->h;
		*vlen = v->h_len;
		break;
	case 'c':
		*val = v->c;
		*vlen = v->c_len;
		break;
	case 'r':
		*val = v->r;
		*vlen = v->r_len;
		break;
	case 't':
		*val = v->t;
		*vlen = v->t_len;
		break;
	case 'v':
		*val = v->v;
		*vlen = v->v_len;
		break;
	case 'p':
		*val = NULL;
		*vlen = 0;
		if (v->p_fn != NULL)
			v->p_fn(v->p_ctx, val, vlen);
		if (*val == NULL) {
			*val = "unknown";
			*vlen = 7;
		}
		break;
	default:
		*val = NULL;
		*vlen = 0;
		break;
	}
	if (*val == NULL)
		*vlen = 0;
}

enum spf_macro_status spf_macro_expand(const char *p, size_t len, unsigned flags,
				       const struct spf_macro_vars *v, char *out, size_t outmax,
				       size_t *outlen, char *err, size_t errlen)
{
	struct wbuf w = {out, outmax, 0, false};
	size_t i = 0;

	*outlen = 0;
	while (i < len) {
		unsigned char c = (unsigned char)p[i];
		if (c != '%') {
			if (!literal_ok(c, flags)) {
				seterr(err, errlen, "invalid character", c);
				return SPF_MACRO_SYNTAX;
			}
			put(&w, (const char *)&p[i], 1);
			i++;
		} else {
			size_t adv;
			struct mexpand me;
			int lit;
			if (!parse_expand(p + i, len - i, flags, &adv, &me, &lit, err, errlen))
				return SPF_MACRO_SYNTAX;
			i += adv;
			if (lit == -2) {
				put(&w, "%20", 3);
			} else if (lit >= 0) {
				char ch = (char)lit;
				put(&w, &ch, 1);
			} else {
				const char *val;
				size_t vlen;
				value_of(v, me.letter, &val, &vlen);
				put_transformed(&w, &me, val == NULL ? "" : val, vlen,
						me.letter >= 'A' && me.letter <= 'Z');
			}
		}
		if (w.overflow) {
			seterr(err, errlen, "macro expansion too long", -1);
			return SPF_MACRO_TOO_LONG;
		}
	}
	*outlen = w.len;
	return SPF_MACRO_OK;
}

bool spf_truncate_domain(const char *p, size_t len, size_t *off)
{
	size_t n = len;
	if (n > 0 && p[n - 1] == '.')
		n--;
	size_t o = 0;
	while (n - o > 253) {
		const char *dot = memchr(p + o, '.', n - o);
		if (dot == NULL)
			return false;
		o = (size_t)(dot - p) + 1;
	}
	*off = o;
	return true;
}
