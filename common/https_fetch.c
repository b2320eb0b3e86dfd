/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * One HTTPS GET with libcurl (see https_fetch.h for what it holds to).
 *
 * libcurl does the HTTP and TLS; this file only decides what libcurl may
 * do (which addresses, which protocol, no redirects, no proxy, the name
 * rule, the size cap, the deadline) and turns what came into facts. It
 * parses nothing itself: the URL is read with libcurl's URL API and the
 * headers with curl_easy_header().
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "https_fetch.h"
#include "text.h"
#include "resolver.h"

/*
 * The name rule of SMTP (common/smtp_probe.h SMTP_HOST_FLAGS): the host
 * must be a subjectAltName DNS name, never the subject CN (RFC 6125
 * 6.4.4, RFC 9525 6.3), and no partial-label wildcard ("m*.example.com",
 * RFC 6125 7.2); "*.example.com" is allowed.
 */
#define HTTPS_HOST_FLAGS                                                                           \
	(X509_CHECK_FLAG_NEVER_CHECK_SUBJECT | X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS)

/* The SSL_CTX ex-data index under which the verify callback finds its
 * fetch (https_global_init()); -1 before. */
static int ssl_ctx_index = -1;

struct fetch {
	const struct https_request *req;
	struct https_result *out;
	CURL *h;
	char host[256];
	char shown[300]; /* host escaped, for texts */
	char name[256];  /* host without a final dot: the name certificates
			    carry (RFC 6125 6.2.1), as libcurl sends in SNI */
	struct ipaddr allowed[LIMIT_HTTPS_ADDRS];
	size_t nallowed;
	unsigned char *buf; /* body so far, owned until handed over */
	size_t len, alloc;
	bool too_big;
	bool checked;  /* status and encoding looked at the first body bytes */
	bool unwanted; /* not 200, or encoded: the body is not read */
	bool deadline_hit;
	bool oom;
	bool refused_socket; /* the open-socket gate refused an address */
	char refused[ADDR_TEXT_MAX];
	int verify_err; /* first certificate error, X509_V_OK if none */
	int verify_depth;
	char name_note[128]; /* for a host name mismatch: what the
				certificate names instead (escaped) */
};

const char *https_error_str(enum https_error e)
{
	switch (e) {
	case HTTPS_OK:
		return "ok";
	case HTTPS_E_URL:
		return "bad URL";
	case HTTPS_E_NOT_HTTPS:
		return "not https";
	case HTTPS_E_NO_ADDRESS:
		return "no address";
	case HTTPS_E_INTERNAL:
		return "internal address";
	case HTTPS_E_CONNECT:
		return "connect";
	case HTTPS_E_TLS:
		return "TLS";
	case HTTPS_E_TIMEOUT:
		return "timeout";
	case HTTPS_E_TOO_BIG:
		return "too big";
	case HTTPS_E_REDIRECT:
		return "redirect";
	case HTTPS_E_STATUS:
		return "HTTP status";
	case HTTPS_E_ENCODED:
		return "content encoding";
	case HTTPS_E_PROTOCOL:
		return "protocol";
	case HTTPS_E_LOCAL:
		return "local";
	}
	return "?";
}

bool https_global_init(char *err, size_t errlen)
{
	const curl_version_info_data *v;
	CURLcode rc = curl_global_init(CURL_GLOBAL_DEFAULT);

	if (rc != CURLE_OK) {
		out_setf(err, errlen, "libcurl initialisation failed: %s", curl_easy_strerror(rc));
		return false;
	}
	/* The name rule is set on libcurl's SSL_CTX: that needs its OpenSSL
	 * backend, and HTTP(S) with the options used here (7.85). */
	v = curl_version_info(CURLVERSION_NOW);
	if (v == NULL || v->ssl_version == NULL || strncmp(v->ssl_version, "OpenSSL/", 8) != 0 ||
	    v->version_num < 0x075500) {
		out_setf(err, errlen, "libcurl %s with %s: need 7.85 or later built with OpenSSL",
			 v != NULL && v->version != NULL ? v->version : "?",
			 v != NULL && v->ssl_version != NULL ? v->ssl_version : "no TLS");
		curl_global_cleanup();
		return false;
	}
	ssl_ctx_index = SSL_CTX_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (ssl_ctx_index < 0) {
		out_setf(err, errlen, "OpenSSL: no SSL_CTX ex-data index");
		curl_global_cleanup();
		return false;
	}
	return true;
}

