/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Public keys held as our own bytes or as OpenSSL's EVP_PKEY: see
 * dkim_pubkey.h for why. Keys of our own are made and freed with
 * malloc/free only, so a run that reads one never builds OpenSSL's
 * library context.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include "der_rsa.h"
#include "dkim_pubkey.h"

/* What a key holds: an RSA key's SPKI DER or an Ed25519 key's 32 raw
 * bytes (RFC 8463 4.2), both ours, or a key OpenSSL decoded. */
enum held {
	HELD_RSA_SPKI,
	HELD_ED25519,
	HELD_EVP
};

struct dkim_pubkey {
	enum held kind;
	EVP_PKEY *evp; /* HELD_EVP only */
	size_t len;    /* of der, 0 for HELD_EVP */
	uint8_t der[];
};

struct dkim_pubkey *dkim_pubkey_new_rsa(const uint8_t *n, size_t nlen, const uint8_t *e,
					size_t elen)
{
	struct dkim_pubkey *k;
	size_t len;

	len = der_rsa_spki_write(n, nlen, e, elen, NULL, 0);
	if (len == 0 || len > SIZE_MAX - sizeof(*k))
		return NULL;
	k = malloc(sizeof(*k) + len);
	if (k == NULL)
		return NULL;
	k->kind = HELD_RSA_SPKI;
	k->evp = NULL;
	k->len = der_rsa_spki_write(n, nlen, e, elen, k->der, len);
	if (k->len != len) {
		free(k);
		return NULL;
	}
	return k;
}

struct dkim_pubkey *dkim_pubkey_new_ed25519(const uint8_t raw[32])
{
	struct dkim_pubkey *k = malloc(sizeof(*k) + 32);

	if (k == NULL)
		return NULL;
	k->kind = HELD_ED25519;
	k->evp = NULL;
	k->len = 32;
	memcpy(k->der, raw, 32);
	return k;
}

struct dkim_pubkey *dkim_pubkey_from_evp(EVP_PKEY *pk)
{
	struct dkim_pubkey *k;

	if (pk == NULL)
		return NULL;
	k = malloc(sizeof(*k));
	if (k == NULL) {
		EVP_PKEY_free(pk);
		return NULL;
	}
	k->kind = HELD_EVP;
	k->evp = pk;
	k->len = 0;
	return k;
}

void dkim_pubkey_free(struct dkim_pubkey *k)
{
	if (k == NULL)
		return;
	if (k->kind == HELD_EVP)
		EVP_PKEY_free(k->evp);
	free(k);
}

const EVP_PKEY *dkim_pubkey_evp(const struct dkim_pubkey *k)
{
	return k != NULL && k->kind == HELD_EVP ? k->evp : NULL;
}

const uint8_t *dkim_pubkey_spki(const struct dkim_pubkey *k, size_t *len)
{
	*len = 0;
	if (k == NULL || k->kind != HELD_RSA_SPKI)
		return NULL;
	*len = k->len;
	return k->der;
}

bool dkim_pubkey_ed25519(const struct dkim_pubkey *k, uint8_t raw[32])
{
	size_t len = 32;

	if (k == NULL)
		return false;
	switch (k->kind) {
	case HELD_ED25519:
		memcpy(raw, k->der, 32);
		return true;
	case HELD_EVP:
		return EVP_PKEY_is_a(k->evp, "ED25519") &&
		       EVP_PKEY_get_raw_public_key(k->evp, raw, &len) == 1 && len == 32;
	case HELD_RSA_SPKI:
		break;
	}
	return false;
}

bool dkim_pubkey_rsa_ne(const struct dkim_pubkey *k, BIGNUM **n, BIGNUM **e)
{
	struct der_rsa_pub pub;

	*n = NULL;
	*e = NULL;
	if (k == NULL || k->kind == HELD_ED25519)
		return false;
	if (k->kind == HELD_RSA_SPKI) {
		/* ours, so it reads; the lengths are below 2^30 */
		if (!der_rsa_pub_read(k->der, k->len, &pub))
			return false;
		*n = BN_bin2bn(pub.n, (int)pub.nlen, NULL);
		*e = BN_bin2bn(pub.e, (int)pub.elen, NULL);
	} else if (EVP_PKEY_is_a(k->evp, "RSA")) {
		if (!EVP_PKEY_get_bn_param(k->evp, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !EVP_PKEY_get_bn_param(k->evp, OSSL_PKEY_PARAM_RSA_E, e)) {
			BN_free(*n);
			BN_free(*e);
			*n = *e = NULL;
		}
	}
	if (*n == NULL || *e == NULL) {
		BN_free(*n);
		BN_free(*e);
		*n = *e = NULL;
		return false;
	}
	return true;
}
