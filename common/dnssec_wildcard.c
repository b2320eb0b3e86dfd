/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * A positive answer expanded from a wildcard (RFC 4035 5.3.4, RFC 5155
 * 8.8): its signature verifies over the wildcard's name, so what makes
 * it an answer for the name asked is the proof, in the authority section
 * of the same reply, that no closer name exists: a signed NSEC or NSEC3
 * covering the next closer name (the closest encloser, the wildcard's
 * parent, with one more label of the owner). Without it a replayed
 * wildcard RRset would hide records of names that do exist.
 */
#include <stdio.h>

#include "dnssec_internal.h"

/* Does NSEC rr prove that nc does not exist? It must cover nc strictly
 * (ldns_nsec_covers_name() also accepts the owner itself) and its next
 * name must not be below nc (nc would then be an empty non-terminal,
 * which exists). */
static bool nsec_denies(const ldns_rr *rr, const ldns_rdf *nc, const ldns_rdf *zone)
{
	const ldns_rdf *next = ldns_rr_rdf(rr, 0);

	return next != NULL &&
	       (ldns_dname_compare(ldns_rr_owner(rr), zone) == 0 ||
		ldns_dname_is_subdomain(ldns_rr_owner(rr), zone)) &&
	       ldns_dname_compare(ldns_rr_owner(rr), nc) != 0 && ldns_nsec_covers_name(rr, nc) &&
	       !ldns_dname_is_subdomain(next, nc);
}

void dnssec_wildcard_proof(struct vrun *v, const ldns_rr_list *auth, const ldns_rdf *owner,
			   const ldns_rdf *zone, const ldns_rr_list *keys)
{
	size_t i, n = auth != NULL ? ldns_rr_list_rr_count(auth) : 0, seen = 0;
	size_t owner_labels = ldns_dname_label_count(owner);
	char ot[NAME_SHOWN], why[120] = "";
	/* The next closer name: the closest encloser (the RRSIG's labels
	 * rightmost labels of owner) with one more label. */
	ldns_rdf *nc = ldns_dname_clone_from(owner, (uint16_t)(owner_labels - v->labels - 1));

	dnssec_rdf_text(owner, ot, sizeof(ot));
	for (i = 0; nc != NULL && i < n && seen < DNSSEC_DENIAL_RRS; i++) {
		ldns_rr *rr = ldns_rr_list_rr(auth, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		bool denies;

		if (t != LDNS_RR_TYPE_NSEC && t != LDNS_RR_TYPE_NSEC3)
			continue;
		seen++;
		if (t == LDNS_RR_TYPE_NSEC3 && ldns_nsec3_iterations(rr) > DNSSEC_NSEC3_ITER_MAX) {
			/* D-02: never hashed; RFC 9276 3.2 lets it be insecure */
			dnssec_verdict(v, DNSSEC_INSECURE,
				       "wildcard answer for %s: NSEC3 with %u iterations, over %d "
				       "(RFC 9276)",
				       ot, (unsigned)ldns_nsec3_iterations(rr),
				       DNSSEC_NSEC3_ITER_MAX);
			ldns_rdf_deep_free(nc);
			return;
		}
		denies = t == LDNS_RR_TYPE_NSEC ? nsec_denies(rr, nc, zone)
						: dnssec_nsec3_covers(rr, nc, zone);
		if (!denies)
			continue;
		if (!dnssec_nsec_signed(v, auth, rr, keys, zone, why, sizeof(why))) {
			dnssec_verdict(
				v, DNSSEC_BOGUS,
				"wildcard answer without proof that %s does not exist: %s: %s", ot,
				t == LDNS_RR_TYPE_NSEC ? "NSEC" : "NSEC3", why);
			ldns_rdf_deep_free(nc);
			return;
		}
		v->out->outcome = DNSSEC_SECURE;
		ldns_rdf_deep_free(nc);
		return;
	}
	dnssec_verdict(v, DNSSEC_BOGUS, "wildcard answer without proof that %s does not exist", ot);
	ldns_rdf_deep_free(nc);
}
