/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * RSA keys in strict DER: see der_rsa.h for what is accepted and why.
 * Every length is checked against what is left before any byte past it
 * is read.
 */
#include <string.h>

#include "der_rsa.h"

#define TAG_INTEGER     0x02
#define TAG_BITSTRING   0x03
#define TAG_OCTETSTRING 0x04
#define TAG_SEQUENCE    0x30 /* constructed, X.690 8.9 */

/* AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
 * (RFC 3279 2.3.1: the parameters MUST be NULL), whole TLV. */
static const uint8_t rsa_algid[] = {
	0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00,
};

/* Lengths of more than four octets would describe 4 GiB or more: no key
 * is that large, and refusing them keeps every length in a size_t. */
#define MAX_LEN_OCTETS 4

struct cur {
	const uint8_t *p;
	size_t left;
};

/*
 * One TLV with the given one-octet tag at c; its contents in *v and *vlen,
 * c moved past it. X.690 10.1: the definite form, and the long form only
 * when the short one cannot hold the length, in the fewest octets.
 */
static bool tlv(struct cur *c, uint8_t tag, const uint8_t **v, size_t *vlen)
{
	size_t len, nlen, i;

	if (c->left < 2 || c->p[0] != tag)
		return false;
	if (c->p[1] < 0x80) {
		len = c->p[1];
		nlen = 0;
	} else {
		nlen = c->p[1] & 0x7f;
		/* 0x80 is the indefinite form (BER only), 0xff reserved */
		if (nlen == 0 || nlen > MAX_LEN_OCTETS || c->left - 2 < nlen)
			return false;
		if (c->p[2] == 0) /* leading zero octet */
			return false;
		len = 0;
		for (i = 0; i < nlen; i++)
			len = (len << 8) | c->p[2 + i];
		if (len < 0x80) /* fits the short form */
			return false;
	}
	if (c->left - 2 - nlen < len)
		return false;
	*v = c->p + 2 + nlen;
	*vlen = len;
	c->p += 2 + nlen + len;
	c->left -= 2 + nlen + len;
	return true;
}

/* A positive INTEGER in its fewest octets (X.690 8.3.2); the magnitude
 * without the sign octet in *v, *vlen. */
static bool positive_int(struct cur *c, const uint8_t **v, size_t *vlen)
{
	const uint8_t *b;
	size_t n;

	if (!tlv(c, TAG_INTEGER, &b, &n) || n == 0)
		return false;
	if (b[0] & 0x80) /* negative */
		return false;
	if (b[0] == 0) {
		/* only as the sign octet of a magnitude with its top bit
		 * set; alone it is zero, before a smaller octet padding */
		if (n == 1 || !(b[1] & 0x80))
			return false;
		b++;
		n--;
	}
	*v = b;
	*vlen = n;
	return true;
}

/* RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
 * (RFC 8017 A.1.1), filling c exactly. */
static bool rsa_public_key(struct cur *c, struct der_rsa_pub *out)
{
	struct cur in;

	if (!tlv(c, TAG_SEQUENCE, &in.p, &in.left) || c->left != 0)
		return false;
	if (!positive_int(&in, &out->n, &out->nlen) || !positive_int(&in, &out->e, &out->elen))
		return false;
	return in.left == 0;
}

/* The AlgorithmIdentifier at c, byte for byte rsa_algid: any other OID,
 * absent or other parameters, are the general decoder's (K-04). */
static bool rsa_algorithm(struct cur *c)
{
	const uint8_t *start = c->p, *body;
	size_t blen;

	return tlv(c, TAG_SEQUENCE, &body, &blen) && (size_t)(c->p - start) == sizeof(rsa_algid) &&
	       memcmp(start, rsa_algid, sizeof(rsa_algid)) == 0;
}

/* SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier,
 * subjectPublicKey BIT STRING } (RFC 5280 4.1.2.7), the BIT STRING with
 * no unused bits holding the RSAPublicKey (RFC 3279 2.3.1). */
static bool spki(struct cur *c, struct der_rsa_pub *out)
{
	struct cur in, key;

	if (!tlv(c, TAG_SEQUENCE, &in.p, &in.left) || c->left != 0)
		return false;
	if (!rsa_algorithm(&in))
		return false;
	if (!tlv(&in, TAG_BITSTRING, &key.p, &key.left) || in.left != 0)
		return false;
	if (key.left < 1 || key.p[0] != 0) /* unused-bits octet */
		return false;
	key.p++;
	key.left--;
	return rsa_public_key(&key, out);
}

typedef bool reader(struct cur *, struct der_rsa_pub *);

/* The key in p, len as the wrapped form (algorithm named) or else the
 * bare PKCS#1 one; out zeroed unless one of them reads it all. */
static bool read_either(const uint8_t *p, size_t len, reader *wrapped, reader *bare,
			struct der_rsa_pub *out)
{
	struct cur c;

	memset(out, 0, sizeof(*out));
	if (p == NULL || len < 2 || p[0] != TAG_SEQUENCE)
		return false;
	c.p = p;
	c.left = len;
	if (wrapped(&c, out))
		return true;
	memset(out, 0, sizeof(*out));
	c.p = p;
	c.left = len;
	if (bare(&c, out)) {
		out->pkcs1 = true;
		return true;
	}
	memset(out, 0, sizeof(*out));
	return false;
}

