/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * VMC checks (common/bimi_cert.h) with OpenSSL 3: PEM_read_bio_X509()
 * over a memory BIO bounded by LIMIT_BIMI_PEM_BYTES, extensions looked
 * up by OID, X509_verify_cert() with the dates left to us.
 */
#include "bimi_cert.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "text.h"

#define OID_LOGOTYPE "1.3.6.1.5.5.7.1.12" /* RFC 3709 id-pe-logotype */
#define OID_BIMI_EKU "1.3.6.1.5.5.7.3.31" /* id-kp-BrandIndicatorforMessageIdentification */

static void add(struct finding_list *f, int code, enum state st, int verbose, const char *fmt, ...)
	PRINTF_LIKE(5, 6);

/* finding_add_bounded() at the per-object bound (as in common/bimi.c). */
static void add(struct finding_list *f, int code, enum state st, int verbose, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)finding_vadd_bounded(f, LIMIT_BIMI_FINDINGS, code, st, verbose, fmt, ap);
	va_end(ap);
}

/* OpenSSL's last error as text (escaped), the queue cleared. */
static void ssl_reason(char *buf, size_t len)
{
	unsigned long e = ERR_peek_last_error();
	char tmp[256];

	if (e == 0) {
		out_setf(buf, len, "unknown error");
	} else {
		ERR_error_string_n(e, tmp, sizeof(tmp));
		out_bytes(buf, len, tmp, strlen(tmp));
	}
	ERR_clear_error();
}

static void name_text(const X509_NAME *name, char *buf, size_t buflen)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *p = NULL;
	long n;

	buf[0] = '\0';
	if (b == NULL) {
		return;
	}
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &p);
		if (n > 0 && p != NULL) {
			out_bytes(buf, buflen, p, (size_t)n > 200 ? 200 : (size_t)n);
		}
	}
	BIO_free(b);
}

static bool has_ext_oid(X509 *x, const char *oid)
{
	ASN1_OBJECT *obj = OBJ_txt2obj(oid, 1);
	bool ok;

	if (obj == NULL) {
		return false;
	}
	ok = X509_get_ext_by_OBJ(x, obj, -1) >= 0;
	ASN1_OBJECT_free(obj);
	return ok;
}

static bool has_eku(X509 *x, const char *oid)
{
	EXTENDED_KEY_USAGE *eku = X509_get_ext_d2i(x, NID_ext_key_usage, NULL, NULL);
	ASN1_OBJECT *want = OBJ_txt2obj(oid, 1);
	bool found = false;

	if (eku != NULL && want != NULL) {
		for (int i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
			if (OBJ_cmp(sk_ASN1_OBJECT_value(eku, i), want) == 0) {
				found = true;
			}
		}
	}
	ASN1_OBJECT_free(want);
	EXTENDED_KEY_USAGE_free(eku);
	return found;
}

static bool ascii_ieq(const unsigned char *a, size_t alen, const char *b)
{
	size_t blen = strlen(b);

	if (alen != blen) {
		return false;
	}
	for (size_t i = 0; i < alen; i++) {
		unsigned char x = a[i], y = (unsigned char)b[i];

		if (x >= 'A' && x <= 'Z') {
			x = (unsigned char)(x - 'A' + 'a');
		}
		if (y >= 'A' && y <= 'Z') {
			y = (unsigned char)(y - 'A' + 'a');
		}
		if (x != y) {
			return false;
		}
	}
	return true;
}

/* The SAN DNS names: the draft-fetch-validation-vmc-wchuang check, an
 * exact match of the domain or of SELECTOR._bimi.DOMAIN. */
