/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_dmarc_reports: own sources and rua= (plugins/reports_own.h). */
#include <string.h>

#include "dmarc.h"
#include "plugin.h"
#include "reports_own.h"

static void host_addresses(struct reports_run *r)
{
	struct dns_question q[REPORTS_MAX_HOSTS * 2];
	const struct dns_answer *a[REPORTS_MAX_HOSTS * 2];
	size_t n = r->o->nhosts;

	for (size_t i = 0; i < n; i++) {
		q[2 * i] = (struct dns_question){r->o->hosts[i], DNS_T_A};
		q[2 * i + 1] = (struct dns_question){r->o->hosts[i], DNS_T_AAAA};
	}
	plugin_stage("mail host addresses");
	resolver_query_batch(r->res, q, 2 * n, a);
	for (size_t i = 0; i < n; i++) {
		size_t before = r->nown;
		bool failed = false;

		for (size_t k = 2 * i; k < 2 * i + 2; k++) {
			if (!res_status_is_answer(a[k]->status)) {
				plugin_dns_error(r->c, r->co, a[k], "mail host address");
				failed = true;
				continue;
			}
			for (size_t j = 0;
			     j < a[k]->nrr && r->nown < sizeof(r->own) / sizeof(r->own[0]); j++) {
				struct reports_net *net = &r->own[r->nown++];

				memset(net, 0, sizeof(*net));
				net->ip.family = a[k]->rr[j].type == DNS_T_A ? 4 : 6;
				net->prefix = net->ip.family == 4 ? 32 : 128;
				memcpy(net->ip.addr, a[k]->rr[j].u.addr,
				       net->ip.family == 4 ? 4 : 16);
			}
		}
		if (r->nown == before && !failed) {
			check_add(r->c, STATE_UNKNOWN, "mail host %s has no A or AAAA record",
				  r->o->host_args[i]);
		}
	}
}

void reports_own_sources(struct reports_run *r)
{
	struct spf_fetch f;

	if (r->co->parked) {
		/* a parked domain sends no mail: it has no own sources */
		check_verbose(r->c, 1, "--parked: no own sources, every source is another's");
		return;
	}
	memcpy(r->own, r->o->nets, r->o->nnets * sizeof(r->o->nets[0]));
	r->nown = r->o->nnets;
	if (r->o->nhosts > 0) {
		host_addresses(r);
	}
	if (r->o->nnets > 0 || r->o->nhosts > 0) {
		check_verbose(r->c, 1,
			      "own sources: %zu addresses and networks from --ip and "
			      "--mail-host",
			      r->nown);
		return;
	}
	plugin_stage("SPF record");
	spf_fetch(r->res, &r->co->domain, &f);
	if (f.result == SPF_TEMPERROR && f.ans != NULL) {
		plugin_dns_error(r->c, r->co, f.ans, "SPF record (own sources)");
	} else if (f.result != SPF_PASS) {
		check_add(r->c, STATE_WARNING,
			  "own sources unknown: %s (%s); give --ip or --mail-host", f.why,
			  spf_result_str(f.result));
	} else {
		r->by_spf = true;
		check_verbose(r->c, 1, "own sources: the addresses the SPF record of %s authorises",
			      r->dom);
	}
	spf_fetch_clear(&f);
}

void reports_none(struct reports_run *r)
{
	struct dname name;
	const struct dns_answer *a;
	bool rua = false;
	size_t found = 0;

	if (!dname_prepend(&name, &r->co->domain, "_dmarc", 6)) {
		return;
	}
	plugin_stage("DMARC record");
	a = resolver_query(r->res, &name, DNS_T_TXT);
	if (!res_status_is_answer(a->status)) {
		plugin_dns_error(r->c, r->co, a, "DMARC record");
		return;
	}
	for (size_t i = 0; i < a->nrr; i++) {
		const char *txt = (const char *)a->rr[i].u.txt.data;
		size_t len = a->rr[i].u.txt.len;
		struct dmarc_record *rec;

		if (!dmarc_is_record(txt, len)) {
			continue;
		}
		found++;
		rec = dmarc_parse(txt, len);
		rua = rua || (rec != NULL && rec->rua.nvalid > 0);
		dmarc_record_free(rec);
	}
	if (found == 1 && rua) {
		check_add(
			r->c, STATE_WARNING,
			"no report about %s within --since (%lds) although _dmarc.%s asks for them "
			"(rua=): reports not arriving",
			r->dom, r->o->since, r->dom);
	} else {
		check_add(r->c, STATE_OK, "no report about %s within --since (%lds); _dmarc.%s %s",
			  r->dom, r->o->since, r->dom,
			  found == 1 ? "asks for none (no rua=)" : "has no single DMARC record");
	}
}
