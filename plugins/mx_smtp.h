/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --smtp/--starttls/--dane: the MX hosts and addresses handed
 * to the SMTP part (plugins/smtp_check.h), internal addresses held back
 * without --allow-internal.
 */
#ifndef MAILDNS_MX_SMTP_H
#define MAILDNS_MX_SMTP_H

#include "mx_run.h"

/* Probe the usable hosts of r, best preference first; nothing without
 * the SMTP options. */
void mx_probe_smtp(struct mx_run *r);

#endif
