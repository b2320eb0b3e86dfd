/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Table-driven tests of the TLS-RPT record parser (common/tlsrpt.c, RFC
 * 8460 3): record syntax, selection, and the rua= URIs. The P-04 inputs
 * of doc/hostile-inputs.md 4.8 (100 URIs, a mailto: without a domain,
 * http:) are cases named by the ID, and so are RFC 8460's examples.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "bounds.h"
#include "resolver.h"
#include "tlsrpt.h"

#define REC(s) s, sizeof(s) - 1
#define NONE   (-1)

static const struct finding *find(const struct finding_list *l, int code, const char *sub)
{
	for (size_t i = 0; i < l->n; i++) {
		if ((code == 0 || l->v[i].code == code) &&
		    (sub == NULL || strstr(l->v[i].text, sub) != NULL)) {
			return &l->v[i];
		}
	}
	return NULL;
}

static const char *first_text(const struct finding_list *l)
{
	return l->n > 0 ? l->v[0].text : "-";
}

struct tcase {
	const char *name;
	const char *rec;
	size_t len;
	bool is_tlsrpt;
	bool valid;
	int worst;
	int code;
	const char *sub;
	size_t n, nusable;
	enum tlsrpt_scheme first; /* scheme of uri[0] when n > 0 */
	const char *domain;       /* uri[0]'s domain, or NULL */
};

