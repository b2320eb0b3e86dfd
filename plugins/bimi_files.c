/* SPDX-License-Identifier: GPL-3.0-or-later */
/* check_bimi's SVG indicator and VMC (plugins/bimi_files.h). */
#include "bimi_files.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bimi_cert.h"
#include "bimi_fetch.h"
#include "plugin.h"
#include "range.h"
#include "svg_tinyps.h"

/* plugins/bimi_files.h */
void bimi_check_svg(struct bimi_run *r)
{
	const struct bimi_url *l = &r->rec->l;
	struct https_result h;
	struct svg_result *s;

	if (!l->valid) {
		return; /* l= empty: the parser's finding said so */
	}
	plugin_stage("SVG indicator");
	if (!bimi_fetch(r, l, "SVG indicator", LIMIT_SVG_BYTES, &h)) {
		if (h.error == HTTPS_E_TOO_BIG && h.body_received > 0) {
			check_perf(r->c, "svg_bytes", (double)h.body_received, "B", NULL, NULL, 0,
				   NAN);
		}
		https_result_clear(&h);
		return;
	}
	s = svg_tinyps_check(h.body, h.body_len);
	if (s == NULL) {
		plugin_die(NULL, "out of memory");
	}
	/* doc/hostile-inputs.md R-08: what SVG Tiny PS forbids, named */
	plugin_findings(r->c, r->co, &s->findings, "SVG indicator: ");
	if (s->valid) {
		check_add(r->c, STATE_OK, "SVG indicator %s: SVG Tiny PS, %zu bytes, title '%s'",
			  l->text, s->size, s->title);
		snprintf(r->summary, sizeof(r->summary), "logo '%s'", s->title);
	}
	check_perf(r->c, "svg_bytes", (double)h.body_len, "B", NULL, NULL, 0,
		   (double)LIMIT_SVG_BYTES);
	svg_result_free(s);
	https_result_clear(&h);
}

/* The days left against --cert-warning/--cert-critical, as check_mx
 * does for the SMTP certificate; perfdata cert_days. */
static void cert_days(struct bimi_run *r, const struct bimi_cert *c)
{
	struct range w, cr;
	char wt[32], ct[32];

	if (!c->has_dates) {
		return;
	}
	if (!c->expired && !c->not_yet_valid) {
		enum state st = c->days_left < r->o->cert_crit   ? STATE_CRITICAL
				: c->days_left < r->o->cert_warn ? STATE_WARNING
								 : STATE_OK;

		if (st != STATE_OK) {
			check_add(r->c, st, "VMC expires in %ld days", c->days_left);
		} else {
			check_verbose(r->c, 1, "VMC expires in %ld days", c->days_left);
		}
	}
	snprintf(wt, sizeof(wt), "%ld:", r->o->cert_warn);
	snprintf(ct, sizeof(ct), "%ld:", r->o->cert_crit);
	range_parse(wt, &w, NULL);
	range_parse(ct, &cr, NULL);
	check_perf_ranges(r->c, "cert_days", (double)c->days_left, "", &w, &cr, NAN, NAN);
}

/* The VMC's verification: against --vmc-ca-file it must verify; without
 * it, an issuer not in the system store is the normal case today (the
 * mark verifying authorities' roots are in no distribution's store): an
 * [OK] -v note, not a failure. */
static void cert_findings(struct bimi_run *r, struct bimi_cert *c)
{
	for (size_t i = 0; i < c->findings.n; i++) {
		struct finding *f = &c->findings.v[i];

		if (f->code == BIMI_C_UNTRUSTED && r->o->vmc_ca_file == NULL) {
			f->state = STATE_OK;
			f->verbose = 1;
		} else if (f->code == BIMI_C_UNTRUSTED) {
			f->state = STATE_CRITICAL;
		}
	}
	plugin_findings(r->c, r->co, &c->findings, "VMC: ");
}

/* plugins/bimi_files.h */
void bimi_check_vmc(struct bimi_run *r)
{
	const struct bimi_url *a = &r->rec->a;
	struct https_result h;
	struct bimi_cert *c;

	if (!a->valid) {
		/* no a= or an empty one: the parser's -v note, or --require-vmc */
		if (r->o->require_vmc && (!a->present || a->empty)) {
			check_add(
				r->c, STATE_CRITICAL,
				"no VMC (a=): --require-vmc, and Gmail and Apple Mail show no logo "
				"without one");
		}
		return;
	}
	plugin_stage("VMC");
	if (!bimi_fetch(r, a, "VMC", LIMIT_BIMI_PEM_BYTES, &h)) {
		https_result_clear(&h);
		return;
	}
	c = bimi_cert_parse(h.body, h.body_len, &r->rec_domain, r->o->selector, 0);
	if (c == NULL) {
		plugin_die(NULL, "out of memory");
	}
	bimi_cert_verify(c, r->o->vmc_ca_file, r->o->vmc_ca_file == NULL);
	cert_findings(r, c);
	check_verbose(r->c, 1, "VMC subject %s, issuer %s, names %s", c->subject, c->issuer,
		      c->names);
	cert_days(r, c);
	if (c->nchain > 0 && finding_list_worst(&c->findings) == STATE_OK && c->has_logotype &&
	    c->name_ok && !c->expired) {
		size_t n = strlen(r->summary);

		check_add(r->c, STATE_OK, "VMC %s: for %s, %s, expires in %ld days", a->text,
			  c->names, c->verify == BIMI_VERIFY_OK ? "verified" : "not verified",
			  c->days_left);

		snprintf(r->summary + n, sizeof(r->summary) - n, "%sVMC valid for %ld days",
			 n > 0 ? ", " : "", c->days_left);
	}
	bimi_cert_free(c);
	https_result_clear(&h);
}
