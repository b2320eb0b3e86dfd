/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Monitoring-plugin output (Nagios plugin API, "Plugin Output"): findings
 * are collected during the run and rendered once, worst first.
 *
 * Every text is escaped at render time (doc/hostile-inputs.md rule 7, O-01)
 * with common/text.c's text_escape(). Lines are capped and cut at a
 * character boundary with "...".
 */
#include "output.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "text.h"

/* Raw bytes kept of one text. Every byte renders as one byte or more, so
 * keeping a few more bytes than a line can show tells the renderer when
 * to cut, and a 64 KiB TXT record passed as "%s" costs no more than this. */
#define KEEP_LINE   (LIMIT_LINE_TEXT + 8)
#define KEEP_STATUS (LIMIT_STATUS_TEXT + 8)
#define PERF_ITEM   1024 /* bytes of one formatted perfdata item */
/* Bytes of one perfdata label. Per-host labels are a host name (up to 253
 * bytes, RFC 1035 2.3.4) plus a suffix such as "_cert_days": at 64 bytes
 * long MX names (...mail.protection.outlook.com) collided. */
#define PERF_LABEL 255
/* When a label must still be cut, its last PERF_LABEL_TAIL bytes are kept
 * (the middle goes): the suffix tells what the value is. */
#define PERF_LABEL_TAIL 32

struct text {
	char *s;
	size_t len;
	bool cut; /* the formatted text was longer than what is kept */
};

struct finding {
	enum state st;
	size_t seq; /* order of addition, for a stable sort */
	struct text t;
};

struct vline {
	int min_verbose;
	struct text t;
};

struct check {
	char service[32];
	bool oom;
	int verbosity;
	enum state worst;
	size_t seq;

	struct text subject;
	bool have_summary;
	enum state summary_state;
	struct text summary;

	struct finding *findings;
	size_t nfindings;
	size_t dropped; /* findings beyond LIMIT_FINDINGS */

	struct vline *verbose;
	size_t nverbose;

	struct text *fixes;
	size_t nfixes;

	char **perf;
	size_t nperf;
};

/* check_new() never returns NULL: without memory it hands out this one,
 * which ignores everything and renders "SERVICE UNKNOWN - out of memory". */
static struct check oom_check = {.oom = true, .worst = STATE_UNKNOWN};

static void text_free(struct text *t)
{
	free(t->s);
	t->s = NULL;
	t->len = 0;
	t->cut = false;
}

/* Format into t, keeping at most keep bytes. False on OOM. */
static bool text_vformat(struct text *t, size_t keep, const char *fmt, va_list ap)
{
	char *buf = malloc(keep + 1);
	int n;

	if (buf == NULL) {
		return false;
	}
	n = vsnprintf(buf, keep + 1, fmt, ap);
	if (n < 0) {
		n = 0;
		buf[0] = '\0';
	}
	text_free(t);
	t->s = buf;
	t->len = (size_t)n > keep ? keep : (size_t)n;
	t->cut = (size_t)n > keep;
	return true;
}

/* True if a is worse than b (OK < UNKNOWN < WARNING < CRITICAL). */
static bool worse(enum state a, enum state b)
{
	return a != b && state_worst(a, b) == a;
}

struct check *check_new(const char *service)
{
	struct check *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		c = &oom_check;
	}
	snprintf(c->service, sizeof(c->service), "%s", service != NULL ? service : "");
	c->worst = c->oom ? STATE_UNKNOWN : STATE_OK;
	return c;
}

void check_free(struct check *c)
{
	if (c == NULL || c == &oom_check) {
		return;
	}
	text_free(&c->subject);
	text_free(&c->summary);
	for (size_t i = 0; i < c->nfindings; i++) {
		text_free(&c->findings[i].t);
	}
	free(c->findings);
	for (size_t i = 0; i < c->nverbose; i++) {
		text_free(&c->verbose[i].t);
	}
	free(c->verbose);
	for (size_t i = 0; i < c->nfixes; i++) {
		text_free(&c->fixes[i]);
	}
	free(c->fixes);
	for (size_t i = 0; i < c->nperf; i++) {
		free(c->perf[i]);
	}
	free(c->perf);
	free(c);
}

