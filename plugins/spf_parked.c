/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_spf --parked (plugins/spf_parked.h). */
#include "spf_parked.h"

#include "spf_parse.h"

void spf_parked(struct spf_run *r)
{
	const struct dname *dom = &r->co->domain;
	const struct dns_answer *a = resolver_query(r->res, dom, DNS_T_TXT);
	const struct dns_rr *hit = NULL;
	struct spf_record *rec = NULL;
	char owner[DNAME_TEXT_MAX], err[160];
	size_t n = 0;

	if (!res_status_is_answer(a->status)) {
		return; /* the audit has said why */
	}
	for (size_t i = 0; i < a->nrr; i++) {
		if (spf_is_record(a->rr[i].u.txt.data, a->rr[i].u.txt.len)) {
			hit = &a->rr[i];
			n++;
		}
	}
	if (n == 1) {
		rec = spf_record_parse(hit->u.txt.data, hit->u.txt.len, err, sizeof(err));
	}
	if (rec != NULL && spf_record_denies_all(rec)) {
		check_add(r->c, STATE_OK, "parked: the SPF record fails every sender");
	} else {
		check_add(r->c, STATE_CRITICAL, "parked domain: %s",
			  n == 0  ? "no SPF record, so receivers cannot tell that it sends no mail"
			  : n > 1 ? "several SPF records (permerror)"
			  : rec == NULL ? "the SPF record is invalid (permerror)"
					: "the SPF record does not fail every sender");
	}
	if (rec == NULL || !spf_record_denies_all(rec)) {
		check_fix(r->c, "%s. IN TXT \"v=spf1 -all\"",
			  dname_to_text(dom, owner, sizeof(owner)));
	}
	spf_record_free(rec);
}
