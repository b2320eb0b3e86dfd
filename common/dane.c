/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DANE through OpenSSL (RFC 7672, RFC 7671). See dane.h. The matching
 * itself is OpenSSL's; what is left here is the SMTP policy around it
 * (which records are given, the flags and names Postfix uses) and the
 * outcome as the plugin reports it.
 */
#include "dane.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "smtp_probe.h" /* SMTP_HOST_FLAGS */

enum {
	USAGE_PKIX_TA,
	USAGE_PKIX_EE,
	USAGE_DANE_TA,
	USAGE_DANE_EE
};

const char *dane_usage_str(uint8_t usage)
{
	switch (usage) {
	case USAGE_PKIX_TA:
		return "PKIX-TA";
	case USAGE_PKIX_EE:
		return "PKIX-EE";
	case USAGE_DANE_TA:
		return "DANE-TA";
	case USAGE_DANE_EE:
		return "DANE-EE";
	}
	return "unknown usage";
}

bool dane_ssl_enable(SSL *ssl, const char *base, const char *host, const struct tlsa_rec *recs,
		     size_t n, struct dane_outcome *out)
{
	memset(out, 0, sizeof(*out));
	/* RFC 7672 3.2.3: the TLSA base domain is the first reference
	 * identifier (and the SNI, when none is set yet), the MX host name
	 * another; DANE-EE skips name checks, as in Postfix. */
	if (SSL_dane_enable(ssl, base) <= 0) {
		snprintf(out->detail, sizeof(out->detail), "cannot enable DANE");
		return false;
	}
	SSL_dane_set_flags(ssl, DANE_FLAG_NO_DANE_EE_NAMECHECKS);
	SSL_set_hostflags(ssl, SMTP_HOST_FLAGS);
	if (host != NULL && strcasecmp(host, base) != 0 && SSL_add1_host(ssl, host) != 1) {
		snprintf(out->detail, sizeof(out->detail), "cannot enable DANE");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		const struct tlsa_rec *r = &recs[i];
		int rc;

		/* RFC 7672 3.1.3: PKIX-TA/PKIX-EE are not used for SMTP. */
		if (r->usage != USAGE_DANE_TA && r->usage != USAGE_DANE_EE) {
			continue;
		}
		rc = SSL_dane_tlsa_add(ssl, r->usage, r->selector, r->mtype, r->data, r->len);
		if (rc < 0) {
			snprintf(out->detail, sizeof(out->detail), "cannot add a TLSA record");
			return false;
		}
		/* 0: a record OpenSSL cannot use (unknown selector or
		 * matching type, wrong digest length, data that does not
		 * parse): skipped, as Postfix does. */
		out->usable += rc > 0;
	}
	ERR_clear_error();
	if (out->usable == 0) {
		/* With no record OpenSSL verifies the PKIX way; the names
		 * SSL_dane_enable() set are taken back, the name check of
		 * that path is the caller's (X509_check_host()). */
		SSL_set1_host(ssl, NULL);
		out->result = DANE_NO_USABLE;
	}
	return true;
}

/* The index of the record OpenSSL matched, by its parameters and data
 * (OpenSSL keeps a copy); n when it is not found. */
static size_t matched_index(SSL *ssl, const struct tlsa_rec *recs, size_t n)
{
	uint8_t usage = 0, selector = 0, mtype = 0;
	unsigned const char *data = NULL;
	size_t dlen = 0;

	if (SSL_get0_dane_tlsa(ssl, &usage, &selector, &mtype, &data, &dlen) < 0) {
		return n;
	}
	for (size_t i = 0; i < n; i++) {
		if (recs[i].usage == usage && recs[i].selector == selector &&
		    recs[i].mtype == mtype && recs[i].len == dlen &&
		    (dlen == 0 || memcmp(recs[i].data, data, dlen) == 0)) {
			return i;
		}
	}
	return n;
}

void dane_ssl_outcome(SSL *ssl, const struct tlsa_rec *recs, size_t n, int verify_err,
		      struct dane_outcome *out)
{
	int depth;
	size_t i;

	out->detail[0] = '\0';
	if (SSL_get0_peer_certificate(ssl) == NULL) {
		out->result = DANE_NO_CHAIN;
		return;
	}
	/* A record matched (at this depth) and, with the verify callback
	 * going on past errors, nothing else failed: the leaf's purpose, and
	 * for DANE-TA the names and dates. */
	depth = SSL_get0_dane_authority(ssl, NULL, NULL);
	i = matched_index(ssl, recs, n);
	if (depth >= 0 && verify_err == X509_V_OK && i < n) {
		out->result = DANE_MATCH;
		out->matched = i;
		out->depth = (size_t)depth;
		return;
	}
	out->result = DANE_NO_MATCH;
	if (verify_err != X509_V_OK && verify_err != X509_V_ERR_DANE_NO_MATCH) {
		snprintf(out->detail, sizeof(out->detail), "%s",
			 X509_verify_cert_error_string(verify_err));
	}
}

/*
 * The fix line's record for the live certificate. OpenSSL matches TLSA
 * records but has no call that makes one, so this stays here.
 */
bool dane_spki_sha256_hex(const uint8_t *der, size_t len, char *hex, size_t hexlen)
{
	const unsigned char *p = der;
	X509 *x = d2i_X509(NULL, &p, (long)len);
	unsigned char *spki = NULL, md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	int n;
	bool ok = false;

	if (x == NULL || hexlen < 65) {
		X509_free(x);
		return false;
	}
	n = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), &spki);
	if (n > 0 && EVP_Digest(spki, (size_t)n, md, &mdlen, EVP_sha256(), NULL) == 1 &&
	    mdlen == 32) {
		for (unsigned int i = 0; i < mdlen; i++) {
			snprintf(hex + 2 * i, 3, "%02x", md[i]);
		}
		ok = true;
	}
	OPENSSL_free(spki);
	X509_free(x);
	return ok;
}
