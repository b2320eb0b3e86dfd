/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx without an MX RRset (NODATA or NXDOMAIN): what senders do
 * instead (RFC 5321 5.1), the parked domain's missing null MX (RFC 7505)
 * and the MX record to publish.
 */
#ifndef MAILDNS_MX_NOMX_H
#define MAILDNS_MX_NOMX_H

#include "mx_run.h"

/* The findings, fix: line and mx perfdata of a domain without MX
 * records; the caller ends the run. */
void mx_no_mx(struct mx_run *r);

#endif
