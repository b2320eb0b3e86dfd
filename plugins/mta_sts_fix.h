/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: the fix: lines (doc/output-contract.md 5): the
 * _mta-sts TXT record with a fresh id, and the policy body that the
 * current MX hosts match, as zone-file comment lines.
 */
#ifndef MAILDNS_MTA_STS_FIX_H
#define MAILDNS_MTA_STS_FIX_H

#include "mta_sts_run.h"

/*
 * After the checks: when the record is missing or unusable, or the policy
 * is missing, unusable or leaves an MX host uncovered, print what to
 * publish. A changed policy always comes with a record of a fresh id
 * (RFC 8461 3.1: senders fetch the policy again only when the id
 * changes). Nothing for mode none (a withdrawal is meant) or a null MX.
 */
void sts_fix(struct sts_run *r);

#endif
