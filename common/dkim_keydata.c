/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The key data of a DKIM record: base64 of p= (RFC 6376 3.6.1) and the
 * public key inside it (RSA SubjectPublicKeyInfo, RFC 6376 3.6.1;
 * Ed25519 raw 32 bytes, RFC 8463 4.2).
 *
 * Our own base64 decoder rather than EVP_DecodeBlock(), which rejects
 * whitespace and counts padding in its result (doc/hostile-inputs.md K-01).
 * RSA keys in plain DER and Ed25519 keys are read without OpenSSL's
 * decoders and kept as bytes of our own (der_rsa.h, dkim_pubkey.h:
 * OpenSSL's EVP layer costs ~2 MiB per run); the rest goes through the
 * OpenSSL 3 provider API: no deprecated RSA_*.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include "der_rsa.h"
#include "dkim_findings.h"
#include "dkim_pubkey.h"

static int b64val(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* RFC 6376 3.6.1: "[FWS]" between base64 characters; see tagvalue.c
 * for why CR and LF count on their own. */
static bool b64_fws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

enum b64_status dkim_base64_decode(const char *in, size_t len, size_t max, uint8_t **out,
				   size_t *size, const char **why, size_t *pos)
{
	size_t i, n = 0, pad = 0, first_pad = 0, decoded, o = 0;
	uint32_t acc = 0;
	unsigned nacc = 0;
	uint8_t *buf;

	*out = NULL;
	*size = 0;
	*why = NULL;
	*pos = 0;

	/* Pass 1: validate and count, allocating nothing. */
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)in[i];

		if (b64_fws(c))
			continue;
		if (c == '=') {
			if (pad == 0)
				first_pad = i;
			if (++pad > 2) {
				*why = "more than two '=' at the end";
				*pos = i;
				return B64_INVALID;
			}
			continue;
		}
		if (b64val(c) < 0) {
			*why = "character outside the base64 alphabet";
			*pos = i;
			return B64_INVALID;
		}
		if (pad > 0) {
			*why = "'=' before the end";
			*pos = first_pad;
			return B64_INVALID;
		}
		n++;
	}
	if ((n + pad) % 4 != 0) {
		*why = (n + pad) % 4 == 1 ? "one character left over"
					  : "length not a multiple of 4 (padding missing)";
		*pos = len;
		return B64_INVALID;
	}
	decoded = n / 4 * 3 + (n % 4 == 2 ? 1 : n % 4 == 3 ? 2 : 0);
	*size = decoded;
	if (decoded > max)
		return B64_TOO_LARGE;
	if (decoded == 0)
		return B64_OK;

	buf = malloc(decoded);
	if (buf == NULL)
		return B64_NOMEM;
	/* Pass 2: the input is known good. */
	for (i = 0; i < len; i++) {
		int v = b64val((unsigned char)in[i]);

		if (v < 0)
			continue; /* FWS or the final '=' */
		acc = (acc << 6) | (uint32_t)v;
		if (++nacc == 4) {
			buf[o++] = (uint8_t)(acc >> 16);
			buf[o++] = (uint8_t)(acc >> 8);
			buf[o++] = (uint8_t)acc;
			acc = 0;
			nacc = 0;
		}
	}
	if (nacc == 2) {
		buf[o++] = (uint8_t)(acc >> 4);
	} else if (nacc == 3) {
		buf[o++] = (uint8_t)(acc >> 10);
		buf[o++] = (uint8_t)(acc >> 2);
	}
	*out = buf;
	return B64_OK;
}

char *dkim_base64_encode(const uint8_t *data, size_t len)
{
	static const char alpha[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i, o = 0;
	char *s;

	if (len > (SIZE_MAX - 1) / 4 * 3 - 3)
		return NULL;
	s = malloc((len + 2) / 3 * 4 + 1);
	if (s == NULL)
		return NULL;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		s[o++] = alpha[(v >> 6) & 63];
		s[o++] = alpha[v & 63];
	}
	if (len - i == 1) {
		uint32_t v = (uint32_t)data[i] << 16;
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		s[o++] = '=';
		s[o++] = '=';
	} else if (len - i == 2) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8;
		s[o++] = alpha[v >> 18];
		s[o++] = alpha[(v >> 12) & 63];
		s[o++] = alpha[(v >> 6) & 63];
		s[o++] = '=';
	}
	s[o] = '\0';
	return s;
}

/* A bare PKCS#1 RSAPublicKey (RFC 8017 A.1.1), which RFC 6376 does not
 * allow but some key generators publish. */
static EVP_PKEY *decode_pkcs1(const uint8_t *der, size_t len)
{
	EVP_PKEY *pkey = NULL;
	OSSL_DECODER_CTX *dctx;
	const unsigned char *p = der;
	size_t left = len;

	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "DER", "type-specific", "RSA",
					     EVP_PKEY_PUBLIC_KEY, NULL, NULL);
	if (dctx == NULL)
		return NULL;
	if (!OSSL_DECODER_from_data(dctx, &p, &left) || left != 0) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	return pkey;
}

