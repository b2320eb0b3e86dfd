/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The trust anchor file (--trust-anchor, default dns-root-data's
 * root.key): DS or DNSKEY records of one zone in zone-file form, read
 * with ldns's zone-file reader. Every problem is the user's to fix, so
 * each is named with the file (D-06).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "dnssec_internal.h"

void dnssec_anchor_free(struct dnssec_anchor *a)
{
	if (a == NULL)
		return;
	if (a->rrs != NULL)
		ldns_rr_list_deep_free(a->rrs);
	free(a);
}

const struct dname *dnssec_anchor_zone(const struct dnssec_anchor *a)
{
	return &a->zone;
}

/* Reads every RR of fp into a->rrs; false with err set at the first
 * record that is not a DS or DNSKEY or does not parse. */
static bool read_records(struct dnssec_anchor *a, FILE *fp, const char *path, char *err,
			 size_t errlen)
{
	uint32_t ttl = 3600;
	ldns_rdf *origin = NULL, *prev = NULL;
	int line = 1;
	bool ok = true;

	while (ok && !feof(fp) && ldns_rr_list_rr_count(a->rrs) < DNSSEC_ANCHOR_MAX) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin, &prev, &line);

		if (st == LDNS_STATUS_SYNTAX_EMPTY || st == LDNS_STATUS_SYNTAX_TTL ||
		    st == LDNS_STATUS_SYNTAX_ORIGIN || st == LDNS_STATUS_SYNTAX_INCLUDE)
			continue;
		if (st != LDNS_STATUS_OK) {
			if (feof(fp) && st == LDNS_STATUS_SYNTAX_ERR)
				break;
			snprintf(err, errlen, "trust anchor %s: line %d: %s", path, line,
				 ldns_get_errorstr_by_id(st));
			ok = false;
			break;
		}
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DS &&
		    ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY) {
			snprintf(err, errlen, "trust anchor %s: line %d: not a DS or DNSKEY record",
				 path, line);
			ldns_rr_free(rr);
			ok = false;
			break;
		}
		if (ldns_rr_list_rr_count(a->rrs) > 0 &&
		    ldns_dname_compare(ldns_rr_owner(rr),
				       ldns_rr_owner(ldns_rr_list_rr(a->rrs, 0))) != 0) {
			snprintf(err, errlen, "trust anchor %s: records for more than one zone",
				 path);
			ldns_rr_free(rr);
			ok = false;
			break;
		}
		ldns_rr_list_push_rr(a->rrs, rr);
	}
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return ok;
}

struct dnssec_anchor *dnssec_anchor_load(const char *path, char *err, size_t errlen)
{
	struct dnssec_anchor *a;
	FILE *fp = fopen(path, "r");
	const ldns_rdf *owner;

	if (fp == NULL) {
		snprintf(err, errlen, "trust anchor %s: %s", path, strerror(errno));
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL || (a->rrs = ldns_rr_list_new()) == NULL) {
		fclose(fp);
		free(a);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!read_records(a, fp, path, err, errlen)) {
		fclose(fp);
		dnssec_anchor_free(a);
		return NULL;
	}
	fclose(fp);
	if (ldns_rr_list_rr_count(a->rrs) == 0) {
		snprintf(err, errlen, "trust anchor %s: no DS or DNSKEY record", path);
		dnssec_anchor_free(a);
		return NULL;
	}
	owner = ldns_rr_owner(ldns_rr_list_rr(a->rrs, 0));
	a->zone.len = ldns_rdf_size(owner);
	if (a->zone.len == 0 || a->zone.len > DNAME_WIRE_MAX) {
		snprintf(err, errlen, "trust anchor %s: bad owner name", path);
		dnssec_anchor_free(a);
		return NULL;
	}
	memcpy(a->zone.wire, ldns_rdf_data(owner), a->zone.len);
	return a;
}
