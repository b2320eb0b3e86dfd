/*
 * Placeholder EVP_PKEYs for RSA keys read without OpenSSL's decoders:
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

struct spki_data {
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

EVP_PKEY *dkim_pubkey_placeholder(const uint8_t *n, size_t nlen,
    const uint8_t *e, size_t elen)
{
	struct spki_data *d;
	EVP_PKEY *pk;
	size_t len;

	len = der_rsa_spki_write(n, nlen, e, elen, NULL, 0);
	if (len == 0 || len > SIZE_MAX - sizeof(*d) || !have_index())
		return NULL;
	d = malloc(sizeof(*d) + len);
	if (d == NULL)
		return NULL;
	d->len = der_rsa_spki_write(n, nlen, e, elen, d->der, len);
	pk = EVP_PKEY_new();
	if (pk == NULL || d->len != len ||
	    !EVP_PKEY_set_ex_data(pk, ex_index, d)) {
		free(d);
		EVP_PKEY_free(pk);
		return NULL;
	}
	return pk;
}

const uint8_t *dkim_pubkey_spki(const EVP_PKEY *pk, size_t *len)
{
	const struct spki_data *d;

	*len = 0;
	if (pk == NULL || !have_index())
		return NULL;
	d = EVP_PKEY_get_ex_data(pk, ex_index);
	if (d == NULL)
		return NULL;
	*len = d->len;
	return d->der;
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
