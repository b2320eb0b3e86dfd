/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: SPF record selection and parsing (common/spf_parse.c),
 * doc/hostile-inputs.md rule 10; rows N-TXT-04, S-REC-02, S-REC-03, S-IP-01,
 * S-IP-02, S-MAC-01, X-04 have seeds in tests/fuzz/corpus/spf_parse/.
 *
 * Any bytes: no crash, no sanitizer report, no leak; every term the
 * parser reports lies inside the record it kept.
 */
#include <stdio.h>

#include "fuzz.h"
#include "spf_parse.h"

volatile unsigned fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = fuzz_dup(data, size);
	char err[256];
	struct spf_record *rec;
	uint8_t a4[4], a6[16];

	if (p == NULL)
		return 0;
	fuzz_sink += spf_is_record(p, size);
	err[0] = '\0';
	rec = spf_record_parse(p, size, err, sizeof(err));
	if (rec != NULL) {
		if (rec->len != size || rec->nterms > LIMIT_SPF_TERMS)
			abort();
		for (size_t i = 0; i < rec->nterms; i++) {
			const struct spf_term *t = &rec->terms[i];

			if (t->off > rec->len || t->len > rec->len - t->off)
				abort();
			fuzz_sink += fuzz_touch(spf_term_text(rec, t), t->len);
			fuzz_sink += spf_term_is_lookup(t);
			if (t->kind == SPF_TERM_MECH)
				fuzz_sink += (unsigned)spf_mech_str(t->mech)[0];
			if (t->has_spec) {
				if (t->spec_off > rec->len || t->spec_len > rec->len - t->spec_off)
					abort();
				fuzz_sink += fuzz_touch(spf_term_spec(rec, t), t->spec_len);
				fuzz_sink += spf_domain_spec_ok(spf_term_spec(rec, t), t->spec_len,
								err, sizeof(err));
			}
		}
		if (rec->redirect >= (int)rec->nterms || rec->exp >= (int)rec->nterms)
			abort();
	} else if (memchr(err, '\0', sizeof(err)) == NULL) {
		abort(); /* the reason is always a terminated string */
	}
	spf_record_free(rec);

	/* The address and domain-spec parsers on their own, on raw input. */
	fuzz_sink += spf_parse_ip4(p, size, a4);
	fuzz_sink += spf_parse_ip6(p, size, a6);
	fuzz_sink += spf_domain_spec_ok(p, size, err, sizeof(err));
	free(p);
	return 0;
}
