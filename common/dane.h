/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DANE for SMTP (RFC 7672, RFC 7671, RFC 6698) with OpenSSL's own DANE
 * support, the code Postfix uses: the TLSA records are given to the
 * connection before the handshake (SSL_dane_enable, SSL_dane_tlsa_add)
 * and OpenSSL's certificate verification decides, so the verdict is the
 * one of the MTA that will deliver.
 *
 * Usable records (RFC 7672 3.1): usage 3 DANE-EE and 2 DANE-TA, with the
 * selectors and matching types OpenSSL supports (0/1 and 0/1/2, digest
 * agility of RFC 7671 9 as OpenSSL applies it). Usages 0 and 1 (PKIX-TA,
 * PKIX-EE) are unusable for SMTP (RFC 7672 3.1.3) and skipped, as are
 * records OpenSSL refuses (unknown parameters, data that does not parse).
 *
 *   - DANE-EE: the leaf matches; nothing else is checked, not its names
 *     nor its dates (RFC 7672 3.1.1; DANE_FLAG_NO_DANE_EE_NAMECHECKS, as
 *     Postfix sets).
 *   - DANE-TA: a certificate the server sent (or its key) matches and
 *     the leaf verifies up to it as to a trust anchor, with the TLS
 *     server purpose, its dates and the reference identifiers of RFC 7672
 *     3.2.3: the TLSA base domain and the MX host name, matched as
 *     SMTP_HOST_FLAGS says (subjectAltName DNS names only, no partial
 *     wildcards).
 *
 * Nothing here prints, exits or queries DNS: the caller looks the TLSA
 * RRset up (DNSSEC-authenticated) and passes its records.
 */
#ifndef MAILDNS_DANE_H
#define MAILDNS_DANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

struct tlsa_rec {
	uint8_t usage, selector, mtype;
	const uint8_t *data;
	size_t len;
};

enum dane_result {
	DANE_NONE,      /* not looked at (no records given, or no
			   completed handshake) */
	DANE_MATCH,     /* a usable record authenticates the server */
	DANE_NO_MATCH,  /* usable records, none authenticates it */
	DANE_NO_USABLE, /* no record OpenSSL can use with usage 2/3
			   (DANE is then not enabled: the handshake
			   verifies the PKIX way) */
	DANE_NO_CHAIN,  /* the server presented no certificate */
};

struct dane_outcome {
	enum dane_result result;
	size_t usable;    /* records given to OpenSSL */
	size_t matched;   /* index of the matching record (MATCH) */
	size_t depth;     /* chain depth it matched (0: the leaf) */
	char detail[128]; /* NO_MATCH: why the verification failed when
			     it was not simply that nothing matched
			     ("hostname mismatch", "certificate has
			     expired"); else empty */
};

/*
 * Before the handshake of ssl, whose SSL_CTX had SSL_CTX_dane_enable():
 * enable DANE with the TLSA base domain base and the MX host name host as
 * reference identifiers, and add the usable ones of the n records (borrowed
 * until dane_ssl_outcome()). out is reset; out->usable counts the records
 * added, and when there is none out->result is DANE_NO_USABLE and DANE is
 * not enabled. False only when OpenSSL failed (no memory): out->detail.
 */
bool dane_ssl_enable(SSL *ssl, const char *base, const char *host, const struct tlsa_rec *recs,
		     size_t n, struct dane_outcome *out);

/*
 * After the completed handshake of an ssl dane_ssl_enable() enabled DANE
 * on (out->usable > 0): OpenSSL's verdict into out. verify_err is the
 * first error the verify callback saw during the handshake (X509_V_OK for
 * none); the callback must return 1 so that the handshake completes and
 * every problem can be reported.
 */
void dane_ssl_outcome(SSL *ssl, const struct tlsa_rec *recs, size_t n, int verify_err,
		      struct dane_outcome *out);

/*
 * The data of a "3 1 1" record for a certificate: SHA-256 of its
 * SubjectPublicKeyInfo in lower-case hex (64 digits). hex must hold 65
 * bytes. False when the DER does not parse.
 */
bool dane_spki_sha256_hex(const uint8_t *der, size_t len, char *hex, size_t hexlen);

/* "DANE-EE", "DANE-TA", "PKIX-TA", "PKIX-EE", "unknown usage". */
const char *dane_usage_str(uint8_t usage);

#endif
