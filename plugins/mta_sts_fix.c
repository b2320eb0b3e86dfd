/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: what to publish. The record is one zone-file line; the
 * policy is not DNS data, so its lines are given as zone-file comments
 * ("; > version: STSv1"): pasted into a zone they change nothing, and
 * each is one line of the file to serve.
 */
#include "mta_sts_fix.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A fresh id: the time in UTC, YYYYMMDDHHMMSS (14 digits, within
 * RFC 8461 3.1's 1*32(ALPHA / DIGIT)); "1" if the clock fails. */
static void fresh_id(char id[MTA_STS_ID_MAX + 1])
{
	time_t now = time(NULL);
	struct tm tm;

	if (now == (time_t)-1 || gmtime_r(&now, &tm) == NULL ||
	    strftime(id, MTA_STS_ID_MAX + 1, "%Y%m%d%H%M%S", &tm) == 0) {
		strcpy(id, "1");
	}
}

/* The policy lines of body (CRLF-ended, from mta_sts_policy_build()). */
static void print_policy(struct sts_run *r, const char *body)
{
	check_fix(r->c,
		  "; serve this as %s (text/plain, lines ending in CRLF) and publish a fresh id= "
		  "whenever it changes:",
		  r->url);
	for (const char *p = body; *p != '\0';) {
		const char *e = strstr(p, "\r\n");
		size_t len = e != NULL ? (size_t)(e - p) : strlen(p);

		check_fix(r->c, "; > %.*s", (int)len, p);
		p += len + (e != NULL ? 2 : 0);
	}
}

void sts_fix(struct sts_run *r)
{
	const struct mta_sts_policy *p = r->pol;
	bool policy_ok = p != NULL && p->valid;
	bool fix_policy, fix_record;
	enum mta_sts_mode mode = MTA_STS_MODE_TESTING;
	uint32_t max_age = 0;
	char id[MTA_STS_ID_MAX + 1];
	char *body = NULL;

	if (r->null_mx || r->mx_failed || r->nhosts == 0 || (!r->have_record && r->o->optional)) {
		return;
	}
	if (policy_ok && p->mode == MTA_STS_MODE_NONE) {
		return;
	}
	/* No policy yet: testing first, as RFC 8461 recommends; otherwise
	 * the mode and max_age in force, a short one raised to the default. */
	if (policy_ok) {
		mode = p->mode;
		max_age = p->max_age >= LIMIT_MTA_STS_MAX_AGE_LOW ? p->max_age : 0;
	}
	fix_policy = (!policy_ok && !r->server_fault) || r->uncovered > 0;
	fix_record = !r->record_ok || fix_policy;
	if (!fix_record) {
		return;
	}
	fresh_id(id);
	if (r->record_ok && strcmp(id, r->id) == 0) {
		strcat(id, "1"); /* same second: still fresh */
	}
	check_fix(r->c, "_mta-sts.%s. IN TXT \"v=STSv1; id=%s\"", r->dom, id);
	if (!fix_policy) {
		return;
	}
	body = mta_sts_policy_build(r->hosts, r->nhosts, mode, max_age);
	if (body == NULL) {
		check_add(r->c, STATE_OK,
			  "to fix: publish a policy at %s whose mx: lines match every MX host",
			  r->url);
		return;
	}
	print_policy(r, body);
	free(body);
}