void https_global_cleanup(void)
{
	if (ssl_ctx_index >= 0) {
		CRYPTO_free_ex_index(CRYPTO_EX_INDEX_SSL_CTX, ssl_ctx_index);
		ssl_ctx_index = -1;
	}
	curl_global_cleanup();
}

void https_result_clear(struct https_result *r)
{
	if (r == NULL) {
		return;
	}
	free(r->body);
	r->body = NULL;
	r->body_len = 0;
}

/* ---------------------------------------------------------------- callbacks */

static size_t on_body(char *data, size_t size, size_t n, void *ud)
{
	struct fetch *f = ud;
	size_t len = size * n;

	f->out->body_received += len;
	/* Only a 200 without Content-Encoding has a body we use: another
	 * one (a redirect's page, a 404, gzip) is not read at all.
	 * Returning less than len makes libcurl stop with CURLE_WRITE_ERROR. */
	if (!f->checked) {
		struct curl_header *hh = NULL;
		long st = 0;

		f->checked = true;
		curl_easy_getinfo(f->h, CURLINFO_RESPONSE_CODE, &st);
		f->unwanted = st != 200 || (curl_easy_header(f->h, "Content-Encoding", 0,
							     CURLH_HEADER, -1, &hh) == CURLHE_OK &&
					    hh != NULL && hh->value != NULL &&
					    strcasecmp(hh->value, "identity") != 0);
	}
	if (f->unwanted) {
		return 0;
	}
	/* H-02: refused at the cap, whatever the server announced. */
	if (len > f->req->max_body - f->len) {
		f->too_big = true;
		return 0;
	}
	if (f->len + len + 1 > f->alloc) {
		size_t want = f->alloc < 4096 ? 4096 : f->alloc * 2;
		unsigned char *nb;

		if (want < f->len + len + 1) {
			want = f->len + len + 1;
		}
		if (want > f->req->max_body + 1) {
			want = f->req->max_body + 1;
		}
		nb = realloc(f->buf, want);
		if (nb == NULL) {
			f->oom = true;
			return 0;
		}
		f->buf = nb;
		f->alloc = want;
	}
	memcpy(f->buf + f->len, data, len);
	f->len += len;
	f->buf[f->len] = '\0';
	return len;
}

static size_t on_header(char *data, size_t size, size_t n, void *ud)
{
	struct fetch *f = ud;

	(void)data;
	f->out->header_bytes += size * n;
	return size * n;
}

/* H-03: whatever libcurl is waiting for, the run's deadline ends it. */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct fetch *f = ud;

	(void)dltotal;
	(void)dlnow;
	(void)ultotal;
	(void)ulnow;
	if (clock_monotonic_now() >= f->req->deadline) {
		f->deadline_hit = true;
		return 1;
	}
	return 0;
}

/*
 * H-07 and the one-DNS-path rule, at the last moment: libcurl may open a
 * socket only to an address the caller resolved and we allowed. Anything
 * else (a name libcurl would have resolved itself) is refused here.
 */
