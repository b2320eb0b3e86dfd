/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * VMC checks (common/bimi_cert.c) on certificates made here with OpenSSL:
 * a mark-certificate leaf with and without the logotype extension and
 * the BIMI EKU, expired, not yet valid, for another name; chains that
 * verify against a CA file, that do not (issuer not in the store, a bad
 * signature), out of order; PEM data that does not parse, is encrypted,
 * or is 1 MiB (P-05).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "bimi_cert.h"
#include "bounds.h"
#include "check_main.h"

enum {
	LOGO = 1,
	EKU = 2,
	CA = 4
};

static EVP_PKEY *ca_key, *leaf_key, *other_key;
static X509 *ca_cert;
static char ca_path[64];
static struct dname dom;

/* The certificate helpers run in the set-up too, where Check cannot
 * report: they count failures, and every test asserts there were none. */
static int helper_failures;
#define NEED(c)                                                                                    \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			helper_failures++;                                                         \
		}                                                                                  \
	} while (0)

static void add_ext(X509 *x, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *e;

	X509V3_set_ctx(&ctx, issuer, x, NULL, NULL, 0);
	e = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
	NEED(e != NULL);
	if (e != NULL) {
		X509_add_ext(x, e, -1);
	}
	X509_EXTENSION_free(e);
}

/* RFC 3709 id-pe-logotype with an empty LogotypeExtn SEQUENCE: enough
 * for the presence the receivers check first. */
static void add_logotype(X509 *x)
{
	static const unsigned char der[] = {0x30, 0x00};
	ASN1_OBJECT *obj = OBJ_txt2obj("1.3.6.1.5.5.7.1.12", 1);
	ASN1_OCTET_STRING *os = ASN1_OCTET_STRING_new();
	X509_EXTENSION *e;

	NEED(obj != NULL && os != NULL);
	ASN1_OCTET_STRING_set(os, der, sizeof(der));
	e = X509_EXTENSION_create_by_OBJ(NULL, obj, 0, os);
	NEED(e != NULL);
	X509_add_ext(x, e, -1);
	X509_EXTENSION_free(e);
	ASN1_OCTET_STRING_free(os);
	ASN1_OBJECT_free(obj);
}

/* A certificate for key k, signed by signer as issuer (NULL: self-signed),
 * valid from from_days to to_days around now. */
static X509 *make_cert(EVP_PKEY *k, EVP_PKEY *signer, X509 *issuer, const char *cn, long from_days,
		       long to_days, unsigned flags, const char *san)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	static long serial = 1;

	NEED(x != NULL && name != NULL);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
	X509_set_pubkey(x, k);
	if (flags & CA) {
		add_ext(x, issuer != NULL ? issuer : x, NID_basic_constraints, "critical,CA:TRUE");
		add_ext(x, issuer != NULL ? issuer : x, NID_key_usage, "critical,keyCertSign");
	} else {
		add_ext(x, issuer != NULL ? issuer : x, NID_key_usage, "critical,digitalSignature");
	}
	if (flags & EKU) {
		add_ext(x, issuer != NULL ? issuer : x, NID_ext_key_usage, "1.3.6.1.5.5.7.3.31");
	}
	if (flags & LOGO) {
		add_logotype(x);
	}
	if (san != NULL) {
		add_ext(x, issuer != NULL ? issuer : x, NID_subject_alt_name, san);
	}
	NEED(X509_sign(x, signer, EVP_sha256()) > 0);
	return x;
}

/* The PEM of the certificates, in order; caller frees. */
static char *pem_of(X509 *a, X509 *b, size_t *len)
{
	BIO *bio = BIO_new(BIO_s_mem());
	char *p = NULL, *out;
	long n;

	NEED(bio != NULL);
	PEM_write_bio_X509(bio, a);
	if (b != NULL) {
		PEM_write_bio_X509(bio, b);
	}
	n = BIO_get_mem_data(bio, &p);
	out = malloc((size_t)n + 1);
	NEED(out != NULL);
	if (out == NULL) {
		BIO_free(bio);
		return NULL;
	}
	memcpy(out, p, (size_t)n);
	out[n] = '\0';
	*len = (size_t)n;
	BIO_free(bio);
	return out;
}

