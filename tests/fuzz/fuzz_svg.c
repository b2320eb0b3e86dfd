/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the SVG Tiny PS checker (common/svg_tinyps.c over
 * libxml2), doc/hostile-inputs.md rule 10; rows
 * have seeds in tests/fuzz/corpus/svg/.
 *
 * The input is the SVG document. Any bytes: no crash, no sanitizer
 * report, no leak; counts within the limits of common/bounds.h; every
 * text terminated.
 */
#include <stdio.h>

#include "bounds.h"
#include "fuzz.h"
#include "svg_tinyps.h"

volatile unsigned fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svg_result *r = svg_tinyps_check(data, size);

	if (r == NULL) {
		return 0;
	}
	if (r->elements > LIMIT_SVG_ELEMENTS || r->depth > LIMIT_SVG_DEPTH ||
	    r->findings.n > LIMIT_BIMI_FINDINGS || r->size != size || (r->valid && !r->parsed) ||
	    (size > LIMIT_SVG_BYTES && r->parsed) ||
	    memchr(r->title, '\0', sizeof(r->title)) == NULL) {
		abort();
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		if (memchr(r->findings.v[i].text, '\0', sizeof(r->findings.v[i].text)) == NULL) {
			abort();
		}
		fuzz_sink += (unsigned)strlen(r->findings.v[i].text);
	}
	fuzz_sink += (unsigned)strlen(r->title);
	svg_result_free(r);
	return 0;
}