bool der_rsa_pub_read(const uint8_t *p, size_t len, struct der_rsa_pub *out)
{
	/* An SPKI starts with the AlgorithmIdentifier SEQUENCE, an
	 * RSAPublicKey with the modulus: at most one of them reads it. */
	return read_either(p, len, spki, rsa_public_key, out);
}

/* INTEGER 0, the version of both private key structures read here. */
static bool version_zero(struct cur *c)
{
	const uint8_t *v;
	size_t n;

	return tlv(c, TAG_INTEGER, &v, &n) && n == 1 && v[0] == 0;
}

/*
 * RSAPrivateKey ::= SEQUENCE { version 0, modulus, publicExponent,
 * privateExponent, prime1, prime2, exponent1, exponent2, coefficient }
 * (RFC 8017 A.1.2; version 0: two primes, no otherPrimeInfos), filling c
 * exactly. Only n and e are kept; the private values are checked for
 * shape and left where they are.
 */
static bool rsa_private_key(struct cur *c, struct der_rsa_pub *out)
{
	struct cur in;
	const uint8_t *v;
	size_t vlen;
	int i;

	if (!tlv(c, TAG_SEQUENCE, &in.p, &in.left) || c->left != 0)
		return false;
	if (!version_zero(&in) || !positive_int(&in, &out->n, &out->nlen) ||
	    !positive_int(&in, &out->e, &out->elen))
		return false;
	for (i = 0; i < 6; i++)
		if (!positive_int(&in, &v, &vlen))
			return false;
	return in.left == 0;
}

/* PrivateKeyInfo ::= SEQUENCE { version 0, privateKeyAlgorithm,
 * privateKey OCTET STRING } (RFC 5208 5; no attributes), the algorithm
 * rsaEncryption with NULL parameters, the octets an RSAPrivateKey. */
static bool private_key_info(struct cur *c, struct der_rsa_pub *out)
{
	struct cur in, key;

	if (!tlv(c, TAG_SEQUENCE, &in.p, &in.left) || c->left != 0)
		return false;
	if (!version_zero(&in))
		return false;
	if (!rsa_algorithm(&in))
		return false;
	if (!tlv(&in, TAG_OCTETSTRING, &key.p, &key.left) || in.left != 0)
		return false;
	return rsa_private_key(&key, out);
}

bool der_rsa_priv_read(const uint8_t *p, size_t len, struct der_rsa_pub *out)
{
	return read_either(p, len, private_key_info, rsa_private_key, out);
}

/* Octets of a DER length field for len (at most 2^32 - 1). */
static size_t len_octets(size_t len)
{
	size_t n = 1;

	if (len < 0x80)
		return 1;
	while (len > 0) {
		n++;
		len >>= 8;
	}
	return n;
}

static uint8_t *put_len(uint8_t *w, size_t len)
{
	size_t n = len_octets(len) - 1, i;

	if (n == 0) {
		*w++ = (uint8_t)len;
		return w;
	}
	*w++ = (uint8_t)(0x80 | n);
	for (i = n; i > 0; i--)
		*w++ = (uint8_t)(len >> (8 * (i - 1)));
	return w;
}

/* Contents length of the INTEGER for magnitude x (sign octet added when
 * the top bit is set). */
static size_t int_body(const uint8_t *x, size_t xlen)
{
	return xlen + ((x[0] & 0x80) ? 1 : 0);
}

static uint8_t *put_int(uint8_t *w, const uint8_t *x, size_t xlen)
{
	*w++ = TAG_INTEGER;
	w = put_len(w, int_body(x, xlen));
	if (x[0] & 0x80)
		*w++ = 0;
	memcpy(w, x, xlen);
	return w + xlen;
}

size_t der_rsa_spki_write(const uint8_t *n, size_t nlen, const uint8_t *e, size_t elen,
			  uint8_t *out, size_t cap)
{
	size_t ni, ei, seq, bits, total;
	uint8_t *w;

	while (nlen > 0 && n[0] == 0) {
		n++;
		nlen--;
	}
	while (elen > 0 && e[0] == 0) {
		e++;
		elen--;
	}
	/* below 2^30 each, every sum below stays under 2^32 */
	if (nlen == 0 || elen == 0 || nlen > 0x3fffffff || elen > 0x3fffffff)
		return 0;
	ni = int_body(n, nlen);
	ei = int_body(e, elen);
	seq = 1 + len_octets(ni) + ni + 1 + len_octets(ei) + ei;
	bits = 1 + 1 + len_octets(seq) + seq; /* unused-bits octet first */
	total = sizeof(rsa_algid) + 1 + len_octets(bits) + bits;
	if (out == NULL || cap < 1 + len_octets(total) + total)
		return 1 + len_octets(total) + total;
	w = out;
	*w++ = TAG_SEQUENCE;
	w = put_len(w, total);
	memcpy(w, rsa_algid, sizeof(rsa_algid));
	w += sizeof(rsa_algid);
	*w++ = TAG_BITSTRING;
	w = put_len(w, bits);
	*w++ = 0;
	*w++ = TAG_SEQUENCE;
	w = put_len(w, seq);
	w = put_int(w, n, nlen);
	w = put_int(w, e, elen);
	return (size_t)(w - out);
}
