/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DMARC record validation, RFC 7489 6.3 (tags) and 6.4 (grammar), and
 * RFC 9989 4.7 where it relaxed them (p= optional, in any place).
 * Stricter than receivers on purpose (HACKING.md 6): what a lenient
 * receiver accepts but the grammar does not is a warning, what no
 * receiver can use is an error. An invalid value of a tag other than p=
 * is what receivers discard for the default (RFC 7489 6.3): a warning
 * naming the default.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmarc.h"
#include "bounds.h"
#include "numparse.h"
#include "text.h"
#include "tagvalue.h"
#include "txtfield.h"

#define VAL_SHOWN 48 /* bytes of a value quoted in a finding */

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

/* Case-insensitive equality of a buffer with a NUL-terminated word. */
static bool ieq(const char *p, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (word[i] == '\0' || lower(p[i]) != word[i])
			return false;
	return word[i] == '\0';
}

static bool all_lower(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] >= 'A' && p[i] <= 'Z')
			return false;
	return true;
}

static void trim(const char **p, size_t *n)
{
	while (*n > 0 && is_wsp(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_wsp((*p)[*n - 1]))
		(*n)--;
}

static void add(struct dmarc_record *r, enum dmarc_code code, enum state st, int verbose,
		const char *fmt, ...) PRINTF_LIKE(5, 6);

/* finding_add_bounded() with the record's bound (LIMIT_DMARC_FINDINGS):
 * once full, a worse finding takes the last slot, so the worst still
 * shows; findings.dropped counts the rest. Texts are cut at
 * DMARC_FINDING_TEXT. */
static void add(struct dmarc_record *r, enum dmarc_code code, enum state st, int verbose,
		const char *fmt, ...)
{
	char text[DMARC_FINDING_TEXT];
	va_list ap;

	if (st == STATE_CRITICAL) {
		r->valid = false;
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	/* out of memory: findings.oom, and dmarc_parse() gives up */
	(void)finding_add_bounded(&r->findings, LIMIT_DMARC_FINDINGS, (int)code, st, verbose, "%s",
				  text);
}

/* An escaped copy of a tag value for messages. */
struct shown {
	char s[VAL_SHOWN + 16];
};

static struct shown show(const char *p, size_t n)
{
	struct shown v = {""};

	out_bytes(v.s, sizeof(v.s), p, n);
	return v;
}

/* RFC 7489 6.4: "v" is a tag as any other (any case, WSP around '=',
 * FWS), its value %x44 %x4d %x41 %x52 %x43 %x31, case-sensitive. A near
 * miss has no WSP around its '=' (M-04: "v=dmarc1", "  v=DMARC1",
 * "V=DMARC1 p=none"), DMARC's rule from before the helper existed. */
static const struct txtv dmarc_version = {"DMARC1", "dmarc",
					  TXTV_TAG_ANY_CASE | TXTV_WSP_AROUND_EQ |
						  TXTV_WSP_THEN_SEMI | TXTV_WSP_CRLF |
						  TXTV_NEAR_TIGHT_EQ};

bool dmarc_is_record(const char *rec, size_t len)
{
	return txtv_match(&dmarc_version, rec, len) > 0;
}

const char *dmarc_policy_str(enum dmarc_policy p)
{
	switch (p) {
	case DMARC_POLICY_QUARANTINE:
		return "quarantine";
	case DMARC_POLICY_REJECT:
		return "reject";
	default:
		return "none";
	}
}

enum dmarc_policy dmarc_policy_lower(enum dmarc_policy p)
{
	return p == DMARC_POLICY_REJECT ? DMARC_POLICY_QUARANTINE : DMARC_POLICY_NONE;
}

bool dmarc_policy_parse(const char *s, enum dmarc_policy *out)
{
	static const enum dmarc_policy all[] = {DMARC_POLICY_NONE, DMARC_POLICY_QUARANTINE,
						DMARC_POLICY_REJECT};

	for (size_t i = 0; i < 3; i++)
		if (ieq(s, strlen(s), dmarc_policy_str(all[i]))) {
			*out = all[i];
			return true;
		}
	return false;
}

/* p=, sp=, np=: exactly one of the three names (RFC 7489 6.4). A
 * different case or a prefix (p=r, which OpenDMARC reads as reject) is
 * accepted with a warning; anything else is an error. */
static bool tag_policy(struct dmarc_record *r, const struct tag *t, enum dmarc_policy *out)
{
	static const enum dmarc_policy all[] = {DMARC_POLICY_NONE, DMARC_POLICY_QUARANTINE,
						DMARC_POLICY_REJECT};
	const char *v = t->value;
	size_t n = t->value_len;

	for (size_t i = 0; i < 3; i++) {
		const char *name = dmarc_policy_str(all[i]);
		size_t nl = strlen(name);

		if (n == nl && memcmp(v, name, n) == 0) {
			*out = all[i];
			return true;
		}
		if (ieq(v, n, name)) {
			*out = all[i];
			add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
			    "%.*s=%s: write it in lower case (%s)", (int)t->name_len, t->name,
			    show(v, n).s, name);
			return true;
		}
		if (n > 0 && n < nl) {
			size_t j;

			for (j = 0; j < n && lower(v[j]) == name[j]; j++)
				;
			if (j == n) {
				*out = all[i];
				add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
				    "%.*s=%s: not a policy name; lenient "
				    "receivers read %s, strict ones ignore it "
				    "(RFC 7489 6.4)",
				    (int)t->name_len, t->name, show(v, n).s, name);
				return true;
			}
		}
	}
	add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0,
	    "%.*s=%s: invalid policy (none, quarantine or reject)", (int)t->name_len, t->name,
	    show(v, n).s);
	return false;
}

