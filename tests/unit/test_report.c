/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The report reader (common/report_agg.c) and unwrapping
 * (common/report_unwrap.c): real reports of several receivers in every
 * wrapping (tests/fixtures/reports/, see its README), their quirks, and
 * hostile documents written here; SMTP
 * TLS reports (common/report_tls.c) and R-09.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "report_agg.h"
#include "report_tls.h"
#include "report_unwrap.h"

static unsigned char *slurp(const char *name, size_t *len)
{
	const char *top = getenv("top_srcdir");
	char path[512];
	FILE *f;
	unsigned char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/tests/fixtures/reports/%s", top ? top : ".", name);
	f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A fixture unwrapped and read; the report must be good. */
static struct agg_report *fixture(const char *name, const char *how)
{
	size_t len;
	unsigned char *raw = slurp(name, &len);
	struct report_blob b;
	char why[200];
	struct agg_report *r;

	ck_assert_msg(report_unwrap(raw, len, &b, why, sizeof(why)), "%s: %s", name, why);
	ck_assert_int_eq(b.format, REPORT_XML);
	ck_assert_msg(strstr(b.how, how) != NULL, "%s: how %s", name, b.how);
	r = agg_report_parse(b.data, b.len);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(r->error[0] == '\0', "%s: %s", name, r->error);
	report_blob_free(&b);
	free(raw);
	return r;
}

static struct agg_report *parse_str(const char *s)
{
	struct agg_report *r = agg_report_parse(s, strlen(s));

	ck_assert_ptr_nonnull(r);
	return r;
}

START_TEST(test_outlook)
{
	struct agg_report *r = fixture("outlook.xml", "");

	ck_assert_str_eq(r->org, "Outlook.com");
	ck_assert_str_eq(r->report_id, "cfeafefe4129445e8c81018bd9177197");
	ck_assert_str_eq(r->domain, "example.com");
	ck_assert_uint_eq(r->begin, 1711756800);
	ck_assert_uint_eq(r->end, 1711843200);
	ck_assert_uint_eq(r->nrows, 1);
	ck_assert_str_eq(r->rows[0].ip, "100.24.188.149");
	ck_assert_uint_eq(r->rows[0].count, 1);
	ck_assert_int_eq(r->rows[0].pe_dkim, AGG_FAIL);
	ck_assert_int_eq(r->rows[0].pe_spf, AGG_FAIL);
	ck_assert_int_eq(r->rows[0].dkim, AGG_ABSENT);
	ck_assert_int_eq(r->rows[0].spf, AGG_FAIL);
	ck_assert_str_eq(r->rows[0].spf_domain, "example.com");
	ck_assert_str_eq(r->rows[0].header_from, "example.com");
	agg_report_free(r);
	agg_report_free(NULL);
}
END_TEST

/* RFC 9990's namespace and its new elements */
START_TEST(test_rfc9990)
{
	struct agg_report *r = fixture("rfc9990-sample.xml", "");

	ck_assert_str_eq(r->org, "Sample Reporter");
	ck_assert_uint_eq(r->nrows, 1);
	ck_assert_str_eq(r->rows[0].ip, "192.0.2.123");
	ck_assert_uint_eq(r->rows[0].count, 123);
	ck_assert_int_eq(r->rows[0].pe_dkim, AGG_PASS);
	ck_assert_int_eq(r->rows[0].dkim, AGG_PASS);
	ck_assert_str_eq(r->rows[0].selector, "abc123");
	ck_assert_str_eq(r->rows[0].dkim_domain, "example.com");
	agg_report_free(r);
	r = fixture("rfc9990-example.xml", "");
	ck_assert_uint_gt(r->nrows, 0);
	agg_report_free(r);
}
END_TEST

/* Quirks: Pass and None in capitals, an org_name with a trailing space,
 * empty reasons, an empty org_name (its email stands for it), an old
 * draft of the schema */
START_TEST(test_quirks)
{
	struct agg_report *r = fixture("upper_cased_pass.xml", "");

	ck_assert_str_eq(r->org, "example.com");
	ck_assert_int_eq(r->rows[0].pe_dkim, AGG_PASS);
	ck_assert_int_eq(r->rows[0].pe_spf, AGG_PASS);
	ck_assert_int_eq(r->rows[0].dkim, AGG_PASS);
	agg_report_free(r);
	r = fixture("empty_reason.xml", "");
	ck_assert_uint_gt(r->nrows, 0);
	ck_assert_int_eq(r->rows[0].pe_dkim, AGG_PASS);
	ck_assert_int_eq(r->rows[0].pe_spf, AGG_FAIL);
	agg_report_free(r);
	r = fixture("large-example.xml", "");
	ck_assert_str_eq(r->org, "administrator@accurateplastics.com");
	ck_assert_uint_eq(r->nrows, 2286);
	agg_report_free(r);
	r = fixture("old_draft.xml", "");
	ck_assert_str_eq(r->org, "acme.com");
	agg_report_free(r);
	r = fixture("ikea.xml", "");
	ck_assert_str_eq(r->domain, "example.de");
	agg_report_free(r);
}
END_TEST

/* Every wrapping: gzip, zip, a mail with a zip (Google), a mail with a
 * gzip (Mimecast, an odd one) */
START_TEST(test_wrappings)
{
	struct agg_report *r = fixture("fastmail.xml.gz", "gzip");

	ck_assert_str_eq(r->org, "FastMail Pty Ltd");
	ck_assert_str_eq(r->domain, "indemed.com");
	ck_assert_str_eq(r->rows[0].ip, "104.195.80.20");
	agg_report_free(r);
	r = fixture("infonacot.xml.zip", "zip member");
	ck_assert_uint_gt(r->nrows, 0);
	agg_report_free(r);
	r = fixture("google.eml", "mail part google.com!borschow.com!1549929600!1550015999.zip");
	ck_assert_str_eq(r->org, "google.com");
	ck_assert_str_eq(r->report_id, "949348866075514174");
	ck_assert_str_eq(r->domain, "borschow.com");
	agg_report_free(r);
	r = fixture("twilight.eml", "zip member");
	ck_assert_str_eq(r->domain, "twlnet.com");
	agg_report_free(r);
	r = fixture("mimecast-weird-gzip.eml", "gzip");
	ck_assert_str_eq(r->domain, "ab.id.au");
	agg_report_free(r);
}
END_TEST

/* a real report that is not well-formed, and one with invalid
 * UTF-8: bad, with the reason */
START_TEST(test_r06_real_bad)
{
	const char *names[] = {"invalid_xml.xml", "invalid_utf_8.xml"};

	for (size_t i = 0; i < 2; i++) {
		size_t len;
		unsigned char *raw = slurp(names[i], &len);
		struct agg_report *r = agg_report_parse(raw, len);

		ck_assert_ptr_nonnull(r);
		ck_assert_msg(strstr(r->error, "not well-formed XML") != NULL, "%s: '%s'", names[i],
			      r->error);
		agg_report_free(r);
		free(raw);
	}
}
END_TEST

#define HEAD                                                                                       \
	"<feedback><report_metadata><org_name>o</org_name><report_id>1</report_id>"                \
	"<date_range><begin>1</begin><end>2</end></date_range></report_metadata>"                  \
	"<policy_published><domain>example.com</domain></policy_published>"
#define ROW(ip, n) "<record><row><source_ip>" ip "</source_ip><count>" n "</count></row></record>"

static void bad(const char *doc, const char *why)
{
	struct agg_report *r = parse_str(doc);

	ck_assert_msg(strstr(r->error, why) != NULL, "want '%s', got '%s'", why, r->error);
	agg_report_free(r);
}

/* a DOCTYPE (billion laughs, an external entity to a local
 * file) makes the report bad before anything is expanded or read */
START_TEST(test_r01_r02_entities)
{
	bad("<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY a \"aaaaaaaaaa\">"
	    "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;\">"
	    "]>" HEAD "<record><row><source_ip>192.0.2.1</source_ip><count>&c;</count></row>"
	    "</record></feedback>",
	    "entit");
	bad("<!DOCTYPE feedback [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" HEAD
	    "<record><row><source_ip>&x;</source_ip></row></record></feedback>",
	    "DOCTYPE");
	bad("<!DOCTYPE feedback SYSTEM \"http://192.0.2.1/x.dtd\"><feedback/>", "DOCTYPE");
}
END_TEST

/* counts of 2^63, negative, over the limit; dates past 2^40;
 * more records than LIMIT_REPORT_ROWS */
START_TEST(test_r05_numbers)
{
	struct agg_report *r;
	size_t cap = 100 * (LIMIT_REPORT_ROWS + 2) + 1024, n;
	char *big;

	bad(HEAD ROW("192.0.2.1", "9223372036854775808") "</feedback>",
	    "count 9223372036854775808 out of range");
	bad(HEAD ROW("192.0.2.1", "-1") "</feedback>", "count -1 out of range");
	bad(HEAD ROW("192.0.2.1", "1000000000001") "</feedback>", "out of range");
	bad("<feedback><report_metadata><org_name>o</org_name><report_id>1</report_id>"
	    "<date_range><begin>1</begin><end>99999999999999999</end></date_range>"
	    "</report_metadata></feedback>",
	    "date_range end is not a time");
	r = parse_str(HEAD ROW("192.0.2.1", "1000000000000")
			      ROW("2001:db8::1", "1000000000000") "</feedback>");
	ck_assert_str_eq(r->error, "");
	ck_assert_uint_eq(r->messages, 2000000000000ULL);
	agg_report_free(r);

	big = malloc(cap);
	ck_assert_ptr_nonnull(big);
	n = (size_t)snprintf(big, cap, "%s", HEAD);
	for (int i = 0; i <= LIMIT_REPORT_ROWS; i++) {
		n += (size_t)snprintf(big + n, cap - n, "%s", ROW("192.0.2.1", "1"));
	}
	snprintf(big + n, cap - n, "</feedback>");
	bad(big, "more than 20000 records");
	free(big);
}
END_TEST

/* the wrong root, truncated XML, no policy_published, no
 * report_id, a record without count, a source that is no address,
 * nesting past the limit */
START_TEST(test_r06_structure)
{
	char deep[2048];
	size_t n;

	bad("<html><body/></html>", "root element is html, not feedback");
	bad(HEAD ROW("192.0.2.1", "1"), "not well-formed XML");
	bad("<feedback><report_metadata><org_name>o</org_name><report_id>1</report_id>"
	    "<date_range><begin>1</begin><end>2</end></date_range></report_metadata>"
	    "</feedback>",
	    "no policy_published domain");
	bad("<feedback><report_metadata><org_name>o</org_name></report_metadata></feedback>",
	    "no report_metadata report_id");
	bad(HEAD "<record><row><source_ip>192.0.2.1</source_ip></row></record></feedback>",
	    "record 1 has no count");
	bad(HEAD ROW("192.0.2.1|x", "1") "</feedback>",
	    "source_ip 192.0.2.1\\x7cx is not an address");
	n = (size_t)snprintf(deep, sizeof(deep), "<feedback>");
	for (int i = 0; i < 40; i++) {
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "<x>");
	}
	bad(deep, "nested deeper than 16");
}
END_TEST

