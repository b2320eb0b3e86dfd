/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target for the SMTP reply reader (doc/hostile-inputs.md rule 10):
 * any bytes, fed in pieces whose sizes come from the input's first byte,
 * reply after reply as a client reads them: no crash, no sanitizer
 * report, no leak, every bound held.
 *
 * libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *               -iquote common -include config.h \
 *               tests/fuzz/fuzz_smtp_reply.c common/smtp_reply.c
 *             ./a.out tests/fuzz/corpus/smtp_reply
 * make check links it with replay_main.c, which replays the checked-in
 * corpus and speaks TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct smtp_reader *r;
	size_t piece, pos = 1;

	if (size == 0) {
		return 0;
	}
	piece = (size_t)data[0] % 64 + 1;
	r = smtp_reader_new(0, 0);
	if (r == NULL) {
		return 0;
	}
	while (pos < size) {
		size_t len = size - pos < piece ? size - pos : piece;
		size_t used = 0;
		enum smtp_rd st = smtp_reader_feed(r, data + pos, len, &used);

		if (st == SMTP_RD_ERROR) {
			break;
		}
		if (used > len) {
			abort();
		}
		if (st == SMTP_RD_REPLY) {
			const struct smtp_reply *rep = smtp_reader_reply(r);
			size_t bytes = 0;

			if (rep == NULL || rep->nlines == 0 ||
			    rep->nlines > LIMIT_SMTP_REPLY_LINES ||
			    rep->bytes > LIMIT_SMTP_REPLY_BYTES || rep->code < 200 ||
			    rep->code > 559) {
				abort();
			}
			for (size_t i = 0; i < rep->nlines; i++) {
				if (rep->line[i].len > LIMIT_SMTP_LINE) {
					abort();
				}
				bytes += rep->line[i].len;
			}
			if (bytes > rep->bytes) {
				abort();
			}
			(void)smtp_reply_has_keyword(rep, "STARTTLS");
		}
		pos += used;
		if (st == SMTP_RD_MORE && used != len) {
			abort();
		}
	}
	smtp_reader_free(r);
	return 0;
}
