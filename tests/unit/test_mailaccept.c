/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Whether a domain accepts mail (common/mailaccept.c): RFC 5321 5.1's
 * implicit MX, RFC 7505's null MX, and a DNS failure kept apart from
 * "accepts no mail". */
#include <check.h>
#include <string.h>

#include "check_main.h"
#include "dns_type.h"
#include "mailaccept.h"

/* An answer of status st with the MX hosts given (NULL-terminated). */
struct mx_fixture {
	struct dns_rr rr[4];
	struct dns_answer ans;
};

static const struct dns_answer *mx_answer(struct mx_fixture *f, enum res_status st,
					  const char *const *hosts)
{
	size_t n = 0;

	memset(f, 0, sizeof(*f));
	for (; hosts != NULL && hosts[n] != NULL; n++) {
		f->rr[n].type = DNS_T_MX;
		if (strcmp(hosts[n], ".") == 0) {
			dname_root(&f->rr[n].u.mx.host);
		} else {
			ck_assert(dname_from_text(&f->rr[n].u.mx.host, hosts[n], strlen(hosts[n]),
						  0, NULL));
		}
	}
	f->ans.status = st;
	f->ans.qtype = DNS_T_MX;
	f->ans.nrr = n;
	f->ans.rr = f->rr;
	return &f->ans;
}

static struct dns_answer addr(enum res_status st, size_t nrr)
{
	static const struct dns_rr one = {.type = DNS_T_A};

	return (struct dns_answer){.status = st, .nrr = nrr, .rr = nrr > 0 ? &one : NULL};
}

START_TEST(test_mx_decides)
{
	struct mx_fixture f;
	static const char *const host[] = {"mail.example", NULL};
	static const char *const null_mx[] = {".", NULL};
	static const char *const null_beside_host[] = {".", "mail.example", NULL};
	static const char *const two_null[] = {".", ".", NULL};

	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_OK, host)).verdict, MAILACCEPT_MX);
	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_OK, null_mx)).verdict,
			 MAILACCEPT_NULL_MX);
	/* RFC 7505 3: a null MX beside a host leaves the host to take mail */
	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_OK, null_beside_host)).verdict,
			 MAILACCEPT_MX);
	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_OK, two_null)).verdict,
			 MAILACCEPT_NULL_MX);
	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_NXDOMAIN, NULL)).verdict,
			 MAILACCEPT_NXDOMAIN);
}
END_TEST

/* A failed MX lookup is a DNS error naming that answer, not "no mail". */
START_TEST(test_mx_failure)
{
	static const enum res_status fail[] = {RES_SERVFAIL, RES_REFUSED, RES_TIMEOUT,
					       RES_MALFORMED, RES_NETERR};
	struct mx_fixture f;

	for (size_t i = 0; i < sizeof(fail) / sizeof(fail[0]); i++) {
		const struct dns_answer *mx = mx_answer(&f, fail[i], NULL);
		struct mailaccept m = mailaccept_from_mx(mx);
		struct dns_question q[MAILACCEPT_ADDRESS_QUESTIONS];

		ck_assert_int_eq(m.verdict, MAILACCEPT_DNS_ERROR);
		ck_assert_ptr_eq(m.failed, mx);
		ck_assert(!mailaccept_accepts(&m));
		ck_assert_uint_eq(mailaccept_questions(&m, &f.rr[0].u.mx.host, q), 0);
	}
}
END_TEST

/* No MX: A and AAAA of the domain are the only further questions. */
START_TEST(test_no_mx_asks_addresses)
{
	struct mx_fixture f;
	struct dname dom;
	struct dns_question q[MAILACCEPT_ADDRESS_QUESTIONS];
	struct mailaccept m = mailaccept_from_mx(mx_answer(&f, RES_NODATA, NULL));
	static const char *const host[] = {"mail.example", NULL};
	struct mailaccept with_mx = mailaccept_from_mx(mx_answer(&f, RES_OK, host));

	ck_assert(dname_from_text(&dom, "nomx.example", 12, 0, NULL));
	ck_assert_int_eq(m.verdict, MAILACCEPT_NEEDS_ADDRESS);
	ck_assert(!mailaccept_accepts(&m));
	ck_assert_uint_eq(mailaccept_questions(&m, &dom, q), 2);
	ck_assert_uint_eq(q[0].type, DNS_T_A);
	ck_assert_uint_eq(q[1].type, DNS_T_AAAA);
	ck_assert(dname_equal(&q[0].name, &dom) && dname_equal(&q[1].name, &dom));
	ck_assert_uint_eq(mailaccept_questions(&with_mx, &dom, q), 0);
	/* an empty RES_OK is no MX either */
	ck_assert_int_eq(mailaccept_from_mx(mx_answer(&f, RES_OK, NULL)).verdict,
			 MAILACCEPT_NEEDS_ADDRESS);
}
END_TEST

static enum mailaccept_verdict from_addresses(struct dns_answer a, struct dns_answer aaaa,
					      const struct dns_answer **failed)
{
	struct mailaccept m = {MAILACCEPT_NEEDS_ADDRESS, NULL};
	static struct dns_answer keep[2];

	keep[0] = a;
	keep[1] = aaaa;
	mailaccept_from_addresses(&m, &keep[0], &keep[1]);
	*failed = m.failed == &keep[0] ? &keep[0] : m.failed == &keep[1] ? &keep[1] : NULL;
	return m.verdict;
}

/* RFC 5321 5.1: either address is the implicit MX, even when the other
 * lookup failed; with neither, a failure is a DNS error. */
START_TEST(test_implicit_mx)
{
	const struct dns_answer *failed;
	struct mailaccept ok = {MAILACCEPT_IMPLICIT_MX, NULL};

	ck_assert_int_eq(from_addresses(addr(RES_OK, 1), addr(RES_NODATA, 0), &failed),
			 MAILACCEPT_IMPLICIT_MX);
	ck_assert_int_eq(from_addresses(addr(RES_NODATA, 0), addr(RES_OK, 1), &failed),
			 MAILACCEPT_IMPLICIT_MX);
	ck_assert_int_eq(from_addresses(addr(RES_SERVFAIL, 0), addr(RES_OK, 1), &failed),
			 MAILACCEPT_IMPLICIT_MX);
	ck_assert_ptr_null(failed);
	ck_assert(mailaccept_accepts(&ok));
	ck_assert_int_eq(from_addresses(addr(RES_NODATA, 0), addr(RES_NODATA, 0), &failed),
			 MAILACCEPT_NO_MX_NO_ADDRESS);
	ck_assert_int_eq(from_addresses(addr(RES_NXDOMAIN, 0), addr(RES_NXDOMAIN, 0), &failed),
			 MAILACCEPT_NO_MX_NO_ADDRESS);
	ck_assert_int_eq(from_addresses(addr(RES_TIMEOUT, 0), addr(RES_NODATA, 0), &failed),
			 MAILACCEPT_DNS_ERROR);
	ck_assert_int_eq(failed->status, RES_TIMEOUT);
	ck_assert_int_eq(from_addresses(addr(RES_NODATA, 0), addr(RES_REFUSED, 0), &failed),
			 MAILACCEPT_DNS_ERROR);
	ck_assert_int_eq(failed->status, RES_REFUSED);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("mailaccept");
	TCase *tc = tcase_create("verdict");

	tcase_add_test(tc, test_mx_decides);
	tcase_add_test(tc, test_mx_failure);
	tcase_add_test(tc, test_no_mx_asks_addresses);
	tcase_add_test(tc, test_implicit_mx);
	suite_add_tcase(s, tc);
	return s;
}