static void unwrap_bad(const void *data, size_t len, const char *why)
{
	struct report_blob b;
	char got[200];

	ck_assert(!report_unwrap(data, len, &b, got, sizeof(got)));
	ck_assert_msg(strstr(got, why) != NULL, "want '%s', got '%s'", why, got);
}

/* UTF-16 with a BOM; R-07: a mail without a report, bad base64,
 * no closing boundary, 10,000 parts, 1,000 levels deep */
START_TEST(test_r07_mime)
{
	static const char utf16[] = "\xff\xfe<\0f\0";
	static const char noreport[] = "From: a@example.com\r\nSubject: x\r\n\r\nhello\r\n";
	static const char badb64[] =
		"From: a@example.com\r\nMIME-Version: 1.0\r\n"
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n"
		"Content-Type: application/gzip\r\nContent-Transfer-Encoding: base64\r\n\r\n"
		"!!!!not base64 at all@@@@\r\n";
	size_t cap = 10000 * 80 + 4096, n;
	char *m = malloc(cap);

	unwrap_bad(utf16, sizeof(utf16) - 1, "UTF-16");
	unwrap_bad(noreport, strlen(noreport), "no report attached to the message");
	unwrap_bad(badb64, strlen(badb64), "");
	ck_assert_ptr_nonnull(m);
	n = (size_t)snprintf(m, cap,
			     "From: a@example.com\r\nMIME-Version: 1.0\r\n"
			     "Content-Type: multipart/mixed; boundary=B\r\n\r\n");
	for (int i = 0; i < 10000; i++) {
		n += (size_t)snprintf(m + n, cap - n,
				      "--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n", i);
	}
	n += (size_t)snprintf(m + n, cap - n, "--B--\r\n");
	unwrap_bad(m, n, "more than 1000 MIME boundary lines");
	/* 100 parts: GMime reads them, 64 are walked */
	unwrap_bad(m, 120 + 100 * 40, "no report in the first 64 MIME parts");
	n = (size_t)snprintf(m, cap, "From: a@example.com\r\nMIME-Version: 1.0\r\n");
	for (int i = 0; i < 1000; i++) {
		n += (size_t)snprintf(
			m + n, cap - n,
			"Content-Type: multipart/mixed; boundary=B%d\r\n\r\n--B%d\r\n", i, i);
	}
	n += (size_t)snprintf(m + n, cap - n, "Content-Type: text/xml\r\n\r\n<feedback/>\r\n");
	unwrap_bad(m, n, "no report in the first 64 MIME parts");
	free(m);
}
END_TEST

