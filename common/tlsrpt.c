/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLS-RPT records, RFC 8460 3:
 *
 *   tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field)
 *                   [field-delim]
 *   tlsrpt-version = %s"v=TLSRPTv1"
 *   tlsrpt-rua    = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
 *   tlsrpt-uri    = URI (RFC 3986); commas and exclamation points
 *                   MUST be encoded
 *
 * "Two URI schemes are supported: "mailto" and "https"" (RFC 8460 3).
 * Stricter than senders on purpose (HACKING.md 6).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tlsrpt.h"
#include "bounds.h"
#include "text.h"
#include "resolver.h"
#include "txtfield.h"

#define SHOWN 64

static bool is_wsp(char c)
{
	return c == ' ' || c == '\t';
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

static bool ieq(const char *p, size_t n, const char *word)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (word[i] == '\0' || lower(p[i]) != word[i]) {
			return false;
		}
	}
	return word[i] == '\0';
}

struct shown {
	char s[SHOWN + 16];
};

static struct shown show(const char *p, size_t n)
{
	struct shown v = {""};

	out_bytes(v.s, sizeof(v.s), p, n);
	return v;
}

/* The default state of each finding (HACKING.md 6), with the rule it
 * follows; the plugin may change it. */
enum state tlsrpt_default_state(int code)
{
	switch (code) {
	case TLSRPT_MULTIPLE:      /* 3: not exactly one: no reports */
	case TLSRPT_NOT_RECORD:    /* 3: discarded by senders */
	case TLSRPT_SYNTAX:        /* 3: outside the grammar */
	case TLSRPT_RUA_MISSING:   /* 3: rua is required */
	case TLSRPT_NO_USABLE_URI: /* 3: nowhere to send reports */
	case TLSRPT_NOMEM:
		return STATE_CRITICAL;
	case TLSRPT_EXTENSION:
		return STATE_OK;
	default: /* one URI of several, spacing, the bound */
		return STATE_WARNING;
	}
}

#define ADD(fl, code, verbose, ...)                                                                \
	finding_add(fl, code, tlsrpt_default_state(code), verbose, __VA_ARGS__)

/* RFC 8460 3: tlsrpt-version = %s"v=TLSRPTv1", then a delimiter; a near
 * miss ("V=TLSRPTv1", "v = tlsrptv1", "v=TLSRPTv10") is someone who meant
 * a TLS-RPT record that no sender reads. */
static const struct txtv tlsrpt_version = {"TLSRPTv1", "tlsrptv", 0};

bool tlsrpt_is_record(const char *rec, size_t len)
{
	return txtv_match(&tlsrpt_version, rec, len) > 0;
}

/* An answer's TXT records; other types and data-less ones are skipped. */
static bool rr_text(const void *set, size_t i, const char **rec, size_t *len)
{
	const struct dns_rr *rr = (const struct dns_rr *)set + i;

	*rec = (const char *)rr->u.txt.data;
	*len = rr->u.txt.len;
	return rr->type == DNS_T_TXT && !(*rec == NULL && *len > 0);
}

size_t tlsrpt_record_select(const struct dns_rr *rr, size_t nrr, struct finding_list *fl,
			    const struct dns_rr **chosen)
{
	struct txtv_pick pick;
	size_t shown = 0;

	txtv_select(&tlsrpt_version, rr, nrr, rr_text, &pick);
	for (size_t i = txtv_next_near(&tlsrpt_version, rr, nrr, rr_text, 0); i < nrr && shown < 4;
	     i = txtv_next_near(&tlsrpt_version, rr, nrr, rr_text, i + 1), shown++) {
		ADD(fl, TLSRPT_NEAR_MISS, 0,
		    "TXT record %s looks like TLS-RPT but senders ignore it: it "
		    "must begin with v=TLSRPTv1, case-sensitive (RFC 8460 3)",
		    show((const char *)rr[i].u.txt.data, rr[i].u.txt.len).s);
	}
	*chosen = pick.count == 1 ? &rr[pick.first] : NULL;
	if (pick.count > 1) {
		ADD(fl, TLSRPT_MULTIPLE, 0,
		    "%zu TLS-RPT records (v=TLSRPTv1): senders send no reports unless "
		    "there is exactly one (RFC 8460 3)",
		    pick.count);
	}
	return pick.count;
}

static int hexval(char c)
{
	if (is_digit(c)) {
		return c - '0';
	}
	c = lower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 5322 3.4.1 local part: a dot-atom or a quoted string. */
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
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (i == 0 || i + 1 == n || s[i + 1] == '.') {
				return false;
			}
		} else if (!is_alpha(c) && !is_digit(c) &&
			   (c == '\0' || strchr(atext, c) == NULL)) {
			return false;
		}
	}
	return true;
}

