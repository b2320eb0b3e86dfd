/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_spf --parked: the record of a domain that sends no mail. Linked
 * into check_spf only. */
#ifndef MAILDNS_SPF_PARKED_H
#define MAILDNS_SPF_PARKED_H

#include "spf_run.h"

/*
 * The domain sends no mail, so its record must fail every client
 * ("v=spf1 -all"); one that lets any client pass, softfail or stay
 * neutral is CRITICAL, with that record as the fix: line. The TXT answer
 * is the audit's, from the cache; a DNS error is the audit's to report.
 */
void spf_parked(struct spf_run *r);

#endif