void check_set_verbosity(struct check *c, int verbose)
{
	if (!c->oom) {
		c->verbosity = verbose;
	}
}

void check_subject(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->oom) {
		return;
	}
	va_start(ap, fmt);
	if (!text_vformat(&c->subject, KEEP_STATUS, fmt, ap)) {
		c->oom = true;
	}
	va_end(ap);
}

void check_summary(struct check *c, enum state s, const char *fmt, ...)
{
	va_list ap;

	if (c->oom) {
		return;
	}
	va_start(ap, fmt);
	if (!text_vformat(&c->summary, KEEP_STATUS, fmt, ap)) {
		c->oom = true;
	}
	va_end(ap);
	c->have_summary = true;
	c->summary_state = s;
	c->worst = state_worst(c->worst, s);
}

/* Arrays grow by doubling from 8 items: room runs out exactly when n is 0
 * or a power of two of at least 8. Returns the array, or NULL on OOM (the
 * old array then still valid). n is bounded by LIMIT_FINDINGS. */
static void *grow(void *arr, size_t n, size_t sz)
{
	bool full = n == 0 || (n >= 8 && (n & (n - 1)) == 0);

	if (!full) {
		return arr;
	}
	return realloc(arr, (n == 0 ? 8 : n * 2) * sz);
}

void check_add(struct check *c, enum state s, const char *fmt, ...)
{
	struct text t = {0};
	va_list ap;
	bool ok;

	if (c->oom) {
		return;
	}
	c->worst = state_worst(c->worst, s);
	va_start(ap, fmt);
	ok = text_vformat(&t, KEEP_LINE, fmt, ap);
	va_end(ap);
	if (!ok) {
		c->oom = true;
		return;
	}
	if (c->nfindings >= LIMIT_FINDINGS) {
		/* Full: a worse finding takes the place of the last of the
		 * least bad ones, so the first line and the top of the long
		 * output still show the worst. */
		size_t victim = c->nfindings;

		for (size_t i = 0; i < c->nfindings; i++) {
			if (victim == c->nfindings ||
			    !worse(c->findings[i].st, c->findings[victim].st)) {
				victim = i;
			}
		}
		c->dropped++;
		if (!worse(s, c->findings[victim].st)) {
			text_free(&t);
			return;
		}
		text_free(&c->findings[victim].t);
		c->findings[victim].st = s;
		c->findings[victim].seq = c->seq++;
		c->findings[victim].t = t;
		return;
	}
	{
		struct finding *f = grow(c->findings, c->nfindings, sizeof(*f));

		if (f == NULL) {
			text_free(&t);
			c->oom = true;
			return;
		}
		c->findings = f;
	}
	c->findings[c->nfindings].st = s;
	c->findings[c->nfindings].seq = c->seq++;
	c->findings[c->nfindings].t = t;
	c->nfindings++;
}

void check_fix(struct check *c, const char *fmt, ...)
{
	struct text t = {0};
	struct text *f;
	va_list ap;
	bool ok;

	if (c->oom || c->nfixes >= LIMIT_FINDINGS) {
		return;
	}
	va_start(ap, fmt);
	ok = text_vformat(&t, KEEP_LINE, fmt, ap);
	va_end(ap);
	f = ok ? grow(c->fixes, c->nfixes, sizeof(*f)) : NULL;
	if (f == NULL) {
		text_free(&t);
		c->oom = true;
		return;
	}
	c->fixes = f;
	c->fixes[c->nfixes++] = t;
}

void check_verbose(struct check *c, int min_verbose, const char *fmt, ...)
{
	struct text t = {0};
	struct vline *v;
	va_list ap;
	bool ok;

	if (c->oom || c->nverbose >= LIMIT_FINDINGS) {
		return;
	}
	va_start(ap, fmt);
	ok = text_vformat(&t, KEEP_LINE, fmt, ap);
	va_end(ap);
	v = ok ? grow(c->verbose, c->nverbose, sizeof(*v)) : NULL;
	if (v == NULL) {
		text_free(&t);
		c->oom = true;
		return;
	}
	c->verbose = v;
	c->verbose[c->nverbose].min_verbose = min_verbose;
	c->verbose[c->nverbose].t = t;
	c->nverbose++;
}

