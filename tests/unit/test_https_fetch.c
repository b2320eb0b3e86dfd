/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/https_fetch.c: everything decided before a byte
 * is sent (the URL, the addresses, the deadline, our own inputs). The
 * fetches themselves are tests/integration/test_https_fetch.py's; only
 * the connect case here opens a socket, to 127.0.0.1 port 1, and every
 * other case either stops before the network or has a deadline already
 * passed.
 */
#include <arpa/inet.h>
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "https_fetch.h"
#include "resolver.h"

static struct ipaddr ip(const char *text)
{
	struct ipaddr a;

	memset(&a, 0, sizeof(a));
	if (inet_pton(AF_INET, text, a.b) == 1) {
		a.len = 4;
	} else {
		ck_assert_msg(inet_pton(AF_INET6, text, a.b) == 1, "bad test address %s", text);
		a.len = 16;
	}
	return a;
}

static struct https_result run(const char *url, const struct ipaddr *a, size_t n, bool internal,
			       double seconds)
{
	struct https_request rq;
	struct https_result r;

	memset(&rq, 0, sizeof(rq));
	rq.url = url;
	rq.addrs = a;
	rq.naddrs = n;
	rq.allow_internal = internal;
	rq.max_body = 1024;
	rq.deadline = clock_monotonic_now() + seconds;
	ck_assert(!https_fetch(&rq, &r));
	ck_assert_ptr_null(r.body);
	return r;
}

static void setup(void)
{
	char err[256];

	ck_assert_msg(https_global_init(err, sizeof(err)), "%s", err);
}

static void teardown(void)
{
	https_global_cleanup();
}

static const struct {
	const char *url;
	enum https_error e;
	const char *detail;
} url_cases[] = {
	{"http://mta-sts.example.com/.well-known/mta-sts.txt", HTTPS_E_NOT_HTTPS,
	 "not an https URL"},
	{"ftp://mta-sts.example.com/x", HTTPS_E_NOT_HTTPS, "not an https URL"},
	{"mta-sts.example.com/.well-known/mta-sts.txt", HTTPS_E_URL, "not a URL"},
	{"https://192.0.2.1/x", HTTPS_E_URL, "address"},
	{"https://[2001:db8::1]/x", HTTPS_E_URL, "address"},
	/* IPv4 in the forms a URL parser normalises (H-07: no way round
	 * the resolver). */
	{"https://2130706433/x", HTTPS_E_URL, "address"},
	{"https://0x7f.1/x", HTTPS_E_URL, "address"},
	{"https://user:pw@mta-sts.example.com/x", HTTPS_E_URL, "user information"},
	{"https://", HTTPS_E_URL, ""},
	{"", HTTPS_E_URL, ""},
	/* Outside bytes in the URL come back escaped (BIMI l= is DNS data). */
	{"https://a|b\x1b.example/", HTTPS_E_URL, "a\\x7cb\\x1b.example"},
};

START_TEST(test_url)
{
	struct ipaddr a = ip("192.0.2.80");
	/* The deadline has passed: a URL that got through would end as a
	 * timeout, before any connection. */
	struct https_result r = run(url_cases[_i].url, &a, 1, false, -1);

	ck_assert_msg(r.error == url_cases[_i].e, "%s: %s (%s)", url_cases[_i].url,
		      https_error_str(r.error), r.detail);
	ck_assert_msg(strstr(r.detail, url_cases[_i].detail) != NULL, "%s: %s", url_cases[_i].url,
		      r.detail);
	ck_assert(strchr(r.detail, '\x1b') == NULL && strchr(r.detail, '|') == NULL);
	ck_assert_uint_eq(r.status, 0);
}
END_TEST

START_TEST(test_url_too_long)
{
	struct ipaddr a = ip("192.0.2.80");
	size_t n = LIMIT_HTTPS_URL + 1;
	char *url = malloc(n + 1);
	struct https_result r;

	ck_assert_ptr_nonnull(url);
	memset(url, 'a', n);
	memcpy(url, "https://a.example/", 18);
	url[n] = '\0';
	r = run(url, &a, 1, false, -1);
	free(url);
	ck_assert_int_eq(r.error, HTTPS_E_URL);
	ck_assert(strstr(r.detail, "URL over 2048 bytes") != NULL);
}
END_TEST

