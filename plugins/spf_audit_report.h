/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_spf's static audit as output: common/spf_audit.c finds, this
 * decides the states and says it (the findings, the lookup count against
 * -w/-c with its perfdata, what each include costs, the fix: line, the
 * first line). Linked into check_spf only.
 */
#ifndef MAILDNS_SPF_AUDIT_REPORT_H
#define MAILDNS_SPF_AUDIT_REPORT_H

#include "spf_run.h"

/*
 * Audit the SPF record of r->co->domain (the fix: line authorises
 * r->ips from r->nip_args on: the --mail-host addresses) and report it;
 * r->audited keeps what spf_audit_summary() needs.
 */
void spf_audit_report(struct spf_run *r);

/*
 * The first line, once everything else is said: the lookup count when
 * it is the worst there is (doc/output-contract.md 2), else the worst
 * finding; all OK and nothing evaluated: a short account of the record.
 * Nothing without an audited record.
 */
void spf_audit_summary(struct spf_run *r);

#endif
