/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The findings list of a DKIM key record (common/dkim_findings.h), apart
 * from the record parser (dkim_record.c) and the key data decoder
 * (dkim_keydata.c), which both add to it: neither needs the other.
 */
#include <stdarg.h>

#include "dkim_findings.h"

void dkim_finding_add(struct dkim_key *k, enum dkim_code code, enum state s, int verbose,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* the list's one policy: the worst kept, the rest counted */
	(void)finding_vadd_bounded(&k->findings, DKIM_MAX_FINDINGS, (int)code, s, verbose, fmt, ap);
	va_end(ap);
}