static void check_names(struct bimi_cert *c, X509 *leaf, const struct dname *domain,
			const char *selector)
{
	GENERAL_NAMES *gens = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	char dom[DNAME_TEXT_MAX], sel[DNAME_TEXT_MAX + 80];
	size_t shown = 0, total = 0, o = 0;
	const char *matched = NULL;

	dname_to_text(domain, dom, sizeof(dom));
	out_setf(sel, sizeof(sel), "%s._bimi.%s", selector != NULL ? selector : "default", dom);
	c->names[0] = '\0';
	for (int i = 0; gens != NULL && i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const unsigned char *d;
		size_t dl;

		if (g->type != GEN_DNS) {
			continue;
		}
		d = ASN1_STRING_get0_data(g->d.dNSName);
		dl = (size_t)ASN1_STRING_length(g->d.dNSName);
		total++;
		if (matched == NULL && ascii_ieq(d, dl, dom)) {
			matched = dom;
		} else if (matched == NULL && ascii_ieq(d, dl, sel)) {
			matched = sel;
		}
		if (shown < LIMIT_BIMI_SAN_SHOWN && o + 8 < sizeof(c->names)) {
			char one[4 * 64 + 8];

			out_bytes(one, sizeof(one), d, dl > 64 ? 64 : dl);
			out_setf(c->names + o, sizeof(c->names) - o, "%s%s", shown ? ", " : "",
				 one);
			o += strlen(c->names + o);
			shown++;
		}
	}
	GENERAL_NAMES_free(gens);
	if (matched != NULL) {
		c->name_ok = true;
		add(&c->findings, BIMI_C_NAME_OK, STATE_OK, 1, "subjectAltName %s matches",
		    matched);
	} else if (total == 0) {
		add(&c->findings, BIMI_C_NAME, STATE_CRITICAL, 0,
		    "no subjectAltName DNS name: the certificate names no domain (want %s)", dom);
	} else {
		add(&c->findings, BIMI_C_NAME, STATE_CRITICAL, 0,
		    "no subjectAltName DNS name is %s or %s (it has %s%s)", dom, sel, c->names,
		    total > shown ? ", ..." : "");
	}
}

static void check_dates(struct bimi_cert *c, X509 *leaf, time_t now)
{
	const ASN1_TIME *na = X509_get0_notAfter(leaf);
	const ASN1_TIME *nb = X509_get0_notBefore(leaf);
	ASN1_TIME *at_now = ASN1_TIME_set(NULL, now);
	int days = 0, secs = 0;
	struct tm tm;

	if (at_now == NULL || na == NULL || nb == NULL) {
		ASN1_TIME_free(at_now);
		return;
	}
	if (ASN1_TIME_diff(&days, &secs, at_now, na) == 1) {
		c->has_dates = true;
		c->days_left = days;
		if (days == 0 && secs < 0) {
			c->days_left = -1;
		}
	}
	if (ASN1_TIME_to_tm(na, &tm) == 1) {
		c->not_after = timegm(&tm);
	}
	if (ASN1_TIME_compare(na, at_now) < 0) {
		char when[64];
		BIO *b = BIO_new(BIO_s_mem());
		char *p = NULL;
		long n;

		c->expired = true;
		when[0] = '\0';
		if (b != NULL && ASN1_TIME_print(b, na) == 1) {
			n = BIO_get_mem_data(b, &p);
			out_bytes(when, sizeof(when), p, n > 0 ? (size_t)n : 0);
		}
		BIO_free(b);
		add(&c->findings, BIMI_C_EXPIRED, STATE_CRITICAL, 0,
		    "the certificate expired %s (%ld days ago)", when, -c->days_left);
	}
	if (ASN1_TIME_compare(nb, at_now) > 0) {
		c->not_yet_valid = true;
		add(&c->findings, BIMI_C_NOT_YET_VALID, STATE_CRITICAL, 0,
		    "the certificate is not valid yet (notBefore in the future)");
	}
	ASN1_TIME_free(at_now);
}

/* A certificate in PEM is never encrypted; an "ENCRYPTED" header must
 * not make OpenSSL's default callback ask the terminal for a password. */
static int no_password(char *buf, int size, int rwflag, void *u)
{
	(void)buf;
	(void)size;
	(void)rwflag;
	(void)u;
	return -1;
}

