/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target for the DKIM key-record parser, the tag=value parser and
 * the base64 decoder (doc/hostile-inputs.md rule 10): any bytes, no crash,
 * no sanitizer report, no leak.
 *
 * And a differential check of der_rsa.h, the strict DER reader behind
 * the RSA fast path, on the input as DER and on every p= it decodes:
 * whatever the reader takes, OpenSSL's decoder must take too and read
 * the same n and e (abort() otherwise, so libFuzzer reports it), and
 * the SPKI the writer makes from them must read back the same (byte for
 * byte when the input was an SPKI: strict DER has one encoding). The
 * same key held in a struct dkim_pubkey (dkim_pubkey.h) as our bytes and
 * as OpenSSL's EVP_PKEY must give the same n and e and match, and the
 * record check_dkim would publish for a key of our own must be made.
 *
 * libFuzzer:  clang -g -O1 -fsanitize=fuzzer,address,undefined \
 *               -Icommon tests/fuzz/fuzz_dkim.c \
 *               common/dkim_*.c common/der_rsa.c common/tagvalue.c \
 *               common/state.c -lcrypto   (or: make fuzz)
 *             ./a.out tests/fuzz/corpus/dkim
 * make check links it with replay_main.c, which replays the checked-in
 * corpus and speaks TAP.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "der_rsa.h"
#include "dkim.h"
#include "dkim_pubkey.h"
#include "tagvalue.h"
#include "openssl_rsa.h"

static void same_or_abort(const struct der_rsa_pub *r, const EVP_PKEY *pk)
{
	BIGNUM *n = NULL, *e = NULL, *rn, *re;

	if (pk == NULL)
		abort(); /* der_rsa took what OpenSSL refuses */
	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e))
		abort();
	rn = BN_bin2bn(r->n, (int)r->nlen, NULL);
	re = BN_bin2bn(r->e, (int)r->elen, NULL);
	if (rn == NULL || re == NULL)
		abort();
	if (BN_cmp(rn, n) != 0 || BN_cmp(re, e) != 0)
		abort(); /* the same bytes, another key */
	BN_free(n);
	BN_free(e);
	BN_free(rn);
	BN_free(re);
}

/* The key r, held as our bytes and as OpenSSL's pk (taken): the two
 * kinds of struct dkim_pubkey give the same n and e, and match. */
static void both_kinds_or_abort(const struct der_rsa_pub *r, EVP_PKEY *pk)
{
	struct dkim_key pub;
	struct dkim_privkey priv;
	BIGNUM *n1 = NULL, *e1 = NULL, *n2 = NULL, *e2 = NULL;

	memset(&pub, 0, sizeof(pub));
	memset(&priv, 0, sizeof(priv));
	pub.ktype = priv.ktype = DKIM_K_RSA;
	pub.pub = dkim_pubkey_new_rsa(r->n, r->nlen, r->e, r->elen);
	priv.pub = dkim_pubkey_from_evp(pk);
	if (pub.pub == NULL || priv.pub == NULL || dkim_pubkey_evp(pub.pub) != NULL ||
	    dkim_pubkey_evp(priv.pub) != pk || !dkim_pubkey_rsa_ne(pub.pub, &n1, &e1) ||
	    !dkim_pubkey_rsa_ne(priv.pub, &n2, &e2) || BN_cmp(n1, n2) != 0 || BN_cmp(e1, e2) != 0 ||
	    !dkim_key_matches(&pub, &priv))
		abort();
	BN_free(n1);
	BN_free(e1);
	BN_free(n2);
	BN_free(e2);
	dkim_pubkey_free(pub.pub);
	dkim_pubkey_free(priv.pub);
}

static void differential(const uint8_t *der, size_t len)
{
	struct der_rsa_pub r, back;
	EVP_PKEY *pk;
	uint8_t *w;
	size_t wlen;

	if (der_rsa_pub_read(der, len, &r)) {
		pk = openssl_rsa(der, len, r.pkcs1 ? "type-specific" : NULL, EVP_PKEY_PUBLIC_KEY);
		same_or_abort(&r, pk);
		both_kinds_or_abort(&r, pk); /* takes pk */
		wlen = der_rsa_spki_write(r.n, r.nlen, r.e, r.elen, NULL, 0);
		w = malloc(wlen ? wlen : 1);
		if (w == NULL || wlen == 0 ||
		    der_rsa_spki_write(r.n, r.nlen, r.e, r.elen, w, wlen) != wlen ||
		    !der_rsa_pub_read(w, wlen, &back) || back.pkcs1 || back.nlen != r.nlen ||
		    back.elen != r.elen || memcmp(back.n, r.n, r.nlen) != 0 ||
		    memcmp(back.e, r.e, r.elen) != 0 ||
		    (!r.pkcs1 && (wlen != len || memcmp(w, der, len) != 0)))
			abort();
		free(w);
	}
	if (der_rsa_priv_read(der, len, &r)) {
		pk = openssl_rsa(der, len, r.pkcs1 ? "type-specific" : "PrivateKeyInfo",
				 EVP_PKEY_KEYPAIR);
		same_or_abort(&r, pk);
		EVP_PKEY_free(pk);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dkim_key *k;
	struct tag_list tl;
	uint8_t *out = NULL;
	size_t n, pos;
	const char *why;

	k = dkim_key_parse((const char *)data, size);
	if (k != NULL) {
		/* the list keeps its bound (finding_add_bounded()): the
		 * worst kept in the list, what is left out counted */
		if (k->findings.n > DKIM_MAX_FINDINGS ||
		    (k->findings.dropped > 0 && k->findings.n < DKIM_MAX_FINDINGS) ||
		    state_worst(finding_list_worst(&k->findings), k->findings.dropped_worst) !=
			    finding_list_worst(&k->findings))
			abort();
		/* every finding is a terminated string */
		for (size_t i = 0; i < k->findings.n; i++) {
			const struct finding *f = &k->findings.v[i];

			if (memchr(f->text, '\0', sizeof(f->text)) == NULL)
				abort();
		}
		(void)finding_list_worst(&k->findings);
		/* a key of our own always gives the record to publish */
		if (k->pub != NULL && dkim_pubkey_evp(k->pub) == NULL) {
			char *rec = dkim_record_for_pub(k->ktype, k->pub);

			if (rec == NULL)
				abort();
			free(rec);
		}
	}
	dkim_key_free(k);

	(void)tag_list_parse((const char *)data, size, 8, &tl);
	tag_list_free(&tl);

	if (dkim_base64_decode((const char *)data, size, 4096, &out, &n, &why, &pos) == B64_OK &&
	    n > 0) {
		char *back = dkim_base64_encode(out, n);
		free(back);
		differential(out, n);
	}
	free(out);

	differential(data, size);
	/* ... and the p= of a record: the first "p=" up to ';' */
	for (n = 0; n + 2 <= size; n++) {
		if (data[n] == 'p' && data[n + 1] == '=' &&
		    (n == 0 || data[n - 1] == ' ' || data[n - 1] == ';')) {
			const uint8_t *v = data + n + 2;
			const uint8_t *end = memchr(v, ';', size - n - 2);
			size_t vlen = end ? (size_t)(end - v) : size - n - 2;

			uint8_t *key = NULL;
			size_t klen;

			if (dkim_base64_decode((const char *)v, vlen, LIMIT_DKIM_KEY_BYTES, &key,
					       &klen, &why, &pos) == B64_OK &&
			    key != NULL)
				differential(key, klen);
			free(key);
			break;
		}
	}
	return 0;
}
