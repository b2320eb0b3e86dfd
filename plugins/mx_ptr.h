/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --ptr: forward-confirmed reverse DNS (common/fcrdns.h) of
 * every distinct address of the MX hosts.
 */
#ifndef MAILDNS_MX_PTR_H
#define MAILDNS_MX_PTR_H

#include "mx_run.h"

/* The first LIMIT_MX_PTR_ADDRS distinct addresses of r->hosts, checked
 * in two batches; a finding per address that fails. */
void mx_check_ptr(struct mx_run *r);

#endif
