/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/dane.c: TLSA records against chains made here
 * with OpenSSL (a CA and leaves: good, expired, for another name).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "dane.h"

#define HOST "mail.example.com"

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca, *leaf, *leaf_expired, *leaf_other;
static unsigned char *der_ca, *der_leaf, *der_expired, *der_other;
static size_t len_ca, len_leaf, len_expired, len_other;

static X509 *make_cert(const char *cn, const char *san, EVP_PKEY *key, X509 *issuer,
		       EVP_PKEY *ikey, long from_days, long to_days, bool is_ca)
{
	X509 *x = X509_new();
	X509_NAME *name = X509_NAME_new();
	X509V3_CTX v3;
	X509_EXTENSION *ext;
	static long serial = 1;

	ck_assert_ptr_nonnull(x);
	X509_set_version(x, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(x), serial++);
	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_set_subject_name(x, name);
	X509_set_issuer_name(x, issuer != NULL ? X509_get_subject_name(issuer) : name);
	X509_NAME_free(name);
	X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400);
	X509_gmtime_adj(X509_getm_notAfter(x), to_days * 86400);
	X509_set_pubkey(x, key);
	X509V3_set_ctx(&v3, issuer != NULL ? issuer : x, x, NULL, NULL, 0);
	if (is_ca) {
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_key_usage, "critical,keyCertSign");
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (san != NULL) {
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	ck_assert_int_gt(X509_sign(x, ikey != NULL ? ikey : key, EVP_sha256()), 0);
	return x;
}

static size_t der(X509 *x, unsigned char **out)
{
	int n;

	*out = NULL;
	n = i2d_X509(x, out);
	ck_assert_int_gt(n, 0);
	return (size_t)n;
}

static void setup(void)
{
	ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ck_assert_ptr_nonnull(ca_key);
	ck_assert_ptr_nonnull(leaf_key);
	ca = make_cert("Test CA", NULL, ca_key, NULL, NULL, -1, 3650, true);
	leaf = make_cert(HOST, "DNS:" HOST, leaf_key, ca, ca_key, -1, 365, false);
	leaf_expired = make_cert(HOST, "DNS:" HOST, leaf_key, ca, ca_key, -60, -30, false);
	leaf_other = make_cert("other.example", "DNS:other.example", leaf_key, ca, ca_key, -1, 365,
			       false);
	len_ca = der(ca, &der_ca);
	len_leaf = der(leaf, &der_leaf);
	len_expired = der(leaf_expired, &der_expired);
	len_other = der(leaf_other, &der_other);
}

static void teardown(void)
{
	OPENSSL_free(der_ca);
	OPENSSL_free(der_leaf);
	OPENSSL_free(der_expired);
	OPENSSL_free(der_other);
	X509_free(ca);
	X509_free(leaf);
	X509_free(leaf_expired);
	X509_free(leaf_other);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
}

/* The association data of (selector, mtype) for x, into buf. */
static size_t assoc(X509 *x, int selector, int mtype, unsigned char *buf, size_t buflen)
{
	unsigned char *sel = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n = selector == 0 ? i2d_X509(x, &sel) : i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &sel);
	size_t len;

	ck_assert_int_gt(n, 0);
	if (mtype == 0) {
		len = (size_t)n;
		ck_assert_uint_le(len, buflen);
		memcpy(buf, sel, len);
	} else {
		EVP_Digest(sel, (size_t)n, md, &mdlen, mtype == 1 ? EVP_sha256() : EVP_sha512(),
			   NULL);
		len = mdlen;
		memcpy(buf, md, len);
	}
	OPENSSL_free(sel);
	return len;
}

enum which { W_LEAF, W_CA, W_JUNK };
enum chain { C_GOOD, C_EXPIRED, C_OTHER, C_LEAF_ONLY, C_EMPTY, C_GARBAGE };

struct dane_case {
	const char *name;
	uint8_t usage, selector, mtype;
	enum which of;          /* whose data the record carries */
	enum chain chain;
	enum dane_result want;
	size_t depth;
	const char *detail;     /* substring of out.detail, or NULL */
};

