/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the TLS-RPT record parser of common/tlsrpt.c (RFC 8460 3),
 * doc/hostile-inputs.md rule 10; row P-04 has seeds in
 * tests/fuzz/corpus/tlsrpt/.
 *
 * Every input is read as a TXT record, and split at every LF into up to
 * 8 TXT RRs for the record selection. Any bytes: no crash, no sanitizer
 * report, no leak; counts within LIMIT_TLSRPT_URIS; every text
 * terminated; a valid record has a usable URI.
 */
#include <stdio.h>

#include "bounds.h"
#include "fuzz.h"
#include "resolver.h"
#include "tlsrpt.h"

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
		/* the default states come from one table (HACKING.md 6) */
		if (l->v[i].state != tlsrpt_default_state(l->v[i].code)) {
			abort();
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = fuzz_dup(data, size);
	struct dns_rr rr[PIECES];
	struct finding_list fl = {0};
	const struct dns_rr *chosen = NULL;
	struct tlsrpt_record *r;
	size_t nrr = 0, start = 0, count;

	if (p == NULL) {
		return 0;
	}
	memset(rr, 0, sizeof(rr));
	for (size_t i = 0; i <= size && nrr < PIECES; i++) {
		if (i == size || p[i] == '\n') {
			rr[nrr].type = DNS_T_TXT;
			rr[nrr].u.txt.data = (const uint8_t *)p + start;
			rr[nrr].u.txt.len = i - start;
			nrr++;
			start = i + 1;
		}
	}
	count = tlsrpt_record_select(rr, nrr, &fl, &chosen);
	if ((count == 1) != (chosen != NULL) || count > nrr) {
		abort();
	}
	check_list(&fl);
	finding_list_clear(&fl);

	r = tlsrpt_record_parse(p, size);
	if (r != NULL) {
		check_list(&r->findings);
		if (r->is_tlsrpt != tlsrpt_is_record(p, size) || r->n > LIMIT_TLSRPT_URIS ||
		    r->n > r->count || r->nusable > r->n || (r->valid && r->nusable == 0)) {
			abort();
		}
		for (size_t i = 0; i < r->n; i++) {
			const struct tlsrpt_uri *u = &r->uri[i];

			if (memchr(u->text, '\0', sizeof(u->text)) == NULL ||
			    u->domain.len > DNAME_WIRE_MAX ||
			    (u->scheme == TLSRPT_URI_MAILTO && dname_labels(&u->domain) < 2)) {
				abort();
			}
			fuzz_sink += (unsigned)strlen(u->text);
		}
	}
	if (r != NULL) {
		struct dname out[4];
		size_t more, n = tlsrpt_mailto_domains(r, out, 4, &more);

		if (n > 4 || n + more > r->nusable) {
			abort();
		}
	}
	tlsrpt_record_free(r);
	free(p);
	return 0;
}
