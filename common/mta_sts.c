/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * MTA-STS, RFC 8461: the TXT record (3.1), the policy body (3.2), its
 * Content-Type (3.3) and MX pattern matching (4.1). Stricter than
 * senders on purpose (HACKING.md 6): what the grammar refuses but
 * lenient senders read is a WARNING, what makes senders apply no policy
 * (or another one than meant) is CRITICAL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mta_sts.h"
#include "bounds.h"
#include "numparse.h"
#include "text.h"
#include "resolver.h"
#include "txtfield.h"

#define SHOWN 64 /* bytes of record text quoted in a finding */

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

/* Case-insensitive equality of a buffer with a NUL-terminated word. */
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

/* Exact (case-sensitive, %s in RFC 8461's ABNF) equality. */
static bool eq(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(p, word, n) == 0;
}

/* An escaped copy of outside bytes for messages. */
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
enum state mta_sts_default_state(int code)
{
	switch (code) {
	case MTA_STS_REC_MULTIPLE:   /* 3.1: not exactly one: no policy */
	case MTA_STS_REC_NOT_RECORD: /* 3.1: discarded by senders */
	case MTA_STS_REC_SYNTAX:     /* 3.1: syntactically invalid: no policy */
	case MTA_STS_REC_ID_MISSING: /* 3.1: id is required */
	case MTA_STS_REC_ID_INVALID: /* 3.1: sts-id = 1*32(ALPHA / DIGIT) */
	case MTA_STS_POL_MISSING:    /* 3.2: "If any field is not specified,
					the policy SHALL be treated as
					invalid" */
	case MTA_STS_POL_VERSION:    /* 3.2: only STSv1 */
	case MTA_STS_POL_MODE:       /* 3.2: enforce, testing, none */
	case MTA_STS_POL_MAX_AGE:    /* 3.2: 1*10DIGIT, at most 31557600 */
	case MTA_STS_POL_MX_MISSING: /* 3.2: mx required unless mode none */
	case MTA_STS_POL_MX_INVALID: /* 4.1: matches no MX host */
	case MTA_STS_CT_MISSING:     /* 3.3: senders SHOULD check text/plain */
	case MTA_STS_CT_NOT_TEXT_PLAIN:
	case MTA_STS_NOMEM:
		return STATE_CRITICAL;
	case MTA_STS_REC_EXTENSION: /* 3.2: unknown fields SHALL be ignored */
	case MTA_STS_POL_EOL:       /* 3.2: LF / CRLF */
	case MTA_STS_POL_MX_DUPLICATE:
	case MTA_STS_POL_UNKNOWN: /* 3.2: unknown fields SHALL be ignored */
		return STATE_OK;
	default: /* works for lenient senders only, or
		    badly (the header lists them) */
		return STATE_WARNING;
	}
}

#define ADD(fl, code, verbose, ...)                                                                \
	finding_add(fl, code, mta_sts_default_state(code), verbose, __VA_ARGS__)

/* ------------------------------------------------------------ TXT record */

/* RFC 8461 3.1: sts-version = %s"v=STSv1", then a delimiter; a near
 * miss ("V=STSv1", " v=STSv1", "v = STSv1", "v=STSv10", "v=stsv1") is
 * someone who meant an MTA-STS record that no sender reads. */
static const struct txtv sts_version = {"STSv1", "stsv", 0};

bool mta_sts_is_record(const char *rec, size_t len)
{
	return txtv_match(&sts_version, rec, len) > 0;
}

/* An answer's TXT records; other types and data-less ones are skipped. */
static bool rr_text(const void *set, size_t i, const char **rec, size_t *len)
{
	const struct dns_rr *rr = (const struct dns_rr *)set + i;

	*rec = (const char *)rr->u.txt.data;
	*len = rr->u.txt.len;
	return rr->type == DNS_T_TXT && !(*rec == NULL && *len > 0);
}

size_t mta_sts_record_select(const struct dns_rr *rr, size_t nrr, struct finding_list *fl,
			     const struct dns_rr **chosen)
{
	struct txtv_pick pick;
	size_t shown = 0;

	txtv_select(&sts_version, rr, nrr, rr_text, &pick);
	for (size_t i = txtv_next_near(&sts_version, rr, nrr, rr_text, 0); i < nrr && shown < 4;
	     i = txtv_next_near(&sts_version, rr, nrr, rr_text, i + 1), shown++) {
		ADD(fl, MTA_STS_REC_NEAR_MISS, 0,
		    "TXT record %s looks like MTA-STS but senders ignore it: it "
		    "must begin with v=STSv1, case-sensitive (RFC 8461 3.1)",
		    show((const char *)rr[i].u.txt.data, rr[i].u.txt.len).s);
	}
	*chosen = pick.count == 1 ? &rr[pick.first] : NULL;
	if (pick.count > 1) {
		/* P-01 */
		ADD(fl, MTA_STS_REC_MULTIPLE, 0,
		    "%zu MTA-STS records (v=STSv1): senders apply no policy unless "
		    "there is exactly one (RFC 8461 3.1)",
		    pick.count);
	}
	return pick.count;
}

/* A finding about one field or line, bounded per record or policy. */
struct bounded {
	struct finding_list *fl;
	size_t n, dropped;
	enum state worst_dropped;
};