static struct tls_report *tls_fixture(const char *name, const char *how)
{
	size_t len;
	unsigned char *raw = slurp(name, &len);
	struct report_blob b;
	char why[200];
	struct tls_report *r;

	ck_assert_msg(report_unwrap(raw, len, &b, why, sizeof(why)), "%s: %s", name, why);
	ck_assert_int_eq(b.format, REPORT_JSON);
	ck_assert_msg(strstr(b.how, how) != NULL, "%s: how %s", name, b.how);
	r = tls_report_parse(b.data, b.len);
	ck_assert_ptr_nonnull(r);
	ck_assert_msg(r->error[0] == '\0', "%s: %s", name, r->error);
	report_blob_free(&b);
	free(raw);
	return r;
}

/* Real TLS reports: a failing STS policy, RFC 8460's example, Mail.ru's,
 * Google's in a mail as application/tlsrpt+gzip */
START_TEST(test_tls_real)
{
	struct tls_report *r = tls_fixture("tls-smtp_tls.json", "");

	ck_assert_str_eq(r->org, "Example Inc.");
	ck_assert_str_eq(r->report_id, "2024-01-09T00:00:00Z_example.com");
	ck_assert_int_eq(r->end, 1704844799);
	ck_assert_uint_eq(r->npolicies, 1);
	ck_assert_str_eq(r->policies[0].type, "sts");
	ck_assert_str_eq(r->policies[0].domain, "example.com");
	ck_assert_uint_eq(r->policies[0].ok, 0);
	ck_assert_uint_eq(r->policies[0].failed, 3);
	ck_assert_uint_eq(r->nfailures, 2);
	ck_assert_str_eq(r->failures[0].result, "validation-failure");
	ck_assert_uint_eq(r->failures[0].sessions, 2);
	tls_report_free(r);
	r = tls_fixture("tls-rfc8460.json", "");
	ck_assert_str_eq(r->policies[0].domain, "company-y.example");
	ck_assert_uint_gt(r->nfailures, 0);
	tls_report_free(r);
	r = tls_fixture("tls-mailru.json", "");
	ck_assert_str_eq(r->policies[0].domain, "example.com");
	tls_report_free(r);
	r = tls_fixture("tls-google.eml", "gzip");
	ck_assert_uint_gt(r->npolicies, 0);
	tls_report_free(r);
	tls_report_free(NULL);
}
END_TEST

