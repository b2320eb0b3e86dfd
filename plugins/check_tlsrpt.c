/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_tlsrpt: the SMTP TLS Reporting record of a mail domain (RFC
 * 8460): exactly one v=TLSRPTv1 record at _smtp._tls.DOMAIN, its rua=
 * URIs valid, and each able to take the reports (a mailto: domain that
 * accepts mail, an https: host that resolves). A missing record is worth
 * most where MTA-STS or DANE is in use: their failures are what the
 * reports are about.
 *
 * The first batch asks the record, _mta-sts.DOMAIN TXT and the domain's
 * MX together; the second the report destinations (and, with no record,
 * the TLSA records of the MX hosts); a third only the addresses of
 * report domains without MX.
 *
 * The jobs it is made of, linked into check_tlsrpt only:
 * plugins/tlsrpt_dest.c (the report destinations) and tlsrpt_fix.c (the
 * fix: line); plugins/tlsrpt_run.h holds the run.
 */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "mta_sts.h"
#include "plugin.h"
#include "propagation.h"
#include "tlsrpt.h"
#include "tlsrpt_dest.h"
#include "tlsrpt_fix.h"
#include "tlsrpt_run.h"

/* The first batch: the record, and what says whether MTA-STS or DANE
 * is in use (the MX hosts, for their TLSA records). */
static void lookup(struct tlsrpt_run *r)
{
	struct dname sts;
	struct dns_question q[3];
	const struct dns_answer *a[3];
	size_t nq = 0;

	q[nq++] = (struct dns_question){r->owner, DNS_T_TXT};
	q[nq++] = (struct dns_question){r->co->domain, DNS_T_MX};
	if (dname_prepend(&sts, &r->co->domain, "_mta-sts", 8)) {
		q[nq++] = (struct dns_question){sts, DNS_T_TXT};
	}
	plugin_stage("record lookup");
	resolver_query_batch(r->res, q, nq, a);
	r->txt = a[0];
	r->mx = a[1];
	r->sts = nq > 2 ? a[2] : NULL;
}

/* A v=STSv1 record at _mta-sts.DOMAIN: MTA-STS is in use (RFC 8461 3.1).
 * A failure to ask is reported, and counts as not known to be in use. */
static bool mta_sts_in_use(struct tlsrpt_run *r)
{
	if (r->sts == NULL) {
		return false;
	}
	if (!res_status_is_answer(r->sts->status)) {
		plugin_dns_error(r->c, r->co, r->sts, "MTA-STS record");
		return false;
	}
	for (size_t i = 0; i < r->sts->nrr; i++) {
		if (mta_sts_is_record((const char *)r->sts->rr[i].u.txt.data,
				      r->sts->rr[i].u.txt.len)) {
			return true;
		}
	}
	return false;
}

/*
 * No record. With --parked none is needed. Otherwise a WARNING, worded
 * by what is in use: MTA-STS, DANE (a TLSA record at _25._tcp of an MX
 * host, asked with the destinations' batch) or neither. WARNING and not
 * CRITICAL either way: no mail is lost without reports, and a missing
 * record must not weigh more where no TLS policy is in use than where
 * one is.
 */
static void no_record(struct tlsrpt_run *r)
{
	struct dns_question q[LIMIT_TLSA_MX_HOSTS];
	const struct dns_answer *a[LIMIT_TLSA_MX_HOSTS];
	char host[DNAME_TEXT_MAX], dane[DNAME_TEXT_MAX] = "";
	size_t nq = 0;
	bool sts;

	if (r->co->parked) {
		check_add(r->c, STATE_OK,
			  "no TLS-RPT record at _smtp._tls.%s: none needed, the domain "
			  "receives no mail (--parked)",
			  r->dom);
		return;
	}
	sts = mta_sts_in_use(r);
	if (!sts && !res_status_is_answer(r->mx->status)) {
		plugin_dns_error(r->c, r->co, r->mx, "MX (for DANE)");
	}
	for (size_t i = 0; !sts && r->mx->status == RES_OK && i < r->mx->nrr; i++) {
		struct dname t;
		const struct dname *h = &r->mx->rr[i].u.mx.host;

		if (h->len > 1 && nq < LIMIT_TLSA_MX_HOSTS && dname_prepend(&t, h, "_tcp", 4) &&
		    dname_prepend(&t, &t, "_25", 3)) {
			q[nq++] = (struct dns_question){t, DNS_T_TLSA};
		}
	}
	tlsrpt_check_destinations(r, q, nq, a);
	for (size_t i = 0; i < nq && dane[0] == '\0'; i++) {
		if (a[i]->status == RES_OK && a[i]->nrr > 0) {
			tlsrpt_name_text(&a[i]->qname, dane);
		} else if (!res_status_is_answer(a[i]->status)) {
			plugin_dns_error(r->c, r->co, a[i], "TLSA record (DANE)");
		}
	}
	r->fix_needed = true;
	if (sts || dane[0] != '\0') {
		check_add(r->c, STATE_WARNING,
			  "no TLS-RPT record at _smtp._tls.%s while %s%s is in use: TLS "
			  "failures would go unreported (RFC 8460)",
			  r->dom, sts ? "MTA-STS" : "DANE, TLSA at ", sts ? "" : dane);
		check_summary(r->c, STATE_WARNING,
			      "no TLS-RPT record while %s is in use: TLS failures would go "
			      "unreported",
			      sts ? "MTA-STS" : "DANE");
		return;
	}
	for (size_t i = 0; r->mx->status == RES_OK && i < r->mx->nrr && i < 1; i++) {
		tlsrpt_name_text(&r->mx->rr[i].u.mx.host, host);
		check_verbose(r->c, 1, "no MTA-STS record, no TLSA record at _25._tcp of %s%s",
			      host, r->mx->nrr > 1 ? " or the other MX hosts" : "");
	}
	check_add(r->c, STATE_WARNING,
		  "no TLS-RPT record at _smtp._tls.%s: sending servers cannot report "
		  "TLS failures to the domain (RFC 8460)",
		  r->dom);
}

