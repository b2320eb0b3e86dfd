/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The signing side: a private key file given with -k, whether the
 * published key is its public half, and the record that should be
 * published for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "der_rsa.h"
#include "dkim.h"
#include "dkim_pubkey.h"

/* Never prompt on a terminal for a passphrase: note that one was
 * wanted and fail, so the plugin can say "encrypted". */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	*(bool *)u = true;
	return -1;
}

/* Read at most max bytes of an open file; -1 with errno, or -2 when
 * the file is larger than max. */
static long read_bounded(int fd, unsigned char *buf, size_t max)
{
	size_t got = 0;

	for (;;) {
		ssize_t r = read(fd, buf + got, max + 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (r == 0)
			return (long)got;
		got += (size_t)r;
		if (got > max)
			return -2;
	}
}

static bool pem_ws(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Whether buf[0..len) starts with the NUL-terminated s. */
static bool starts(const unsigned char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && memcmp(buf, s, n) == 0;
}

/*
 * The base64 text of the one PEM block (RFC 7468 2) that makes up the
 * whole file but for trailing whitespace, with the label given:
 * "-----BEGIN label-----", line break, base64 lines, "-----END
 * label-----". false for anything else (text before it, headers such as
 * Proc-Type, a second block): the general decoder's business.
 */
static bool pem_block(const unsigned char *buf, size_t len, const char *label, const char **b64,
		      size_t *b64len)
{
	size_t ll = strlen(label), i, start;

	if (!starts(buf, len, "-----BEGIN ") || len - 11 < ll + 5 ||
	    memcmp(buf + 11, label, ll) != 0 || memcmp(buf + 11 + ll, "-----", 5) != 0)
		return false;
	i = 11 + ll + 5;
	if (i < len && buf[i] == '\r')
		i++;
	if (i >= len || buf[i] != '\n')
		return false;
	start = ++i;
	while (i < len && buf[i] != '-') /* not in the alphabet */
		i++;
	*b64 = (const char *)buf + start;
	*b64len = i - start;
	if (!starts(buf + i, len - i, "-----END ") || len - i - 9 < ll + 5 ||
	    memcmp(buf + i + 9, label, ll) != 0 || memcmp(buf + i + 9 + ll, "-----", 5) != 0)
		return false;
	for (i += 9 + ll + 5; i < len; i++)
		if (!pem_ws(buf[i]))
			return false;
	return true;
}

/*
 * An unencrypted RSA private key, PKCS#8 or PKCS#1, PEM or DER, read by
 * der_rsa.h: its public half as bytes of our own (dkim_pubkey.h), its
 * bits in *bits. Comparing and publishing need no more, and this spares
 * the OSSL_DECODER (~2 MiB) and any EVP_PKEY. NULL: not such a key (or
 * out of memory); the general decoder then decides.
 */
static struct dkim_pubkey *rsa_fast(const unsigned char *buf, size_t len, int *bits)
{
	static const struct {
		const char *label;
		bool pkcs1;
	} pem[] = {
		{"PRIVATE KEY", false},
		{"RSA PRIVATE KEY", true},
	};
	struct der_rsa_pub pub;
	uint8_t *der = NULL;
	const char *b64, *why;
	size_t b64len, dlen = 0, pos, i;
	struct dkim_pubkey *pk = NULL;
	BIGNUM *bn;

	if (len > 0 && buf[0] == 0x30) {
		if (der_rsa_priv_read(buf, len, &pub))
			goto found;
		return NULL;
	}
	for (i = 0; i < sizeof(pem) / sizeof(pem[0]); i++)
		if (pem_block(buf, len, pem[i].label, &b64, &b64len))
			break;
	if (i == sizeof(pem) / sizeof(pem[0]) ||
	    dkim_base64_decode(b64, b64len, LIMIT_DKIM_PRIVKEY_FILE, &der, &dlen, &why, &pos) !=
		    B64_OK ||
	    der == NULL)
		goto out;
	if (!der_rsa_priv_read(der, dlen, &pub) || pub.pkcs1 != pem[i].pkcs1)
		goto out;
found:
	/* the file is at most LIMIT_DKIM_PRIVKEY_FILE bytes: n fits an int */
	bn = BN_bin2bn(pub.n, (int)pub.nlen, NULL);
	if (bn == NULL)
		goto out;
	*bits = BN_num_bits(bn);
	BN_free(bn);
	pk = dkim_pubkey_new_rsa(pub.n, pub.nlen, pub.e, pub.elen);
out:
	if (der != NULL) {
		OPENSSL_cleanse(der, dlen);
		free(der);
	}
	return pk;
}

struct dkim_privkey *dkim_privkey_load(const char *path, char *err, size_t errlen)
{
	struct dkim_privkey *pk = NULL;
	unsigned char *buf = NULL;
	const unsigned char *p;
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	struct stat st;
	bool wanted_pass = false, decoder = false, ok = false;
	long n = 0;
	size_t left;
	int fd;

	err[0] = '\0';
	/* O_NONBLOCK: opening a FIFO for reading blocks until a writer
	 * comes, so -k /some/fifo hung until -t instead of refusing at
	 * once below. On a regular file it changes nothing (POSIX open()),
	 * and it is cleared before reading all the same. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file");
		goto out;
	}
	{
		int fl = fcntl(fd, F_GETFL);

		if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			goto out;
		}
	}
	buf = malloc(LIMIT_DKIM_PRIVKEY_FILE + 1);
	if (buf == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	n = read_bounded(fd, buf, LIMIT_DKIM_PRIVKEY_FILE);
	if (n == -1) {
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (n == -2) {
		snprintf(err, errlen, "larger than %d bytes, not a key file",
			 LIMIT_DKIM_PRIVKEY_FILE);
		n = LIMIT_DKIM_PRIVKEY_FILE + 1;
		goto out;
	}

	pk = calloc(1, sizeof(*pk));
	if (pk == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	pk->mode = (unsigned)(st.st_mode & 07777);
	pk->pub = rsa_fast(buf, (size_t)n, &pk->bits);
	if (pk->pub != NULL) {
		pk->ktype = DKIM_K_RSA;
		ok = true;
		goto out;
	}

	/* PEM or DER; PKCS#1, PKCS#8 or any structure OpenSSL knows. */
	decoder = true;
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL, EVP_PKEY_KEYPAIR, NULL, NULL);
	if (dctx == NULL ||
	    !OSSL_DECODER_CTX_set_pem_password_cb(dctx, no_passphrase, &wanted_pass)) {
		snprintf(err, errlen, "cannot set up the key decoder");
		goto out;
	}
	p = buf;
	left = (size_t)n;
	if (!OSSL_DECODER_from_data(dctx, &p, &left) || pkey == NULL) {
		snprintf(err, errlen, "%s",
			 wanted_pass ? "encrypted key: give an unencrypted key file"
				     : "no private key in the file (PEM or DER, PKCS#1 or "
				       "PKCS#8 expected)");
		goto out;
	}
	if (EVP_PKEY_is_a(pkey, "RSA"))
		pk->ktype = DKIM_K_RSA;
	else if (EVP_PKEY_is_a(pkey, "ED25519"))
		pk->ktype = DKIM_K_ED25519;
	else {
		snprintf(err, errlen,
			 "unsupported key type %s (DKIM signs "
			 "with rsa or ed25519)",
			 EVP_PKEY_get0_type_name(pkey) ? EVP_PKEY_get0_type_name(pkey) : "?");
		goto out;
	}
	pk->bits = pk->ktype == DKIM_K_ED25519 ? 256 : EVP_PKEY_get_bits(pkey);
	pk->pub = dkim_pubkey_from_evp(pkey); /* which owns pkey now */
	pkey = NULL;
	if (pk->pub == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	ok = true;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, n > 0 ? (size_t)n : 0);
		free(buf);
	}
	if (!ok) {
		dkim_privkey_free(pk);
		pk = NULL;
	}
	OSSL_DECODER_CTX_free(dctx);
	EVP_PKEY_free(pkey);
	close(fd);
	/* The decoder leaves its attempts on the error queue; without it
	 * there is nothing to clear, and the first ERR_clear_error() would
	 * set up libcrypto for nothing (1.5 MiB). */
	if (decoder)
		ERR_clear_error();
	return pk;
}