static curl_socket_t on_open_socket(void *ud, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct fetch *f = ud;
	struct ipaddr ip;

	memset(&ip, 0, sizeof(ip));
	if (purpose == CURLSOCKTYPE_IPCXN && a->family == AF_INET &&
	    a->addrlen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *s = (const struct sockaddr_in *)(const void *)&a->addr;

		memcpy(ip.b, &s->sin_addr, 4);
		ip.len = 4;
	} else if (purpose == CURLSOCKTYPE_IPCXN && a->family == AF_INET6 &&
		   a->addrlen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *s = (const struct sockaddr_in6 *)(const void *)&a->addr;

		memcpy(ip.b, &s->sin6_addr, 16);
		ip.len = 16;
	}
	if (ip.len == 0 || ipaddr_find(f->allowed, f->nallowed, &ip) == f->nallowed) {
		f->refused_socket = true;
		if (ip.len != 0) {
			addr_to_text(ip.b, ip.len, f->refused, sizeof(f->refused));
		} else {
			out_setf(f->refused, sizeof(f->refused), "(address family %d)", a->family);
		}
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* The DNS names of a certificate, for saying whom it is for (escaped). */
static void cert_names(X509 *leaf, char *buf, size_t len)
{
	GENERAL_NAMES *names = X509_get_ext_d2i(leaf, NID_subject_alt_name, NULL, NULL);
	size_t o = 0;
	int i, n, shown = 0;

	buf[0] = '\0';
	if (names == NULL) {
		return;
	}
	n = sk_GENERAL_NAME_num(names);
	for (i = 0; i < n && shown < 4 && o + 8 < len; i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(names, i);
		char one[80];

		if (g->type != GEN_DNS) {
			continue;
		}
		out_bytes(one, sizeof(one), ASN1_STRING_get0_data(g->d.dNSName),
			  (size_t)ASN1_STRING_length(g->d.dNSName));
		o += (size_t)snprintf(buf + o, len - o, "%s%s", shown ? ", " : "", one);
		if (o >= len) {
			o = len - 1;
		}
		shown++;
	}
	if (shown < n && i < n && o + 5 < len) {
		snprintf(buf + o, len - o, ", ...");
	}
	GENERAL_NAMES_free(names);
}

/*
 * OpenSSL's verification with our host and flags (set in on_ssl_ctx)
 * decides; this only records the first problem and, for a name
 * mismatch, what the certificate would have matched under laxer rules.
 */
static int on_verify(int ok, X509_STORE_CTX *sctx)
{
	SSL *ssl = X509_STORE_CTX_get_ex_data(sctx, SSL_get_ex_data_X509_STORE_CTX_idx());
	struct fetch *f;
	int err = X509_STORE_CTX_get_error(sctx);

	if (ok || ssl == NULL || ssl_ctx_index < 0) {
		return ok;
	}
	f = SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), ssl_ctx_index);
	if (f == NULL || f->verify_err != X509_V_OK) {
		return ok;
	}
	f->verify_err = err;
	f->verify_depth = X509_STORE_CTX_get_error_depth(sctx);
	if (err == X509_V_ERR_HOSTNAME_MISMATCH) {
		X509 *leaf = X509_STORE_CTX_get0_cert(sctx);
		size_t hl = strlen(f->name);
		char names[96];

		if (leaf == NULL) {
			return ok;
		}
		cert_names(leaf, names, sizeof(names));
		if (X509_check_host(leaf, f->name, hl, X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, NULL) ==
		    1) {
			out_setf(f->name_note, sizeof(f->name_note),
				 "%s matches only a partial wildcard (RFC 6125 7.2): %s", f->shown,
				 names);
		} else if (X509_check_host(leaf, f->name, hl, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
					   NULL) == 1) {
			out_setf(f->name_note, sizeof(f->name_note),
				 "%s is only in the subject CN, which is not used (RFC 6125 6.4.4)",
				 f->shown);
		} else if (names[0] != '\0') {
			out_setf(f->name_note, sizeof(f->name_note), "certificate for %s", names);
		} else {
			out_setf(f->name_note, sizeof(f->name_note),
				 "certificate has no DNS subjectAltName");
		}
	}
	return ok;
}

/*
 * libcurl 7.88's own host check (Curl_ossl_verifyhost) accepts the subject
 * CN of a certificate without a DNS subjectAltName. OpenSSL is given the
 * host with our flags too, so its chain verification fails first on
 * such a certificate and the handshake ends with "hostname mismatch".
 */
static CURLcode on_ssl_ctx(CURL *h, void *sslctx, void *ud)
{
	SSL_CTX *ctx = sslctx;
	struct fetch *f = ud;
	X509_VERIFY_PARAM *p = SSL_CTX_get0_param(ctx);

	(void)h;
	if (p == NULL || X509_VERIFY_PARAM_set1_host(p, f->name, 0) != 1 ||
	    SSL_CTX_set_ex_data(ctx, ssl_ctx_index, f) != 1) {
		return CURLE_OUT_OF_MEMORY;
	}
	X509_VERIFY_PARAM_set_hostflags(p, HTTPS_HOST_FLAGS);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, on_verify);
	return CURLE_OK;
}

/* ---------------------------------------------------------------- the fetch */

