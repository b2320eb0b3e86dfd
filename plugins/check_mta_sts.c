/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mta_sts: the MTA-STS policy of a mail domain (RFC 8461): the
 * _mta-sts TXT record, the policy fetched over HTTPS from
 * mta-sts.DOMAIN with the addresses our own resolver gave, every MX host
 * against its mx: patterns and, with --starttls, the certificates the MX
 * hosts present.
 *
 * The jobs it is made of, linked into check_mta_sts only:
 * plugins/mta_sts_fetch.c (the policy fetch and its fields),
 * mta_sts_mx.c (MX hosts against the patterns, --starttls through
 * check_mx's SMTP part, plugins/smtp_check.h) and mta_sts_fix.c (the
 * fix: lines); plugins/mta_sts_run.h holds the options and the run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "https_fetch.h"
#include "mta_sts_fetch.h"
#include "mta_sts_fix.h"
#include "mta_sts_mx.h"
#include "mta_sts_run.h"
#include "propagation.h"

enum {
	OPT_OPTIONAL = OPT_PLUGIN_BASE,
};

static const struct option long_opts[] = {
	{"optional", no_argument, NULL, OPT_OPTIONAL},
	{"starttls", no_argument, NULL, OPT_STARTTLS},
	{"ca-file", required_argument, NULL, OPT_CA_FILE},
	{"smtp-port", required_argument, NULL, OPT_SMTP_PORT},
	{NULL, 0, NULL, 0},
};

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct sts_opts *o = ctx;

	if (opt == OPT_OPTIONAL) {
		o->optional = true;
		return NULL;
	}
	/* --starttls, --ca-file and --smtp-port mean what they mean to
	 * check_mx; --ca-file also anchors the policy fetch. */
	return smtp_handle_opt(&o->smtp, opt, arg);
}

/*
 * The _mta-sts record (RFC 8461 3.1): exactly one v=STSv1 TXT record
 * with a valid id, else senders apply no policy. None at all is CRITICAL
 * (the plugin is run for domains meant to have one) or, with
 * --optional, OK.
 */
static void check_record(struct sts_run *r)
{
	struct finding_list fl = {0};
	const struct dns_rr *chosen = NULL;
	struct mta_sts_record *rec;
	size_t n;

	if (!res_status_is_answer(r->txt->status)) {
		plugin_dns_error(r->c, r->co, r->txt, "MTA-STS record");
		return;
	}
	n = mta_sts_record_select(r->txt->rr, r->txt->nrr, &fl, &chosen);
	plugin_findings(r->c, r->co, &fl, "_mta-sts record: ");
	finding_list_clear(&fl);
	r->have_record = n > 0;
	if (n == 0) {
		if (r->o->optional) {
			check_add(r->c, STATE_OK,
				  "no MTA-STS policy published (no v=STSv1 record at "
				  "_mta-sts.%s)",
				  r->dom);
			check_summary(r->c, STATE_OK, "no MTA-STS policy published");
		} else {
			check_add(
				r->c, STATE_CRITICAL,
				"no MTA-STS record (v=STSv1 TXT at _mta-sts.%s): senders apply no "
				"policy",
				r->dom);
		}
		return;
	}
	if (chosen == NULL) {
		return; /* several: MTA_STS_REC_MULTIPLE said so */
	}
	rec = mta_sts_record_parse((const char *)chosen->u.txt.data, chosen->u.txt.len);
	if (rec == NULL) {
		plugin_die(NULL, "out of memory");
	}
	plugin_findings(r->c, r->co, &rec->findings, "_mta-sts record: ");
	if (rec->valid) {
		r->record_ok = true;
		snprintf(r->id, sizeof(r->id), "%s", rec->id);
		check_add(r->c, STATE_OK, "record at _mta-sts.%s: v=STSv1, id=%s", r->dom, rec->id);
	}
	mta_sts_record_free(rec);
}

/* One round trip for what the run needs from DNS: the record, the MX
 * RRset and the policy host's addresses (of the -4/-6 family only). */
static void ask_dns(struct sts_run *r)
{
	struct dns_question q[4];
	const struct dns_answer *a[4];
	size_t n = 0, ia = 0, i6 = 0;

	if (!dname_prepend(&q[n].name, &r->co->domain, "_mta-sts", 8) ||
	    !dname_prepend(&r->policy_host, &r->co->domain, "mta-sts", 7)) {
		plugin_die(NULL, "_mta-sts.%s is longer than a domain name may be", r->dom);
	}
	q[n++].type = DNS_T_TXT;
	q[n].name = r->co->domain;
	q[n++].type = DNS_T_MX;
	if (r->co->rcfg.family != 6) {
		ia = n;
		q[n].name = r->policy_host;
		q[n++].type = DNS_T_A;
	}
	if (r->co->rcfg.family != 4) {
		i6 = n;
		q[n].name = r->policy_host;
		q[n++].type = DNS_T_AAAA;
	}
	plugin_stage("DNS lookup");
	resolver_query_batch(r->res, q, n, a);
	r->txt = a[0];
	r->mx = a[1];
	r->addr[0] = ia != 0 ? a[ia] : NULL;
	r->addr[1] = i6 != 0 ? a[i6] : NULL;
}

