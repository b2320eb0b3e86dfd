/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/dane.c: TLSA records given to a client SSL with
 * dane_ssl_enable(), then a TLS handshake in memory (a BIO pair) with a
 * server presenting chains made here with OpenSSL (a CA and leaves: good,
 * expired, for another name, CN-only, partial wildcard, clientAuth only),
 * and dane_ssl_outcome(): OpenSSL's DANE verdict as the probe gets it.
 */
#include <check.h>

#include "check_main.h"
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "dane.h"

#define HOST "mail.example.com"

static EVP_PKEY *ca_key, *leaf_key;
static X509 *ca, *leaf, *leaf_expired, *leaf_other, *leaf_cn_only, *leaf_partial, *leaf_client;
static SSL_CTX *server_ctx, *client_ctx;

static X509 *make_cert(const char *cn, const char *san, EVP_PKEY *key, X509 *issuer, EVP_PKEY *ikey,
		       long from_days, long to_days, bool is_ca, const char *eku)
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
	if (eku != NULL) {
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_ext_key_usage, eku);
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

/* The probe's verify callback in short: the first error, and go on. */
static int first_error;

static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	if (!ok && first_error == X509_V_OK) {
		first_error = X509_STORE_CTX_get_error(xs);
	}
	return 1;
}

static void setup(void)
{
	ca_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	leaf_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	ck_assert_ptr_nonnull(ca_key);
	ck_assert_ptr_nonnull(leaf_key);
	ca = make_cert("Test CA", NULL, ca_key, NULL, NULL, -1, 3650, true, NULL);
	leaf = make_cert(HOST, "DNS:" HOST, leaf_key, ca, ca_key, -1, 365, false, "serverAuth");
	leaf_expired = make_cert(HOST, "DNS:" HOST, leaf_key, ca, ca_key, -60, -30, false, NULL);
	leaf_other = make_cert("other.example", "DNS:other.example", leaf_key, ca, ca_key, -1, 365,
			       false, NULL);
	leaf_cn_only = make_cert(HOST, NULL, leaf_key, ca, ca_key, -1, 365, false, NULL);
	leaf_partial = make_cert("m*.example.com", "DNS:m*.example.com", leaf_key, ca, ca_key, -1,
				 365, false, NULL);
	leaf_client =
		make_cert(HOST, "DNS:" HOST, leaf_key, ca, ca_key, -1, 365, false, "clientAuth");
	server_ctx = SSL_CTX_new(TLS_server_method());
	client_ctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(server_ctx);
	ck_assert_ptr_nonnull(client_ctx);
	ck_assert_int_gt(SSL_CTX_dane_enable(client_ctx), 0);
	SSL_CTX_set_verify(client_ctx, SSL_VERIFY_PEER, verify_cb);
}

static void teardown(void)
{
	SSL_CTX_free(server_ctx);
	SSL_CTX_free(client_ctx);
	X509_free(ca);
	X509_free(leaf);
	X509_free(leaf_expired);
	X509_free(leaf_other);
	X509_free(leaf_cn_only);
	X509_free(leaf_partial);
	X509_free(leaf_client);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(leaf_key);
}

/*
 * One handshake in memory: the server presents x (and the CA when
 * with_ca), the client has DANE set up by dane_ssl_enable() with base and
 * host. Returns out->result; a handshake that does not complete fails the
 * test (the verify callback lets every certificate through).
 */
