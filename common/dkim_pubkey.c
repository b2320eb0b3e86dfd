/*
 * Placeholder EVP_PKEYs for keys read without OpenSSL's decoders:
 * see dkim_pubkey.h for why. The DER rides along as ex_data, so it is
 * freed by EVP_PKEY_free() whoever holds the key, and reaches
 * dkim_record_for() from a struct dkim_privkey that borrowed the
 * published key's pkey.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "der_rsa.h"
#include "dkim_pubkey.h"

/* What a placeholder carries: an RSA key's SPKI DER, or an Ed25519
 * key's 32 raw bytes (RFC 8463 4.2). */
enum held { HELD_RSA_SPKI, HELD_ED25519 };

struct spki_data {
	enum held kind;
	size_t len;
	uint8_t der[];
};

static int ex_index = -1;
static CRYPTO_ONCE ex_once = CRYPTO_ONCE_STATIC_INIT;

static void spki_free(void *parent, void *ptr, CRYPTO_EX_DATA *ad, int idx,
    long argl, void *argp)
{
	(void)parent;
	(void)ad;
	(void)idx;
	(void)argl;
	(void)argp;
	free(ptr);
}

static void ex_init(void)
{
	ex_index = EVP_PKEY_get_ex_new_index(0, NULL, NULL, NULL, spki_free);
}

static bool have_index(void)
{
	return CRYPTO_THREAD_run_once(&ex_once, ex_init) && ex_index >= 0;
}

/* An empty EVP_PKEY that owns d (freed with it), or NULL (d freed). */
static EVP_PKEY *wrap(struct spki_data *d)
{
	EVP_PKEY *pk = have_index() ? EVP_PKEY_new() : NULL;

	if (pk == NULL || !EVP_PKEY_set_ex_data(pk, ex_index, d)) {
		free(d);
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

EVP_PKEY *dkim_pubkey_placeholder(const uint8_t *n, size_t nlen,
    const uint8_t *e, size_t elen)
{
	struct spki_data *d;
	size_t len;

	len = der_rsa_spki_write(n, nlen, e, elen, NULL, 0);
	if (len == 0 || len > SIZE_MAX - sizeof(*d))
		return NULL;
	d = malloc(sizeof(*d) + len);
	if (d == NULL)
		return NULL;
	d->kind = HELD_RSA_SPKI;
	d->len = der_rsa_spki_write(n, nlen, e, elen, d->der, len);
	if (d->len != len) {
		free(d);
		return NULL;
	}
	return wrap(d);
}

EVP_PKEY *dkim_pubkey_placeholder_ed25519(const uint8_t raw[32])
{
	struct spki_data *d = malloc(sizeof(*d) + 32);

	if (d == NULL)
		return NULL;
	d->kind = HELD_ED25519;
	d->len = 32;
	memcpy(d->der, raw, 32);
	return wrap(d);
}

static const struct spki_data *held(const EVP_PKEY *pk)
{
	if (pk == NULL || !have_index())
		return NULL;
	return EVP_PKEY_get_ex_data(pk, ex_index);
}

bool dkim_pubkey_is_placeholder(const EVP_PKEY *pk)
{
	return held(pk) != NULL;
}

const uint8_t *dkim_pubkey_spki(const EVP_PKEY *pk, size_t *len)
{
	const struct spki_data *d = held(pk);

	*len = 0;
	if (d == NULL || d->kind != HELD_RSA_SPKI)
		return NULL;
	*len = d->len;
	return d->der;
}

bool dkim_pubkey_ed25519(const EVP_PKEY *pk, uint8_t raw[32])
{
	const struct spki_data *d = held(pk);
	size_t len = 32;

	if (d != NULL) {
		if (d->kind != HELD_ED25519 || d->len != 32)
			return false;
		memcpy(raw, d->der, 32);
		return true;
	}
	return pk != NULL && EVP_PKEY_is_a(pk, "ED25519") &&
	    EVP_PKEY_get_raw_public_key(pk, raw, &len) == 1 && len == 32;
}

bool dkim_pubkey_rsa_ne(const EVP_PKEY *pk, BIGNUM **n, BIGNUM **e)
{
	struct der_rsa_pub pub;
	const uint8_t *der;
	size_t len;

	*n = NULL;
	*e = NULL;
	if (pk == NULL)
		return false;
	der = dkim_pubkey_spki(pk, &len);
	if (der == NULL && dkim_pubkey_is_placeholder(pk))
		return false;                   /* an Ed25519 one */
	if (der != NULL) {
		/* ours, so it reads; the lengths are below 2^30 */
		if (!der_rsa_pub_read(der, len, &pub))
			return false;
		*n = BN_bin2bn(pub.n, (int)pub.nlen, NULL);
		*e = BN_bin2bn(pub.e, (int)pub.elen, NULL);
	} else if (EVP_PKEY_is_a(pk, "RSA")) {
		if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, e)) {
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
