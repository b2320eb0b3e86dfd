/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The chain of trust, top down (RFC 4035 5): the anchor's zone keys, then
 * for each name below it towards the answer its DS (signed by the zone
 * above, or an NSEC/NSEC3 proof that there is none) and its DNSKEY RRset
 * (one key matching a DS, signing the set), and last the answer's RRset
 * or denial signed by the zone reached. The DS and DNSKEY replies of all
 * names come in one batch from the fetch function.
 *
 * Signatures are checked one key at a time with ldns_verify_rrsig_time(),
 * so the keys tried per signature and the signatures per RRset are ours
 * to bound (D-01).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnssec_internal.h"
#include "compiler.h"
#include "dns_type.h"

const char *dnssec_outcome_str(enum dnssec_outcome o)
{
	switch (o) {
	case DNSSEC_SECURE:
		return "secure";
	case DNSSEC_INSECURE:
		return "insecure";
	case DNSSEC_BOGUS:
		return "bogus";
	case DNSSEC_ERROR:
		return "indeterminate";
	}
	return "?";
}

/* ---------------------------------------------------------------- helpers */

void dnssec_rdf_text(const ldns_rdf *d, char *buf, size_t len)
{
	struct dname n;

	n.len = d != NULL ? ldns_rdf_size(d) : 0;
	if (n.len == 0 || n.len > DNAME_WIRE_MAX) {
		snprintf(buf, len, "?");
		return;
	}
	memcpy(n.wire, ldns_rdf_data(d), n.len);
	dname_to_text(&n, buf, len);
}

static void set_zone(struct dnssec_result *out, const ldns_rdf *d)
{
	out->zone.len = ldns_rdf_size(d);
	if (out->zone.len > DNAME_WIRE_MAX)
		out->zone.len = 0;
	else
		memcpy(out->zone.wire, ldns_rdf_data(d), out->zone.len);
}

void dnssec_verdict(struct vrun *v, enum dnssec_outcome o, const char *fmt, ...)
{
	va_list ap;

	v->out->outcome = o;
	va_start(ap, fmt);
	vsnprintf(v->out->reason, sizeof(v->out->reason), fmt, ap);
	va_end(ap);
}

/* A new list of clones of the RRs of section owned by owner with type
 * (RRSIG: covering type when sig). */
static ldns_rr_list *select_rrs(const ldns_rr_list *section, const ldns_rdf *owner,
				ldns_rr_type type, bool sig)
{
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i;

	for (i = 0; l != NULL && section != NULL && i < ldns_rr_list_rr_count(section); i++) {
		ldns_rr *rr = ldns_rr_list_rr(section, i);

		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
			continue;
		if (owner != NULL && ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		if (sig) {
			const ldns_rdf *tc;

			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
			    (tc = ldns_rr_rrsig_typecovered(rr)) == NULL ||
			    ldns_rdf2rr_type(tc) != type)
				continue;
		} else if (ldns_rr_get_type(rr) != type) {
			continue;
		}
		ldns_rr_list_push_rr(l, ldns_rr_clone(rr));
	}
	return l;
}

static ldns_pkt *parse(const uint8_t *msg, size_t len)
{
	ldns_pkt *p = NULL;

	if (msg == NULL || ldns_wire2pkt(&p, msg, len) != LDNS_STATUS_OK)
		return NULL;
	return p;
}

static bool alg_supported(uint8_t alg)
{
	return alg == LDNS_RSASHA256 || alg == LDNS_RSASHA512 || alg == LDNS_ECDSAP256SHA256 ||
	       alg == LDNS_ECDSAP384SHA384 || alg == LDNS_ED25519;
}

static bool digest_supported(uint8_t d)
{
	return d == LDNS_SHA256 || d == LDNS_SHA384;
}

static void date_text(uint32_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, len, "%u", (unsigned)t);
}

/* --------------------------------------------------------- signatures */

/*
 * Does one of sigs, made by zone, verify rrset with one of keys?
 * DNSSEC_SECURE (and v->expire lowered), DNSSEC_INSECURE when every
 * signature is of an algorithm we do not support, else DNSSEC_BOGUS with
 * the reason of the last signature tried in why.
 */
