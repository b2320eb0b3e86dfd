/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DKIM key records and keys: table-driven over the K-* rows of
 * doc/hostile-inputs.md that are pure parses. Keys are made in-process with
 * OpenSSL, so every run sees fresh ones.
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/x509.h>

#include "dkim.h"
#include "dkim_findings.h"
#include "dkim_pubkey.h"
#include "dname.h"

/* For set-up code that runs outside a test too (ck_assert cannot). */
#define NEED(c)                                                                                    \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "set-up failed: %s\n", #c);                                \
			exit(99);                                                                  \
		}                                                                                  \
	} while (0)

/* Keys shared by the table: made once in main(). */
static EVP_PKEY *rsa2048, *rsa4096, *ed25519, *ec256;
static char *b64_rsa, *b64_rsa_fws, *b64_pkcs1, *b64_ed, *b64_ec, *b64_ed_spki, *b64_big;

static char *spki_b64(EVP_PKEY *pk)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(pk, &der);
	char *s;

	NEED(n > 0);
	s = dkim_base64_encode(der, (size_t)n);
	OPENSSL_free(der);
	return s;
}

/* PKCS#1 RSAPublicKey (or other "type-specific" encodings) in DER. */
static char *typespecific_b64(EVP_PKEY *pk)
{
	OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(pk, EVP_PKEY_PUBLIC_KEY, "DER",
							     "type-specific", NULL);
	unsigned char *der = NULL;
	size_t len = 0;
	char *s;

	NEED(ec != NULL);
	NEED(OSSL_ENCODER_to_data(ec, &der, &len));
	OSSL_ENCODER_CTX_free(ec);
	s = dkim_base64_encode(der, len);
	OPENSSL_free(der);
	return s;
}

static char *raw_b64(EVP_PKEY *pk, size_t cut_or_add, bool add)
{
	unsigned char raw[40];
	size_t len = sizeof(raw);

	memset(raw, 0x41, sizeof(raw));
	NEED(EVP_PKEY_get_raw_public_key(pk, raw, &len));
	len = add ? len + cut_or_add : len - cut_or_add;
	return dkim_base64_encode(raw, len);
}

/* The base64 with FWS of every kind after every 7 characters (K-02). */
static char *with_fws(const char *b64)
{
	static const char *const ws[] = {" ", "\t", "\r\n ", "  \t"};
	size_t n = strlen(b64), i, o = 0;
	char *s = malloc(n * 2 + 1);

	for (i = 0; i < n; i++) {
		if (i > 0 && i % 7 == 0) {
			const char *w = ws[(i / 7) % 4];
			memcpy(s + o, w, strlen(w));
			o += strlen(w);
		}
		s[o++] = b64[i];
	}
	s[o] = '\0';
	return s;
}

/* Replace {R} {F} {X} {E} {C} {D} {B} in a template with the keys. */
static char *expand(const char *t)
{
	size_t cap = strlen(t) + 1, i;
	char *out;

	for (i = 0; t[i]; i++)
		if (t[i] == '{')
			cap += 70000;
	out = malloc(cap);
	out[0] = '\0';
	for (i = 0; t[i]; i++) {
		const char *sub = NULL;
		if (t[i] == '{' && t[i + 1] && t[i + 2] == '}') {
			switch (t[i + 1]) {
			case 'R':
				sub = b64_rsa;
				break;
			case 'F':
				sub = b64_rsa_fws;
				break;
			case 'X':
				sub = b64_pkcs1;
				break;
			case 'E':
				sub = b64_ed;
				break;
			case 'C':
				sub = b64_ec;
				break;
			case 'D':
				sub = b64_ed_spki;
				break;
			case 'B':
				sub = b64_big;
				break;
			}
		}
		if (sub != NULL) {
			strcat(out, sub);
			i += 2;
		} else {
			size_t l = strlen(out);
			out[l] = t[i];
			out[l + 1] = '\0';
		}
	}
	return out;
}

#define NOCODE (-1)

struct rec_case {
	const char *id;
	const char *tmpl;
	bool is_key;
	enum state worst;
	int code;         /* a finding with this code must exist */
	const char *text; /* ... and hold this text (NULL: any) */
	int bits;         /* -1: not checked */
};

