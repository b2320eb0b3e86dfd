/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/dnssec_*.c: the trust anchor file (D-06) and the
 * validator on replies signed here with ldns (secure, expired, not yet
 * valid, tampered, unsigned, an RRSIG for another type, a wrong label
 * count: D-03, D-07).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "check_main.h"
#include "dnssec.h"

static char path[64];

static const char *write_file(const char *text)
{
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/test_dnssec_%ld.key", (long)getpid());
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void anchor_fails(const char *text, const char *expect)
{
	char err[256] = "";
	struct dnssec_anchor *a = dnssec_anchor_load(write_file(text), err, sizeof(err));

	ck_assert_ptr_null(a);
	ck_assert_msg(strstr(err, path) != NULL, "file not named: %s", err);
	ck_assert_msg(strstr(err, expect) != NULL, "'%s' not in '%s'", expect, err);
	unlink(path);
}

START_TEST(anchor_problems)
{
	char err[256] = "";

	/* D-06: missing, empty, unparsable, not DS/DNSKEY, two zones */
	ck_assert_ptr_null(dnssec_anchor_load("/nonexistent/root.key", err, sizeof(err)));
	ck_assert_str_eq(err, "trust anchor /nonexistent/root.key: No such file or directory");
	anchor_fails("", "no DS or DNSKEY record");
	anchor_fails("; only a comment\n", "no DS or DNSKEY record");
	anchor_fails(". IN DS 20326 8 2 zz\n", "line");
	anchor_fails(". IN A 192.0.2.1\n", "not a DS or DNSKEY record");
	anchor_fails(". IN DS 20326 8 2 "
		     "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"
		     "org. IN DS 26974 8 2 "
		     "4FEDE294C53F438A158C41D39489CD78A86BEB0D8A0AEAFF14745C0D16E1DE32\n",
		     "more than one zone");
}
END_TEST

START_TEST(anchor_root_ds)
{
	char err[256] = "", zt[DNAME_TEXT_MAX];
	struct dnssec_anchor *a = dnssec_anchor_load(
		write_file(". 172800 IN DS 20326 8 2 "
			   "E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n"),
		err, sizeof(err));

	ck_assert_msg(a != NULL, "%s", err);
	ck_assert_str_eq(dname_to_text(dnssec_anchor_zone(a), zt, sizeof(zt)), ".");
	dnssec_anchor_free(a);
	unlink(path);
}
END_TEST

/* ---------------------------------------------- replies signed here */

struct signed_root {
	ldns_key_list *keys;
	ldns_rr *dnskey;
	uint8_t *dnskey_msg;
	size_t dnskey_len;
	uint8_t *nods_msg; /* DS a.: NODATA, a signed NSEC without NS */
	size_t nods_len;
	uint8_t *optout_msg; /* DS a.: NODATA, the closest-encloser proof:
				a signed NSEC3 matching the root and an
				opt-out NSEC3 covering every name */
	size_t optout_len;
	uint8_t *noce_msg; /* the same without the NSEC3 of the root */
	size_t noce_len;
};

static ldns_rr *rr(const char *text)
{
	ldns_rr *r = NULL;

	ck_assert_int_eq(ldns_rr_new_frm_str(&r, text, 300, NULL, NULL), LDNS_STATUS_OK);
	return r;
}

/* D-03: signatures altered after signing (-1, 0: as made). */
static int sig_labels = -1;
static ldns_rr_type sig_covers;

/* A reply to (name, type) with answer + signatures made with keys,
 * valid from inception to expiration (offsets from now). */
static uint8_t *reply_in(ldns_pkt_section sec, ldns_rr_list *answer, ldns_key_list *keys,
			 long incep, long expir, size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr_list *sigs, *copy = ldns_rr_list_clone(answer);
	uint8_t *out = NULL;
	size_t i;

	for (i = 0; keys != NULL && i < ldns_key_list_key_count(keys); i++) {
		ldns_key *k = ldns_key_list_key(keys, i);

		ldns_key_set_inception(k, (uint32_t)(time(NULL) + incep));
		ldns_key_set_expiration(k, (uint32_t)(time(NULL) + expir));
	}
	ldns_pkt_set_qr(p, true);
	ldns_pkt_push_rr_list(p, sec, copy); /* the packet owns the RRs */
	ldns_rr_list_free(copy);
	if (keys != NULL) {
		sigs = ldns_sign_public(answer, keys);
		ck_assert_ptr_nonnull(sigs);
		for (i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
			ldns_rr *sig = ldns_rr_list_rr(sigs, i);

			if (sig_labels >= 0)
				ldns_rdf_deep_free(
					ldns_rr_set_rdf(sig,
							ldns_native2rdf_int8(LDNS_RDF_TYPE_INT8,
									     (uint8_t)sig_labels),
							2));
			if (sig_covers != 0)
				ldns_rdf_deep_free(
					ldns_rr_set_rdf(sig,
							ldns_native2rdf_int16(LDNS_RDF_TYPE_TYPE,
									      (uint16_t)sig_covers),
							0));
		}
		ldns_pkt_push_rr_list(p, sec, sigs);
		ldns_rr_list_free(sigs);
	}
	ck_assert_int_eq(ldns_pkt2wire(&out, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return out;
}

/* A NODATA reply whose authority section holds RRs of different owners,
 * each signed on its own (ldns_sign_public() takes one RRset). */
static uint8_t *authority_each_signed(ldns_rr_list *l, ldns_key_list *keys, size_t *len)
{
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *out = NULL;
	size_t i;

	for (i = 0; i < ldns_key_list_key_count(keys); i++) {
		ldns_key_set_inception(ldns_key_list_key(keys, i), (uint32_t)(time(NULL) - 3600));
		ldns_key_set_expiration(ldns_key_list_key(keys, i),
					(uint32_t)(time(NULL) + 30 * 86400));
	}
	ldns_pkt_set_qr(p, true);
	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		ldns_rr_list *one = ldns_rr_list_new(), *sigs;

		ldns_rr_list_push_rr(one, ldns_rr_list_rr(l, i));
		sigs = ldns_sign_public(one, keys);
		ck_assert_ptr_nonnull(sigs);
		ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, ldns_rr_clone(ldns_rr_list_rr(l, i)));
		ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, sigs);
		ldns_rr_list_free(sigs);
		ldns_rr_list_free(one);
	}
	ck_assert_int_eq(ldns_pkt2wire(&out, p, len), LDNS_STATUS_OK);
	ldns_pkt_free(p);
	return out;
}

