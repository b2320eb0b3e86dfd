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
#include "dane.h"
#include "numparse.h"
#include "smtp_probe.h"

#define SHOWN (LIMIT_SMTP_TEXT_SHOWN * 4 + 8) /* escaped text buffer */
#define WHO   (DNAME_TEXT_MAX + ADDR_TEXT_MAX + 16)

static struct {
	bool smtp, starttls, require_starttls, dane;
	const char *ca_file;
	long cert_warn, cert_crit;
	uint16_t port;
} so = {.cert_warn = 30, .cert_crit = 7, .port = 25};

const char *smtp_handle_opt(int opt, const char *arg)
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
		so.smtp = true;
		so.starttls |= opt != OPT_SMTP;
		so.require_starttls |= opt == OPT_REQUIRE_STARTTLS;
		so.dane |= opt == OPT_DANE;
		return NULL;
	case OPT_CA_FILE:
		if (access(arg, R_OK) != 0) {
			return "cannot read CA file";
		}
		so.ca_file = arg;
		return NULL;
	case OPT_CERT_WARNING:
	case OPT_CERT_CRITICAL:
		if (!parse_long(arg, 0, 36500, &v, &why)) {
			return why;
		}
		*(opt == OPT_CERT_WARNING ? &so.cert_warn : &so.cert_crit) = v;
		return NULL;
	case OPT_SMTP_PORT:
		if (!parse_long(arg, 1, 65535, &v, &why)) {
			return why;
		}
		so.port = (uint16_t)v;
		return NULL;
	}
	return "unknown option";
}

/* EHLO argument: this host's name when it is a plain host name (RFC
 * 5321 4.1.1.1), else "localhost". */