static enum dnssec_outcome verify_rrset(struct vrun *v, ldns_rr_list *rrset, ldns_rr_list *sigs,
					const ldns_rr_list *keys, const ldns_rdf *zone, char *why,
					size_t whylen)
{
	size_t i, k, nsig = ldns_rr_list_rr_count(sigs);
	bool unsupported_only = nsig > 0;
	char zt[NAME_SHOWN], d[40];

	snprintf(why, whylen, "no signature");
	for (i = 0; i < nsig && i < DNSSEC_SIGS_PER_RRSET; i++) {
		ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		const ldns_rdf *signer = ldns_rr_rrsig_signame(sig);
		uint8_t alg = ldns_rdf2native_int8(ldns_rr_rrsig_algorithm(sig));
		uint16_t tag = ldns_rdf2native_int16(ldns_rr_rrsig_keytag(sig));
		uint8_t labels = ldns_rdf2native_int8(ldns_rr_rrsig_labels(sig));
		const ldns_rdf *owner = ldns_rr_owner(ldns_rr_list_rr(rrset, 0));
		size_t owner_labels = ldns_dname_label_count(owner);
		unsigned tried = 0;
		ldns_status last = LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY;

		if (!alg_supported(alg))
			continue;
		unsupported_only = false;
		if (signer == NULL || ldns_dname_compare(signer, zone) != 0) {
			dnssec_rdf_text(signer, zt, sizeof(zt));
			snprintf(why, whylen, "signature by %s, not by its zone", zt);
			continue;
		}
		/* D-03: more labels than the owner cannot be; fewer is a
		 * wildcard expansion: ldns checks the signature over the
		 * wildcard's name, final() asks for the proof that no closer
		 * name exists (dnssec_wildcard.c). */
		if (labels > owner_labels) {
			snprintf(why, whylen, "signature label count %u above the owner's %zu",
				 (unsigned)labels, owner_labels);
			continue;
		}
		for (k = 0; k < ldns_rr_list_rr_count(keys) && tried < DNSSEC_KEYS_PER_SIG; k++) {
			ldns_rr *key = ldns_rr_list_rr(keys, k);

			if (ldns_rr_get_type(key) != LDNS_RR_TYPE_DNSKEY ||
			    ldns_calc_keytag(key) != tag ||
			    ldns_rdf2native_int8(ldns_rr_dnskey_algorithm(key)) != alg)
				continue;
			tried++;
			last = ldns_verify_rrsig_time(rrset, sig, key, v->now);
			if (last == LDNS_STATUS_OK) {
				int64_t exp = ldns_rdf2native_time_t(ldns_rr_rrsig_expiration(sig));

				if (v->expire == 0 || exp < v->expire)
					v->expire = exp;
				v->labels = labels;
				return DNSSEC_SECURE;
			}
		}
		switch (last) {
		case LDNS_STATUS_CRYPTO_SIG_EXPIRED:
			date_text(ldns_rdf2native_int32(ldns_rr_rrsig_expiration(sig)), d,
				  sizeof(d));
			snprintf(why, whylen, "signature expired %s", d);
			break;
		case LDNS_STATUS_CRYPTO_SIG_NOT_INCEPTED:
			date_text(ldns_rdf2native_int32(ldns_rr_rrsig_inception(sig)), d,
				  sizeof(d));
			snprintf(why, whylen, "signature not valid before %s", d);
			break;
		case LDNS_STATUS_CRYPTO_NO_MATCHING_KEYTAG_DNSKEY:
			snprintf(why, whylen, "no DNSKEY matches the signature (key tag %u)",
				 (unsigned)tag);
			break;
		default:
			snprintf(why, whylen, "signature does not verify (key tag %u: %s)",
				 (unsigned)tag, ldns_get_errorstr_by_id(last));
			break;
		}
	}
	if (unsupported_only) {
		snprintf(why, whylen, "signed only with algorithms not supported");
		return DNSSEC_INSECURE;
	}
	return DNSSEC_BOGUS;
}

/* rrset (owner, type) of section with its signatures, verified. */
static enum dnssec_outcome verify_in(struct vrun *v, const ldns_rr_list *section,
				     const ldns_rdf *owner, ldns_rr_type type,
				     const ldns_rr_list *keys, const ldns_rdf *zone, char *why,
				     size_t whylen, bool *present)
{
	ldns_rr_list *set = select_rrs(section, owner, type, false);
	ldns_rr_list *sigs = select_rrs(section, owner, type, true);
	enum dnssec_outcome o = DNSSEC_BOGUS;

	*present = set != NULL && ldns_rr_list_rr_count(set) > 0;
	if (set == NULL || sigs == NULL)
		snprintf(why, whylen, "out of memory");
	else if (*present)
		o = verify_rrset(v, set, sigs, keys, zone, why, whylen);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	return o;
}

