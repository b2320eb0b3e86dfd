/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --starttls: the TLS part of one reachable address as
 * findings (doc/hostile-inputs.md T-08 to T-13).
 */
#ifndef MAILDNS_SMTP_TLS_H
#define MAILDNS_SMTP_TLS_H

#include <stdbool.h>

#include "smtp_check.h"

/* STARTTLS offered, injection around it, the handshake and the
 * certificate of t (result r). dane_ok: a TLSA record authenticated the
 * server, which stands in for PKIX trust and the name check (RFC 7672
 * 3.1). */
void smtp_report_tls(struct check *c, const struct smtp_opts *so, const struct smtp_target *t,
		     const struct smtp_result *r, bool dane_ok);

#endif