/* adkim=, aspf=: r or s (RFC 7489 6.3). */
static void tag_align(struct dmarc_record *r, const struct tag *t, char *out)
{
	if (t->value_len == 1 && (lower(t->value[0]) == 'r' || lower(t->value[0]) == 's')) {
		*out = lower(t->value[0]);
		if (t->value[0] != *out)
			add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
			    "%.*s=%c: write it in lower case", (int)t->name_len, t->name,
			    t->value[0]);
		return;
	}
	add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0, "%.*s=%s: invalid alignment mode (r or s)",
	    (int)t->name_len, t->name, show(t->value, t->value_len).s);
}

/* Digits only, overflow-safe through numparse. */
static bool tag_number(struct dmarc_record *r, const struct tag *t, unsigned long max,
		       unsigned long *out)
{
	const char *why = NULL;
	size_t i;

	for (i = 0; i < t->value_len && is_digit(t->value[i]); i++)
		;
	if (t->value_len == 0 || i != t->value_len) {
		add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0, "%.*s=%s: not a number",
		    (int)t->name_len, t->name, show(t->value, t->value_len).s);
		return false;
	}
	if (!parse_ulong_buf(t->value, t->value_len, max, out, &why)) {
		add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0, "%.*s=%s: out of range (0-%lu)",
		    (int)t->name_len, t->name, show(t->value, t->value_len).s, max);
		return false;
	}
	return true;
}

static void tag_pct(struct dmarc_record *r, const struct tag *t)
{
	unsigned long v;

	if (!tag_number(r, t, 100, &v))
		return;
	r->has_pct = true;
	r->pct = (unsigned)v;
	/* RFC 7489 6.4: 1*3DIGIT */
	if (t->value_len > 3 || (t->value_len > 1 && t->value[0] == '0'))
		add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
		    "pct=%s: write it without leading zeros (%lu)", show(t->value, t->value_len).s,
		    v);
}

static void tag_ri(struct dmarc_record *r, const struct tag *t)
{
	unsigned long v;

	if (tag_number(r, t, 4294967295UL, &v))
		r->ri = (uint32_t)v;
}

/* Colon-separated lists of fo= and rf= (RFC 7489 6.4). Calls fn for
 * each element, WSP trimmed; an empty element is an error. */
static void colon_list(struct dmarc_record *r, const struct tag *t,
		       void (*fn)(struct dmarc_record *, const struct tag *, const char *, size_t))
{
	const char *p = t->value, *end = t->value + t->value_len;

	for (;;) {
		const char *c = memchr(p, ':', (size_t)(end - p));
		const char *e = c != NULL ? c : end;
		const char *s = p;
		size_t n = (size_t)(e - p);

		trim(&s, &n);
		if (n == 0) {
			add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0, "%.*s=%s: empty element",
			    (int)t->name_len, t->name, show(t->value, t->value_len).s);
			return;
		}
		fn(r, t, s, n);
		if (c == NULL)
			return;
		p = c + 1;
	}
}

static void fo_one(struct dmarc_record *r, const struct tag *t, const char *s, size_t n)
{
	static const char opts[] = "01ds";

	if (n == 1 && s[0] != '\0' && strchr(opts, lower(s[0])) != NULL) {
		r->fo |= 1u << (strchr(opts, lower(s[0])) - opts);
		if (s[0] != lower(s[0]))
			add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
			    "fo=%s: write %c in lower case", show(t->value, t->value_len).s, s[0]);
		return;
	}
	add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0, "fo=%s: invalid option %s (0, 1, d or s)",
	    show(t->value, t->value_len).s, show(s, n).s);
}

static void rf_one(struct dmarc_record *r, const struct tag *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_alpha(s[i]) && !is_digit(s[i]) && s[i] != '-') {
			add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0,
			    "rf=%s: invalid report format %s", show(t->value, t->value_len).s,
			    show(s, n).s);
			return;
		}
	if (n == 4 && memcmp(s, "afrf", 4) == 0)
		return;
	if (ieq(s, n, "afrf")) {
		add(r, DMARC_NONCANONICAL, STATE_WARNING, 0, "rf=%s: write afrf in lower case",
		    show(t->value, t->value_len).s);
		return;
	}
	add(r, DMARC_BAD_VALUE, STATE_WARNING, 0,
	    "rf=%s: unknown report format %s (RFC 7489 6.3 defines afrf)",
	    show(t->value, t->value_len).s, show(s, n).s);
}

/* RFC 9989 4.7 tags (psd=y|n|u, t=y|n). */
static void tag_yn(struct dmarc_record *r, const struct tag *t, const char *allowed, char *out)
{
	if (t->value_len == 1 && t->value[0] != '\0' && strchr(allowed, t->value[0]) != NULL) {
		*out = t->value[0];
		return;
	}
	add(r, DMARC_BAD_VALUE, STATE_CRITICAL, 0,
	    "%.*s=%s: invalid value (one of %s, RFC 9989 4.7)", (int)t->name_len, t->name,
	    show(t->value, t->value_len).s, allowed);
}

/* The local part of an addr-spec (RFC 5322 3.4.1): a dot-atom or a
 * quoted string. */