/* ----------------------------------------------------------- denial of DS */

enum ds_denial {
	NOT_A_CUT,
	UNSIGNED_CUT,
	DENIAL_BOGUS,
	DENIAL_INSECURE
};

bool dnssec_nsec_signed(struct vrun *v, const ldns_rr_list *auth, const ldns_rr *nsec,
			const ldns_rr_list *keys, const ldns_rdf *zone, char *why, size_t whylen)
{
	bool present;

	return verify_in(v, auth, ldns_rr_owner(nsec), ldns_rr_get_type(nsec), keys, zone, why,
			 whylen, &present) == DNSSEC_SECURE;
}

/* The NSEC3 of auth (at most DNSSEC_DENIAL_RRS looked at) whose owner is
 * the hash of name in zone, with that NSEC3's parameters; NULL if none. */
/* The owner an NSEC3 of zone has for name: the hash of name with rr's
 * parameters, a label under zone; NULL when it cannot be made. */
static ldns_rdf *nsec3_owner_for(const ldns_rr *rr, const ldns_rdf *name, const ldns_rdf *zone)
{
	ldns_rdf *h = ldns_nsec3_hash_name_frm_nsec3(rr, (ldns_rdf *)name);
	ldns_rdf *full = h != NULL ? ldns_dname_cat_clone(h, zone) : NULL;

	ldns_rdf_deep_free(h);
	return full;
}

bool dnssec_nsec3_matches(const ldns_rr *rr, const ldns_rdf *name, const ldns_rdf *zone)
{
	ldns_rdf *full = nsec3_owner_for(rr, name, zone);
	bool match = full != NULL && ldns_dname_compare(full, ldns_rr_owner(rr)) == 0;

	ldns_rdf_deep_free(full);
	return match;
}

bool dnssec_nsec3_covers(const ldns_rr *rr, const ldns_rdf *name, const ldns_rdf *zone)
{
	ldns_rdf *parent = ldns_dname_left_chop(ldns_rr_owner(rr));
	ldns_rdf *full = nsec3_owner_for(rr, name, zone);
	/* ldns_nsec_covers_name() compares hashed owner names: it must be
	 * given the hash of name, not name */
	bool covers = parent != NULL && full != NULL && ldns_dname_compare(parent, zone) == 0 &&
		      ldns_dname_compare(full, ldns_rr_owner(rr)) != 0 &&
		      ldns_nsec_covers_name((ldns_rr *)rr, full);

	ldns_rdf_deep_free(parent);
	ldns_rdf_deep_free(full);
	return covers;
}

/* The first NSEC3 of auth (at most DNSSEC_DENIAL_RRS looked at) that
 * matches name, or with cover, that covers it; NULL if none. */
static const ldns_rr *nsec3_find(const ldns_rr_list *auth, const ldns_rdf *name,
				 const ldns_rdf *zone, bool cover)
{
	size_t i, n = auth != NULL ? ldns_rr_list_rr_count(auth) : 0, seen = 0;

	for (i = 0; i < n && seen < DNSSEC_DENIAL_RRS; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		seen++;
		if (cover ? dnssec_nsec3_covers(rr, name, zone)
			  : dnssec_nsec3_matches(rr, name, zone))
			return rr;
	}
	return NULL;
}

/* No NSEC3 matches name: the closest-encloser proof (RFC 5155 7.2.1,
 * 8.9): an NSEC3 matching the longest existing ancestor of name (the
 * closest encloser) and one covering the next closer name, the ancestor
 * one label longer. With the opt-out flag on the cover, name may be an
 * unsigned delegation in an opt-out span (RFC 5155 6); without it, name
 * does not exist, so it is no zone cut. Anything less is bogus. */
