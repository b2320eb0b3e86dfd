/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A DKIM public key as check_dkim holds it: our own bytes when we read
 * the key ourselves, an OpenSSL EVP_PKEY only when OpenSSL had to.
 *
 * Decoding one RSA key through d2i_PUBKEY, the OSSL_DECODER or even
 * EVP_PKEY_fromdata() makes OpenSSL load its configuration and build
 * its method tables: ~5-7 M instructions and ~2 MiB of memory, more
 * than the rest of check_dkim (bench/RESULTS.md); an Ed25519 key through
 * EVP_PKEY_new_raw_public_key_ex() costs the same, and even an empty
 * EVP_PKEY_new() builds OpenSSL 3's library context (~0.45 MiB).
 * Checking a published key needs only n and e (or the 32 bytes of an
 * Ed25519 key, which OpenSSL does not check either), so such a key is
 * kept here as bytes: an RSA key's SubjectPublicKeyInfo DER (written by
 * der_rsa_spki_write, so canonical) or the Ed25519 key's raw bytes
 * (RFC 8463 4.2). That is all comparing keys (dkim_key_matches) and
 * writing the record (dkim_record_for) need.
 *
 * Anything der_rsa.h refuses (a key only OpenSSL reads, an Ed25519
 * private key file) is held as the EVP_PKEY OpenSSL made. The functions
 * below work on both kinds; only dkim_pubkey_evp() hands out an
 * EVP_PKEY, and only a real one, so no OpenSSL function can be given
 * bytes it does not know.
 *
 * Shared by dkim_keydata.c, dkim_priv.c and the plugin; dkim.h names the
 * type for struct dkim_key and struct dkim_privkey.
 */
#ifndef MAILDNS_DKIM_PUBKEY_H
#define MAILDNS_DKIM_PUBKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

struct dkim_pubkey;

/*
 * The RSA key n, e (big-endian magnitudes, as der_rsa.h returns them):
 * its SPKI is written and kept. NULL when out of memory or n/e are zero.
 * Caller frees with dkim_pubkey_free().
 */
struct dkim_pubkey *dkim_pubkey_new_rsa(const uint8_t *n, size_t nlen, const uint8_t *e,
					size_t elen);

/* The Ed25519 public key raw (RFC 8463 4.2), NULL when out of memory.
 * Caller frees with dkim_pubkey_free(). */
struct dkim_pubkey *dkim_pubkey_new_ed25519(const uint8_t raw[32]);

/*
 * A key OpenSSL decoded: takes ownership of pk (freed here when NULL is
 * returned, out of memory; pk NULL gives NULL). Caller frees with
 * dkim_pubkey_free().
 */
struct dkim_pubkey *dkim_pubkey_from_evp(EVP_PKEY *pk);

/* Frees k and what it holds (the EVP_PKEY too). Accepts NULL; for keys
 * of our own no OpenSSL function is called. */
void dkim_pubkey_free(struct dkim_pubkey *k);

/* The EVP_PKEY of a key OpenSSL decoded (borrowed, freed with k), or
 * NULL when k is NULL or holds bytes of our own. */
const EVP_PKEY *dkim_pubkey_evp(const struct dkim_pubkey *k);

/* The SPKI DER of an RSA key of our own (borrowed, *len set), or NULL
 * when k is NULL, an OpenSSL key or an Ed25519 key. */
const uint8_t *dkim_pubkey_spki(const struct dkim_pubkey *k, size_t *len);

/* The 32 raw bytes of an Ed25519 key, ours or OpenSSL's, into raw;
 * false when k holds no Ed25519 key. */
bool dkim_pubkey_ed25519(const struct dkim_pubkey *k, uint8_t raw[32]);

/*
 * n and e of an RSA key, ours or OpenSSL's. false when k holds no RSA
 * key (or out of memory). Caller frees *n and *e with BN_free().
 */
bool dkim_pubkey_rsa_ne(const struct dkim_pubkey *k, BIGNUM **n, BIGNUM **e);

#endif
