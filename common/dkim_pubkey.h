/*
 * Published keys for check_dkim without OpenSSL 3's provider machinery.
 *
 * Decoding one RSA key through d2i_PUBKEY, the OSSL_DECODER or even
 * EVP_PKEY_fromdata() makes OpenSSL load its configuration and build
 * its method tables: ~5-7 M instructions and ~2 MiB of memory, more
 * than the rest of check_dkim (bench/RESULTS.md); an Ed25519 key through
 * EVP_PKEY_new_raw_public_key_ex() costs the same. Checking a published
 * key needs only n and e (or the 32 bytes of an Ed25519 key, which
 * OpenSSL does not check either), so such a key is kept in a placeholder
 * EVP_PKEY: an empty key carrying, as ex_data, an RSA key's
 * SubjectPublicKeyInfo DER or the Ed25519 key's raw bytes. That is the
 * non-NULL struct dkim_key.pkey callers test, and all that comparing
 * keys (dkim_key_matches) and writing the record (dkim_record_for) need.
 *
 * A placeholder holds no key for OpenSSL: pass it only to the functions
 * below and to EVP_PKEY_free() (which frees what it carries). Shared by
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

/* A placeholder for the Ed25519 public key raw (RFC 8463 4.2), NULL when
 * out of memory. Caller frees with EVP_PKEY_free(). */
EVP_PKEY *dkim_pubkey_placeholder_ed25519(const uint8_t raw[32]);

/* Whether pk is a placeholder (false for NULL and real keys). */
bool dkim_pubkey_is_placeholder(const EVP_PKEY *pk);

/* The SPKI DER an RSA placeholder carries (borrowed, *len set), or NULL
 * when pk is NULL, a real key or an Ed25519 placeholder. */
const uint8_t *dkim_pubkey_spki(const EVP_PKEY *pk, size_t *len);

/* The 32 raw bytes of an Ed25519 key, placeholder or real, into raw;
 * false when pk holds no Ed25519 key. */
bool dkim_pubkey_ed25519(const EVP_PKEY *pk, uint8_t raw[32]);

/*
 * n and e of an RSA key, placeholder or real. false when pk holds no RSA
 * key (or out of memory). Caller frees *n and *e with BN_free().
 */
bool dkim_pubkey_rsa_ne(const EVP_PKEY *pk, BIGNUM **n, BIGNUM **e);

#endif