static enum ds_denial nsec3_nonexistence(struct vrun *v, const ldns_rr_list *auth,
					 const ldns_rdf *name, const ldns_rr_list *keys,
					 const ldns_rdf *zone, char *why, size_t whylen,
					 const char **how)
{
	ldns_rdf *nc = ldns_rdf_clone(name), *ce = ldns_dname_left_chop(name);
	const ldns_rr *ce_rr = NULL, *cover;
	size_t zlabels = ldns_dname_label_count(zone);
	enum ds_denial d = DENIAL_BOGUS;

	/* from the parent of name up to the zone apex */
	while (nc != NULL && ce != NULL && ldns_dname_label_count(ce) >= zlabels) {
		ldns_rdf *up;

		if ((ce_rr = nsec3_find(auth, ce, zone, false)) != NULL)
			break;
		up = ldns_dname_left_chop(ce);
		ldns_rdf_deep_free(nc);
		nc = ce;
		ce = up;
	}
	*how = "NSEC3";
	if (ce_rr == NULL) {
		snprintf(why, whylen, "no NSEC3 proves the closest encloser of the name");
	} else if ((cover = nsec3_find(auth, nc, zone, true)) == NULL) {
		snprintf(why, whylen, "no NSEC3 covers the next closer name");
	} else if (dnssec_nsec_signed(v, auth, ce_rr, keys, zone, why, whylen) &&
		   dnssec_nsec_signed(v, auth, cover, keys, zone, why, whylen)) {
		if (ldns_nsec3_optout(cover)) {
			*how = "NSEC3 opt-out";
			d = UNSIGNED_CUT;
		} else {
			d = NOT_A_CUT;
		}
	}
	ldns_rdf_deep_free(nc);
	ldns_rdf_deep_free(ce);
	return d;
}

/* What the authority section of a DS NODATA for name proves (RFC 4035
 * 5.2, RFC 5155 8.6): an unsigned delegation, or no zone cut there. */
static enum ds_denial ds_denial(struct vrun *v, const ldns_pkt *p, const ldns_rdf *name,
				const ldns_rr_list *keys, const ldns_rdf *zone, char *why,
				size_t whylen, const char **how)
{
	const ldns_rr_list *auth = ldns_pkt_authority(p);
	size_t i, n = auth != NULL ? ldns_rr_list_rr_count(auth) : 0, seen = 0;
	bool nsec3_seen = false;

	snprintf(why, whylen, "no NSEC or NSEC3 proves there is no DS");
	for (i = 0; i < n && seen < DNSSEC_DENIAL_RRS; i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool match;
		const ldns_rdf *bitmap;

		if (t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_NSEC3)
			continue;
		seen++;
		if (t == LDNS_RR_TYPE_NSEC3) {
			if (ldns_nsec3_iterations(rr) > DNSSEC_NSEC3_ITER_MAX) {
				snprintf(
					why, whylen, "NSEC3 with %u iterations, over %d (RFC 9276)",
					(unsigned)ldns_nsec3_iterations(rr), DNSSEC_NSEC3_ITER_MAX);
				return DENIAL_INSECURE;
			}
			match = dnssec_nsec3_matches(rr, name, zone);
			bitmap = ldns_nsec3_bitmap(rr);
			*how = "NSEC3";
			nsec3_seen = true;
		} else {
			match = ldns_dname_compare(ldns_rr_owner(rr), name) == 0;
			bitmap = ldns_nsec_get_bitmap(rr);
			*how = "NSEC";
			if (!match && ldns_nsec_covers_name(rr, name)) {
				/* no such name: an empty non-terminal at most */
				if (!dnssec_nsec_signed(v, auth, rr, keys, zone, why, whylen))
					return DENIAL_BOGUS;
				return NOT_A_CUT;
			}
		}
		if (!match)
			continue;
		if (!dnssec_nsec_signed(v, auth, rr, keys, zone, why, whylen))
			return DENIAL_BOGUS;
		if (ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_DS)) {
			snprintf(why, whylen, "%s lists a DS the reply did not give", *how);
			return DENIAL_BOGUS;
		}
		if (ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_NS) &&
		    !ldns_nsec_bitmap_covers_type(bitmap, LDNS_RR_TYPE_SOA))
			return UNSIGNED_CUT;
		return NOT_A_CUT;
	}
	/* no NSEC3 of name itself: it may not exist, or lie in an opt-out
	 * span; only the closest-encloser proof tells */
	if (nsec3_seen)
		return nsec3_nonexistence(v, auth, name, keys, zone, why, whylen, how);
	return DENIAL_BOGUS;
}

/* ------------------------------------------------------------ the chain */

/* keys of the DNSKEY RRset in p that match a supported DS of dsset (or,
 * with no dsset, that are in anchor_keys). */
