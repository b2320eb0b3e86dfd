/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Address ranges, text and reverse names for MX addresses. */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "addrclass.h"

struct prefix {
	uint8_t bytes[16];
	unsigned bits;
	enum addr_class cls;
};

/* First match wins. Documentation ranges are listed so that callers can
 * say why they were not flagged. */
static const struct prefix v4_prefixes[] = {
	{{0}, 8, ADDR_UNSPECIFIED}, /* RFC 1122 3.2.1.3 */
	{{127}, 8, ADDR_LOOPBACK},  /* RFC 1122 3.2.1.3 */
	{{10}, 8, ADDR_PRIVATE},    /* RFC 1918 3 */
	{{172, 16}, 12, ADDR_PRIVATE},
	{{192, 168}, 16, ADDR_PRIVATE},
	{{169, 254}, 16, ADDR_LINKLOCAL},      /* RFC 3927 */
	{{100, 64}, 10, ADDR_SHARED},          /* RFC 6598 */
	{{224}, 4, ADDR_MULTICAST},            /* RFC 5771 */
	{{240}, 4, ADDR_RESERVED},             /* RFC 1112 4 */
	{{192, 0, 2}, 24, ADDR_DOCUMENTATION}, /* RFC 5737 */
	{{198, 51, 100}, 24, ADDR_DOCUMENTATION},
	{{203, 0, 113}, 24, ADDR_DOCUMENTATION},
};