static const struct rec_case rec_cases[] = {
	{"rsa 2048 SPKI", "v=DKIM1; k=rsa; p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"k= defaults to rsa", "p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"ed25519 raw key", "v=DKIM1; k=ed25519; p={E}", true, STATE_OK, NOCODE, NULL, 256},
	{"K-02 FWS inside p=", "v=DKIM1; k=rsa; p={F}", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-02 leading space after p=", "v=DKIM1;p=\r\n {F} ", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-01 character outside the alphabet", "v=DKIM1; p=MIIB#AAA", true, STATE_CRITICAL,
	 DKIM_F_BASE64, "outside the base64 alphabet", -1},
	{"K-01 base64url is not base64", "v=DKIM1; p=MII-_AAA", true, STATE_CRITICAL, DKIM_F_BASE64,
	 "invalid base64 in p=", -1},
	{"K-01 '=' in the middle", "v=DKIM1; p=AB=CDEFG", true, STATE_CRITICAL, DKIM_F_BASE64,
	 "'=' before the end", -1},
	{"K-01 three '='", "v=DKIM1; p=A===", true, STATE_CRITICAL, DKIM_F_BASE64, "more than two",
	 -1},
	{"K-01 bad length abc", "v=DKIM1; p=abc", true, STATE_CRITICAL, DKIM_F_BASE64,
	 "padding missing", -1},
	{"K-01 one leftover character", "v=DKIM1; p=abcde", true, STATE_CRITICAL, DKIM_F_BASE64,
	 "one character left over", -1},
	{"K-01 only padding", "v=DKIM1; p===", true, STATE_CRITICAL, DKIM_F_BASE64, NULL, -1},
	{"K-03 base64 of junk", "v=DKIM1; p=AAAAAAAA", true, STATE_CRITICAL, DKIM_F_DER,
	 "cannot parse public key", -1},
	{"K-04 PKCS#1 RSAPublicKey", "v=DKIM1; k=rsa; p={X}", true, STATE_WARNING, DKIM_F_PKCS1,
	 "PKCS#1", 2048},
	{"K-04 EC key under k=rsa", "v=DKIM1; k=rsa; p={C}", true, STATE_CRITICAL, DKIM_F_WRONG_ALG,
	 "not RSA", -1},
	{"K-04 Ed25519 SPKI under k=rsa", "v=DKIM1; p={D}", true, STATE_CRITICAL, DKIM_F_WRONG_ALG,
	 "ED25519", -1},
	{"K-06 k=dsa", "v=DKIM1; k=dsa; p={R}", true, STATE_CRITICAL, DKIM_F_KTYPE,
	 "unsupported key type dsa", -1},
	{"K-06 k=ed448", "v=DKIM1; k=ed448; p={E}", true, STATE_CRITICAL, DKIM_F_KTYPE,
	 "unsupported key type ed448", -1},
	{"K-06 k= empty", "v=DKIM1; k=; p={R}", true, STATE_CRITICAL, DKIM_F_KTYPE, "empty k=", -1},
	{"K-06 k=RSA upper case", "v=DKIM1; k=RSA; p={R}", true, STATE_WARNING, DKIM_F_KTYPE_CASE,
	 "not lower case", 2048},
	{"K-06 k=rsa with 32 raw bytes", "v=DKIM1; k=rsa; p={E}", true, STATE_CRITICAL, DKIM_F_DER,
	 "k=ed25519 missing", -1},
	{"K-06 k=ed25519 with an SPKI", "v=DKIM1; k=ed25519; p={D}", true, STATE_CRITICAL,
	 DKIM_F_ED25519_LEN, "SPKI", -1},
	{"K-06 k=ed25519 with an RSA key", "v=DKIM1; k=ed25519; p={R}", true, STATE_CRITICAL,
	 DKIM_F_ED25519_LEN, "must be 32 bytes", -1},
	{"K-07 duplicate p", "v=DKIM1; p={R}; p={R}", true, STATE_CRITICAL, DKIM_F_SYNTAX,
	 "duplicate tag p", -1},
	{"K-07 glued records (rspamd#2999)", "v=DKIM1; k=ed25519;p={E}v=DKIM1; k=ed25519; p={E}",
	 true, STATE_CRITICAL, DKIM_F_SYNTAX, "duplicate tag k", -1},
	{"K-08 revoked", "v=DKIM1; k=rsa; p=", true, STATE_CRITICAL, DKIM_F_REVOKED,
	 "key revoked (empty p=)", -1},
	{"K-08 revoked, spaces", "v=DKIM1; p= \t ;", true, STATE_CRITICAL, DKIM_F_REVOKED,
	 "key revoked", -1},
	{"K-09 missing p", "v=DKIM1; k=rsa", true, STATE_CRITICAL, DKIM_F_NO_P, "no p= tag", -1},
	{"K-09 v=DKIM2", "v=DKIM2; p={R}", false, STATE_CRITICAL, DKIM_F_NOT_KEY, "v=DKIM2", -1},
	{"K-09 v=dkim1 lower case", "v=dkim1; p={R}", false, STATE_CRITICAL, DKIM_F_NOT_KEY, NULL,
	 -1},
	{"K-09 v= not first", "k=rsa; v=DKIM1; p={R}", true, STATE_CRITICAL, DKIM_F_VERSION,
	 "not the first tag", -1},
	{"K-09 tag without '='", "v=DKIM1; foo; p={R}", true, STATE_CRITICAL, DKIM_F_SYNTAX, "foo",
	 -1},
	{"K-09 unknown tags ignored", "v=DKIM1; x=1; g=*; zz_9=a b; p={R}", true, STATE_OK,
	 DKIM_F_UNKNOWN_TAG,
	 "3 unknown tags ignored: x, g, "
	 "zz_9",
	 2048},
	{"K-09 notes ignored", "v=DKIM1; n=hello world; p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-09 h=sha1 only", "v=DKIM1; h=sha1; p={R}", true, STATE_CRITICAL, DKIM_F_HASH,
	 "RFC 8301", -1},
	{"K-09 h=sha1:sha256", "v=DKIM1; h=sha1 : sha256; p={R}", true, STATE_OK, NOCODE, NULL,
	 2048},
	{"K-09 h=sha256", "v=DKIM1; h=sha256; p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-09 h=md5", "v=DKIM1; h=md5; p={R}", true, STATE_CRITICAL, DKIM_F_HASH,
	 "no supported hash", -1},
	{"K-09 s=email", "v=DKIM1; s=email; p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-09 s=*", "v=DKIM1; s=*; p={R}", true, STATE_OK, NOCODE, NULL, 2048},
	{"K-09 s=foo", "v=DKIM1; s=foo; p={R}", true, STATE_CRITICAL, DKIM_F_SERVICE,
	 "verifiers must ignore", -1},
	{"K-09 s=foo:email", "v=DKIM1; s=foo:email; p={R}", true, STATE_OK, NOCODE, NULL, -1},
	{"K-09 t=y", "v=DKIM1; t=y; p={R}", true, STATE_WARNING, DKIM_F_TESTING, "testing mode",
	 2048},
	{"K-09 t=s shown", "v=DKIM1; t=s; p={R}", true, STATE_OK, DKIM_F_STRICT, "t=s", 2048},
	{"K-09 t=y:s", "v=DKIM1; t=y:s; p={R}", true, STATE_WARNING, DKIM_F_STRICT, NULL, -1},
	{"K-09 t=Y is no flag", "v=DKIM1; t=Y; p={R}", true, STATE_OK, NOCODE, NULL, -1},
	{"K-12 not a key record", "e.washingtonpost.com.sailthrudkim.com", false, STATE_CRITICAL,
	 DKIM_F_NOT_KEY, "not a DKIM key record", -1},
	{"K-12 SPF record at the selector", "v=spf1 -all", false, STATE_CRITICAL, DKIM_F_NOT_KEY,
	 "not a DKIM key record", -1},
	{"K-12 empty TXT", "", false, STATE_CRITICAL, DKIM_F_NOT_KEY, "empty TXT", -1},
	{"K-14 60 KB of base64 junk", "v=DKIM1; p={B}", true, STATE_CRITICAL, DKIM_F_TOO_LARGE,
	 "key data too large (45000 bytes", -1},
};

