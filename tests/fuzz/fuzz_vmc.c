/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the VMC reader (common/bimi_cert.c over OpenSSL's PEM
 * and X.509 parsers), doc/hostile-inputs.md rule 10; row P-05 has seeds
 * in tests/fuzz/corpus/vmc/ (valid-chain and ca-first were made once
 * with the openssl command: a leaf with the logotype extension, the
 * BIMI EKU and example.com, and its root).
 *
 * The input is the PEM data, checked for example.com at a fixed time;
 * bimi_cert_verify() is left out (it reads a trust store). Any bytes:
 * no crash, no sanitizer report, no leak; counts within the limits of
 * common/bounds.h; every text terminated.
 */
#include <stdio.h>

#include "bimi_cert.h"
#include "bounds.h"
#include "fuzz.h"

volatile unsigned fuzz_sink;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dname dom;
	struct bimi_cert *c;

	if (!dname_from_text(&dom, "example.com", 11, DNAME_HOSTNAME, NULL)) {
		abort();
	}
	/* 2027-01-01: the seeds are valid then */
	c = bimi_cert_parse(data, size, &dom, "default", 1798761600);
	if (c == NULL) {
		return 0;
	}
	if (c->nchain > LIMIT_BIMI_CHAIN || c->findings.n > LIMIT_BIMI_FINDINGS ||
	    (size > LIMIT_BIMI_PEM_BYTES && c->nchain != 0) ||
	    memchr(c->subject, '\0', sizeof(c->subject)) == NULL ||
	    memchr(c->issuer, '\0', sizeof(c->issuer)) == NULL ||
	    memchr(c->names, '\0', sizeof(c->names)) == NULL) {
		abort();
	}
	for (size_t i = 0; i < c->findings.n; i++) {
		if (memchr(c->findings.v[i].text, '\0', sizeof(c->findings.v[i].text)) == NULL) {
			abort();
		}
		fuzz_sink += (unsigned)strlen(c->findings.v[i].text);
	}
	fuzz_sink += (unsigned)strlen(c->names) + (unsigned)c->days_left;
	bimi_cert_free(c);
	return 0;
}