void dkim_privkey_free(struct dkim_privkey *pk)
{
	if (pk == NULL)
		return;
	dkim_pubkey_free(pk->pub);
	free(pk);
}

bool dkim_key_matches(const struct dkim_key *pub, const struct dkim_privkey *priv)
{
	BIGNUM *n1 = NULL, *e1 = NULL, *n2 = NULL, *e2 = NULL;
	uint8_t raw1[32], raw2[32];
	int r;

	if (pub == NULL || priv == NULL || pub->pub == NULL || priv->pub == NULL)
		return false;
	if (dkim_pubkey_evp(pub->pub) != NULL && dkim_pubkey_evp(priv->pub) != NULL) {
		/* Compares the public components (and the key type). */
		r = EVP_PKEY_eq(dkim_pubkey_evp(pub->pub), dkim_pubkey_evp(priv->pub));
		ERR_clear_error();
		return r == 1;
	}
	/* One of ours (dkim_pubkey.h): what EVP_PKEY_eq() compares, the
	 * type and the public components: n and e, or the 32 bytes. */
	if (pub->ktype != priv->ktype)
		return false;
	if (pub->ktype == DKIM_K_ED25519)
		return dkim_pubkey_ed25519(pub->pub, raw1) &&
		       dkim_pubkey_ed25519(priv->pub, raw2) &&
		       memcmp(raw1, raw2, sizeof(raw1)) == 0;
	r = dkim_pubkey_rsa_ne(pub->pub, &n1, &e1) && dkim_pubkey_rsa_ne(priv->pub, &n2, &e2) &&
	    BN_cmp(n1, n2) == 0 && BN_cmp(e1, e2) == 0;
	BN_free(n1);
	BN_free(e1);
	BN_free(n2);
	BN_free(e2);
	return r;
}