static void badd(struct bounded *b, int code, const char *fmt, ...) PRINTF_LIKE(3, 4);

static void badd(struct bounded *b, int code, const char *fmt, ...)
{
	char text[FINDING_TEXT_MAX];
	enum state st = mta_sts_default_state(code);
	va_list ap;

	if (b->n >= LIMIT_MTA_STS_LINE_FINDINGS) {
		b->dropped++;
		b->worst_dropped = state_worst(b->worst_dropped, st);
		return;
	}
	b->n++;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	finding_add(b->fl, code, st, 0, "%s", text);
}

static void bdone(struct bounded *b, int code)
{
	if (b->dropped > 0) {
		finding_add(b->fl, code, b->worst_dropped, 0,
			    "%zu more problems of this kind not listed (the first %d are)",
			    b->dropped, LIMIT_MTA_STS_LINE_FINDINGS);
	}
}

/* id= (RFC 8461 3.1: sts-id = 1*32(ALPHA / DIGIT)); P-01. */
static void record_id(struct mta_sts_record *r, struct bounded *b, const struct txtf_field *f)
{
	if (r->has_id) {
		/* RFC 8461 3.2: a repeated field other than mx: the first
		 * counts */
		badd(b, MTA_STS_REC_DUPLICATE,
		     "id= twice: senders use the first, id=%s (RFC 8461 3.2)",
		     r->id[0] != '\0' ? r->id : "(invalid)");
		return;
	}
	r->has_id = true;
	if (f->value_len == 0) {
		ADD(&r->findings, MTA_STS_REC_ID_INVALID, 0,
		    "id= is empty: it must be 1 to 32 letters and digits (RFC 8461 3.1)");
		return;
	}
	for (size_t i = 0; i < f->value_len; i++) {
		char c = f->value[i];

		if (!is_alpha(c) && !is_digit(c)) {
			ADD(&r->findings, MTA_STS_REC_ID_INVALID, 0,
			    "id=%s: only letters and digits are allowed, not %s "
			    "(RFC 8461 3.1: 1 to 32 ALPHA / DIGIT)",
			    show(f->value, f->value_len).s, show(&f->value[i], 1).s);
			return;
		}
	}
	if (f->value_len > MTA_STS_ID_MAX) {
		ADD(&r->findings, MTA_STS_REC_ID_INVALID, 0,
		    "id=%s: %zu characters, at most %d are allowed (RFC 8461 3.1)",
		    show(f->value, f->value_len).s, f->value_len, MTA_STS_ID_MAX);
		return;
	}
	memcpy(r->id, f->value, f->value_len);
	r->id[f->value_len] = '\0';
}

struct mta_sts_record *mta_sts_record_parse(const char *rec, size_t len)
{
	struct mta_sts_record *r = calloc(1, sizeof(*r));
	struct bounded b;
	struct txtf_iter it;
	struct txtf_field f;
	char ext[160];
	size_t ext_used = 0;

