/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Shared between the dkim_*.c files (and their unit test) only; not an
 * interface: the record parser (dkim_record.c) and the key data decoder
 * (dkim_keydata.c) both add findings to a struct dkim_key
 * (dkim_findings.c). */
#ifndef MAILDNS_DKIM_FINDINGS_H
#define MAILDNS_DKIM_FINDINGS_H

#include "dkim.h"
#include "text.h"

/* Append a finding to k->findings with finding_add_bounded() at
 * DKIM_MAX_FINDINGS: past it the new one replaces the last if it is
 * worse; the one left out is counted in dropped and dropped_worst, which
 * plugin_findings() prints as "N more findings not shown". The first ones
 * are the ones that matter, and the worst state is kept. */
void dkim_finding_add(struct dkim_key *k, enum dkim_code code, enum state s, int verbose,
		      const char *fmt, ...) PRINTF_LIKE(5, 6);

#endif
