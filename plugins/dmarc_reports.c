/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc's report destinations (plugins/dmarc_reports.h). */
#include "dmarc_reports.h"

#include <stdint.h>

#include "bounds.h"
#include "dmarc_run.h"
#include "dns_type.h"
#include "mailaccept.h"
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

/* A report mailbox's domain must accept mail (RFC 5321 5.1, RFC 7505):
 * an MX host, or without MX its own address, the implicit MX. */
static void mail_result(struct run *r, const char *dt, const struct mailaccept *m)
{
	switch (m->verdict) {
	case MAILACCEPT_MX:
		check_verbose(r->c, 1, "report domain %s has MX", dt);
		break;
	case MAILACCEPT_IMPLICIT_MX:
		check_add(r->c, STATE_OK,
			  "report domain %s has no MX but an address: reports go there "
			  "(implicit MX, RFC 5321 5.1)",
			  dt);
		break;
	case MAILACCEPT_NULL_MX:
		check_add(r->c, STATE_WARNING,
			  "report domain %s has a null MX: it "
			  "accepts no mail (RFC 7505)",
			  dt);
		break;
	case MAILACCEPT_NO_MX_NO_ADDRESS:
		check_add(r->c, STATE_WARNING,
			  "report domain %s has no MX record and no address: "
			  "reports cannot be delivered",
			  dt);
		break;
	case MAILACCEPT_NXDOMAIN:
		check_add(r->c, STATE_WARNING,
			  "report domain %s does not exist: "
			  "reports cannot be delivered",
			  dt);
		break;
	case MAILACCEPT_DNS_ERROR:
	case MAILACCEPT_NEEDS_ADDRESS: /* not left so by dmarc_check_destinations() */
	default:
		plugin_dns_error(r->c, r->co, m->failed,
				 m->failed != NULL && m->failed->qtype == DNS_T_MX
					 ? "report mailbox MX"
					 : "report mailbox address");
		break;
	}
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
	struct mailaccept acc[LIMIT_DMARC_DESTINATIONS];
	size_t mx_at[LIMIT_DMARC_DESTINATIONS], auth_at[LIMIT_DMARC_DESTINATIONS], nq = 0, more;
	/* the second batch: A and AAAA of the report domains without MX */
	struct dns_question aq[MAILACCEPT_ADDRESS_QUESTIONS * LIMIT_DMARC_DESTINATIONS];
	const struct dns_answer *aa[MAILACCEPT_ADDRESS_QUESTIONS * LIMIT_DMARC_DESTINATIONS];
	size_t pending[LIMIT_DMARC_DESTINATIONS], npending = 0;
	size_t nd = dmarc_report_domains(rec, dom, LIMIT_DMARC_DESTINATIONS, &more);
	static const uint16_t types[3] = {DNS_T_A, DNS_T_AAAA, DNS_T_MX};
	char dt[DNAME_TEXT_MAX];
	bool exists = false;

	for (int i = 0; need_np && i < 3; i++)
		q[nq++] = (struct dns_question){r->co->domain, types[i]};
	for (size_t k = 0; k < nd; k++) {
		mx_at[k] = nq;
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
	/* a report domain without MX: its A and AAAA, all such domains'
	 * in one more batch, asked only when there is one */
	for (size_t k = 0; k < nd; k++) {
		acc[k] = mailaccept_from_mx(a[mx_at[k]]);
		if (mailaccept_questions(&acc[k], &dom[k],
					 &aq[MAILACCEPT_ADDRESS_QUESTIONS * npending]) > 0)
			pending[npending++] = k;
	}
	if (npending > 0)
		resolver_query_batch(r->res, aq, MAILACCEPT_ADDRESS_QUESTIONS * npending, aa);
	for (size_t j = 0; j < npending; j++)
		mailaccept_from_addresses(&acc[pending[j]], aa[2 * j], aa[2 * j + 1]);
	for (size_t k = 0; k < nd; k++) {
		name_text(&dom[k], dt);
		mail_result(r, dt, &acc[k]);
		if (auth_at[k] != 0)
			auth_result(r, dt, a[auth_at[k]]);
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