static bool local_part_ok(const char *s, size_t n)
{
	static const char atext[] = "!#$%&'*+-/=?^_`{|}~";

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		for (size_t i = 1; i + 1 < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if (c == '\\' && i + 2 < n) {
				i++;
				continue;
			}
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\')
				return false;
		}
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.')
				return false;
		} else if (!is_alpha(c) && !is_digit(c) &&
			   (c == '\0' || strchr(atext, c) == NULL)) {
			return false;
		}
	}
	return true;
}

static int hexval(char c)
{
	if (is_digit(c))
		return c - '0';
	c = lower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* mailto:addr-spec[?hfields] (RFC 6068), percent-decoded. On failure
 * returns the reason. */
static const char *parse_mailto(struct dmarc_uri *u, const char *p, size_t n)
{
	char addr[256 + 1];
	size_t alen = 0, at = 0;
	const char *q = memchr(p, '?', n);
	const char *why = NULL;

	if (q != NULL)
		n = (size_t)(q - p);
	if (n == 0)
		return "empty address";
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '%') {
			int h, l;

			if (i + 2 >= n)
				return "bad percent-encoding";
			h = hexval(p[i + 1]);
			l = hexval(p[i + 2]);
			if (h < 0 || l < 0)
				return "bad percent-encoding";
			c = (char)(h * 16 + l);
			i += 2;
		}
		/* RFC 5321 4.5.3.1.3: a path is at most 256 octets */
		if (alen >= 254)
			return "address longer than 254 bytes";
		addr[alen++] = c;
	}
	for (size_t i = 0; i < alen; i++)
		if (addr[i] == '@')
			at = i + 1;
	if (at == 0)
		return "no @ in the address";
	if (at == 1)
		return "empty local part";
	if (at == alen)
		return "empty domain";
	if (at - 1 > 64)
		return "local part longer than 64 bytes (RFC 5321 4.5.3.1.1)";
	if (!local_part_ok(addr, at - 1))
		return "invalid local part";
	if (addr[at] == '[')
		return "address literals are not supported";
	if (!dname_from_text(&u->domain, addr + at, alen - at, DNAME_HOSTNAME | DNAME_MULTILABEL,
			     &why))
		return why != NULL ? why : "invalid domain";
	dname_lower(&u->domain, &u->domain);
	return NULL;
}

/* "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] (RFC 7489 6.4), overflow-safe. */
static const char *parse_size(struct dmarc_uri *u, const char *p, size_t n)
{
	unsigned shift = 0;
	unsigned long v;
	const char *why;

	if (n > 0 && !is_digit(p[n - 1])) {
		switch (lower(p[n - 1])) {
		case 'k':
			shift = 10;
			break;
		case 'm':
			shift = 20;
			break;
		case 'g':
			shift = 30;
			break;
		case 't':
			shift = 40;
			break;
		default:
			return "bad size limit unit (k, m, g or t)";
		}
		n--;
	}
	if (n == 0)
		return "empty size limit";
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return "size limit is not a number";
	if (!parse_ulong_buf(p, n, (unsigned long)-1, &v, &why) ||
	    (uint64_t)v > (UINT64_MAX >> shift))
		return "size limit too large";
	u->has_size = true;
	u->size = (uint64_t)v << shift;
	return NULL;
}

/* RFC 3986 syntax of what follows a scheme other than mailto: its
 * characters, percent-encoding, and an authority whose host is a
 * closed IP literal or has no brackets. The reason, or NULL. */
static const char *uri_syntax(const char *p, size_t n)
{
	static const char other[] = "-._~:/?#[]@!$&'()*+,;=";
	const char *host;
	size_t an, hn, at = 0, i;

	for (i = 0; i < n; i++) {
		char c = p[i];

		if (c == '%') {
			if (i + 2 >= n || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0)
				return "bad percent-encoding";
			i += 2;
		} else if (!is_alpha(c) && !is_digit(c) &&
			   (c == '\0' || strchr(other, c) == NULL)) {
			return "a character URIs do not allow";
		}
	}
	if (n < 2 || p[0] != '/' || p[1] != '/')
		return memchr(p, '[', n) != NULL || memchr(p, ']', n) != NULL
			       ? "[ or ] outside a host"
			       : NULL;
	for (an = 0; 2 + an < n && strchr("/?#", p[2 + an]) == NULL; an++)
		if (p[2 + an] == '@')
			at = an + 1;
	host = p + 2 + at;
	hn = an - at;
	if (hn == 0 || host[0] == ':')
		return "empty host";
	if (host[0] == '[') {
		const char *close = memchr(host, ']', hn);

		if (close == NULL)
			return "unclosed [ in the host";
		for (const char *x = host + 1; x < close; x++)
			if (hexval(*x) < 0 && *x != ':' && *x != '.' && *x != 'v' && *x != 'V')
				return "invalid IP literal";
		if (close == host + 1)
			return "empty IP literal";
		hn -= (size_t)(close + 1 - host);
		host = close + 1;
		if (hn > 0 && host[0] != ':')
			return "junk after the IP literal";
	}
	if (memchr(host, '[', hn) != NULL || memchr(host, ']', hn) != NULL)
		return "[ or ] outside an IP literal";
	for (i = hn; i > 0 && host[i - 1] != ':'; i--)
		;
	for (size_t j = i; i > 0 && j < hn; j++)
		if (!is_digit(host[j]))
			return "port is not a number";
	return NULL;
}

