/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi's assertion record: SELECTOR._bimi.DOMAIN, else (the draft's
 * discovery, 7.2 step 6) SELECTOR._bimi.ORGDOMAIN, both asked in one
 * batch; the record selected among the TXT records and parsed.
 */
#ifndef MAILDNS_BIMI_RECORD_H
#define MAILDNS_BIMI_RECORD_H

#include <stdbool.h>

#include "bimi_run.h"

/*
 * Find and parse the record into r->rec (r->rec_domain, r->rec_owner,
 * r->rec_txt/len say where it was). Reports what it finds. False when
 * the run has nothing more to check: no record (CRITICAL), several, a
 * DNS error, or a record receivers cannot use.
 */
bool bimi_find_record(struct bimi_run *r);

#endif