static const struct finding *has(const struct bimi_cert *c, int code)
{
	return finding_find(&c->findings, code);
}

/* Parse the chain leaf (+ CA) for example.com. */
static struct bimi_cert *parse(X509 *leaf, X509 *ca)
{
	size_t len;
	char *pem = pem_of(leaf, ca, &len);
	struct bimi_cert *c = bimi_cert_parse(pem, len, &dom, NULL, 0);

	free(pem);
	ck_assert_int_eq(helper_failures, 0);
	ck_assert_ptr_nonnull(c);
	return c;
}

START_TEST(test_good_vmc)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Example Brand", -1, 365, LOGO | EKU,
			       "DNS:example.com, DNS:www.example.com");
	struct bimi_cert *c = parse(leaf, ca_cert);

	ck_assert_uint_eq(c->nchain, 2);
	ck_assert(c->has_logotype);
	ck_assert(c->has_bimi_eku);
	ck_assert(c->name_ok);
	ck_assert(c->has_dates);
	ck_assert(c->days_left == 364 || c->days_left == 365);
	ck_assert(!c->expired && !c->not_yet_valid);
	ck_assert_str_eq(c->subject, "CN=Example Brand");
	ck_assert_str_eq(c->issuer, "CN=Test MVA Root");
	ck_assert_str_eq(c->names, "example.com, www.example.com");
	ck_assert_int_eq(finding_list_worst(&c->findings), STATE_OK);
	/* a CA file holding the root: verified */
	bimi_cert_verify(c, ca_path, false);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_OK);
	ck_assert_ptr_nonnull(has(c, BIMI_C_VERIFIED));
	ck_assert_int_eq(finding_list_worst(&c->findings), STATE_OK);
	bimi_cert_free(c);
	X509_free(leaf);
	bimi_cert_free(NULL);
}
END_TEST

/* VMC roots are not in the system store: a finding the plugin can map */
START_TEST(test_untrusted)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Example Brand", -1, 365, LOGO | EKU,
			       "DNS:example.com");
	struct bimi_cert *c = parse(leaf, ca_cert);
	const struct finding *f;

	bimi_cert_verify(c, NULL, true);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_UNTRUSTED);
	f = has(c, BIMI_C_UNTRUSTED);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_WARNING);
	ck_assert(strstr(f->text, "not verified: issuer not in the trust store") != NULL);
	bimi_cert_free(c);
	/* the leaf alone, empty store */
	c = parse(leaf, NULL);
	bimi_cert_verify(c, NULL, false);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_UNTRUSTED);
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

/* signed by another key under the root's name: not an issuer problem */
START_TEST(test_bad_signature)
{
	X509 *leaf = make_cert(leaf_key, other_key, ca_cert, "Example Brand", -1, 365, LOGO | EKU,
			       "DNS:example.com");
	struct bimi_cert *c = parse(leaf, NULL);
	const struct finding *f;

	bimi_cert_verify(c, ca_path, false);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_FAILED);
	f = has(c, BIMI_C_VERIFY);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "signature") != NULL);
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

