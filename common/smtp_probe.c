/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * SMTP/STARTTLS prober: every address at once, one poll() loop, one
 * deadline (doc/hostile-inputs.md rule 2). Each connection is a small state
 * machine: connect -> greeting -> EHLO [-> HELO] [-> STARTTLS ->
 * handshake] -> QUIT. See smtp_probe.h for what is reported.
 */
#include "smtp_probe.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "resolver.h" /* clock_monotonic_now() */
#include "smtp_reply.h"

#define RECV_CHUNK 4096
#define CMD_MAX    300 /* "EHLO " + a host name of 255 + CRLF */

struct conn {
	const struct smtp_target *t;
	struct smtp_result *r;
	const struct smtp_probe_config *cfg;
	SSL_CTX *ctx;
	int fd;
	enum smtp_phase ph;
	bool done;
	struct smtp_reader *rd;
	char out[CMD_MAX];
	size_t outlen, outoff;
	SSL *ssl;
	short tls_events;    /* what SSL_connect() waits for */
	bool tls_first_read; /* the server's first octets after the 220
				have been looked at */
	bool dane_on;        /* DANE enabled on ssl (usable records) */
	bool pkix_pass;      /* verify_cb: in pkix_verify(), not in the
				handshake */
	int dane_err;        /* first error of the DANE verification */
	double t0, t_connected;
};

const char *smtp_phase_str(enum smtp_phase ph)
{
	switch (ph) {
	case SMTP_PH_CONNECT:
		return "connect";
	case SMTP_PH_GREETING:
		return "greeting";
	case SMTP_PH_EHLO:
		return "EHLO";
	case SMTP_PH_HELO:
		return "HELO";
	case SMTP_PH_STARTTLS:
		return "STARTTLS";
	case SMTP_PH_HANDSHAKE:
		return "TLS handshake";
	case SMTP_PH_DONE:
		return "done";
	}
	return "?";
}

void smtp_result_clear(struct smtp_result *r)
{
	if (r == NULL) {
		return;
	}
	for (size_t i = 0; i < r->tls.nchain; i++) {
		OPENSSL_free(r->tls.chain[i]);
		r->tls.chain[i] = NULL;
	}
	r->tls.nchain = 0;
}

static void keep_text(struct smtp_text *dst, const struct smtp_reply *rep)
{
	size_t n = rep->line[0].len;

	dst->code = rep->code;
	dst->nlines = rep->nlines;
	dst->cut = n > sizeof(dst->text);
	dst->len = dst->cut ? sizeof(dst->text) : n;
	memcpy(dst->text, rep->line[0].text, dst->len);
}

/* Best effort, never blocks: the result is already known. */
static void say_quit(struct conn *c)
{
	static const char quit[] = "QUIT\r\n";

	if (c->ssl != NULL) {
		ERR_clear_error();
		if (SSL_write(c->ssl, quit, (int)sizeof(quit) - 1) > 0) {
			SSL_shutdown(c->ssl);
		}
		ERR_clear_error();
	} else if (c->fd >= 0) {
		ssize_t w = send(c->fd, quit, sizeof(quit) - 1, MSG_NOSIGNAL | MSG_DONTWAIT);
		(void)w;
	}
}

static void finish(struct conn *c, enum smtp_outcome o, const char *detail)
{
	struct smtp_result *r = c->r;

	if (c->done) {
		return;
	}
	r->outcome = o;
	r->phase = o == SMTP_OK ? SMTP_PH_DONE : c->ph;
	if (detail != NULL) {
		snprintf(r->detail, sizeof(r->detail), "%s", detail);
	}
	r->elapsed = clock_monotonic_now() - c->t0;
	/* RFC 5321 3.8/4.1.1.10: a client ends with QUIT where the server
	 * is waiting for a command (also after a 554 greeting, 3.1). */
	if (o == SMTP_OK || o == SMTP_GREETING_REJECTED || o == SMTP_EHLO_REJECTED ||
	    o == SMTP_STARTTLS_REFUSED || o == SMTP_AHEAD) {
		say_quit(c);
	}
	if (c->ssl != NULL) {
		SSL_free(c->ssl);
		c->ssl = NULL;
	}
	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	smtp_reader_free(c->rd);
	c->rd = NULL;
	c->done = true;
}