	if (r == NULL) {
		return NULL;
	}
	if (!mta_sts_is_record(rec, len)) {
		ADD(&r->findings, MTA_STS_REC_NOT_RECORD, 0,
		    "not an MTA-STS record: it must begin with v=STSv1 (RFC 8461 3.1): %s",
		    show(rec, len).s);
		return r;
	}
	r->is_sts = true;
	b = (struct bounded){.fl = &r->findings};
	ext[0] = '\0';
	txtf_start(&it, rec, len, 7);
	while (txtf_next(&it, &f)) {
		r->nfields++;
		if (!f.has_eq) {
			badd(&b, MTA_STS_REC_SYNTAX,
			     "field %s has no '=': senders find the record invalid and apply "
			     "no policy (RFC 8461 3.1)",
			     show(f.name, f.name_len).s);
		} else if ((f.name_len > 0 && is_wsp(f.name[f.name_len - 1])) ||
			   (f.value_len > 0 && is_wsp(f.value[0]))) {
			badd(&b, MTA_STS_REC_SYNTAX,
			     "field %s: no spaces around '=' (RFC 8461 3.1): senders do not "
			     "read it",
			     show(f.name, f.name_len + 1 + f.value_len).s);
		} else if (eq(f.name, f.name_len, "id")) {
			record_id(r, &b, &f);
		} else if (eq(f.name, f.name_len, "v")) {
			badd(&b, MTA_STS_REC_DUPLICATE,
			     "v= twice: senders use the first (RFC 8461 3.2)");
		} else if (!txtf_name_ok(f.name, f.name_len) ||
			   !txtf_value_ok(f.value, f.value_len)) {
			badd(&b, MTA_STS_REC_SYNTAX,
			     "field %s: not a valid extension field (RFC 8461 3.1: name of "
			     "letters, digits, '_', '-', '.', value of printable ASCII "
			     "without ';', '=' or space): senders find the record invalid",
			     show(f.name, f.name_len + 1 + f.value_len).s);
		} else {
			r->nextensions++;
			if (ieq(f.name, f.name_len, "id")) {
				badd(&b, MTA_STS_REC_FIELD_CASE,
				     "field %s=: names are case-sensitive, senders do not read "
				     "it as id= (RFC 8461 3.1)",
				     show(f.name, f.name_len).s);
			}
			if (ext_used < sizeof(ext) - 80) {
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
	}
	if (it.error) {
		ADD(&r->findings, MTA_STS_REC_SYNTAX, 0,
		    "fields must be separated by ';' (RFC 8461 3.1), at byte %zu: %s", it.error_pos,
		    show(rec + it.error_pos, len - it.error_pos).s);
	}
	if (it.notes & TXTF_SPACE_AFTER_VERSION) {
		ADD(&r->findings, MTA_STS_REC_SPACING, 0,
		    "space before the ';' after v=STSv1: senders that follow RFC 8461 "
		    "3.1's text discard records that do not begin with \"v=STSv1;\"");
	}
	if (it.notes & TXTF_EMPTY_FIELD) {
		ADD(&r->findings, MTA_STS_REC_SPACING, 0,
		    "empty field (\";;\"): outside RFC 8461 3.1's grammar, strict senders "
		    "find the record invalid");
	}
	if (it.notes & TXTF_TRAILING_WSP) {
		ADD(&r->findings, MTA_STS_REC_SPACING, 0,
		    "space at the end of the record: outside RFC 8461 3.1's grammar, "
		    "strict senders find the record invalid");
	}
	bdone(&b, MTA_STS_REC_SYNTAX);
	if (!r->has_id) {
		ADD(&r->findings, MTA_STS_REC_ID_MISSING, 0,
		    "no id= field: it is required (RFC 8461 3.1), senders apply no policy");
	}
	if (r->nextensions > 0) {
		ADD(&r->findings, MTA_STS_REC_EXTENSION, 1,
		    "extension fields ignored by senders (RFC 8461 3.2): %s (%zu in all)", ext,
		    r->nextensions);
	}
	r->valid = r->id[0] != '\0' && finding_list_worst(&r->findings) != STATE_CRITICAL;
	return r;
}

void mta_sts_record_free(struct mta_sts_record *r)
{
	if (r == NULL) {
		return;
	}
	finding_list_clear(&r->findings);
	free(r);
}

/* ------------------------------------------------------------ MX patterns */

/*
 * RFC 8461 3.2: sts-policy-mx-value = ["*."] Domain, Domain as RFC 5321
 * 4.1.2 (sub-domain *("." sub-domain), letters, digits and inner
 * hyphens). RFC 8461 4.1: the "*" matches exactly the whole leftmost
 * label. Fills name (lower case, without "*."); on INVALID *why says
 * what is wrong.
 */
static enum mta_sts_mx_kind classify(const char *p, size_t n, struct dname *name, bool *dot,
				     bool *ip, const char **why)
{
	bool wild = false;
	size_t labels = 1, digits_only = 1;
	const char *dwhy = NULL;

	*dot = false;
	*ip = false;
	*why = NULL;
	dname_root(name);
	if (n > 0 && p[n - 1] == '.') {
		*dot = true;
		n--;
	}
	if (n >= 2 && p[0] == '*' && p[1] == '.') {
		wild = true;
		p += 2;
		n -= 2;
	}
	if (n == 0) {
		*why = wild ? "nothing after \"*.\"" : "empty pattern";
		return MTA_STS_MX_INVALID;
	}
	for (size_t i = 0; i < n; i++) {
		char c = p[i];

		if (c == '*') {
			*why = "a '*' is allowed only as the whole leftmost label, \"*.\" "
			       "(RFC 8461 4.1)";
			return MTA_STS_MX_INVALID;
		}
		if (c == ':' || c == '[' || c == ']') {
			*why = "an address literal is no host name (RFC 8461 3.2: a Domain)";
			return MTA_STS_MX_INVALID;
		}
		if (c == '.') {
			if (i == 0 || p[i - 1] == '.') {
				*why = "empty label";
				return MTA_STS_MX_INVALID;
			}
			if (p[i - 1] == '-') {
				*why = "a label ends in '-' (RFC 5321 4.1.2)";
				return MTA_STS_MX_INVALID;
			}
			labels++;
			continue;
		}
		if ((unsigned char)c >= 0x80) {
			*why = "bytes outside ASCII: an internationalised name is written "
			       "as its A-label, xn--... (RFC 8461 3.2)";
			return MTA_STS_MX_INVALID;
		}
		if (!is_alpha(c) && !is_digit(c) && c != '-') {
			*why = "a byte host names do not hold (RFC 5321 4.1.2: letters, digits, "
			       "'-')";
			return MTA_STS_MX_INVALID;
		}
		if (c == '-' && (i == 0 || p[i - 1] == '.')) {
			*why = "a label begins with '-' (RFC 5321 4.1.2)";
			return MTA_STS_MX_INVALID;
		}
		if (!is_digit(c)) {
			digits_only = 0;
		}
	}
	if (p[n - 1] == '.' || p[n - 1] == '-') {
		*why = p[n - 1] == '.' ? "more than one trailing dot"
				       : "a label ends in '-' (RFC 5321 4.1.2)";
		return MTA_STS_MX_INVALID;
	}
	if (!dname_from_text(name, p, n, DNAME_HOSTNAME, &dwhy)) {
		dname_root(name);
		*why = dwhy != NULL ? dwhy : "invalid host name";
		return MTA_STS_MX_INVALID;
	}
	dname_lower(name, name);
	*ip = digits_only && labels == 4 && !wild;
	return wild ? MTA_STS_MX_WILDCARD : MTA_STS_MX_EXACT;
}

static bool kind_match(enum mta_sts_mx_kind kind, const struct dname *name,
		       const struct dname *host)
{
	struct dname parent;

	switch (kind) {
	case MTA_STS_MX_EXACT:
		return dname_equal(name, host);
	case MTA_STS_MX_WILDCARD:
		/* RFC 8461 4.1: "*.example.com" matches "mail.example.com",
		 * not "example.com" nor "foo.bar.example.com" */
		return dname_labels(host) == dname_labels(name) + 1 &&
		       dname_parent(&parent, host, 1) && dname_equal(&parent, name);
	default:
		return false;
	}
}

bool mta_sts_mx_match(const char *pattern, size_t plen, const char *host, size_t hlen)
{
	struct dname name, h;
	bool dot, ip;
	const char *why;
	enum mta_sts_mx_kind kind = classify(pattern, plen, &name, &dot, &ip, &why);

	if (kind == MTA_STS_MX_INVALID) {
		return false;
	}
	if (hlen > 0 && host[hlen - 1] == '.') {
		hlen--;
	}
	/* the host as DNS has it: any byte but '.' in a label */
	if (hlen == 0 || !dname_from_text(&h, host, hlen, 0, NULL)) {
		return false;
	}
	return kind_match(kind, &name, &h);
}

const struct mta_sts_mx *mta_sts_policy_match(const struct mta_sts_policy *p,
					      const struct dname *host)
{
	for (size_t i = 0; i < p->nmx; i++) {
		if (kind_match(p->mx[i].kind, &p->mx[i].name, host)) {
			return &p->mx[i];
		}
	}
	return NULL;
}

/* ------------------------------------------------------------ policy body */

const char *mta_sts_mode_str(enum mta_sts_mode m)
{
	switch (m) {
	case MTA_STS_MODE_NONE:
		return "none";
	case MTA_STS_MODE_TESTING:
		return "testing";
	case MTA_STS_MODE_ENFORCE:
		return "enforce";
	default:
		return "unset";
	}
}

const char *mta_sts_eol_str(enum mta_sts_eol e)
{
	switch (e) {
	case MTA_STS_EOL_CRLF:
		return "CRLF";
	case MTA_STS_EOL_LF:
		return "LF";
	case MTA_STS_EOL_MIXED:
		return "mixed CRLF and LF";
	default:
		return "none";
	}
}

/* The first byte offset in p[0..n) where UTF-8 breaks (RFC 3629: no
 * overlong forms, surrogates or code points over U+10FFFF), or n. */
static size_t utf8_bad(const unsigned char *p, size_t n)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = p[i];
		size_t k;
		unsigned lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			k = 1;
		} else if (c >= 0xe0 && c <= 0xef) {
			k = 2;
			lo = c == 0xe0 ? 0xa0 : 0x80;
			hi = c == 0xed ? 0x9f : 0xbf;
		} else if (c >= 0xf0 && c <= 0xf4) {
			k = 3;
			lo = c == 0xf0 ? 0x90 : 0x80;
			hi = c == 0xf4 ? 0x8f : 0xbf;
		} else {
			return i;
		}
		if (n - i <= k || p[i + 1] < lo || p[i + 1] > hi) {
			return i;
		}
		for (size_t j = 2; j <= k; j++) {
			if (p[i + j] < 0x80 || p[i + j] > 0xbf) {
				return i;
			}
		}
		i += k + 1;
	}
	return n;
}

