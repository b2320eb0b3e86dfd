/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * TLSA matching (RFC 6698 2.1, RFC 7671, RFC 7672 3.1). See dane.h.
 */
#include "dane.h"

#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include "bounds.h"
#include "smtp_probe.h" /* SMTP_HOST_FLAGS */

enum { USAGE_PKIX_TA, USAGE_PKIX_EE, USAGE_DANE_TA, USAGE_DANE_EE };

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

static bool usable(const struct tlsa_rec *r)
{
	/* RFC 7672 3.1.3: PKIX-TA/PKIX-EE are not used for SMTP. */
	return (r->usage == USAGE_DANE_TA || r->usage == USAGE_DANE_EE) && r->selector <= 1 &&
	       r->mtype <= 2;
}

/* The selected bytes of x (RFC 6698 2.1.2): owned by the caller
 * (OPENSSL_free); 0 when they cannot be had. */
static int selected(X509 *x, uint8_t selector, unsigned char **out)
{
	*out = NULL;
	if (selector == 0) {
		return i2d_X509(x, out);
	}
	return i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x), out);
}

/* RFC 6698 2.1.3: 0 exact, 1 SHA-256, 2 SHA-512. */
static bool data_matches(const struct tlsa_rec *r, const unsigned char *sel, size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	const EVP_MD *type;

	if (r->mtype == 0) {
		return r->len == len && memcmp(r->data, sel, len) == 0;
	}
	type = r->mtype == 1 ? EVP_sha256() : EVP_sha512();
	if (EVP_Digest(sel, len, md, &mdlen, type, NULL) != 1) {
		return false;
	}
	return r->len == mdlen && memcmp(r->data, md, mdlen) == 0;
}

static bool cert_matches(const struct tlsa_rec *r, X509 *x)
{
	unsigned char *sel = NULL;
	int n = selected(x, r->selector, &sel);
	bool m = n > 0 && data_matches(r, sel, (size_t)n);

	OPENSSL_free(sel);
	return m;
}

/*
 * DANE-TA: the leaf must verify up to the matching certificate taken as
 * trust anchor (partial chain), with the MX name as reference identity
 * (RFC 7672 3.2.2). Dates are checked as usual.
 */
static bool ta_verifies(X509 **certs, size_t n, size_t depth, const char *host, char *why,
			size_t whylen)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	STACK_OF(X509) *untrusted = sk_X509_new_null();
	bool ok = false;

	if (store == NULL || ctx == NULL || untrusted == NULL ||
	    X509_STORE_add_cert(store, certs[depth]) != 1) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	for (size_t i = 1; i < n; i++) {
		if (!sk_X509_push(untrusted, certs[i])) {
			snprintf(why, whylen, "out of memory");
			goto out;
		}
	}
	if (X509_STORE_CTX_init(ctx, store, certs[0], untrusted) != 1) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	X509_STORE_CTX_set_flags(ctx, X509_V_FLAG_PARTIAL_CHAIN);
	X509_VERIFY_PARAM_set_hostflags(X509_STORE_CTX_get0_param(ctx), SMTP_HOST_FLAGS);
	X509_VERIFY_PARAM_set1_host(X509_STORE_CTX_get0_param(ctx), host, strlen(host));
	ok = X509_verify_cert(ctx) == 1;
	if (!ok) {
		snprintf(why, whylen, "%s",
			 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
	}
out:
	sk_X509_free(untrusted); /* the certificates belong to the caller */
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return ok;
}

enum dane_result dane_match(const struct tlsa_rec *recs, size_t n, const uint8_t *const *chain,
			    const size_t *chain_len, size_t nchain, const char *host,
			    struct dane_outcome *out)
{
	X509 *certs[LIMIT_TLS_CHAIN];
	size_t ncerts = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		out->usable += usable(&recs[i]);
	}
	if (out->usable == 0) {
		return out->result = DANE_NO_USABLE;
	}
	for (size_t i = 0; i < nchain && i < LIMIT_TLS_CHAIN; i++) {
		const unsigned char *p = chain[i];

		certs[ncerts] = d2i_X509(NULL, &p, (long)chain_len[i]);
		if (certs[ncerts] == NULL) {
			break;
		}
		ncerts++;
	}
	out->result = ncerts == 0 ? DANE_NO_CHAIN : DANE_NO_MATCH;
	for (size_t i = 0; i < n && ncerts > 0 && out->result != DANE_MATCH; i++) {
		const struct tlsa_rec *r = &recs[i];

		if (!usable(r)) {
			continue;
		}
		if (r->usage == USAGE_DANE_EE) {
			if (cert_matches(r, certs[0])) {
				out->result = DANE_MATCH;
				out->matched = i;
				out->depth = 0;
			}
			continue;
		}
		for (size_t d = 1; d < ncerts; d++) {
			if (!cert_matches(r, certs[d])) {
				continue;
			}
			if (ta_verifies(certs, ncerts, d, host, out->detail,
					sizeof(out->detail))) {
				out->result = DANE_MATCH;
				out->matched = i;
				out->depth = d;
				out->detail[0] = '\0';
			}
			break;
		}
	}
	for (size_t i = 0; i < ncerts; i++) {
		X509_free(certs[i]);
	}
	return out->result;
}

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