static void finish_errno(struct conn *c, enum smtp_outcome o, int e)
{
	char buf[96];

	snprintf(buf, sizeof(buf), "%s",
		 e == ECONNREFUSED ? "connection refused"
		 : e == ECONNRESET ? "connection reset by the server"
				   : strerror(e));
	finish(c, o, buf);
}

static void flush_out(struct conn *c)
{
	while (c->outoff < c->outlen) {
		ssize_t w = send(c->fd, c->out + c->outoff, c->outlen - c->outoff, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
				return;
			}
			/* O-03: the server went away while we wrote. */
			finish_errno(c, SMTP_IO_ERROR, errno);
			return;
		}
		c->outoff += (size_t)w;
	}
}

static void send_cmd(struct conn *c, const char *verb, const char *arg)
{
	int n = snprintf(c->out, sizeof(c->out), "%s%s%s\r\n", verb, arg != NULL ? " " : "",
			 arg != NULL ? arg : "");

	c->outlen = n < 0 ? 0 : (size_t)n < sizeof(c->out) ? (size_t)n : sizeof(c->out) - 1;
	c->outoff = 0;
	flush_out(c);
}

/* ------------------------------------------------------------------ TLS */

static int verify_cb(int ok, X509_STORE_CTX *xs)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct conn *c = ssl != NULL ? SSL_get_app_data(ssl) : NULL;
	struct smtp_tls *tls;
	int e;

	if (ok || c == NULL) {
		return 1;
	}
	tls = &c->r->tls;
	e = X509_STORE_CTX_get_error(xs);
	if (c->dane_on && !c->pkix_pass) {
		/* The handshake's verification is the DANE one: its first
		 * error is the DANE verdict's reason (dane_ssl_outcome()). */
		if (c->dane_err == X509_V_OK) {
			c->dane_err = e;
		}
		return 1;
	}
	switch (e) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		tls->verify |= TLS_V_EXPIRED;
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		tls->verify |= TLS_V_NOT_YET_VALID;
		break;
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
		tls->verify |= TLS_V_SELF_SIGNED;
		break;
	/* A chain ending in a root the store does not hold: the leaf is
	 * not self-signed, its issuer is untrusted. */
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_CERT_UNTRUSTED:
		tls->verify |= TLS_V_UNTRUSTED;
		break;
	default:
		if (!(tls->verify & TLS_V_OTHER)) {
			snprintf(tls->verify_other, sizeof(tls->verify_other), "%s",
				 X509_verify_cert_error_string(e));
		}
		tls->verify |= TLS_V_OTHER;
		break;
	}
	/* Go on: every problem is recorded and the handshake completes, so
	 * the report names all of them and DANE can still be matched. */
	return 1;
}

static SSL_CTX *make_ctx(const struct smtp_probe_config *cfg, char *err, size_t errlen)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());

	if (ctx == NULL) {
		snprintf(err, errlen, "cannot set up TLS");
		return NULL;
	}
	/* RFC 8996: TLS 1.0 and 1.1 are deprecated (T-12: "TLS 1.0 only"
	 * is a failed handshake). */
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	if (cfg->ca_file != NULL) {
		ERR_clear_error();
		if (SSL_CTX_load_verify_locations(ctx, cfg->ca_file, NULL) != 1) {
			const char *why = ERR_reason_error_string(ERR_peek_last_error());

			snprintf(err, errlen, "cannot load CA file: %s - %s",
				 why != NULL ? why : "no certificate in it", cfg->ca_file);
			ERR_clear_error();
			SSL_CTX_free(ctx);
			return NULL;
		}
	} else {
		SSL_CTX_set_default_verify_paths(ctx);
	}
	/* DANE is enabled per connection, where there are TLSA records. */
	if (SSL_CTX_dane_enable(ctx) <= 0) {
		ERR_clear_error();
		snprintf(err, errlen, "cannot set up DANE");
		SSL_CTX_free(ctx);
		return NULL;
	}
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, verify_cb);
	SSL_CTX_set_verify_depth(ctx, LIMIT_TLS_CHAIN);
	SSL_CTX_set_max_cert_list(ctx, LIMIT_TLS_CHAIN_BYTES);
	return ctx;
}

