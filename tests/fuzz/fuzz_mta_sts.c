/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the MTA-STS parsers of common/mta_sts.c (RFC 8461),
 * doc/hostile-inputs.md rule 10; rows P-01..P-03, H-05 and H-06 have
 * seeds in tests/fuzz/corpus/mta_sts/.
 *
 * Every input is read as each of: a TXT record, a policy body, a
 * Content-Type value; split at its first LF into an mx pattern and an MX
 * host; and split at every LF into up to 8 TXT RRs for the record
 * selection and into host names for mta_sts_policy_build().
 *
 * Any bytes: no crash, no sanitizer report, no leak; counts within the
 * limits of common/bounds.h; every text terminated; and two properties:
 * a valid record's id is 1-32 letters and digits, and a policy built for
 * some hosts parses without a CRITICAL finding and matches every host.
 */
#include <stdio.h>

#include "bounds.h"
#include "fuzz.h"
#include "mta_sts.h"
#include "resolver.h"

volatile unsigned fuzz_sink;

#define PIECES 8

static void check_list(const struct finding_list *l)
{
	if (l->n > FINDING_LIST_MAX) {
		abort();
	}
	for (size_t i = 0; i < l->n; i++) {
		if (memchr(l->v[i].text, '\0', sizeof(l->v[i].text)) == NULL) {
			abort();
		}
		fuzz_sink += (unsigned)strlen(l->v[i].text);
		/* the default states come from one table (HACKING.md 6),
		 * but for the findings that count others */
		if (l->v[i].state != mta_sts_default_state(l->v[i].code) &&
		    strstr(l->v[i].text, "more problems of this kind") == NULL) {
			abort();
		}
	}
}

static void record(const char *p, size_t size)
{
	struct mta_sts_record *r = mta_sts_record_parse(p, size);
	size_t n;

	if (r == NULL) {
		return;
	}
	check_list(&r->findings);
	if (r->is_sts != mta_sts_is_record(p, size)) {
		abort();
	}
	n = strlen(r->id);
	if (r->valid && (n == 0 || n > MTA_STS_ID_MAX)) {
		abort();
	}
	for (size_t i = 0; i < n; i++) {
		char c = r->id[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
			abort();
		}
	}
	mta_sts_record_free(r);
}

static void policy(const char *p, size_t size, const struct dname *hosts, size_t nhosts)
{
	struct mta_sts_policy *pol = mta_sts_policy_parse(p, size);

	if (pol == NULL) {
		return;
	}
	check_list(&pol->findings);
	if (pol->nmx > LIMIT_MTA_STS_MX || pol->nmx > pol->mx_lines ||
	    pol->parsed_bytes > LIMIT_MTA_STS_POLICY_BYTES || pol->parsed_bytes > size ||
	    (pol->has_max_age && pol->max_age > LIMIT_MTA_STS_MAX_AGE)) {
		abort();
	}
	if (pol->valid && (!pol->has_version || !pol->has_mode || !pol->has_max_age)) {
		abort();
	}
	for (size_t i = 0; i < pol->nmx; i++) {
		if (memchr(pol->mx[i].text, '\0', sizeof(pol->mx[i].text)) == NULL ||
		    pol->mx[i].name.len > DNAME_WIRE_MAX) {
			abort();
		}
	}
	for (size_t i = 0; i < nhosts; i++) {
		const struct mta_sts_mx *m = mta_sts_policy_match(pol, &hosts[i]);

		if (m != NULL && m->kind == MTA_STS_MX_INVALID) {
			abort();
		}
	}
	fuzz_sink +=
		(unsigned)mta_sts_mode_str(pol->mode)[0] + (unsigned)mta_sts_eol_str(pol->eol)[0];
	mta_sts_policy_free(pol);
}

/* A policy built for these hosts is valid and covers each of them. */
static void build(const struct dname *hosts, size_t n)
{
	char *b = mta_sts_policy_build(hosts, n, MTA_STS_MODE_ENFORCE, 0);
	struct mta_sts_policy *pol;

	if (b == NULL) {
		return;
	}
	pol = mta_sts_policy_parse(b, strlen(b));
	if (pol != NULL) {
		if (finding_list_worst(&pol->findings) == STATE_CRITICAL) {
			/* no host at all leaves enforce without mx: CRITICAL
			 * on purpose */
			if (pol->mx_lines > 0) {
				abort();
			}
		}
		for (size_t i = 0; i < n; i++) {
			if (dname_labels(&hosts[i]) > 0 && pol->mx_lines <= LIMIT_MTA_STS_MX &&
			    mta_sts_policy_match(pol, &hosts[i]) == NULL) {
				abort();
			}
		}
	}
	mta_sts_policy_free(pol);
	free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = fuzz_dup(data, size);
	struct dns_rr rr[PIECES];
	struct dname hosts[PIECES];
	struct finding_list fl = {0};
	const struct dns_rr *chosen = NULL;
	const char *nl;
	size_t nrr = 0, nhosts = 0, start = 0, count;

	if (p == NULL) {
		return 0;
	}
	memset(rr, 0, sizeof(rr));
	for (size_t i = 0; i <= size && nrr < PIECES; i++) {
		if (i == size || p[i] == '\n') {
			rr[nrr].type = DNS_T_TXT;
			rr[nrr].u.txt.data = (const uint8_t *)p + start;
			rr[nrr].u.txt.len = i - start;
			if (dname_from_text(&hosts[nhosts], p + start, i - start, 0, NULL)) {
				nhosts++;
			}
			nrr++;
			start = i + 1;
		}
	}
	count = mta_sts_record_select(rr, nrr, &fl, &chosen);
	if ((count == 1) != (chosen != NULL) || count > nrr) {
		abort();
	}
	check_list(&fl);
	finding_list_clear(&fl);

	record(p, size);
	policy(p, size, hosts, nhosts);
	build(hosts, nhosts);

	fuzz_sink += mta_sts_content_type(p, size, &fl);
	check_list(&fl);
	finding_list_clear(&fl);

	nl = memchr(p, '\n', size);
	if (nl != NULL) {
		size_t pl = (size_t)(nl - p);

		fuzz_sink += mta_sts_mx_match(p, pl, nl + 1, size - pl - 1);
	} else {
		fuzz_sink += mta_sts_mx_match(p, size, p, size);
	}
	free(p);
	return 0;
}
