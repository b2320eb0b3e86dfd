/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * DKIM key records (RFC 6376 3.6.1, RFC 8301, RFC 8463) and the private
 * keys that sign for them.
 *
 * dkim_key_parse() is a pure function over one TXT record (the joined
 * strings of one RR, NUL and any byte allowed): it returns the decoded
 * key and a list of findings, each with its default state (HACKING.md 6,
 * habit 15). Key size thresholds (-w/-c) are the plugin's policy; the
 * parser reports bits and the structural problems only.
 *
 * Decisions (documented in README "check_dkim"):
 * - k= is compared case-insensitively (RFC 5234 2.3: ABNF literals are
 *   case-insensitive) but anything other than lower case is a WARNING,
 *   as verifiers that compare bytes would ignore the key.
 * - A bare PKCS#1 RSAPublicKey in p= is decoded and a WARNING (RFC 6376
 *   3.6.1 asks for SubjectPublicKeyInfo; some verifiers accept both).
 * - An RSA exponent of 3 is accepted; 1, even, not below the modulus, or
 *   over 64 bits with a modulus over 3072 bits is CRITICAL (OpenSSL
 *   refuses to verify with such keys).
 * - p= decoding: FWS removed, strict alphabet, length a multiple of 4,
 *   '=' only as the last one or two characters; over LIMIT_DKIM_KEY_BYTES
 *   decoded bytes refused before any DER parsing.
 */
#ifndef MAILDNS_DKIM_H
#define MAILDNS_DKIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bounds.h"
#include "finding.h"
#include "state.h"

/* A public key: our own bytes or OpenSSL's EVP_PKEY (dkim_pubkey.h). */
struct dkim_pubkey;

enum dkim_ktype {
	DKIM_K_NONE, /* unknown or unsupported k= */
	DKIM_K_RSA,
	DKIM_K_ED25519,
};

/* Finding codes, one per thing the parser can say. */
enum dkim_code {
	DKIM_F_NOT_KEY,     /* CRITICAL: no tag list / v= not DKIM1 (K-12) */
	DKIM_F_SYNTAX,      /* CRITICAL: duplicate tag, bad byte, no '=' */
	DKIM_F_VERSION,     /* CRITICAL: v= not the first tag */
	DKIM_F_KTYPE,       /* CRITICAL: unsupported k= (K-06) */
	DKIM_F_KTYPE_CASE,  /* WARNING: k=RSA */
	DKIM_F_HASH,        /* CRITICAL: h= only sha1 / nothing usable */
	DKIM_F_SERVICE,     /* CRITICAL: s= has neither email nor * */
	DKIM_F_TESTING,     /* WARNING: t=y */
	DKIM_F_STRICT,      /* OK: t=s shown */
	DKIM_F_UNKNOWN_TAG, /* OK, verbose: tags ignored */
	DKIM_F_NO_P,        /* CRITICAL: no p= tag */
	DKIM_F_REVOKED,     /* CRITICAL: empty p= (K-08) */
	DKIM_F_BASE64,      /* CRITICAL: invalid base64 (K-01) */
	DKIM_F_TOO_LARGE,   /* CRITICAL: decoded key over the cap (K-14) */
	DKIM_F_DER,         /* CRITICAL: cannot parse public key (K-03) */
	DKIM_F_PKCS1,       /* WARNING: bare RSAPublicKey (K-04) */
	DKIM_F_WRONG_ALG,   /* CRITICAL: SPKI not RSA under k=rsa (K-04) */
	DKIM_F_RSA_TOO_BIG, /* CRITICAL: over 16384 bits (K-05) */
	DKIM_F_EXPONENT,    /* CRITICAL: bad RSA exponent (K-05) */
	DKIM_F_ED25519_LEN, /* CRITICAL: not 32 raw bytes (K-06) */
};

/* Findings one key record keeps (far more than one record can give);
 * when full, a new finding replaces the last one only if it is worse,
 * and the one left out is counted in findings.dropped (dkim_findings.h,
 * finding_add_bounded()). */
#define DKIM_MAX_FINDINGS 24

