/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the incremental SMTP reply reader (common/smtp_reply.c)
 * with split points chosen one by one, doc/hostile-inputs.md rule 10; rows
 * T-03..T-10, T-14 have seeds in tests/fuzz/corpus/smtp_split/. (The smtp
 * area's fuzz_smtp_reply.c feeds pieces of one size; this one also
 * varies the reader's bounds, resets between replies and checks that
 * an error is sticky.)
 *
 * Input layout (missing bytes read as 0):
 *   byte 0  bits 0-3: max_lines (0: the bounds.h default, else 1..15);
 *           bits 4-5: max_bytes (0: default, 64, 600, 4096);
 *           bit 6: reset() the reader after every complete reply
 *   byte 1  k, the number of split points (k % 16)
 *   k bytes the sizes of the first k pieces (0 is a feed of no bytes)
 *   rest    the byte stream from the server, fed in those pieces and then
 *           in one piece for what is left; after each complete reply the
 *           rest of the piece is fed again, as a client does.
 * Checks: the reader takes no byte beyond the piece, a reply's code is
 * 200..559, its line count and size respect the bounds, and an error is
 * sticky.
 */
#include <stdio.h>

#include "fuzz.h"
#include "bounds.h"
#include "smtp_reply.h"

volatile unsigned fuzz_sink;

static bool feed(struct smtp_reader *r, const uint8_t *p, size_t len, size_t max_lines,
		 size_t max_bytes, bool reset)
{
	const size_t total = len;

	for (size_t guard = 0;; guard++) {
		size_t used = (size_t)-1;
		enum smtp_rd st = smtp_reader_feed(r, p, len, &used);

		if (guard > total)
			abort(); /* a reply takes at least one byte */
		if (st == SMTP_RD_ERROR) {
			fuzz_sink += (unsigned)smtp_rd_error_str(smtp_reader_error(r))[0];
			if (smtp_reader_feed(r, (const uint8_t *)"250 ok\r\n", 8, NULL) !=
			    SMTP_RD_ERROR)
				abort(); /* errors are sticky */
			return false;
		}
		if (used > len)
			abort();
		if (st == SMTP_RD_MORE) {
			if (used != len)
				abort();
			return true;
		}
		{
			const struct smtp_reply *rep = smtp_reader_reply(r);

			if (rep == NULL || rep->code < 200 || rep->code > 559 || rep->nlines < 1 ||
			    rep->nlines > max_lines || rep->bytes > max_bytes)
				abort();
			for (size_t i = 0; i < rep->nlines; i++)
				fuzz_sink += fuzz_touch(rep->line[i].text, rep->line[i].len);
			fuzz_sink += smtp_reply_has_keyword(rep, "STARTTLS");
		}
		if (reset)
			smtp_reader_reset(r);
		p += used;
		len -= used;
		if (len == 0)
			return true;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t maxbytes[] = {0, 64, 600, 4096};
	uint8_t hdr[2] = {0, 0};
	size_t k, off, max_lines, max_bytes;
	struct smtp_reader *r;
	uint8_t *copy;
	bool reset;

	memcpy(hdr, data, size < 2 ? size : 2);
	max_lines = hdr[0] & 15;
	max_bytes = maxbytes[(hdr[0] >> 4) & 3];
	reset = (hdr[0] & 0x40) != 0;
	k = hdr[1] % 16;
	off = size < 2 ? size : 2;
	if (off + k > size)
		k = size - off;
	r = smtp_reader_new(max_lines, max_bytes);
	if (r == NULL)
		return 0;
	if (max_lines == 0)
		max_lines = LIMIT_SMTP_REPLY_LINES;
	if (max_bytes == 0)
		max_bytes = LIMIT_SMTP_REPLY_BYTES;
	/* every piece an exact-size heap copy: a read past it is a report */
	{
		const uint8_t *sizes = data + off;
		const uint8_t *p = data + off + k;
		size_t left = size - off - k;
		bool going = true;

		for (size_t i = 0; i <= k && going; i++) {
			size_t n = i < k ? sizes[i] : left;

			if (n > left)
				n = left;
			copy = (uint8_t *)fuzz_dup(p, n);
			if (copy == NULL)
				break;
			going = feed(r, copy, n, max_lines, max_bytes, reset);
			free(copy);
			p += n;
			left -= n;
		}
	}
	fuzz_sink += smtp_reader_pending(r);
	smtp_reader_free(r);
	return 0;
}