static void tls_bad(const char *doc, const char *why)
{
	struct tls_report *r = tls_report_parse(doc, strlen(doc));

	ck_assert_ptr_nonnull(r);
	ck_assert_msg(strstr(r->error, why) != NULL, "want '%s', got '%s'", why, r->error);
	tls_report_free(r);
}

#define TLS_HEAD                                                                                   \
	"{\"organization-name\":\"o\",\"report-id\":\"1\",\"date-range\":{\"start-datetime\":"     \
	"\"2024-01-01T00:00:00Z\",\"end-datetime\":\"2024-01-01T23:59:59Z\"},"

/* nested past the limit, counts past 2^53, 2^63 and 2^64,
 * negative, fractions; duplicate keys (json-c keeps the last); not
 * JSON; trailing bytes */
START_TEST(test_r09_tls_hostile)
{
	char deep[256];
	size_t n = 0;
	struct tls_report *r;
	static const char dup[] = TLS_HEAD "\"report-id\":\"2\",\"policies\":[]}";

	for (int i = 0; i < 40; i++) {
		deep[n++] = '[';
	}
	deep[n] = '\0';
	tls_bad(deep, "nested too deep");
	tls_bad(TLS_HEAD "\"policies\":[{\"policy\":{},\"summary\":"
			 "{\"total-failure-session-count\":9007199254740993}}]}",
		"total-failure-session-count 9007199254740993 out of range");
	tls_bad(TLS_HEAD "\"policies\":[{\"policy\":{},\"summary\":"
			 "{\"total-failure-session-count\":18446744073709551616}}]}",
		"out of range");
	tls_bad(TLS_HEAD "\"policies\":[{\"policy\":{},\"summary\":"
			 "{\"total-successful-session-count\":-1}}]}",
		"total-successful-session-count -1 out of range");
	tls_bad(TLS_HEAD "\"policies\":[{\"policy\":{},\"summary\":"
			 "{\"total-successful-session-count\":1.5}}]}",
		"is not a whole number");
	tls_bad("{\"report-id\":\"1\"}", "no date-range");
	tls_bad(TLS_HEAD "\"policies\":[]} trailing", "JSON");
	tls_bad("{\"a\":", "not valid JSON");
	r = tls_report_parse(dup, strlen(dup));
	ck_assert_ptr_nonnull(r);
	ck_assert_str_eq(r->error, "");
	ck_assert_str_eq(r->report_id, "2");
	tls_report_free(r);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("report");

	report_unwrap_init();
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_outlook);
	tcase_add_test(tc, test_rfc9990);
	tcase_add_test(tc, test_quirks);
	tcase_add_test(tc, test_wrappings);
	tcase_add_test(tc, test_r06_real_bad);
	tcase_add_test(tc, test_r01_r02_entities);
	tcase_add_test(tc, test_r05_numbers);
	tcase_add_test(tc, test_r06_structure);
	tcase_add_test(tc, test_r07_mime);
	tcase_add_test(tc, test_tls_real);
	tcase_add_test(tc, test_r09_tls_hostile);
	suite_add_tcase(s, tc);
	return s;
}