struct dkim_key {
	bool is_key; /* false: not a DKIM key record (K-12) */
	enum dkim_ktype ktype;
	bool revoked;                 /* p= empty */
	bool testing;                 /* t=y */
	bool strict;                  /* t=s */
	bool pkcs1;                   /* p= held a bare RSAPublicKey */
	struct dkim_pubkey *pub;      /* decoded public key, NULL if none
				       * (owned; dkim_pubkey.h): test it for NULL,
				       * use it through the functions below */
	int bits;                     /* RSA modulus bits, 256 for ed25519, 0 */
	size_t key_bytes;             /* decoded size of p=, 0 if not decoded */
	struct finding_list findings; /* codes of enum dkim_code, each
				       * with its default state; record text in
				       * them is validated VALCHAR (owned) */
};

/*
 * Parse one key record of len bytes. NULL only when out of memory (a
 * finding lost for memory sets findings.oom). Caller frees with
 * dkim_key_free() (which frees pub and the findings; accepts NULL). The
 * worst default state is finding_list_worst(&k->findings).
 */
struct dkim_key *dkim_key_parse(const char *rec, size_t len);
void dkim_key_free(struct dkim_key *k);

/* "rsa", "ed25519", "unknown". */
const char *dkim_ktype_str(enum dkim_ktype t);

enum b64_status {
	B64_OK,
	B64_INVALID,
	B64_TOO_LARGE,
	B64_NOMEM
};

/*
 * Decode base64 of len bytes with FWS (SP, HTAB, CR, LF) anywhere
 * (RFC 6376 3.6.1 p=). Strict: alphabet A-Z a-z 0-9 + /, length a
 * multiple of 4 after FWS removal, '=' only at the end. *size gets the
 * decoded size whenever the alphabet and length are valid, also for
 * B64_TOO_LARGE (over max bytes: nothing allocated). On B64_OK *out is
 * a heap buffer (caller frees; NULL for empty input). On B64_INVALID
 * *why says what is wrong ("character '#' at offset 5", ...).
 */
enum b64_status dkim_base64_decode(const char *in, size_t len, size_t max, uint8_t **out,
				   size_t *size, const char **why, size_t *pos);

/* Base64 of len bytes, no line breaks; heap string (caller frees) or
 * NULL on OOM. */
char *dkim_base64_encode(const uint8_t *data, size_t len);

/*
 * Decode the key bytes of p= for k->ktype into k->pub and k->bits, and
 * add findings to k (K-03..K-06). Used by dkim_key_parse(); public for
 * the unit tests.
 */
void dkim_key_decode(struct dkim_key *k, const uint8_t *der, size_t len);

/* A private key loaded from a -k file. */
struct dkim_privkey {
	struct dkim_pubkey *pub; /* the public half (owned); of an
				  * unencrypted RSA key in PKCS#8 or PKCS#1
				  * only our own bytes (dkim_pubkey.h) */
	enum dkim_ktype ktype;
	int bits;
	unsigned mode; /* permission bits of the file (after
			* symlinks): the plugin judges them */
};

/*
 * Load a private key file: PEM (PKCS#1 "RSA PRIVATE KEY", PKCS#8
 * "PRIVATE KEY") or DER, RSA or Ed25519, unencrypted. NULL on failure
 * with the reason in err ("cannot open: Permission denied", "not a
 * private key", "encrypted keys are not supported", ...). Caller frees
 * with dkim_privkey_free().
 */
struct dkim_privkey *dkim_privkey_load(const char *path, char *err, size_t errlen);
void dkim_privkey_free(struct dkim_privkey *pk);

/* True if the published key is the public half of priv. */
bool dkim_key_matches(const struct dkim_key *pub, const struct dkim_privkey *priv);

/*
 * The key record to publish for priv: "v=DKIM1; k=rsa; p=<SPKI base64>"
 * or "v=DKIM1; k=ed25519; p=<32 raw bytes base64>". Heap string, caller
 * frees; NULL on failure.
 */
char *dkim_record_for(const struct dkim_privkey *priv);

/*
 * The same for a public key of type t, e.g. a published one whose
 * record around it is wrong: pub is borrowed (read, never freed or
 * kept), so a struct dkim_key's pub may be passed while the key lives.
 */
char *dkim_record_for_pub(enum dkim_ktype t, const struct dkim_pubkey *pub);

#endif