static ldns_rr_list *keys_matching(const ldns_rr_list *dnskeys, const ldns_rr_list *dsset)
{
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i, j;

	for (i = 0; l != NULL && i < ldns_rr_list_rr_count(dnskeys); i++) {
		ldns_rr *key = ldns_rr_list_rr(dnskeys, i);

		for (j = 0; j < ldns_rr_list_rr_count(dsset); j++) {
			ldns_rr *ds = ldns_rr_list_rr(dsset, j);
			bool hit = ldns_rr_get_type(ds) == LDNS_RR_TYPE_DNSKEY
					   ? ldns_rr_compare(ds, key) == 0
					   : ldns_calc_keytag(key) == ldns_rdf2native_int16(
									      ldns_rr_rdf(ds, 0)) &&
						     ldns_rr_compare_ds(ds, key);

			if (hit) {
				ldns_rr_list_push_rr(l, ldns_rr_clone(key));
				break;
			}
		}
	}
	return l;
}

/* The supported DS (or anchor DNSKEY) records of set (RFC 6840 5.2). */
static ldns_rr_list *supported_ds(const ldns_rr_list *set)
{
	ldns_rr_list *l = ldns_rr_list_new();
	size_t i;

	for (i = 0; l != NULL && i < ldns_rr_list_rr_count(set); i++) {
		ldns_rr *rr = ldns_rr_list_rr(set, i);
		bool ok;

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DS)
			ok = ldns_rr_rd_count(rr) == 4 &&
			     alg_supported(ldns_rdf2native_int8(ldns_rr_rdf(rr, 1))) &&
			     digest_supported(ldns_rdf2native_int8(ldns_rr_rdf(rr, 2)));
		else
			ok = ldns_rr_rd_count(rr) == 4 &&
			     alg_supported(ldns_rdf2native_int8(ldns_rr_dnskey_algorithm(rr)));
		if (ok)
			ldns_rr_list_push_rr(l, ldns_rr_clone(rr));
	}
	return l;
}

/*
 * From the DS (or anchor) set of a zone to its trusted DNSKEY RRset:
 * *keys set on DNSSEC_SECURE. msg is the zone's DNSKEY reply.
 */
static enum dnssec_outcome enter_zone(struct vrun *v, const ldns_rdf *zone,
				      const ldns_rr_list *dsset, const uint8_t *msg, size_t len,
				      const char *fetch_why, ldns_rr_list **keys)
{
	char zt[NAME_SHOWN], why[120];
	ldns_pkt *p;
	ldns_rr_list *sup = supported_ds(dsset), *set = NULL, *sigs = NULL, *match = NULL;
	enum dnssec_outcome o = DNSSEC_BOGUS;

	dnssec_rdf_text(zone, zt, sizeof(zt));
	if (sup == NULL || ldns_rr_list_rr_count(sup) == 0) {
		set_zone(v->out, zone);
		dnssec_verdict(v, DNSSEC_INSECURE,
			       "zone %s is not signed with an algorithm and digest we support%s",
			       zt, "");
		ldns_rr_list_deep_free(sup);
		return DNSSEC_INSECURE;
	}
	p = parse(msg, len);
	if (p == NULL) {
		dnssec_verdict(v, DNSSEC_ERROR, "DNSKEY of %s: %s", zt,
			       fetch_why ? fetch_why : "no usable reply");
		ldns_rr_list_deep_free(sup);
		return DNSSEC_ERROR;
	}
	set = select_rrs(ldns_pkt_answer(p), zone, LDNS_RR_TYPE_DNSKEY, false);
	sigs = select_rrs(ldns_pkt_answer(p), zone, LDNS_RR_TYPE_DNSKEY, true);
	match = set != NULL ? keys_matching(set, sup) : NULL;
	if (set == NULL || sigs == NULL || match == NULL) {
		dnssec_verdict(v, DNSSEC_ERROR, "%s%s: out of memory", zt, "");
		o = DNSSEC_ERROR;
	} else if (ldns_rr_list_rr_count(set) == 0) {
		dnssec_verdict(v, DNSSEC_BOGUS, "no DNSKEY at %s, which has a DS%s", zt, "");
	} else if (ldns_rr_list_rr_count(match) == 0) {
		dnssec_verdict(v, DNSSEC_BOGUS,
			       "no DNSKEY of %s matches its DS (DS digest mismatch)%s", zt, "");
	} else if ((o = verify_rrset(v, set, sigs, match, zone, why, sizeof(why))) !=
		   DNSSEC_SECURE) {
		dnssec_verdict(v, o, "DNSKEY of %s: %s", zt, why);
		if (o == DNSSEC_INSECURE)
			set_zone(v->out, zone);
	} else {
		*keys = set;
		set = NULL;
	}
	ldns_rr_list_deep_free(sup);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(match);
	ldns_pkt_free(p);
	return o;
}

