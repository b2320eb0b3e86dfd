/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc's report destinations (plugins/dmarc_reports.h). */
#include "dmarc_reports.h"

#include <stdint.h>

#include "bounds.h"
#include "dmarc_run.h"
#include "plugin.h"

/* Report an external destination's authorisation (RFC 7489 7.1). */
static void auth_result(struct run *r, const char *dt, const struct dns_answer *au)
{
	char owner[DNAME_TEXT_MAX];
	bool ok = false;

	if (!res_status_is_answer(au->status)) {
		plugin_dns_error(r->c, r->co, au, "report authorisation");
		return;
	}
	for (size_t i = 0; i < au->nrr && !ok; i++)
		ok = dmarc_is_record((const char *)au->rr[i].u.txt.data, au->rr[i].u.txt.len);
	if (ok) {
		check_add(r->c, STATE_OK,
			  "external report destination %s "
			  "authorises reports for %s",
			  dt, r->at_text);
		return;
	}
	check_add(r->c, STATE_WARNING,
		  "external report destination %s has "
		  "not authorised reports for %s (RFC 7489 7.1)",
		  dt, r->at_text);
	check_fix(r->c, "%s. IN TXT \"v=DMARC1\"", name_text(&au->qname, owner));
}

/* A report mailbox's domain must accept mail: MX, not null MX. */
static void mx_result(struct run *r, const char *dt, const struct dns_answer *mx)
{
	if (!res_status_is_answer(mx->status))
		plugin_dns_error(r->c, r->co, mx, "report mailbox MX");
	else if (mx->status == RES_NXDOMAIN)
		check_add(r->c, STATE_WARNING,
			  "report domain %s does not exist: "
			  "reports cannot be delivered",
			  dt);
	else if (mx->status == RES_NODATA || mx->nrr == 0)
		check_add(r->c, STATE_WARNING, "report domain %s has no MX record", dt);
	else if (mx->nrr == 1 && mx->rr[0].u.mx.host.len == 1)
		check_add(r->c, STATE_WARNING,
			  "report domain %s has a null MX: it "
			  "accepts no mail (RFC 7505)",
			  dt);
	else
		check_verbose(r->c, 1, "report domain %s has MX", dt);
}

/* plugins/dmarc_reports.h */
void dmarc_check_destinations(struct run *r, const struct dmarc_record *rec, bool need_np,
			      bool *nonexistent)
{
	enum {
		NQ = 3 + 2 * LIMIT_DMARC_DESTINATIONS
	};
	struct dname dom[LIMIT_DMARC_DESTINATIONS], an;
	struct dns_question q[NQ];
	const struct dns_answer *a[NQ];
	size_t auth_at[LIMIT_DMARC_DESTINATIONS], nq = 0, more;
	size_t nd = dmarc_report_domains(rec, dom, LIMIT_DMARC_DESTINATIONS, &more);
	static const uint16_t types[3] = {DNS_T_A, DNS_T_AAAA, DNS_T_MX};
	char dt[DNAME_TEXT_MAX];
	bool exists = false;

	for (int i = 0; need_np && i < 3; i++)
		q[nq++] = (struct dns_question){r->co->domain, types[i]};
	for (size_t k = 0; k < nd; k++) {
		q[nq++] = (struct dns_question){dom[k], DNS_T_MX};
		auth_at[k] = 0;
		if (orgdomain_same(r->od, &dom[k], &r->at))
			continue;
		if (dname_prepend(&an, &dom[k], "_dmarc", 6) &&
		    dname_prepend(&an, &an, "_report", 7) && dname_concat(&an, &r->at, &an)) {
			auth_at[k] = nq;
			q[nq++] = (struct dns_question){an, DNS_T_TXT};
		} else {
			check_add(r->c, STATE_WARNING,
				  "external report destination "
				  "%s: authorisation name too long to ask",
				  name_text(&dom[k], dt));
		}
	}
	plugin_stage("report destinations");
	if (nq > 0)
		resolver_query_batch(r->res, q, nq, a);
	/* RFC 9091: non-existent is NXDOMAIN or NODATA for A, AAAA and MX.
	 * One record of any of the three proves existence: the other two
	 * are then not needed, and their failure is no DNS error. */
	for (int i = 0; need_np && i < 3; i++)
		exists = exists || (a[i]->status == RES_OK && a[i]->nrr > 0);
	*nonexistent = need_np && !exists;
	for (int i = 0; need_np && !exists && i < 3; i++) {
		if (!res_status_is_answer(a[i]->status))
			plugin_dns_error(r->c, r->co, a[i], "existence (np=)");
		if (a[i]->status != RES_NXDOMAIN && a[i]->status != RES_NODATA)
			*nonexistent = false;
	}
	for (size_t k = 0, i = need_np ? 3 : 0; k < nd; k++) {
		name_text(&dom[k], dt);
		mx_result(r, dt, a[i]);
		if (auth_at[k] != 0)
			auth_result(r, dt, a[auth_at[k]]);
		i += auth_at[k] != 0 ? 2 : 1;
	}
	if (more > 0)
		check_add(r->c, STATE_WARNING,
			  "%zu further report URIs not "
			  "verified (at most %d report domains are)",
			  more, LIMIT_DMARC_DESTINATIONS);
}

void dmarc_check_rua(struct run *r, const struct dmarc_record *rec)
{
	char rua[DNAME_TEXT_MAX + 16];

	if (rec->rua.present && rec->rua.nvalid > 0) {
		return;
	}
	if (r->o->no_rua_ok) {
		check_add(r->c, STATE_OK, "no rua= (accepted by --no-rua-ok)");
		return;
	}
	dmarc_fix_rua(r, rua, sizeof(rua));
	check_add(r->c, STATE_WARNING,
		  "no rua=: no aggregate "
		  "reports are asked for, so failures go unseen");
	/* the record found, and a new record of the domain made from it
	 * (check_policy()), both need it */
	dmarc_fix_edit_all(&r->fix, "rua", rua);
	dmarc_fix_edit(dmarc_fix_owner(&r->fix, r->at_text), "rua", rua);
}
