/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * BIMI assertion records (common/bimi.h): selection (draft 7.2), tags
 * (4.3) over common/tagvalue.c, the two URLs checked as the fetcher will
 * need them. Stricter than receivers where they differ (HACKING.md 6):
 * what the draft's grammar refuses is CRITICAL, what some receivers
 * accept and others refuse is a WARNING.
 */
#include "bimi.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "numparse.h"
#include "text.h"
#include "tagvalue.h"
#include "txtfield.h"

#define VAL_SHOWN 64 /* bytes of a value quoted in a finding */

struct shown {
	char s[VAL_SHOWN + 16];
};

static struct shown show(const void *p, size_t n)
{
	struct shown v = {""};

	out_bytes(v.s, sizeof(v.s), p, n);
	return v;
}

static void add(struct finding_list *f, int code, enum state st, int verbose, const char *fmt, ...)
	PRINTF_LIKE(5, 6);

/* finding_add_bounded() at the per-object bound: past it the worse takes
 * the last place and what is left out is counted in dropped and
 * dropped_worst, which plugin_findings() prints as "N more findings not
 * shown". */
static void add(struct finding_list *f, int code, enum state st, int verbose, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)finding_vadd_bounded(f, LIMIT_BIMI_FINDINGS, code, st, verbose, fmt, ap);
	va_end(ap);
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

/* 4.3: "v=BIMI1" first, the value matching "precisely", tags with WSP
 * around '=' as any tag-value list; a near miss ("v=bimi1", " v=BIMI1",
 * "v=BIMI10") is what a publisher meant as BIMI. */
static const struct txtv bimi_version = {"BIMI1", "bimi",
					 TXTV_TAG_ANY_CASE | TXTV_WSP_AROUND_EQ |
						 TXTV_WSP_THEN_SEMI | TXTV_WSP_CRLF};

bool bimi_is_record(const void *rec, size_t len)
{
	return txtv_match(&bimi_version, rec, len) > 0;
}

static bool txt_text(const void *set, size_t i, const char **rec, size_t *len)
{
	const struct bimi_txt *t = (const struct bimi_txt *)set + i;

	*rec = t->data;
	*len = t->len;
	return true;
}

long bimi_select(const struct bimi_txt *rrs, size_t n, struct finding_list *f)
{
	struct txtv_pick pick;

	if (n > LIMIT_RRS_PER_ANSWER) {
		n = LIMIT_RRS_PER_ANSWER;
	}
	txtv_select(&bimi_version, rrs, n, txt_text, &pick);
	for (size_t i = txtv_next_near(&bimi_version, rrs, n, txt_text, 0); i < n;
	     i = txtv_next_near(&bimi_version, rrs, n, txt_text, i + 1)) {
		add(f, BIMI_F_NEAR_MISS, STATE_WARNING, 0,
		    "TXT record \"%s\" is not a BIMI record: v=BIMI1 must come first, "
		    "exactly",
		    show(rrs[i].data, rrs[i].len).s);
	}
	if (pick.count == 0) {
		add(f, BIMI_F_NONE, STATE_CRITICAL, 0, "no BIMI record (v=BIMI1)");
		return -1;
	}
	if (pick.count > 1) {
		/* 7.2 step 9: several records, no BIMI processing */
		add(f, BIMI_F_MULTIPLE, STATE_CRITICAL, 0,
		    "multiple BIMI records (%zu): receivers use none", pick.count);
		return -1;
	}
	return (long)pick.first;
}

/* RFC 3986 2.2, 2.3 and '%' (pct-encoded is checked separately). */
static bool is_uri_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
		return true;
	}
	return c != '\0' && strchr("-._~:/?#[]@!$&'()*+,;=%", c) != NULL;
}

