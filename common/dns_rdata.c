/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RDATA of the types the plugins read, decoded from uncompressed wire
 * form (as ldns_rr_rdata2buffer_wire() writes it) with every length
 * checked against the RDATA (doc/hostile-inputs.md rules 3 and 4). A pure
 * function over a buffer, so it can be fuzzed on its own.
 */
#include <string.h>

#include "dns_rdata.h"

/* An uncompressed wire name of exactly len bytes (as ldns writes rdata). */
static bool read_name(const uint8_t *p, size_t len, size_t *used, struct dname *out)
{
	size_t off = 0;

	for (;;) {
		if (off >= len || p[off] > 63 || off + 1 + p[off] > len ||
		    off + 1 + p[off] > DNAME_WIRE_MAX)
			return false;
		if (p[off] == 0)
			break;
		off += 1 + (size_t)p[off];
	}
	off++;
	memcpy(out->wire, p, off);
	out->len = off;
	if (used != NULL)
		*used = off;
	else if (off != len)
		return false;
	return true;
}

bool dns_rdata_decode(struct dns_rr *r, uint8_t *txtbuf, const char **why)
{
	const uint8_t *p = r->rdata;
	size_t n = r->rdlen, used, off, k;
	uint8_t *out;

	switch (r->type) {
	case DNS_T_A:
	case DNS_T_AAAA:
		if (n != (r->type == DNS_T_A ? 4u : 16u)) {
			*why = "address RR of wrong length";
			return false;
		}
		memcpy(r->u.addr, p, n);
		return true;
	case DNS_T_MX:
		if (n < 3 || !read_name(p + 2, n - 2, NULL, &r->u.mx.host)) {
			*why = "bad MX rdata";
			return false;
		}
		r->u.mx.pref = (uint16_t)(p[0] << 8 | p[1]);
		return true;
	case DNS_T_CNAME:
	case DNS_T_PTR:
	case DNS_T_NS:
		if (!read_name(p, n, NULL, &r->u.target)) {
			*why = "bad name in rdata";
			return false;
		}
		return true;
	case DNS_T_SOA: {
		struct dname rname;

		if (!read_name(p, n, &used, &r->u.soa.mname) ||
		    !read_name(p + used, n - used, &off, &rname) || n - used - off != 20) {
			*why = "bad SOA rdata";
			return false;
		}
		off += used;
		r->u.soa.serial = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
				  (uint32_t)p[off + 2] << 8 | p[off + 3];
		return true;
	}
	case DNS_T_TXT:
	case DNS_T_SPF:
		/* RFC 1035 3.3.14: one or more <character-string>s; RFC 7208
		 * 3.3 and RFC 6376 3.6.2.2 join them with no separator. An
		 * empty RDATA (zero strings) is kept as such (N-TXT-03). */
		for (off = 0, k = 0; off < n; off += 1 + (size_t)p[off], k++) {
			if (off + 1 + p[off] > n) {
				*why = "TXT string runs past its RDATA";
				return false;
			}
			if (k == LIMIT_TXT_STRINGS) {
				*why = "TXT RR with more than 1000 strings";
				return false;
			}
		}
		if (txtbuf == NULL) {
			*why = "no room for TXT strings";
			return false;
		}
		out = txtbuf;
		r->u.txt.data = out;
		r->u.txt.nstrings = k;
		for (off = 0, used = 0; off < n; off += 1 + (size_t)p[off]) {
			memcpy(out + used, p + off + 1, p[off]);
			used += p[off];
		}
		r->u.txt.len = used;
		return true;
	case DNS_T_TLSA:
		if (n < 3) {
			*why = "bad TLSA rdata";
			return false;
		}
		r->u.tlsa.usage = p[0];
		r->u.tlsa.selector = p[1];
		r->u.tlsa.mtype = p[2];
		r->u.tlsa.data = p + 3;
		r->u.tlsa.len = n - 3;
		return true;
	default:
		return true;
	}
}