enum state check_state(const struct check *c)
{
	return c->oom ? state_worst(c->worst, STATE_UNKNOWN) : c->worst;
}

/* ---- perfdata ---------------------------------------------------------- */

/*
 * A number in the C locale (perfdata is read by Icinga 2 and Nagios with
 * a '.' decimal point, whatever LC_NUMERIC the plugin runs under).
 * Fixed notation with up to 6 decimals, trailing zeros dropped.
 */
static void format_number(char *buf, size_t len, double v)
{
	locale_t c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	locale_t old = (locale_t)0;
	char *dot;

	if (!isfinite(v)) {
		snprintf(buf, len, "U"); /* Nagios: value unknown */
		if (c_locale != (locale_t)0) {
			freelocale(c_locale);
		}
		return;
	}
	if (c_locale != (locale_t)0) {
		old = uselocale(c_locale);
	}
	if (fabs(v) >= 1e21) {
		snprintf(buf, len, "%.15g", v);
	} else {
		snprintf(buf, len, "%.6f", v);
	}
	if (c_locale != (locale_t)0) {
		uselocale(old);
		freelocale(c_locale);
	}
	/* Without a C locale object, repair a decimal comma by hand. */
	for (char *p = buf; *p != '\0'; p++) {
		if (*p == ',') {
			*p = '.';
		}
	}
	dot = strchr(buf, '.');
	if (dot != NULL && strchr(buf, 'e') == NULL) {
		char *end = buf + strlen(buf);

		while (end > dot + 1 && end[-1] == '0') {
			*--end = '\0';
		}
		if (end == dot + 1) {
			*dot = '\0';
		}
	}
	if (strcmp(buf, "-0") == 0) {
		snprintf(buf, len, "0");
	}
}

/* Perfdata label: no '=' or quote (they end or quote the label), no '|'
 * or control or non-ASCII byte; quoted when it holds a space. A label
 * longer than PERF_LABEL loses its middle, never its suffix. False on OOM. */
static bool format_label(char *buf, size_t len, const char *label)
{
	const char *src = label != NULL ? label : "";
	char *clean = malloc(strlen(src) + 2);
	size_t n = 0;

	if (clean == NULL) {
		return false;
	}
	for (const char *p = src; *p != '\0'; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch == '=' || ch == '\'') {
			continue;
		}
		clean[n++] = (ch < 0x20 || ch >= 0x7f || ch == '|') ? '_' : (char)ch;
	}
	if (n == 0) {
		clean[n++] = '_';
	}
	if (n > PERF_LABEL) {
		memmove(clean + PERF_LABEL - PERF_LABEL_TAIL, clean + n - PERF_LABEL_TAIL,
			PERF_LABEL_TAIL);
		n = PERF_LABEL;
	}
	clean[n] = '\0';
	if (strchr(clean, ' ') != NULL) {
		snprintf(buf, len, "'%s'", clean);
	} else {
		snprintf(buf, len, "%s", clean);
	}
	free(clean);
	return true;
}

/*
 * A threshold as one number. Icinga 2 reads warn and crit as plain
 * numbers and drops the whole item when given "10:" or "@10:20"
 * (icinga2#909, #9038; monitoring-plugins#2207). A plain N means 0..N,
 * so only "N", "0:N" and "~:N" are printed (as N); "2048:" (alert below),
 * "10:20" and "@..." are left empty rather than mean something else.
 */
static void format_threshold(char *buf, size_t len, const struct range *r, bool as_range)
{
	buf[0] = '\0';
	/* check_perf_ranges(): the range as given, when it holds only what a
	 * range may (range_parse() accepted it; this keeps ';' and ' ' out). */
	if (as_range && r != NULL && r->set && r->text[0] != '\0' &&
	    strspn(r->text, "0123456789.:~@+-eE") == strlen(r->text)) {
		snprintf(buf, len, "%s", r->text);
		return;
	}
	if (r == NULL || !r->set || r->alert_inside || (r->start_infinite && r->end_infinite)) {
		return;
	}
	if (r->start_infinite && !r->end_infinite) {
		format_number(buf, len, r->end);
	} else if (!r->start_infinite && !r->end_infinite && r->start == 0) {
		format_number(buf, len, r->end);
	}
}

