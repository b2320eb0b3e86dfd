/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_bimi: a domain's BIMI (draft-brand-indicators-for-message-
 * identification) as receivers see it: the assertion record at
 * SELECTOR._bimi.DOMAIN (else the organisational domain's), the DMARC
 * policy receivers require before they show a logo, the SVG indicator of
 * l= against SVG Tiny PS and the VMC of a=, both fetched over HTTPS.
 *
 * The jobs it is made of, linked into check_bimi only (mk/bimi.am):
 * plugins/bimi_record.c (the record), bimi_dmarc.c (the DMARC
 * requirement, through check_dmarc's plugins/dmarc_discovery.c and
 * dmarc_standards.c), bimi_fetch.c (one HTTPS fetch) and bimi_files.c
 * (the SVG and the VMC); plugins/bimi_run.h holds the options and the
 * run.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bimi.h"
#include "bimi_dmarc.h"
#include "bimi_files.h"
#include "bimi_record.h"
#include "bimi_run.h"
#include "https_fetch.h"
#include "numparse.h"
#include "orgdomain.h"
#include "plugin.h"
#include "propagation.h"

enum {
	OPT_CA_FILE = OPT_PLUGIN_BASE,
	OPT_VMC_CA_FILE,
	OPT_CERT_WARNING,
	OPT_CERT_CRITICAL,
	OPT_REQUIRE_VMC,
	OPT_PSL_FILE,
};

static const struct option long_opts[] = {
	{"selector", required_argument, NULL, 'S'},
	{"ca-file", required_argument, NULL, OPT_CA_FILE},
	{"vmc-ca-file", required_argument, NULL, OPT_VMC_CA_FILE},
	{"cert-warning", required_argument, NULL, OPT_CERT_WARNING},
	{"cert-critical", required_argument, NULL, OPT_CERT_CRITICAL},
	{"require-vmc", no_argument, NULL, OPT_REQUIRE_VMC},
	{"psl-file", required_argument, NULL, OPT_PSL_FILE},
	{NULL, 0, NULL, 0},
};

static const char *handle(void *ctx, int opt, const char *arg)
{
	struct bimi_opts *o = ctx;
	const char *why = NULL;
	long v;

	switch (opt) {
	case 'S':
		/* one host-name label, checked before any query (as DKIM's
		 * selectors, K-13) */
		if (!dname_from_text(&o->seldn, arg, strlen(arg), DNAME_HOSTNAME, &why) ||
		    dname_labels(&o->seldn) != 1) {
			snprintf(o->why, sizeof(o->why), "invalid selector: %s",
				 why != NULL ? why : "one label expected");
			return o->why;
		}
		o->selector = arg;
		return NULL;
	case OPT_CA_FILE:
	case OPT_VMC_CA_FILE:
		if (access(arg, R_OK) != 0) {
			return "cannot read CA file";
		}
		*(opt == OPT_CA_FILE ? &o->ca_file : &o->vmc_ca_file) = arg;
		return NULL;
	case OPT_CERT_WARNING:
	case OPT_CERT_CRITICAL:
		if (!parse_long(arg, 0, 36500, &v, &why)) {
			return why;
		}
		*(opt == OPT_CERT_WARNING ? &o->cert_warn : &o->cert_crit) = v;
		return NULL;
	case OPT_REQUIRE_VMC:
		o->require_vmc = true;
		return NULL;
	case OPT_PSL_FILE:
		o->psl_file = arg;
		return NULL;
	}
	return "unknown option";
}

/* The selector "default" unless -S gave one. -w/-c are refused by
 * plugin_start() (no_thresholds). */
static void validate(struct bimi_opts *o)
{
	if (o->selector == NULL) {
		o->selector = "default";
		(void)dname_from_text(&o->seldn, "default", 7, DNAME_HOSTNAME, NULL);
	}
}

/* The organisational domain (draft 7.2 step 6 and the DMARC
 * requirement), from the public suffix list (an UNKNOWN line when the
 * list is missing or corrupt: libpsl's built-in one is used). */
static void organisational_domain(struct bimi_run *r)
{
	r->od = orgdomain_new(r->o->psl_file);
	if (r->od == NULL) {
		plugin_die(NULL, "out of memory");
	}
	if (orgdomain_problem(r->od) != NULL) {
		check_add(r->c, STATE_UNKNOWN, "%s", orgdomain_problem(r->od));
	}
	check_verbose(r->c, 1, "public suffix list: %s", orgdomain_source(r->od));
	orgdomain_find(r->od, &r->co->domain, &r->org);
}

static void https_cleanup(void)
{
	https_global_cleanup();
}

static const char blurb[] =
	"Checks a mail domain's BIMI (Brand Indicators for Message Identification): "
	"the assertion record at SELECTOR._bimi.DOMAIN (else the organisational "
	"domain's), the DMARC policy receivers require (quarantine or reject for all "
	"mail), the SVG indicator of l= against SVG Tiny PS and the Verified Mark "
	"Certificate of a=, both fetched over HTTPS.";
static const char usage[] = "[-S SELECTOR] [--ca-file FILE] [--vmc-ca-file FILE] "
			    "[--cert-warning DAYS] [--cert-critical DAYS] [--require-vmc] "
			    "[--psl-file FILE]";
static const char options_help[] =
	" -S, --selector=SELECTOR\n"
	"    BIMI selector (default: default): the record at SELECTOR._bimi.DOMAIN\n"
	" --ca-file=FILE\n"
	"    PEM file of trust anchors for the HTTPS servers of l= and a=\n"
	"    instead of the system store\n"
	" --vmc-ca-file=FILE\n"
	"    PEM file of the mark verifying authorities' roots: the VMC must\n"
	"    verify against them (else CRITICAL). Without it the VMC is\n"
	"    verified against the system store, where those roots usually are\n"
	"    not; that is shown with -v only\n"
	" --cert-warning=DAYS / --cert-critical=DAYS\n"
	"    Days before the certificate expires that warn (default 30) or are\n"
	"    critical (default 7)\n"
	" --require-vmc\n"
	"    A record without a= (no VMC; Gmail and Apple Mail then show no\n"
	"    logo) is CRITICAL (default: OK)\n"
	" --psl-file=FILE\n"
	"    Public suffix list (default: the distribution's, else\n"
	"    libpsl's built-in one)\n";
static const char notes[] =
	"-w and -c do not apply. No record at SELECTOR._bimi.DOMAIN: the\n"
	"organisational domain's SELECTOR._bimi is used (asked in the same\n"
	"round trip) and named. The DMARC record is found as check_dmarc\n"
	"finds it (RFC 9989's DNS tree walk); the policy it gives the domain\n"
	"must be quarantine or reject with no pct= below 100, and the\n"
	"organisational domain's record must not say p=none or sp=none.\n"
	"Limits: the SVG at most 32768 bytes and the VMC PEM at most 65536\n"
	"bytes (more: CRITICAL naming the size), 4096 SVG elements, 64\n"
	"levels; HTTPS redirects are not followed (CRITICAL), only https:\n"
	"URLs are fetched, from the addresses our resolver gives, internal\n"
	"ones only with --allow-internal; everything ends by -t.\n"
	"--parked: no record is OK, a record a WARNING (nothing is fetched).\n"
	"Example: check_bimi -D example.com --vmc-ca-file /etc/ssl/vmc-roots.pem\n";

int main(int argc, char **argv)
{
	struct bimi_opts o = {.cert_warn = 30, .cert_crit = 7};
	const struct plugin_info pi = {
		.progname = "check_bimi",
		.service = "BIMI",
		.blurb = blurb,
		.usage = usage,
		.options_help = options_help,
		.notes = notes,
		.short_opts = "S:",
		.long_opts = long_opts,
		.handle = handle,
		.ctx = &o,
		.no_thresholds = true,
	};
	struct common_opts co;
	struct bimi_run r = {0};
	char err[256];
	bool found;

	plugin_start(argc, argv, &pi, &co);
	validate(&o);
	r.co = &co;
	r.o = &o;
	r.res = plugin_resolver(&co);
	r.c = check_new("BIMI");
	check_set_verbosity(r.c, co.verbose);
	bimi_name_text(&co.domain, r.dom);
	check_subject(r.c, "%s", co.domain_shown);
	if (!https_global_init(err, sizeof(err))) {
		plugin_die(&pi, "%s", err);
	}
	atexit(https_cleanup);
	organisational_domain(&r);

	plugin_stage("BIMI record");
	found = bimi_find_record(&r);
	if (co.parked && r.rec != NULL) {
		/* the record is wasted: mail from a parked domain is never
		 * authentic, so no receiver shows its logo */
		check_add(r.c, STATE_WARNING,
			  "parked domain publishes a BIMI record at %s: it sends no mail, so no "
			  "receiver shows the logo",
			  r.rec_owner);
	} else if (found) {
		bimi_check_dmarc(&r);
		bimi_check_svg(&r);
		bimi_check_vmc(&r);
		check_summary(r.c, STATE_OK, "BIMI record at %s%s%s", r.rec_owner,
			      r.summary[0] != '\0' ? ": " : "", r.summary);
	} else if (r.rec != NULL && r.rec->declined) {
		check_summary(r.c, STATE_OK, "BIMI declined at %s (l= and a= empty)", r.rec_owner);
	}
	if (co.parked && r.rec == NULL) {
		check_summary(r.c, STATE_OK, "no BIMI record, as a parked domain should have");
	}
	bimi_record_free(r.rec);
	orgdomain_free(r.od);
	if (co.all_ns) {
		plugin_stage("authoritative servers");
		propagation_check(r.c, &co, r.res, NULL, NULL);
	}
	plugin_exit(r.c, r.res);
}
