/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the DMARC aggregate report reader (common/report_agg.c
 * over libxml2's xmlTextReader), doc/hostile-inputs.md rule 10; rows
 * have seeds in tests/fuzz/corpus/report/.
 *
 * The input is the XML. Any bytes: no crash, no sanitizer report, no
 * leak; records within LIMIT_REPORT_ROWS, the message sum their counts'
 * sum, every text terminated; a good report has its report_id and
 * domain.
 */
#include "fuzz.h"
#include "report_agg.h"

volatile unsigned fuzz_sink;

#define TERMINATED(a) (memchr((a), '\0', sizeof(a)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = fuzz_dup(data, size);
	struct agg_report *r = copy != NULL ? agg_report_parse(copy, size) : NULL;
	uint64_t sum = 0;

	if (r == NULL) {
		free(copy);
		return 0;
	}
	if (r->nrows > LIMIT_REPORT_ROWS || !TERMINATED(r->error) || !TERMINATED(r->org) ||
	    !TERMINATED(r->report_id) || !TERMINATED(r->domain) ||
	    (r->error[0] == '\0' && (r->report_id[0] == '\0' || r->domain[0] == '\0'))) {
		abort();
	}
	for (size_t i = 0; i < r->nrows; i++) {
		const struct agg_row *w = &r->rows[i];

		if (!TERMINATED(w->ip) || !TERMINATED(w->selector) || !TERMINATED(w->dkim_domain) ||
		    !TERMINATED(w->spf_domain) || !TERMINATED(w->header_from) ||
		    w->count > LIMIT_REPORT_COUNT) {
			abort();
		}
		sum += w->count;
		fuzz_sink += (unsigned)strlen(w->ip);
	}
	if (r->error[0] == '\0' && sum != r->messages) {
		abort();
	}
	agg_report_free(r);
	free(copy);
	return 0;
}