START_TEST(test_records)
{
	const struct rec_case *tc = &rec_cases[_i];
	char *rec = expand(tc->tmpl);
	struct dkim_key *k = dkim_key_parse(rec, strlen(rec));
	bool found = tc->code == NOCODE;
	size_t i;

	ck_assert_ptr_nonnull(k);
	for (i = 0; i < k->findings.n; i++)
		if ((int)k->findings.v[i].code == tc->code &&
		    (tc->text == NULL || strstr(k->findings.v[i].text, tc->text) != NULL))
			found = true;
	ck_assert_msg(k->is_key == tc->is_key, "%s: is_key %d", tc->id, k->is_key);
	ck_assert_msg(finding_list_worst(&k->findings) == tc->worst,
		      "%s: state %s, "
		      "first finding '%s'",
		      tc->id, state_name(finding_list_worst(&k->findings)),
		      k->findings.n ? k->findings.v[0].text : "");
	ck_assert_msg(found, "%s: no finding %d '%s'; first is '%s'", tc->id, tc->code,
		      tc->text ? tc->text : "", k->findings.n ? k->findings.v[0].text : "");
	if (tc->bits >= 0)
		ck_assert_msg(k->bits == tc->bits, "%s: %d bits", tc->id, k->bits);
	if (tc->worst == STATE_OK)
		ck_assert_ptr_nonnull(k->pub);
	dkim_key_free(k);
	free(rec);
}
END_TEST

/* Unknown tags are for -v only. */
START_TEST(test_unknown_verbose)
{
	const char rec[] = "v=DKIM1; foo=bar; p=";
	struct dkim_key *k = dkim_key_parse(rec, sizeof(rec) - 1);

	ck_assert_uint_ge(k->findings.n, 2);
	ck_assert_int_eq(k->findings.v[0].code, DKIM_F_UNKNOWN_TAG);
	ck_assert_int_eq(k->findings.v[0].verbose, 1);
	dkim_key_free(k);
}
END_TEST

/* N-TXT-04: NUL and 8-bit bytes in the record never pass. */
START_TEST(test_nul)
{
	const char rec[] = "v=DKIM1; p=MIIB\0AAAA";
	struct dkim_key *k = dkim_key_parse(rec, sizeof(rec) - 1);

	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_CRITICAL);
	ck_assert_int_eq(k->findings.v[0].code, DKIM_F_SYNTAX);
	ck_assert_ptr_null(k->pub);
	dkim_key_free(k);
}
END_TEST

/* implied: a full list keeps its first findings and the worst state
 * (finding_add_bounded()); what is left out is counted in dropped, the
 * worst of it in dropped_worst, for plugin_findings()' "N more" line. */
START_TEST(test_findings_bound)
{
	struct dkim_key *k = dkim_key_parse("v=DKIM1; p=", 11);

	ck_assert_ptr_nonnull(k);
	finding_list_clear(&k->findings);
	for (int i = 0; i < DKIM_MAX_FINDINGS + 4; i++)
		dkim_finding_add(k, DKIM_F_UNKNOWN_TAG, STATE_OK, 0, "ok %d", i);
	ck_assert_uint_eq(k->findings.n, DKIM_MAX_FINDINGS);
	ck_assert_str_eq(k->findings.v[DKIM_MAX_FINDINGS - 1].text, "ok 23");
	ck_assert_uint_eq(k->findings.dropped, 4);
	ck_assert_int_eq(k->findings.dropped_worst, STATE_OK);
	dkim_finding_add(k, DKIM_F_TESTING, STATE_WARNING, 0, "warning");
	dkim_finding_add(k, DKIM_F_STRICT, STATE_WARNING, 0, "another warning");
	ck_assert_uint_eq(k->findings.n, DKIM_MAX_FINDINGS);
	ck_assert_str_eq(k->findings.v[DKIM_MAX_FINDINGS - 1].text, "warning");
	/* "ok 23" gave its place, "another warning" was left out */
	ck_assert_uint_eq(k->findings.dropped, 6);
	ck_assert_int_eq(k->findings.dropped_worst, STATE_WARNING);
	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_WARNING);
	dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0, "critical");
	ck_assert_str_eq(k->findings.v[DKIM_MAX_FINDINGS - 1].text, "critical");
	ck_assert_int_eq(k->findings.v[DKIM_MAX_FINDINGS - 1].code, DKIM_F_DER);
	ck_assert_str_eq(k->findings.v[0].text, "ok 0");
	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_CRITICAL);
	ck_assert_uint_eq(k->findings.dropped, 7);
	ck_assert_int_eq(k->findings.dropped_worst, STATE_WARNING);
	/* a -v finding never displaces and gives dropped_worst no state */
	dkim_finding_add(k, DKIM_F_EXPONENT, STATE_CRITICAL, 1, "critical -v");
	ck_assert_str_eq(k->findings.v[DKIM_MAX_FINDINGS - 1].text, "critical");
	ck_assert_uint_eq(k->findings.dropped, 8);
	ck_assert_int_eq(k->findings.dropped_worst, STATE_WARNING);
	dkim_key_free(k);
}
END_TEST

struct b64_case {
	const char *in;
	enum b64_status st;
	const char *out; /* expected bytes, NUL-free */
	size_t size;
};

static const struct b64_case b64_cases[] = {
	{"", B64_OK, "", 0},
	{" \t\r\n", B64_OK, "", 0},
	{"TWFu", B64_OK, "Man", 3},
	{"TWE=", B64_OK, "Ma", 2},
	{"TQ==", B64_OK, "M", 1},
	{"T Q = =", B64_OK, "M", 1},
	{"TW\r\n Fu\tTW E=", B64_OK, "ManMa", 5},
	{"TQ", B64_INVALID, NULL, 0},
	{"TWF", B64_INVALID, NULL, 0},
	{"T", B64_INVALID, NULL, 0},
	{"TWFuT", B64_INVALID, NULL, 0},
	{"TW=u", B64_INVALID, NULL, 0},
	{"=TWF", B64_INVALID, NULL, 0},
	{"TQ==TWFu", B64_INVALID, NULL, 0},
	{"T===", B64_INVALID, NULL, 0},
	{"TW-u", B64_INVALID, NULL, 0},
	{"TW_u", B64_INVALID, NULL, 0},
	{"TW.u", B64_INVALID, NULL, 0},
	{"TWFu;", B64_INVALID, NULL, 0},
	{"TWFuTWFu", B64_TOO_LARGE, NULL, 6}, /* max is 5 below */
};