static const char *helo_name(void)
{
	static char name[256];
	size_t n;

	if (gethostname(name, sizeof(name) - 1) != 0) {
		return "localhost";
	}
	name[sizeof(name) - 1] = '\0';
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

/* "mx1.example.com[192.0.2.25]:25" */
static char *who(const struct smtp_target *t, char *buf, size_t len)
{
	char a[ADDR_TEXT_MAX];

	addr_to_text(t->addr, t->alen, a, sizeof(a));
	snprintf(buf, len, "%s[%s]:%u", t->host, a, so.port);
	return buf;
}

/* "554 5.7.1 go away" escaped and cut, for any reply kept. */
static char *reply_text(const struct smtp_text *r, char *buf, size_t len)
{
	char text[SHOWN];

	out_bytes(text, sizeof(text), r->text, r->len);
	snprintf(buf, len, "%d%s%s%s", r->code, r->len > 0 ? " " : "", text, r->cut ? "..." : "");
	return buf;
}

/* Whole days, rounded down (-0.5 is -1: expired); no libm needed. */
static double whole_days(double d)
{
	double n = (double)(long long)d;

	return d < n ? n - 1 : n;
}

/* The plain SMTP part of one address (T-02 to T-07). */
static void report_smtp(struct check *c, const struct smtp_target *t, const struct smtp_result *r,
			enum state fail)
{
	char w[WHO], txt[SHOWN + 16], ehlo[SHOWN + 16];
	double waited = r->connect_time >= 0 ? r->elapsed - r->connect_time : r->elapsed;

	who(t, w, sizeof(w));
	if (r->reachable) {
		reply_text(&r->greeting, txt, sizeof(txt));
		if (r->helo_fallback) {
			reply_text(&r->last, ehlo, sizeof(ehlo));
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
		check_add(c, fail, "%s refused: %s", w, reply_text(&r->greeting, txt, sizeof(txt)));
		return;
	case SMTP_EHLO_REJECTED:
		check_add(c, fail, "%s rejected %s: %s", w, smtp_phase_str(r->phase),
			  reply_text(&r->last, txt, sizeof(txt)));
		return;
	default:
		check_add(c, fail, "%s: SMTP probe failed in the %s", w, smtp_phase_str(r->phase));
		return;
	}
}

/* The certificate of a completed handshake (T-13). dane_ok: a TLSA
 * record authenticated the server, which stands in for PKIX trust and
 * the name check (RFC 7672 3.1). */
static void report_cert(struct check *c, const struct smtp_target *t, const struct smtp_result *r,
			bool dane_ok)
{
	const struct smtp_tls *tls = &r->tls;
	enum state trust = dane_ok ? STATE_OK : STATE_CRITICAL;
	const char *why = dane_ok ? " (DANE authenticates the server instead)" : "";
	char w[WHO], subj[SHOWN], iss[SHOWN];

	who(t, w, sizeof(w));
	out_bytes(subj, sizeof(subj), tls->subject, tls->subject_len);
	out_bytes(iss, sizeof(iss), tls->issuer, tls->issuer_len);
	check_add(c, STATE_OK, "TLS %s: %s %s, certificate %s, issuer %s, expires %s", w,
		  tls->version, tls->cipher, subj, iss, tls->not_after);
	if (!isnan(tls->days_left) && tls->days_left < 0) {
		check_add(c, STATE_CRITICAL, "%s: certificate expired on %s", w, tls->not_after);
	} else if (tls->verify & TLS_V_EXPIRED) {
		check_add(c, trust, "%s: a certificate of the chain has expired%s", w, why);
	}
	if (tls->verify & TLS_V_NOT_YET_VALID) {
		check_add(c, trust, "%s: certificate not yet valid%s", w, why);
	}
	if (tls->verify & TLS_V_SELF_SIGNED) {
		check_add(c, trust, "%s: certificate is self-signed (%s)%s", w, subj, why);
	}
	if (tls->verify & TLS_V_UNTRUSTED) {
		check_add(c, trust, "%s: certificate not trusted: issuer %s not in %s%s", w, iss,
			  so.ca_file != NULL ? "the CA file" : "the system trust store", why);
	}
	if (tls->verify & TLS_V_OTHER) {
		check_add(c, trust, "%s: certificate not trusted: %s%s", w, tls->verify_other, why);
	}
	if (tls->nchain > 0 && tls->name_cn_only) {
		check_add(c, trust,
			  "%s: certificate names %s only in its CN (no subjectAltName DNS name): "
			  "not valid for it (RFC 9525)%s",
			  w, t->host, why);
	} else if (tls->nchain > 0 && !tls->name_ok) {
		check_add(c, trust, "%s: certificate is not valid for %s (subject %s)%s", w,
			  t->host, subj, why);
	}
	if (!isnan(tls->days_left) && tls->days_left >= 0) {
		enum state st = tls->days_left < (double)so.cert_crit   ? STATE_CRITICAL
				: tls->days_left < (double)so.cert_warn ? STATE_WARNING
									: STATE_OK;
		if (st != STATE_OK) {
			check_add(c, st, "%s: certificate expires in %.0f days (%s)", w,
				  whole_days(tls->days_left), tls->not_after);
		}
	}
	if (tls->verify == 0 && tls->name_ok && !dane_ok) {
		check_add(c, STATE_OK, "%s: certificate verified for %s", w, t->host);
	}
}

/* How the STARTTLS part of a reachable address ended. */
static void report_tls_outcome(struct check *c, const struct smtp_target *t,
			       const struct smtp_result *r, bool dane_ok)
{
	char w[WHO], txt[SHOWN + 16];

	who(t, w, sizeof(w));
	switch (r->outcome) {
	case SMTP_OK:
		report_cert(c, t, r, dane_ok);
		return;
	case SMTP_AHEAD:
		check_add(c, STATE_CRITICAL,
			  "%s answered before the STARTTLS command was sent (%zu octets after the "
			  "EHLO reply, a reply ahead of time: response injection); STARTTLS not "
			  "attempted",
			  w, r->ahead);
		return;
	case SMTP_STARTTLS_REFUSED:
		check_add(c, STATE_CRITICAL, "%s: STARTTLS refused: %s", w,
			  reply_text(&r->last, txt, sizeof(txt)));
		return;
	case SMTP_TLS_FAILED:
		check_add(c, STATE_CRITICAL, "%s: TLS handshake failed: %s", w, r->detail);
		return;
	case SMTP_TIMEOUT:
		if (r->phase == SMTP_PH_HANDSHAKE) {
			check_add(c, STATE_CRITICAL, "TLS handshake with %s timed out after %.1fs",
				  w, r->elapsed);
		} else {
			check_add(c, STATE_CRITICAL, "%s: no reply to STARTTLS within %.1fs", w,
				  r->elapsed);
		}
		return;
	case SMTP_PROTOCOL:
		check_add(c, STATE_CRITICAL, "%s in the reply to STARTTLS from %s", r->detail, w);
		return;
	default:
		check_add(c, STATE_CRITICAL, "%s: %s during the %s", w,
			  r->detail[0] != '\0' ? r->detail : "probe failed",
			  smtp_phase_str(r->phase));
		return;
	}
}

/* The TLS part of a reachable address (T-08 to T-13). */
static void report_tls(struct check *c, const struct smtp_target *t, const struct smtp_result *r,
		       bool dane_ok)
{
	char w[WHO];

	who(t, w, sizeof(w));
	if (!r->starttls_offered) {
		check_add(c, so.require_starttls ? STATE_CRITICAL : STATE_WARNING,
			  "%s: STARTTLS not offered%s", w,
			  r->helo_fallback ? " (EHLO rejected, HELO has no extensions)" : "");
		return;
	}
	if (r->injected > 0) {
		check_add(c, STATE_CRITICAL,
			  "%s: plaintext data after STARTTLS reply (%zu octets discarded: response "
			  "injection)",
			  w, r->injected);
	}
	report_tls_outcome(c, t, r, dane_ok);
	/* After the handshake's failure, which it causes: that stays the
	 * first line. */
	if (r->injected_late > 0) {
		check_add(c, STATE_CRITICAL,
			  "%s: plaintext data after STARTTLS reply, before the TLS handshake (%zu "
			  "octets in a later read: response injection)",
			  w, r->injected_late);
	}
}

/* ------------------------------------------------------------------ DANE */

struct tlsa_host {
	struct dname owner;
	char owner_text[DNAME_TEXT_MAX];
	const struct dns_answer *ans;
	struct tlsa_rec recs[LIMIT_TLSA_RRS]; /* of ans when authenticated */
	size_t nrecs;
	bool reported;          /* the host-level finding was added */
	bool fixed;             /* the fix line was added */
};

/* TLSA of every probed host in one batch, over a resolver that requires
 * the AD bit (the main one when --dnssec is on). RFC 7672 2.2: only
 * DNSSEC-authenticated TLSA records count. */
static struct resolver *lookup_tlsa(struct resolver *res, const struct common_opts *co,
				    const struct smtp_host *hosts, size_t nh, struct tlsa_host *th)
{
	static struct dns_question q[LIMIT_SMTP_HOSTS];
	const struct dns_answer *ans[LIMIT_SMTP_HOSTS];
	struct resolver *sec = res;
	char err[256] = "";

	if (!co->rcfg.dnssec) {
		struct resolver_config cfg = co->rcfg;

		cfg.dnssec = true;
		sec = plugin_resolver_from(co, &cfg, err, sizeof(err));
		if (sec == NULL) {
			plugin_die(NULL, "%s", err[0] != '\0' ? err : "cannot set up the resolver");
		}
	}
	for (size_t i = 0; i < nh; i++) {
		if (!dname_prepend(&th[i].owner, hosts[i].name, "_tcp", 4) ||
		    !dname_prepend(&th[i].owner, &th[i].owner, "_25", 3)) {
			th[i].owner = *hosts[i].name; /* too long: asked, fails */
		}
		dname_to_text(&th[i].owner, th[i].owner_text, sizeof(th[i].owner_text));
		q[i].name = th[i].owner;
		q[i].type = DNS_T_TLSA;
	}
	plugin_stage("TLSA lookup");
	resolver_query_batch(sec, q, nh, ans);
	for (size_t i = 0; i < nh; i++) {
		const struct dns_answer *a = ans[i];

		th[i].ans = a;
		/* Only an authenticated RRset is given to the handshake
		 * (RFC 7672 2.2); its data stays the resolver's. */
		for (size_t k = 0;
		     a->status == RES_OK && k < a->nrr && th[i].nrecs < LIMIT_TLSA_RRS; k++) {
			const struct dns_rr *rr = &a->rr[k];

			th[i].recs[th[i].nrecs++] = (struct tlsa_rec){
				rr->u.tlsa.usage, rr->u.tlsa.selector, rr->u.tlsa.mtype,
				rr->u.tlsa.data, rr->u.tlsa.len};
		}
	}
	return sec;
}

/* The fix line: the "3 1 1" record of the live certificate. */
static void fix_tlsa(struct check *c, const struct tlsa_host *th, const struct smtp_result *r)
{
	char hex[65];

	if (r->tls.nchain > 0 &&
	    dane_spki_sha256_hex(r->tls.chain[0], r->tls.chain_len[0], hex, sizeof(hex))) {
		check_fix(c, "%s. IN TLSA 3 1 1 %s", th->owner_text, hex);
	}
}

/*
 * DANE for one address: the verdict OpenSSL gave in the handshake
 * (common/dane.h). Host-level problems (no TLSA, not authenticated, DNS
 * error) are reported once per host. Returns true when a TLSA record
 * authenticated this server.
 */
static bool report_dane(struct check *c, const struct common_opts *co, struct tlsa_host *th,
			const struct smtp_target *t, const struct smtp_result *r)
{
	const struct dns_answer *a = th->ans;
	const struct dane_outcome *out = &r->dane;
	const struct tlsa_rec *m;
	char w[WHO], hex[65], depth[48] = "";

	who(t, w, sizeof(w));
	if (a->status == RES_INSECURE) {
		if (!th->reported) {
			check_add(c, STATE_CRITICAL,
				  "TLSA at %s not DNSSEC-authenticated (no AD bit from the "
				  "resolver): senders will not use DANE (RFC 7672 2.2)",
				  th->owner_text);
		}
		th->reported = true;
		return false;
	}
	if (!res_status_is_answer(a->status)) {
		if (!th->reported) {
			plugin_dns_error(c, co, a, "TLSA record");
		}
		th->reported = true;
		return false;
	}
	if (a->status != RES_OK) {
		if (!th->reported) {
			check_add(c, STATE_CRITICAL, "no TLSA record at %s: DANE not published",
				  th->owner_text);
		}
		th->reported = true;
		if (!th->fixed && r->tls.nchain > 0) {
			fix_tlsa(c, th, r);
			th->fixed = true;
		}
		return false;
	}
	if (!r->tls.done) {
		if (r->reachable && !r->starttls_offered) {
			check_add(c, STATE_CRITICAL,
				  "%s: TLSA published at %s but STARTTLS not offered: DANE "
				  "senders will not deliver (RFC 7672 2.2)",
				  w, th->owner_text);
		}
		return false;
	}
	switch (out->result) {
	case DANE_MATCH:
		m = &th->recs[out->matched];
		if (out->depth > 0) {
			snprintf(depth, sizeof(depth), " (trust anchor at depth %zu)", out->depth);
		}
		check_add(c, STATE_OK, "DANE: TLSA %u %u %u (%s) at %s matches %s%s", m->usage,
			  m->selector, m->mtype, dane_usage_str(m->usage), th->owner_text, w,
			  depth);
		return true;
	case DANE_NONE:
	case DANE_NO_USABLE:
		check_add(c, STATE_CRITICAL,
			  "DANE: no usable TLSA record at %s (%zu records; SMTP uses usages 2 and "
			  "3 only, RFC 7672 3.1.3, and records with unknown parameters or "
			  "malformed data are skipped)",
			  th->owner_text, th->nrecs);
		return false;
	case DANE_NO_CHAIN:
		check_add(c, STATE_CRITICAL, "DANE: %s presented no certificate to match", w);
		return false;
	case DANE_NO_MATCH:
	default:
		check_add(c, STATE_CRITICAL,
			  "DANE: no TLSA record at %s matches the certificate of %s%s%s",
			  th->owner_text, w, out->detail[0] != '\0' ? ": " : "", out->detail);
		if (r->tls.nchain > 0 &&
		    dane_spki_sha256_hex(r->tls.chain[0], r->tls.chain_len[0], hex, sizeof(hex))) {
			check_verbose(c, 1, "live certificate of %s: %s. IN TLSA 3 1 1 %s", w,
				      th->owner_text, hex);
		}
		return false;
	}
}

/* ------------------------------------------------------------- perfdata */

static void host_perf(struct check *c, const struct smtp_host *h, size_t hi,
		      const size_t *host_of, const struct smtp_result *res, size_t nt)
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
		snprintf(wtext, sizeof(wtext), "%ld:", so.cert_warn);
		snprintf(ctext, sizeof(ctext), "%ld:", so.cert_crit);
		range_parse(wtext, &w, NULL);
		range_parse(ctext, &cr, NULL);
		snprintf(label, sizeof(label), "%s_cert_days", h->text);
		check_perf(c, label, whole_days(days), "", &w, &cr, NAN, NAN);
	}
}

