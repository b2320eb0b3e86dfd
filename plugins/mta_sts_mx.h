/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: the domain's MX hosts against the policy's mx: patterns
 * (RFC 8461 4.1), and with --starttls their certificates (4.2) through
 * check_mx's SMTP probe (plugins/smtp_check.h).
 */
#ifndef MAILDNS_MTA_STS_MX_H
#define MAILDNS_MTA_STS_MX_H

#include "mta_sts_run.h"

/* The MX hosts of r->mx into r->hosts (the domain itself when it has no
 * MX RRset: the implicit MX of RFC 5321 5.1, which RFC 8461 4.1 matches
 * too); a DNS failure is reported and sets r->mx_failed. */
void sts_collect_mx(struct sts_run *r);

/* Each host against r->pol: not covered is CRITICAL in enforce mode
 * (senders refuse to deliver to it), WARNING in testing; nothing is
 * matched in mode none or without a valid policy. */
void sts_check_mx(struct sts_run *r);

/* --starttls: probe the first hosts over SMTP; a certificate that does
 * not verify for the MX name is CRITICAL under enforce, else WARNING. */
void sts_probe_mx(struct sts_run *r);

#endif
