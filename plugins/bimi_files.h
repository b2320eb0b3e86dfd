/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi's two files: the SVG indicator of l= and the VMC of a=,
 * each fetched with common/https_fetch.h from the addresses our resolver
 * gives its host (no redirects, a body cap, the run's deadline) and
 * judged by common/svg_tinyps.h and common/bimi_cert.h.
 */
#ifndef MAILDNS_BIMI_FILES_H
#define MAILDNS_BIMI_FILES_H

#include "bimi_run.h"

/* l=: fetched (at most LIMIT_SVG_BYTES), checked against SVG Tiny PS;
 * perfdata svg_bytes. */
void bimi_check_svg(struct bimi_run *r);

/* a=: fetched (at most LIMIT_BIMI_PEM_BYTES), its chain, logotype,
 * EKU, names and dates checked, --cert-warning/--cert-critical applied,
 * verified against --vmc-ca-file or the system store; perfdata
 * cert_days. No a=: an [OK] -v note, CRITICAL with --require-vmc. */
void bimi_check_vmc(struct bimi_run *r);

#endif