/* --------------------------------------------------------------- driver */

void smtp_probe_all(struct check *c, struct resolver *res, const struct common_opts *co,
		    const struct smtp_host *hosts, size_t nhosts)
{
	static struct smtp_target tg[LIMIT_SMTP_CONNS];
	static struct smtp_result rs[LIMIT_SMTP_CONNS];
	static size_t host_of[LIMIT_SMTP_CONNS];
	static struct tlsa_host th[LIMIT_SMTP_HOSTS];
	struct smtp_probe_config cfg;
	struct resolver *sec = NULL;
	size_t nh = nhosts < LIMIT_SMTP_HOSTS ? nhosts : LIMIT_SMTP_HOSTS;
	size_t nt = 0, more = 0, ok = 0;
	char err[256] = "";

	if (!so.smtp) {
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
	if (so.dane) {
		/* Before the probe: the records go into the handshake. */
		memset(th, 0, sizeof(th));
		sec = lookup_tlsa(res, co, hosts, nh, th);
		for (size_t i = 0; i < nt; i++) {
			tg[i].tlsa = th[host_of[i]].recs;
			tg[i].ntlsa = th[host_of[i]].nrecs;
			/* The TLSA base domain: the MX host name itself (its
			 * CNAME target is not looked for, RFC 7672 2.2.2). */
			tg[i].tlsa_base = tg[i].host;
		}
	}
	memset(&cfg, 0, sizeof(cfg));
	cfg.port = so.port;
	cfg.deadline = co->deadline;
	cfg.helo = helo_name();
	cfg.starttls = so.starttls;
	cfg.ca_file = so.ca_file;
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

		report_smtp(c, &tg[i], &rs[i], ok == 0 ? STATE_CRITICAL : STATE_WARNING);
		if (so.dane) {
			dane_ok = report_dane(c, co, &th[host_of[i]], &tg[i], &rs[i]);
		}
		if (so.starttls && rs[i].reachable) {
			report_tls(c, &tg[i], &rs[i], dane_ok);
		}
	}
	for (size_t h = 0; h < nh; h++) {
		host_perf(c, &hosts[h], h, host_of, rs, nt);
	}
	check_perf(c, "smtp_ok", (double)ok, "", NULL, NULL, 0, (double)nt);
	for (size_t i = 0; i < nt; i++) {
		smtp_result_clear(&rs[i]);
	}
	if (sec != res) {
		resolver_free(sec);
	}
}
