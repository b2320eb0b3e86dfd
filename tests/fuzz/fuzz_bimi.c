/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: BIMI assertion records (common/bimi.c over
 * common/tagvalue.c), doc/hostile-inputs.md rule 10; row P-05 has seeds
 * in tests/fuzz/corpus/bimi/.
 *
 * The input is one record for bimi_parse() and bimi_url_parse(), and,
 * split at each '\n', the TXT records of one answer for bimi_select().
 * Any bytes: no crash, no sanitizer report, no leak; every text
 * terminated; a valid URL is https with a host and a path.
 */
#include <stdio.h>
#include <strings.h>

#include "bimi.h"
#include "bounds.h"
#include "fuzz.h"

volatile unsigned fuzz_sink;

static void check_findings(const struct finding_list *f)
{
	if (f->n > LIMIT_BIMI_FINDINGS) {
		abort();
	}
	for (size_t i = 0; i < f->n; i++) {
		if (memchr(f->v[i].text, '\0', sizeof(f->v[i].text)) == NULL) {
			abort();
		}
		fuzz_sink += (unsigned)strlen(f->v[i].text);
	}
}

static void check_url(const struct bimi_url *u)
{
	if (!u->valid) {
		return;
	}
	if (strncasecmp(u->text, "https://", 8) != 0 || u->path[0] != '/' || u->host.len < 3 ||
	    u->host.len > DNAME_WIRE_MAX || u->port == 0 || strlen(u->text) > LIMIT_BIMI_URL) {
		abort();
	}
	fuzz_sink += (unsigned)strlen(u->host_text) + (unsigned)strlen(u->path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *p = fuzz_dup(data, size);
	struct bimi_record *r;
	struct bimi_txt rrs[64];
	struct finding_list f = {0};
	struct bimi_url *u;
	size_t n = 0, start = 0;
	long idx;

	if (p == NULL) {
		return 0;
	}
	fuzz_sink += bimi_is_record(p, size);
	r = bimi_parse(p, size);
	if (r != NULL) {
		if (r->ntags > LIMIT_BIMI_TAGS || (r->declined && (!r->l.empty))) {
			abort();
		}
		check_findings(&r->findings);
		check_url(&r->l);
		check_url(&r->a);
	}
	bimi_record_free(r);

	for (size_t i = 0; i <= size && n < 64; i++) {
		if (i == size || p[i] == '\n') {
			rrs[n].data = p + start;
			rrs[n].len = i - start;
			n++;
			start = i + 1;
		}
	}
	idx = bimi_select(rrs, n, &f);
	if (idx >= (long)n || (idx >= 0 && !bimi_is_record(rrs[idx].data, rrs[idx].len))) {
		abort();
	}
	check_findings(&f);
	finding_list_clear(&f);

	u = calloc(1, sizeof(*u));
	if (u != NULL) {
		bimi_url_parse("l", p, size, u, &f);
		check_url(u);
		check_findings(&f);
		finding_list_clear(&f);
		free(u);
	}
	free(p);
	return 0;
}
