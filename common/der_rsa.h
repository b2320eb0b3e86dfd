/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RSA public keys in DER, the two shapes DKIM key records carry: a
 * SubjectPublicKeyInfo with AlgorithmIdentifier rsaEncryption and NULL
 * parameters (RFC 5280 4.1, RFC 3279 2.3.1; what RFC 6376 3.6.1 asks
 * for) and a bare PKCS#1 RSAPublicKey (RFC 8017 A.1.1).
 *
 * The reader exists so that the common case, one RSA key, needs none of
 * OpenSSL 3's decoder machinery (bench/RESULTS.md: ~7 M instructions and
 * ~2 MiB for one key). It is deliberately narrow: strict DER (X.690
 * 10.1: definite, minimal lengths), nothing before, between or after
 * the elements, INTEGERs positive and minimally encoded (X.690 8.3.2).
 * Anything else is "not mine" and goes to the general decoder, which
 * then says what it is (another algorithm, BER, junk).
 *
 * No allocation, no OpenSSL, no NUL termination assumed: the input is
 * attacker-published DNS data (doc/hostile-inputs.md rules 3 and 4).
 */
#ifndef MAILDNS_DER_RSA_H
#define MAILDNS_DER_RSA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* n and e point into the reader's input: big-endian magnitudes without
 * the sign byte, so n[0] != 0 and e[0] != 0 (both at least one byte). */
struct der_rsa_pub {
	const uint8_t *n;
	size_t nlen;
	const uint8_t *e;
	size_t elen;
	bool pkcs1; /* bare PKCS#1, not SPKI / PKCS#8 */
};

/*
 * Read exactly one RSA SPKI or PKCS#1 RSAPublicKey filling p[0..len).
 * true: *out filled (pointers into p, valid as long as p is). false: not
 * one of the two in strict DER; *out is then left zeroed.
 */
bool der_rsa_pub_read(const uint8_t *p, size_t len, struct der_rsa_pub *out);

/*
 * The public half of an unencrypted RSA private key filling p[0..len):
 * a PKCS#8 PrivateKeyInfo with rsaEncryption and NULL parameters and no
 * attributes (RFC 5208 5), or a bare two-prime PKCS#1 RSAPrivateKey
 * (RFC 8017 A.1.2; out->pkcs1 then true), strict DER as above. Only n
 * and e are returned; the private values are checked for shape only and
 * stay in the caller's buffer (the caller cleanses it). false: neither.
 */
bool der_rsa_priv_read(const uint8_t *p, size_t len, struct der_rsa_pub *out);

/*
 * Write the SPKI (rsaEncryption, NULL parameters) for n and e, given as
 * big-endian magnitudes (leading zero bytes are skipped; each must have
 * a non-zero byte). Returns the DER length; writes only when out is not
 * NULL and cap is at least that length. 0 if n or e is zero or the key
 * is too large to encode (over 4 GiB).
 */
size_t der_rsa_spki_write(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen,
			  uint8_t *out, size_t cap);

#endif