/* Read up to LIMIT_BIMI_CHAIN certificates; false when none. */
static bool read_chain(struct bimi_cert *c, STACK_OF(X509) * sk, const void *pem, size_t len)
{
	BIO *b = BIO_new_mem_buf(pem, (int)len);
	X509 *x;

	if (b == NULL) {
		add(&c->findings, BIMI_C_PARSE, STATE_UNKNOWN, 0, "out of memory");
		return false;
	}
	ERR_clear_error();
	while ((x = PEM_read_bio_X509(b, NULL, no_password, NULL)) != NULL) {
		if (sk_X509_num(sk) >= LIMIT_BIMI_CHAIN) {
			X509_free(x);
			add(&c->findings, BIMI_C_CHAIN_LONG, STATE_WARNING, 0,
			    "more than %d certificates: the rest ignored", LIMIT_BIMI_CHAIN);
			break;
		}
		if (sk_X509_push(sk, x) <= 0) {
			X509_free(x);
			break;
		}
	}
	if (x == NULL) {
		unsigned long e = ERR_peek_last_error();

		/* the end of the data is "no start line"; anything else is a
		 * certificate that does not parse */
		if (e != 0 &&
		    !(ERR_GET_LIB(e) == ERR_LIB_PEM && ERR_GET_REASON(e) == PEM_R_NO_START_LINE)) {
			char why[200];

			ssl_reason(why, sizeof(why));
			add(&c->findings, BIMI_C_PARSE, STATE_CRITICAL, 0,
			    "certificate %d of the PEM data does not parse: %s",
			    sk_X509_num(sk) + 1, why);
		}
	}
	ERR_clear_error();
	BIO_free(b);
	if (sk_X509_num(sk) == 0) {
		if (c->findings.n == 0) {
			add(&c->findings, BIMI_C_PARSE, STATE_CRITICAL, 0,
			    "no PEM certificate (-----BEGIN CERTIFICATE-----) in the data");
		}
		return false;
	}
	return true;
}

static void check_order(struct bimi_cert *c, STACK_OF(X509) * sk)
{
	X509 *leaf = sk_X509_value(sk, 0);

	if (X509_check_ca(leaf) != 0 && sk_X509_num(sk) > 1) {
		add(&c->findings, BIMI_C_ORDER, STATE_WARNING, 0,
		    "the first certificate is a CA: the leaf (the mark certificate) must come "
		    "first");
		return;
	}
	for (int i = 0; i + 1 < sk_X509_num(sk); i++) {
		if (X509_check_issued(sk_X509_value(sk, i + 1), sk_X509_value(sk, i)) !=
		    X509_V_OK) {
			add(&c->findings, BIMI_C_ORDER, STATE_WARNING, 0,
			    "certificate %d is not issued by certificate %d: the chain must "
			    "go leaf first, then each issuer",
			    i + 1, i + 2);
			return;
		}
	}
}

struct bimi_cert *bimi_cert_parse(const void *pem, size_t len, const struct dname *domain,
				  const char *selector, time_t now)
{
	struct bimi_cert *c = calloc(1, sizeof(*c));
	STACK_OF(X509) * sk;
	X509 *leaf;

	if (c == NULL) {
		return NULL;
	}
	if (pem == NULL) {
		len = 0;
	}
	if (len > LIMIT_BIMI_PEM_BYTES) {
		/* P-05: refused before PEM parsing */
		add(&c->findings, BIMI_C_TOO_LARGE, STATE_CRITICAL, 0,
		    "certificate data of %zu bytes refused: over %d bytes", len,
		    LIMIT_BIMI_PEM_BYTES);
		return c;
	}
	sk = sk_X509_new_null();
	if (sk == NULL) {
		bimi_cert_free(c);
		return NULL;
	}
	c->chain = sk;
	if (len == 0 || !read_chain(c, sk, pem, len)) {
		if (c->findings.n == 0) {
			add(&c->findings, BIMI_C_PARSE, STATE_CRITICAL, 0, "no certificate data");
		}
		return c;
	}
	c->nchain = (size_t)sk_X509_num(sk);
	leaf = sk_X509_value(sk, 0);
	name_text(X509_get_subject_name(leaf), c->subject, sizeof(c->subject));
	name_text(X509_get_issuer_name(leaf), c->issuer, sizeof(c->issuer));
	check_order(c, sk);
	c->has_logotype = has_ext_oid(leaf, OID_LOGOTYPE);
	if (c->has_logotype) {
		add(&c->findings, BIMI_C_LOGOTYPE, STATE_OK, 1,
		    "logotype extension (RFC 3709) present");
	} else {
		add(&c->findings, BIMI_C_NO_LOGOTYPE, STATE_CRITICAL, 0,
		    "no logotype extension (RFC 3709, " OID_LOGOTYPE
		    "): not a mark certificate, no mark to show");
	}
	c->has_bimi_eku = has_eku(leaf, OID_BIMI_EKU);
	if (c->has_bimi_eku) {
		add(&c->findings, BIMI_C_EKU, STATE_OK, 1, "BIMI extended key usage present");
	} else {
		add(&c->findings, BIMI_C_NO_EKU, STATE_CRITICAL, 0,
		    "no BIMI extended key usage (" OID_BIMI_EKU "): not a mark certificate");
	}
	if (domain != NULL) {
		check_names(c, leaf, domain, selector);
	}
	check_dates(c, leaf, now != 0 ? now : time(NULL));
	ERR_clear_error();
	return c;
}