static size_t name_text(X509_NAME *name, uint8_t *buf, size_t buflen)
{
	BIO *b = BIO_new(BIO_s_mem());
	char *data = NULL;
	long n;
	size_t len = 0;

	if (b == NULL) {
		return 0;
	}
	/* RFC 2253 form, UTF-8 left as is: the renderer escapes what is
	 * not printable or not UTF-8 (T-13: NUL or escapes in a subject). */
	if (X509_NAME_print_ex(b, name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
		n = BIO_get_mem_data(b, &data);
		if (n > 0 && data != NULL) {
			len = (size_t)n < buflen ? (size_t)n : buflen;
			memcpy(buf, data, len);
		}
	}
	BIO_free(b);
	return len;
}

/*
 * With DANE on, the handshake's verification was OpenSSL's DANE one. What
 * PKIX says is still reported (a DANE match stands in for it): the
 * presented chain is verified once more, against the same store and as
 * the handshake does without DANE (TLS server purpose, depth, security
 * level; no host name: that is X509_check_host()'s), through verify_cb.
 */
static void pkix_verify(struct conn *c, X509 *leaf, STACK_OF(X509) * sk)
{
	struct smtp_tls *tls = &c->r->tls;
	X509_STORE_CTX *xs = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *param;

	if (xs == NULL || X509_STORE_CTX_init(xs, SSL_CTX_get_cert_store(c->ctx), leaf, sk) != 1 ||
	    X509_STORE_CTX_set_ex_data(xs, SSL_get_ex_data_X509_STORE_CTX_idx(), c->ssl) != 1 ||
	    X509_STORE_CTX_set_default(xs, "ssl_server") != 1) {
		tls->verify |= TLS_V_OTHER;
		snprintf(tls->verify_other, sizeof(tls->verify_other), "out of memory");
		X509_STORE_CTX_free(xs);
		ERR_clear_error();
		return;
	}
	param = X509_STORE_CTX_get0_param(xs);
	X509_VERIFY_PARAM_set_depth(param, LIMIT_TLS_CHAIN);
	X509_VERIFY_PARAM_set_auth_level(param, SSL_get_security_level(c->ssl));
	X509_STORE_CTX_set_verify_cb(xs, verify_cb);
	c->pkix_pass = true;
	X509_verify_cert(xs);
	c->pkix_pass = false;
	X509_STORE_CTX_free(xs);
	ERR_clear_error();
}

static void collect_tls(struct conn *c)
{
	struct smtp_tls *tls = &c->r->tls;
	X509 *leaf = SSL_get0_peer_certificate(c->ssl);
	STACK_OF(X509) *sk = SSL_get_peer_cert_chain(c->ssl);
	const ASN1_TIME *na;
	struct tm tm;
	int days = 0, secs = 0;

	tls->done = true;
	snprintf(tls->version, sizeof(tls->version), "%s", SSL_get_version(c->ssl));
	snprintf(tls->cipher, sizeof(tls->cipher), "%s", SSL_get_cipher_name(c->ssl));
	if (c->dane_on) {
		dane_ssl_outcome(c->ssl, c->t->tlsa, c->t->ntlsa, c->dane_err, &c->r->dane);
	}
	if (leaf == NULL) {
		tls->verify |= TLS_V_OTHER;
		snprintf(tls->verify_other, sizeof(tls->verify_other), "no certificate presented");
		return;
	}
	/* The reference identity is the MX host name (RFC 7672 3.2.2):
	 * subjectAltName DNS names only, whole-label wildcards only. The
	 * second check falls back to the CN only when there is no DNS name
	 * at all: it tells a CN-only certificate from one for another name. */
	tls->name_ok =
		X509_check_host(leaf, c->t->host, strlen(c->t->host), SMTP_HOST_FLAGS, NULL) == 1;
	tls->name_cn_only =
		!tls->name_ok && X509_check_host(leaf, c->t->host, strlen(c->t->host),
						 X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) == 1;
	na = X509_get0_notAfter(leaf);
	if (ASN1_TIME_diff(&days, &secs, NULL, na) == 1) {
		tls->days_left = days + secs / 86400.0;
	}
	memset(&tm, 0, sizeof(tm));
	if (ASN1_TIME_to_tm(na, &tm) == 1) {
		strftime(tls->not_after, sizeof(tls->not_after), "%Y-%m-%d %H:%M:%S UTC", &tm);
	}
	tls->subject_len =
		name_text(X509_get_subject_name(leaf), tls->subject, sizeof(tls->subject));
	tls->issuer_len = name_text(X509_get_issuer_name(leaf), tls->issuer, sizeof(tls->issuer));
	for (int i = 0; sk != NULL && i < sk_X509_num(sk) && tls->nchain < LIMIT_TLS_CHAIN; i++) {
		unsigned char *der = NULL;
		int n = i2d_X509(sk_X509_value(sk, i), &der);

		if (n <= 0) {
			break;
		}
		tls->chain[tls->nchain] = der;
		tls->chain_len[tls->nchain++] = (size_t)n;
	}
	if (c->dane_on) {
		pkix_verify(c, leaf, sk);
	}
}

/* OpenSSL's reason for a failed handshake (T-12). */
static void tls_failure(struct conn *c, int sslerr)
{
	unsigned long e = ERR_get_error();
	char buf[160];

	if (e != 0) {
		const char *why = ERR_reason_error_string(e);

		if (why != NULL) {
			snprintf(buf, sizeof(buf), "%s", why);
		} else {
			ERR_error_string_n(e, buf, sizeof(buf));
		}
	} else if (sslerr == SSL_ERROR_SYSCALL && errno != 0) {
		snprintf(buf, sizeof(buf), "%s", strerror(errno));
	} else {
		snprintf(buf, sizeof(buf), "connection closed during the handshake");
	}
	ERR_clear_error();
	finish(c, SMTP_TLS_FAILED, buf);
}

static void handshake(struct conn *c)
{
	int rc, e;

	ERR_clear_error();
	errno = 0;
	rc = SSL_connect(c->ssl);
	if (rc == 1) {
		collect_tls(c);
		finish(c, SMTP_OK, NULL);
		return;
	}
	e = SSL_get_error(c->ssl, rc);
	if (e == SSL_ERROR_WANT_READ) {
		c->tls_events = POLLIN;
	} else if (e == SSL_ERROR_WANT_WRITE) {
		c->tls_events = POLLOUT;
	} else {
		tls_failure(c, e);
	}
}

/*
 * T-10: the first octets the server sends after its 220 must be a TLS
 * record (handshake or alert, content type 22 or 21, version 3.x).
 * Anything else was sent before the handshake: injected plaintext that
 * arrived in a later read than the 220. Seen here as OpenSSL reads it
 * (a read callback on the socket BIO, so no octet can slip past between
 * a look and OpenSSL's read); OpenSSL then fails the handshake on it.
 * The count is what OpenSSL read plus the plaintext lines already
 * waiting on the socket (bounded by one RECV_CHUNK).
 */
static long first_read_cb(BIO *b, int oper, const char *argp, size_t len, int argi, long argl,
			  int ret, size_t *processed)
{
	struct conn *c = (struct conn *)BIO_get_callback_arg(b);
	const uint8_t *p = (const uint8_t *)argp;
	uint8_t more[RECV_CHUNK];
	ssize_t n;
	size_t k;

	(void)len;
	(void)argi;
	(void)argl;
	if (c == NULL || c->tls_first_read || oper != (BIO_CB_READ | BIO_CB_RETURN) || ret <= 0 ||
	    processed == NULL || *processed == 0) {
		return ret;
	}
	c->tls_first_read = true;
	if ((p[0] == 21 || p[0] == 22) && (*processed < 2 || p[1] == 3)) {
		return ret;
	}
	n = recv(c->fd, more, sizeof(more), MSG_PEEK | MSG_DONTWAIT);
	k = n > 0 ? (size_t)n : 0;
	while (k > 0 && more[k - 1] != '\n') {
		k--;
	}
	c->r->injected_late = *processed + k;
	return ret;
}

static void start_tls(struct conn *c)
{
	c->r->tls.days_left = NAN;
	c->ssl = SSL_new(c->ctx);
	if (c->ssl == NULL || SSL_set_fd(c->ssl, c->fd) != 1) {
		ERR_clear_error();
		finish(c, SMTP_TLS_FAILED, "cannot set up TLS");
		return;
	}
	SSL_set_app_data(c->ssl, c);
	BIO_set_callback_ex(SSL_get_rbio(c->ssl), first_read_cb);
	BIO_set_callback_arg(SSL_get_rbio(c->ssl), (char *)c);
	/* RFC 6066 3: SNI with the MX name (RFC 7672 8.1 with DANE). */
	SSL_set_tlsext_host_name(c->ssl, c->t->host);
	/* RFC 7672: the TLSA records are the connection's before its
	 * handshake, so that OpenSSL's verification is the DANE one. */
	if (c->t->ntlsa > 0) {
		const char *base = c->t->tlsa_base != NULL ? c->t->tlsa_base : c->t->host;

		if (!dane_ssl_enable(c->ssl, base, c->t->host, c->t->tlsa, c->t->ntlsa,
				     &c->r->dane)) {
			ERR_clear_error();
			finish(c, SMTP_TLS_FAILED, c->r->dane.detail);
			return;
		}
		c->dane_on = c->r->dane.usable > 0;
	}
	SSL_set_connect_state(c->ssl);
	c->ph = SMTP_PH_HANDSHAKE;
	handshake(c);
}

/* ------------------------------------------------------------ replies */

/* A complete reply in the current phase; rest = octets that came after
 * it in the same read. */
static void on_reply(struct conn *c, const struct smtp_reply *rep, size_t rest)
{
	struct smtp_result *r = c->r;
	int cls = rep->code / 100;

	switch (c->ph) {
	case SMTP_PH_GREETING:
		r->greeting_time = clock_monotonic_now() - c->t_connected;
		keep_text(&r->greeting, rep);
		if (cls != 2) {
			finish(c, SMTP_GREETING_REJECTED, NULL);
			return;
		}
		c->ph = SMTP_PH_EHLO;
		send_cmd(c, "EHLO", c->cfg->helo != NULL ? c->cfg->helo : "localhost");
		return;
	case SMTP_PH_EHLO:
		if (cls == 2) {
			r->reachable = true;
			r->starttls_offered = smtp_reply_has_keyword(rep, "STARTTLS");
			if (c->cfg->starttls && r->starttls_offered && rest > 0) {
				/* T-10: octets after the EHLO reply came before
				 * STARTTLS was sent: a reply ahead of time. TLS
				 * is not started on it. */
				c->ph = SMTP_PH_STARTTLS;
				r->ahead = rest;
				finish(c, SMTP_AHEAD, "reply before the STARTTLS command");
			} else if (c->cfg->starttls && r->starttls_offered) {
				c->ph = SMTP_PH_STARTTLS;
				r->starttls_sent = true;
				send_cmd(c, "STARTTLS", NULL);
			} else {
				finish(c, SMTP_OK, NULL);
			}
			return;
		}
		keep_text(&r->last, rep);
		/* RFC 5321 3.2: a server that does not know EHLO answers 5xx
		 * (500/502/504/550 in practice); the client may then use
		 * HELO. A 4xx is transient and is not retried. */
		if (cls == 5) {
			c->ph = SMTP_PH_HELO;
			send_cmd(c, "HELO", c->cfg->helo != NULL ? c->cfg->helo : "localhost");
			return;
		}
		finish(c, SMTP_EHLO_REJECTED, NULL);
		return;
	case SMTP_PH_HELO:
		if (cls == 2) {
			r->reachable = true;
			r->helo_fallback = true;
			finish(c, SMTP_OK, NULL);
		} else {
			keep_text(&r->last, rep);
			finish(c, SMTP_EHLO_REJECTED, NULL);
		}
		return;
	case SMTP_PH_STARTTLS:
		keep_text(&r->last, rep);
		if (rep->code != 220) {
			finish(c, SMTP_STARTTLS_REFUSED, NULL);
			return;
		}
		/* T-10: whatever came with the 220 was sent before our
		 * ClientHello could be answered: an injection attempt. It is
		 * discarded, never read as if it came over TLS. */
		r->injected = rest;
		start_tls(c);
		return;
	default:
		return;
	}
}

static void do_read(struct conn *c)
{
	uint8_t buf[RECV_CHUNK];
	ssize_t n = recv(c->fd, buf, sizeof(buf), 0);
	size_t off = 0;

	if (n < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			finish_errno(c, SMTP_IO_ERROR, errno);
		}
		return;
	}
	if (n == 0) {
		finish(c, SMTP_CLOSED, "connection closed by the server");
		return;
	}
	while (!c->done && off < (size_t)n && c->ph != SMTP_PH_HANDSHAKE) {
		size_t used = 0;
		enum smtp_rd st = smtp_reader_feed(c->rd, buf + off, (size_t)n - off, &used);

		if (st == SMTP_RD_ERROR) {
			finish(c, SMTP_PROTOCOL, smtp_rd_error_str(smtp_reader_error(c->rd)));
			return;
		}
		off += used;
		if (st == SMTP_RD_MORE) {
			return;
		}
		on_reply(c, smtp_reader_reply(c->rd), (size_t)n - off);
	}
}

