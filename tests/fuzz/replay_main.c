/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The corpus replay of a fuzz target for `make check`: the target's
 * LLVMFuzzerTestOneInput() once per input, one TAP line each; a crash or
 * a sanitizer report fails the run. Linked with a target's source into a
 * plain program (mk/dkim.am, mk/smtp.am, mk/resolver.am); the libFuzzer
 * builds (mk/fuzz.am) link without it, libFuzzer bringing its own main().
 *
 * Inputs: the files named on the command line, or every file of
 * $top_srcdir/tests/fuzz/corpus/NAME, NAME being the program's name
 * without its directory and "fuzz_" (tests/fuzz/fuzz_dkim: dkim).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Larger than any corpus input: a DNS message over TCP is at most 64 KiB. */
static uint8_t buf[1 << 17];

static int replay(const char *path, int n)
{
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
	const char *name = strrchr(argv[0], '/');
	char dir[4096], path[8192];
	struct dirent *de;
	DIR *d;
	int n = 0, bad = 0;

	for (int i = 1; i < argc; i++)
		bad += replay(argv[i], ++n);
	if (argc > 1) {
		printf("1..%d\n", n);
		return bad ? 1 : 0;
	}
	name = name != NULL ? name + 1 : argv[0];
	if (strncmp(name, "fuzz_", 5) == 0)
		name += 5;
	snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", top ? top : ".", name);
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
	printf("1..%d\n", n);
	return bad ? 1 : 0;
}