static uint8_t *reply(ldns_rr_list *answer, ldns_key_list *keys, long incep, long expir,
		      size_t *len)
{
	return reply_in(LDNS_SECTION_ANSWER, answer, keys, incep, expir, len);
}

static struct signed_root root;
static bool use_optout;          /* fetch() answers DS with optout_msg */
static bool use_noce;            /* ... with noce_msg */
static uint8_t *dnskey_override; /* fetch() answers DNSKEY . with it */
static size_t dnskey_override_len;

static void fetch(void *ctx, const struct dnssec_need *q, size_t n, const uint8_t **msg,
		  size_t *len, const char **why)
{
	size_t i;

	(void)ctx;
	for (i = 0; i < n; i++) {
		msg[i] = NULL;
		why[i] = "not in the test";
		if (q[i].type == LDNS_RR_TYPE_DNSKEY && q[i].name.len == 1) {
			msg[i] = dnskey_override ? dnskey_override : root.dnskey_msg;
			len[i] = dnskey_override ? dnskey_override_len : root.dnskey_len;
		}
		if (q[i].type == LDNS_RR_TYPE_DS) {
			msg[i] = use_noce     ? root.noce_msg
				 : use_optout ? root.optout_msg
					      : root.nods_msg;
			len[i] = use_noce     ? root.noce_len
				 : use_optout ? root.optout_len
					      : root.nods_len;
		}
	}
}