/* ------------------------------------------------------------- connect */

static void connected(struct conn *c)
{
	c->t_connected = clock_monotonic_now();
	c->r->connect_time = c->t_connected - c->t0;
	c->ph = SMTP_PH_GREETING;
}

static void start_connect(struct conn *c)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	uint16_t port = c->cfg->port != 0 ? c->cfg->port : 25;

	memset(&ss, 0, sizeof(ss));
	if (c->t->alen == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		memcpy(&sin->sin_addr, c->t->addr, 4);
		sl = sizeof(*sin);
	} else if (c->t->alen == 16) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, c->t->addr, 16);
		sl = sizeof(*sin6);
	} else {
		finish(c, SMTP_CONNECT_FAILED, "not an IPv4 or IPv6 address");
		return;
	}
	c->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (c->fd < 0) {
		finish_errno(c, SMTP_CONNECT_FAILED, errno);
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&ss, sl) == 0) {
		connected(c);
	} else if (errno != EINPROGRESS && errno != EINTR) {
		finish_errno(c, SMTP_CONNECT_FAILED, errno);
	}
}

static void connect_done(struct conn *c)
{
	int soerr = 0;
	socklen_t len = sizeof(soerr);

	if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0) {
		soerr = errno;
	}
	if (soerr != 0) {
		finish_errno(c, SMTP_CONNECT_FAILED, soerr);
		return;
	}
	connected(c);
}

