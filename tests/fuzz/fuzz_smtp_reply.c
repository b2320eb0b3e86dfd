/*
 * Fuzz target for the SMTP reply reader (hostile-inputs.md rule 10):
 * any bytes, fed in pieces whose sizes come from the input's first byte,
 * reply after reply as a client reads them: no crash, no sanitizer
 * report, no leak, every bound held.
 *
 * libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *               -DFUZZ_LIBFUZZER -iquote common -include config.h \
 *               tests/fuzz/fuzz_smtp_reply.c common/smtp_reply.c
 *             ./a.out tests/fuzz/corpus/smtp_reply
 * make check builds it without -DFUZZ_LIBFUZZER: main() then replays
 * the checked-in corpus and speaks TAP.
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

			if (rep == NULL || rep->nlines == 0 || rep->nlines > LIMIT_SMTP_REPLY_LINES ||
			    rep->bytes > LIMIT_SMTP_REPLY_BYTES || rep->code < 200 || rep->code > 559) {
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

#ifndef FUZZ_LIBFUZZER
#include <dirent.h>

static int replay(const char *path, int n)
{
	static uint8_t buf[1 << 17];
	FILE *f = fopen(path, "rb");
	size_t len;

	if (f == NULL) {
		printf("not ok %d - cannot open %s\n", n, path);
		return 1;
	}
	len = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	printf("ok %d - replay %s\n", n, path);
	return 0;
}

int main(int argc, char **argv)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0, bad = 0;

	for (int i = 1; i < argc; i++) {
		bad += replay(argv[i], ++n);
	}
	if (argc == 1) {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/smtp_reply", top ? top : ".");
		d = opendir(dir);
		if (d == NULL) {
			printf("not ok 1 - no corpus at %s\n1..1\n", dir);
			return 1;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.') {
				continue;
			}
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			bad += replay(path, ++n);
		}
		closedir(d);
	}
	printf("1..%d\n", n);
	return bad ? 1 : 0;
}
#endif
