/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi's DMARC requirement. Receivers show an indicator only for
 * mail under an enforcing DMARC policy (draft-brand-indicators-for-
 * message-identification, its DMARC requirement): the policy applied to
 * the domain must be quarantine or reject for all failing mail (no pct=
 * below 100, no t=y), and the organisational domain's record must not
 * say p=none or sp=none. The record is found by check_dmarc's own
 * discovery (plugins/dmarc_discovery.c, linked in), so both plugins
 * agree on which record applies.
 */
#ifndef MAILDNS_BIMI_DMARC_H
#define MAILDNS_BIMI_DMARC_H

#include "bimi_run.h"

/* Check it; CRITICAL lines naming what falls short, and fix: lines. */
void bimi_check_dmarc(struct bimi_run *r);

#endif
