/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The reference side of the differential checks of der_rsa.h (fuzz_dkim.c
 * and tests/unit/test_dkim_der.c): an RSA key as OpenSSL reads the same
 * bytes. Test code only, so the function lives in this header.
 */
#ifndef MAILDNS_OPENSSL_RSA_H
#define MAILDNS_OPENSSL_RSA_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

/* OpenSSL's reading of der as an RSA key, or NULL: an SPKI through
 * d2i_PUBKEY (as decode_spki), anything else through the decoder for
 * the given structure ("type-specific" is PKCS#1). Every byte must be
 * used. Caller frees with EVP_PKEY_free(). */
static EVP_PKEY *openssl_rsa(const uint8_t *der, size_t len, const char *structure, int selection)
{
	const unsigned char *p = der;
	EVP_PKEY *pk = NULL;
	size_t left = len;

	if (len > 1 << 20)
		return NULL;
	if (structure == NULL) {
		pk = d2i_PUBKEY(NULL, &p, (long)len);
		if (pk != NULL && p != der + len) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
	} else {
		OSSL_DECODER_CTX *d = OSSL_DECODER_CTX_new_for_pkey(&pk, "DER", structure, "RSA",
								    selection, NULL, NULL);
		if (d != NULL && (!OSSL_DECODER_from_data(d, &p, &left) || left != 0)) {
			EVP_PKEY_free(pk);
			pk = NULL;
		}
		OSSL_DECODER_CTX_free(d);
	}
	if (pk != NULL && !EVP_PKEY_is_a(pk, "RSA")) {
		EVP_PKEY_free(pk);
		pk = NULL;
	}
	ERR_clear_error();
	return pk;
}

#endif