/* Units Icinga 2 and the Nagios guidelines know; others are left out
 * rather than make Icinga 2 reject the value. */
static const char *known_uom(const char *uom)
{
	static const char *const units[] = {"s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB", "c"};

	for (size_t i = 0; uom != NULL && i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(uom, units[i]) == 0) {
			return units[i];
		}
	}
	return "";
}

static void perf_add(struct check *c, const char *label, double value, const char *uom,
		     const struct range *warn, const struct range *crit, double min, double max,
		     bool as_range)
{
	char lab[PERF_LABEL + 3];
	char val[64];
	const char *unit = known_uom(uom);
	char fwarn[64];
	char fcrit[64];
	char fmin[64] = "";
	char fmax[64] = "";
	const char *fields[4];
	size_t last = 0;
	char *item;
	char **arr;
	size_t o;

	/* No value, no item: "U" is not a number to Icinga 2. */
	if (c->oom || c->nperf >= LIMIT_PERFDATA || !isfinite(value)) {
		return;
	}
	if (!format_label(lab, sizeof(lab), label)) {
		c->oom = true;
		return;
	}
	format_number(val, sizeof(val), value);
	if (!isnan(min)) {
		format_number(fmin, sizeof(fmin), min);
	}
	if (!isnan(max)) {
		format_number(fmax, sizeof(fmax), max);
	}
	format_threshold(fwarn, sizeof(fwarn), warn, as_range);
	format_threshold(fcrit, sizeof(fcrit), crit, as_range);
	fields[0] = fwarn;
	fields[1] = fcrit;
	fields[2] = fmin;
	fields[3] = fmax;
	/* Trailing empty fields are left out, as monitoring-plugins does. */
	for (size_t i = 0; i < 4; i++) {
		if (fields[i][0] != '\0') {
			last = i + 1;
		}
	}
	item = malloc(PERF_ITEM);
	arr = item != NULL ? grow(c->perf, c->nperf, sizeof(*arr)) : NULL;
	if (arr == NULL) {
		free(item);
		c->oom = true;
		return;
	}
	c->perf = arr;
	o = (size_t)snprintf(item, PERF_ITEM, "%s=%s%s", lab, val, unit);
	for (size_t i = 0; i < last && o < PERF_ITEM; i++) {
		o += (size_t)snprintf(item + o, PERF_ITEM - o, ";%s", fields[i]);
	}
	c->perf[c->nperf++] = item;
}

void check_perf(struct check *c, const char *label, double value, const char *uom,
		const struct range *warn, const struct range *crit, double min, double max)
{
	perf_add(c, label, value, uom, warn, crit, min, max, false);
}

void check_perf_ranges(struct check *c, const char *label, double value, const char *uom,
		       const struct range *warn, const struct range *crit, double min, double max)
{
	perf_add(c, label, value, uom, warn, crit, min, max, true);
}

/* ---- rendering --------------------------------------------------------- */

static int cmp_findings(const void *a, const void *b)
{
	const struct finding *fa = *(const struct finding *const *)a;
	const struct finding *fb = *(const struct finding *const *)b;

	if (worse(fa->st, fb->st)) {
		return -1;
	}
	if (worse(fb->st, fa->st)) {
		return 1;
	}
	return fa->seq < fb->seq ? -1 : (fa->seq > fb->seq);
}

/* One line: prefix (ours, printable) and an escaped text capped so that
 * the line holds at most cap bytes. */
static void put_line(FILE *out, const char *prefix, const struct text *t, size_t cap)
{
	char buf[LIMIT_LINE_TEXT + 1];
	size_t plen = strlen(prefix);

	if (cap > LIMIT_LINE_TEXT) {
		cap = LIMIT_LINE_TEXT;
	}
	text_escape(t->s, t->len, t->cut, buf, plen < cap ? cap - plen : 0);
	fputs(prefix, out);
	fputs(buf, out);
	fputc('\n', out);
}