/* RFC 3986 characters: unreserved, reserved and "%" HEXDIG HEXDIG. */
static const char *uri_chars(const char *p, size_t n)
{
	static const char other[] = "-._~:/?#[]@!$&'()*+,;=";

	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '%') {
			if (i + 2 >= n || hexval(p[i + 1]) < 0 || hexval(p[i + 2]) < 0) {
				return "bad percent-encoding";
			}
			i += 2;
		} else if (!is_alpha(c) && !is_digit(c) &&
			   (c == '\0' || strchr(other, c) == NULL)) {
			return "a character URIs do not allow (RFC 3986)";
		}
	}
	return NULL;
}

/* mailto:addr-spec[?hfields] (RFC 6068), one address, percent-decoded. */
static const char *parse_mailto(struct tlsrpt_uri *u, const char *p, size_t n)
{
	char addr[256];
	size_t alen = 0, at = 0;
	const char *q = memchr(p, '?', n), *why = NULL;

	if (q != NULL) {
		n = (size_t)(q - p);
	}
	if (n == 0) {
		return "no address after mailto:";
	}
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '%') {
			c = (char)(hexval(p[i + 1]) * 16 + hexval(p[i + 2])); /* checked */
			i += 2;
		}
		/* RFC 5321 4.5.3.1.3: a path is at most 256 octets */
		if (alen >= 254) {
			return "address longer than 254 bytes";
		}
		addr[alen++] = c;
	}
	if (memchr(addr, ',', alen) != NULL) {
		return "more than one address in one mailto: URI";
	}
	for (size_t i = 0; i < alen; i++) {
		if (addr[i] == '@') {
			at = i + 1;
		}
	}
	if (at == 0) {
		return "no @ in the address";
	}
	if (at == 1) {
		return "empty local part";
	}
	if (at == alen) {
		return "no domain after the @";
	}
	if (at - 1 > 64) {
		return "local part longer than 64 bytes (RFC 5321 4.5.3.1.1)";
	}
	if (!local_part_ok(addr, at - 1)) {
		return "invalid local part";
	}
	if (addr[at] == '[') {
		return "an address literal as the domain";
	}
	if (!dname_from_text(&u->domain, addr + at, alen - at, DNAME_HOSTNAME | DNAME_MULTILABEL,
			     &why)) {
		return why != NULL ? why : "invalid domain";
	}
	dname_lower(&u->domain, &u->domain);
	return NULL;
}

/* https://authority[/path...]: the host as a name or an IP literal. */
static const char *parse_https(struct tlsrpt_uri *u, const char *p, size_t n)
{
	const char *host, *why = NULL;
	size_t an = 0, at = 0, hn, i;
	bool digits_dots = true;

	if (n < 2 || p[0] != '/' || p[1] != '/') {
		return "no //host after https:";
	}
	while (2 + an < n && strchr("/?#", p[2 + an]) == NULL) {
		if (p[2 + an] == '@') {
			at = an + 1;
		}
		an++;
	}
	host = p + 2 + at;
	hn = an - at;
	if (hn > 0 && host[0] == '[') {
		const char *close = memchr(host, ']', hn);

		if (close == NULL || close == host + 1) {
			return "an unclosed or empty [ ] in the host";
		}
		for (const char *x = host + 1; x < close; x++) {
			if (hexval(*x) < 0 && *x != ':' && *x != '.') {
				return "invalid IP literal";
			}
		}
		u->ip_literal = true;
		hn -= (size_t)(close + 1 - host);
		host = close + 1;
		if (hn > 0 && host[0] != ':') {
			return "junk after the IP literal";
		}
	} else {
		size_t port = hn;

		for (i = 0; i < hn; i++) {
			if (host[i] == ':') {
				port = i;
				break;
			}
		}
		for (i = port + 1; i < hn; i++) {
			if (!is_digit(host[i])) {
				return "port is not a number";
			}
		}
		hn = port;
		if (hn == 0) {
			return "empty host";
		}
		for (i = 0; i < hn; i++) {
			if (!is_digit(host[i]) && host[i] != '.') {
				digits_dots = false;
			}
		}
		if (digits_dots) {
			u->ip_literal = true;
			return NULL;
		}
		if (!dname_from_text(&u->domain, host, hn, DNAME_HOSTNAME | DNAME_MULTILABEL,
				     &why)) {
			return why != NULL ? why : "invalid host name";
		}
		dname_lower(&u->domain, &u->domain);
	}
	return NULL;
}

