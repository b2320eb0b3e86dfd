/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the SMTP TLS report reader (common/report_tls.c over
 * json-c), doc/hostile-inputs.md rule 10; row R-09 has seeds in
 * tests/fuzz/corpus/report_tls/.
 *
 * The input is the JSON. Any bytes: no crash, no sanitizer report, no
 * leak; policies and failure details within their limits, each failure
 * pointing at a kept policy, counts within LIMIT_REPORT_COUNT, every
 * text terminated.
 */
#include "fuzz.h"
#include "report_tls.h"

volatile unsigned fuzz_sink;

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct tls_report *r = copy != NULL ? tls_report_parse(copy, size) : NULL;

	if (r == NULL) {
		free(copy);
		return 0;
	}
	if (r->npolicies > TLS_REPORT_POLICIES || r->nfailures > TLS_REPORT_FAILURES ||
	    !TERMINATED(r->error) || !TERMINATED(r->org) || !TERMINATED(r->report_id)) {
		abort();
	}
	for (size_t i = 0; i < r->npolicies; i++) {
		if (!TERMINATED(r->policies[i].type) || !TERMINATED(r->policies[i].domain) ||
		    r->policies[i].ok > LIMIT_REPORT_COUNT ||
		    r->policies[i].failed > LIMIT_REPORT_COUNT) {
			abort();
		}
	}
	for (size_t i = 0; i < r->nfailures; i++) {
		if (r->failures[i].policy >= r->npolicies || !TERMINATED(r->failures[i].result) ||
		    !TERMINATED(r->failures[i].mx) ||
		    r->failures[i].sessions > LIMIT_REPORT_COUNT) {
			abort();
		}
		fuzz_sink += (unsigned)strlen(r->failures[i].result);
	}
	tls_report_free(r);
	free(copy);
	return 0;
}