enum field {
	F_VERSION,
	F_MODE,
	F_MX,
	F_MAX_AGE,
	F_COUNT
};
static const char *const field_names[F_COUNT] = {"version", "mode", "mx", "max_age"};

struct pstate {
	struct mta_sts_policy *p;
	struct bounded b;     /* line findings */
	size_t seen[F_COUNT]; /* line of the first occurrence, 0: none */
	size_t cap;           /* of p->mx */
	size_t blank, blank_first;
	bool bare_cr, control, utf8;
	char unknown[160];
	size_t unknown_used, nunknown;
};

/* "Mode", "MX", "max-age", "maxage": a known field misspelt. */
static int near_field(const char *k, size_t n)
{
	for (int i = 0; i < F_COUNT; i++) {
		const char *w = field_names[i];
		size_t j = 0, m = 0;

		while (j < n && w[m] != '\0') {
			if (k[j] == '-' && w[m] == '_') {
				j++;
				m++;
			} else if (w[m] == '_' && lower(k[j]) != '_') {
				m++;
			} else if (lower(k[j]) == w[m]) {
				j++;
				m++;
			} else {
				break;
			}
		}
		if (j == n && w[m] == '\0') {
			return i;
		}
	}
	return -1;
}

static void field_version(struct pstate *s, const char *v, size_t n)
{
	if (eq(v, n, "STSv1")) {
		s->p->has_version = true;
		return;
	}
	ADD(&s->p->findings, MTA_STS_POL_VERSION, 0,
	    "version: %s: must be STSv1, case-sensitive (RFC 8461 3.2)", show(v, n).s);
}

