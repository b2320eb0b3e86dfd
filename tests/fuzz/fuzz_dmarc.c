/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: DMARC record selection, parsing and validation
 * (common/dmarc.c over common/tagvalue.c), and the fix-line rebuilder,
 * doc/hostile-inputs.md rule 10; rows M-01..M-08 have seeds in
 * tests/fuzz/corpus/dmarc/.
 *
 * Any bytes: no crash, no sanitizer report, no leak; counts within the
 * limits of common/bounds.h; every finding and URI text terminated.
 */
#include <stdio.h>

#include "dmarc.h"
#include "fuzz.h"
#include "bounds.h"

volatile unsigned fuzz_sink;

static void check_uris(const struct dmarc_uri_list *l)
{
	if (l->n > l->count || l->n > LIMIT_DMARC_URIS || l->nvalid > l->n)
		abort();
	for (size_t i = 0; i < l->n; i++) {
		if (memchr(l->uri[i].text, '\0', sizeof(l->uri[i].text)) == NULL)
			abort();
		if (l->uri[i].domain.len > DNAME_WIRE_MAX)
			abort();
		fuzz_sink += (unsigned)strlen(l->uri[i].text);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct dmarc_edit edits[] = {
		{"p", "reject"},
		{"rua", "mailto:dmarc@example.com"},
		{"pct", NULL},
	};
	char *p = fuzz_dup(data, size);
	struct dmarc_record *r;
	char *fix;

	if (p == NULL)
		return 0;
	fuzz_sink += dmarc_is_record(p, size);
	fuzz_sink += dmarc_near_miss(p, size);
	r = dmarc_parse(p, size);
	if (r != NULL) {
		if (r->ntags > LIMIT_DMARC_TAGS || r->findings.n > LIMIT_DMARC_FINDINGS + 1 ||
		    r->pct > 100)
			abort();
		for (size_t i = 0; i < r->findings.n; i++) {
			if (memchr(r->findings.v[i].text, '\0', DMARC_FINDING_TEXT) == NULL)
				abort();
			fuzz_sink += (unsigned)strlen(r->findings.v[i].text);
		}
		check_uris(&r->rua);
		check_uris(&r->ruf);
		fuzz_sink += (unsigned)dmarc_policy_str(r->p)[0];
		/* RFC 9989 4.7: psd= one of y, n, u; t=y lowers a step */
		if (r->psd != 'y' && r->psd != 'n' && r->psd != 'u')
			abort();
		if (dmarc_policy_lower(r->p) > r->p)
			abort();
	}
	dmarc_record_free(r);
	fix = dmarc_rebuild(p, size, edits, sizeof(edits) / sizeof(edits[0]));
	if (fix != NULL)
		fuzz_sink += (unsigned)strlen(fix);
	free(fix);
	free(p);
	return 0;
}
