/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The findings list of a DKIM key record (common/dkim_findings.h), apart
 * from the record parser (dkim_record.c) and the key data decoder
 * (dkim_keydata.c), which both add to it: neither needs the other.
 */
#include <stdarg.h>
#include <stdio.h>

#include "dkim_findings.h"

void dkim_finding_add(struct dkim_key *k, enum dkim_code code,
    enum state s, int verbose, const char *fmt, ...)
{
	struct dkim_finding *f;
	va_list ap;

	if (k->nfindings < DKIM_MAX_FINDINGS) {
		f = &k->f[k->nfindings++];
	} else {
		/* Full: keep the worse of the last and the new one. */
		f = &k->f[DKIM_MAX_FINDINGS - 1];
		if (state_worst(f->state, s) == f->state)
			return;
	}
	f->code = code;
	f->state = s;
	f->verbose = verbose;
	va_start(ap, fmt);
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
	va_end(ap);
}
