/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc_reports --tls: SMTP TLS reports (RFC 8460). */
#ifndef MAILDNS_REPORTS_TLS_H
#define MAILDNS_REPORTS_TLS_H

#include "report_unwrap.h"
#include "reports_run.h"

/* One unwrapped JSON report: counted when a policy is about the domain,
 * within --since, not counted before; bad otherwise. */
void reports_tls_file(struct reports_run *r, const char *name, const struct report_blob *b);

/* Failed sessions (-w/-c), by policy type and result type; no report
 * while _smtp._tls.DOMAIN has rua=: WARNING; perfdata. */
void reports_tls_results(struct reports_run *r);

#endif
