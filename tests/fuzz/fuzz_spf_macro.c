/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: SPF macro check and expansion (common/spf_macro.c),
 * doc/hostile-inputs.md rule 10 and the libspf2 CVEs of S-MAC-02..08.
 *
 * Input layout (shorter inputs are padded with zero bytes):
 *   byte 0  macro letter: low 4 bits index "slodiphcrtv", bit 4 upper case
 *           (URL-encode), bit 5: a raw byte (byte 0 itself) as the letter
 *   byte 1  digits transformer: 0 none, 1..200 that number, 201..255 one
 *           of the overflow probes 0, 128, 2147483648, 99999999999999999999
 *   byte 2  bit 0 'r'; bits 1..7 the delimiters ". - + , / _ =" to add
 *           (bit 7 also doubles them)
 *   byte 3  flags: bit 0 SPF_MACRO_EXP, bit 1 SPF_MACRO_ANY_LETTER;
 *           bits 2..4 the output buffer size (LIMIT_SPF_MACRO_OUT, 0, 1,
 *           63, 253, 254, 512, 4095)
 *   rest    the input: the value of every macro variable for the built
 *           "%{...}" macro, then the macro-string itself, expanded with
 *           fixed variables.
 * The output buffer is an exact-size heap block, so one byte written past
 * outmax is an ASan report.
 */
#include <stdio.h>

#include "fuzz.h"
#include "bounds.h"
#include "spf_macro.h"

volatile unsigned fuzz_sink;

static const char *pval;
static size_t plen;

static void p_fn(void *ctx, const char **p, size_t *len)
{
	(void)ctx;
	*p = pval;
	*len = plen;
}

static void expand(const char *m, size_t mlen, unsigned flags, const struct spf_macro_vars *v,
		   size_t outmax)
{
	char *out = malloc(outmax ? outmax : 1);
	char err[256];
	size_t outlen = (size_t)-1, off, tail;
	enum spf_macro_status st;

	if (out == NULL)
		return;
	err[0] = '\0';
	fuzz_sink += spf_macro_check(m, mlen, flags, &tail, err, sizeof(err));
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	st = spf_macro_expand(m, mlen, flags, v, out, outmax, &outlen, err, sizeof(err));
	if (memchr(err, '\0', sizeof(err)) == NULL)
		abort();
	if (st == SPF_MACRO_OK) {
		if (outlen > outmax)
			abort();
		fuzz_sink += fuzz_touch(out, outlen);
		if (spf_truncate_domain(out, outlen, &off) && off > outlen)
			abort();
	}
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char letters[] = "slodiphcrtv";
	static const char delims[] = ".-+,/_=";
	static const char *const probes[] = {"0", "128", "2147483648", "99999999999999999999"};
	static const size_t outmaxes[] = {LIMIT_SPF_MACRO_OUT, 0, 1, 63, 253, 254, 512, 4095};
	uint8_t hdr[4] = {0, 0, 0, 0};
	char macro[64];
	size_t n = 0, rlen;
	char *rest;
	unsigned flags;
	struct spf_macro_vars v;

	memcpy(hdr, data, size < 4 ? size : 4);
	rlen = size > 4 ? size - 4 : 0;
	rest = fuzz_dup(data + (size - rlen), rlen);
	if (rest == NULL)
		return 0;

	macro[n++] = '%';
	macro[n++] = '{';
	if (hdr[0] & 0x20) {
		macro[n++] = (char)hdr[0];
	} else {
		char c = letters[(hdr[0] & 0x0f) % (sizeof(letters) - 1)];

		macro[n++] = (hdr[0] & 0x10) ? (char)(c - 32) : c;
	}
	if (hdr[1] >= 1 && hdr[1] <= 200) {
		n += (size_t)snprintf(macro + n, 4, "%u", hdr[1]);
	} else if (hdr[1] > 200) {
		const char *pr = probes[hdr[1] % 4];

		memcpy(macro + n, pr, strlen(pr));
		n += strlen(pr);
	}
	if (hdr[2] & 1)
		macro[n++] = 'r';
	for (int b = 1; b < 8; b++) {
		if (hdr[2] & (1u << b)) {
			macro[n++] = delims[b - 1];
			if (hdr[2] & 0x80)
				macro[n++] = delims[b - 1];
		}
	}
	macro[n++] = '}';
	flags = hdr[3] & 3;

	/* Pass 1: the built macro over the input as every variable. */
	pval = rest;
	plen = rlen;
	v = (struct spf_macro_vars){
		.s = rest,
		.s_len = rlen,
		.l = rest,
		.l_len = rlen,
		.o = rest,
		.o_len = rlen,
		.d = rest,
		.d_len = rlen,
		.i = rest,
		.i_len = rlen,
		.h = rest,
		.h_len = rlen,
		.c = rest,
		.c_len = rlen,
		.r = rest,
		.r_len = rlen,
		.t = rest,
		.t_len = rlen,
		.v = rest,
		.v_len = rlen,
		.p_fn = p_fn,
		.p_ctx = NULL,
	};
	expand(macro, n, flags, &v, outmaxes[(hdr[3] >> 2) & 7]);

	/* Pass 2: the input as the macro-string, fixed variables. */
	pval = "mail.example.org";
	plen = strlen(pval);
	v = (struct spf_macro_vars){
		.s = "strong-bad@email.example.com",
		.s_len = 28,
		.l = "strong-bad",
		.l_len = 10,
		.o = "email.example.com",
		.o_len = 17,
		.d = "email.example.com",
		.d_len = 17,
		.i = "192.0.2.3",
		.i_len = 9,
		.h = "mx.example.org",
		.h_len = 14,
		.c = "192.0.2.3",
		.c_len = 9,
		.r = "unknown",
		.r_len = 7,
		.t = "1700000000",
		.t_len = 10,
		.v = "in-addr",
		.v_len = 7,
		.p_fn = p_fn,
		.p_ctx = NULL,
	};
	expand(rest, rlen, flags, &v, outmaxes[(hdr[3] >> 2) & 7]);
	free(rest);
	return 0;
}
