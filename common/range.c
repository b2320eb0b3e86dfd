/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Threshold ranges, Monitoring Plugins semantics (Nagios plugin
 * development guidelines, "Threshold and ranges"; monitoring-plugins
 * lib/utils_base.c): [@]start:end, start defaults to 0 and may be '~'
 * (negative infinity), an empty end is positive infinity, endpoints are
 * inclusive, '@' alerts inside instead of outside.
 */
#include "range.h"

#include <float.h>
#include <string.h>

#include "numparse.h"

static bool fail(const char **why, const char *text)
{
	if (why != NULL) {
		*why = text;
	}
	return false;
}

/* One endpoint of n bytes. A trailing '%' is dropped, as upstream's
 * strtod-based parser ignores it ("1:12%" is 1..12). */
static bool endpoint(const char *s, size_t n, double *out, const char **why)
{
	char buf[sizeof(((struct range *)0)->text)];

	if (n > 0 && s[n - 1] == '%') {
		n--;
	}
	if (n == 0 || n >= sizeof(buf)) {
		return fail(why, "not a number");
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return parse_double(buf, -DBL_MAX, DBL_MAX, out, why);
}

bool range_parse(const char *s, struct range *r, const char **why)
{
	struct range tmp;
	const char *p;
	const char *colon;
	size_t len;
	size_t o = 0;

	if (s == NULL) {
		return fail(why, "empty range");
	}
	len = strlen(s);
	if (len == 0) {
		return fail(why, "empty range");
	}
	if (len >= sizeof(tmp.text)) {
		return fail(why, "range too long");
	}
	memset(&tmp, 0, sizeof(tmp));
	p = s;
	if (*p == '@') {
		tmp.alert_inside = true;
		p++;
	}
	colon = strchr(p, ':');
	if (colon == NULL) {
		/* "10": 0..10 */
		if (!endpoint(p, strlen(p), &tmp.end, why)) {
			return false;
		}
	} else {
		size_t slen = (size_t)(colon - p);
		const char *e = colon + 1;

		if (strchr(e, ':') != NULL) {
			return fail(why, "more than one ':'");
		}
		if (slen == 1 && p[0] == '~') {
			tmp.start_infinite = true;
		} else if (slen > 0 && !endpoint(p, slen, &tmp.start, why)) {
			return false;
		} /* ":5.75": start 0, as upstream */
		if (*e == '\0') {
			tmp.end_infinite = true;
		} else if (!endpoint(e, strlen(e), &tmp.end, why)) {
			return false;
		}
	}
	if (!tmp.start_infinite && !tmp.end_infinite && tmp.start > tmp.end) {
		return fail(why, "start greater than end");
	}
	/* Kept for perfdata, without the '%' signs perfdata has no room for. */
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '%') {
			tmp.text[o++] = s[i];
		}
	}
	tmp.text[o] = '\0';
	tmp.set = true;
	*r = tmp;
	return true;
}

bool range_alerts(const struct range *r, double value)
{
	bool inside;

	if (r == NULL || !r->set) {
		return false;
	}
	inside = (r->start_infinite || value >= r->start) && (r->end_infinite || value <= r->end);
	return r->alert_inside ? inside : !inside;
}

enum state range_state(double value, const struct range *warn, const struct range *crit)
{
	if (range_alerts(crit, value)) {
		return STATE_CRITICAL;
	}
	if (range_alerts(warn, value)) {
		return STATE_WARNING;
	}
	return STATE_OK;
}