static void field_mode(struct pstate *s, const char *v, size_t n)
{
	static const enum mta_sts_mode all[] = {MTA_STS_MODE_ENFORCE, MTA_STS_MODE_TESTING,
						MTA_STS_MODE_NONE};

	for (size_t i = 0; i < 3; i++) {
		const char *w = mta_sts_mode_str(all[i]);

		if (eq(v, n, w)) {
			s->p->has_mode = true;
			s->p->mode = all[i];
			return;
		}
		if (ieq(v, n, w)) {
			ADD(&s->p->findings, MTA_STS_POL_MODE, 0,
			    "mode: %s: values are case-sensitive, write %s (RFC 8461 3.2)",
			    show(v, n).s, w);
			return;
		}
	}
	ADD(&s->p->findings, MTA_STS_POL_MODE, 0,
	    "mode: %s: must be enforce, testing or none (RFC 8461 3.2)", show(v, n).s);
}

/* RFC 8461 3.2: sts-policy-max-age-value = 1*10(DIGIT), at most 31557600
 * ("maximum value of 31557600"); parsed overflow-safe (P-03). */
static void field_max_age(struct pstate *s, const char *v, size_t n)
{
	unsigned long secs;
	const char *why = NULL;
	size_t i;

	for (i = 0; i < n && is_digit(v[i]); i++) {
	}
	if (n == 0 || i != n) {
		ADD(&s->p->findings, MTA_STS_POL_MAX_AGE, 0,
		    "max_age: %s: not a number of seconds (RFC 8461 3.2: digits only, "
		    "0 to %d)",
		    show(v, n).s, LIMIT_MTA_STS_MAX_AGE);
		return;
	}
	if (n > 10 || !parse_ulong_buf(v, n, LIMIT_MTA_STS_MAX_AGE, &secs, &why)) {
		ADD(&s->p->findings, MTA_STS_POL_MAX_AGE, 0,
		    "max_age: %s: over a year; RFC 8461 3.2 allows 0 to %d seconds", show(v, n).s,
		    LIMIT_MTA_STS_MAX_AGE);
		return;
	}
	s->p->has_max_age = true;
	s->p->max_age = (uint32_t)secs;
	if (secs < LIMIT_MTA_STS_MAX_AGE_LOW) {
		ADD(&s->p->findings, MTA_STS_POL_MAX_AGE_SHORT, 0,
		    "max_age: %lu s is under a day: %s (RFC 8461 3.2 expects weeks or "
		    "more; 0 to %d allowed)",
		    secs,
		    secs == 0 ? "senders keep the policy for no time, so it protects "
				"nothing between fetches"
			      : "the policy protects little between fetches",
		    LIMIT_MTA_STS_MAX_AGE);
	}
}

static bool mx_reserve(struct pstate *s)
{
	struct mta_sts_mx *v;
	size_t cap;

	if (s->p->nmx < s->cap) {
		return true;
	}
	cap = s->cap ? s->cap * 2 : 8;
	if (cap > LIMIT_MTA_STS_MX) {
		cap = LIMIT_MTA_STS_MX;
	}
	v = realloc(s->p->mx, cap * sizeof(*v));
	if (v == NULL) {
		return false;
	}
	s->p->mx = v;
	s->cap = cap;
	return true;
}

static void field_mx(struct pstate *s, const char *v, size_t n, size_t line)
{
	struct mta_sts_mx *m;
	const char *why;

	s->p->mx_lines++;
	/* H-06: counted, not kept, past the limit (named at the end) */
	if (s->p->nmx >= LIMIT_MTA_STS_MX) {
		return;
	}
	if (!mx_reserve(s)) {
		ADD(&s->p->findings, MTA_STS_NOMEM, 0, "out of memory");
		return;
	}
	m = &s->p->mx[s->p->nmx++];
	m->kind = classify(v, n, &m->name, &m->trailing_dot, &m->ip_address, &why);
	m->line = line;
	out_bytes(m->text, sizeof(m->text), v, n);
	if (m->kind == MTA_STS_MX_INVALID) {
		/* P-02 */
		badd(&s->b, MTA_STS_POL_MX_INVALID, "line %zu: mx: %s matches no MX host: %s", line,
		     m->text, why);
		return;
	}
	if (m->ip_address) {
		badd(&s->b, MTA_STS_POL_MX_ODD,
		     "line %zu: mx: %s is an IP address: senders match MX host names, and "
		     "an MX is never an address (RFC 8461 4.1, RFC 5321 5.1)",
		     line, m->text);
	}
	if (m->trailing_dot) {
		badd(&s->b, MTA_STS_POL_MX_ODD,
		     "line %zu: mx: %s ends in a dot: outside RFC 8461 3.2's grammar; "
		     "senders that compare text never match it, write it without the dot",
		     line, m->text);
	}
	for (size_t i = 0; i + 1 < s->p->nmx; i++) {
		if (s->p->mx[i].kind == m->kind && dname_equal(&s->p->mx[i].name, &m->name)) {
			badd(&s->b, MTA_STS_POL_MX_DUPLICATE, "line %zu: mx: %s repeats line %zu",
			     line, m->text, s->p->mx[i].line);
			break;
		}
	}
}

