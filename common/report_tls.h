/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The SMTP TLS report (RFC 8460 4), read from memory with json-c, its
 * nesting bounded (LIMIT_REPORT_JSON_DEPTH) before anything is built
 * . A report the plugin cannot use (not JSON, too deep, a missing
 * report-id, date-range or policies, a count that is not a whole number
 * in 0..LIMIT_REPORT_COUNT) comes back with error set. json-c keeps the
 * last of duplicate keys; numbers past 2^63 are refused as counts.
 *
 * A pure function over (pointer, length); texts are raw bytes cut to
 * their buffers: escape them before output.
 */
#ifndef MAILDNS_REPORT_TLS_H
#define MAILDNS_REPORT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report_bounds.h"

/* policies and failure-details kept of one report */
#define TLS_REPORT_POLICIES 64
#define TLS_REPORT_FAILURES 256

struct tls_policy {
	char type[32];    /* policy-type: sts, tlsa, no-policy-found */
	char domain[256]; /* policy-domain */
	uint64_t ok, failed;
};

struct tls_failure {
	size_t policy;     /* index into policies[] */
	char result[64];   /* result-type */
	char mx[128];      /* receiving-mx-hostname, may be empty */
	uint64_t sessions; /* failed-session-count */
};

struct tls_report {
	char org[LIMIT_REPORT_TEXT];
	char report_id[LIMIT_REPORT_TEXT];
	int64_t end; /* date-range end-datetime, seconds since 1970 */
	struct tls_policy policies[TLS_REPORT_POLICIES];
	size_t npolicies;
	struct tls_failure failures[TLS_REPORT_FAILURES];
	size_t nfailures;
	size_t dropped; /* policies and failure details past the limits */
	char error[160];
};

/* Read len bytes of JSON. Never NULL except out of memory; the caller
 * frees with tls_report_free(). error[0] != 0: the report is bad. */
struct tls_report *tls_report_parse(const void *data, size_t len);
void tls_report_free(struct tls_report *r);

#endif