static void parse_uri(struct dmarc_record *r, const struct tag *t, struct dmarc_uri *u,
		      const char *p, size_t n)
{
	const char *bang = memchr(p, '!', n);
	size_t un = bang != NULL ? (size_t)(bang - p) : n;
	const char *why = NULL;
	size_t i;

	memset(u, 0, sizeof(*u));
	out_bytes(u->text, sizeof(u->text), p, n);
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986) */
	for (i = 0; i < un && (is_alpha(p[i]) || (i > 0 && (is_digit(p[i]) || p[i] == '+' ||
							    p[i] == '-' || p[i] == '.')));
	     i++)
		;
	if (i == 0 || i >= un || p[i] != ':') {
		why = "no URI scheme (mailto: missing?)";
	} else {
		if (bang != NULL)
			why = parse_size(u, bang + 1, n - un - 1);
		if (why == NULL && ieq(p, i, "mailto")) {
			u->mailto = true;
			why = parse_mailto(u, p + i + 1, un - i - 1);
		} else if (why == NULL && un - i - 1 == 0) {
			why = "empty URI after the scheme";
		} else if (why == NULL) {
			why = uri_syntax(p + i + 1, un - i - 1);
		}
	}
	if (why != NULL) {
		/* receivers discard it (RFC 7489 6.3); a record left with
		 * no valid rua= URI is reported as such */
		r->ndiscarded++;
		add(r, DMARC_URI_INVALID, STATE_WARNING, 0,
		    "%.*s=%s: malformed URI: %s; receivers ignore it", (int)t->name_len, t->name,
		    u->text, why);
		return;
	}
	u->valid = true;
	if (!u->mailto)
		add(r, DMARC_URI_SCHEME, STATE_WARNING, 0,
		    "%.*s=%s: receivers need only support mailto: URIs "
		    "(RFC 7489 6.2); reports may never be sent",
		    (int)t->name_len, t->name, u->text);
}

/* rua=/ruf=: dmarc-uri *(*WSP "," *WSP dmarc-uri) (RFC 7489 6.4). */
static void tag_uris(struct dmarc_record *r, const struct tag *t, struct dmarc_uri_list *l)
{
	const char *p = t->value, *end = t->value + t->value_len;

	l->present = true;
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c != NULL ? c : end;
		const char *s = p;
		size_t n = (size_t)(e - p);

		trim(&s, &n);
		l->count++;
		if (n == 0) {
			r->ndiscarded++;
			add(r, DMARC_URI_INVALID, STATE_WARNING, 0,
			    "%.*s=%s: malformed: empty URI (stray comma?)", (int)t->name_len,
			    t->name, show(t->value, t->value_len).s);
		} else if (l->n < LIMIT_DMARC_URIS) {
			if (l->uri == NULL) {
				/* bounded: counted before allocating */
				size_t cap = 1;

				for (const char *x = p; x < end; x++)
					if (*x == ',' && cap < LIMIT_DMARC_URIS)
						cap++;
				l->uri = calloc(cap, sizeof(*l->uri));
				if (l->uri == NULL) {
					add(r, DMARC_URI_DROPPED, STATE_CRITICAL, 0,
					    "out of memory");
					return;
				}
			}
			parse_uri(r, t, &l->uri[l->n], s, n);
			l->nvalid += l->uri[l->n++].valid;
		}
		if (c == NULL)
			break;
		p = c + 1;
	}
	if (l->count > LIMIT_DMARC_URIS)
		add(r, DMARC_URI_DROPPED, STATE_WARNING, 0,
		    "%.*s: %zu URIs; those after the first %d not examined", (int)t->name_len,
		    t->name, l->count, LIMIT_DMARC_URIS);
	if (l->count > LIMIT_DMARC_URIS_ADVISED)
		add(r, DMARC_URI_COUNT, STATE_WARNING, 0,
		    "%zu %.*s URIs (receivers need only support %d, "
		    "RFC 7489 6.2)",
		    l->count, (int)t->name_len, t->name, LIMIT_DMARC_URIS_ADVISED);
}

enum known {
	K_V,
	K_P,
	K_SP,
	K_NP,
	K_ADKIM,
	K_ASPF,
	K_PCT,
	K_FO,
	K_RF,
	K_RI,
	K_RUA,
	K_RUF,
	K_PSD,
	K_T,
	K_COUNT
};
static const char *const known_names[K_COUNT] = {"v",  "p",  "sp", "np",  "adkim", "aspf", "pct",
						 "fo", "rf", "ri", "rua", "ruf",   "psd",  "t"};

static int known_tag(const struct tag *t)
{
	for (int k = 0; k < K_COUNT; k++)
		if (ieq(t->name, t->name_len, known_names[k]))
			return k;
	return -1;
}

/* What receivers apply when tag k's value is discarded (RFC 7489 6.3,
 * RFC 9091 for np=, RFC 9989 4.7 for psd= and t=), for messages. */
static const char *default_text(int k)
{
	switch (k) {
	case K_SP:
		return "sp= takes p='s policy";
	case K_NP:
		return "np= takes sp='s policy, else p='s";
	case K_ADKIM:
		return "adkim=r applies";
	case K_ASPF:
		return "aspf=r applies";
	case K_PCT:
		return "pct=100 applies";
	case K_FO:
		return "fo=0 applies";
	case K_RF:
		return "rf=afrf applies";
	case K_RI:
		return "ri=86400 applies";
	case K_PSD:
		return "psd=u applies";
	case K_T:
		return "t=n applies";
	default:
		return "none";
	}
}

/* Tag k's value found invalid by the findings from n0 on: one warning
 * naming the tag, the value and the default, the value reset to the
 * default (RFC 7489 6.3: "syntax errors in the remainder of the record
 * SHOULD be discarded in favor of default values"). */