static enum dane_result handshake(const struct tlsa_rec *recs, size_t n, X509 *x, bool with_ca,
				  const char *base, const char *host, struct dane_outcome *out)
{
	SSL *srv = SSL_new(server_ctx), *cli = SSL_new(client_ctx);
	BIO *sb = NULL, *cb = NULL;
	int sdone = 0, cdone = 0;

	ck_assert_ptr_nonnull(srv);
	ck_assert_ptr_nonnull(cli);
	ck_assert_int_eq(BIO_new_bio_pair(&sb, 0, &cb, 0), 1);
	SSL_set_bio(srv, sb, sb);
	SSL_set_bio(cli, cb, cb);
	ck_assert_int_eq(SSL_use_certificate(srv, x), 1);
	ck_assert_int_eq(SSL_use_PrivateKey(srv, leaf_key), 1);
	if (with_ca) {
		ck_assert_int_eq(SSL_add1_chain_cert(srv, ca), 1);
	}
	SSL_set_accept_state(srv);
	SSL_set_connect_state(cli);
	SSL_set_tlsext_host_name(cli, host);
	first_error = X509_V_OK;
	ck_assert(dane_ssl_enable(cli, base, host, recs, n, out));
	for (int i = 0; i < 50 && !(sdone && cdone); i++) {
		cdone = cdone || SSL_do_handshake(cli) == 1;
		sdone = sdone || SSL_do_handshake(srv) == 1;
	}
	ck_assert_msg(sdone && cdone, "handshake did not complete");
	if (out->usable > 0) {
		dane_ssl_outcome(cli, recs, n, first_error, out);
	}
	SSL_free(cli);
	SSL_free(srv);
	ERR_clear_error();
	return out->result;
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

enum which {
	W_LEAF,
	W_CA,
	W_JUNK
};
enum chain {
	C_GOOD,
	C_EXPIRED,
	C_OTHER,
	C_LEAF_ONLY,
	C_CN_ONLY,
	C_PARTIAL,
	C_CLIENT
};

struct dane_case {
	const char *name;
	uint8_t usage, selector, mtype;
	enum which of; /* whose data the record carries */
	enum chain chain;
	enum dane_result want;
	size_t depth;
	const char *detail; /* substring of out.detail, or NULL */
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
	/* RFC 6125 6.4.4/7.2, RFC 9525 (T-13): the DANE-TA name check
	 * never uses the CN, never a partial-label wildcard. */
	{"DANE-TA: a CN-only leaf", 2, 0, 1, W_CA, C_CN_ONLY, DANE_NO_MATCH, 0, "hostname"},
	{"DANE-TA: a partial wildcard", 2, 0, 1, W_CA, C_PARTIAL, DANE_NO_MATCH, 0, "hostname"},
	/* Implied (RFC 7672 3.1.2): DANE-TA verifies the leaf for a TLS
	 * server, as OpenSSL and Postfix do; DANE-EE checks nothing else. */
	{"DANE-TA: a clientAuth-only leaf", 2, 0, 1, W_CA, C_CLIENT, DANE_NO_MATCH, 0, "purpose"},
	{"DANE-EE: a clientAuth-only leaf", 3, 1, 1, W_LEAF, C_CLIENT, DANE_MATCH, 0, NULL},
	{"DANE-EE ignores a CN-only leaf's name", 3, 1, 1, W_LEAF, C_CN_ONLY, DANE_MATCH, 0, NULL},
	/* Record data of a wrong length for its digest: OpenSSL cannot use
	 * it (was a usable record that never matched). */
	{"3 1 1 of 31 octets is unusable", 3, 1, 1, W_JUNK, C_GOOD, DANE_NO_USABLE, 0, NULL},
};

START_TEST(test_match)
{
	const struct dane_case *c = &cases[_i];
	unsigned char data[4096];
	struct tlsa_rec rec;
	struct dane_outcome out;
	X509 *x = c->of == W_CA ? ca : leaf;
	X509 *served = c->chain == C_EXPIRED   ? leaf_expired
		       : c->chain == C_OTHER   ? leaf_other
		       : c->chain == C_CN_ONLY ? leaf_cn_only
		       : c->chain == C_PARTIAL ? leaf_partial
		       : c->chain == C_CLIENT  ? leaf_client
					       : leaf;
	enum dane_result got;

	rec.usage = c->usage;
	rec.selector = c->selector;
	rec.mtype = c->mtype;
	if (c->of == W_JUNK) {
		memset(data, 0xab, 32);
		rec.len = strstr(c->name, "31 octets") != NULL ? 31 : 32;
	} else {
		rec.len = assoc(c->of == W_LEAF ? served : x, c->selector > 1 ? 1 : c->selector,
				c->mtype > 2 ? 1 : c->mtype, data, sizeof(data));
	}
	rec.data = data;
	got = handshake(&rec, 1, served, c->chain != C_LEAF_ONLY, HOST, HOST, &out);
	ck_assert_msg(got == c->want, "%s: got %d want %d (%s)", c->name, got, c->want, out.detail);
	if (got == DANE_MATCH) {
		ck_assert_uint_eq(out.depth, c->depth);
		ck_assert_uint_eq(out.matched, 0);
		ck_assert_str_eq(out.detail, "");
	}
	if (c->detail != NULL) {
		ck_assert_msg(strstr(out.detail, c->detail) != NULL, "%s: detail '%s'", c->name,
			      out.detail);
	}
}
END_TEST

/* RFC 7672 3.2.3: the TLSA base domain and the MX host name are both
 * reference identifiers of DANE-TA; a name that is neither is not. */
START_TEST(test_ta_names)
{
	unsigned char data[64];
	struct tlsa_rec rec = {2, 0, 1, data, assoc(ca, 0, 1, data, sizeof(data))};
	struct dane_outcome out;

	ck_assert_int_eq(handshake(&rec, 1, leaf_other, true, "other.example", HOST, &out),
			 DANE_MATCH);
	ck_assert_uint_eq(out.depth, 1);
	ck_assert_int_eq(handshake(&rec, 1, leaf_other, true, HOST, "other.example", &out),
			 DANE_MATCH);
	ck_assert_int_eq(handshake(&rec, 1, leaf_other, true, HOST, "mx.example.net", &out),
			 DANE_NO_MATCH);
	ck_assert_ptr_nonnull(strstr(out.detail, "hostname"));
}
END_TEST

/* No handshake, so no certificate: DANE_NO_CHAIN. */
START_TEST(test_no_chain)
{
	unsigned char data[64];
	struct tlsa_rec rec = {3, 1, 1, data, assoc(leaf, 1, 1, data, sizeof(data))};
	struct dane_outcome out;
	SSL *cli = SSL_new(client_ctx);

	ck_assert_ptr_nonnull(cli);
	ck_assert(dane_ssl_enable(cli, HOST, HOST, &rec, 1, &out));
	ck_assert_uint_eq(out.usable, 1);
	ck_assert_int_eq(out.result, DANE_NONE);
	dane_ssl_outcome(cli, &rec, 1, X509_V_OK, &out);
	ck_assert_int_eq(out.result, DANE_NO_CHAIN);
	SSL_free(cli);
}
END_TEST

/* Several records: an unusable one and a stale one before the match. */
START_TEST(test_rrset)
{
	unsigned char good[64], stale[32], stale64[64];
	struct tlsa_rec recs[3];
	struct dane_outcome out;

	memset(stale, 0x11, sizeof(stale));
	memset(stale64, 0x22, sizeof(stale64));
	recs[0] = (struct tlsa_rec){1, 1, 1, stale, sizeof(stale)};
	recs[1] = (struct tlsa_rec){3, 1, 1, stale, sizeof(stale)};
	recs[2] = (struct tlsa_rec){3, 1, 1, good, assoc(leaf, 1, 1, good, sizeof(good))};
	ck_assert_int_eq(handshake(recs, 3, leaf, true, HOST, HOST, &out), DANE_MATCH);
	ck_assert_uint_eq(out.usable, 2);
	ck_assert_uint_eq(out.matched, 2);
	ck_assert_int_eq(handshake(recs, 2, leaf, true, HOST, HOST, &out), DANE_NO_MATCH);
	ck_assert_str_eq(out.detail, ""); /* nothing matched: no more to say */
	ck_assert_int_eq(handshake(recs, 0, leaf, true, HOST, HOST, &out), DANE_NO_USABLE);
	/* Digest agility (RFC 7671 9), as OpenSSL applies it: with SHA-512
	 * records published, SHA-256 ones are not used. */
	recs[0] = (struct tlsa_rec){3, 1, 2, stale64, sizeof(stale64)};
	ck_assert_int_eq(handshake(recs, 3, leaf, true, HOST, HOST, &out), DANE_NO_MATCH);
}
END_TEST

START_TEST(test_spki_hex)
{
	unsigned char md[64];
	char hex[65], want[65];
	size_t n = assoc(leaf, 1, 1, md, sizeof(md));
	static const uint8_t garbage[] = {1, 2, 3};
	unsigned char *der_leaf = NULL;
	int len_leaf = i2d_X509(leaf, &der_leaf);

	ck_assert_uint_eq(n, 32);
	for (size_t i = 0; i < n; i++) {
		snprintf(want + 2 * i, 3, "%02x", md[i]);
	}
	ck_assert(dane_spki_sha256_hex(der_leaf, len_leaf, hex, sizeof(hex)));
	ck_assert_str_eq(hex, want);
	ck_assert(!dane_spki_sha256_hex(garbage, sizeof(garbage), hex, sizeof(hex)));
	ck_assert(!dane_spki_sha256_hex(der_leaf, len_leaf, hex, 64));
	OPENSSL_free(der_leaf);
	ck_assert_str_eq(dane_usage_str(3), "DANE-EE");
	ck_assert_str_eq(dane_usage_str(2), "DANE-TA");
	ck_assert_str_eq(dane_usage_str(9), "unknown usage");
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dane");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_match, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_ta_names);
	tcase_add_test(tc, test_no_chain);
	tcase_add_test(tc, test_rrset);
	tcase_add_test(tc, test_spki_hex);
	suite_add_tcase(s, tc);
	return s;
}