/* ---------------------------------------------------------------- loop */

static short events_of(const struct conn *c)
{
	switch (c->ph) {
	case SMTP_PH_CONNECT:
		return POLLOUT;
	case SMTP_PH_HANDSHAKE:
		return c->tls_events;
	default:
		return (short)(POLLIN | (c->outoff < c->outlen ? POLLOUT : 0));
	}
}

static void step(struct conn *c, short revents)
{
	switch (c->ph) {
	case SMTP_PH_CONNECT:
		connect_done(c);
		return;
	case SMTP_PH_HANDSHAKE:
		handshake(c);
		return;
	default:
		if ((revents & POLLOUT) && c->outoff < c->outlen) {
			flush_out(c);
		}
		if (!c->done && (revents & (POLLIN | POLLHUP | POLLERR))) {
			do_read(c);
		}
		return;
	}
}

static void run_loop(struct conn *cs, size_t n, double deadline)
{
	struct pollfd pfd[LIMIT_SMTP_CONNS];
	size_t idx[LIMIT_SMTP_CONNS];

	for (;;) {
		size_t np = 0;
		double left;
		int k;

		for (size_t i = 0; i < n; i++) {
			if (!cs[i].done) {
				pfd[np].fd = cs[i].fd;
				pfd[np].events = events_of(&cs[i]);
				pfd[np].revents = 0;
				idx[np++] = i;
			}
		}
		if (np == 0) {
			return;
		}
		left = deadline - clock_monotonic_now();
		if (left <= 0) {
			for (size_t j = 0; j < np; j++) {
				finish(&cs[idx[j]], SMTP_TIMEOUT, NULL);
			}
			return;
		}
		k = poll(pfd, (nfds_t)np, (int)ceil(left * 1000));
		if (k < 0) {
			if (errno == EINTR) {
				continue;
			}
			for (size_t j = 0; j < np; j++) {
				finish_errno(&cs[idx[j]], SMTP_IO_ERROR, errno);
			}
			return;
		}
		for (size_t j = 0; j < np; j++) {
			if (pfd[j].revents != 0 && !cs[idx[j]].done) {
				step(&cs[idx[j]], pfd[j].revents);
			}
		}
	}
}