static bool is_hex(unsigned char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool has_suffix(const char *p, size_t n, const char *suf)
{
	size_t sl = strlen(suf);

	return n >= sl && ieq(p + n - sl, sl, suf);
}

/* The path's last segment names a raster format (4.3.2). */
static const char *raster_suffix(const char *path, size_t n)
{
	static const char *const sufs[] = {".png", ".jpg", ".jpeg", ".gif", ".webp",
					   ".bmp", ".ico", ".tif",  ".tiff"};

	for (size_t i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++) {
		if (has_suffix(path, n, sufs[i])) {
			return sufs[i];
		}
	}
	return NULL;
}

static bool url_fail(struct finding_list *f, const char *tag, const char *v, size_t len,
		     const char *why)
{
	add(f, BIMI_F_URL_INVALID, STATE_CRITICAL, 0, "%s=%s: %s", tag, show(v, len).s, why);
	return false;
}

bool bimi_url_parse(const char *tag, const char *v, size_t len, struct bimi_url *out,
		    struct finding_list *f)
{
	size_t i, colon, hstart, hend, pstart, pend;
	const char *why = NULL;

	out->valid = false;
	out->text[0] = out->host_text[0] = out->path[0] = '\0';
	out->port = 443;
	/* P-05: the length first, before anything looks inside */
	if (len > LIMIT_BIMI_URL) {
		add(f, BIMI_F_URL_LONG, STATE_CRITICAL, 0,
		    "%s= URL of %zu bytes refused (over %d): \"%s\"", tag, len, LIMIT_BIMI_URL,
		    show(v, len).s);
		return false;
	}
	for (colon = 0; colon < len && v[colon] != ':'; colon++) {
		char c = v[colon];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (colon > 0 &&
		       ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
			break;
		}
	}
	if (colon == 0 || colon >= len || v[colon] != ':') {
		return url_fail(f, tag, v, len, "not a URL (no scheme): must be https://HOST/PATH");
	}
	if (!ieq(v, colon, "https")) {
		/* P-05: http:, data:, file:, ... : 4.3 "HTTPS only" */
		add(f, BIMI_F_URL_SCHEME, STATE_CRITICAL, 0,
		    "%s=%s: scheme %s: refused, the draft allows https only", tag, show(v, len).s,
		    show(v, colon).s);
		return false;
	}
	if (memcmp(v, "https", 5) != 0) {
		add(f, BIMI_F_URL_CASE, STATE_WARNING, 0,
		    "%s=%s: write the scheme in lower case (https)", tag, show(v, len).s);
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)v[i];

		if (!is_uri_char(c)) {
			char b[8];

			snprintf(b, sizeof(b), "0x%02x", c);
			add(f, BIMI_F_URL_INVALID, STATE_CRITICAL, 0,
			    "%s=%s: byte %s at %zu is not allowed in a URL (RFC 3986)", tag,
			    show(v, len).s, b, i);
			return false;
		}
		if (c == '%' && (i + 2 >= len || !is_hex((unsigned char)v[i + 1]) ||
				 !is_hex((unsigned char)v[i + 2]))) {
			return url_fail(f, tag, v, len, "'%' not followed by two hex digits");
		}
		if (c == ',') {
			return url_fail(f, tag, v, len,
					"a comma: one URL only, commas must be written %2C");
		}
	}
	if (len - colon < 3 || v[colon + 1] != '/' || v[colon + 2] != '/') {
		return url_fail(f, tag, v, len, "no \"//\" and host after https:");
	}
	hstart = colon + 3;
	for (hend = hstart; hend < len && v[hend] != '/' && v[hend] != '?' && v[hend] != '#';
	     hend++) {
		if (v[hend] == '@') {
			return url_fail(f, tag, v, len, "user information before the host");
		}
	}
	pstart = hend;
	/* port */
	for (i = hstart; i < hend && v[i] != ':'; i++) {
	}
	if (i < hend) {
		unsigned long port;

		if (v[hstart] == '[') {
			return url_fail(f, tag, v, len,
					"an IP address instead of a host name (must be an FQDN)");
		}
		if (!parse_ulong_buf(v + i + 1, hend - i - 1, 65535, &port, &why) || port == 0) {
			return url_fail(f, tag, v, len, "invalid port");
		}
		out->port = (uint16_t)port;
		hend = i;
	}
	if (hend == hstart) {
		return url_fail(f, tag, v, len, "no host");
	}
	if (v[hstart] == '[') {
		return url_fail(f, tag, v, len,
				"an IP address instead of a host name (must be an FQDN)");
	}
	{
		/* a dotted quad is an address, not an FQDN (4.3) */
		bool digits_dots = true;

		for (i = hstart; i < hend; i++) {
			if (!((v[i] >= '0' && v[i] <= '9') || v[i] == '.')) {
				digits_dots = false;
			}
		}
		if (digits_dots) {
			return url_fail(f, tag, v, len,
					"an IP address instead of a host name (must be an FQDN)");
		}
	}
	if (!dname_from_text(&out->host, v + hstart, hend - hstart,
			     DNAME_HOSTNAME | DNAME_MULTILABEL, &why)) {
		char msg[96];

		out_setf(msg, sizeof(msg), "host name: %s (must be an FQDN)",
			 why != NULL ? why : "invalid");
		return url_fail(f, tag, v, len, msg);
	}
	/* path and query; the fragment is never sent */
	for (pend = pstart; pend < len && v[pend] != '#'; pend++) {
	}
	if (pend < len) {
		add(f, BIMI_F_URL_FRAGMENT, STATE_WARNING, 0,
		    "%s=%s: the fragment (#...) is not part of the request", tag, show(v, len).s);
	}
	if (strcmp(tag, "l") == 0) {
		size_t qend;
		const char *suf;

		for (qend = pstart; qend < pend && v[qend] != '?'; qend++) {
		}
		suf = raster_suffix(v + pstart, qend - pstart);
		if (suf != NULL) {
			add(f, BIMI_F_URL_FORMAT, STATE_CRITICAL, 0,
			    "l=%s: a %s file: the indicator must be SVG (draft 4.3.2)",
			    show(v, len).s, suf);
			return false;
		}
	}
	memcpy(out->text, v, len);
	out->text[len] = '\0';
	if (pstart == pend || v[pstart] != '/') {
		out->path[0] = '/';
		memcpy(out->path + 1, v + pstart, pend - pstart);
		out->path[pend - pstart + 1] = '\0';
	} else {
		memcpy(out->path, v + pstart, pend - pstart);
		out->path[pend - pstart] = '\0';
	}
	{
		struct dname lc;

		dname_lower(&lc, &out->host);
		dname_to_text(&lc, out->host_text, sizeof(out->host_text));
	}
	out->valid = true;
	return true;
}

