/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc_reports: counting the reports read, and what it found. */
#ifndef MAILDNS_REPORTS_TALLY_H
#define MAILDNS_REPORTS_TALLY_H

#include <stddef.h>

#include "report_unwrap.h"
#include "reports_run.h"

/* One file of --dir: unwrapped, read, and counted when it is a report
 * about the domain within --since not counted before; bad otherwise. */
void reports_file(struct reports_run *r, const char *name, const unsigned char *data, size_t len);

/* Was the report (org, id) counted already? Remembers it if not. */
bool reports_seen(struct reports_run *r, const char *org, const char *id);

/* Is the policy_published domain the checked domain or below it? */
bool reports_about(const struct reports_run *r, const char *domain);

/* The findings, long output and perfdata of what was counted. */
void reports_results(struct reports_run *r);

/* The state of failed out of all by -w/-c (counts, or percentages
 * with '%'), else any failure WARNING, over 5 % CRITICAL. */
enum state reports_fail_state(const struct reports_run *r, uint64_t failed, uint64_t all);

/* part of whole in per cent; 0 for nothing. */
double reports_pct(uint64_t part, uint64_t whole);

/* Free what the tally holds. */
void reports_tally_free(struct reports_run *r);

#endif