static const struct dane_case cases[] = {
	{"3 1 1 matches the leaf", 3, 1, 1, W_LEAF, C_GOOD, DANE_MATCH, 0, NULL},
	{"3 0 1 matches the leaf", 3, 0, 1, W_LEAF, C_GOOD, DANE_MATCH, 0, NULL},
	{"3 1 2 matches the leaf", 3, 1, 2, W_LEAF, C_GOOD, DANE_MATCH, 0, NULL},
	{"3 0 0 matches the leaf", 3, 0, 0, W_LEAF, C_GOOD, DANE_MATCH, 0, NULL},
	{"3 1 0 matches the leaf", 3, 1, 0, W_LEAF, C_GOOD, DANE_MATCH, 0, NULL},
	{"3 1 1 of junk", 3, 1, 1, W_JUNK, C_GOOD, DANE_NO_MATCH, 0, NULL},
	{"3 1 1 of the CA does not match the leaf", 3, 1, 1, W_CA, C_GOOD, DANE_NO_MATCH, 0, NULL},
	{"DANE-EE ignores expiry (RFC 7672 3.1.1)", 3, 1, 1, W_LEAF, C_EXPIRED, DANE_MATCH, 0,
	 NULL},
	{"DANE-EE ignores the name", 3, 1, 1, W_LEAF, C_OTHER, DANE_MATCH, 0, NULL},
	{"2 1 1 of the CA", 2, 1, 1, W_CA, C_GOOD, DANE_MATCH, 1, NULL},
	{"2 0 1 of the CA", 2, 0, 1, W_CA, C_GOOD, DANE_MATCH, 1, NULL},
	{"2 0 2 of the CA", 2, 0, 2, W_CA, C_GOOD, DANE_MATCH, 1, NULL},
	{"DANE-TA checks the name", 2, 1, 1, W_CA, C_OTHER, DANE_NO_MATCH, 0, "hostname"},
	{"DANE-TA checks expiry", 2, 1, 1, W_CA, C_EXPIRED, DANE_NO_MATCH, 0, "expired"},
	{"DANE-TA needs the CA in the chain", 2, 1, 1, W_CA, C_LEAF_ONLY, DANE_NO_MATCH, 0, NULL},
	{"DANE-TA never matches the leaf itself", 2, 1, 1, W_LEAF, C_GOOD, DANE_NO_MATCH, 0, NULL},
	{"PKIX-EE is unusable for SMTP", 1, 1, 1, W_LEAF, C_GOOD, DANE_NO_USABLE, 0, NULL},
	{"PKIX-TA is unusable for SMTP", 0, 1, 1, W_CA, C_GOOD, DANE_NO_USABLE, 0, NULL},
	{"unknown usage 4", 4, 1, 1, W_LEAF, C_GOOD, DANE_NO_USABLE, 0, NULL},
	{"unknown selector 2", 3, 2, 1, W_LEAF, C_GOOD, DANE_NO_USABLE, 0, NULL},
	{"unknown matching type 3", 3, 1, 3, W_LEAF, C_GOOD, DANE_NO_USABLE, 0, NULL},
	{"no chain", 3, 1, 1, W_LEAF, C_EMPTY, DANE_NO_CHAIN, 0, NULL},
	{"chain that does not parse", 3, 1, 1, W_LEAF, C_GARBAGE, DANE_NO_CHAIN, 0, NULL},
};