static const char blurb[] =
	"Checks the MTA-STS policy of a mail domain (RFC 8461): exactly one valid "
	"_mta-sts TXT record, the policy fetched over HTTPS from mta-sts.DOMAIN "
	"(certificate verified for that name, no redirects, text/plain, at most "
	"64 KiB, within -t), every field of it, and every MX host against its mx: "
	"patterns; with --starttls also the certificate each MX host presents.";
static const char usage[] = "[--optional] [--starttls] [--ca-file FILE] [--smtp-port PORT]";
static const char options_help[] =
	" --optional\n"
	"    A domain without an _mta-sts record is OK (\"no MTA-STS policy\n"
	"    published\"); default: CRITICAL, since the plugin is meant for\n"
	"    domains that publish one\n"
	" --starttls\n"
	"    Also connect to port 25 of the first 5 MX hosts, STARTTLS, and verify\n"
	"    the certificate for the MX name (subjectAltName only, as check_mx\n"
	"    --starttls): a failure is CRITICAL in enforce mode (senders refuse\n"
	"    to deliver), WARNING otherwise; STARTTLS not offered is CRITICAL in\n"
	"    enforce mode. Needs outbound port 25\n"
	" --ca-file=FILE\n"
	"    PEM file of trust anchors instead of the system store, for the\n"
	"    policy host's certificate and the MX hosts'\n"
	" --smtp-port=PORT\n"
	"    Port to connect to instead of 25 (for tests)\n";
static const char notes[] =
	"-w and -c do not apply. States: no record, two records, an invalid id,\n"
	"a policy that cannot be fetched (TLS, redirect, HTTP status, media type,\n"
	"over 64 KiB, too slow), an invalid policy, or an MX host no mx: pattern\n"
	"matches in enforce mode: CRITICAL; an uncovered MX host in testing mode,\n"
	"mode none (a policy being withdrawn), max_age under a day: WARNING.\n"
	"Without MX records the domain itself is the MX host matched.\n"
	"fix: lines give the record with a fresh id (a UTC timestamp) and the\n"
	"policy body the MX hosts match, its lines as zone-file comments \"; > \".\n"
	"Certificate expiry warnings with --starttls: 30 and 7 days.\n"
	"-4/-6 also restrict the addresses the policy is fetched from and the\n"
	"MX addresses probed. --parked: no record is OK, as with --optional.\n"
	"Queries: the record, the MX RRset and the policy host's A and AAAA in\n"
	"one round trip; --starttls adds the MX hosts' addresses.\n"
	"Example: check_mta_sts -D example.com --starttls\n";

int main(int argc, char **argv)
{
	struct sts_opts o = {.smtp = SMTP_OPTS_DEFAULT};
	const struct plugin_info pi = {
		.progname = "check_mta_sts",
		.service = "MTA-STS",
		.blurb = blurb,
		.usage = usage,
		.options_help = options_help,
		.notes = notes,
		.short_opts = "",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
		.no_thresholds = true,
	};
	struct common_opts co;
	struct sts_run *r;
	char err[256];

	plugin_start(argc, argv, &pi, &co);
	/* A parked domain receives no mail: it needs no policy. */
	o.optional |= co.parked;
	if (!https_global_init(err, sizeof(err))) {
		plugin_die(&pi, "%s", err);
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL) {
		plugin_die(&pi, "out of memory");
	}
	r->co = &co;
	r->o = &o;
	r->res = plugin_resolver(&co);
	r->c = check_new("MTA-STS");
	check_set_verbosity(r->c, co.verbose);
	check_subject(r->c, "%s", co.domain_shown);
	sts_name_text(&co.domain, r->dom);
	snprintf(r->url, sizeof(r->url), "https://mta-sts.%s/.well-known/mta-sts.txt", r->dom);

	ask_dns(r);
	check_record(r);
	sts_collect_mx(r);
	if (r->have_record) {
		sts_fetch_policy(r);
		sts_check_mx(r);
		sts_probe_mx(r);
	}
	sts_fix(r);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r->c, &co, r->res, NULL, NULL);
	}
	if (!r->mx_failed) {
		check_perf(r->c, "mx_hosts", (double)r->nhosts, "", NULL, NULL, 0, NAN);
	}
	mta_sts_policy_free(r->pol);
	{
		struct check *c = r->c;
		struct resolver *res = r->res;

		free(r);
		https_global_cleanup();
		plugin_exit(c, res);
	}
}