bool smtp_probe_run(const struct smtp_probe_config *cfg, const struct smtp_target *t, size_t n,
		    struct smtp_result *out, char *err, size_t errlen)
{
	struct conn *cs;
	SSL_CTX *ctx = NULL;

	if (n > LIMIT_SMTP_CONNS) {
		snprintf(err, errlen, "more than %d SMTP addresses to probe", LIMIT_SMTP_CONNS);
		return false;
	}
	memset(out, 0, n * sizeof(*out));
	if (n == 0) {
		return true;
	}
	if (cfg->starttls && (ctx = make_ctx(cfg, err, errlen)) == NULL) {
		return false;
	}
	cs = calloc(n, sizeof(*cs));
	if (cs == NULL) {
		snprintf(err, errlen, "out of memory");
		SSL_CTX_free(ctx);
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct conn *c = &cs[i];

		c->t = &t[i];
		c->r = &out[i];
		c->cfg = cfg;
		c->ctx = ctx;
		c->fd = -1;
		c->ph = SMTP_PH_CONNECT;
		c->r->connect_time = -1;
		c->r->greeting_time = -1;
		c->r->tls.days_left = NAN;
		c->t0 = clock_monotonic_now();
		c->rd = smtp_reader_new(0, 0);
		if (c->rd == NULL) {
			finish(c, SMTP_IO_ERROR, "out of memory");
			continue;
		}
		start_connect(c);
	}
	run_loop(cs, n, cfg->deadline);
	free(cs);
	SSL_CTX_free(ctx);
	return true;
}