static void note_unknown(struct pstate *s, const char *k, size_t n)
{
	s->nunknown++;
	if (s->unknown_used < sizeof(s->unknown) - 80) {
		int w = snprintf(s->unknown + s->unknown_used, sizeof(s->unknown) - s->unknown_used,
				 "%s%s", s->unknown_used > 0 ? ", " : "", show(k, n).s);

		if (w > 0) {
			s->unknown_used += (size_t)w < sizeof(s->unknown) - s->unknown_used
						   ? (size_t)w
						   : sizeof(s->unknown) - s->unknown_used - 1;
		}
	}
}

/*
 * One line without its terminator: sts-policy-field *WSP. RFC 8461 3.2's
 * grammar sets no order on the fields (only the TXT record's v= must be
 * first, 3.1), so none is checked here.
 */
static void policy_line(struct pstate *s, const char *c, size_t n, size_t line)
{
	const char *colon, *k, *v;
	size_t kn, vn;
	int f;

	if (n > LIMIT_MTA_STS_LINE) {
		badd(&s->b, MTA_STS_POL_LINE_LONG,
		     "line %zu is %zu bytes, over %d: not parsed (%s...)", line, n,
		     LIMIT_MTA_STS_LINE, show(c, 32).s);
		return;
	}
	if (n == 0) {
		if (s->blank++ == 0) {
			s->blank_first = line;
		}
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)c[i];

		if (ch == '\r' && !s->bare_cr) {
			s->bare_cr = true;
			ADD(&s->p->findings, MTA_STS_POL_BARE_CR, 0,
			    "line %zu: CR without LF: no line end in RFC 8461 3.2 (LF or "
			    "CRLF); some parsers split there, others do not",
			    line);
		} else if ((ch < 0x20 && ch != '\t' && ch != '\r') || ch == 0x7f) {
			if (!s->control) {
				s->control = true;
				ADD(&s->p->findings, MTA_STS_POL_CONTROL, 0,
				    "line %zu: control byte 0x%02x: RFC 8461 3.2 allows "
				    "none in a policy",
				    line, ch);
			}
		}
	}
	if (!s->utf8 && utf8_bad((const unsigned char *)c, n) < n) {
		s->utf8 = true;
		ADD(&s->p->findings, MTA_STS_POL_UTF8, 0,
		    "line %zu: bytes that are not UTF-8 (RFC 8461 3.2): %s", line, show(c, n).s);
	}
	colon = memchr(c, ':', n);
	if (colon == NULL) {
		badd(&s->b, MTA_STS_POL_LINE_SYNTAX,
		     "line %zu: not a \"key: value\" field (RFC 8461 3.2): %s", line, show(c, n).s);
		return;
	}
	k = c;
	kn = (size_t)(colon - c);
	v = colon + 1;
	vn = n - kn - 1;
	while (vn > 0 && is_wsp(v[0])) {
		v++;
		vn--;
	}
	while (vn > 0 && is_wsp(v[vn - 1])) {
		vn--;
	}
	if ((kn > 0 && is_wsp(k[0])) || (kn > 0 && is_wsp(k[kn - 1]))) {
		badd(&s->b, MTA_STS_POL_LINE_SYNTAX,
		     "line %zu: space %s the field name %s: outside RFC 8461 3.2's grammar, "
		     "strict senders do not read the field",
		     line, is_wsp(k[0]) ? "before" : "after", show(k, kn).s);
		while (kn > 0 && is_wsp(k[0])) {
			k++;
			kn--;
		}
		while (kn > 0 && is_wsp(k[kn - 1])) {
			kn--;
		}
	}
	for (f = 0; f < F_COUNT; f++) {
		if (eq(k, kn, field_names[f])) {
			break;
		}
	}
	if (f == F_COUNT) {
		int near = near_field(k, kn);

		if (near >= 0) {
			badd(&s->b, MTA_STS_POL_FIELD_CASE,
			     "line %zu: %s is not the field %s (names are case-sensitive, RFC "
			     "8461 3.2): senders ignore it",
			     line, show(k, kn).s, field_names[near]);
		} else if (!txtf_name_ok(k, kn)) {
			badd(&s->b, MTA_STS_POL_LINE_SYNTAX,
			     "line %zu: %s is not a field name (RFC 8461 3.2: letters, digits, "
			     "'_', '-', '.', at most 32)",
			     line, show(k, kn).s);
		} else {
			note_unknown(s, k, kn);
		}
		return;
	}
	if (f != F_MX && s->seen[f] != 0) {
		/* RFC 8461 3.2: "If any non-repeated field--i.e., all fields
		 * excluding "mx"--is duplicated, all entries except for the
		 * first SHALL be ignored." */
		badd(&s->b, MTA_STS_POL_DUPLICATE,
		     "line %zu: %s: %s repeats the field of line %zu: senders ignore it "
		     "(RFC 8461 3.2)",
		     line, field_names[f], show(v, vn).s, s->seen[f]);
		return;
	}
	if (s->seen[f] == 0) {
		s->seen[f] = line;
	}
	switch (f) {
	case F_VERSION:
		field_version(s, v, vn);
		break;
	case F_MODE:
		field_mode(s, v, vn);
		break;
	case F_MAX_AGE:
		field_max_age(s, v, vn);
		break;
	default:
		field_mx(s, v, vn, line);
		break;
	}
}