/* One name below the zone: a DS link to a new zone (keys replaced), no
 * zone cut (keys kept), or the end of the chain (outcome in v->out). */
static bool step(struct vrun *v, ldns_rdf **zone, ldns_rr_list **keys, const ldns_rdf *name,
		 const uint8_t *dsmsg, size_t dslen, const char *dswhy, const uint8_t *kmsg,
		 size_t klen, const char *kwhy)
{
	char nt[NAME_SHOWN], zt[NAME_SHOWN], why[120];
	ldns_pkt *p = parse(dsmsg, dslen);
	ldns_rr_list *newkeys = NULL;
	bool present, go_on = false;
	enum dnssec_outcome o;
	const char *how = "NSEC";

	dnssec_rdf_text(name, nt, sizeof(nt));
	dnssec_rdf_text(*zone, zt, sizeof(zt));
	if (p == NULL) {
		dnssec_verdict(v, DNSSEC_ERROR, "DS of %s: %s", nt,
			       dswhy ? dswhy : "no usable reply");
		return false;
	}
	o = verify_in(v, ldns_pkt_answer(p), name, LDNS_RR_TYPE_DS, *keys, *zone, why, sizeof(why),
		      &present);
	if (present) {
		ldns_rr_list *ds = select_rrs(ldns_pkt_answer(p), name, LDNS_RR_TYPE_DS, false);

		if (o != DNSSEC_SECURE) {
			dnssec_verdict(v, o, "DS of %s: %s", nt, why);
		} else if (enter_zone(v, name, ds, kmsg, klen, kwhy, &newkeys) == DNSSEC_SECURE) {
			ldns_rr_list_deep_free(*keys);
			*keys = newkeys;
			ldns_rdf_deep_free(*zone);
			*zone = ldns_rdf_clone(name);
			go_on = *zone != NULL;
		}
		ldns_rr_list_deep_free(ds);
		ldns_pkt_free(p);
		return go_on;
	}
	switch (ds_denial(v, p, name, *keys, *zone, why, sizeof(why), &how)) {
	case NOT_A_CUT:
		go_on = true;
		break;
	case UNSIGNED_CUT:
		set_zone(v->out, name);
		v->out->outcome = DNSSEC_INSECURE;
		snprintf(v->out->reason, sizeof(v->out->reason),
			 "zone %s is not signed (no DS in %s, proven by %s)", nt, zt, how);
		break;
	case DENIAL_INSECURE:
		set_zone(v->out, *zone);
		dnssec_verdict(v, DNSSEC_INSECURE, "DS of %s: %s", nt, why);
		break;
	case DENIAL_BOGUS:
		dnssec_verdict(v, DNSSEC_BOGUS, "DS of %s: %s", nt, why);
		break;
	}
	ldns_pkt_free(p);
	return go_on;
}