START_TEST(test_missing_extensions)
{
	X509 *leaf =
		make_cert(leaf_key, ca_key, ca_cert, "Plain TLS", -1, 365, 0, "DNS:example.com");
	struct bimi_cert *c = parse(leaf, ca_cert);

	ck_assert(!c->has_logotype && !c->has_bimi_eku);
	ck_assert_int_eq(has(c, BIMI_C_NO_LOGOTYPE)->state, STATE_CRITICAL);
	ck_assert(strstr(has(c, BIMI_C_NO_LOGOTYPE)->text, "1.3.6.1.5.5.7.1.12") != NULL);
	ck_assert_int_eq(has(c, BIMI_C_NO_EKU)->state, STATE_CRITICAL);
	ck_assert(strstr(has(c, BIMI_C_NO_EKU)->text, "1.3.6.1.5.5.7.3.31") != NULL);
	bimi_cert_free(c);
	X509_free(leaf);
	/* each one alone */
	leaf = make_cert(leaf_key, ca_key, ca_cert, "Logo only", -1, 365, LOGO, "DNS:example.com");
	c = parse(leaf, NULL);
	ck_assert(c->has_logotype && !c->has_bimi_eku);
	ck_assert_ptr_nonnull(has(c, BIMI_C_LOGOTYPE));
	ck_assert_ptr_nonnull(has(c, BIMI_C_NO_EKU));
	bimi_cert_free(c);
	X509_free(leaf);
	leaf = make_cert(leaf_key, ca_key, ca_cert, "EKU only", -1, 365, EKU, "DNS:example.com");
	c = parse(leaf, NULL);
	ck_assert(!c->has_logotype && c->has_bimi_eku);
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

START_TEST(test_dates)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Old", -400, -10, LOGO | EKU,
			       "DNS:example.com");
	struct bimi_cert *c = parse(leaf, NULL);

	ck_assert(c->expired);
	ck_assert(c->days_left <= -9 && c->days_left >= -11);
	ck_assert_int_eq(has(c, BIMI_C_EXPIRED)->state, STATE_CRITICAL);
	ck_assert(strstr(has(c, BIMI_C_EXPIRED)->text, "days ago") != NULL);
	bimi_cert_free(c);
	X509_free(leaf);
	leaf = make_cert(leaf_key, ca_key, ca_cert, "Future", 10, 400, LOGO | EKU,
			 "DNS:example.com");
	c = parse(leaf, NULL);
	ck_assert(c->not_yet_valid && !c->expired);
	ck_assert_int_eq(has(c, BIMI_C_NOT_YET_VALID)->state, STATE_CRITICAL);
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

START_TEST(test_names)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Other", -1, 365, LOGO | EKU,
			       "DNS:example.net, DNS:*.example.com");
	struct bimi_cert *c = parse(leaf, NULL);
	const struct finding *f = has(c, BIMI_C_NAME);
	size_t len;
	char *pem;

	ck_assert(!c->name_ok);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "no subjectAltName DNS name is example.com or "
				  "default._bimi.example.com (it has example.net, *.example.com)"));
	bimi_cert_free(c);
	X509_free(leaf);
	/* the selector-qualified name, any case */
	leaf = make_cert(leaf_key, ca_key, ca_cert, "Sel", -1, 365, LOGO | EKU,
			 "DNS:Brand._BIMI.Example.COM");
	pem = pem_of(leaf, NULL, &len);
	c = bimi_cert_parse(pem, len, &dom, "brand", 0);
	ck_assert(c->name_ok);
	ck_assert(strstr(has(c, BIMI_C_NAME_OK)->text, "brand._bimi.example.com"));
	bimi_cert_free(c);
	c = bimi_cert_parse(pem, len, &dom, NULL, 0);
	ck_assert(!c->name_ok);
	bimi_cert_free(c);
	free(pem);
	X509_free(leaf);
	/* no SAN at all */
	leaf = make_cert(leaf_key, ca_key, ca_cert, "example.com", -1, 365, LOGO | EKU, NULL);
	c = parse(leaf, NULL);
	ck_assert(strstr(has(c, BIMI_C_NAME)->text, "no subjectAltName DNS name"));
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

START_TEST(test_order)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Example Brand", -1, 365, LOGO | EKU,
			       "DNS:example.com");
	struct bimi_cert *c = parse(ca_cert, leaf);

	ck_assert_int_eq(has(c, BIMI_C_ORDER)->state, STATE_WARNING);
	bimi_cert_free(c);
	c = parse(leaf, leaf);
	ck_assert(strstr(has(c, BIMI_C_ORDER)->text, "certificate 1 is not issued by "
						     "certificate 2"));
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