static bool untrusted_issuer(int e)
{
	return e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY ||
	       e == X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT ||
	       e == X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN ||
	       e == X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT || e == X509_V_ERR_CERT_UNTRUSTED ||
	       e == X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE;
}

void bimi_cert_verify(struct bimi_cert *c, const char *ca_file, bool system_store)
{
	STACK_OF(X509) *sk = c != NULL ? c->chain : NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *xs = NULL;
	X509_VERIFY_PARAM *param;
	int e;

	if (sk == NULL || sk_X509_num(sk) == 0) {
		return;
	}
	c->verify = BIMI_VERIFY_STORE;
	store = X509_STORE_new();
	if (store == NULL) {
		add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0, "out of memory");
		goto out;
	}
	if (ca_file != NULL && X509_STORE_load_file(store, ca_file) != 1) {
		char why[200];

		ssl_reason(why, sizeof(why));
		add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0, "cannot load CA file %s: %s",
		    ca_file, why);
		goto out;
	}
	if (system_store && X509_STORE_set_default_paths(store) != 1) {
		char why[200];

		ssl_reason(why, sizeof(why));
		add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0,
		    "cannot load the system store: %s", why);
		goto out;
	}
	untrusted = sk_X509_new_null();
	xs = X509_STORE_CTX_new();
	if (untrusted == NULL || xs == NULL) {
		add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0, "out of memory");
		goto out;
	}
	for (int i = 1; i < sk_X509_num(sk); i++) {
		if (sk_X509_push(untrusted, sk_X509_value(sk, i)) <= 0) {
			add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0, "out of memory");
			goto out;
		}
	}
	if (X509_STORE_CTX_init(xs, store, sk_X509_value(sk, 0), untrusted) != 1) {
		add(&c->findings, BIMI_C_STORE, STATE_UNKNOWN, 0, "cannot set up verification");
		goto out;
	}
	param = X509_STORE_CTX_get0_param(xs);
	X509_VERIFY_PARAM_set_depth(param, LIMIT_BIMI_CHAIN);
	/* the dates are bimi_cert_parse()'s findings, judged at its now */
	X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_NO_CHECK_TIME);
	if (X509_verify_cert(xs) == 1) {
		c->verify = BIMI_VERIFY_OK;
		add(&c->findings, BIMI_C_VERIFIED, STATE_OK, 1, "the chain verifies");
		goto out;
	}
	e = X509_STORE_CTX_get_error(xs);
	out_setf(c->verify_text, sizeof(c->verify_text), "%s", X509_verify_cert_error_string(e));
	if (untrusted_issuer(e)) {
		c->verify = BIMI_VERIFY_UNTRUSTED;
		add(&c->findings, BIMI_C_UNTRUSTED, STATE_WARNING, 0,
		    "not verified: issuer not in the trust store (%s)", c->verify_text);
	} else {
		c->verify = BIMI_VERIFY_FAILED;
		add(&c->findings, BIMI_C_VERIFY, STATE_CRITICAL, 0, "the chain does not verify: %s",
		    c->verify_text);
	}
out:
	ERR_clear_error();
	X509_STORE_CTX_free(xs);
	sk_X509_free(untrusted);
	X509_STORE_free(store);
}

void bimi_cert_free(struct bimi_cert *c)
{
	if (c == NULL) {
		return;
	}
	sk_X509_pop_free(c->chain, X509_free);
	finding_list_clear(&c->findings);
	free(c);
}