/* Base64 of the key to publish for a key OpenSSL holds: RFC 8463 4.2
 * raw Ed25519, RFC 6376 3.6.1 RSA SPKI. */
static char *openssl_key_b64(enum dkim_ktype t, const EVP_PKEY *pk)
{
	unsigned char *der = NULL, *w;
	size_t len = 0;
	char *b64 = NULL;
	int dlen;

	if (t == DKIM_K_ED25519) {
		len = 32;
		der = malloc(len);
		if (der == NULL || !EVP_PKEY_get_raw_public_key(pk, der, &len) || len != 32)
			goto out;
	} else {
		dlen = i2d_PUBKEY(pk, NULL);
		if (dlen <= 0)
			goto out;
		der = malloc((size_t)dlen);
		if (der == NULL)
			goto out;
		w = der;
		if (i2d_PUBKEY(pk, &w) != dlen)
			goto out;
		len = (size_t)dlen;
	}
	b64 = dkim_base64_encode(der, len);
out:
	free(der);
	ERR_clear_error();
	return b64;
}

char *dkim_record_for(const struct dkim_privkey *priv)
{
	if (priv == NULL)
		return NULL;
	return dkim_record_for_pub(priv->ktype, priv->pub);
}

char *dkim_record_for_pub(enum dkim_ktype t, const struct dkim_pubkey *pub)
{
	const uint8_t *spki;
	uint8_t raw[32];
	size_t len = 0;
	char *b64, *rec = NULL;

	if (pub == NULL)
		return NULL;
	spki = dkim_pubkey_spki(pub, &len);
	/* A key of our own carries what to publish already: no OpenSSL
	 * call, and so no error queue to empty (its first use costs
	 * 1.5 MiB). */
	if (dkim_pubkey_evp(pub) != NULL)
		b64 = openssl_key_b64(t, dkim_pubkey_evp(pub));
	else if (spki != NULL && t == DKIM_K_RSA)
		b64 = dkim_base64_encode(spki, len);
	else if (t == DKIM_K_ED25519 && dkim_pubkey_ed25519(pub, raw))
		b64 = dkim_base64_encode(raw, sizeof(raw));
	else
		b64 = NULL;
	if (b64 == NULL)
		return NULL;
	len = strlen(b64) + 64;
	rec = malloc(len);
	if (rec != NULL)
		snprintf(rec, len, "v=DKIM1; k=%s; p=%s", dkim_ktype_str(t), b64);
	free(b64);
	return rec;
}