static void setup(void)
{
	ldns_key *k = NULL;
	ldns_rr_list *l = ldns_rr_list_new();
	ldns_rdf *origin = ldns_dname_new_frm_str(".");

	k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ck_assert_ptr_nonnull(k);
	ldns_key_set_pubkey_owner(k, origin);
	ldns_key_set_flags(k, 257);
	root.keys = ldns_key_list_new();
	ldns_key_list_push_key(root.keys, k);
	root.dnskey = ldns_key2rr(k);
	ldns_rdf_deep_free(ldns_rr_owner(root.dnskey));
	ldns_rr_set_owner(root.dnskey, ldns_rdf_clone(origin));
	ldns_key_set_keytag(k, ldns_calc_keytag(root.dnskey));
	ldns_rr_list_push_rr(l, ldns_rr_clone(root.dnskey));
	root.dnskey_msg = reply(l, root.keys, -3600, 30 * 86400, &root.dnskey_len);
	ldns_rr_list_deep_free(l);
	l = ldns_rr_list_new();
	ldns_rr_list_push_rr(l, rr("a. 300 IN NSEC b. A RRSIG NSEC"));
	root.nods_msg =
		reply_in(LDNS_SECTION_AUTHORITY, l, root.keys, -3600, 30 * 86400, &root.nods_len);
	ldns_rr_list_deep_free(l);
	/* RFC 5155 7.2.1: the NSEC3 of the closest encloser (the root,
	 * its hash with the chain's parameters: SHA-1, no iteration, no
	 * salt) and the opt-out NSEC3 covering the next closer name a. */
	ldns_rdf *apex = ldns_dname_new_frm_str(".");
	ldns_rdf *h = ldns_nsec3_hash_name(apex, 1, 0, 0, NULL);
	char *htext = ldns_rdf2str(h), line[300];

	snprintf(line, sizeof(line),
		 "%s 300 IN NSEC3 1 0 0 - vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv NS SOA RRSIG DNSKEY "
		 "NSEC3PARAM",
		 htext);
	free(htext);
	ldns_rdf_deep_free(h);
	ldns_rdf_deep_free(apex);
	l = ldns_rr_list_new();
	ldns_rr_list_push_rr(l, rr("00000000000000000000000000000000. 300 IN NSEC3 1 1 0 - "
				   "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvvvv A RRSIG"));
	root.noce_msg = authority_each_signed(l, root.keys, &root.noce_len);
	ldns_rr_list_push_rr(l, rr(line));
	root.optout_msg = authority_each_signed(l, root.keys, &root.optout_len);
	ldns_rr_list_deep_free(l);
}

static void teardown(void)
{
	ldns_key_list_free(root.keys);
	ldns_rr_free(root.dnskey);
	free(root.dnskey_msg);
	free(root.nods_msg);
	free(root.optout_msg);
	free(root.noce_msg);
}

/* Validates "a. IN A 192.0.2.1" signed as asked, against the root key. */
static void judge(ldns_key_list *keys, long incep, long expir, bool tamper, const char *owner,
		  struct dnssec_result *r)
{
	char text[256];
	char *s;
	FILE *f;
	struct dnssec_anchor *a;
	ldns_rr_list *l = ldns_rr_list_new();
	uint8_t *m;
	size_t len;
	struct dname d;
	char err[256];

	s = ldns_rr2str(root.dnskey);
	f = fopen(write_file(""), "w");
	fputs(s, f);
	fclose(f);
	free(s);
	a = dnssec_anchor_load(path, err, sizeof(err));
	ck_assert_msg(a != NULL, "%s", err);
	snprintf(text, sizeof(text), "%s 300 IN A 192.0.2.1", owner);
	ldns_rr_list_push_rr(l, rr(text));
	m = reply(l, keys, incep, expir, &len);
	if (tamper)
		m[len - 1] ^= 1; /* the last byte of the signature */
	ck_assert(dname_from_text(&d, owner, strlen(owner), 0, NULL));
	dnssec_validate(a, fetch, NULL, &d, LDNS_RR_TYPE_A, m, len, time(NULL), r);
	free(m);
	ldns_rr_list_deep_free(l);
	dnssec_anchor_free(a);
	unlink(path);
}

START_TEST(secure)
{
	struct dnssec_result r;

	judge(root.keys, -60, 10 * 86400, false, "a.", &r);
	ck_assert_msg(r.outcome == DNSSEC_SECURE, "%s", r.reason);
	ck_assert(r.expire > time(NULL) + 9 * 86400 && r.expire <= time(NULL) + 10 * 86400);
}
END_TEST

