/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The findings list of a DKIM key record (common/dkim_findings.h), apart
 * from the record parser (dkim_record.c) and the key data decoder
 * (dkim_keydata.c), which both add to it: neither needs the other.
 */
#include <stdarg.h>
#include <stdio.h>

#include "dkim_findings.h"

void dkim_finding_add(struct dkim_key *k, enum dkim_code code, enum state s, int verbose,
		      const char *fmt, ...)
{
	struct finding_list *l = &k->findings;
	char text[FINDING_TEXT_MAX];
	va_list ap;

	if (l->n >= DKIM_MAX_FINDINGS &&
	    state_worst(l->v[l->n - 1].state, s) == l->v[l->n - 1].state) {
		return; /* full, and the last one is as bad */
	}
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (l->n >= DKIM_MAX_FINDINGS) {
		l->n--; /* the worse new one takes the last place */
	}
	(void)finding_add(l, (int)code, s, verbose, "%s", text);
}