static void discard(struct dmarc_record *r, int k, size_t n0, bool valid0)
{
	struct finding_list *l = &r->findings;
	char why[DMARC_FINDING_TEXT];
	size_t i, j;

	for (i = n0; i < l->n; i++)
		if (l->v[i].code == DMARC_BAD_VALUE)
			break;
	if (i == l->n)
		return;
	memcpy(why, l->v[i].text, sizeof(why));
	r->valid = valid0;
	for (i = j = n0; i < l->n; i++) {
		if (l->v[i].code == DMARC_BAD_VALUE)
			continue;
		if (l->v[i].state == STATE_CRITICAL)
			r->valid = false;
		l->v[j++] = l->v[i];
	}
	l->n = j;
	switch (k) {
	case K_SP:
		r->has_sp = false;
		r->sp = DMARC_POLICY_NONE;
		break;
	case K_NP:
		r->has_np = false;
		r->np = DMARC_POLICY_NONE;
		break;
	case K_ADKIM:
		r->adkim = 'r';
		break;
	case K_ASPF:
		r->aspf = 'r';
		break;
	case K_PCT:
		r->has_pct = false;
		r->pct = 100;
		break;
	case K_FO:
		r->fo = DMARC_FO_0;
		break;
	case K_RI:
		r->ri = 86400;
		break;
	case K_PSD:
		r->psd = 'u';
		break;
	case K_T:
		r->testing = false;
		break;
	default:
		break;
	}
	r->ndiscarded++;
	add(r, DMARC_BAD_VALUE, STATE_WARNING, 0,
	    "%.200s; receivers discard "
	    "it: %s (RFC 7489 6.3)",
	    why, default_text(k));
}

static void apply(struct dmarc_record *r, int k, const struct tag *t)
{
	size_t n0 = r->findings.n;
	bool valid0 = r->valid;
	char tv = 'n';

	switch (k) {
	case K_P:
		r->has_p = tag_policy(r, t, &r->p);
		break;
	case K_SP:
		r->has_sp = tag_policy(r, t, &r->sp);
		break;
	case K_NP:
		r->has_np = tag_policy(r, t, &r->np);
		break;
	case K_ADKIM:
		tag_align(r, t, &r->adkim);
		break;
	case K_ASPF:
		tag_align(r, t, &r->aspf);
		break;
	case K_PCT:
		tag_pct(r, t);
		break;
	case K_FO:
		r->fo = 0;
		colon_list(r, t, fo_one);
		break;
	case K_RF:
		colon_list(r, t, rf_one);
		break;
	case K_RI:
		tag_ri(r, t);
		break;
	case K_RUA:
		tag_uris(r, t, &r->rua);
		break;
	case K_RUF:
		tag_uris(r, t, &r->ruf);
		break;
	case K_PSD:
		tag_yn(r, t, "ynu", &r->psd);
		break;
	case K_T:
		tag_yn(r, t, "yn", &tv);
		r->testing = tv == 'y';
		break;
	default:
		break;
	}
	/* p= is judged with rua= at the end (DMARC_P_MISSING); rua=/ruf=
	 * URIs one by one */
	if (k != K_P && k != K_RUA && k != K_RUF && k != K_V)
		discard(r, k, n0, valid0);
}

static void list_unknown(struct dmarc_record *r, const struct tag_list *l, const bool *unknown)
{
	char buf[200];
	size_t used = 0, shown = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < l->n; i++) {
		char name[VAL_SHOWN + 16];
		int w;

		if (!unknown[i])
			continue;
		out_bytes(name, sizeof(name), l->tags[i].name, l->tags[i].name_len);
		w = snprintf(buf + used, sizeof(buf) - used, "%s%s", shown > 0 ? ", " : "", name);
		if (w < 0 || (size_t)w >= sizeof(buf) - used) {
			buf[used] = '\0';
			break;
		}
		used += (size_t)w;
		shown++;
	}
	add(r, DMARC_UNKNOWN_TAGS, STATE_OK, 1,
	    "unknown tags ignored (RFC 9989 4.7, RFC 7489 6.3): %s%s (%zu in "
	    "all)",
	    buf, shown < r->nunknown ? ", ..." : "", r->nunknown);
}

/*
 * No valid p= (RFC 7489 6.6.3 step 6): with a valid rua= URI receivers
 * act as if p=none were there (RFC 9989 4.7 makes p= optional with that
 * default): a warning; without one they apply no DMARC processing: an
 * error. invalid: p= is there with the error of tag_policy().
 */
static void p_missing(struct dmarc_record *r, bool invalid)
{
	r->p = DMARC_POLICY_NONE;
	if (r->rua.nvalid == 0) {
		if (!invalid)
			add(r, DMARC_P_MISSING, STATE_CRITICAL, 0,
			    "p= missing "
			    "and no valid rua= URI: receivers apply no DMARC "
			    "policy (RFC 7489 6.6.3 step 6)");
		return;
	}
	r->ndiscarded++;
	if (!invalid) {
		add(r, DMARC_P_MISSING, STATE_WARNING, 0,
		    "p= missing: receivers "
		    "apply none, as rua= has a valid URI (RFC 7489 6.6.3 step "
		    "6, RFC 9989 4.7)");
		return;
	}
	r->valid = true;
	for (size_t i = 0; i < r->findings.n; i++) {
		struct finding *f = &r->findings.v[i];
		char why[DMARC_FINDING_TEXT];

		if (f->code == DMARC_BAD_VALUE && f->state == STATE_CRITICAL) {
			memcpy(why, f->text, sizeof(why));
			f->code = DMARC_P_MISSING;
			f->state = STATE_WARNING;
			snprintf(f->text, DMARC_FINDING_TEXT,
				 "%.200s: receivers "
				 "apply none, as rua= has a valid URI (RFC 7489 "
				 "6.6.3 step 6, RFC 9989 4.7)",
				 why);
		} else if (f->state == STATE_CRITICAL) {
			r->valid = false;
		}
	}
}