static void tag_bool(struct bimi_record *r, const struct tag *t, const char *a, const char *b,
		     bool *is_a)
{
	if (t->value_len == strlen(a) && memcmp(t->value, a, t->value_len) == 0) {
		*is_a = true;
	} else if (t->value_len != strlen(b) || memcmp(t->value, b, t->value_len) != 0) {
		add(&r->findings, BIMI_F_BAD_VALUE, STATE_WARNING, 0,
		    "%s=%s: not %s or %s: receivers ignore it, some fail the record",
		    show(t->name, t->name_len).s, show(t->value, t->value_len).s, a, b);
	}
}

static void tag_url(struct bimi_record *r, const struct tag *t, const char *name,
		    struct bimi_url *u)
{
	u->present = true;
	u->empty = t->value_len == 0;
	if (!u->empty) {
		bimi_url_parse(name, t->value, t->value_len, u, &r->findings);
	}
}

struct bimi_record *bimi_parse(const void *rec, size_t len)
{
	struct bimi_record *r = calloc(1, sizeof(*r));
	const char *p = rec;
	struct tag_list tl;

	if (r == NULL) {
		return NULL;
	}
	if (p == NULL) {
		p = "";
		len = 0;
	}
	if (!bimi_is_record(p, len)) {
		add(&r->findings, BIMI_F_NOT_RECORD, STATE_CRITICAL, 0,
		    "not a BIMI record (v=BIMI1 must come first): \"%s\"", show(p, len).s);
		return r;
	}
	r->is_bimi = true;
	if (p[0] == 'V') {
		add(&r->findings, BIMI_F_V_CASE, STATE_WARNING, 0,
		    "V=BIMI1: write the tag name in lower case (v=)");
	}
	if (!tag_list_parse(p, len, LIMIT_BIMI_TAGS, &tl)) {
		if (tl.error == TV_NOMEM) {
			tag_list_free(&tl);
			bimi_record_free(r);
			return NULL;
		}
		if (tl.error == TV_TOO_MANY) {
			add(&r->findings, BIMI_F_SYNTAX, STATE_CRITICAL, 0, "more than %d tags",
			    LIMIT_BIMI_TAGS);
		} else {
			add(&r->findings, BIMI_F_SYNTAX, STATE_CRITICAL, 0, "%s %s at byte %zu",
			    tv_error_str(tl.error), tl.error_tag, tl.error_pos);
		}
	}
	r->ntags = tl.n;
	for (size_t i = 0; i < tl.n; i++) {
		const struct tag *t = &tl.tags[i];

		if (t->index == 0) {
			continue; /* v=, checked above */
		}
		if (t->name_len == 1 && t->name[0] == 'l') {
			tag_url(r, t, "l", &r->l);
		} else if (t->name_len == 1 && t->name[0] == 'a') {
			tag_url(r, t, "a", &r->a);
		} else if (t->name_len == 3 && memcmp(t->name, "lps", 3) == 0) {
			tag_bool(r, t, "true", "false", &r->lps);
		} else if (t->name_len == 3 && memcmp(t->name, "avp", 3) == 0) {
			tag_bool(r, t, "personal", "brand", &r->avp_personal);
		} else if (t->name_len == 1 && t->name[0] == 'v') {
			/* a second v= is a duplicate, reported by the tag parser */
		} else {
			add(&r->findings, BIMI_F_UNKNOWN_TAG, STATE_OK, 1,
			    "unknown tag %s ignored (draft 4.3)", show(t->name, t->name_len).s);
		}
	}
	tag_list_free(&tl);
	if (!r->l.present) {
		add(&r->findings, BIMI_F_L_MISSING, STATE_CRITICAL, 0,
		    "no l= tag (required by the draft, 4.3)");
	} else if (r->l.empty && (!r->a.present || r->a.empty)) {
		r->declined = true;
		add(&r->findings, BIMI_F_DECLINED, STATE_WARNING, 0,
		    "l= and a= empty: the domain declines to publish an indicator (draft "
		    "4.3.1; receivers record bimi=declined)");
	} else if (r->l.empty) {
		add(&r->findings, BIMI_F_L_EMPTY_WITH_A, STATE_WARNING, 0,
		    "l= empty but a= given: receivers following the draft (7.3) find no "
		    "indicator; some take the logo from the certificate");
	}
	if (!r->declined && (!r->a.present || r->a.empty)) {
		add(&r->findings, BIMI_F_NO_EVIDENCE, STATE_OK, 1,
		    "no evidence document (a=): receivers that require a mark certificate "
		    "show no logo");
	}
	r->valid = true;
	for (size_t i = 0; i < r->findings.n; i++) {
		if (r->findings.v[i].state == STATE_CRITICAL) {
			r->valid = false;
		}
	}
	return r;
}

void bimi_record_free(struct bimi_record *r)
{
	if (r == NULL) {
		return;
	}
	finding_list_clear(&r->findings);
	free(r);
}
