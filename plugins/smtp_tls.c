/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * check_mx --starttls: the TLS part of a reachable address as findings
 * (doc/hostile-inputs.md T-08 to T-13): STARTTLS offered, plaintext
 * injected around it, how the handshake ended, the certificate's trust,
 * name and dates. Every server text goes through out_bytes().
 */
#include "smtp_tls.h"

#include <math.h>
#include <stdio.h>

#include "smtp_text.h"

/* The certificate of a completed handshake (T-13). dane_ok: a TLSA
 * record authenticated the server, which stands in for PKIX trust and
 * the name check (RFC 7672 3.1). */
static void report_cert(struct check *c, const struct smtp_opts *so, const struct smtp_target *t,
			const struct smtp_result *r, bool dane_ok)
{
	const struct smtp_tls *tls = &r->tls;
	enum state trust = dane_ok                  ? STATE_OK
			   : so->cert_failure_warns ? STATE_WARNING
						    : STATE_CRITICAL;
	const char *why = dane_ok ? " (DANE authenticates the server instead)" : "";
	char w[SMTP_WHO], subj[SMTP_SHOWN], iss[SMTP_SHOWN];

	smtp_who(t, so->port, w, sizeof(w));
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
			  so->ca_file != NULL ? "the CA file" : "the system trust store", why);
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
		enum state st = tls->days_left < (double)so->cert_crit   ? STATE_CRITICAL
				: tls->days_left < (double)so->cert_warn ? STATE_WARNING
									 : STATE_OK;
		if (st != STATE_OK) {
			check_add(c, st, "%s: certificate expires in %.0f days (%s)", w,
				  smtp_whole_days(tls->days_left), tls->not_after);
		}
	}
	if (tls->verify == 0 && tls->name_ok && !dane_ok) {
		check_add(c, STATE_OK, "%s: certificate verified for %s", w, t->host);
	}
}

/* How the STARTTLS part of a reachable address ended. */
static void report_tls_outcome(struct check *c, const struct smtp_opts *so,
			       const struct smtp_target *t, const struct smtp_result *r,
			       bool dane_ok)
{
	char w[SMTP_WHO], txt[SMTP_SHOWN + 16];

	smtp_who(t, so->port, w, sizeof(w));
	switch (r->outcome) {
	case SMTP_OK:
		report_cert(c, so, t, r, dane_ok);
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
			  smtp_reply_text(&r->last, txt, sizeof(txt)));
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

void smtp_report_tls(struct check *c, const struct smtp_opts *so, const struct smtp_target *t,
		     const struct smtp_result *r, bool dane_ok)
{
	char w[SMTP_WHO];

	smtp_who(t, so->port, w, sizeof(w));
	if (!r->starttls_offered) {
		check_add(c, so->require_starttls ? STATE_CRITICAL : STATE_WARNING,
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
	report_tls_outcome(c, so, t, r, dane_ok);
	/* After the handshake's failure, which it causes: that stays the
	 * first line. */
	if (r->injected_late > 0) {
		check_add(c, STATE_CRITICAL,
			  "%s: plaintext data after STARTTLS reply, before the TLS handshake (%zu "
			  "octets in a later read: response injection)",
			  w, r->injected_late);
	}
}
