/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * httpsget: a test-only driver of common/https_fetch.h over the real
 * network, for tests/integration/test_https_fetch.py.
 *
 *   httpsget [-s ADDR]... [-p PORT] [-t SEC] [-4|-6] [--ca-file FILE]
 *            [--max BYTES] [--allow-internal] [--host NAME] URL
 *
 * Resolves the URL's host (or --host) with our resolver (A and AAAA in
 * one batch; -4/-6: only A or AAAA, so only those addresses are tried), fetches the URL with the
 * module under the deadline -t, and prints one field a line: dns A=STATUS AAAA=STATUS error=CLASS
 * https_error_str() detail=TEXT status=N http_version=N content_type=TEXT (has=0|1) location=TEXT
 * (has=0|1) content_encoding=TEXT verify_reason=TEXT body_len=N body_received=N header_bytes=N
 * body_sha256=HEX body_head=TEXT        the first 64 bytes, escaped address=ADDR skipped=ADDR,...
 * elapsed=S Exit 0 for HTTPS_OK, 1 for any other result (also a DNS error), 2 on bad usage.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <openssl/evp.h>

#include "addrclass.h"
#include "https_fetch.h"
#include "output.h"
#include "resolver.h"

static void usage(void)
{
	fprintf(stderr, "usage: httpsget [-s ADDR]... [-p PORT] [-t SEC] [-4|-6] "
			"[--ca-file FILE] [--max BYTES] [--allow-internal] [--host NAME] URL\n");
	exit(2);
}

/* The URL's host with libcurl's parser, as https_fetch() reads it. */
static char *url_host(const char *url)
{
	CURLU *u = curl_url();
	char *h = NULL, *copy = NULL;

	if (u != NULL &&
	    curl_url_set(u, CURLUPART_URL, url, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK) {
		copy = strdup(h);
	}
	curl_free(h);
	curl_url_cleanup(u);
	return copy;
}

static void line(const char *key, const char *text)
{
	printf("%s=%s\n", key, text);
}

int main(int argc, char **argv)
{
	struct resolver_config cfg;
	struct https_request req;
	struct https_result r;
	struct resolver *res = NULL;
	struct ipaddr addrs[LIMIT_HTTPS_ADDRS];
	size_t naddrs = 0;
	const char *url = NULL, *host_opt = NULL;
	char *host = NULL;
	char err[256], buf[1024];
	double timeout = 5;
	int family = 0; /* -4/-6: which addresses to fetch from, as a plugin's */
	int rc = 1;

	memset(&cfg, 0, sizeof(cfg));
	memset(&req, 0, sizeof(req));
	memset(&r, 0, sizeof(r));
	req.max_body = 65536;
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (strcmp(o, "-s") == 0 && i + 1 < argc && cfg.nservers < LIMIT_SERVERS) {
			cfg.servers[cfg.nservers++] = argv[++i];
		} else if (strcmp(o, "-p") == 0 && i + 1 < argc) {
			cfg.port = (uint16_t)strtoul(argv[++i], NULL, 10);
		} else if (strcmp(o, "-t") == 0 && i + 1 < argc) {
			timeout = strtod(argv[++i], NULL);
		} else if (strcmp(o, "--ca-file") == 0 && i + 1 < argc) {
			req.ca_file = argv[++i];
		} else if (strcmp(o, "--max") == 0 && i + 1 < argc) {
			req.max_body = (size_t)strtoull(argv[++i], NULL, 10);
		} else if (strcmp(o, "--host") == 0 && i + 1 < argc) {
			host_opt = argv[++i];
		} else if (strcmp(o, "--allow-internal") == 0) {
			req.allow_internal = true;
		} else if (strcmp(o, "-4") == 0) {
			family = 4;
		} else if (strcmp(o, "-6") == 0) {
			family = 6;
		} else if (o[0] == '-' || url != NULL) {
			usage();
		} else {
			url = o;
		}
	}
	if (url == NULL) {
		usage();
	}
	if (!https_global_init(err, sizeof(err))) {
		printf("error=init\ndetail=%s\n", err);
		return 1;
	}
	cfg.deadline = clock_monotonic_now() + timeout;
	host = host_opt != NULL ? strdup(host_opt) : url_host(url);
	res = resolver_new(&cfg, err, sizeof(err));
	if (res == NULL) {
		printf("error=resolver\ndetail=%s\n", err);
		goto out;
	}
	if (host != NULL) {
		struct dns_question q[2];
		const struct dns_answer *a[2];
		struct dname name;
		const char *why = NULL;
		size_t nq = 0;
		bool more = false;
		unsigned char tmp[16];

		if (inet_pton(AF_INET, host, tmp) == 1 || strchr(host, ':') != NULL ||
		    strchr(host, '[') != NULL) {
			/* An address as host: nothing to resolve; the module says
			 * whether it fetches such a URL. */
			printf("dns none (an address)\n");
		} else if (!dname_from_text(&name, host, strlen(host), 0, &why)) {
			/* Not a host name (an address, junk): the module says why. */
			printf("dns none (%s)\n", why != NULL ? why : "not a name");
		} else {
			if (family != 6) {
				q[nq].name = name;
				q[nq++].type = DNS_T_A;
			}
			if (family != 4) {
				q[nq].name = name;
				q[nq++].type = DNS_T_AAAA;
			}
			resolver_query_batch(res, q, nq, a);
			printf("dns");
			for (size_t k = 0; k < nq; k++) {
				printf(" %s=%s", q[k].type == DNS_T_A ? "A" : "AAAA",
				       res_status_str(a[k]->status));
				if (!res_status_is_answer(a[k]->status)) {
					printf("\ndetail=%s\n",
					       answer_describe(a[k], buf, sizeof(buf)));
					line("error", "dns");
					goto out;
				}
				naddrs = ipaddr_from_answer(a[k], addrs, naddrs, LIMIT_HTTPS_ADDRS,
							    &more);
			}
			printf("\n");
		}
	}
	req.url = url;
	req.addrs = addrs;
	req.naddrs = naddrs;
	req.deadline = cfg.deadline;
	rc = https_fetch(&req, &r) ? 0 : 1;
	line("error", https_error_str(r.error));
	line("detail", r.detail);
	printf("status=%ld\nhttp_version=%d\n", r.status, r.http_version);
	printf("content_type=%s\nhas_content_type=%d\n", r.content_type, r.has_content_type);
	printf("location=%s\nhas_location=%d\n", r.location, r.has_location);
	line("content_encoding", r.content_encoding);
	line("verify_reason", r.verify_reason);
	printf("body_len=%zu\nbody_received=%zu\nheader_bytes=%zu\n", r.body_len, r.body_received,
	       r.header_bytes);
	if (r.body != NULL) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int mdlen = 0;

		if (EVP_Digest(r.body, r.body_len, md, &mdlen, EVP_sha256(), NULL) == 1) {
			printf("body_sha256=");
			for (unsigned int k = 0; k < mdlen; k++) {
				printf("%02x", md[k]);
			}
			printf("\n");
		}
		line("body_head",
		     out_bytes(buf, sizeof(buf), r.body, r.body_len < 64 ? r.body_len : 64));
	}
	line("address", r.address);
	line("skipped", ipaddr_list_text(r.skipped, r.nskipped, buf, sizeof(buf)));
	printf("elapsed=%.3f\n", r.elapsed);
out:
	https_result_clear(&r);
	resolver_free(res);
	free(host);
	https_global_cleanup();
	return rc;
}
