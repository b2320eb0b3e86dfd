/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The texts check_mx's SMTP findings share (plugins/smtp_text.h).
 */
#include "smtp_text.h"

#include <stdio.h>

#include "text.h"

char *smtp_who(const struct smtp_target *t, uint16_t port, char *buf, size_t len)
{
	char a[ADDR_TEXT_MAX];

	addr_to_text(t->addr, t->alen, a, sizeof(a));
	snprintf(buf, len, "%s[%s]:%u", t->host, a, port);
	return buf;
}

char *smtp_reply_text(const struct smtp_text *r, char *buf, size_t len)
{
	char text[SMTP_SHOWN];

	out_bytes(text, sizeof(text), r->text, r->len);
	snprintf(buf, len, "%d%s%s%s", r->code, r->len > 0 ? " " : "", text, r->cut ? "..." : "");
	return buf;
}

double smtp_whole_days(double d)
{
	double n = (double)(long long)d;

	return d < n ? n - 1 : n;
}
