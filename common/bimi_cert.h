/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The BIMI evidence document: a Verified Mark Certificate (VMC) chain in
 * PEM, leaf first, as fetched from a= (draft-brand-indicators-for-
 * message-identification 4.3; draft-fetch-validation-vmc-wchuang). What
 * a receiver checks: the chain parses, the leaf carries the logotype
 * extension (RFC 3709, 1.3.6.1.5.5.7.1.12) and the BIMI Mark Verified
 * extended key usage (1.3.6.1.5.5.7.3.31), a subjectAltName DNS name is
 * the BIMI domain (or SELECTOR._bimi.DOMAIN), its validity dates, and
 * whether the chain verifies against a trust store.
 *
 * Two steps: bimi_cert_parse() is a pure function over (pointer,
 * length); bimi_cert_verify() builds an X509_STORE from a CA file and/or
 * the system store (the only file reading here) and runs
 * X509_verify_cert(). The logotype's embedded SVG is not extracted (the
 * plugin checks the l= SVG with common/svg_tinyps.h).
 *
 * Findings use enum bimi_cert_code with the default states given there;
 * certificate text in them is escaped. Days to expiry are given, not
 * judged: the plugin applies --cert-warning/--cert-critical as check_mx
 * does.
 *
 * For check_bimi: c = bimi_cert_parse(body, len, &domain_of_the_record,
 * selector, 0); bimi_cert_verify(c, ca_file_option, true) (or false to
 * trust only the given file); then c->findings mapped to states,
 * c->days_left against the thresholds, c->subject/issuer/names for -v;
 * bimi_cert_free(c). A BIMI_C_UNTRUSTED without a CA file is the normal
 * case today: say so rather than CRITICAL unless the user asked for
 * verification.
 */
#ifndef MAILDNS_BIMI_CERT_H
#define MAILDNS_BIMI_CERT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "bounds.h"
#include "dname.h"
#include "finding.h"

enum bimi_cert_code {
	BIMI_C_TOO_LARGE = 500, /* PEM over LIMIT_BIMI_PEM_BYTES, refused
				   before parsing (P-05): CRITICAL naming the
				   size */
	BIMI_C_PARSE,           /* no certificate, or certificate N does
				   not parse (OpenSSL's reason): CRITICAL */
	BIMI_C_CHAIN_LONG,      /* more than LIMIT_BIMI_CHAIN certificates:
				   the rest ignored: WARNING */
	BIMI_C_ORDER,           /* the first certificate is a CA, or one is
				   not issued by the next (leaf first, then
				   its issuers): WARNING */
	BIMI_C_NO_LOGOTYPE,     /* leaf without the logotype extension:
				   CRITICAL (no mark to show) */
	BIMI_C_LOGOTYPE,        /* ... with it: OK note, -v */
	BIMI_C_NO_EKU,          /* leaf without the BIMI EKU
				   1.3.6.1.5.5.7.3.31: CRITICAL */
	BIMI_C_EKU,             /* ... with it: OK note, -v */
	BIMI_C_NAME,            /* no subjectAltName DNS name is the domain
				   or SELECTOR._bimi.DOMAIN (exact, ASCII
				   case-insensitive, no wildcards): CRITICAL
				   naming the names found */
	BIMI_C_NAME_OK,         /* the name that matched: OK note, -v */
	BIMI_C_EXPIRED,         /* notAfter passed: CRITICAL naming it */
	BIMI_C_NOT_YET_VALID,   /* notBefore in the future: CRITICAL */
	BIMI_C_UNTRUSTED,       /* bimi_cert_verify(): "not verified: issuer
				   not in the trust store" (VMC roots are not
				   in the system store; give the MVA roots
				   with a CA file): WARNING, for the plugin
				   to map */
	BIMI_C_VERIFY,          /* the chain does not verify for another
				   reason (bad signature, CA constraints,
				   ...): CRITICAL with OpenSSL's reason */
	BIMI_C_VERIFIED,        /* the chain verifies: OK note, -v */
	BIMI_C_STORE,           /* the CA file cannot be read or holds no
				   certificate, or the store cannot be built:
				   UNKNOWN (our input) */
};

enum bimi_verify {
	BIMI_VERIFY_NOT_TRIED, /* bimi_cert_verify() not called, or no
				  certificate */
	BIMI_VERIFY_OK,
	BIMI_VERIFY_UNTRUSTED, /* issuer not in the trust store */
	BIMI_VERIFY_FAILED,    /* another verification error */
	BIMI_VERIFY_STORE,     /* the trust store could not be built */
};

struct bimi_cert {
	size_t nchain; /* certificates parsed (<= LIMIT_BIMI_CHAIN) */
	bool has_logotype, has_bimi_eku;
	bool name_ok;      /* a SAN DNS name matched */
	char subject[320]; /* leaf subject (RFC 2253), escaped, cut */
	char issuer[320];  /* leaf issuer, escaped, cut */
	char names[512];   /* the leaf's SAN DNS names, ", "-joined,
			      escaped, at most LIMIT_BIMI_SAN_SHOWN */
	bool has_dates;
	long days_left;   /* whole days from now to notAfter
			     (negative: expired that long ago) */
	time_t not_after; /* 0 if not representable */
	bool expired, not_yet_valid;
	enum bimi_verify verify;
	char verify_text[160];        /* OpenSSL's reason when not OK */
	struct finding_list findings; /* owned */
	void *chain;                  /* STACK_OF(X509), owned: for
					 bimi_cert_verify() only */
};

/*
 * Parse len bytes of PEM (leaf first) and check the leaf against domain
 * (the domain whose BIMI record named the certificate) and selector
 * (NULL: "default"). now: the time to judge dates at (0: the current
 * time). Never NULL but when out of memory. Caller frees with
 * bimi_cert_free() (NULL accepted).
 */
struct bimi_cert *bimi_cert_parse(const void *pem, size_t len, const struct dname *domain,
				  const char *selector, time_t now);

/*
 * Verify c's chain (certificates after the leaf as untrusted
 * intermediates) against the certificates of ca_file (NULL: none) and,
 * if system_store, OpenSSL's default paths. Dates are not judged here
 * (bimi_cert_parse() did); the result is in c->verify, c->verify_text
 * and one finding (BIMI_C_VERIFIED, BIMI_C_UNTRUSTED, BIMI_C_VERIFY or
 * BIMI_C_STORE). Does nothing without a certificate.
 */
void bimi_cert_verify(struct bimi_cert *c, const char *ca_file, bool system_store);

void bimi_cert_free(struct bimi_cert *c);

#endif
