/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --smtp / --starttls / --dane: what the probe found, turned
 * into findings (doc/output-contract.md 8; doc/hostile-inputs.md T-02 to
 * T-14). Every server text goes through out_bytes() (escaped, cut).
 */
#include "smtp_check.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addrclass.h"
#include "numparse.h"
#include "smtp_dane.h"
#include "smtp_text.h"
#include "smtp_tls.h"

const char *smtp_handle_opt(struct smtp_opts *so, int opt, const char *arg)
{
	const char *why = NULL;
	long v;

	switch (opt) {
	case OPT_SMTP:
	case OPT_STARTTLS:
	case OPT_REQUIRE_STARTTLS:
	case OPT_DANE:
		/* Each implies the ones before it: DANE needs the TLS session,
		 * TLS the SMTP conversation. */
		so->smtp = true;
		so->starttls |= opt != OPT_SMTP;
		so->require_starttls |= opt == OPT_REQUIRE_STARTTLS;
		so->dane |= opt == OPT_DANE;
		return NULL;
	case OPT_CA_FILE:
		if (access(arg, R_OK) != 0) {
			return "cannot read CA file";
		}
		so->ca_file = arg;
		return NULL;
	case OPT_CERT_WARNING:
	case OPT_CERT_CRITICAL:
		if (!parse_long(arg, 0, 36500, &v, &why)) {
			return why;
		}
		*(opt == OPT_CERT_WARNING ? &so->cert_warn : &so->cert_crit) = v;
		return NULL;
	case OPT_SMTP_PORT:
		if (!parse_long(arg, 1, 65535, &v, &why)) {
			return why;
		}
		so->port = (uint16_t)v;
		return NULL;
	}
	return "unknown option";
}

/* EHLO argument: this host's name (into name, 256 bytes) when it is a
 * plain host name (RFC 5321 4.1.1.1), else "localhost". */
static const char *helo_name(char name[256])
{
	size_t n;

	if (gethostname(name, 255) != 0) {
		return "localhost";
	}
	name[255] = '\0';
	n = strlen(name);
	if (n == 0 || name[0] == '.' || name[0] == '-') {
		return "localhost";
	}
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-' || ch == '.')) {
			return "localhost";
		}
	}
	return name;
}

/* The plain SMTP part of one address (T-02 to T-07). */
static void report_smtp(struct check *c, const struct smtp_opts *so, const struct smtp_target *t,
			const struct smtp_result *r, enum state fail)
{
	char w[SMTP_WHO], txt[SMTP_SHOWN + 16], ehlo[SMTP_SHOWN + 16];
	double waited = r->connect_time >= 0 ? r->elapsed - r->connect_time : r->elapsed;

	smtp_who(t, so->port, w, sizeof(w));
	if (r->reachable) {
		smtp_reply_text(&r->greeting, txt, sizeof(txt));
		if (r->helo_fallback) {
			smtp_reply_text(&r->last, ehlo, sizeof(ehlo));
		}
		check_add(c, STATE_OK, "SMTP %s: connect %.3fs, greeting %.3fs: %s%s%s%s", w,
			  r->connect_time, r->greeting_time, txt,
			  r->helo_fallback ? " (EHLO rejected: " : "", r->helo_fallback ? ehlo : "",
			  r->helo_fallback ? "; HELO accepted)" : "");
		return;
	}
	switch (r->outcome) {
	case SMTP_CONNECT_FAILED:
		check_add(c, fail, "%s %s", w, r->detail);
		return;
	case SMTP_TIMEOUT:
		if (r->phase == SMTP_PH_CONNECT) {
			check_add(c, fail, "%s: no connection within %.1fs", w, r->elapsed);
		} else if (r->phase == SMTP_PH_GREETING) {
			check_add(c, fail, "no SMTP greeting from %s within %.1fs", w, waited);
		} else {
			check_add(c, fail, "%s: no reply to %s within %.1fs", w,
				  smtp_phase_str(r->phase), waited);
		}
		return;
	case SMTP_CLOSED:
	case SMTP_IO_ERROR:
		check_add(c, fail, "%s: %s during the %s", w, r->detail, smtp_phase_str(r->phase));
		return;
	case SMTP_PROTOCOL:
		if (r->phase == SMTP_PH_GREETING) {
			check_add(c, fail, "%s in the greeting of %s", r->detail, w);
		} else {
			check_add(c, fail, "%s in the reply to %s from %s", r->detail,
				  smtp_phase_str(r->phase), w);
		}
		return;
	case SMTP_GREETING_REJECTED:
		check_add(c, fail, "%s refused: %s", w,
			  smtp_reply_text(&r->greeting, txt, sizeof(txt)));
		return;
	case SMTP_EHLO_REJECTED:
		check_add(c, fail, "%s rejected %s: %s", w, smtp_phase_str(r->phase),
			  smtp_reply_text(&r->last, txt, sizeof(txt)));
		return;
	default:
		check_add(c, fail, "%s: SMTP probe failed in the %s", w, smtp_phase_str(r->phase));
		return;
	}
}

/* ------------------------------------------------------------- perfdata */

