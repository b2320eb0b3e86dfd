/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Unit tests for common/addrclass.c: ranges, text, reverse names and
 * address-literal host names (check_mx's MX target rules). */
#include <arpa/inet.h>
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include "addrclass.h"

/* Parse text into raw bytes; returns the length (4 or 16). */
static size_t raw(const char *text, uint8_t *out)
{
	if (inet_pton(AF_INET, text, out) == 1)
		return 4;
	ck_assert_msg(inet_pton(AF_INET6, text, out) == 1, "bad test address %s", text);
	return 16;
}

static const struct {
	const char *addr;
	enum addr_class cls;
} class_cases[] = {
	{"192.0.2.1", ADDR_DOCUMENTATION}, /* the guide's address */
	{"198.51.100.255", ADDR_DOCUMENTATION},
	{"203.0.113.0", ADDR_DOCUMENTATION},
	{"203.0.114.1", ADDR_GLOBAL},
	{"192.0.3.1", ADDR_GLOBAL},
	{"8.8.8.8", ADDR_GLOBAL},
	{"100.64.0.1", ADDR_SHARED}, /* CGNAT */
	{"100.127.255.255", ADDR_SHARED},
	{"100.63.255.255", ADDR_GLOBAL}, /* just below 100.64/10 */
	{"100.128.0.1", ADDR_GLOBAL},    /* just above */
	{"224.0.0.1", ADDR_MULTICAST},
	{"239.255.255.255", ADDR_MULTICAST},
	{"223.255.255.255", ADDR_GLOBAL},
	{"240.0.0.1", ADDR_RESERVED},
	{"255.255.255.255", ADDR_RESERVED},
	{"ff02::1", ADDR_MULTICAST},
	{"::ffff:100.64.1.1", ADDR_SHARED},
	{"0.0.0.0", ADDR_UNSPECIFIED},
	{"0.1.2.3", ADDR_UNSPECIFIED},
	{"127.0.0.1", ADDR_LOOPBACK},
	{"127.255.255.254", ADDR_LOOPBACK},
	{"128.0.0.1", ADDR_GLOBAL},
	{"10.0.0.1", ADDR_PRIVATE},
	{"10.255.255.255", ADDR_PRIVATE},
	{"11.0.0.1", ADDR_GLOBAL},
	{"172.16.0.1", ADDR_PRIVATE},
	{"172.31.255.255", ADDR_PRIVATE},
	{"172.15.255.255", ADDR_GLOBAL}, /* just below /12 */
	{"172.32.0.0", ADDR_GLOBAL},     /* just above /12 */
	{"192.168.1.1", ADDR_PRIVATE},
	{"192.169.0.1", ADDR_GLOBAL},
	{"169.254.1.1", ADDR_LINKLOCAL},
	{"169.253.1.1", ADDR_GLOBAL},
	{"2001:db8::1", ADDR_DOCUMENTATION}, /* the guide's address */
	{"2001:db8:ffff::1", ADDR_DOCUMENTATION},
	{"2001:db9::1", ADDR_GLOBAL},
	{"2a00:1450::1", ADDR_GLOBAL},
	{"::", ADDR_UNSPECIFIED},
	{"::1", ADDR_LOOPBACK},
	{"::2", ADDR_GLOBAL},
	{"fe80::1", ADDR_LINKLOCAL},
	{"febf:ffff::1", ADDR_LINKLOCAL}, /* top of fe80::/10 */
	{"fec0::1", ADDR_GLOBAL},         /* just past it */
	{"fc00::1", ADDR_ULA},
	{"fd12:3456::1", ADDR_ULA},
	{"fe00::1", ADDR_GLOBAL},
	{"::ffff:127.0.0.1", ADDR_LOOPBACK}, /* IPv4-mapped: by its v4 part */
	{"::ffff:10.1.2.3", ADDR_PRIVATE},
	{"::ffff:192.0.2.1", ADDR_DOCUMENTATION},
};

START_TEST(test_classify)
{
	uint8_t a[16];
	size_t n = raw(class_cases[_i].addr, a);
	enum addr_class got = addr_classify(a, n);

	ck_assert_msg(got == class_cases[_i].cls, "%s: got %s, want %s", class_cases[_i].addr,
		      addr_class_str(got), addr_class_str(class_cases[_i].cls));
}
END_TEST

START_TEST(test_internal)
{
	ck_assert(!addr_class_is_internal(ADDR_GLOBAL));
	ck_assert(!addr_class_is_internal(ADDR_DOCUMENTATION));
	ck_assert(addr_class_is_internal(ADDR_UNSPECIFIED));
	ck_assert(addr_class_is_internal(ADDR_LOOPBACK));
	ck_assert(addr_class_is_internal(ADDR_PRIVATE));
	ck_assert(addr_class_is_internal(ADDR_LINKLOCAL));
	ck_assert(addr_class_is_internal(ADDR_ULA));
	ck_assert(addr_class_is_internal(ADDR_SHARED));
	ck_assert(addr_class_is_internal(ADDR_MULTICAST));
	ck_assert(addr_class_is_internal(ADDR_RESERVED));
	/* odd lengths never crash and are not classed */
	uint8_t a[16] = {127};
	ck_assert(addr_classify(a, 0) == ADDR_GLOBAL);
	ck_assert(addr_classify(a, 5) == ADDR_GLOBAL);
}
END_TEST

START_TEST(test_text)
{
	uint8_t a[16];
	char buf[ADDR_TEXT_MAX];

	ck_assert_str_eq(addr_to_text(a, raw("192.0.2.1", a), buf, sizeof buf), "192.0.2.1");
	ck_assert_str_eq(addr_to_text(a, raw("2001:db8::1", a), buf, sizeof buf), "2001:db8::1");
	ck_assert_str_eq(addr_to_text(a, 7, buf, sizeof buf), "?");
	ck_assert_str_eq(addr_to_text(a, 4, buf, 1), "");
}
END_TEST

/* Presentation of a wire name, for comparing (labels are plain here). */
static void wire_text(const struct dname *n, char *out)
{
	size_t off = 0, o = 0;

	while (off < n->len && n->wire[off] != 0) {
		memcpy(out + o, n->wire + off + 1, n->wire[off]);
		o += n->wire[off];
		out[o++] = '.';
		off += 1 + n->wire[off];
	}
	ck_assert_uint_eq(off + 1, n->len);
	out[o] = '\0';
}

static const struct {
	const char *addr, *rev;
} rev_cases[] = {
	{"192.0.2.1", "1.2.0.192.in-addr.arpa."},
	{"0.0.0.0", "0.0.0.0.in-addr.arpa."},
	{"255.10.100.9", "9.100.10.255.in-addr.arpa."},
	{"2001:db8::1",
	 "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa."},
	{"fe80::abcd", "d.c.b.a.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.e.f.ip6.arpa."},
};

START_TEST(test_reverse)
{
	uint8_t a[16];
	struct dname n;
	char text[256];

	ck_assert(addr_reverse_name(a, raw(rev_cases[_i].addr, a), &n));
	wire_text(&n, text);
	ck_assert_str_eq(text, rev_cases[_i].rev);
	ck_assert(!addr_reverse_name(a, 5, &n));
}
END_TEST

/* Wire name from dotted text (test helper; no escapes). */
static struct dname mkname(const char *text)
{
	struct dname n = {0};
	const char *p = text;

	while (*p) {
		const char *dot = strchr(p, '.');
		size_t l = dot ? (size_t)(dot - p) : strlen(p);
		n.wire[n.len++] = (uint8_t)l;
		memcpy(n.wire + n.len, p, l);
		n.len += l;
		p += l + (dot ? 1 : 0);
	}
	n.wire[n.len++] = 0;
	return n;
}

static const struct {
	const char *name;
	bool literal;
} lit_cases[] = {
	{"192.0.2.1", true},                                 /* T-01 MX -> IP literal */
	{"10.0.0.1", true},           {"[192.0.2.1]", true}, /* RFC 5321 address literal */
	{"[IPv6:2001:db8::1]", true}, {"2001:db8::1", true},
	{"mail.example.com", false},  {"1.2.3", false},
	{"1.2.3.4.5", false},         {"1.2.3.example", false},
	{"1234.1.1.1", false},        {"0x7f.0.0.1", false},
	{"localhost", false}, /* bad, but not an address */
};

START_TEST(test_literal)
{
	struct dname n = mkname(lit_cases[_i].name);

	ck_assert_msg(dname_is_address_literal(&n) == lit_cases[_i].literal, "%s",
		      lit_cases[_i].name);
}
END_TEST

START_TEST(test_literal_root)
{
	struct dname n = {.len = 1, .wire = {0}};

	ck_assert(!dname_is_address_literal(&n));
	/* a broken wire name (label runs past len) is not read past len */
	n.len = 3;
	n.wire[0] = 40;
	ck_assert(!dname_is_address_literal(&n));
}
END_TEST

static const struct {
	const char *name;
	bool local;
} lh_cases[] = {
	{"localhost", true},
	{"LocalHost", true},
	{"mail.localhost", true}, /* RFC 6761 6.3: names under it too */
	{"localhost.example.com", false},
	{"localhos", false},
	{"localhostx", false},
	{"mail.example.com", false},
};

START_TEST(test_localhost)
{
	struct dname n = mkname(lh_cases[_i].name);

	ck_assert_msg(dname_is_localhost(&n) == lh_cases[_i].local, "%s", lh_cases[_i].name);
}
END_TEST

START_TEST(test_ipaddr_equal)
{
	struct ipaddr a = {.len = 4}, b = {.len = 4};

	a.len = raw("192.0.2.1", a.b);
	b.len = raw("192.0.2.1", b.b);
	ck_assert(ipaddr_equal(&a, &b));
	b.len = raw("192.0.2.2", b.b);
	ck_assert(!ipaddr_equal(&a, &b));
	b.len = raw("::ffff:192.0.2.1", b.b);
	ck_assert(!ipaddr_equal(&a, &b)); /* different families */
	a.len = b.len = 99;               /* corrupt: never read past b[] */
	ck_assert(!ipaddr_equal(&a, &b));

	struct ipaddr list[3];
	list[0].len = raw("192.0.2.1", list[0].b);
	list[1].len = raw("2001:db8::1", list[1].b);
	list[2].len = raw("192.0.2.3", list[2].b);
	a.len = raw("2001:db8::1", a.b);
	ck_assert_uint_eq(ipaddr_find(list, 3, &a), 1);
	ck_assert_uint_eq(ipaddr_find(list, 1, &a), 1); /* not in the first 1 */
	ck_assert_uint_eq(ipaddr_find(list, 0, &a), 0);
	a.len = raw("192.0.2.9", a.b);
	ck_assert_uint_eq(ipaddr_find(list, 3, &a), 3);
}
END_TEST

START_TEST(test_from_answer)
{
	struct dns_rr rr[4];
	struct dns_answer ans;
	struct ipaddr out[3];
	bool more = false;
	char text[64];

	memset(rr, 0, sizeof rr);
	memset(&ans, 0, sizeof ans);
	rr[0].type = DNS_T_A;
	raw("192.0.2.1", rr[0].u.addr);
	rr[1].type = DNS_T_TXT; /* never read as an address */
	rr[2].type = DNS_T_AAAA;
	raw("2001:db8::1", rr[2].u.addr);
	rr[3].type = DNS_T_A;
	raw("192.0.2.3", rr[3].u.addr);
	ans.rr = rr;
	ans.nrr = 4;

	size_t n = ipaddr_from_answer(&ans, out, 0, 3, &more);
	ck_assert_uint_eq(n, 3);
	ck_assert(!more);
	ck_assert_str_eq(ipaddr_list_text(out, n, text, sizeof text),
			 "192.0.2.1, 2001:db8::1, 192.0.2.3");
	/* the cap: appending to a full list sets more and adds nothing */
	n = ipaddr_from_answer(&ans, out, n, 3, &more);
	ck_assert_uint_eq(n, 3);
	ck_assert(more);
	more = false;
	n = ipaddr_from_answer(&ans, out, 1, 2, &more);
	ck_assert_uint_eq(n, 2);
	ck_assert(more);
	/* cut text ends in "..." and fits */
	n = ipaddr_from_answer(&ans, out, 0, 3, &more);
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 34),
			 "192.0.2.1, 2001:db8::1, 192.0.2.3"); /* exactly fits */
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 33), "192.0.2.1, 2001:db8::1...");
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 26), "192.0.2.1, 2001:db8::1...");
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 25), "192.0.2.1...");
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 14), "192.0.2.1...");
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 5), "...");
	ck_assert_str_eq(ipaddr_list_text(out, 0, text, sizeof text), "");
	ck_assert_str_eq(ipaddr_list_text(out, n, text, 3), "");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("addrclass");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, test_classify, 0, sizeof class_cases / sizeof class_cases[0]);
	tcase_add_test(tc, test_internal);
	tcase_add_test(tc, test_text);
	tcase_add_loop_test(tc, test_reverse, 0, sizeof rev_cases / sizeof rev_cases[0]);
	tcase_add_loop_test(tc, test_literal, 0, sizeof lit_cases / sizeof lit_cases[0]);
	tcase_add_test(tc, test_literal_root);
	tcase_add_loop_test(tc, test_localhost, 0, sizeof lh_cases / sizeof lh_cases[0]);
	tcase_add_test(tc, test_ipaddr_equal);
	tcase_add_test(tc, test_from_answer);
	suite_add_tcase(s, tc);
	return s;
}
