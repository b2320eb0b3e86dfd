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

struct dkim_privkey *dkim_privkey_load(const char *path, char *err,
    size_t errlen)
{
	struct dkim_privkey *pk = NULL;
	unsigned char *buf = NULL;
	const unsigned char *p;
	OSSL_DECODER_CTX *dctx = NULL;
	EVP_PKEY *pkey = NULL;
	struct stat st;
	bool wanted_pass = false;
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
			snprintf(err, errlen, "cannot read: %s",
			    strerror(errno));
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

	/* PEM or DER; PKCS#1, PKCS#8 or any structure OpenSSL knows. */
	dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, NULL,
	    EVP_PKEY_KEYPAIR, NULL, NULL);
	if (dctx == NULL ||
	    !OSSL_DECODER_CTX_set_pem_password_cb(dctx, no_passphrase,
	    &wanted_pass)) {
		snprintf(err, errlen, "cannot set up the key decoder");
		goto out;
	}
	p = buf;
	left = (size_t)n;
	if (!OSSL_DECODER_from_data(dctx, &p, &left) || pkey == NULL) {
		snprintf(err, errlen, "%s", wanted_pass ?
		    "encrypted key: give an unencrypted key file" :
		    "no private key in the file (PEM or DER, PKCS#1 or "
		    "PKCS#8 expected)");
		goto out;
	}
	pk = calloc(1, sizeof(*pk));
	if (pk == NULL) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (EVP_PKEY_is_a(pkey, "RSA"))
		pk->ktype = DKIM_K_RSA;
	else if (EVP_PKEY_is_a(pkey, "ED25519"))
		pk->ktype = DKIM_K_ED25519;
	else {
		snprintf(err, errlen, "unsupported key type %s (DKIM signs "
		    "with rsa or ed25519)", EVP_PKEY_get0_type_name(pkey) ?
		    EVP_PKEY_get0_type_name(pkey) : "?");
		free(pk);
		pk = NULL;
		goto out;
	}
	pk->pkey = pkey;
	pkey = NULL;
	pk->bits = pk->ktype == DKIM_K_ED25519 ? 256 :
	    EVP_PKEY_get_bits(pk->pkey);
	pk->world_readable = (st.st_mode & S_IROTH) != 0;
out:
	if (buf != NULL) {
		OPENSSL_cleanse(buf, n > 0 ? (size_t)n : 0);
		free(buf);
	}
	OSSL_DECODER_CTX_free(dctx);
	EVP_PKEY_free(pkey);
	close(fd);
	ERR_clear_error();
	return pk;
}

void dkim_privkey_free(struct dkim_privkey *pk)
{
	if (pk == NULL)
		return;
	EVP_PKEY_free(pk->pkey);
	free(pk);
}

bool dkim_key_matches(const struct dkim_key *pub,
    const struct dkim_privkey *priv)
{
	BIGNUM *n1 = NULL, *e1 = NULL, *n2 = NULL, *e2 = NULL;
	size_t len;
	int r;

	if (pub == NULL || priv == NULL || pub->pkey == NULL ||
	    priv->pkey == NULL)
		return false;
	if (dkim_pubkey_spki(pub->pkey, &len) == NULL &&
	    dkim_pubkey_spki(priv->pkey, &len) == NULL) {
		/* Compares the public components (and the key type). */
		r = EVP_PKEY_eq(pub->pkey, priv->pkey);
		ERR_clear_error();
		return r == 1;
	}
	/* A placeholder (dkim_pubkey.h): the same n and e is the same RSA
	 * key, which is what EVP_PKEY_eq() compares for RSA. */
	r = dkim_pubkey_rsa_ne(pub->pkey, &n1, &e1) &&
	    dkim_pubkey_rsa_ne(priv->pkey, &n2, &e2) &&
	    BN_cmp(n1, n2) == 0 && BN_cmp(e1, e2) == 0;
	BN_free(n1);
	BN_free(e1);
	BN_free(n2);
	BN_free(e2);
	return r;
}

char *dkim_record_for(const struct dkim_privkey *priv)
{
	unsigned char *der = NULL, *w;
	const uint8_t *spki;
	size_t len = 0;
	char *b64 = NULL, *rec = NULL;
	int dlen;

	if (priv == NULL || priv->pkey == NULL)
		return NULL;
	spki = dkim_pubkey_spki(priv->pkey, &len);
	if (spki != NULL && priv->ktype == DKIM_K_RSA) {
		/* a placeholder carries its SPKI already (RFC 6376 3.6.1) */
		der = malloc(len);
		if (der == NULL)
			goto out;
		memcpy(der, spki, len);
	} else if (priv->ktype == DKIM_K_ED25519) {
		/* RFC 8463 4.2: the raw 32-byte public key. */
		len = 32;
		der = malloc(len);
		if (der == NULL || !EVP_PKEY_get_raw_public_key(priv->pkey,
		    der, &len) || len != 32)
			goto out;
	} else {
		/* RFC 6376 3.6.1: RSA as SubjectPublicKeyInfo. */
		dlen = i2d_PUBKEY(priv->pkey, NULL);
		if (dlen <= 0)
			goto out;
		der = malloc((size_t)dlen);
		if (der == NULL)
			goto out;
		w = der;
		if (i2d_PUBKEY(priv->pkey, &w) != dlen)
			goto out;
		len = (size_t)dlen;
	}
	b64 = dkim_base64_encode(der, len);
	if (b64 == NULL)
		goto out;
	len = strlen(b64) + 64;
	rec = malloc(len);
	if (rec != NULL)
		snprintf(rec, len, "v=DKIM1; k=%s; p=%s",
		    dkim_ktype_str(priv->ktype), b64);
out:
	free(der);
	free(b64);
	ERR_clear_error();
	return rec;
}
