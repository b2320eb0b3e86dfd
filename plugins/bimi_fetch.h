/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi's fetch of one l= or a= URL: the host's A and AAAA (one
 * batch, -4/-6 respected) from our resolver, then https_fetch() under
 * the run's deadline with --ca-file, --allow-internal and a body cap.
 */
#ifndef MAILDNS_BIMI_FETCH_H
#define MAILDNS_BIMI_FETCH_H

#include <stdbool.h>
#include <stddef.h>

#include "bimi_run.h"
#include "https_fetch.h"

/*
 * Fetch u (valid) into *out, what naming the file in messages ("SVG
 * indicator"). False when there is no body: reported (CRITICAL naming
 * the URL and what went wrong; a DNS error at --dns-error-state).
 * out is always to be cleared with https_result_clear().
 */
bool bimi_fetch(struct bimi_run *r, const struct bimi_url *u, const char *what, size_t max,
		struct https_result *out);

#endif