static void render_first_line(const struct check *c, FILE *out, enum state st,
			      const struct text *summary)
{
	char svc[40];
	char head[64];
	char raw[2 * KEEP_STATUS + 3];
	char body[LIMIT_STATUS_TEXT + 1];
	size_t hlen;
	size_t n = 0;
	bool more = false;

	/* The service name is ours, but escape it all the same. */
	out_bytes(svc, sizeof(svc), c->service, strlen(c->service));
	snprintf(head, sizeof(head), "%s %s", svc, state_name(st));
	hlen = strlen(head);
	/* Each part keeps at most KEEP_STATUS bytes: more never fits. */
	if (c->subject.len > 0) {
		n = c->subject.len < KEEP_STATUS ? c->subject.len : KEEP_STATUS;
		memcpy(raw, c->subject.s, n);
		more = c->subject.cut || c->subject.len > KEEP_STATUS;
	}
	if (summary != NULL && summary->len > 0) {
		size_t k = summary->len < KEEP_STATUS ? summary->len : KEEP_STATUS;

		if (n > 0) {
			memcpy(raw + n, ": ", 2);
			n += 2;
		}
		memcpy(raw + n, summary->s, k);
		n += k;
		more = more || summary->cut || summary->len > KEEP_STATUS;
	}
	fputs(head, out);
	if (n > 0) {
		/* LIMIT_STATUS_TEXT bounds the line before perfdata. */
		size_t cap = hlen + 3 < LIMIT_STATUS_TEXT ? LIMIT_STATUS_TEXT - hlen - 3 : 0;

		text_escape(raw, n, more, body, cap);
		fputs(" - ", out);
		fputs(body, out);
	}
	if (c->nperf > 0) {
		fputs(" |", out);
		for (size_t i = 0; i < c->nperf; i++) {
			fputc(' ', out);
			fputs(c->perf[i], out);
		}
	}
	fputc('\n', out);
}

enum state check_render(const struct check *c, FILE *out)
{
	const struct finding **sorted = NULL;
	const struct text *summary = NULL;
	enum state st = check_state(c);

	if (!c->oom && c->nfindings > 0) {
		sorted = malloc(c->nfindings * sizeof(*sorted));
		if (sorted == NULL) {
			st = state_worst(st, STATE_UNKNOWN);
		}
	}
	if (c->oom || (c->nfindings > 0 && sorted == NULL)) {
		char svc[32];

		out_bytes(svc, sizeof(svc), c->service, strlen(c->service));
		fprintf(out, "%s %s - out of memory\n", svc, state_name(st));
		return st;
	}
	for (size_t i = 0; i < c->nfindings; i++) {
		sorted[i] = &c->findings[i];
	}
	if (c->nfindings > 1) {
		qsort(sorted, c->nfindings, sizeof(*sorted), cmp_findings);
	}
	/* The summary stands only if nothing found is worse than it. */
	if (c->have_summary && (c->nfindings == 0 || !worse(sorted[0]->st, c->summary_state))) {
		summary = &c->summary;
	} else if (c->nfindings > 0) {
		summary = &sorted[0]->t;
	}
	render_first_line(c, out, st, summary);
	for (size_t i = 0; i < c->nfindings; i++) {
		char prefix[16];

		snprintf(prefix, sizeof(prefix), "[%s] ", state_name(sorted[i]->st));
		put_line(out, prefix, &sorted[i]->t, LIMIT_LINE_TEXT);
	}
	if (c->dropped > 0) {
		fprintf(out, "(%zu more findings not shown, limit %d)\n", c->dropped,
			LIMIT_FINDINGS);
	}
	for (size_t i = 0; i < c->nverbose; i++) {
		if (c->verbosity >= c->verbose[i].min_verbose) {
			put_line(out, "", &c->verbose[i].t, LIMIT_LINE_TEXT);
		}
	}
	for (size_t i = 0; i < c->nfixes; i++) {
		put_line(out, "fix: ", &c->fixes[i], LIMIT_LINE_TEXT);
	}
	free(sorted);
	return st;
}
