/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx's MX hosts: the targets of the MX RRset (sorted, unusable
 * names and repeats marked), their A and AAAA in one batch, and the
 * findings about each host and its addresses.
 */
#ifndef MAILDNS_MX_HOSTS_H
#define MAILDNS_MX_HOSTS_H

#include "mx_run.h"

/* The LIMIT_MX_HOSTS most preferred targets of r->mx into r->hosts,
 * sorted (RFC 5321 5.1); r->null_mx when a null MX (RFC 7505) was among
 * the RRs (it is not kept as a host). */
void mx_collect_hosts(struct mx_run *r);

/* A and AAAA of every usable, distinct host in one batch; a failed
 * lookup is a DNS error finding. */
void mx_resolve_hosts(struct mx_run *r);

/* The findings of every host; sets r->usable and r->naddr. */
void mx_report_hosts(struct mx_run *r);

#endif
