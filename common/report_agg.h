/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The DMARC aggregate report (RFC 7489 appendix C, RFC 9990), read from
 * memory with libxml2's streaming reader: no entity substitution, no DTD,
 * no network (R-01, R-02; a DOCTYPE or an entity reference makes the
 * report bad). Real senders' quirks are accepted: results in any case,
 * surrounding white space, empty reasons, missing optional elements,
 * the RFC 9990 namespace. A report the plugin cannot use (wrong root,
 * no report_id, a record without source_ip or count, a count out of
 * range, too many records, XML errors) comes back with error set.
 *
 * A pure function over (pointer, length): no I/O, nothing printed. The
 * texts kept are the raw bytes (cut to LIMIT_REPORT_TEXT): escape them
 * before output.
 */
#ifndef MAILDNS_REPORT_AGG_H
#define MAILDNS_REPORT_AGG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report_bounds.h"

/* An authentication result as reported, folded: pass, fail, anything
 * else (none, softfail, neutral, temperror, permerror, policy), absent. */
enum agg_result {
	AGG_ABSENT = 0,
	AGG_PASS,
	AGG_FAIL,
	AGG_OTHER
};

struct agg_row {
	char ip[48];             /* source_ip as written, trimmed */
	uint64_t count;          /* messages */
	enum agg_result pe_dkim; /* policy_evaluated: aligned DKIM */
	enum agg_result pe_spf;  /* policy_evaluated: aligned SPF */
	enum agg_result dkim;    /* auth_results: the first DKIM pass, else
				    the first DKIM result */
	char dkim_domain[64];    /* its d= */
	char selector[64];       /* its s= (optional in RFC 7489) */
	enum agg_result spf;     /* auth_results: SPF */
	char spf_domain[64];     /* the domain SPF checked */
	char header_from[64];    /* identifiers: header_from */
};

struct agg_report {
	char org[LIMIT_REPORT_TEXT];       /* report_metadata: org_name, else email */
	char report_id[LIMIT_REPORT_TEXT]; /* report_metadata: report_id */
	uint64_t begin, end;               /* date_range, seconds since 1970 */
	char domain[256];                  /* policy_published: domain */
	struct agg_row *rows;
	size_t nrows;
	uint64_t messages; /* sum of the counts (each at most
			      LIMIT_REPORT_COUNT, so it cannot wrap) */
	char error[160];   /* why the report cannot be used; "" when it can */
};

/* Read len bytes of XML. Never NULL except out of memory; the caller
 * frees with agg_report_free(). A report with error[0] != 0 is bad and
 * its other fields are not to be used. */
struct agg_report *agg_report_parse(const void *data, size_t len);
void agg_report_free(struct agg_report *r);

/* "pass", "fail", "other", "absent". */
const char *agg_result_str(enum agg_result r);

#endif
