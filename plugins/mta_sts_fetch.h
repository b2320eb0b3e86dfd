/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: the policy at https://mta-sts.DOMAIN/.well-known/
 * mta-sts.txt (RFC 8461 3.3), fetched with common/https_fetch.h from the
 * addresses our resolver gave, and what is in it (3.2).
 */
#ifndef MAILDNS_MTA_STS_FETCH_H
#define MAILDNS_MTA_STS_FETCH_H

#include "mta_sts_run.h"

/*
 * Fetch the policy from the addresses in r->addr, report the fetch (a
 * failure is CRITICAL naming what was wrong: a domain with a record and
 * no policy gets no protection), the Content-Type and every field, and
 * set r->pol to the parsed policy when a body came.
 */
void sts_fetch_policy(struct sts_run *r);

#endif