/* "mta-sts.example.com (192.0.2.80)" or the host alone. */
static void where(const struct fetch *f, char *buf, size_t len)
{
	if (f->out->address[0] != '\0') {
		out_setf(buf, len, "%s (%s)", f->shown, f->out->address);
	} else {
		out_setf(buf, len, "%s", f->shown);
	}
}

static bool fail(struct https_result *out, enum https_error e, const char *fmt, ...)
	PRINTF_LIKE(3, 4);

static bool fail(struct https_result *out, enum https_error e, const char *fmt, ...)
{
	va_list ap;

	out->error = e;
	va_start(ap, fmt);
	vsnprintf(out->detail, sizeof(out->detail), fmt, ap);
	va_end(ap);
	return false;
}

/* The URL's host and port, refusing what we do not fetch. */
static bool parse_url(const char *url, struct fetch *f, char *port, size_t portlen)
{
	struct https_result *out = f->out;
	CURLU *u;
	char *scheme = NULL, *host = NULL, *p = NULL, *user = NULL;
	char shown[160];
	bool ok = false;
	CURLUcode rc;
	unsigned char tmp[16];

	out_bytes(shown, sizeof(shown), url, strlen(url));
	if (strlen(url) > LIMIT_HTTPS_URL) {
		return fail(out, HTTPS_E_URL, "URL over %d bytes: %s", LIMIT_HTTPS_URL, shown);
	}
	u = curl_url();
	if (u == NULL) {
		return fail(out, HTTPS_E_LOCAL, "out of memory");
	}
	/* No guessed scheme: "mta-sts.example.com/x" is not https. */
	rc = curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME);
	if (rc != CURLUE_OK) {
		fail(out, HTTPS_E_URL, "not a URL (%s): %s", curl_url_strerror(rc), shown);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    strcmp(scheme, "https") != 0) {
		fail(out, HTTPS_E_NOT_HTTPS, "not an https URL: %s", shown);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK) {
		fail(out, HTTPS_E_URL, "URL with user information: %s", shown);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK || host[0] == '\0') {
		fail(out, HTTPS_E_URL, "URL without a host: %s", shown);
		goto out;
	}
	/* An address as host would bypass the resolver (and the internal
	 * check would be the only guard): not fetched. */
	if (host[0] == '[' || inet_pton(AF_INET, host, tmp) == 1 ||
	    strlen(host) >= sizeof(f->host)) {
		fail(out, HTTPS_E_URL, "URL host is an address or too long: %s", shown);
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &p, CURLU_DEFAULT_PORT) != CURLUE_OK) {
		fail(out, HTTPS_E_URL, "URL without a port: %s", shown);
		goto out;
	}
	memcpy(f->host, host, strlen(host) + 1);
	out_bytes(f->shown, sizeof(f->shown), host, strlen(host));
	memcpy(f->name, host, strlen(host) + 1);
	if (strlen(f->name) > 1 && f->name[strlen(f->name) - 1] == '.') {
		f->name[strlen(f->name) - 1] = '\0';
	}
	out_setf(port, portlen, "%s", p);
	ok = true;
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(p);
	curl_free(user);
	curl_url_cleanup(u);
	return ok;
}

/* Keep the caller's addresses that may be contacted (H-07). */
static bool pick_addresses(const struct https_request *req, struct fetch *f)
{
	struct https_result *out = f->out;
	char list[256];
	size_t i;

	for (i = 0; i < req->naddrs && i < LIMIT_HTTPS_ADDRS; i++) {
		const struct ipaddr *a = &req->addrs[i];

		if (a->len != 4 && a->len != 16) {
			continue;
		}
		if (!req->allow_internal && addr_class_is_internal(addr_classify(a->b, a->len))) {
			if (ipaddr_find(out->skipped, out->nskipped, a) == out->nskipped) {
				out->skipped[out->nskipped++] = *a;
			}
			continue;
		}
		if (ipaddr_find(f->allowed, f->nallowed, a) == f->nallowed) {
			f->allowed[f->nallowed++] = *a;
		}
	}
	if (f->nallowed > 0) {
		return true;
	}
	if (out->nskipped == 0) {
		return fail(out, HTTPS_E_NO_ADDRESS, "%s has no address to connect to", f->shown);
	}
	ipaddr_list_text(out->skipped, out->nskipped, list, sizeof(list));
	return fail(out, HTTPS_E_INTERNAL, "%s has only internal addresses (%s, %s): not contacted",
		    f->shown, list,
		    addr_class_str(addr_classify(out->skipped[0].b, out->skipped[0].len)));
}

