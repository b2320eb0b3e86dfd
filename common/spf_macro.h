/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SPF macro strings (RFC 7208 section 7): syntax check and expansion over
 * length-delimited input. Pure functions: no I/O, no allocation. The one
 * costly letter, %{p}, is computed by a callback on first use.
 *
 * Libspf2 overflowed its expansion buffer four times (CVE-2021-20314,
 * -33912, -33913, CVE-2023-42118): here every byte written is checked
 * against outmax, the output is capped by the caller's buffer
 * (LIMIT_SPF_MACRO_OUT in practice) and an expansion that would exceed it
 * is an error, never a cut.
 */
#ifndef MAILDNS_SPF_MACRO_H
#define MAILDNS_SPF_MACRO_H

#include <stdbool.h>
#include <stddef.h>

/* Flags for check and expand. */
enum spf_macro_flags {
	/* Explanation text (7.1 explanation-string): the letters c, r, t
	 * and the space are allowed. Without it they are syntax errors. */
	SPF_MACRO_EXP = 1 << 0,
	/* Unknown-modifier values: any macro letter is syntax (never
	 * expanded). */
	SPF_MACRO_ANY_LETTER = 1 << 1,
};

enum spf_macro_status {
	SPF_MACRO_OK,
	SPF_MACRO_SYNTAX,   /* invalid macro-string */
	SPF_MACRO_TOO_LONG, /* the expansion would not fit in outmax */
};

/*
 * Syntax check of a macro-string of len bytes (7.1). On success *tail_off
 * (if not NULL) is the offset of the trailing literal run: len when the
 * string ends with a macro-expand (%{..}, %%, %_ or %-). On failure err
 * says why ("invalid macro letter 'q'", "'%' not followed by '{', '%',
 * '_' or '-'", ...).
 */
bool spf_macro_check(const char *p, size_t len, unsigned flags, size_t *tail_off, char *err,
		     size_t errlen);

/* The values macro letters expand to (7.3). Pointers borrowed. */
struct spf_macro_vars {
	const char *s;
	size_t s_len; /* <sender> */
	const char *l;
	size_t l_len; /* local-part of <sender> */
	const char *o;
	size_t o_len; /* domain of <sender> */
	const char *d;
	size_t d_len; /* <domain> */
	const char *i;
	size_t i_len; /* <ip>, dotted (v4) or nibbles (v6) */
	const char *h;
	size_t h_len; /* HELO/EHLO domain */
	const char *c;
	size_t c_len; /* <ip> readable (exp only) */
	const char *r;
	size_t r_len; /* receiving host (exp only) */
	const char *t;
	size_t t_len; /* timestamp (exp only) */
	const char *v;
	size_t v_len; /* "in-addr" or "ip6" */
	/* %{p}: the validated domain name of <ip>, or "unknown" (7.3,
	 * 5.5); asked for only when the string uses it. */
	void (*p_fn)(void *ctx, const char **p, size_t *len);
	void *p_ctx;
};

/*
 * Expand len bytes of macro-string into out (at most outmax bytes, not
 * NUL-terminated; *outlen gets the length). Transformers (7.3): DIGITs
 * keep that many right-hand parts; the value is parsed overflow-safe and
 * saturates (any value above the number of parts means "all parts", so
 * 2147483648 and 99999999999999999999 keep all); 0 is a syntax error
 * ("MUST be nonzero"). 'r' reverses; delimiters . - + , / _ = split, and
 * the parts are joined with '.'. An upper-case letter URL-encodes every
 * byte outside the unreserved set as %XX, bytes 0x80-0xFF included.
 */
enum spf_macro_status spf_macro_expand(const char *p, size_t len, unsigned flags,
				       const struct spf_macro_vars *v, char *out, size_t outmax,
				       size_t *outlen, char *err, size_t errlen);

/*
 * RFC 7208 7.3: when an expanded domain name is longer than 253 bytes
 * (a trailing dot not counted), drop whole labels from the left until it
 * fits. Sets *off to where the kept name starts; false when no label
 * boundary allows it (then the name cannot be a domain).
 */
bool spf_truncate_domain(const char *p, size_t len, size_t *off);

#endif
