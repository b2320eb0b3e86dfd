/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DANE for SMTP (RFC 7672, RFC 7671, RFC 6698): TLSA records matched
 * against the certificate chain a server presented, with OpenSSL
 * digests. ldns's DANE helpers would need ldns types outside resolver.c,
 * so the matching is done here on plain bytes.
 *
 * Usable records (RFC 7672 3.1): usage 3 DANE-EE and 2 DANE-TA;
 * selector 0 (whole certificate) and 1 (SubjectPublicKeyInfo); matching
 * type 0 (exact), 1 (SHA-256), 2 (SHA-512). Usages 0 and 1 (PKIX-TA,
 * PKIX-EE) are unusable for SMTP (RFC 7672 3.1.3) and skipped, as are
 * unknown parameters.
 *
 *   - DANE-EE: the leaf matches; its names and dates are not checked
 *     (RFC 7672 3.1.1).
 *   - DANE-TA: a certificate of the chain above the leaf matches, and
 *     the leaf verifies up to it (it is the trust anchor; partial chains
 *     allowed) with the MX host name checked (RFC 7672 3.1.2, 3.2.2).
 *
 * Nothing here prints, exits or queries DNS: the caller looks the TLSA
 * RRset up (DNSSEC-authenticated) and passes its records.
 */
#ifndef MAILDNS_DANE_H
#define MAILDNS_DANE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tlsa_rec {
	uint8_t usage, selector, mtype;
	const uint8_t *data;
	size_t len;
};

enum dane_result {
	DANE_MATCH,             /* a usable record authenticates the server */
	DANE_NO_MATCH,          /* usable records, none matched */
	DANE_NO_USABLE,         /* no record with usage 2/3, selector 0/1,
	                           matching type 0/1/2 */
	DANE_NO_CHAIN,          /* no certificate to match (or unparsable) */
};

struct dane_outcome {
	enum dane_result result;
	size_t usable;          /* usable records seen */
	size_t matched;         /* index of the matching record (MATCH) */
	size_t depth;           /* chain index it matched (0: the leaf) */
	char detail[128];       /* DANE-TA: why a matching anchor did not
	                           verify the leaf ("certificate has expired",
	                           "hostname mismatch"); else empty */
};

/*
 * Match n records against a chain of nchain DER certificates (leaf
 * first), for the MX host name host (DANE-TA name check). Returns
 * out->result.
 */
enum dane_result dane_match(const struct tlsa_rec *recs, size_t n, const uint8_t *const *chain,
			    const size_t *chain_len, size_t nchain, const char *host,
			    struct dane_outcome *out);

/*
 * The data of a "3 1 1" record for a certificate: SHA-256 of its
 * SubjectPublicKeyInfo in lower-case hex (64 digits). hex must hold 65
 * bytes. False when the DER does not parse.
 */
bool dane_spki_sha256_hex(const uint8_t *der, size_t len, char *hex, size_t hexlen);

/* "DANE-EE", "DANE-TA", "PKIX-TA", "PKIX-EE", "usage N" (static or buf). */
const char *dane_usage_str(uint8_t usage);

#endif