/* dmarc_parse() on a zeroed record. */
static void parse(struct dmarc_record *r, const char *rec, size_t len)
{
	struct tag_list l;
	bool *unknown = NULL;
	const struct tag *seen[K_COUNT] = {0};

	r->adkim = r->aspf = 'r';
	r->pct = 100;
	r->fo = DMARC_FO_0;
	r->ri = 86400;
	r->psd = 'u';
	r->valid = true;
	if (!dmarc_is_record(rec, len)) {
		add(r, DMARC_NOT_RECORD, STATE_CRITICAL, 0,
		    "not a DMARC record:"
		    " it must start with v=DMARC1 (RFC 7489 6.3): %s",
		    show(rec, len).s);
		return;
	}
	r->is_dmarc = true;
	memset(&l, 0, sizeof(l));
	if (!tag_list_parse(rec, len, LIMIT_DMARC_TAGS, &l)) {
		switch (l.error) {
		case TV_DUPLICATE:
			add(r, DMARC_DUPLICATE, STATE_CRITICAL, 0,
			    "duplicate tag %s (RFC 7489 6.3, RFC 6376 3.2)", l.error_tag);
			break;
		case TV_TOO_MANY:
			add(r, DMARC_TOO_MANY_TAGS, STATE_CRITICAL, 0, "more than %d tags",
			    LIMIT_DMARC_TAGS);
			break;
		case TV_NOMEM:
			add(r, DMARC_SYNTAX, STATE_CRITICAL, 0, "out of memory");
			break;
		default:
			add(r, DMARC_SYNTAX, STATE_CRITICAL, 0, "%s%s%s at byte %zu",
			    tv_error_str(l.error), l.error_tag[0] != '\0' ? " in tag " : "",
			    l.error_tag, l.error_pos);
			break;
		}
	}
	r->ntags = l.n;
	if (l.n > 0)
		unknown = calloc(l.n, sizeof(*unknown));
	if (l.n > 0 && unknown == NULL) {
		add(r, DMARC_SYNTAX, STATE_CRITICAL, 0, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < l.n; i++) {
		const struct tag *t = &l.tags[i];
		int k = known_tag(t);

		if (k < 0) {
			unknown[i] = true;
			r->nunknown++;
			continue;
		}
		if (seen[k] != NULL) {
			/* tagvalue compares names case-sensitively; the
			 * grammar does not (p= and P= are one tag) */
			add(r, DMARC_DUPLICATE, STATE_CRITICAL, 0,
			    "duplicate tag %s (RFC 7489 6.3, RFC 6376 3.2)", known_names[k]);
			continue;
		}
		seen[k] = t;
		if (!all_lower(t->name, t->name_len))
			add(r, DMARC_NONCANONICAL, STATE_WARNING, 0,
			    "tag %s=: write the name in lower case (%s=)",
			    show(t->name, t->name_len).s, known_names[k]);
		if (k == K_V && i != 0)
			add(r, DMARC_NOT_RECORD, STATE_CRITICAL, 0,
			    "v= is not the first tag (RFC 7489 6.3)");
		apply(r, k, t);
	}
	/* after a syntax error p= may be in the part not parsed */
	if ((seen[K_P] == NULL && l.error == TV_OK) || (seen[K_P] != NULL && !r->has_p))
		p_missing(r, seen[K_P] != NULL);
	else if (l.n > 1 && seen[K_P] != NULL && seen[K_P] != &l.tags[1])
		add(r, DMARC_NONCANONICAL, STATE_OK, 1,
		    "p= is not the second tag: RFC 9989 4.7 allows that, but "
		    "RFC 7489 6.4's grammar has it second and some receivers "
		    "on it expect it there");
	for (int k = K_PCT; k <= K_RI; k++)
		if (seen[k] != NULL && k != K_FO)
			add(r, DMARC_OBSOLETE, STATE_OK, 1,
			    "%s=: obsolete, "
			    "removed by RFC 9989, whose receivers ignore it "
			    "(receivers on RFC 7489 still read it)",
			    known_names[k]);
	if (seen[K_FO] != NULL && seen[K_RUF] == NULL)
		add(r, DMARC_USELESS, STATE_OK, 1, "fo= has no effect without ruf=");
	if (r->nunknown > 0)
		list_unknown(r, &l, unknown);
out:
	free(unknown);
	tag_list_free(&l);
}

struct dmarc_record *dmarc_parse(const char *rec, size_t len)
{
	struct dmarc_record *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		return NULL;
	}
	parse(r, rec, len);
	if (r->findings.oom) {
		/* a finding lost: the record would look better than it is */
		dmarc_record_free(r);
		return NULL;
	}
	return r;
}

void dmarc_record_free(struct dmarc_record *r)
{
	if (r == NULL)
		return;
	free(r->rua.uri);
	free(r->ruf.uri);
	finding_list_clear(&r->findings);
	free(r);
}

