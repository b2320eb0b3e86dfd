/*
 * RSA public keys for check_dkim without OpenSSL 3's provider machinery.
 *
 * Decoding one RSA key through d2i_PUBKEY, the OSSL_DECODER or even
 * EVP_PKEY_fromdata() makes OpenSSL load its configuration and build
 * its method tables: ~5-7 M instructions and ~2 MiB of memory, more
 * than the rest of check_dkim (bench/RESULTS.md). Checking a published
 * key needs only n and e, so a key read by der_rsa.h is kept as its
 * SubjectPublicKeyInfo DER inside a placeholder EVP_PKEY (an empty key
 * with the DER as ex_data): the non-NULL struct dkim_key.pkey callers
 * test, and all that comparing keys (dkim_key_matches) and writing the
 * record (dkim_record_for) need.
 *
 * A placeholder holds no key for OpenSSL: pass it only to the functions
 * below and to EVP_PKEY_free() (which frees the DER). Shared by
 * dkim_key.c and dkim_priv.c; not a plugin interface.
 */
#ifndef MAILDNS_DKIM_PUBKEY_H
#define MAILDNS_DKIM_PUBKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

/*
 * A placeholder for the RSA key n, e (big-endian magnitudes, as
 * der_rsa.h returns them): its SPKI is written and kept. NULL when out
 * of memory or n/e are zero. Caller frees with EVP_PKEY_free().
 */
EVP_PKEY *dkim_pubkey_placeholder(const uint8_t *n, size_t nlen,
    const uint8_t *e, size_t elen);

/* The SPKI DER a placeholder carries (borrowed, *len set), or NULL when
 * pk is NULL or a real key. */
const uint8_t *dkim_pubkey_spki(const EVP_PKEY *pk, size_t *len);

/*
 * n and e of an RSA key, placeholder or real. false when pk holds no RSA
 * key (or out of memory). Caller frees *n and *e with BN_free().
 */
bool dkim_pubkey_rsa_ne(const EVP_PKEY *pk, BIGNUM **n, BIGNUM **e);

#endif