/* P-05: a 1 MiB PEM is refused before any parsing, naming the size */
START_TEST(test_pem_1mib)
{
	size_t n = 1 << 20;
	char *pem = malloc(n);
	struct bimi_cert *c;
	const struct finding *f;

	ck_assert_ptr_nonnull(pem);
	memset(pem, 'A', n);
	memcpy(pem, "-----BEGIN CERTIFICATE-----\n", 28);
	c = bimi_cert_parse(pem, n, &dom, NULL, 0);
	f = has(c, BIMI_C_TOO_LARGE);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(f->state, STATE_CRITICAL);
	ck_assert(strstr(f->text, "1048576 bytes refused") != NULL);
	ck_assert_uint_eq(c->nchain, 0);
	bimi_cert_verify(c, ca_path, false);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_NOT_TRIED);
	bimi_cert_free(c);
	free(pem);
}
END_TEST

START_TEST(test_bad_pem)
{
	static const char *const bad[] = {
		"",
		"not a certificate at all",
		"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: "
		"AES-128-CBC,00000000000000000000000000000000\n\nAAAA\n-----END CERTIFICATE-----\n",
		"-----BEGIN CERTIFICATE-----\n",
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct bimi_cert *c = bimi_cert_parse(bad[i], strlen(bad[i]), &dom, NULL, 0);
		const struct finding *f = has(c, BIMI_C_PARSE);

		ck_assert_msg(f != NULL, "bad PEM %zu", i);
		ck_assert_int_eq(f->state, STATE_CRITICAL);
		ck_assert_uint_eq(c->nchain, 0);
		bimi_cert_free(c);
	}
}
END_TEST

START_TEST(test_store_errors)
{
	X509 *leaf = make_cert(leaf_key, ca_key, ca_cert, "Example Brand", -1, 365, LOGO | EKU,
			       "DNS:example.com");
	struct bimi_cert *c = parse(leaf, NULL);

	bimi_cert_verify(c, "/nonexistent/maildns-ca.pem", false);
	ck_assert_int_eq(c->verify, BIMI_VERIFY_STORE);
	ck_assert_int_eq(has(c, BIMI_C_STORE)->state, STATE_UNKNOWN);
	bimi_cert_free(c);
	X509_free(leaf);
}
END_TEST

static bool cleanup(void)
{
	X509_free(ca_cert);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
	EVP_PKEY_free(other_key);
	return unlink(ca_path) == 0;
}

Suite *unit_suite(void)
{
	Suite *s = suite_create("bimi_cert");
	TCase *tc = tcase_create("vmc");
	size_t len;
	char *pem;
	FILE *f;
	int fd;

	ca_key = EVP_EC_gen("P-256");
	leaf_key = EVP_EC_gen("P-256");
	other_key = EVP_EC_gen("P-256");
	if (ca_key == NULL || leaf_key == NULL || other_key == NULL ||
	    !dname_from_text(&dom, "example.com", 11, DNAME_HOSTNAME, NULL)) {
		return NULL;
	}
	ca_cert = make_cert(ca_key, ca_key, NULL, "Test MVA Root", -30, 3650, CA, NULL);
	pem = pem_of(ca_cert, NULL, &len);
	if (helper_failures != 0 || pem == NULL) {
		free(pem);
		return NULL;
	}
	snprintf(ca_path, sizeof(ca_path), "/tmp/maildns-vmc-ca-XXXXXX");
	fd = mkstemp(ca_path);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL || fwrite(pem, 1, len, f) != len || fclose(f) != 0) {
		free(pem);
		return NULL;
	}
	free(pem);
	unit_cleanup = cleanup;

	tcase_add_test(tc, test_good_vmc);
	tcase_add_test(tc, test_untrusted);
	tcase_add_test(tc, test_bad_signature);
	tcase_add_test(tc, test_missing_extensions);
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_order);
	tcase_add_test(tc, test_pem_1mib);
	tcase_add_test(tc, test_bad_pem);
	tcase_add_test(tc, test_store_errors);
	suite_add_tcase(s, tc);
	return s;
}
