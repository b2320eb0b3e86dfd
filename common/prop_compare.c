/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * --all-ns: comparing two servers' answers to one question, and saying
 * what an answer holds (pure functions; no I/O).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "propagation.h"

/* Two records equal as DNS data: TXT by the joined strings (the split
 * into character-strings is not the record's meaning, RFC 7208 3.3,
 * RFC 6376 3.6.2.2), names case-insensitively (RFC 4343), the rest by
 * RDATA bytes. */
static bool same_rr(const struct dns_rr *a, const struct dns_rr *b)
{
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case DNS_T_TXT:
	case DNS_T_SPF:
		return a->u.txt.len == b->u.txt.len &&
		       (a->u.txt.len == 0 ||
			memcmp(a->u.txt.data, b->u.txt.data, a->u.txt.len) == 0);
	case DNS_T_MX:
		return a->u.mx.pref == b->u.mx.pref && dname_equal(&a->u.mx.host, &b->u.mx.host);
	case DNS_T_CNAME:
	case DNS_T_NS:
	case DNS_T_PTR:
		return dname_equal(&a->u.target, &b->u.target);
	default:
		return a->rdlen == b->rdlen &&
		       (a->rdlen == 0 || memcmp(a->rdata, b->rdata, a->rdlen) == 0);
	}
}

static bool holds(const struct dns_answer *set, const struct dns_rr *r)
{
	for (size_t i = 0; i < set->nrr; i++)
		if (same_rr(&set->rr[i], r))
			return true;
	return false;
}

bool prop_same_answer(const struct dns_answer *a, const struct dns_answer *b)
{
	size_t i;

	if (a->status != b->status || a->ncname != b->ncname)
		return false;
	for (i = 0; i < a->ncname; i++)
		if (!dname_equal(&a->cname[i], &b->cname[i]))
			return false;
	/* As sets: each side's records all in the other. */
	for (i = 0; i < a->nrr; i++)
		if (!holds(b, &a->rr[i]))
			return false;
	for (i = 0; i < b->nrr; i++)
		if (!holds(a, &b->rr[i]))
			return false;
	return true;
}

bool prop_shares_record(const struct dns_answer *ref, const struct dns_answer *got)
{
	for (size_t i = 0; i < got->nrr; i++)
		if (holds(ref, &got->rr[i]))
			return true;
	return false;
}

int prop_serial_cmp(uint32_t a, uint32_t b)
{
	/* RFC 1982 3.2 with SERIAL_BITS 32: a < b when the distance from a
	 * forward to b is under 2^31. */
	uint32_t d = b - a;

	if (d == 0)
		return 0;
	return d < 0x80000000u ? -1 : 1;
}

/* Appends text to buf at *used; false once it no longer fits. */
static bool put(char *buf, size_t len, size_t *used, const char *text)
{
	size_t n = strlen(text);

	if (*used + n + 4 > len) { /* what fits, then "..." */
		size_t room = len - *used - 4;

		memcpy(buf + *used, text, room);
		snprintf(buf + *used + room, len - *used - room, "...");
		*used = len;
		return false;
	}
	memcpy(buf + *used, text, n + 1);
	*used += n;
	return true;
}

static void rr_text(const struct dns_rr *r, char *out, size_t outlen)
{
	char name[DNAME_TEXT_MAX], tb[16];

	switch (r->type) {
	case DNS_T_TXT:
	case DNS_T_SPF: {
		char esc[400];

		out_bytes(esc, sizeof(esc), r->u.txt.data, r->u.txt.len);
		snprintf(out, outlen, "\"%s\"", esc);
		break;
	}
	case DNS_T_MX:
		snprintf(out, outlen, "%u %s", (unsigned)r->u.mx.pref,
			 dname_to_text(&r->u.mx.host, name, sizeof(name)));
		break;
	case DNS_T_A:
	case DNS_T_AAAA:
		if (inet_ntop(r->type == DNS_T_A ? AF_INET : AF_INET6, r->u.addr, out,
			      (socklen_t)outlen) == NULL)
			snprintf(out, outlen, "?");
		break;
	case DNS_T_CNAME:
	case DNS_T_NS:
	case DNS_T_PTR:
		dname_to_text(&r->u.target, out, outlen);
		break;
	case DNS_T_SOA:
		snprintf(out, outlen, "SOA serial %lu", (unsigned long)r->u.soa.serial);
		break;
	default:
		snprintf(out, outlen, "%s record of %zu bytes",
			 dns_type_str(r->type, tb, sizeof(tb)), r->rdlen);
		break;
	}
}

char *prop_answer_text(const struct dns_answer *a, char *buf, size_t len)
{
	char item[DNAME_TEXT_MAX], tb[16];
	size_t used = 0, i;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	if (len < 8)
		return buf;
	if (a->ncname > 0) {
		if (!put(buf, len, &used, "CNAME "))
			return buf;
		for (i = 0; i < a->ncname; i++) {
			dname_to_text(&a->cname[i], item, sizeof(item));
			if ((i > 0 && !put(buf, len, &used, " -> ")) || !put(buf, len, &used, item))
				return buf;
		}
		if (!put(buf, len, &used, a->status == RES_OK ? ": " : ", "))
			return buf;
	}
	switch (a->status) {
	case RES_OK:
		for (i = 0; i < a->nrr; i++) {
			rr_text(&a->rr[i], item, sizeof(item));
			if ((i > 0 && !put(buf, len, &used, ", ")) || !put(buf, len, &used, item))
				return buf;
		}
		break;
	case RES_NODATA:
		snprintf(item, sizeof(item), "no %s record",
			 dns_type_str(a->qtype, tb, sizeof(tb)));
		put(buf, len, &used, item);
		break;
	case RES_NXDOMAIN:
		put(buf, len, &used, "NXDOMAIN");
		break;
	default:
		put(buf, len, &used, res_status_str(a->status));
		break;
	}
	return buf;
}