/* "HOST:PORT:ADDR,[ADDR6],..." for CURLOPT_RESOLVE. */
static void resolve_entry(const struct fetch *f, const char *port, char *buf, size_t len)
{
	size_t o = (size_t)snprintf(buf, len, "%s:%s:", f->host, port);

	for (size_t i = 0; i < f->nallowed && o < len; i++) {
		char a[ADDR_TEXT_MAX];

		addr_to_text(f->allowed[i].b, f->allowed[i].len, a, sizeof(a));
		o += (size_t)snprintf(buf + o, len - o, f->allowed[i].len == 16 ? "%s[%s]" : "%s%s",
				      i ? "," : "", a);
	}
}

/* A header of the final response, escaped into buf; false if absent. */
static bool header_value(CURL *h, const char *name, char *buf, size_t len)
{
	struct curl_header *hh = NULL;

	buf[0] = '\0';
	if (curl_easy_header(h, name, 0, CURLH_HEADER, -1, &hh) != CURLHE_OK || hh == NULL ||
	    hh->value == NULL) {
		return false;
	}
	out_bytes(buf, len, hh->value, strlen(hh->value));
	return true;
}

static bool set_options(CURL *h, struct fetch *f, const struct https_request *req,
			struct curl_slist *resolve, char *errbuf)
{
	double left = req->deadline - clock_monotonic_now();
	long ms = left * 1000 < 1 ? 1 : (long)(left * 1000);
	const char *ua =
		req->user_agent != NULL ? req->user_agent : "maildns-plugins/" PACKAGE_VERSION;
	bool ok = true;

#define SET(opt, val) ok = ok && curl_easy_setopt(h, opt, val) == CURLE_OK
	SET(CURLOPT_URL, req->url);
	SET(CURLOPT_ERRORBUFFER, errbuf);
	SET(CURLOPT_NOSIGNAL, 1L); /* the plugin's SIGALRM backstop is its own */
	SET(CURLOPT_PROTOCOLS_STR, "https");
	SET(CURLOPT_REDIR_PROTOCOLS_STR, "https");
	SET(CURLOPT_FOLLOWLOCATION, 0L); /* RFC 8461 3.3, H-01 */
	SET(CURLOPT_PROXY, "");          /* no proxy from the environment */
	SET(CURLOPT_NOPROXY, "*");
	SET(CURLOPT_RESOLVE, resolve);
	SET(CURLOPT_OPENSOCKETFUNCTION, on_open_socket);
	SET(CURLOPT_OPENSOCKETDATA, f);
	SET(CURLOPT_SSL_VERIFYPEER, 1L);
	SET(CURLOPT_SSL_VERIFYHOST, 2L);
	SET(CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	SET(CURLOPT_SSL_CTX_FUNCTION, on_ssl_ctx);
	SET(CURLOPT_SSL_CTX_DATA, f);
	SET(CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	SET(CURLOPT_USERAGENT, ua);
	SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)req->max_body);
	SET(CURLOPT_WRITEFUNCTION, on_body);
	SET(CURLOPT_WRITEDATA, f);
	SET(CURLOPT_HEADERFUNCTION, on_header);
	SET(CURLOPT_HEADERDATA, f);
	SET(CURLOPT_NOPROGRESS, 0L);
	SET(CURLOPT_XFERINFOFUNCTION, on_progress);
	SET(CURLOPT_XFERINFODATA, f);
	SET(CURLOPT_TIMEOUT_MS, ms);
	SET(CURLOPT_CONNECTTIMEOUT_MS, ms);
	if (req->ca_file != NULL) {
		/* The file replaces the system store, as for SMTP. */
		SET(CURLOPT_CAINFO, req->ca_file);
		SET(CURLOPT_CAPATH, (char *)NULL);
	}
#undef SET
	return ok;
}

