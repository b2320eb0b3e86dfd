/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The texts check_mx's SMTP findings share: who was talked to, a server
 * reply escaped and cut, days left on a certificate.
 */
#ifndef MAILDNS_SMTP_TEXT_H
#define MAILDNS_SMTP_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "addrclass.h"
#include "bounds.h"
#include "dname.h"
#include "smtp_probe.h"

#define SMTP_SHOWN (LIMIT_SMTP_TEXT_SHOWN * 4 + 8) /* escaped text buffer */
#define SMTP_WHO   (DNAME_TEXT_MAX + ADDR_TEXT_MAX + 16)

/* "mx1.example.com[192.0.2.25]:25" into buf; returns buf. */
char *smtp_who(const struct smtp_target *t, uint16_t port, char *buf, size_t len);

/* "554 5.7.1 go away" escaped and cut, for any reply kept; returns buf. */
char *smtp_reply_text(const struct smtp_text *r, char *buf, size_t len);

/* Whole days, rounded down (-0.5 is -1: expired); no libm needed. */
double smtp_whole_days(double d);

#endif
