/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Shared bits of the libFuzzer targets (doc/hostile-inputs.md rule 10).
 * Built only by `make fuzz` (mk/fuzz.am) with clang
 * -fsanitize=fuzzer,address,undefined; never part of the normal build.
 */
#ifndef MAILDNS_FUZZ_H
#define MAILDNS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/*
 * An exact-size heap copy of the input, so that ASan sees a read one
 * byte past the end (libFuzzer's own buffer is exact too, but the
 * parsers take const char * and a copy keeps that cast in one place).
 * Caller frees.
 */
static inline char *fuzz_dup(const uint8_t *data, size_t size)
{
	char *p = malloc(size ? size : 1);

	if (p != NULL && size)
		memcpy(p, data, size);
	return p;
}

/* Read every byte of a result so that ASan checks it is addressable
 * and MSan-style tools would see it used; returns a checksum that the
 * caller sinks into a volatile. */
static inline unsigned fuzz_touch(const void *p, size_t len)
{
	const unsigned char *b = p;
	unsigned sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return sum;
}

extern volatile unsigned fuzz_sink;

#endif