/* The answer itself, signed by the zone the chain reached. */
static void final(struct vrun *v, const ldns_pkt *p, const ldns_rdf *owner, ldns_rr_type type,
		  const ldns_rdf *zone, const ldns_rr_list *keys)
{
	char why[120], ot[NAME_SHOWN], tb[16];
	bool present;
	enum dnssec_outcome o;
	const ldns_rr_list *auth = ldns_pkt_authority(p);
	size_t i, n = auth != NULL ? ldns_rr_list_rr_count(auth) : 0, seen = 0;

	dnssec_rdf_text(owner, ot, sizeof(ot));
	dns_type_str((uint16_t)type, tb, sizeof(tb));
	o = verify_in(v, ldns_pkt_answer(p), owner, type, keys, zone, why, sizeof(why), &present);
	if (present) {
		if (o != DNSSEC_SECURE)
			dnssec_verdict(v, o, "%s: %s", ot, why);
		else if (v->labels < ldns_dname_label_count(owner) &&
			 !(ldns_dname_is_wildcard(owner) &&
			   v->labels + 1u == ldns_dname_label_count(owner)))
			dnssec_wildcard_proof(v, ldns_pkt_authority(p), owner, zone, keys);
		else
			v->out->outcome = DNSSEC_SECURE;
		return;
	}
	/* NODATA or NXDOMAIN: every NSEC/NSEC3 given must be signed, and
	 * ldns must find them a proof. */
	for (i = 0; i < n && seen < DNSSEC_DENIAL_RRS; i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC &&
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC3)
			continue;
		seen++;
		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_NSEC3 &&
		    ldns_nsec3_iterations(rr) > DNSSEC_NSEC3_ITER_MAX) {
			set_zone(v->out, zone);
			snprintf(why, sizeof(why), "NSEC3 with %u iterations, over %d (RFC 9276)",
				 (unsigned)ldns_nsec3_iterations(rr), DNSSEC_NSEC3_ITER_MAX);
			dnssec_verdict(v, DNSSEC_INSECURE, "no %s at %s: %s", tb, ot, why);
			return;
		}
		if (!dnssec_nsec_signed(v, auth, rr, keys, zone, why, sizeof(why))) {
			dnssec_verdict(v, DNSSEC_BOGUS, "denial for %s: %s", ot, why);
			return;
		}
	}
	if (seen == 0) {
		dnssec_verdict(v, DNSSEC_BOGUS, "no %s at %s and no signed proof of it", tb, ot);
		return;
	}
	{
		ldns_rr *q = ldns_rr_new();
		ldns_rr_list *nsecs = ldns_rr_list_new(), *sigs = ldns_rr_list_new();
		ldns_status st = LDNS_STATUS_MEM_ERR;
		bool nsec3 = false;

		for (i = 0; nsecs != NULL && sigs != NULL && i < n; i++) {
			ldns_rr *rr = ldns_rr_list_rr(auth, i);
			ldns_rr_type t = ldns_rr_get_type(rr);

			if (t == LDNS_RR_TYPE_NSEC || t == LDNS_RR_TYPE_NSEC3) {
				nsec3 = nsec3 || t == LDNS_RR_TYPE_NSEC3;
				ldns_rr_list_push_rr(nsecs, rr);
			} else if (t == LDNS_RR_TYPE_RRSIG) {
				ldns_rr_list_push_rr(sigs, rr);
			}
		}
		if (q != NULL && nsecs != NULL && sigs != NULL) {
			ldns_rr_set_owner(q, ldns_rdf_clone(owner));
			ldns_rr_set_type(q, type);
			ldns_rr_set_class(q, LDNS_RR_CLASS_IN);
			st = nsec3 ? ldns_dnssec_verify_denial_nsec3(
					     q, nsecs, sigs, ldns_pkt_get_rcode(p), type,
					     ldns_pkt_get_rcode(p) == LDNS_RCODE_NOERROR)
				   : ldns_dnssec_verify_denial(q, nsecs, sigs);
		}
		if (st == LDNS_STATUS_OK)
			v->out->outcome = DNSSEC_SECURE;
		else
			dnssec_verdict(v, DNSSEC_BOGUS, "denial for %s: %s", ot,
				       ldns_get_errorstr_by_id(st));
		ldns_rr_free(q);
		ldns_rr_list_free(nsecs);
		ldns_rr_list_free(sigs);
	}
}

/* The zone that signed the answer (or its denial), else NULL: where the
 * chain must reach. */
static const ldns_rdf *signer_of(const ldns_pkt *p, const ldns_rdf *owner, ldns_rr_type type)
{
	const ldns_rr_list *sec[2] = {ldns_pkt_answer(p), ldns_pkt_authority(p)};
	size_t s, i;

	for (s = 0; s < 2; s++)
		for (i = 0; sec[s] != NULL && i < ldns_rr_list_rr_count(sec[s]); i++) {
			ldns_rr *rr = ldns_rr_list_rr(sec[s], i);
			const ldns_rdf *tc;

			if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_RRSIG ||
			    (tc = ldns_rr_rrsig_typecovered(rr)) == NULL)
				continue;
			if (s == 0 && (ldns_rdf2rr_type(tc) != type ||
				       ldns_dname_compare(ldns_rr_owner(rr), owner) != 0))
				continue;
			if (s == 1 && ldns_rdf2rr_type(tc) != LDNS_RR_TYPE_SOA)
				continue;
			return ldns_rr_rrsig_signame(rr);
		}
	return NULL;
}

