/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The SMTP TLS report reader (common/report_tls.h), with json-c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "report_tls.h"
#include "text.h"

static void fail(struct tls_report *r, const char *fmt, ...) PRINTF_LIKE(2, 3);
static void fail(struct tls_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->error[0] != '\0') {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
}

static struct json_object *member(struct json_object *o, const char *key, json_type type)
{
	struct json_object *v = NULL;

	if (o == NULL || !json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, type)) {
		return NULL;
	}
	return v;
}

/* A string member cut into dst ("" when absent or not a string). */
static void text(struct json_object *o, const char *key, char *dst, size_t cap)
{
	struct json_object *v = member(o, key, json_type_string);
	size_t n = v ? (size_t)json_object_get_string_len(v) : 0;

	if (n >= cap) {
		n = cap - 1;
	}
	if (n > 0) {
		memcpy(dst, json_object_get_string(v), n);
	}
	dst[n] = '\0';
}

/* a count is a JSON integer in 0..LIMIT_REPORT_COUNT; json-c
 * clamps what does not fit 64 bits, so that is refused too. Absent: 0. */
static uint64_t count(struct tls_report *r, struct json_object *o, const char *key)
{
	struct json_object *v = NULL;
	int64_t n;

	if (o == NULL || !json_object_object_get_ex(o, key, &v)) {
		return 0;
	}
	if (!json_object_is_type(v, json_type_int)) {
		fail(r, "%s is not a whole number", key);
		return 0;
	}
	n = json_object_get_int64(v);
	if (n < 0 || (uint64_t)n > LIMIT_REPORT_COUNT) {
		fail(r, "%s %lld out of range", key, (long long)n);
		return 0;
	}
	return (uint64_t)n;
}

static bool digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9') {
			return false;
		}
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

/* RFC 3339 "2016-04-01T23:59:59Z" (fractions and offsets are not used
 * by senders; a time that is not this form is refused). */
static bool datetime(const char *s, int64_t *out)
{
	struct tm tm = {0};
	int y, mo, d, h, mi, se;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
	    s[13] != ':' || s[16] != ':' || !digits(s, 4, &y) || !digits(s + 5, 2, &mo) ||
	    !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) ||
	    !digits(s + 17, 2, &se) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
	    se > 60) {
		return false;
	}
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	*out = (int64_t)timegm(&tm);
	return true;
}

static void policy(struct tls_report *r, struct json_object *p)
{
	struct json_object *pol = member(p, "policy", json_type_object);
	struct json_object *sum = member(p, "summary", json_type_object);
	struct json_object *det = member(p, "failure-details", json_type_array);
	struct tls_policy *tp;
	size_t idx = r->npolicies;

	if (pol == NULL || sum == NULL) {
		fail(r, "a policy without policy or summary");
		return;
	}
	if (r->npolicies >= TLS_REPORT_POLICIES) {
		r->dropped++;
		return;
	}
	tp = &r->policies[r->npolicies++];
	text(pol, "policy-type", tp->type, sizeof(tp->type));
	text(pol, "policy-domain", tp->domain, sizeof(tp->domain));
	tp->ok = count(r, sum, "total-successful-session-count");
	tp->failed = count(r, sum, "total-failure-session-count");
	for (size_t i = 0; det != NULL && i < json_object_array_length(det); i++) {
		struct json_object *f = json_object_array_get_idx(det, i);
		struct tls_failure *tf;

		if (r->nfailures >= TLS_REPORT_FAILURES) {
			r->dropped++;
			continue;
		}
		tf = &r->failures[r->nfailures++];
		tf->policy = idx;
		text(f, "result-type", tf->result, sizeof(tf->result));
		text(f, "receiving-mx-hostname", tf->mx, sizeof(tf->mx));
		tf->sessions = count(r, f, "failed-session-count");
	}
}

static void report(struct tls_report *r, struct json_object *root)
{
	struct json_object *range = member(root, "date-range", json_type_object);
	struct json_object *pols = member(root, "policies", json_type_array);
	char end[40] = {0}; /* zeroed: the analyser cannot follow text() */

	if (!json_object_is_type(root, json_type_object)) {
		fail(r, "not a JSON object");
		return;
	}
	text(root, "organization-name", r->org, sizeof(r->org));
	text(root, "report-id", r->report_id, sizeof(r->report_id));
	if (r->report_id[0] == '\0') {
		fail(r, "no report-id");
		return;
	}
	text(range, "end-datetime", end, sizeof(end));
	if (range == NULL || !datetime(end, &r->end)) {
		fail(r, "no date-range end-datetime in RFC 3339 form");
		return;
	}
	if (pols == NULL) {
		fail(r, "no policies");
		return;
	}
	for (size_t i = 0; i < json_object_array_length(pols); i++) {
		policy(r, json_object_array_get_idx(pols, i));
	}
}

static bool only_space(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n') {
			return false;
		}
	}
	return true;
}

struct tls_report *tls_report_parse(const void *data, size_t len)
{
	struct tls_report *r = calloc(1, sizeof(*r));
	struct json_tokener *tok;
	struct json_object *root;

	if (r == NULL) {
		return NULL;
	}
	if (len == 0 || len > LIMIT_REPORT_XML_BYTES) {
		fail(r, "%s", len == 0 ? "empty" : "over the size limit");
		return r;
	}
	tok = json_tokener_new_ex(LIMIT_REPORT_JSON_DEPTH);
	if (tok == NULL) {
		fail(r, "out of memory");
		return r;
	}
	/* strict: no comments, no trailing garbage beyond white space */
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, data, (int)len);
	if (root == NULL || json_tokener_get_error(tok) != json_tokener_success) {
		enum json_tokener_error e = json_tokener_get_error(tok);

		fail(r, "not valid JSON (%s)",
		     e == json_tokener_error_depth ? "nested too deep"
						   : json_tokener_error_desc(e));
	} else if (!only_space((const char *)data + json_tokener_get_parse_end(tok),
			       len - json_tokener_get_parse_end(tok))) {
		fail(r, "bytes after the JSON object");
	} else {
		report(r, root);
	}
	json_object_put(root);
	json_tokener_free(tok);
	return r;
}

void tls_report_free(struct tls_report *r)
{
	free(r);
}