START_TEST(bogus)
{
	struct dnssec_result r;

	judge(root.keys, -86400, -60, false, "a.", &r); /* D-07 expired */
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "signature expired") != NULL, "%s", r.reason);
	judge(root.keys, 3600, 86400, false, "a.", &r); /* D-03 inception in the future */
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "not valid before") != NULL, "%s", r.reason);
	judge(root.keys, -60, 86400, true, "a.", &r);
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "does not verify") != NULL, "%s", r.reason);
	/* D-03: the RRSIG claims another type, or more labels than the owner */
	sig_covers = LDNS_RR_TYPE_TXT;
	judge(root.keys, -60, 86400, false, "a.", &r);
	sig_covers = 0;
	ck_assert_msg(r.outcome == DNSSEC_BOGUS && strstr(r.reason, "no signature") != NULL, "%s",
		      r.reason);
	sig_labels = 3;
	judge(root.keys, -60, 86400, false, "a.", &r);
	sig_labels = -1;
	ck_assert_msg(r.outcome == DNSSEC_BOGUS &&
			      strstr(r.reason, "signature label count 3 above the owner's 1") !=
				      NULL,
		      "%s", r.reason);
	judge(NULL, 0, 0, false, "a.", &r);
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "no signature") != NULL, "%s", r.reason);
	ck_assert_int_eq(r.expire, 0);
}
END_TEST

/* An unsigned delegation inside an NSEC3 opt-out span: no NSEC3 of its
 * own, only one covering it with the opt-out flag (RFC 5155 6). */
START_TEST(optout)
{
	struct dnssec_result r;
	char zt[DNAME_TEXT_MAX];

	use_optout = true;
	judge(NULL, 0, 0, false, "x.a.", &r);
	use_optout = false;
	ck_assert_msg(r.outcome == DNSSEC_INSECURE, "%s", r.reason);
	ck_assert_str_eq(r.reason, "zone a is not signed (no DS in ., proven by NSEC3 opt-out)");
	ck_assert_str_eq(dname_to_text(&r.zone, zt, sizeof(zt)), "a");
}
END_TEST

/* D-08: the same opt-out cover without the NSEC3 of the closest encloser: not
 * a proof (RFC 5155 8.9), bogus; it was taken for one before. */
START_TEST(optout_no_encloser)
{
	struct dnssec_result r;

	use_noce = true;
	judge(NULL, 0, 0, false, "x.a.", &r);
	use_noce = false;
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "no NSEC3 proves the closest encloser") != NULL, "%s",
		      r.reason);
}
END_TEST

/* A DNSKEY of the root key's tag and algorithm but other key bytes (it
 * verifies nothing): byte 10 changed, the last two bytes searched until
 * the tag is the real one's again. */
static ldns_rr *colliding_key(const ldns_rr *real, uint8_t salt)
{
	ldns_buffer *b = ldns_buffer_new(1024);
	uint16_t tag = ldns_calc_keytag(real);
	uint8_t *rd;
	size_t n;
	ldns_rr *key;
	ldns_rdf *pk;

	ck_assert_int_eq(ldns_rr_rdata2buffer_wire(b, real), LDNS_STATUS_OK);
	n = ldns_buffer_position(b);
	rd = ldns_buffer_begin(b);
	rd[10] ^= salt;
	for (unsigned v = 0; v < 65536; v++) {
		rd[n - 2] = (uint8_t)(v >> 8);
		rd[n - 1] = (uint8_t)v;
		if (ldns_calc_keytag_raw(rd, n) == tag)
			break;
	}
	ck_assert_int_eq(ldns_calc_keytag_raw(rd, n), tag);
	key = ldns_rr_clone(real);
	pk = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_B64, n - 4, rd + 4);
	ldns_rdf_deep_free(ldns_rr_set_rdf(key, pk, 3));
	ck_assert_int_eq(ldns_calc_keytag(key), tag);
	ldns_buffer_free(b);
	return key;
}