void dnssec_validate(const struct dnssec_anchor *anchor, dnssec_fetch_fn fetch, void *ctx,
		     const struct dname *owner, uint16_t qtype, const uint8_t *msg, size_t len,
		     time_t now, struct dnssec_result *out)
{
	struct vrun v = {anchor, fetch, ctx, now, out, 0, 0};
	struct dnssec_need q[2 * DNSSEC_DEPTH_MAX + 1];
	const uint8_t *m[2 * DNSSEC_DEPTH_MAX + 1];
	size_t l[2 * DNSSEC_DEPTH_MAX + 1], depth, i, nq = 0;
	const char *why[2 * DNSSEC_DEPTH_MAX + 1];
	struct dname target, az = anchor->zone;
	ldns_pkt *p = parse(msg, len);
	ldns_rdf *own = ldns_dname_new_frm_data((uint16_t)owner->len, owner->wire);
	ldns_rdf *zone = ldns_dname_new_frm_data((uint16_t)az.len, az.wire);
	const ldns_rdf *signer;
	ldns_rr_list *keys = NULL;
	char at[NAME_SHOWN], ot[NAME_SHOWN];

	memset(out, 0, sizeof(*out));
	out->outcome = DNSSEC_BOGUS;
	if (p == NULL || own == NULL || zone == NULL) {
		dnssec_verdict(&v, DNSSEC_ERROR, "no reply to validate%s%s", "", "");
		goto done;
	}
	/* Where the chain must go: the signer, when it is above the owner. */
	target = *owner;
	signer = signer_of(p, own, (ldns_rr_type)qtype);
	if (signer != NULL && ldns_rdf_size(signer) <= DNAME_WIRE_MAX) {
		struct dname s;

		s.len = ldns_rdf_size(signer);
		memcpy(s.wire, ldns_rdf_data(signer), s.len);
		if (dname_is_subdomain(owner, &s, true) && dname_is_subdomain(&s, &az, true))
			target = s;
	}
	if (!dname_is_subdomain(&target, &az, true)) {
		out->anchor_elsewhere = true;
		dnssec_verdict(&v, DNSSEC_ERROR, "the trust anchor is for %s, not above %s",
			       dname_to_text(&az, at, sizeof(at)),
			       dname_to_text(owner, ot, sizeof(ot)));
		goto done;
	}
	depth = dname_labels(&target) - dname_labels(&az);
	/* One batch: the anchor zone's DNSKEY, then DS and DNSKEY of each
	 * name down to the target, at most DNSSEC_DEPTH_MAX of them (D-05):
	 * an unsigned zone cut above ends the walk before the limit. */
	q[nq].name = az;
	q[nq++].type = LDNS_RR_TYPE_DNSKEY;
	for (i = depth; i > 0 && depth - i < DNSSEC_DEPTH_MAX; i--) {
		dname_parent(&q[nq].name, &target, i - 1);
		q[nq++].type = LDNS_RR_TYPE_DS;
		q[nq] = q[nq - 1];
		q[nq++].type = LDNS_RR_TYPE_DNSKEY;
	}
	fetch(ctx, q, nq, m, l, why);
	if (enter_zone(&v, zone, anchor->rrs, m[0], l[0], why[0], &keys) != DNSSEC_SECURE)
		goto done;
	for (i = 1; i < nq; i += 2) {
		ldns_rdf *name = ldns_dname_new_frm_data((uint16_t)q[i].name.len, q[i].name.wire);
		bool go_on = name != NULL && step(&v, &zone, &keys, name, m[i], l[i], why[i],
						  m[i + 1], l[i + 1], why[i + 1]);

		ldns_rdf_deep_free(name);
		if (!go_on)
			goto done;
	}
	if (depth > DNSSEC_DEPTH_MAX) {
		dnssec_verdict(&v, DNSSEC_BOGUS, "%s is more than %d names below the trust anchor",
			       dname_to_text(&target, ot, sizeof(ot)), DNSSEC_DEPTH_MAX);
		goto done;
	}
	final(&v, p, own, (ldns_rr_type)qtype, zone, keys);
	if (out->outcome == DNSSEC_SECURE)
		set_zone(out, zone);
done:
	out->expire = out->outcome == DNSSEC_SECURE ? v.expire : 0;
	ldns_rr_list_deep_free(keys);
	ldns_rdf_deep_free(own);
	ldns_rdf_deep_free(zone);
	ldns_pkt_free(p);
}
