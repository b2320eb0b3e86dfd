/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc_reports: the domain's own sources, and its DMARC record's
 * rua= when no report came. */
#ifndef MAILDNS_REPORTS_OWN_H
#define MAILDNS_REPORTS_OWN_H

#include "reports_run.h"

/* --ip as given, --mail-host's A and AAAA (one batch), or, without
 * either, the SPF record (fetched once here, so a DNS failure or a
 * missing record is said once). */
void reports_own_sources(struct reports_run *r);

/* No report within --since: WARNING when _dmarc.DOMAIN asks for them
 * (rua=), an OK line otherwise. */
void reports_none(struct reports_run *r);

#endif
