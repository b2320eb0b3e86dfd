/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tlsrpt's fix: line: the TLS-RPT record to publish when the
 * record is missing, doubled, malformed or has URIs that cannot take
 * reports. The URIs that work are kept, in order; without one, the
 * domain's own mailbox mailto:tlsrpt@DOMAIN when the domain takes mail.
 */
#ifndef MAILDNS_TLSRPT_FIX_H
#define MAILDNS_TLSRPT_FIX_H

struct tlsrpt_run;

/* Nothing unless r->fix_needed. Where no URI can be proposed (the domain
 * takes no mail itself), no fix: line but an [OK] "to fix:" line in
 * words (doc/output-contract.md 5). */
void tlsrpt_fix(struct tlsrpt_run *r);

#endif