START_TEST(test_base64)
{
	const struct b64_case *tc = &b64_cases[_i];
	uint8_t *out = NULL;
	size_t size = 99, pos;
	const char *why;
	enum b64_status st;

	st = dkim_base64_decode(tc->in, strlen(tc->in), 5, &out, &size, &why, &pos);
	ck_assert_msg(st == tc->st, "'%s': status %d", tc->in, st);
	if (st == B64_INVALID)
		ck_assert_ptr_nonnull(why);
	else
		ck_assert_uint_eq(size, tc->size);
	if (tc->out != NULL && tc->size > 0)
		ck_assert(memcmp(out, tc->out, tc->size) == 0);
	if (st != B64_OK || tc->size == 0)
		ck_assert_ptr_null(out);
	free(out);
}
END_TEST

/* Round trip of every length 0..64 through our encoder and decoder. */
START_TEST(test_base64_roundtrip)
{
	uint8_t data[64], *out;
	size_t n, size, pos;
	const char *why;

	for (n = 0; n < sizeof(data); n++)
		data[n] = (uint8_t)(n * 37 + 11);
	for (n = 0; n <= sizeof(data); n++) {
		char *s = dkim_base64_encode(data, n);
		ck_assert_int_eq(dkim_base64_decode(s, strlen(s), 1000, &out, &size, &why, &pos),
				 B64_OK);
		ck_assert_uint_eq(size, n);
		ck_assert(n == 0 || memcmp(out, data, n) == 0);
		free(out);
		free(s);
	}
}
END_TEST

static struct dkim_key *parse_b64(const char *kt, const char *b64)
{
	size_t n = strlen(b64) + 64;
	char *rec = malloc(n);
	struct dkim_key *k;

	snprintf(rec, n, "v=DKIM1; k=%s; p=%s", kt, b64);
	k = dkim_key_parse(rec, strlen(rec));
	free(rec);
	return k;
}

static bool has_code(const struct dkim_key *k, enum dkim_code c)
{
	return finding_find(&k->findings, (int)c) != NULL;
}

/* K-05: the sizes the plugin judges; the parser only measures. */
START_TEST(test_rsa_sizes)
{
	static const int sizes[] = {512, 1024, 4096};
	size_t i;

	for (i = 0; i < 3; i++) {
		EVP_PKEY *pk = sizes[i] == 4096 ? rsa4096 : EVP_RSA_gen((unsigned)sizes[i]);
		char *b = spki_b64(pk);
		struct dkim_key *k = parse_b64("rsa", b);

		ck_assert_int_eq(k->bits, sizes[i]);
		ck_assert_int_eq(finding_list_worst(&k->findings), STATE_OK);
		dkim_key_free(k);
		free(b);
		if (pk != rsa4096)
			EVP_PKEY_free(pk);
	}
}
END_TEST

/* An RSA public key from n and e, unchecked, for hostile shapes. */
static EVP_PKEY *rsa_from(const BIGNUM *n, const BIGNUM *e)
{
	OSSL_PARAM_BLD *b = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pk = NULL;

	ck_assert(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_N, n));
	ck_assert(OSSL_PARAM_BLD_push_BN(b, OSSL_PKEY_PARAM_RSA_E, e));
	params = OSSL_PARAM_BLD_to_param(b);
	ck_assert(EVP_PKEY_fromdata_init(ctx) == 1);
	ck_assert(EVP_PKEY_fromdata(ctx, &pk, EVP_PKEY_PUBLIC_KEY, params) == 1);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(b);
	EVP_PKEY_CTX_free(ctx);
	return pk;
}

static struct dkim_key *parse_ne(const BIGNUM *n, const BIGNUM *e)
{
	EVP_PKEY *pk = rsa_from(n, e);
	char *b = spki_b64(pk);
	struct dkim_key *k = parse_b64("rsa", b);

	free(b);
	EVP_PKEY_free(pk);
	return k;
}

struct exp_case {
	const char *id;
	const char *e; /* decimal or hex with 0x */
	bool big;      /* 4096-bit modulus, else 2048 */
	bool bad;
};

static const struct exp_case exp_cases[] = {
	{"K-05 exponent 65537", "65537", false, false},
	{"K-05 exponent 3 accepted", "3", false, false},
	{"K-05 exponent 1", "1", false, true},
	{"K-05 exponent 2", "2", false, true},
	{"K-05 exponent even", "65536", true, true},
	{"K-05 exponent 2^64+1, 2048-bit modulus", "0x10000000000000001", false, false},
	{"K-05 exponent 2^64+1, 4096-bit modulus", "0x10000000000000001", true, true},
	{"K-05 exponent 2^64-1, 4096-bit modulus", "0xFFFFFFFFFFFFFFFF", true, false},
};

START_TEST(test_exponent)
{
	const struct exp_case *tc = &exp_cases[_i];
	BIGNUM *n = NULL, *e = NULL;
	struct dkim_key *k;

	ck_assert(EVP_PKEY_get_bn_param(tc->big ? rsa4096 : rsa2048, OSSL_PKEY_PARAM_RSA_N, &n));
	if (strncmp(tc->e, "0x", 2) == 0)
		ck_assert(BN_hex2bn(&e, tc->e + 2));
	else
		ck_assert(BN_dec2bn(&e, tc->e));
	k = parse_ne(n, e);
	ck_assert_msg(has_code(k, DKIM_F_EXPONENT) == tc->bad, "%s: %s", tc->id,
		      k->findings.n ? k->findings.v[0].text : "no finding");
	ck_assert_int_eq(finding_list_worst(&k->findings), tc->bad ? STATE_CRITICAL : STATE_OK);
	dkim_key_free(k);
	BN_free(n);
	BN_free(e);
}
END_TEST

