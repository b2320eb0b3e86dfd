/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SMTP probing of MX addresses (check_mx --smtp / --starttls): connect to
 * every address ALL AT ONCE (non-blocking sockets, one poll() loop, one
 * absolute deadline), read the whole greeting (a multi-line 220 is read to
 * its final line before EHLO is sent: postscreen's pause, T-07), EHLO
 * (HELO when EHLO is rejected with 5xx, RFC 5321 3.2), optionally
 * STARTTLS (RFC 3207) and a TLS handshake driven by the same poll loop
 * (a stalled handshake ends at the deadline, T-11), then QUIT. A target
 * with TLSA records gets OpenSSL's DANE verification in its handshake
 * (common/dane.h); the PKIX result is then found by a second
 * verification of the presented chain, for the report.
 *
 * Nothing here decides states or prints: each address gets a result the
 * plugin turns into findings. Texts from the server (banner, replies,
 * certificate names) are kept as raw bytes with lengths, cut to
 * LIMIT_SMTP_TEXT_SHOWN: print them through out_bytes() or as "%s" of
 * the renderer, never as a format.
 *
 * The caller ignores SIGPIPE (plugin_start() does); writes also use
 * MSG_NOSIGNAL (O-03).
 */
#ifndef MAILDNS_SMTP_PROBE_H
#define MAILDNS_SMTP_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/x509v3.h>

#include "bounds.h"
#include "dane.h"

/*
 * How the MX host name is matched against a certificate, here and in the
 * DANE-TA checks: subjectAltName DNS names only, never the subject CN
 * (RFC 6125 6.4.4, RFC 9525 6.3), and no partial-label wildcards such as
 * "m*.example.com" (RFC 6125 7.2); "*.example.com" is still allowed.
 */
#define SMTP_HOST_FLAGS (X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS)

struct smtp_target {
	const char *host; /* MX name as text, no trailing dot: the
			     name the certificate must match and the
			     SNI sent (borrowed) */
	uint8_t addr[16]; /* network order: 4 bytes IPv4, 16 IPv6 */
	size_t alen;
	/* DANE (RFC 7672): the records of the host's DNSSEC-authenticated
	 * TLSA RRset, given to OpenSSL before the handshake, and the TLSA
	 * base domain (a reference identifier besides host). ntlsa 0: no
	 * DANE. Borrowed for the probe's duration. */
	const struct tlsa_rec *tlsa;
	size_t ntlsa;
	const char *tlsa_base;
};

struct smtp_probe_config {
	uint16_t port;       /* 0: 25 */
	double deadline;     /* absolute, clock_monotonic_now() seconds */
	const char *helo;    /* EHLO/HELO argument; NULL: "localhost" */
	bool starttls;       /* send STARTTLS when offered, handshake */
	const char *ca_file; /* PEM trust anchors; NULL: system store */
};

/* Where a probe was when it ended. */
enum smtp_phase {
	SMTP_PH_CONNECT,
	SMTP_PH_GREETING,
	SMTP_PH_EHLO,
	SMTP_PH_HELO,
	SMTP_PH_STARTTLS, /* waiting for the reply to STARTTLS */
	SMTP_PH_HANDSHAKE,
	SMTP_PH_DONE,
};

enum smtp_outcome {
	SMTP_OK,                /* greeting 2xx, EHLO/HELO 2xx; with
				   starttls and STARTTLS offered: the
				   handshake completed too */
	SMTP_CONNECT_FAILED,    /* refused, unreachable: detail = strerror */
	SMTP_TIMEOUT,           /* deadline reached in phase */
	SMTP_CLOSED,            /* the server closed the connection */
	SMTP_IO_ERROR,          /* read/write error (reset): detail */
	SMTP_PROTOCOL,          /* reply broke a bound or the syntax:
				   detail = smtp_rd_error_str() */
	SMTP_GREETING_REJECTED, /* 4xx/5xx greeting: see greeting */
	SMTP_EHLO_REJECTED,     /* EHLO 4xx, or EHLO 5xx and HELO not 2xx:
				   see last */
	SMTP_STARTTLS_REFUSED,  /* STARTTLS answered other than 220: last */
	SMTP_TLS_FAILED,        /* handshake failed: detail = OpenSSL's
				   reason ("wrong version number") */
	SMTP_AHEAD,             /* octets after the EHLO reply in the same
				   read: the server answered STARTTLS
				   before it was sent (see ahead); STARTTLS
				   is then not sent */
};

/* A reply as received: code, first line's text (cut), line count. */
struct smtp_text {
	int code; /* 0: none */
	uint8_t text[LIMIT_SMTP_TEXT_SHOWN];
	size_t len;
	bool cut; /* longer than kept */
	size_t nlines;
};

/* Certificate verification problems seen by the verify callback
 * (every one is recorded; the handshake goes on so all are known). */
enum tls_verify_flag {
	TLS_V_EXPIRED = 1 << 0,
	TLS_V_NOT_YET_VALID = 1 << 1,
	TLS_V_SELF_SIGNED = 1 << 2, /* the leaf is self-signed */
	TLS_V_UNTRUSTED = 1 << 3,   /* no issuer in the trust store, or
				       the chain's root is not in it */
	TLS_V_OTHER = 1 << 4,       /* see verify_other */
};

struct smtp_tls {
	bool done;                              /* handshake completed */
	char version[16];                       /* "TLSv1.3" */
	char cipher[64];                        /* "TLS_AES_256_GCM_SHA384" */
	unsigned verify;                        /* tls_verify_flag bits; 0: chain trusted
						   (PKIX, also where DANE decided the
						   handshake's verification) */
	char verify_other[96];                  /* first other error (X509 verify text) */
	bool name_ok;                           /* X509_check_host(leaf, host,
						   SMTP_HOST_FLAGS) == 1 */
	bool name_cn_only;                      /* not name_ok, but the leaf has no
						   subjectAltName DNS name and its CN
						   names the host */
	double days_left;                       /* leaf notAfter - now, days (< 0: expired) */
	char not_after[32];                     /* "2027-11-26 13:41:39 UTC" */
	uint8_t subject[LIMIT_SMTP_TEXT_SHOWN]; /* RFC 2253 form, raw */
	size_t subject_len;
	uint8_t issuer[LIMIT_SMTP_TEXT_SHOWN];
	size_t issuer_len;
	/* The presented chain, leaf first, DER (owned; smtp_result_clear). */
	uint8_t *chain[LIMIT_TLS_CHAIN];
	size_t chain_len[LIMIT_TLS_CHAIN];
	size_t nchain;
};

struct smtp_result {
	enum smtp_outcome outcome;
	enum smtp_phase phase; /* where it ended (DONE when OK) */
	char detail[160];      /* reason for CONNECT_FAILED, IO_ERROR,
				  PROTOCOL, CLOSED, TLS_FAILED */
	double connect_time;   /* s from start to connected; < 0: never */
	double greeting_time;  /* s from connected to the greeting's last
				  line; < 0: never */
	double elapsed;        /* s from start to the end of the probe */
	bool reachable;        /* greeting 2xx and EHLO or HELO 2xx */
	struct smtp_text greeting;
	struct smtp_text last; /* the reply that ended the probe, or the
				  rejected EHLO when HELO was used */
	bool helo_fallback;    /* EHLO rejected (5xx), HELO accepted */
	bool starttls_offered; /* in the EHLO reply */
	bool starttls_sent;
	size_t injected;      /* octets after the STARTTLS 220, in the same
				 read, discarded (T-10) */
	size_t injected_late; /* non-TLS octets that came first after the
				 220, in a later read (plaintext lines up
				 to the last LF seen; T-10); the handshake
				 then fails on them */
	size_t ahead;         /* SMTP_AHEAD: octets after the EHLO reply */
	struct smtp_tls tls;
	struct dane_outcome dane; /* target with TLSA records: DANE_NO_USABLE
				   from the start of TLS, OpenSSL's verdict
				   once the handshake completed; else
				   DANE_NONE */
};

/*
 * Probe n targets (n <= LIMIT_SMTP_CONNS) at once until every probe has
 * ended or the deadline. out[i] is the result for t[i] (out is written
 * whole; free each with smtp_result_clear()). False, with the reason in
 * err, only when the probe could not start (the CA file does not load,
 * no memory): our own inputs, not the servers.
 */
bool smtp_probe_run(const struct smtp_probe_config *cfg, const struct smtp_target *t, size_t n,
		    struct smtp_result *out, char *err, size_t errlen);

/* Free what a result owns (the chain); r may be NULL. */
void smtp_result_clear(struct smtp_result *r);

/* "connect", "greeting", "EHLO", "HELO", "STARTTLS", "TLS handshake". */
const char *smtp_phase_str(enum smtp_phase ph);

#endif