static const struct tcase tcases[] = {
	/* RFC 8460 3's examples */
	{"RFC 8460 3 mailto example", REC("v=TLSRPTv1;rua=mailto:reports@example.com"), true, true,
	 NONE, 0, NULL, 1, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"RFC 8460 3 https example", REC("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt"),
	 true, true, NONE, 0, NULL, 1, 1, TLSRPT_URI_HTTPS, "reporting.example.com"},
	{"both schemes", REC("v=TLSRPTv1; rua=mailto:tls@Example.COM, https://r.example.net/x;"),
	 true, true, NONE, 0, NULL, 2, 2, TLSRPT_URI_MAILTO, "example.com"},
	{"mailto with hfields", REC("v=TLSRPTv1; rua=mailto:tls@example.com?subject=report"), true,
	 true, NONE, 0, NULL, 1, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"percent-encoded +", REC("v=TLSRPTv1; rua=mailto:tls%2Breports@example.com"), true, true,
	 NONE, 0, NULL, 1, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"https with a port", REC("v=TLSRPTv1; rua=https://r.example.com:8443/"), true, true, NONE,
	 0, NULL, 1, 1, TLSRPT_URI_HTTPS, "r.example.com"},
	{"https to an IP literal", REC("v=TLSRPTv1; rua=https://[2001:db8::1]/r"), true, true, NONE,
	 0, NULL, 1, 1, TLSRPT_URI_HTTPS, "."},
	{"extension field", REC("v=TLSRPTv1; rua=mailto:a@example.com; x=1"), true, true, NONE,
	 TLSRPT_EXTENSION, "x (1 in all)", 1, 1, TLSRPT_URI_MAILTO, "example.com"},

	/* P-04 */
	{"P-04 mailto: without a domain", REC("v=TLSRPTv1; rua=mailto:tls@"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "rua=mailto:tls@: unusable, no domain after the @", 1,
	 0, TLSRPT_URI_UNUSABLE, "."},
	{"P-04 mailto: without an @", REC("v=TLSRPTv1; rua=mailto:example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "no @", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 mailto: alone", REC("v=TLSRPTv1; rua=mailto:"), true, false, STATE_CRITICAL,
	 TLSRPT_URI_INVALID, "no address", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 mailto: single-label domain", REC("v=TLSRPTv1; rua=mailto:a@localhost"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, NULL, 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 http:", REC("v=TLSRPTv1; rua=http://r.example.com/"), true, false, STATE_CRITICAL,
	 TLSRPT_URI_INVALID, "http: is not supported, only mailto: and https:", 1, 0,
	 TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 http: next to a good one",
	 REC("v=TLSRPTv1; rua=http://r.example.com/,mailto:a@example.com"), true, true,
	 STATE_WARNING, TLSRPT_URI_INVALID, "http:", 2, 1, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 another scheme", REC("v=TLSRPTv1; rua=ftp://r.example.com/"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "unsupported scheme", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 no scheme", REC("v=TLSRPTv1; rua=tls@example.com"), true, false, STATE_CRITICAL,
	 TLSRPT_URI_INVALID, "no URI scheme", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 ! not encoded", REC("v=TLSRPTv1; rua=mailto:a@example.com!10m"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "'!' must be percent-encoded", 1, 0,
	 TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 trailing comma", REC("v=TLSRPTv1; rua=mailto:a@example.com,"), true, true,
	 STATE_WARNING, TLSRPT_URI_INVALID, "empty URI", 2, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"P-04 https without host", REC("v=TLSRPTv1; rua=https:///x"), true, false, STATE_CRITICAL,
	 TLSRPT_URI_INVALID, "empty host", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 https: without //", REC("v=TLSRPTv1; rua=https:r.example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "no //host", 1, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 https bad port", REC("v=TLSRPTv1; rua=https://r.example.com:44x/"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "port is not a number", 1, 0, TLSRPT_URI_UNUSABLE,
	 NULL},
	{"P-04 a space in a URI", REC("v=TLSRPTv1; rua=https://r.example.com/a b"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "a character URIs do not allow", 1, 0,
	 TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 bad percent", REC("v=TLSRPTv1; rua=mailto:a%zz@example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "bad percent-encoding", 1, 0, TLSRPT_URI_UNUSABLE,
	 NULL},
	{"P-04 two addresses in one", REC("v=TLSRPTv1; rua=mailto:a@example.com%2Cb@example.com"),
	 true, false, STATE_CRITICAL, TLSRPT_URI_INVALID, "more than one address", 1, 0,
	 TLSRPT_URI_UNUSABLE, NULL},
	{"P-04 NUL in a URI", REC("v=TLSRPTv1; rua=mailto:a\0@example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_URI_INVALID, "mailto:a\\x00@example.com", 1, 0, TLSRPT_URI_UNUSABLE,
	 NULL},

	/* the record */
	{"no rua", REC("v=TLSRPTv1;"), true, false, STATE_CRITICAL, TLSRPT_RUA_MISSING,
	 "no rua= field", 0, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"v= alone", REC("v=TLSRPTv1"), true, false, STATE_CRITICAL, TLSRPT_RUA_MISSING, NULL, 0, 0,
	 TLSRPT_URI_UNUSABLE, NULL},
	{"RUA in capitals", REC("v=TLSRPTv1; RUA=mailto:a@example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_SYNTAX, "case-sensitive", 0, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"rua twice", REC("v=TLSRPTv1; rua=mailto:a@example.com; rua=mailto:b@example.com"), true,
	 true, STATE_WARNING, TLSRPT_RUA_DUPLICATE, "only the first", 1, 1, TLSRPT_URI_MAILTO,
	 "example.com"},
	{"not a record: V", REC("V=TLSRPTv1; rua=mailto:a@example.com"), false, false,
	 STATE_CRITICAL, TLSRPT_NOT_RECORD, "must begin with v=TLSRPTv1", 0, 0, TLSRPT_URI_UNUSABLE,
	 NULL},
	{"not a record: v2", REC("v=TLSRPTv10; rua=mailto:a@example.com"), false, false,
	 STATE_CRITICAL, TLSRPT_NOT_RECORD, NULL, 0, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"no ; after v=", REC("v=TLSRPTv1 rua=mailto:a@example.com"), true, false, STATE_CRITICAL,
	 TLSRPT_SYNTAX, "separated by ';'", 0, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"spaces around =", REC("v=TLSRPTv1; rua = mailto:a@example.com"), true, false,
	 STATE_CRITICAL, TLSRPT_SYNTAX, "spaces around '='", 0, 0, TLSRPT_URI_UNUSABLE, NULL},
	{"field without =", REC("v=TLSRPTv1; rua=mailto:a@example.com; junk"), true, false,
	 STATE_CRITICAL, TLSRPT_SYNTAX, "field junk has no '='", 1, 1, TLSRPT_URI_MAILTO,
	 "example.com"},
	{"space before ;", REC("v=TLSRPTv1 ; rua=mailto:a@example.com"), true, true, STATE_WARNING,
	 TLSRPT_SPACING, "\"v=TLSRPTv1;\"", 1, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"trailing space", REC("v=TLSRPTv1; rua=mailto:a@example.com "), true, true, STATE_WARNING,
	 TLSRPT_SPACING, "space at the end", 1, 1, TLSRPT_URI_MAILTO, "example.com"},
	{"spaces around commas", REC("v=TLSRPTv1; rua=mailto:a@example.com ,\thttps://x.example/"),
	 true, true, NONE, 0, NULL, 2, 2, TLSRPT_URI_MAILTO, "example.com"},
};

START_TEST(test_record)
{
	const struct tcase *c = &tcases[_i];
	struct tlsrpt_record *r = tlsrpt_record_parse(c->rec, c->len);

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(tlsrpt_is_record(c->rec, c->len) == c->is_tlsrpt, "%s: is_record", c->name);
	ck_assert_msg(r->is_tlsrpt == c->is_tlsrpt, "%s: is_tlsrpt", c->name);
	ck_assert_msg(r->valid == c->valid, "%s: valid %d (first: %s)", c->name, r->valid,
		      first_text(&r->findings));
	if (c->worst == NONE) {
		ck_assert_msg(finding_list_worst(&r->findings) == STATE_OK, "%s: finding %s",
			      c->name, first_text(&r->findings));
	} else {
		ck_assert_msg((int)finding_list_worst(&r->findings) == c->worst,
			      "%s: worst %d (first: %s)", c->name,
			      (int)finding_list_worst(&r->findings), first_text(&r->findings));
	}
	if (c->code != 0 || c->sub != NULL) {
		ck_assert_msg(find(&r->findings, c->code, c->sub) != NULL,
			      "%s: no finding %d \"%s\" (first: %s)", c->name, c->code,
			      c->sub ? c->sub : "", first_text(&r->findings));
	}
	ck_assert_msg(r->n == c->n, "%s: n %zu", c->name, r->n);
	ck_assert_msg(r->nusable == c->nusable, "%s: nusable %zu", c->name, r->nusable);
	if (c->n > 0) {
		ck_assert_msg(r->uri[0].scheme == c->first, "%s: scheme %d", c->name,
			      (int)r->uri[0].scheme);
	}
	if (c->domain != NULL) {
		char text[DNAME_TEXT_MAX];

		dname_to_text(&r->uri[0].domain, text, sizeof(text));
		ck_assert_msg(strcmp(text, c->domain) == 0, "%s: domain %s", c->name, text);
	}
	for (size_t i = 0; i < r->findings.n; i++) {
		ck_assert_msg(r->findings.v[i].state == tlsrpt_default_state(r->findings.v[i].code),
			      "%s: state of %s", c->name, r->findings.v[i].text);
	}
	tlsrpt_record_free(r);
}
END_TEST

START_TEST(test_many_uris)
{
	/* P-04: 100 URIs: LIMIT_TLSRPT_URIS examined, all counted, the
	 * excess named */
	char rec[100 * 32 + 32];
	size_t len = (size_t)snprintf(rec, sizeof(rec), "v=TLSRPTv1; rua=");
	struct tlsrpt_record *r;

	for (int i = 0; i < 100; i++) {
		len += (size_t)snprintf(rec + len, sizeof(rec) - len, "%smailto:r%d@example.com",
					i > 0 ? "," : "", i);
	}
	r = tlsrpt_record_parse(rec, len);
	ck_assert_uint_eq(r->count, 100);
	ck_assert_uint_eq(r->n, LIMIT_TLSRPT_URIS);
	ck_assert_uint_eq(r->nusable, LIMIT_TLSRPT_URIS);
	ck_assert_ptr_nonnull(find(&r->findings, TLSRPT_URI_TOO_MANY,
				   "rua= has 100 URIs: those after the first 32 not examined"));
	ck_assert(r->valid);
	ck_assert_int_eq(finding_list_worst(&r->findings), STATE_WARNING);
	tlsrpt_record_free(r);

	/* 100 unusable URIs: a bounded number of findings */
	len = (size_t)snprintf(rec, sizeof(rec), "v=TLSRPTv1; rua=");
	for (int i = 0; i < 100; i++) {
		len += (size_t)snprintf(rec + len, sizeof(rec) - len, "%shttp://r%d.example/",
					i > 0 ? "," : "", i);
	}
	r = tlsrpt_record_parse(rec, len);
	ck_assert_uint_le(r->findings.n, 12);
	ck_assert_ptr_nonnull(find(&r->findings, TLSRPT_URI_INVALID, "24 more unusable"));
	ck_assert_ptr_nonnull(find(&r->findings, TLSRPT_NO_USABLE_URI, "among those examined"));
	ck_assert(!r->valid);
	tlsrpt_record_free(r);
	tlsrpt_record_free(NULL);
}
END_TEST

static struct dns_rr txt_rr(const char *s, size_t n)
{
	struct dns_rr rr;

	memset(&rr, 0, sizeof(rr));
	rr.type = DNS_T_TXT;
	rr.u.txt.data = (const uint8_t *)s;
	rr.u.txt.len = n;
	return rr;
}

START_TEST(test_select)
{
	struct finding_list fl = {0};
	const struct dns_rr *chosen;
	struct dns_rr rr[3];

	rr[0] = txt_rr(REC("v=spf1 -all"));
	rr[1] = txt_rr(REC("v=TLSRPTv1; rua=mailto:a@example.com"));
	ck_assert_uint_eq(tlsrpt_record_select(rr, 2, &fl, &chosen), 1);
	ck_assert_ptr_eq(chosen, &rr[1]);
	ck_assert_uint_eq(fl.n, 0);

	rr[2] = txt_rr(REC("v=TLSRPTv1;rua=mailto:b@example.com"));
	ck_assert_uint_eq(tlsrpt_record_select(rr, 3, &fl, &chosen), 2);
	ck_assert_ptr_null(chosen);
	ck_assert_ptr_nonnull(find(&fl, TLSRPT_MULTIPLE, "2 TLS-RPT records"));
	ck_assert_int_eq(finding_list_worst(&fl), STATE_CRITICAL);
	finding_list_clear(&fl);

	rr[0] = txt_rr(REC("v=tlsrptv1; rua=mailto:a@example.com"));
	ck_assert_uint_eq(tlsrpt_record_select(rr, 1, &fl, &chosen), 0);
	ck_assert_ptr_null(chosen);
	ck_assert_ptr_nonnull(find(&fl, TLSRPT_NEAR_MISS, "looks like TLS-RPT"));
	finding_list_clear(&fl);
}
END_TEST

START_TEST(test_domains)
{
	struct tlsrpt_record *r = tlsrpt_record_parse(
		REC("v=TLSRPTv1; rua=mailto:a@Example.com,https://r.example.net/,"
		    "mailto:b@example.COM,mailto:tls@"
		    ",mailto:c@other.example,mailto:d@third.example"));
	struct dname out[2];
	char text[DNAME_TEXT_MAX];
	size_t more, n = tlsrpt_mailto_domains(r, out, 2, &more);

	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(more, 1);
	ck_assert_str_eq(dname_to_text(&out[0], text, sizeof(text)), "example.com");
	ck_assert_str_eq(dname_to_text(&out[1], text, sizeof(text)), "other.example");
	ck_assert_uint_eq(r->nusable, 5);
	tlsrpt_record_free(r);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("tlsrpt");
	TCase *tc = tcase_create("tlsrpt");

	tcase_add_loop_test(tc, test_record, 0, sizeof(tcases) / sizeof(tcases[0]));
	tcase_add_test(tc, test_many_uris);
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_domains);
	suite_add_tcase(s, tc);
	return s;
}