/* H-07: internal addresses are left out; none left is its own error. */
START_TEST(test_internal_only)
{
	struct ipaddr a[3] = {ip("127.0.0.1"), ip("10.1.2.3"), ip("127.0.0.1")};
	struct https_result r = run("https://mta-sts.example.com/", a, 3, false, 5);

	ck_assert_int_eq(r.error, HTTPS_E_INTERNAL);
	ck_assert_uint_eq(r.nskipped, 2); /* the duplicate once */
	ck_assert_msg(strstr(r.detail, "127.0.0.1, 10.1.2.3") != NULL, "%s", r.detail);
	ck_assert(strstr(r.detail, "not contacted") != NULL);
	ck_assert_str_eq(r.address, "");
}
END_TEST

START_TEST(test_no_address)
{
	struct https_result r = run("https://mta-sts.example.com/", NULL, 0, false, 5);

	ck_assert_int_eq(r.error, HTTPS_E_NO_ADDRESS);
	ck_assert(strstr(r.detail, "mta-sts.example.com has no address") != NULL);
}
END_TEST

/* A bad address length is no address. */
START_TEST(test_bad_address_length)
{
	struct ipaddr a = ip("192.0.2.80");
	struct https_result r;

	a.len = 5;
	r = run("https://mta-sts.example.com/", &a, 1, false, -1);
	ck_assert_int_eq(r.error, HTTPS_E_NO_ADDRESS);
}
END_TEST

START_TEST(test_deadline_passed)
{
	struct ipaddr a = ip("192.0.2.80");
	struct https_result r = run("https://mta-sts.example.com/", &a, 1, false, -1);

	ck_assert_int_eq(r.error, HTTPS_E_TIMEOUT);
	ck_assert(strstr(r.detail, "deadline reached before fetching") != NULL);
}
END_TEST

/* With allow_internal a loopback address is contacted: nothing listens
 * on port 1, so the connect fails, naming the address. */
START_TEST(test_connect_refused)
{
	struct ipaddr a = ip("127.0.0.1");
	struct https_result r = run("https://mta-sts.example.com:1/", &a, 1, true, 5);

	ck_assert_msg(r.error == HTTPS_E_CONNECT, "%s: %s", https_error_str(r.error), r.detail);
	ck_assert_msg(strstr(r.detail, "at 127.0.0.1") != NULL, "%s", r.detail);
	ck_assert_uint_eq(r.nskipped, 0);
}
END_TEST

START_TEST(test_our_inputs)
{
	struct ipaddr a = ip("192.0.2.80");
	struct https_request rq;
	struct https_result r;

	memset(&rq, 0, sizeof(rq));
	rq.url = "https://mta-sts.example.com/";
	rq.addrs = &a;
	rq.naddrs = 1;
	rq.deadline = clock_monotonic_now() + 5;
	ck_assert(!https_fetch(&rq, &r)); /* max_body 0 */
	ck_assert_int_eq(r.error, HTTPS_E_LOCAL);
	rq.url = NULL;
	rq.max_body = 10;
	ck_assert(!https_fetch(&rq, &r));
	ck_assert_int_eq(r.error, HTTPS_E_LOCAL);
	https_result_clear(&r);
	https_result_clear(NULL);
}
END_TEST

/* Without https_global_init() nothing is attempted. */
START_TEST(test_not_initialised)
{
	struct ipaddr a = ip("192.0.2.80");
	struct https_result r = run("https://mta-sts.example.com/", &a, 1, false, -1);

	ck_assert_int_eq(r.error, HTTPS_E_LOCAL);
	ck_assert(strstr(r.detail, "https_global_init") != NULL);
}
END_TEST

START_TEST(test_error_names)
{
	for (int i = HTTPS_OK; i <= HTTPS_E_LOCAL; i++) {
		for (int k = HTTPS_OK; k < i; k++) {
			ck_assert_str_ne(https_error_str((enum https_error)i),
					 https_error_str((enum https_error)k));
		}
		ck_assert_str_ne(https_error_str((enum https_error)i), "?");
	}
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("https_fetch");
	TCase *tc = tcase_create("before the network");
	TCase *bare = tcase_create("without init");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_url, 0, (int)(sizeof(url_cases) / sizeof(url_cases[0])));
	tcase_add_test(tc, test_url_too_long);
	tcase_add_test(tc, test_internal_only);
	tcase_add_test(tc, test_no_address);
	tcase_add_test(tc, test_bad_address_length);
	tcase_add_test(tc, test_deadline_passed);
	tcase_add_test(tc, test_connect_refused);
	tcase_add_test(tc, test_our_inputs);
	tcase_add_test(tc, test_error_names);
	suite_add_tcase(s, tc);
	tcase_add_test(bare, test_not_initialised);
	suite_add_tcase(s, bare);
	return s;
}
