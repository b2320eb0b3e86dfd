/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_spf's evaluation: RFC 7208 check_host() for each --ip address and
 * each address of --mail-host, each result held to --expect. Linked into
 * check_spf only.
 */
#ifndef MAILDNS_SPF_EVALUATE_H
#define MAILDNS_SPF_EVALUATE_H

#include "spf_run.h"

/* --mail-host: its A and AAAA addresses, asked in one batch, appended to
 * r->ips; none is CRITICAL, a DNS error is at --dns-error-state. */
void spf_mail_host_addresses(struct spf_run *r);

/* One long-output line per address of r->ips (result, deciding term, why
 * or explanation); the summary when every address got an expected
 * result. */
void spf_evaluate(struct spf_run *r);

#endif