/* K-05: exponent equal to the modulus; an even modulus. */
START_TEST(test_exponent_modulus)
{
	BIGNUM *n = NULL, *e = NULL;
	struct dkim_key *k;

	ck_assert(EVP_PKEY_get_bn_param(rsa2048, OSSL_PKEY_PARAM_RSA_N, &n));
	k = parse_ne(n, n);
	ck_assert(has_code(k, DKIM_F_EXPONENT));
	dkim_key_free(k);
	ck_assert(BN_dec2bn(&e, "65537"));
	ck_assert(BN_clear_bit(n, 0));
	k = parse_ne(n, e);
	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_CRITICAL);
	dkim_key_free(k);
	BN_free(n);
	BN_free(e);
}
END_TEST

/* K-05: 16385 and 20000 bits refused; the check needs no RSA operation. */
START_TEST(test_rsa_too_big)
{
	static const int sizes[] = {16385, 20000};
	BIGNUM *n = BN_new(), *e = NULL;
	size_t i;

	ck_assert(BN_dec2bn(&e, "65537"));
	for (i = 0; i < 2; i++) {
		struct dkim_key *k;

		ck_assert(BN_rand(n, sizes[i], BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ODD));
		k = parse_ne(n, e);
		ck_assert_int_eq(k->bits, sizes[i]);
		ck_assert(has_code(k, DKIM_F_RSA_TOO_BIG));
		ck_assert_int_eq(finding_list_worst(&k->findings), STATE_CRITICAL);
		dkim_key_free(k);
	}
	BN_free(n);
	BN_free(e);
}
END_TEST

/* K-05: the committed 16384-bit key is measured, not refused. */
START_TEST(test_rsa_16384_fixture)
{
	const char *top = getenv("top_srcdir");
	char path[4096], b64[4096];
	FILE *f;
	size_t n;
	struct dkim_key *k;

	snprintf(path, sizeof(path), "%s/tests/fixtures/dkim/rsa16384.spki.b64", top ? top : ".");
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "cannot open %s", path);
	n = fread(b64, 1, sizeof(b64) - 1, f);
	fclose(f);
	b64[n] = '\0';
	k = parse_b64("rsa", b64);
	ck_assert_int_eq(k->bits, 16384);
	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_OK);
	dkim_key_free(k);
}
END_TEST

/* K-03: a 2048-bit SPKI cut at every offset never parses. */
START_TEST(test_truncated_der)
{
	unsigned char *der = NULL;
	int n = i2d_PUBKEY(rsa2048, &der), cut;

	for (cut = 1; cut < n; cut++) {
		struct dkim_key k;
		memset(&k, 0, sizeof(k));
		k.ktype = DKIM_K_RSA;
		dkim_key_decode(&k, der, (size_t)cut);
		ck_assert_msg(k.pub == NULL && has_code(&k, DKIM_F_DER),
			      "K-03 cut at %d of %d parsed", cut, n);
		finding_list_clear(&k.findings); /* the key's findings are heap */
	}
	/* and with one trailing byte */
	{
		unsigned char *more = malloc((size_t)n + 1);
		struct dkim_key k;
		memcpy(more, der, (size_t)n);
		more[n] = 0;
		memset(&k, 0, sizeof(k));
		k.ktype = DKIM_K_RSA;
		dkim_key_decode(&k, more, (size_t)n + 1);
		ck_assert_ptr_null(k.pub);
		ck_assert(has_code(&k, DKIM_F_DER));
		finding_list_clear(&k.findings);
		free(more);
	}
	OPENSSL_free(der);
}
END_TEST

/* K-06: ed25519 keys of 31 and 33 bytes. */
START_TEST(test_ed25519_len)
{
	char *b31 = raw_b64(ed25519, 1, false), *b33 = raw_b64(ed25519, 1, true);
	struct dkim_key *k;

	k = parse_b64("ed25519", b31);
	ck_assert(has_code(k, DKIM_F_ED25519_LEN));
	ck_assert_ptr_nonnull(strstr(k->findings.v[0].text, "holds 31"));
	dkim_key_free(k);
	k = parse_b64("ed25519", b33);
	ck_assert(has_code(k, DKIM_F_ED25519_LEN));
	dkim_key_free(k);
	free(b31);
	free(b33);
}
END_TEST

/* K-13: the selector check check_dkim makes before any query
 * (dname_from_text with DNAME_HOSTNAME, label by label, and at least
 * one label: "." would ask _domainkey.DOMAIN itself). */