static void policy_end(struct pstate *s)
{
	struct mta_sts_policy *p = s->p;
	size_t usable = 0;

	bdone(&s->b, MTA_STS_POL_MORE);
	if (s->blank > 0) {
		ADD(&p->findings, MTA_STS_POL_LINE_SYNTAX, 0,
		    "%zu blank line%s (the first: line %zu): outside RFC 8461 3.2's "
		    "grammar, strict senders may refuse the policy",
		    s->blank, s->blank > 1 ? "s" : "", s->blank_first);
	}
	for (int f = 0; f < F_COUNT; f++) {
		if (f != F_MX && s->seen[f] == 0) {
			ADD(&p->findings, MTA_STS_POL_MISSING, 0,
			    "no %s field: it is required (RFC 8461 3.2), senders refuse "
			    "the policy",
			    field_names[f]);
		}
	}
	for (size_t i = 0; i < p->nmx; i++) {
		usable += p->mx[i].kind != MTA_STS_MX_INVALID;
	}
	if (p->has_mode && p->mode != MTA_STS_MODE_NONE && p->mx_lines == 0) {
		ADD(&p->findings, MTA_STS_POL_MX_MISSING, 0,
		    "no mx field: mode %s needs at least one (RFC 8461 3.2)",
		    mta_sts_mode_str(p->mode));
	}
	if (p->mx_lines > LIMIT_MTA_STS_MX) {
		ADD(&p->findings, MTA_STS_POL_MX_TOO_MANY, 0,
		    "%zu mx patterns: those after the first %d not examined", p->mx_lines,
		    LIMIT_MTA_STS_MX);
	}
	if (s->nunknown > 0) {
		ADD(&p->findings, MTA_STS_POL_UNKNOWN, 0,
		    "fields senders ignore (RFC 8461 3.2): %s%s (%zu in all)", s->unknown,
		    s->nunknown > 1 && s->unknown_used >= sizeof(s->unknown) - 80 ? ", ..." : "",
		    s->nunknown);
	}
	if (p->crlf > 0 && p->lf > 0) {
		p->eol = MTA_STS_EOL_MIXED;
		ADD(&p->findings, MTA_STS_POL_EOL, 0,
		    "line ends mixed: %zu CRLF, %zu LF (RFC 8461 3.2 allows both)", p->crlf, p->lf);
	} else if (p->crlf > 0) {
		p->eol = MTA_STS_EOL_CRLF;
		ADD(&p->findings, MTA_STS_POL_EOL, 1, "line ends: CRLF");
	} else if (p->lf > 0) {
		p->eol = MTA_STS_EOL_LF;
		ADD(&p->findings, MTA_STS_POL_EOL, 1,
		    "line ends: LF (RFC 8461 3.2's grammar allows them; its text says "
		    "CRLF)");
	}
	p->valid = p->has_version && p->has_mode && p->has_max_age &&
		   (p->mode == MTA_STS_MODE_NONE || usable > 0) &&
		   finding_list_worst(&p->findings) != STATE_CRITICAL;
}

struct mta_sts_policy *mta_sts_policy_parse(const char *body, size_t len)
{
	struct mta_sts_policy *p = calloc(1, sizeof(*p));
	struct pstate s;
	size_t n = len, pos = 0;

	if (p == NULL) {
		return NULL;
	}
	memset(&s, 0, sizeof(s));
	s.p = p;
	s.b.fl = &p->findings;
	if (n > LIMIT_MTA_STS_POLICY_BYTES) {
		/* H-02, H-06: bounded, the excess named */
		n = LIMIT_MTA_STS_POLICY_BYTES;
		ADD(&p->findings, MTA_STS_POL_TOO_LONG, 0,
		    "policy of %zu bytes: only the first %d parsed; RFC 8461 3.3 "
		    "suggests senders accept no more than 64 KB",
		    len, LIMIT_MTA_STS_POLICY_BYTES);
	}
	p->parsed_bytes = n;
	if (n >= 3 && memcmp(body, "\xef\xbb\xbf", 3) == 0) {
		ADD(&p->findings, MTA_STS_POL_BOM, 0,
		    "the policy begins with a UTF-8 byte order mark: senders read it "
		    "as part of the first field's name (RFC 8461 3.2)");
	}
	while (pos < n) {
		const char *lf = memchr(body + pos, '\n', n - pos);
		size_t end = lf != NULL ? (size_t)(lf - body) : n;
		size_t cend = end;

		if (lf != NULL) {
			/* sts-policy-term = LF / CRLF */
			if (end > pos && body[end - 1] == '\r') {
				cend--;
				p->crlf++;
			} else {
				p->lf++;
			}
		}
		p->nlines++;
		policy_line(&s, body + pos, cend - pos, p->nlines);
		pos = lf != NULL ? end + 1 : n;
	}
	policy_end(&s);
	return p;
}

