/*
 * Fuzz target for the DKIM key-record parser, the tag=value parser and
 * the base64 decoder (hostile-inputs.md rule 10): any bytes, no crash,
 * no sanitizer report, no leak.
 *
 * libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *               -DFUZZ_LIBFUZZER -Icommon tests/fuzz/fuzz_dkim.c \
 *               common/dkim_*.c common/tagvalue.c common/state.c -lcrypto
 *             ./a.out tests/fuzz/corpus/dkim
 * make check builds it without -DFUZZ_LIBFUZZER: main() then replays
 * the checked-in corpus files given as arguments and speaks TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dkim.h"
#include "tagvalue.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_key *k;
	struct tag_list tl;
	uint8_t *out = NULL;
	size_t n, pos;
	const char *why;

	k = dkim_key_parse((const char *)data, size);
	if (k != NULL) {
		/* every finding is a terminated string */
		for (size_t i = 0; i < k->nfindings; i++)
			if (memchr(k->f[i].text, '\0', sizeof(k->f[i].text)) == NULL)
				abort();
		(void)dkim_key_state(k);
	}
	dkim_key_free(k);

	(void)tag_list_parse((const char *)data, size, 8, &tl);
	tag_list_free(&tl);

	if (dkim_base64_decode((const char *)data, size, 4096, &out, &n, &why,
	    &pos) == B64_OK && n > 0) {
		char *back = dkim_base64_encode(out, n);
		free(back);
	}
	free(out);
	return 0;
}

#ifndef FUZZ_LIBFUZZER
#include <dirent.h>

/* Replay: the files named on the command line, or every file of
 * $top_srcdir/tests/fuzz/corpus/dkim (as make check runs it). */
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
	int i, n = 0, bad = 0;

	for (i = 1; i < argc; i++)
		bad += replay(argv[i], ++n);
	if (argc == 1) {
		snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/dkim",
		    top ? top : ".");
		d = opendir(dir);
		if (d == NULL) {
			printf("not ok 1 - no corpus at %s\n1..1\n", dir);
			return 1;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			bad += replay(path, ++n);
		}
		closedir(d);
	}
	printf("1..%d\n", n);
	return bad ? 1 : 0;
}
#endif