START_TEST(test_match)
{
	const struct dane_case *c = &cases[_i];
	unsigned char data[4096];
	static const uint8_t garbage[] = {0x30, 0x82, 0xff, 0xff, 0x01};
	const uint8_t *chain[2];
	size_t chain_len[2], nchain = 2;
	struct tlsa_rec rec;
	struct dane_outcome out;
	X509 *x = c->of == W_CA ? ca : leaf;
	enum dane_result got;

	rec.usage = c->usage;
	rec.selector = c->selector;
	rec.mtype = c->mtype;
	if (c->of == W_JUNK) {
		memset(data, 0xab, 32);
		rec.len = 32;
	} else {
		rec.len = assoc(x, c->selector > 1 ? 1 : c->selector, c->mtype > 2 ? 1 : c->mtype,
				data, sizeof(data));
	}
	rec.data = data;
	chain[0] = c->chain == C_EXPIRED ? der_expired : c->chain == C_OTHER ? der_other : der_leaf;
	chain_len[0] = c->chain == C_EXPIRED ? len_expired : c->chain == C_OTHER ? len_other
										 : len_leaf;
	chain[1] = der_ca;
	chain_len[1] = len_ca;
	if (c->chain == C_LEAF_ONLY) {
		nchain = 1;
	} else if (c->chain == C_EMPTY) {
		nchain = 0;
	} else if (c->chain == C_GARBAGE) {
		chain[0] = garbage;
		chain_len[0] = sizeof(garbage);
	}
	got = dane_match(&rec, 1, chain, chain_len, nchain, HOST, &out);
	ck_assert_msg(got == c->want, "%s: got %d want %d (%s)", c->name, got, c->want, out.detail);
	ck_assert_int_eq(out.result, got);
	if (got == DANE_MATCH) {
		ck_assert_uint_eq(out.depth, c->depth);
		ck_assert_uint_eq(out.matched, 0);
	}
	if (c->detail != NULL) {
		ck_assert_msg(strstr(out.detail, c->detail) != NULL, "%s: detail '%s'", c->name,
			      out.detail);
	}
}
END_TEST

/* Several records: an unusable one and a stale one before the match. */
START_TEST(test_rrset)
{
	unsigned char good[64], stale[32];
	struct tlsa_rec recs[3];
	const uint8_t *chain[2] = {der_leaf, der_ca};
	size_t chain_len[2] = {len_leaf, len_ca};
	struct dane_outcome out;

	memset(stale, 0x11, sizeof(stale));
	recs[0] = (struct tlsa_rec){1, 1, 1, stale, sizeof(stale)};
	recs[1] = (struct tlsa_rec){3, 1, 1, stale, sizeof(stale)};
	recs[2] = (struct tlsa_rec){3, 1, 1, good, assoc(leaf, 1, 1, good, sizeof(good))};
	ck_assert_int_eq(dane_match(recs, 3, chain, chain_len, 2, HOST, &out), DANE_MATCH);
	ck_assert_uint_eq(out.usable, 2);
	ck_assert_uint_eq(out.matched, 2);
	ck_assert_int_eq(dane_match(recs, 2, chain, chain_len, 2, HOST, &out), DANE_NO_MATCH);
	ck_assert_int_eq(dane_match(recs, 0, chain, chain_len, 2, HOST, &out), DANE_NO_USABLE);
}
END_TEST

START_TEST(test_spki_hex)
{
	unsigned char md[64];
	char hex[65], want[65];
	size_t n = assoc(leaf, 1, 1, md, sizeof(md));
	static const uint8_t garbage[] = {1, 2, 3};

	ck_assert_uint_eq(n, 32);
	for (size_t i = 0; i < n; i++) {
		snprintf(want + 2 * i, 3, "%02x", md[i]);
	}
	ck_assert(dane_spki_sha256_hex(der_leaf, len_leaf, hex, sizeof(hex)));
	ck_assert_str_eq(hex, want);
	ck_assert(!dane_spki_sha256_hex(garbage, sizeof(garbage), hex, sizeof(hex)));
	ck_assert(!dane_spki_sha256_hex(der_leaf, len_leaf, hex, 64));
	ck_assert_str_eq(dane_usage_str(3), "DANE-EE");
	ck_assert_str_eq(dane_usage_str(2), "DANE-TA");
	ck_assert_str_eq(dane_usage_str(9), "unknown usage");
}
END_TEST

static Suite *dane_suite(void)
{
	Suite *s = suite_create("dane");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_rrset);
	tcase_add_test(tc, test_spki_hex);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(dane_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