/* D-01 (KeyTrap): 8 keys sharing the signing key's tag and algorithm,
 * listed before it: a signature tries 4 keys at most, so the answer is
 * bogus, not a search through every key. */
START_TEST(keytrap)
{
	struct dnssec_result r;
	ldns_rr_list *l = ldns_rr_list_new();

	for (uint8_t i = 1; i <= 8; i++)
		ldns_rr_list_push_rr(l, colliding_key(root.dnskey, i));
	ldns_rr_list_push_rr(l, ldns_rr_clone(root.dnskey));
	dnskey_override = reply(l, root.keys, -3600, 30 * 86400, &dnskey_override_len);
	ldns_rr_list_deep_free(l);
	judge(root.keys, -60, 86400, false, "a.", &r);
	free(dnskey_override);
	dnskey_override = NULL;
	ck_assert_msg(r.outcome == DNSSEC_BOGUS, "%s", r.reason);
	ck_assert_msg(strstr(r.reason, "a: signature does not verify") != NULL, "%s", r.reason);
}
END_TEST

/* D-01: 9 signatures that do not verify before the one that does: an
 * RRset's signatures are tried 8 at most, so the answer is bogus. */
START_TEST(many_sigs)
{
	struct dnssec_result r;
	struct dnssec_anchor *a;
	ldns_rr_list *l = ldns_rr_list_new(), *sigs, *all = ldns_rr_list_new();
	ldns_pkt *p = ldns_pkt_new();
	uint8_t *m = NULL;
	size_t len;
	struct dname d;
	char err[256], *s = ldns_rr2str(root.dnskey);
	FILE *f = fopen(write_file(""), "w");

	fputs(s, f);
	fclose(f);
	free(s);
	a = dnssec_anchor_load(path, err, sizeof(err));
	ck_assert_msg(a != NULL, "%s", err);
	ldns_rr_list_push_rr(l, rr("a. 300 IN A 192.0.2.1"));
	ldns_key_set_inception(ldns_key_list_key(root.keys, 0), (uint32_t)time(NULL) - 60);
	ldns_key_set_expiration(ldns_key_list_key(root.keys, 0), (uint32_t)time(NULL) + 86400);
	sigs = ldns_sign_public(l, root.keys);
	for (int i = 0; i < 9; i++) {
		ldns_rr *bad = ldns_rr_clone(ldns_rr_list_rr(sigs, 0));
		ldns_rdf *sig = ldns_rr_rrsig_sig(bad);

		ldns_rdf_data(sig)[i] ^= 0x55; /* another signature, same key tag */
		ldns_rr_list_push_rr(all, bad);
	}
	ldns_rr_list_push_rr(all, ldns_rr_clone(ldns_rr_list_rr(sigs, 0)));
	ldns_pkt_set_qr(p, true);
	ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, l);
	ldns_pkt_push_rr_list(p, LDNS_SECTION_ANSWER, all);
	ck_assert_int_eq(ldns_pkt2wire(&m, p, &len), LDNS_STATUS_OK);
	ck_assert(dname_from_text(&d, "a.", 2, 0, NULL));
	dnssec_validate(a, fetch, NULL, &d, LDNS_RR_TYPE_A, m, len, time(NULL), &r);
	ck_assert_msg(r.outcome == DNSSEC_BOGUS && strstr(r.reason, "does not verify") != NULL,
		      "%s", r.reason);
	free(m);
	ldns_pkt_free(p); /* it owns the RRs of l and all */
	ldns_rr_list_free(l);
	ldns_rr_list_free(all);
	ldns_rr_list_deep_free(sigs);
	dnssec_anchor_free(a);
	unlink(path);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("dnssec");
	TCase *tc = tcase_create("anchor");

	tcase_add_test(tc, anchor_problems);
	tcase_add_test(tc, anchor_root_ds);
	suite_add_tcase(s, tc);
	tc = tcase_create("validate");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, secure);
	tcase_add_test(tc, bogus);
	tcase_add_test(tc, optout);
	tcase_add_test(tc, optout_no_encloser);
	tcase_add_test(tc, keytrap);
	tcase_add_test(tc, many_sigs);
	suite_add_tcase(s, tc);
	return s;
}