static void verify_text(const struct fetch *f, char *buf, size_t len)
{
	if (f->verify_err == X509_V_OK) {
		buf[0] = '\0';
	} else if (f->name_note[0] != '\0') {
		out_setf(buf, len, "%s: %s", X509_verify_cert_error_string(f->verify_err),
			 f->name_note);
	} else if (f->verify_depth > 0) {
		out_setf(buf, len, "%s (certificate %d of the chain)",
			 X509_verify_cert_error_string(f->verify_err), f->verify_depth);
	} else {
		out_setf(buf, len, "%s", X509_verify_cert_error_string(f->verify_err));
	}
}

/* What a finished transfer says: the error class and the detail text. */
static void classify(CURL *h, CURLcode rc, struct fetch *f, const char *errbuf)
{
	struct https_result *out = f->out;
	char at[300], why[256];

	where(f, at, sizeof(at));
	/* A body we stopped because it was not wanted, or an announced
	 * length over the cap of a reply that is not a 200: the status
	 * decides below, not the transfer's end. */
	if ((f->unwanted && rc == CURLE_WRITE_ERROR && !f->oom) ||
	    (rc == CURLE_FILESIZE_EXCEEDED && out->status != 200)) {
		rc = CURLE_OK;
	}
	out_bytes(why, sizeof(why), errbuf[0] ? errbuf : curl_easy_strerror(rc),
		  strlen(errbuf[0] ? errbuf : curl_easy_strerror(rc)));
	if (f->oom || rc == CURLE_OUT_OF_MEMORY) {
		fail(out, HTTPS_E_LOCAL, "out of memory fetching from %s", at);
	} else if (rc == CURLE_OPERATION_TIMEDOUT || (f->deadline_hit && rc != CURLE_OK)) {
		fail(out, HTTPS_E_TIMEOUT,
		     "no complete reply from %s by the deadline (%.1f s): %zu header and %zu body "
		     "bytes received",
		     at, out->elapsed, out->header_bytes, out->body_received);
	} else if (f->too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		char cl[32];

		/* libcurl refuses an announced length over the cap before the
		 * body (CURLE_FILESIZE_EXCEEDED); the write callback stops any
		 * other body at the cap. */
		if (header_value(h, "Content-Length", cl, sizeof(cl))) {
			fail(out, HTTPS_E_TOO_BIG,
			     "body from %s is over %zu bytes: Content-Length %s", at,
			     f->req->max_body, cl);
		} else {
			fail(out, HTTPS_E_TOO_BIG, "body from %s is over %zu bytes", at,
			     f->req->max_body);
		}
	} else if (rc == CURLE_PEER_FAILED_VERIFICATION || f->verify_err != X509_V_OK) {
		verify_text(f, out->verify_reason, sizeof(out->verify_reason));
		fail(out, HTTPS_E_TLS, "certificate of %s not accepted: %s", at,
		     out->verify_reason[0] ? out->verify_reason : why);
	} else if (rc == CURLE_SSL_CACERT_BADFILE) {
		fail(out, HTTPS_E_LOCAL, "CA file not usable: %s", why);
	} else if (rc == CURLE_SSL_CONNECT_ERROR || rc == CURLE_SSL_CERTPROBLEM ||
		   rc == CURLE_SSL_CIPHER || rc == CURLE_USE_SSL_FAILED) {
		fail(out, HTTPS_E_TLS, "TLS with %s failed: %s", at, why);
	} else if (rc == CURLE_COULDNT_CONNECT && f->refused_socket) {
		fail(out, HTTPS_E_LOCAL, "%s: address %s is not one given by our resolver: refused",
		     f->shown, f->refused);
	} else if (rc == CURLE_COULDNT_CONNECT) {
		char list[256];

		ipaddr_list_text(f->allowed, f->nallowed, list, sizeof(list));
		fail(out, HTTPS_E_CONNECT, "could not connect to %s at %s: %s", f->shown, list,
		     why);
	} else if (rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_RESOLVE_PROXY) {
		fail(out, HTTPS_E_LOCAL, "libcurl would have resolved %s itself: refused",
		     f->shown);
	} else if (rc == CURLE_UNSUPPORTED_PROTOCOL) {
		fail(out, HTTPS_E_NOT_HTTPS, "%s: %s", f->shown, why);
	} else if (rc != CURLE_OK) {
		fail(out, HTTPS_E_PROTOCOL, "bad reply from %s: %s", at, why);
	} else if (out->status >= 300 && out->status <= 399) {
		/* RFC 8461 3.3: redirects are not followed (H-01). */
		if (out->has_location) {
			fail(out, HTTPS_E_REDIRECT, "HTTP %ld from %s, redirect to %s not followed",
			     out->status, at, out->location);
		} else {
			fail(out, HTTPS_E_REDIRECT,
			     "HTTP %ld from %s (a redirect without Location)", out->status, at);
		}
	} else if (out->status != 200) {
		fail(out, HTTPS_E_STATUS, "HTTP %ld from %s", out->status, at);
	} else if (out->content_encoding[0] != '\0' &&
		   strcasecmp(out->content_encoding, "identity") != 0) {
		/* H-08: never read compressed bytes as the resource. */
		fail(out, HTTPS_E_ENCODED,
		     "body from %s sent with Content-Encoding %s, which was not asked for", at,
		     out->content_encoding);
	} else {
		out->error = HTTPS_OK;
	}
}