/* Append len bytes to a growing heap string. */
static bool append(char **buf, size_t *used, size_t *cap, const char *p, size_t len)
{
	if (*used + len + 1 > *cap) {
		size_t ncap = (*used + len + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (nb == NULL)
			return false;
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *used, p, len);
	*used += len;
	(*buf)[*used] = '\0';
	return true;
}

char *dmarc_rebuild(const char *rec, size_t len, const struct dmarc_edit *e, size_t n)
{
	struct tag_list l;
	char *buf = NULL;
	size_t used = 0, cap = 0;
	bool ok = append(&buf, &used, &cap, "v=DMARC1", 8);
	bool *done = calloc(n + 1, sizeof(*done));

	memset(&l, 0, sizeof(l));
	if (rec != NULL)
		(void)tag_list_parse(rec, len, LIMIT_DMARC_TAGS, &l);
	for (size_t i = 0; ok && done != NULL && i < l.n; i++) {
		const struct tag *t = &l.tags[i];
		const char *v = t->value;
		size_t vlen = t->value_len;
		size_t k;

		if (ieq(t->name, t->name_len, "v"))
			continue;
		for (k = 0; k < n; k++)
			if (ieq(t->name, t->name_len, e[k].tag))
				break;
		if (k < n) {
			if (done[k] || e[k].value == NULL)
				continue;
			done[k] = true;
			v = e[k].value;
			vlen = strlen(v);
		}
		ok = append(&buf, &used, &cap, "; ", 2) &&
		     append(&buf, &used, &cap, t->name, t->name_len) &&
		     append(&buf, &used, &cap, "=", 1) && append(&buf, &used, &cap, v, vlen);
	}
	for (size_t k = 0; ok && done != NULL && k < n; k++)
		if (!done[k] && e[k].value != NULL)
			ok = append(&buf, &used, &cap, "; ", 2) &&
			     append(&buf, &used, &cap, e[k].tag, strlen(e[k].tag)) &&
			     append(&buf, &used, &cap, "=", 1) &&
			     append(&buf, &used, &cap, e[k].value, strlen(e[k].value));
	tag_list_free(&l);
	if (!ok || done == NULL) {
		free(buf);
		buf = NULL;
	}
	free(done);
	return buf;
}

/* Does the value pass the checks of known tag k on its own? The checks
 * of dmarc_parse(), on a scratch record. *canonical (when not NULL):
 * also written as RFC 7489 6.4 writes it (no "write it in lower case"
 * warning). */
static bool value_check(int k, const char *v, size_t vlen, bool *canonical)
{
	struct dmarc_record r;
	struct tag t = {known_names[k], strlen(known_names[k]), v, vlen, 0};
	enum dmarc_policy pol;
	bool ok;

	memset(&r, 0, sizeof(r));
	r.valid = true;
	if (k == K_P)
		(void)tag_policy(&r, &t, &pol);
	else
		apply(&r, k, &t);
	ok = r.valid && r.ndiscarded == 0 && !r.findings.oom;
	if (canonical != NULL) {
		*canonical = true;
		for (size_t i = 0; i < r.findings.n; i++)
			if (r.findings.v[i].code == DMARC_NONCANONICAL &&
			    r.findings.v[i].state == STATE_WARNING)
				*canonical = false;
	}
	free(r.rua.uri);
	free(r.ruf.uri);
	finding_list_clear(&r.findings);
	return ok;
}

static bool value_ok(int k, const char *v, size_t vlen)
{
	return value_check(k, v, vlen, NULL);
}

/* A valid value of known tag k as RFC 7489 6.4 writes it, so that the
 * fix: line carries no "write it in lower case" warning of its own: in
 * lower case, a policy prefix ("rej") in full, a number without leading
 * zeros. Appends to buf; false on out of memory. */
static bool append_canonical(int k, const char *v, size_t vlen, char **buf, size_t *used,
			     size_t *cap)
{
	char low[64];
	bool canon;

	if (vlen >= sizeof(low) || (value_check(k, v, vlen, &canon) && canon))
		return append(buf, used, cap, v, vlen);
	for (size_t i = 0; i < vlen; i++)
		low[i] = lower(v[i]);
	low[vlen] = '\0';
	if (k == K_P || k == K_SP || k == K_NP) {
		static const enum dmarc_policy all[] = {DMARC_POLICY_NONE, DMARC_POLICY_QUARANTINE,
							DMARC_POLICY_REJECT};
		for (size_t i = 0; i < 3; i++) {
			const char *name = dmarc_policy_str(all[i]);
			if (vlen > 0 && strncmp(name, low, vlen) == 0)
				return append(buf, used, cap, name, strlen(name));
		}
	}
	if (k == K_PCT || k == K_RI) {
		size_t z = 0;
		while (z + 1 < vlen && low[z] == '0')
			z++;
		return append(buf, used, cap, low + z, vlen - z);
	}
	if (value_check(k, low, vlen, &canon) && canon)
		return append(buf, used, cap, low, vlen);
	return append(buf, used, cap, v, vlen);
}

/* rua=/ruf=: the valid URIs of v joined with ",", those without a
 * scheme tried again as mailto: (RFC 7489 6.4 dmarc-uri). False when
 * none is left. */
static bool repair_uris(int k, const char *v, size_t vlen, char **buf, size_t *used, size_t *cap,
			bool *ok)
{
	const char *p = v, *end = v + vlen;
	size_t kept = 0, n;

	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c != NULL ? c : end;
		const char *s = p;
		bool plain, with_mailto = false;

		n = (size_t)(e - p);
		trim(&s, &n);
		plain = n > 0 && value_ok(k, s, n);
		if (!plain && n > 0 && n < 512 && memchr(s, ':', n) == NULL &&
		    memchr(s, '@', n) != NULL) {
			char m[512 + 8];

			memcpy(m, "mailto:", 7);
			memcpy(m + 7, s, n);
			with_mailto = value_ok(k, m, n + 7);
		}
		if ((plain || with_mailto) && kept < LIMIT_DMARC_URIS && *ok) {
			*ok = (kept == 0 || append(buf, used, cap, ",", 1)) &&
			      (!with_mailto || append(buf, used, cap, "mailto:", 7)) &&
			      append(buf, used, cap, s, n);
			kept++;
		}
		if (c == NULL)
			break;
		p = c + 1;
	}
	return kept > 0;
}