static const struct prefix v6_prefixes[] = {
	{{0}, 128, ADDR_UNSPECIFIED},                                           /* RFC 4291 2.5.2 */
	{{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128, ADDR_LOOPBACK}, /* 2.5.3 */
	{{0xfe, 0x80}, 10, ADDR_LINKLOCAL},                                     /* RFC 4291 2.5.6 */
	{{0xfc}, 7, ADDR_ULA},                                                  /* RFC 4193 3.1 */
	{{0xff}, 8, ADDR_MULTICAST},                                            /* RFC 4291 2.7 */
	{{0x20, 0x01, 0x0d, 0xb8}, 32, ADDR_DOCUMENTATION},                     /* RFC 3849 */
};

static bool prefix_match(const uint8_t *addr, const struct prefix *p)
{
	unsigned full = p->bits / 8, rest = p->bits % 8;

	if (memcmp(addr, p->bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = (uint8_t)(0xff << (8 - rest));
	return (addr[full] & mask) == (p->bytes[full] & mask);
}

static enum addr_class classify_table(const uint8_t *addr, const struct prefix *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (prefix_match(addr, &t[i]))
			return t[i].cls;
	return ADDR_GLOBAL;
}

enum addr_class addr_classify(const uint8_t *addr, size_t alen)
{
	static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (alen == 4)
		return classify_table(addr, v4_prefixes,
				      sizeof v4_prefixes / sizeof v4_prefixes[0]);
	if (alen != 16)
		return ADDR_GLOBAL;
	/* RFC 4291 2.5.5.2: ::ffff:127.0.0.1 reaches the IPv4 loopback. */
	if (memcmp(addr, mapped, sizeof mapped) == 0)
		return addr_classify(addr + 12, 4);
	return classify_table(addr, v6_prefixes, sizeof v6_prefixes / sizeof v6_prefixes[0]);
}

const char *addr_class_str(enum addr_class cls)
{
	switch (cls) {
	case ADDR_GLOBAL:
		return "global";
	case ADDR_DOCUMENTATION:
		return "documentation range";
	case ADDR_UNSPECIFIED:
		return "unspecified";
	case ADDR_LOOPBACK:
		return "loopback";
	case ADDR_PRIVATE:
		return "private (RFC 1918)";
	case ADDR_LINKLOCAL:
		return "link-local";
	case ADDR_ULA:
		return "unique local (RFC 4193)";
	case ADDR_SHARED:
		return "shared address space (RFC 6598)";
	case ADDR_MULTICAST:
		return "multicast";
	case ADDR_RESERVED:
		return "reserved (240.0.0.0/4)";
	}
	return "?";
}

bool addr_class_is_internal(enum addr_class cls)
{
	return cls == ADDR_UNSPECIFIED || cls == ADDR_LOOPBACK || cls == ADDR_PRIVATE ||
	       cls == ADDR_LINKLOCAL || cls == ADDR_ULA || cls == ADDR_SHARED ||
	       cls == ADDR_MULTICAST || cls == ADDR_RESERVED;
}

char *addr_to_text(const uint8_t *addr, size_t alen, char *buf, size_t buflen)
{
	int af = alen == 4 ? AF_INET : alen == 16 ? AF_INET6 : 0;

	if (buflen == 0)
		return buf;
	if (af == 0 || inet_ntop(af, addr, buf, (socklen_t)buflen) == NULL) {
		buf[0] = '?';
		buf[buflen > 1 ? 1 : 0] = '\0';
	}
	return buf;
}

/* Append one label to a wire name under construction (no root yet). */
static void put_label(struct dname *out, const char *s, size_t len)
{
	out->wire[out->len++] = (uint8_t)len;
	memcpy(out->wire + out->len, s, len);
	out->len += len;
}

bool addr_reverse_name(const uint8_t *addr, size_t alen, struct dname *out)
{
	static const char hex[] = "0123456789abcdef";
	char num[4];

	out->len = 0;
	if (alen == 4) {
		/* At most 4 * 4 + 8 + 5 + 1 = 30 bytes. */
		for (size_t i = 4; i-- > 0;) {
			unsigned v = addr[i];
			size_t n = 0;
			if (v >= 100)
				num[n++] = (char)('0' + v / 100);
			if (v >= 10)
				num[n++] = (char)('0' + v / 10 % 10);
			num[n++] = (char)('0' + v % 10);
			put_label(out, num, n);
		}
		put_label(out, "in-addr", 7);
	} else if (alen == 16) {
		/* 32 * 2 + 4 + 5 + 1 = 74 bytes. */
		for (size_t i = 16; i-- > 0;) {
			put_label(out, &hex[addr[i] & 0xf], 1);
			put_label(out, &hex[addr[i] >> 4], 1);
		}
		put_label(out, "ip6", 3);
	} else {
		return false;
	}
	put_label(out, "arpa", 4);
	out->wire[out->len++] = 0;
	return true;
}

/* Label i of a wire name, NULL past the end or on a broken name. */
static const uint8_t *wire_label(const struct dname *name, size_t i, size_t *len)
{
	size_t off = 0;

	while (off < name->len && off < DNAME_WIRE_MAX) {
		size_t l = name->wire[off];
		if (l == 0 || l > DNAME_LABEL_MAX || off + 1 + l > name->len)
			return NULL;
		if (i-- == 0) {
			*len = l;
			return name->wire + off + 1;
		}
		off += 1 + l;
	}
	return NULL;
}

bool dname_is_address_literal(const struct dname *name)
{
	const uint8_t *l;
	size_t len, i, ndecimal = 0;

	for (i = 0; (l = wire_label(name, i, &len)) != NULL; i++) {
		if (l[0] == '[' || l[len - 1] == ']' || memchr(l, ':', len))
			return true;
		bool decimal = len <= 3;
		for (size_t k = 0; k < len && decimal; k++)
			decimal = l[k] >= '0' && l[k] <= '9';
		if (decimal)
			ndecimal++;
	}
	return i == 4 && ndecimal == 4;
}

bool dname_is_localhost(const struct dname *name)
{
	const uint8_t *l, *last = NULL;
	size_t len, lastlen = 0;

	for (size_t i = 0; (l = wire_label(name, i, &len)) != NULL; i++) {
		last = l;
		lastlen = len;
	}
	return last && lastlen == 9 && strncasecmp((const char *)last, "localhost", 9) == 0;
}

bool ipaddr_equal(const struct ipaddr *a, const struct ipaddr *b)
{
	return a->len == b->len && a->len <= sizeof a->b && memcmp(a->b, b->b, a->len) == 0;
}

size_t ipaddr_find(const struct ipaddr *list, size_t n, const struct ipaddr *a)
{
	size_t i = 0;

	while (i < n && !ipaddr_equal(&list[i], a))
		i++;
	return i;
}

size_t ipaddr_from_answer(const struct dns_answer *a, struct ipaddr *out, size_t n, size_t max,
			  bool *more)
{
	for (size_t k = 0; k < a->nrr; k++) {
		size_t len = a->rr[k].type == DNS_T_A ? 4 : a->rr[k].type == DNS_T_AAAA ? 16 : 0;
		if (len == 0)
			continue;
		if (n == max) {
			*more = true;
			break;
		}
		out[n].len = len;
		memcpy(out[n++].b, a->rr[k].u.addr, len);
	}
	return n;
}

char *ipaddr_list_text(const struct ipaddr *list, size_t n, char *buf, size_t buflen)
{
	char a[ADDR_TEXT_MAX];
	size_t used = 0;

	if (buflen < 4)
		return buflen ? (buf[0] = '\0', buf) : buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		addr_to_text(list[i].b, list[i].len, a, sizeof a);
		size_t need = strlen(a) + (i ? 2 : 0);
		/* Keep room for "..." while more addresses follow. */
		if (used + need + (i + 1 < n ? 4 : 1) > buflen) {
			memcpy(buf + used, "...", 4);
			break;
		}
		memcpy(buf + used, ", ", i ? 2 : 0);
		memcpy(buf + used + (i ? 2 : 0), a, strlen(a) + 1);
		used += need;
	}
	return buf;
}