void mta_sts_policy_free(struct mta_sts_policy *p)
{
	if (p == NULL) {
		return;
	}
	free(p->mx);
	finding_list_clear(&p->findings);
	free(p);
}

/* ---------------------------------------------------------- Content-Type */

static void trim(const char **p, size_t *n)
{
	while (*n > 0 && is_wsp(**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && is_wsp((*p)[*n - 1])) {
		(*n)--;
	}
}

bool mta_sts_content_type(const char *ct, size_t len, struct finding_list *fl)
{
	const char *semi, *t = ct, *rest;
	size_t tn;

	if (ct == NULL) {
		ADD(fl, MTA_STS_CT_MISSING, 0,
		    "the policy came without a Content-Type: senders that check for "
		    "text/plain, as RFC 8461 3.3 says they should, refuse it");
		return false;
	}
	semi = memchr(ct, ';', len);
	tn = semi != NULL ? (size_t)(semi - ct) : len;
	trim(&t, &tn);
	/* RFC 2045 5.1: type and subtype are case-insensitive */
	if (!ieq(t, tn, "text/plain")) {
		ADD(fl, MTA_STS_CT_NOT_TEXT_PLAIN, 0,
		    "the policy came as Content-Type %s, not text/plain: senders that "
		    "check it, as RFC 8461 3.3 says they should, refuse it",
		    show(ct, len).s);
		return false;
	}
	rest = semi;
	while (rest != NULL) {
		const char *start = rest + 1, *next, *eqs, *name, *val;
		size_t n, nn, vn;

		next = memchr(start, ';', len - (size_t)(start - ct));
		n = next != NULL ? (size_t)(next - start) : len - (size_t)(start - ct);
		rest = next;
		eqs = memchr(start, '=', n);
		if (eqs == NULL) {
			continue;
		}
		name = start;
		nn = (size_t)(eqs - start);
		val = eqs + 1;
		vn = n - nn - 1;
		trim(&name, &nn);
		trim(&val, &vn);
		if (vn >= 2 && val[0] == '"' && val[vn - 1] == '"') {
			val++;
			vn -= 2;
		}
		if (ieq(name, nn, "charset") && !ieq(val, vn, "utf-8") &&
		    !ieq(val, vn, "us-ascii")) {
			/* H-05: read as RFC 8461 3.2 has it, UTF-8, whatever
			 * the charset says */
			ADD(fl, MTA_STS_CT_CHARSET, 0,
			    "the policy came as charset=%s: a policy is UTF-8 (RFC 8461 "
			    "3.2); it is read as UTF-8",
			    show(val, vn).s);
		}
	}
	return true;
}

/* ------------------------------------------------------------ fix helper */

static bool append(char **buf, size_t *used, size_t *cap, const char *s)
{
	size_t n = strlen(s);

	if (*used + n + 1 > *cap) {
		size_t ncap = (*used + n + 1) * 2;
		char *nb = realloc(*buf, ncap);

		if (nb == NULL) {
			return false;
		}
		*buf = nb;
		*cap = ncap;
	}
	memcpy(*buf + *used, s, n + 1);
	*used += n;
	return true;
}

char *mta_sts_policy_build(const struct dname *hosts, size_t n, enum mta_sts_mode mode,
			   uint32_t max_age)
{
	char *buf = NULL, num[32];
	size_t used = 0, cap = 0;
	bool ok;

	if (mode == MTA_STS_MODE_UNSET) {
		mode = MTA_STS_MODE_TESTING;
	}
	if (max_age == 0) {
		max_age = 604800;
	}
	if (max_age > LIMIT_MTA_STS_MAX_AGE) {
		max_age = LIMIT_MTA_STS_MAX_AGE;
	}
	ok = append(&buf, &used, &cap, "version: STSv1\r\nmode: ") &&
	     append(&buf, &used, &cap, mta_sts_mode_str(mode)) && append(&buf, &used, &cap, "\r\n");
	for (size_t i = 0; ok && i < n; i++) {
		char text[DNAME_TEXT_MAX];
		struct dname low, check;
		bool dot, ip;
		const char *why;
		size_t j;

		if (dname_labels(&hosts[i]) == 0) {
			continue; /* a null MX has no host to name */
		}
		for (j = 0; j < i && !dname_equal(&hosts[j], &hosts[i]); j++) {
		}
		if (j < i) {
			continue;
		}
		dname_lower(&low, &hosts[i]);
		dname_to_text(&low, text, sizeof(text));
		/* only names a policy can carry (RFC 8461 3.2: a Domain), as
		 * its own parser reads them */
		if (strchr(text, '*') != NULL ||
		    classify(text, strlen(text), &check, &dot, &ip, &why) != MTA_STS_MX_EXACT) {
			free(buf);
			return NULL;
		}
		ok = append(&buf, &used, &cap, "mx: ") && append(&buf, &used, &cap, text) &&
		     append(&buf, &used, &cap, "\r\n");
	}
	snprintf(num, sizeof(num), "%lu", (unsigned long)max_age);
	ok = ok && append(&buf, &used, &cap, "max_age: ") && append(&buf, &used, &cap, num) &&
	     append(&buf, &used, &cap, "\r\n");
	if (!ok) {
		free(buf);
		return NULL;
	}
	return buf;
}
