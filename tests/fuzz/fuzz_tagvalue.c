/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: the tag=value list parser of DKIM key records and DMARC
 * records (common/tagvalue.c), doc/hostile-inputs.md rule 10; rows K-02,
 * K-07, K-09, M-02, M-03, M-07, N-TXT-02 have seeds in
 * tests/fuzz/corpus/tagvalue/.
 *
 * Byte 0 is max_tags (0..255); the rest is the record. Every tag the
 * parser reports lies inside the record, names are unique, and the
 * count respects max_tags.
 */
#include <stdio.h>

#include "fuzz.h"
#include "tagvalue.h"

volatile unsigned fuzz_sink;

static bool inside(const char *rec, size_t len, const char *p, size_t n)
{
	return n == 0 || (p >= rec && n <= len && p - rec <= (long)(len - n));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tag_list tl;
	size_t max, len;
	char *rec;

	if (size < 1)
		return 0;
	max = data[0];
	len = size - 1;
	rec = fuzz_dup(data + 1, len);
	if (rec == NULL)
		return 0;
	memset(&tl, 0xa5, sizeof(tl)); /* the parser must set every field */
	fuzz_sink += tag_list_parse(rec, len, max, &tl);
	if (tl.n > max && tl.error != TV_TOO_MANY)
		abort();
	if (tl.n > max)
		abort();
	if (memchr(tl.error_tag, '\0', sizeof(tl.error_tag)) == NULL)
		abort();
	fuzz_sink += (unsigned)tv_error_str(tl.error)[0];
	for (size_t i = 0; i < tl.n; i++) {
		const struct tag *t = &tl.tags[i];

		if (!inside(rec, len, t->name, t->name_len) ||
		    !inside(rec, len, t->value, t->value_len))
			abort();
		fuzz_sink += fuzz_touch(t->name, t->name_len);
		fuzz_sink += fuzz_touch(t->value, t->value_len);
		if (tl.error != TV_DUPLICATE)
			for (size_t j = 0; j < i; j++)
				if (tl.tags[j].name_len == t->name_len &&
				    memcmp(tl.tags[j].name, t->name, t->name_len) == 0)
					abort();
	}
	fuzz_sink += tag_list_find(&tl, "p") != NULL;
	fuzz_sink += tag_list_find(&tl, "v") != NULL;
	tag_list_free(&tl);
	free(rec);
	return 0;
}