static void collect(CURL *h, struct fetch *f)
{
	struct https_result *out = f->out;
	char *ip = NULL;
	long v = 0;

	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &out->status);
	if (curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &v) == CURLE_OK) {
		out->http_version = v == CURL_HTTP_VERSION_1_0   ? 10
				    : v == CURL_HTTP_VERSION_1_1 ? 11
				    : v == CURL_HTTP_VERSION_2_0 ? 20
				    : v == CURL_HTTP_VERSION_3   ? 30
								 : 0;
	}
	if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &ip) == CURLE_OK && ip != NULL) {
		out_setf(out->address, sizeof(out->address), "%s", ip);
	}
	if (out->status > 0) {
		out->has_content_type = header_value(h, "Content-Type", out->content_type,
						     sizeof(out->content_type));
		out->has_location =
			header_value(h, "Location", out->location, sizeof(out->location));
		header_value(h, "Content-Encoding", out->content_encoding,
			     sizeof(out->content_encoding));
	}
}

bool https_fetch(const struct https_request *req, struct https_result *out)
{
	struct fetch f;
	struct curl_slist *resolve = NULL;
	CURL *h = NULL;
	char port[16], entry[LIMIT_HTTPS_ADDRS * (ADDR_TEXT_MAX + 3) + 300];
	char errbuf[CURL_ERROR_SIZE];
	double t0 = clock_monotonic_now();
	CURLcode rc;

	memset(out, 0, sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.req = req;
	f.out = out;
	errbuf[0] = '\0';
	if (req->url == NULL || req->max_body == 0) {
		return fail(out, HTTPS_E_LOCAL, "no URL or no body size given");
	}
	if (ssl_ctx_index < 0) {
		return fail(out, HTTPS_E_LOCAL, "https_global_init() was not called");
	}
	if (!parse_url(req->url, &f, port, sizeof(port)) || !pick_addresses(req, &f)) {
		return false;
	}
	if (t0 >= req->deadline) {
		return fail(out, HTTPS_E_TIMEOUT, "deadline reached before fetching from %s",
			    f.shown);
	}
	resolve_entry(&f, port, entry, sizeof(entry));
	resolve = curl_slist_append(NULL, entry);
	h = curl_easy_init();
	f.h = h;
	if (resolve == NULL || h == NULL) {
		fail(out, HTTPS_E_LOCAL, "out of memory");
		goto out;
	}
	if (!set_options(h, &f, req, resolve, errbuf)) {
		fail(out, HTTPS_E_LOCAL, "libcurl refused an option");
		goto out;
	}
	rc = curl_easy_perform(h);
	out->elapsed = clock_monotonic_now() - t0;
	collect(h, &f);
	classify(h, rc, &f, errbuf);
	if (out->error == HTTPS_OK) {
		if (f.buf == NULL) {
			f.buf = malloc(1);
			if (f.buf == NULL) {
				fail(out, HTTPS_E_LOCAL, "out of memory");
				goto out;
			}
			f.buf[0] = '\0';
		}
		out->body = f.buf;
		out->body_len = f.len;
		f.buf = NULL;
	}
out:
	if (out->elapsed == 0) {
		out->elapsed = clock_monotonic_now() - t0;
	}
	free(f.buf);
	curl_easy_cleanup(h);
	curl_slist_free_all(resolve);
	return out->error == HTTPS_OK;
}