/* The record's findings as output: the parser's default states (see
 * common/tlsrpt.h), prefixed when there is more than one record. */
static void report_findings(struct tlsrpt_run *r)
{
	const struct finding_list *l = &r->rec->findings;

	plugin_findings(r->c, r->co, l, r->nrecords > 1 ? "first record: " : NULL);
	for (size_t i = 0; i < l->n; i++) {
		/* an extension field alone is no reason to rewrite the record */
		if (l->v[i].code != TLSRPT_EXTENSION && l->v[i].state != STATE_OK) {
			r->fix_needed = true;
		}
	}
	if (l->dropped > 0 || r->nrecords > 1) {
		r->fix_needed = true;
	}
}

/* The record found (the first, when there are several: the fix keeps
 * its working URIs): findings, destinations, summary. */
static void check_record(struct tlsrpt_run *r, const struct dns_rr *first)
{
	char shown[200];
	const char *txt = (const char *)first->u.txt.data;
	size_t len = first->u.txt.len;

	r->rec = tlsrpt_record_parse(txt, len);
	if (r->rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	out_bytes(shown, sizeof(shown), txt, len);
	if (r->rec->valid && r->nrecords == 1) {
		check_add(r->c, STATE_OK, "TLS-RPT record at _smtp._tls.%s: %s", r->dom, shown);
	} else {
		/* no [OK] for a record senders cannot use */
		check_verbose(r->c, 0, "the %srecord at _smtp._tls.%s: %s",
			      r->nrecords > 1 ? "first " : "", r->dom, shown);
	}
	report_findings(r);
	tlsrpt_check_destinations(r, NULL, 0, NULL);
	if (r->rec->valid && r->nrecords == 1) {
		check_summary(r->c, STATE_OK,
			      "TLS-RPT record with %zu report URI%s, %zu deliverable",
			      r->rec->count, r->rec->count == 1 ? "" : "s", r->ndeliverable);
	}
}

/*
 * --all-ns: a server whose _smtp._tls answer holds not exactly one
 * usable TLS-RPT record fails the check for the senders that ask it
 * (RFC 8460 3); other differences are warnings.
 */
static enum state stale_record(void *ctx, const struct dns_answer *ref,
			       const struct dns_answer *got)
{
	const struct dns_rr *hit = NULL;
	struct finding_list fl = {0};
	size_t lab = 0, n;
	const uint8_t *first = dname_label(&ref->qname, 0, &lab);
	struct tlsrpt_record *rec;
	enum state st;

	(void)ctx;
	if (got->qtype != DNS_T_TXT || first == NULL || lab != 5 ||
	    strncasecmp((const char *)first, "_smtp", 5) != 0) {
		return STATE_WARNING;
	}
	n = tlsrpt_record_select(ref->rr, ref->nrr, &fl, &hit);
	finding_list_clear(&fl);
	if (n == 0) {
		return STATE_WARNING; /* no record there either */
	}
	n = tlsrpt_record_select(got->rr, got->nrr, &fl, &hit);
	finding_list_clear(&fl);
	if (n != 1) {
		return STATE_CRITICAL;
	}
	rec = tlsrpt_record_parse((const char *)hit->u.txt.data, hit->u.txt.len);
	st = rec == NULL || !rec->valid ? STATE_CRITICAL : STATE_WARNING;
	tlsrpt_record_free(rec);
	return st;
}

static const char blurb[] = "Checks the SMTP TLS Reporting (TLS-RPT, RFC 8460) record of a mail "
			    "domain: exactly one v=TLSRPTv1 record at _smtp._tls.DOMAIN, its "
			    "rua= URIs valid, each mailto: domain accepting mail and each "
			    "https: host resolving. Nothing is sent to them.";
static const char notes[] =
	"-w and -c do not apply.\n"
	"States: two or more v=TLSRPTv1 records, a malformed record, no rua=\n"
	"or no usable URI in it: CRITICAL (senders send no reports). A mailto:\n"
	"domain with a null MX (RFC 7505), or with neither MX nor address (A\n"
	"or AAAA, the implicit MX), or that does not exist; an https: host\n"
	"without address: CRITICAL for that URI (its reports would be lost).\n"
	"One unusable URI beside a usable one (http:, a mailto: without a\n"
	"domain, '!' or ',' not encoded), spacing outside RFC 8460 3's\n"
	"grammar, a second rua=: WARNING.\n"
	"No record: WARNING, \"TLS failures would go unreported\" when MTA-STS\n"
	"(a v=STSv1 record at _mta-sts.DOMAIN) or DANE (a TLSA record at\n"
	"_25._tcp of an MX host, at most 16 asked) is in use; OK with --parked.\n"
	"A missing record is never CRITICAL: no mail is lost without reports.\n"
	"fix: the record to publish, keeping the URIs that work, else\n"
	"rua=mailto:tlsrpt@DOMAIN.\n"
	"Limits: the first 32 rua= URIs are examined, all are counted.\n"
	"Perfdata: uris (in rua=), deliverable (usable and able to take\n"
	"reports).\n"
	"Example: check_tlsrpt -D example.com\n";

int main(int argc, char **argv)
{
	const struct plugin_info pi = {
		.progname = "check_tlsrpt",
		.service = "TLSRPT",
		.blurb = blurb,
		.usage = "",
		.options_help = NULL,
		.notes = notes,
		.short_opts = "",
		.long_opts = NULL,
		.handle = NULL,
		.ctx = NULL,
		.no_thresholds = true,
	};
	struct common_opts co;
	struct tlsrpt_run r = {0};
	struct finding_list sel = {0};
	const struct dns_rr *chosen = NULL;

	plugin_start(argc, argv, &pi, &co);
	r.co = &co;
	r.res = plugin_resolver(&co);
	r.c = check_new("TLSRPT");
	check_set_verbosity(r.c, co.verbose);
	tlsrpt_name_text(&co.domain, r.dom);
	check_subject(r.c, "%s", co.domain_shown);
	if (!dname_prepend(&r.owner, &co.domain, "_tls", 4) ||
	    !dname_prepend(&r.owner, &r.owner, "_smtp", 5)) {
		plugin_die(&pi, "domain too long to have a _smtp._tls record");
	}
	tlsrpt_name_text(&r.owner, r.owner_text);

	lookup(&r);
	if (!res_status_is_answer(r.txt->status)) {
		plugin_dns_error(r.c, &co, r.txt, "TLS-RPT record");
		plugin_exit(r.c, r.res);
	}
	r.nrecords = tlsrpt_record_select(r.txt->rr, r.txt->nrr, &sel, &chosen);
	plugin_findings(r.c, &co, &sel, NULL);
	finding_list_clear(&sel);
	/* nrecords counts what tlsrpt_is_record() accepts, so one is found
	 * below; should the two ever disagree, it is no record */
	if (r.nrecords == 0) {
		no_record(&r);
	} else {
		for (size_t i = 0; chosen == NULL && i < r.txt->nrr; i++) {
			if (r.txt->rr[i].type == DNS_T_TXT &&
			    tlsrpt_is_record((const char *)r.txt->rr[i].u.txt.data,
					     r.txt->rr[i].u.txt.len)) {
				chosen = &r.txt->rr[i];
			}
		}
		if (chosen != NULL) {
			check_record(&r, chosen);
		} else {
			no_record(&r);
		}
	}
	tlsrpt_fix(&r);
	check_perf(r.c, "uris", r.rec != NULL ? (double)r.rec->count : 0, "", NULL, NULL, 0, NAN);
	check_perf(r.c, "deliverable", (double)r.ndeliverable, "", NULL, NULL, 0, NAN);
	tlsrpt_record_free(r.rec);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, stale_record, NULL);
	}
	plugin_exit(r.c, r.res);
}
