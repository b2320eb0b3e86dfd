/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_dmarc's report destinations: rua= present, and each report
 * domain of rua=/ruf= able to take the reports (its MX, or without
 * MX its address: common/mailaccept.h) and, when
 * external, authorising them (RFC 7489 7.1). At most
 * LIMIT_DMARC_DESTINATIONS report domains are verified (M-09).
 */
#ifndef MAILDNS_DMARC_REPORTS_H
#define MAILDNS_DMARC_REPORTS_H

#include <stdbool.h>

#include "dmarc.h"

struct run;

/*
 * One batch for every independent question: A/AAAA/MX of the domain when
 * need_np (np= may apply: *nonexistent says whether the domain exists,
 * RFC 9091), then per report domain its MX and, when external, the
 * authorisation record DOMAIN._report._dmarc.DEST; the A and AAAA of
 * report domains without MX in a second batch, only when there are any.
 */
void dmarc_check_destinations(struct run *r, const struct dmarc_record *rec, bool need_np,
			      bool *nonexistent);

/* No usable rua=: a WARNING, and the guide's rua= in every fix: line
 * (unless --no-rua-ok, or --parked). */
void dmarc_check_rua(struct run *r, const struct dmarc_record *rec);

#endif