static const struct {
	const char *sel;
	size_t len;
	bool ok;
} sel_cases[] = {
	{"default", 7, true},
	{"2024-01", 7, true},
	{"s1.rotation", 11, true},
	{"_x", 2, true},
	{"a b", 3, false},
	{"a(b", 3, false},
	{"a)b", 3, false},
	{"a\001b", 3, false},
	{"a\nb", 3, false},
	{"a;b", 3, false},
	{"a@b", 3, false},
	{"a/b", 3, false},
	{"a\\046b", 6, false},
	{"a\0b", 3, false},
	{"a..b", 4, false},
	{"", 0, false},
	{".", 1, false},
	{"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64, false},
};

START_TEST(test_selector_k13)
{
	struct dname d;
	const char *why = NULL;

	bool ok = dname_from_text(&d, sel_cases[_i].sel, sel_cases[_i].len, DNAME_HOSTNAME, &why) &&
		  dname_labels(&d) > 0;

	ck_assert_msg(ok == sel_cases[_i].ok, "K-13 selector %d", _i);
}
END_TEST

/* ---- private keys ---- */

static char tmpdir[] = "/tmp/test_dkim.XXXXXX";

/* Write pk to a file in the given encoding; returns a static path. */
static const char *write_key(const char *name, EVP_PKEY *pk, const char *type,
			     const char *structure, const char *cipher)
{
	static char path[256];
	OSSL_ENCODER_CTX *ec;
	unsigned char *data = NULL;
	size_t len = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	ec = OSSL_ENCODER_CTX_new_for_pkey(pk, EVP_PKEY_KEYPAIR, type, structure, NULL);
	ck_assert_ptr_nonnull(ec);
	if (cipher != NULL) {
		ck_assert(OSSL_ENCODER_CTX_set_cipher(ec, cipher, NULL));
		ck_assert(OSSL_ENCODER_CTX_set_passphrase(ec, (const unsigned char *)"secret", 6));
	}
	ck_assert(OSSL_ENCODER_to_data(ec, &data, &len));
	OSSL_ENCODER_CTX_free(ec);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(data, 1, len, f), len);
	fclose(f);
	chmod(path, 0600);
	OPENSSL_free(data);
	return path;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

struct priv_case {
	const char *id;
	int key; /* 0 rsa2048, 1 ed25519, 2 ec */
	const char *type, *structure;
	bool encrypted;
};

static const struct priv_case priv_cases[] = {
	{"RSA PKCS#1 PEM", 0, "PEM", "type-specific", false},
	{"RSA PKCS#8 PEM", 0, "PEM", "PrivateKeyInfo", false},
	{"RSA PKCS#8 DER", 0, "DER", "PrivateKeyInfo", false},
	{"Ed25519 PKCS#8 PEM", 1, "PEM", "PrivateKeyInfo", false},
};

/* -k in each format: loads, matches its own record, not another's, and
 * the record derived for it parses back to the same key. */
START_TEST(test_privkey_formats)
{
	const struct priv_case *tc = &priv_cases[_i];
	EVP_PKEY *pk = tc->key == 0 ? rsa2048 : ed25519;
	const char *path = write_key("k.key", pk, tc->type, tc->structure, NULL);
	char err[256], *rec;
	struct dkim_privkey *priv = dkim_privkey_load(path, err, sizeof(err));
	struct dkim_key *own, *other;

	ck_assert_msg(priv != NULL, "%s: %s", tc->id, err);
	ck_assert_int_eq(priv->ktype, tc->key == 0 ? DKIM_K_RSA : DKIM_K_ED25519);
	ck_assert_uint_eq(priv->mode, 0600);
	rec = dkim_record_for(priv);
	ck_assert_ptr_nonnull(rec);
	ck_assert_msg(strncmp(rec, tc->key == 0 ? "v=DKIM1; k=rsa; p=" : "v=DKIM1; k=ed25519; p=",
			      18) == 0,
		      "%s: %s", tc->id, rec);
	own = dkim_key_parse(rec, strlen(rec));
	ck_assert_int_eq(finding_list_worst(&own->findings), STATE_OK);
	ck_assert(dkim_key_matches(own, priv));
	/* the same as what was published from the public half */
	ck_assert_str_eq(strstr(rec, "p=") + 2, tc->key == 0 ? b64_rsa : b64_ed);
	other = parse_b64(tc->key == 0 ? "rsa" : "ed25519", tc->key == 0 ? b64_big : b64_rsa);
	ck_assert(!dkim_key_matches(other, priv));
	dkim_key_free(other);
	/* a key of the other type never matches */
	other = tc->key == 0 ? parse_b64("ed25519", b64_ed) : parse_b64("rsa", b64_rsa);
	ck_assert(!dkim_key_matches(other, priv));
	dkim_key_free(other);
	dkim_key_free(own);
	free(rec);
	dkim_privkey_free(priv);
}
END_TEST

/* A matching PKCS#1-published key matches its private key too. */
START_TEST(test_privkey_pkcs1_published)
{
	const char *path = write_key("p1.key", rsa2048, "PEM", "type-specific", NULL);
	char err[256];
	struct dkim_privkey *priv = dkim_privkey_load(path, err, sizeof(err));
	struct dkim_key *k = parse_b64("rsa", b64_pkcs1);

	ck_assert_ptr_nonnull(priv);
	ck_assert(k->pkcs1);
	ck_assert(dkim_key_matches(k, priv));
	/* ... and the fix record is the SPKI form */
	{
		char *rec = dkim_record_for(priv);
		ck_assert_str_eq(strstr(rec, "p=") + 2, b64_rsa);
		free(rec);
	}
	dkim_key_free(k);
	dkim_privkey_free(priv);
}
END_TEST

START_TEST(test_privkey_bad)
{
	char err[256], path[300];
	const char *p;

	ck_assert_ptr_null(dkim_privkey_load("/nonexistent/key.pem", err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot open"));

	ck_assert_ptr_null(dkim_privkey_load(tmpdir, err, sizeof(err)));
	ck_assert_str_eq(err, "not a regular file");

	/* Review finding 10: a FIFO with no writer is refused at once; a
	 * blocking open() waited for a writer (here: the Check timeout). */
	snprintf(path, sizeof(path), "%s/fifo.pem", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_ptr_null(dkim_privkey_load(path, err, sizeof(err)));
	ck_assert_str_eq(err, "not a regular file");
	unlink(path);

	snprintf(path, sizeof(path), "%s/garbage", tmpdir);
	write_text(path, "this is not a key\n");
	ck_assert_ptr_null(dkim_privkey_load(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "no private key"));

	snprintf(path, sizeof(path), "%s/empty", tmpdir);
	write_text(path, "");
	ck_assert_ptr_null(dkim_privkey_load(path, err, sizeof(err)));

	/* a public key is not a private key */
	snprintf(path, sizeof(path), "%s/pub.pem", tmpdir);
	{
		OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(
			rsa2048, EVP_PKEY_PUBLIC_KEY, "PEM", "SubjectPublicKeyInfo", NULL);
		unsigned char *data = NULL;
		size_t len = 0;
		FILE *f;
		ck_assert(OSSL_ENCODER_to_data(ec, &data, &len));
		f = fopen(path, "wb");
		fwrite(data, 1, len, f);
		fclose(f);
		OPENSSL_free(data);
		OSSL_ENCODER_CTX_free(ec);
	}
	ck_assert_ptr_null(dkim_privkey_load(path, err, sizeof(err)));

	/* encrypted: refused without prompting */
	p = write_key("enc.pem", rsa2048, "PEM", "EncryptedPrivateKeyInfo", "AES-256-CBC");
	ck_assert_ptr_null(dkim_privkey_load(p, err, sizeof(err)));
	ck_assert_msg(strstr(err, "encrypted") != NULL, "%s", err);

	/* an EC key cannot sign DKIM */
	p = write_key("ec.pem", ec256, "PEM", "PrivateKeyInfo", NULL);
	ck_assert_ptr_null(dkim_privkey_load(p, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "unsupported key type"));

	/* too large to be a key file */
	snprintf(path, sizeof(path), "%s/huge", tmpdir);
	{
		FILE *f = fopen(path, "w");
		size_t i;
		for (i = 0; i < LIMIT_DKIM_PRIVKEY_FILE / 10 + 10; i++)
			fputs("0123456789", f);
		fclose(f);
	}
	ck_assert_ptr_null(dkim_privkey_load(path, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "larger than"));
}
END_TEST

/* implied: the key file's permission bits, of the file a symlink leads
 * to, reach the plugin (which warns on group or other access). */
START_TEST(test_privkey_world_readable)
{
	const char *path = write_key("wr.key", ed25519, "PEM", "PrivateKeyInfo", NULL);
	char err[256], link[512];
	struct dkim_privkey *priv;

	chmod(path, 0644);
	priv = dkim_privkey_load(path, err, sizeof(err));
	ck_assert_ptr_nonnull(priv);
	ck_assert_uint_eq(priv->mode, 0644);
	dkim_privkey_free(priv);
	chmod(path, 0640);
	priv = dkim_privkey_load(path, err, sizeof(err));
	ck_assert_ptr_nonnull(priv);
	ck_assert_uint_eq(priv->mode, 0640);
	dkim_privkey_free(priv);
	chmod(path, 0600);
	snprintf(link, sizeof(link), "%s.link", path);
	unlink(link);
	ck_assert_int_eq(symlink(path, link), 0);
	priv = dkim_privkey_load(link, err, sizeof(err));
	ck_assert_ptr_nonnull(priv);
	ck_assert_uint_eq(priv->mode, 0600); /* not the link's 0777 */
	dkim_privkey_free(priv);
	unlink(link);
	dkim_privkey_free(NULL);
	dkim_key_free(NULL);
}
END_TEST

/* ---- the RSA fast path (der_rsa.h) beside OpenSSL's decoders ---- */

/* rsa2048's SPKI without the NULL parameters: der_rsa leaves it to
 * OpenSSL, which takes it, so the published key is a real EVP_PKEY. */
static struct dkim_key *published_real(void)
{
	unsigned char *der = NULL, na[400];
	int n = i2d_PUBKEY(rsa2048, &der);
	size_t o = 0;
	struct dkim_key *k;
	char *b;

	/* 30 82 01 22 | 30 0d 06 09 <oid> 05 00 | 03 82 01 0f ... */
	ck_assert(n == 294 && der[4] == 0x30 && der[5] == 0x0d && der[17] == 0x05 &&
		  der[18] == 0x00);
	na[o++] = 0x30;
	na[o++] = 0x82;
	na[o++] = 0x01;
	na[o++] = 0x20;
	na[o++] = 0x30;
	na[o++] = 0x0b;
	memcpy(na + o, der + 6, 11);
	o += 11;
	memcpy(na + o, der + 19, (size_t)n - 19);
	o += (size_t)n - 19;
	b = dkim_base64_encode(na, o);
	k = parse_b64("rsa", b);
	free(b);
	OPENSSL_free(der);
	ck_assert_ptr_nonnull(k->pub);
	ck_assert_ptr_nonnull(dkim_pubkey_evp(k->pub));
	ck_assert_int_eq(k->bits, 2048);
	ck_assert_int_eq(finding_list_worst(&k->findings), STATE_OK);
	return k;
}

/* A PEM private key file, edited as the case says. */
struct pem_case {
	const char *id;
	const char *structure;
	const char *before, *after; /* text around the block */
	bool crlf;                  /* CRLF line ends */
	bool fast;                  /* read by der_rsa, not OpenSSL */
};

static const struct pem_case pem_cases[] = {
	{"PKCS#8 PEM", "PrivateKeyInfo", "", "", false, true},
	{"PKCS#1 PEM", "type-specific", "", "", false, true},
	{"PKCS#8 PEM, CRLF line ends", "PrivateKeyInfo", "", "", true, true},
	{"PKCS#1 PEM, blank lines after", "type-specific", "", "\n \t\n", false, true},
	{"PKCS#8 PEM, text before the block", "PrivateKeyInfo",
	 "Bag Attributes\n    localKeyID: 01\n", "", false, false},
	{"PKCS#8 PEM, text after the block", "PrivateKeyInfo", "", "a comment\n", false, false},
};

static const char *write_pem(const struct pem_case *tc)
{
	static char path[256];
	OSSL_ENCODER_CTX *ec = OSSL_ENCODER_CTX_new_for_pkey(rsa2048, EVP_PKEY_KEYPAIR, "PEM",
							     tc->structure, NULL);
	unsigned char *data = NULL;
	size_t len = 0, i;
	FILE *f;

	ck_assert(ec != NULL && OSSL_ENCODER_to_data(ec, &data, &len));
	OSSL_ENCODER_CTX_free(ec);
	snprintf(path, sizeof(path), "%s/pem.key", tmpdir);
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(tc->before, f);
	for (i = 0; i < len; i++) {
		if (data[i] == '\n' && tc->crlf)
			fputc('\r', f);
		fputc(data[i], f);
	}
	fputs(tc->after, f);
	fclose(f);
	chmod(path, 0600);
	OPENSSL_clear_free(data, len);
	return path;
}

/* Every way to give an RSA private key loads, takes the path the case
 * says, and matches the published key however that was read: the
 * pairings of our bytes with OpenSSL's keys compare by n and e. */
START_TEST(test_privkey_paths)
{
	const struct pem_case *tc = &pem_cases[_i];
	char err[256], *rec, *b4096;
	size_t len;
	struct dkim_privkey *priv = dkim_privkey_load(write_pem(tc), err, sizeof(err));
	struct dkim_key *fast, *real, *other;

	ck_assert_msg(priv != NULL, "%s: %s", tc->id, err);
	ck_assert_int_eq(priv->ktype, DKIM_K_RSA);
	ck_assert_int_eq(priv->bits, 2048);
	ck_assert_msg((dkim_pubkey_spki(priv->pub, &len) != NULL) == tc->fast, "%s: fast path %d",
		      tc->id, !tc->fast);
	ck_assert((dkim_pubkey_evp(priv->pub) == NULL) == tc->fast);
	fast = parse_b64("rsa", b64_rsa);
	ck_assert_ptr_nonnull(dkim_pubkey_spki(fast->pub, &len));
	real = published_real();
	ck_assert_ptr_null(dkim_pubkey_spki(real->pub, &len));
	b4096 = spki_b64(rsa4096);
	other = parse_b64("rsa", b4096);
	free(b4096);
	ck_assert(dkim_key_matches(fast, priv));
	ck_assert(dkim_key_matches(real, priv));
	ck_assert(!dkim_key_matches(other, priv));
	rec = dkim_record_for(priv);
	ck_assert_ptr_nonnull(rec);
	ck_assert_str_eq(strstr(rec, "p=") + 2, b64_rsa);
	free(rec);
	dkim_key_free(fast);
	dkim_key_free(real);
	dkim_key_free(other);
	dkim_privkey_free(priv);
}
END_TEST

/* check_dkim's fix line for a good key in a faulty record lends the
 * published key (bytes of our own) to dkim_record_for_pub(): the record
 * is the SPKI form, also when p= held PKCS#1 (K-04). */
START_TEST(test_record_from_published)
{
	const char *b64[] = {b64_rsa, b64_pkcs1};
	size_t i;

	for (i = 0; i < 2; i++) {
		struct dkim_key *k = parse_b64("rsa", b64[i]);
		char *rec;

		ck_assert_ptr_nonnull(k->pub);
		ck_assert_ptr_null(dkim_pubkey_evp(k->pub));
		ck_assert(k->pkcs1 == (i == 1));
		rec = dkim_record_for_pub(k->ktype, k->pub);
		ck_assert_ptr_nonnull(rec);
		ck_assert_str_eq(strstr(rec, "p=") + 2, b64_rsa);
		free(rec);
		dkim_key_free(k);
	}
	/* the same for an Ed25519 key, kept as its 32 bytes */
	{
		struct dkim_key *k = parse_b64("ed25519", b64_ed);
		char *rec;

		ck_assert_ptr_nonnull(k->pub);
		ck_assert_ptr_null(dkim_pubkey_evp(k->pub));
		rec = dkim_record_for_pub(k->ktype, k->pub);
		ck_assert_ptr_nonnull(rec);
		ck_assert(strncmp(rec, "v=DKIM1; k=ed25519; p=", 22) == 0);
		ck_assert_str_eq(rec + 22, b64_ed);
		free(rec);
		dkim_key_free(k);
	}
	/* a key only OpenSSL read is re-encoded by it, in the SPKI form */
	{
		struct dkim_key *k = published_real();
		char *rec = dkim_record_for_pub(k->ktype, k->pub);

		ck_assert_ptr_nonnull(rec);
		ck_assert_str_eq(strstr(rec, "p=") + 2, b64_rsa);
		free(rec);
		dkim_key_free(k);
	}
	ck_assert_ptr_null(dkim_record_for_pub(DKIM_K_RSA, NULL));
	ck_assert_ptr_null(dkim_record_for(NULL));
}
END_TEST

static void make_keys(void)
{
	size_t i;
	char *junk;

	rsa2048 = EVP_RSA_gen(2048);
	rsa4096 = EVP_RSA_gen(4096);
	ed25519 = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	ec256 = EVP_EC_gen("P-256");
	b64_rsa = spki_b64(rsa2048);
	b64_rsa_fws = with_fws(b64_rsa);
	b64_pkcs1 = typespecific_b64(rsa2048);
	b64_ed = raw_b64(ed25519, 0, false);
	b64_ec = spki_b64(ec256);
	b64_ed_spki = spki_b64(ed25519);
	/* K-14: 60,000 characters of valid base64 = 45,000 bytes */
	junk = malloc(60001);
	for (i = 0; i < 60000; i++)
		junk[i] = "QUJD"[i % 4];
	junk[60000] = '\0';
	b64_big = junk;
}

static void free_keys(void)
{
	EVP_PKEY_free(rsa2048);
	EVP_PKEY_free(rsa4096);
	EVP_PKEY_free(ed25519);
	EVP_PKEY_free(ec256);
	free(b64_rsa);
	free(b64_rsa_fws);
	free(b64_pkcs1);
	free(b64_ed);
	free(b64_ec);
	free(b64_ed_spki);
	free(b64_big);
}

/* The keys and their temporary directory, after every test has run. */
static bool cleanup(void)
{
	char cmd[300];

	free_keys();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0;
}

Suite *unit_suite(void)
{
	Suite *s;
	TCase *tr, *tk, *tp;

	if (mkdtemp(tmpdir) == NULL)
		return NULL;
	make_keys();
	unit_cleanup = cleanup;
	s = suite_create("dkim");
	tr = tcase_create("records");
	tk = tcase_create("keys");
	tp = tcase_create("private");
	tcase_add_loop_test(tr, test_records, 0, (int)(sizeof(rec_cases) / sizeof(rec_cases[0])));
	tcase_add_test(tr, test_unknown_verbose);
	tcase_add_loop_test(tr, test_selector_k13, 0,
			    (int)(sizeof(sel_cases) / sizeof(sel_cases[0])));
	tcase_add_test(tr, test_nul);
	tcase_add_test(tr, test_findings_bound);
	tcase_add_loop_test(tr, test_base64, 0, (int)(sizeof(b64_cases) / sizeof(b64_cases[0])));
	tcase_add_test(tr, test_base64_roundtrip);
	tcase_add_test(tk, test_rsa_sizes);
	tcase_add_loop_test(tk, test_exponent, 0, (int)(sizeof(exp_cases) / sizeof(exp_cases[0])));
	tcase_add_test(tk, test_exponent_modulus);
	tcase_add_test(tk, test_rsa_too_big);
	tcase_add_test(tk, test_rsa_16384_fixture);
	tcase_add_test(tk, test_truncated_der);
	tcase_add_test(tk, test_ed25519_len);
	tcase_add_loop_test(tp, test_privkey_formats, 0,
			    (int)(sizeof(priv_cases) / sizeof(priv_cases[0])));
	tcase_add_test(tp, test_privkey_pkcs1_published);
	tcase_add_test(tp, test_privkey_bad);
	tcase_add_test(tp, test_privkey_world_readable);
	tcase_add_loop_test(tp, test_privkey_paths, 0,
			    (int)(sizeof(pem_cases) / sizeof(pem_cases[0])));
	tcase_add_test(tp, test_record_from_published);
	tcase_set_timeout(tk, 60);
	tcase_set_timeout(tp, 60);
	suite_add_tcase(s, tr);
	suite_add_tcase(s, tk);
	suite_add_tcase(s, tp);
	return s;
}