/*
 * SubjectPublicKeyInfo. *alg gets the algorithm's NID even when the key
 * itself could not be decoded, so a non-RSA OID is named as such.
 */
static EVP_PKEY *decode_spki(const uint8_t *der, size_t len, int *alg, char *algname,
			     size_t namelen)
{
	const unsigned char *p = der;
	X509_PUBKEY *xpk;
	ASN1_OBJECT *obj = NULL;
	EVP_PKEY *pkey = NULL;

	*alg = NID_undef;
	algname[0] = '\0';
	if (len > LIMIT_DKIM_KEY_BYTES) /* and so fits a long */
		return NULL;
	xpk = d2i_X509_PUBKEY(NULL, &p, (long)len);
	if (xpk == NULL)
		return NULL;
	if ((size_t)(p - der) != len) { /* trailing bytes */
		X509_PUBKEY_free(xpk);
		return NULL;
	}
	if (X509_PUBKEY_get0_param(&obj, NULL, NULL, NULL, xpk) == 1 && obj != NULL) {
		*alg = OBJ_obj2nid(obj);
		OBJ_obj2txt(algname, (int)namelen, obj, 0);
	}
	pkey = X509_PUBKEY_get(xpk); /* a reference of our own, or NULL */
	X509_PUBKEY_free(xpk);
	return pkey;
}

/* RFC 8301 3.2 and OpenSSL's limits (K-05), on n and e however they
 * were read: checked before the key is ever used. */
static void check_rsa_ne(struct dkim_key *k, const BIGNUM *n, const BIGNUM *e)
{
	if (k->bits > LIMIT_DKIM_RSA_BITS)
		dkim_finding_add(k, DKIM_F_RSA_TOO_BIG, STATE_CRITICAL, 0,
				 "RSA key too large: %d bits, verifiers refuse over %d", k->bits,
				 LIMIT_DKIM_RSA_BITS);
	if (BN_is_zero(e) || BN_is_one(e))
		dkim_finding_add(k, DKIM_F_EXPONENT, STATE_CRITICAL, 0,
				 "RSA exponent %s is insecure", BN_is_one(e) ? "1" : "0");
	else if (!BN_is_odd(e))
		dkim_finding_add(k, DKIM_F_EXPONENT, STATE_CRITICAL, 0,
				 "RSA exponent is even, not a valid RSA key");
	else if (BN_cmp(e, n) >= 0)
		dkim_finding_add(k, DKIM_F_EXPONENT, STATE_CRITICAL, 0,
				 "RSA exponent not smaller than the modulus");
	else if (BN_num_bits(e) > LIMIT_DKIM_RSA_EXP_BITS && k->bits > 3072)
		dkim_finding_add(k, DKIM_F_EXPONENT, STATE_CRITICAL, 0,
				 "RSA exponent of %d bits, verifiers refuse over %d bits "
				 "with moduli over 3072 bits",
				 BN_num_bits(e), LIMIT_DKIM_RSA_EXP_BITS);
	if (!BN_is_odd(n))
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0,
				 "RSA modulus is even, not a valid RSA key");
}

/* The same for a key OpenSSL decoded. */
static void check_rsa(struct dkim_key *k, const EVP_PKEY *pk)
{
	BIGNUM *e = NULL, *n = NULL;

	k->bits = EVP_PKEY_get_bits(pk);
	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n)) {
		if (k->bits > LIMIT_DKIM_RSA_BITS)
			dkim_finding_add(k, DKIM_F_RSA_TOO_BIG, STATE_CRITICAL, 0,
					 "RSA key too large: %d bits, verifiers refuse "
					 "over %d",
					 k->bits, LIMIT_DKIM_RSA_BITS);
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0,
				 "cannot parse public key: no RSA modulus or exponent");
	} else {
		check_rsa_ne(k, n, e);
	}
	BN_free(e);
	BN_free(n);
}

static void pkcs1_warning(struct dkim_key *k)
{
	k->pkcs1 = true;
	dkim_finding_add(k, DKIM_F_PKCS1, STATE_WARNING, 0,
			 "p= is a bare PKCS#1 RSAPublicKey, RFC 6376 3.6.1 asks for "
			 "SubjectPublicKeyInfo; some verifiers will not use it");
}

/*
 * The common case without OpenSSL's decoders (dkim_pubkey.h says why):
 * an rsaEncryption SPKI or a bare RSAPublicKey in strict DER. false when
 * der_rsa.h does not take it (or out of memory): the caller then runs
 * the general decoders, which name what it is instead.
 */