/* A misspelt p= ("rejetc", "Quarantaine"): the policy its first letter
 * names, so the fix does not weaken what was meant; never weaker than
 * floor. */
static enum dmarc_policy guess_policy(const struct tag *t, enum dmarc_policy floor)
{
	enum dmarc_policy g = floor;

	if (t->value_len > 0)
		switch (lower(t->value[0])) {
		case 'r':
			g = DMARC_POLICY_REJECT;
			break;
		case 'q':
			g = DMARC_POLICY_QUARANTINE;
			break;
		default:
			break;
		}
	return g > floor ? g : floor;
}

char *dmarc_repair(const char *rec, size_t len, enum dmarc_policy policy)
{
	const char *pname = dmarc_policy_str(policy);
	char *buf = NULL;
	size_t used = 0, cap = 0, pos = 0, ntags = 0;
	bool seen[K_COUNT] = {false};
	bool ok = append(&buf, &used, &cap, "v=DMARC1", 8);
	/* where p= goes when it is missing: right after v= (RFC 7489 6.4) */
	size_t p_at = used;
	/* unknown tag names kept, to drop their duplicates */
	struct tag *kept = calloc(LIMIT_DMARC_TAGS, sizeof(*kept));

	ok = ok && kept != NULL;
	while (ok && pos < len) {
		struct tag_list l;
		const char *semi;

		(void)tag_list_parse(rec + pos, len - pos, LIMIT_DMARC_TAGS, &l);
		for (size_t i = 0; ok && i < l.n; i++) {
			const struct tag *t = &l.tags[i];
			int k = known_tag(t);
			size_t u, mark = used;

			if (k == K_V)
				continue;
			if (k >= 0) {
				if (seen[k])
					continue;
				seen[k] = true;
			} else {
				/* tagvalue compares names case-sensitively */
				for (u = 0; u < ntags; u++)
					if (kept[u].name_len == t->name_len &&
					    memcmp(kept[u].name, t->name, t->name_len) == 0)
						break;
				if (u < ntags || ntags >= LIMIT_DMARC_TAGS)
					continue;
				kept[ntags++] = *t;
			}
			ok = append(&buf, &used, &cap, "; ", 2) &&
			     (k >= 0 ? append(&buf, &used, &cap, known_names[k],
					      strlen(known_names[k]))
				     : append(&buf, &used, &cap, t->name, t->name_len)) &&
			     append(&buf, &used, &cap, "=", 1);
			if (!ok)
				break;
			if (k < 0)
				ok = append(&buf, &used, &cap, t->value, t->value_len);
			else if (value_ok(k, t->value, t->value_len))
				ok = append_canonical(k, t->value, t->value_len, &buf, &used, &cap);
			else if (k == K_P)
				ok = append(&buf, &used, &cap,
					    dmarc_policy_str(guess_policy(t, policy)),
					    strlen(dmarc_policy_str(guess_policy(t, policy))));
			else if ((k != K_RUA && k != K_RUF) ||
				 !repair_uris(k, t->value, t->value_len, &buf, &used, &cap, &ok)) {
				used = mark; /* dropped: its default applies */
				buf[used] = '\0';
			}
		}
		semi = NULL;
		if (l.error == TV_SYNTAX || l.error == TV_BAD_VALUE || l.error == TV_DUPLICATE)
			semi = memchr(rec + pos + l.error_pos, ';', len - pos - l.error_pos);
		tag_list_free(&l);
		if (semi == NULL)
			break;
		pos = (size_t)(semi - rec) + 1;
	}
	free(kept);
	if (ok && !seen[K_P]) {
		/* p= is required (RFC 7489 6.3): after v=DMARC1, as 6.4 */
		char *out = NULL;
		size_t oused = 0, ocap = 0;

		ok = append(&out, &oused, &ocap, buf, p_at) &&
		     append(&out, &oused, &ocap, "; p=", 4) &&
		     append(&out, &oused, &ocap, pname, strlen(pname)) &&
		     append(&out, &oused, &ocap, buf + p_at, used - p_at);
		free(buf);
		buf = out;
	}
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

bool dmarc_near_miss(const char *p, size_t n)
{
	return txtv_near_miss(&dmarc_version, p, n);
}

size_t dmarc_report_domains(const struct dmarc_record *r, struct dname *out, size_t max,
			    size_t *more)
{
	const struct dmarc_uri_list *lists[2] = {&r->rua, &r->ruf};
	size_t n = 0;

	*more = 0;
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct dmarc_uri *u = &lists[l]->uri[i];
			size_t k;

			if (!u->valid || !u->mailto)
				continue;
			for (k = 0; k < n && !dname_equal(&out[k], &u->domain); k++)
				;
			if (k < n)
				continue;
			if (n == max)
				(*more)++;
			else
				out[n++] = u->domain;
		}
	return n;
}