static void host_perf(struct check *c, const struct smtp_opts *so, const struct smtp_host *h,
		      size_t hi, const size_t *host_of, const struct smtp_result *res, size_t nt)
{
	double conn = -1, greet = -1, days = NAN;
	char label[DNAME_TEXT_MAX + 16];
	struct range w, cr;
	char wtext[32], ctext[32];

	for (size_t i = 0; i < nt; i++) {
		if (host_of[i] != hi) {
			continue;
		}
		if (res[i].connect_time > conn) {
			conn = res[i].connect_time;
		}
		if (res[i].greeting_time > greet) {
			greet = res[i].greeting_time;
		}
		if (res[i].tls.done && !isnan(res[i].tls.days_left) &&
		    (isnan(days) || res[i].tls.days_left < days)) {
			days = res[i].tls.days_left;
		}
	}
	/* Per host, the slowest of its addresses. */
	if (conn >= 0) {
		snprintf(label, sizeof(label), "%s_connect", h->text);
		check_perf(c, label, conn, "s", NULL, NULL, 0, NAN);
	}
	if (greet >= 0) {
		snprintf(label, sizeof(label), "%s_greeting", h->text);
		check_perf(c, label, greet, "s", NULL, NULL, 0, NAN);
	}
	if (!isnan(days)) {
		snprintf(wtext, sizeof(wtext), "%ld:", so->cert_warn);
		snprintf(ctext, sizeof(ctext), "%ld:", so->cert_crit);
		range_parse(wtext, &w, NULL);
		range_parse(ctext, &cr, NULL);
		snprintf(label, sizeof(label), "%s_cert_days", h->text);
		check_perf(c, label, smtp_whole_days(days), "", &w, &cr, NAN, NAN);
	}
}

/* --------------------------------------------------------------- driver */

void smtp_probe_all(struct check *c, struct resolver *res, const struct common_opts *co,
		    const struct smtp_opts *so, const struct smtp_host *hosts, size_t nhosts,
		    struct smtp_work *w)
{
	struct smtp_target *tg = w->tg;
	struct smtp_result *rs = w->rs;
	size_t *host_of = w->host_of;
	struct tlsa_host *th = w->th;
	struct smtp_probe_config cfg;
	char helo[256];
	struct resolver *sec = NULL;
	size_t nh = nhosts < LIMIT_SMTP_HOSTS ? nhosts : LIMIT_SMTP_HOSTS;
	size_t nt = 0, more = 0, ok = 0;
	char err[256] = "";

	if (!so->smtp) {
		return;
	}
	for (size_t h = 0; h < nh; h++) {
		for (size_t k = 0; k < hosts[h].naddr; k++) {
			const struct smtp_addr *a = &hosts[h].addr[k];

			if ((co->rcfg.family == 4 && a->len != 4) ||
			    (co->rcfg.family == 6 && a->len != 16)) {
				continue;
			}
			if (nt == LIMIT_SMTP_CONNS) {
				more++;
				continue;
			}
			memset(&tg[nt], 0, sizeof(tg[nt]));
			tg[nt].host = hosts[h].text;
			memcpy(tg[nt].addr, a->b, a->len);
			tg[nt].alen = a->len;
			host_of[nt++] = h;
		}
	}
	if (nhosts > nh) {
		check_add(c, STATE_OK, "SMTP: the first %d MX hosts probed, %zu more not",
			  LIMIT_SMTP_HOSTS, nhosts - nh);
	}
	if (more > 0) {
		check_add(c, STATE_OK, "SMTP: %d addresses probed, %zu more not", LIMIT_SMTP_CONNS,
			  more);
	}
	if (nt == 0) {
		check_add(c, STATE_OK, "SMTP: no MX address to connect to");
		return;
	}
	if (so->dane) {
		/* Before the probe: the records go into the handshake. */
		memset(th, 0, sizeof(w->th));
		sec = smtp_lookup_tlsa(res, co, hosts, nh, th);
		for (size_t i = 0; i < nt; i++) {
			tg[i].tlsa = th[host_of[i]].recs;
			tg[i].ntlsa = th[host_of[i]].nrecs;
			/* The TLSA base domain: the MX host name itself (its
			 * CNAME target is not looked for, RFC 7672 2.2.2). */
			tg[i].tlsa_base = tg[i].host;
		}
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.port = so->port;
	cfg.deadline = co->deadline;
	cfg.helo = helo_name(helo);
	cfg.starttls = so->starttls;
	cfg.ca_file = so->ca_file;
	plugin_stage("SMTP probe");
	if (!smtp_probe_run(&cfg, tg, nt, rs, err, sizeof(err))) {
		plugin_die(NULL, "%s", err);
	}
	for (size_t i = 0; i < nt; i++) {
		ok += rs[i].reachable;
	}
	/* Senders go on to the next address: one failing is a WARNING,
	 * none answering means no mail arrives: CRITICAL. */
	for (size_t i = 0; i < nt; i++) {
		bool dane_ok = false;

		report_smtp(c, so, &tg[i], &rs[i], ok == 0 ? STATE_CRITICAL : STATE_WARNING);
		if (so->dane) {
			dane_ok = smtp_report_dane(c, co, so, &th[host_of[i]], &tg[i], &rs[i]);
		}
		if (so->starttls && rs[i].reachable) {
			smtp_report_tls(c, so, &tg[i], &rs[i], dane_ok);
		}
	}
	for (size_t h = 0; h < nh; h++) {
		host_perf(c, so, &hosts[h], h, host_of, rs, nt);
	}
	check_perf(c, "smtp_ok", (double)ok, "", NULL, NULL, 0, (double)nt);
	for (size_t i = 0; i < nt; i++) {
		smtp_result_clear(&rs[i]);
	}
	if (sec != res) {
		resolver_free(sec);
	}
}
