/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: unwrapping a report file (common/report_unwrap.c: gzip and
 * zip through libarchive, mail messages through GMime), then reading
 * what came out (common/report_agg.c), doc/hostile-inputs.md rule 10;
 * rows have seeds in tests/fuzz/corpus/report_mime/.
 *
 * The input is the file. Any bytes: no crash, no sanitizer report, no
 * leak; an unwrapped report within LIMIT_REPORT_XML_BYTES, in XML or
 * JSON as sniffed; the texts terminated.
 */
#include "fuzz.h"
#include "report_agg.h"
#include "report_unwrap.h"

volatile unsigned fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct report_blob b;
	char why[200];

	if (!ready) {
		report_unwrap_init(); /* GMime's global set-up, once */
		ready = 1;
	}
	memset(why, 'x', sizeof(why));
	if (!report_unwrap(data, size, &b, why, sizeof(why))) {
		if (memchr(why, '\0', sizeof(why)) == NULL || why[0] == '\0') {
			abort();
		}
		return 0;
	}
	if (b.data == NULL || b.len > LIMIT_REPORT_XML_BYTES ||
	    (b.owned == NULL && (b.data < data || b.data + b.len > data + size)) ||
	    memchr(b.how, '\0', sizeof(b.how)) == NULL) {
		abort();
	}
	if (b.format == REPORT_XML) {
		struct agg_report *r = agg_report_parse(b.data, b.len);

		if (r != NULL) {
			fuzz_sink += (unsigned)r->nrows;
		}
		agg_report_free(r);
	}
	report_blob_free(&b);
	return 0;
}