static bool decode_rsa_fast(struct dkim_key *k, const uint8_t *der, size_t len)
{
	struct der_rsa_pub pub;
	BIGNUM *n = NULL, *e = NULL;
	bool ok = false;

	/* len <= LIMIT_DKIM_KEY_BYTES (dkim_record.c), so n and e fit an
	 * int for BN_bin2bn; checked all the same. */
	if (len > LIMIT_DKIM_KEY_BYTES || !der_rsa_pub_read(der, len, &pub))
		return false;
	n = BN_bin2bn(pub.n, (int)pub.nlen, NULL);
	e = BN_bin2bn(pub.e, (int)pub.elen, NULL);
	if (n == NULL || e == NULL)
		goto out;
	k->pub = dkim_pubkey_new_rsa(pub.n, pub.nlen, pub.e, pub.elen);
	if (k->pub == NULL)
		goto out;
	ok = true;
	if (pub.pkcs1)
		pkcs1_warning(k);
	k->bits = BN_num_bits(n);
	check_rsa_ne(k, n, e);
out:
	BN_free(n);
	BN_free(e);
	return ok;
}

/* RFC 8410 id-Ed25519 SPKI prefix: SEQ { SEQ { OID 1.3.101.112 } BIT STRING } */
static const uint8_t ed25519_spki_prefix[] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
};

static void decode_ed25519(struct dkim_key *k, const uint8_t *der, size_t len)
{
	/* RFC 8463 4.2: the raw 32-byte key, not an SPKI. */
	if (len != 32) {
		bool spki = len == 44 &&
			    memcmp(der, ed25519_spki_prefix, sizeof(ed25519_spki_prefix)) == 0;
		dkim_finding_add(k, DKIM_F_ED25519_LEN, STATE_CRITICAL, 0,
				 "ed25519 key must be 32 bytes, p= holds %zu%s", len,
				 spki ? " (an SPKI: publish only its last 32 bytes, "
					"RFC 8463)"
				      : "");
		return;
	}
	/* Any 32 bytes are a key to OpenSSL too (it imports them as they
	 * are), so keeping the bytes is all there is to do. */
	k->pub = dkim_pubkey_new_ed25519(der);
	if (k->pub == NULL) { /* out of memory */
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0,
				 "cannot parse public key: not an ed25519 key");
		return;
	}
	k->bits = 256;
}

/* What der_rsa.h does not take: OpenSSL's decoders, whose EVP_PKEY is
 * kept in k->pub when it is an RSA key. */
static void decode_rsa(struct dkim_key *k, const uint8_t *der, size_t len)
{
	int alg;
	char algname[80];
	EVP_PKEY *pk;

	pk = decode_spki(der, len, &alg, algname, sizeof(algname));
	if (alg != NID_undef && alg != NID_rsaEncryption) {
		/* K-04: an EC, DSA, Ed25519 ... key where RSA was declared */
		dkim_finding_add(k, DKIM_F_WRONG_ALG, STATE_CRITICAL, 0,
				 "key is %s, not RSA as k=rsa says",
				 algname[0] ? algname : "another algorithm");
		EVP_PKEY_free(pk);
		return;
	}
	if (pk == NULL) {
		pk = decode_pkcs1(der, len);
		if (pk != NULL)
			pkcs1_warning(k);
	}
	if (pk == NULL) {
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0,
				 "cannot parse public key (%zu bytes of DER)%s", len,
				 len == 32 ? ": 32 bytes look like an ed25519 key, "
					     "k=ed25519 missing?"
					   : "");
		return;
	}
	if (!EVP_PKEY_is_a(pk, "RSA")) {
		dkim_finding_add(k, DKIM_F_WRONG_ALG, STATE_CRITICAL, 0,
				 "key is %s, not RSA as k=rsa says",
				 EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk)
							     : "another algorithm");
		EVP_PKEY_free(pk);
		return;
	}
	check_rsa(k, pk);
	k->pub = dkim_pubkey_from_evp(pk); /* which owns pk now */
	if (k->pub == NULL)                /* out of memory */
		dkim_finding_add(k, DKIM_F_DER, STATE_CRITICAL, 0,
				 "cannot parse public key (%zu bytes of DER): out of "
				 "memory",
				 len);
}

void dkim_key_decode(struct dkim_key *k, const uint8_t *der, size_t len)
{
	dkim_pubkey_free(k->pub);
	k->pub = NULL;
	k->bits = 0;
	k->pkcs1 = false;
	k->key_bytes = len;
	/* Ed25519 and the RSA fast path touch no OpenSSL decoder and so
	 * queue no error: returning here also spares ERR_clear_error(),
	 * whose first call initialises libcrypto (~1 M instructions,
	 * 1.5 MiB). */
	if (k->ktype == DKIM_K_ED25519) {
		decode_ed25519(k, der, len);
		return;
	}
	if (k->ktype != DKIM_K_RSA || decode_rsa_fast(k, der, len))
		return;
	decode_rsa(k, der, len);
	/* Failed decoders leave reasons on OpenSSL's error queue; they are
	 * reported through findings, so the queue is emptied here. */
	ERR_clear_error();
}