/* One tlsrpt-uri, WSP trimmed. The reason it is unusable, or NULL. */
static const char *parse_uri(struct tlsrpt_uri *u, const char *p, size_t n)
{
	const char *why;
	size_t i;

	memset(u, 0, sizeof(*u));
	dname_root(&u->domain);
	out_bytes(u->text, sizeof(u->text), p, n);
	if (n == 0) {
		return "empty URI (a stray comma?)";
	}
	if (memchr(p, '!', n) != NULL) {
		return "'!' must be percent-encoded (RFC 8460 3)";
	}
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 3.1) */
	for (i = 0; i < n && (is_alpha(p[i]) || (i > 0 && (is_digit(p[i]) || p[i] == '+' ||
							   p[i] == '-' || p[i] == '.')));
	     i++) {
	}
	if (i == 0 || i >= n || p[i] != ':') {
		return "no URI scheme (mailto: or https:)";
	}
	why = uri_chars(p + i + 1, n - i - 1);
	if (why != NULL) {
		return why;
	}
	if (ieq(p, i, "mailto")) {
		why = parse_mailto(u, p + i + 1, n - i - 1);
		if (why == NULL) {
			u->scheme = TLSRPT_URI_MAILTO;
		}
		return why;
	}
	if (ieq(p, i, "https")) {
		why = parse_https(u, p + i + 1, n - i - 1);
		if (why == NULL) {
			u->scheme = TLSRPT_URI_HTTPS;
		}
		return why;
	}
	if (ieq(p, i, "http")) {
		return "http: is not supported, only mailto: and https: (RFC 8460 3)";
	}
	return "an unsupported scheme: only mailto: and https: (RFC 8460 3)";
}

/* rua=: URIs separated by *WSP "," *WSP; P-04: at most
 * LIMIT_TLSRPT_URIS examined, all counted. */
static void field_rua(struct tlsrpt_record *r, const char *v, size_t n)
{
	const char *p = v, *end = v + n;
	size_t cap = 1, shown = 0;

	for (const char *x = v; x < end; x++) {
		if (*x == ',' && cap < LIMIT_TLSRPT_URIS) {
			cap++;
		}
	}
	/* bounded: counted before allocating */
	r->uri = calloc(cap, sizeof(*r->uri));
	if (r->uri == NULL) {
		ADD(&r->findings, TLSRPT_NOMEM, 0, "out of memory");
		return;
	}
	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *e = c != NULL ? c : end;
		const char *s = p;
		size_t sn = (size_t)(e - p);

		while (sn > 0 && is_wsp(s[0])) {
			s++;
			sn--;
		}
		while (sn > 0 && is_wsp(s[sn - 1])) {
			sn--;
		}
		r->count++;
		if (r->n < LIMIT_TLSRPT_URIS) {
			struct tlsrpt_uri *u = &r->uri[r->n++];
			const char *why = parse_uri(u, s, sn);

			if (why != NULL) {
				u->scheme = TLSRPT_URI_UNUSABLE;
				if (shown++ < 8) {
					ADD(&r->findings, TLSRPT_URI_INVALID, 0,
					    "rua=%s: unusable, %s", u->text, why);
				}
			} else {
				r->nusable++;
			}
		}
		if (c == NULL) {
			break;
		}
		p = c + 1;
	}
	if (shown > 8) {
		ADD(&r->findings, TLSRPT_URI_INVALID, 0, "%zu more unusable rua= URIs not listed",
		    shown - 8);
	}
	if (r->count > LIMIT_TLSRPT_URIS) {
		ADD(&r->findings, TLSRPT_URI_TOO_MANY, 0,
		    "rua= has %zu URIs: those after the first %d not examined", r->count,
		    LIMIT_TLSRPT_URIS);
	}
}

struct tlsrpt_record *tlsrpt_record_parse(const char *rec, size_t len)
{
	struct tlsrpt_record *r = calloc(1, sizeof(*r));
	struct txtf_iter it;
	struct txtf_field f;
	size_t bad = 0;
	char ext[160];
	size_t ext_used = 0;

	if (r == NULL) {
		return NULL;
	}
	if (!tlsrpt_is_record(rec, len)) {
		ADD(&r->findings, TLSRPT_NOT_RECORD, 0,
		    "not a TLS-RPT record: it must begin with v=TLSRPTv1 (RFC 8460 3): %s",
		    show(rec, len).s);
		return r;
	}
	r->is_tlsrpt = true;
	ext[0] = '\0';
	txtf_start(&it, rec, len, 10);
	while (txtf_next(&it, &f)) {
		const char *why = NULL;

		if (!f.has_eq) {
			why = "has no '='";
		} else if ((f.name_len > 0 && is_wsp(f.name[f.name_len - 1])) ||
			   (f.value_len > 0 && is_wsp(f.value[0]))) {
			why = "has spaces around '='";
		} else if (f.name_len == 3 && memcmp(f.name, "rua", 3) == 0) {
			if (r->has_rua) {
				ADD(&r->findings, TLSRPT_RUA_DUPLICATE, 0,
				    "rua= twice: only the first is used");
			} else {
				r->has_rua = true;
				field_rua(r, f.value, f.value_len);
			}
			continue;
		} else if (!txtf_name_ok(f.name, f.name_len) ||
			   !txtf_value_ok(f.value, f.value_len)) {
			why = "is not a valid extension field (a name of letters, digits, '_', "
			      "'-', '.'; a value of printable ASCII without ';', '=' or space)";
		} else {
			r->nextensions++;
			if (ieq(f.name, f.name_len, "rua")) {
				why = "is not rua= (names are case-sensitive)";
			} else if (ext_used < sizeof(ext) - 80) {
				int w = snprintf(ext + ext_used, sizeof(ext) - ext_used, "%s%s",
						 ext_used > 0 ? ", " : "",
						 show(f.name, f.name_len).s);

				if (w > 0) {
					ext_used += (size_t)w < sizeof(ext) - ext_used
							    ? (size_t)w
							    : sizeof(ext) - ext_used - 1;
				}
			}
		}
		if (why != NULL && bad++ < 8) {
			ADD(&r->findings, TLSRPT_SYNTAX, 0, "field %s %s (RFC 8460 3)",
			    show(f.name, f.has_eq ? f.name_len + 1 + f.value_len : f.name_len).s,
			    why);
		}
	}
	if (bad > 8) {
		ADD(&r->findings, TLSRPT_SYNTAX, 0, "%zu more malformed fields not listed",
		    bad - 8);
	}
	if (it.error) {
		ADD(&r->findings, TLSRPT_SYNTAX, 0,
		    "fields must be separated by ';' (RFC 8460 3), at byte %zu: %s", it.error_pos,
		    show(rec + it.error_pos, len - it.error_pos).s);
	}
	if (it.notes & TXTF_SPACE_AFTER_VERSION) {
		ADD(&r->findings, TLSRPT_SPACING, 0,
		    "space before the ';' after v=TLSRPTv1: senders that follow RFC 8460 "
		    "3's text discard records that do not begin with \"v=TLSRPTv1;\"");
	}
	if (it.notes & TXTF_EMPTY_FIELD) {
		ADD(&r->findings, TLSRPT_SPACING, 0,
		    "empty field (\";;\"): outside RFC 8460 3's grammar");
	}
	if (it.notes & TXTF_TRAILING_WSP) {
		ADD(&r->findings, TLSRPT_SPACING, 0,
		    "space at the end of the record: outside RFC 8460 3's grammar");
	}
	if (!r->has_rua) {
		ADD(&r->findings, TLSRPT_RUA_MISSING, 0,
		    "no rua= field: it is required (RFC 8460 3), no reports can be sent");
	} else if (r->nusable == 0) {
		ADD(&r->findings, TLSRPT_NO_USABLE_URI, 0,
		    "rua= has no usable URI%s: no reports can be sent (RFC 8460 3)",
		    r->count > r->n ? " among those examined" : "");
	}
	if (r->nextensions > 0) {
		ADD(&r->findings, TLSRPT_EXTENSION, 1,
		    "extension fields ignored by senders: %s (%zu in all)", ext, r->nextensions);
	}
	r->valid = finding_list_worst(&r->findings) != STATE_CRITICAL;
	return r;
}

void tlsrpt_record_free(struct tlsrpt_record *r)
{
	if (r == NULL) {
		return;
	}
	free(r->uri);
	finding_list_clear(&r->findings);
	free(r);
}

size_t tlsrpt_mailto_domains(const struct tlsrpt_record *r, struct dname *out, size_t max,
			     size_t *more)
{
	size_t n = 0;

	*more = 0;
	for (size_t i = 0; i < r->n; i++) {
		const struct tlsrpt_uri *u = &r->uri[i];
		size_t k;

		if (u->scheme != TLSRPT_URI_MAILTO) {
			continue;
		}
		for (k = 0; k < n && !dname_equal(&out[k], &u->domain); k++) {
		}
		if (k < n) {
			continue;
		}
		if (n == max) {
			(*more)++;
		} else {
			out[n++] = u->domain;
		}
	}
	return n;
}
