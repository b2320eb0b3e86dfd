/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Fuzz target: DNS reply validation and answer extraction
 * (common/resolver.c and common/dns_io.c below resolver_query()),
 * doc/hostile-inputs.md rules 1, 3, 8 and 10; rows N-RC-*, N-TC-*, N-ID-*,
 * N-WIRE-*, N-RR-*, N-CN-*, N-SIZE-*, N-TXT-* have seeds in
 * tests/fuzz/corpus/dns_answer/.
 *
 * The fuzz input stands in for the server through resolver_set_transport()
 * (the unit tests' seam), against a fixed query for example.com:
 *   byte 0  the type asked: TXT MX A AAAA CNAME PTR SOA TLSA SPF NS
 *   byte 1  bit 0: keep the input's ID (by default the query's ID is
 *           copied in, else nearly every input is an ID mismatch); bit 1:
 *           the input holds its own question section (by default the
 *           query's question is inserted after the 12-byte header, and
 *           the input holds header + records); bit 2: --tcp only; bit 3:
 *           --dnssec; bit 4: every try over UDP gets "no reply" (only TCP
 *           answers)
 *   rest    the reply, given for every try (UDP and TCP) and for every
 *           follow-up query of a CNAME chain.
 * Time is simulated: this file defines clock_monotonic_now() (the
 * library's clock.o is then not linked) and poll(), which with no
 * descriptors (the seam opens none) returns at once and moves the clock
 * on by its timeout. So the real retry schedule of a 10 s deadline runs
 * at full speed, and an ignored reply costs no wall time.
 */
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>

#include "fuzz.h"
#include "resolver.h"

volatile unsigned fuzz_sink;

static double fake_now = 1000.0;

double clock_monotonic_now(void)
{
	return fake_now;
}

/* Overrides libc's (and the sanitizer's interceptor, a weak alias). The
 * seam never opens a socket, so nfds is 0; anything else is a bug here. */
int poll(struct pollfd *fds, nfds_t nfds, int timeout)
{
	(void)fds;
	if (nfds != 0)
		abort();
	if (timeout > 0)
		fake_now += timeout / 1000.0;
	return 0;
}

struct feed {
	const uint8_t *reply;
	size_t len;
	uint8_t mode;
};

/* Length of the question section of a query we built ourselves: the
 * name (uncompressed labels) plus type and class. 0 if it runs off. */
static size_t question_len(const uint8_t *q, size_t qlen)
{
	size_t off = 12;

	while (off < qlen && q[off] != 0)
		off += 1u + q[off];
	if (off + 5 > qlen)
		return 0;
	return off + 5 - 12;
}

static long transport(void *ctx, const uint8_t *query, size_t qlen, bool via_tcp, uint8_t *reply,
		      size_t replymax)
{
	const struct feed *f = ctx;
	size_t n = 0, ql = question_len(query, qlen), hdr;

	if (!via_tcp && (f->mode & 0x10))
		return 0;
	if (!(f->mode & 0x02)) {
		hdr = f->len < 12 ? f->len : 12;
		if (hdr + ql + (f->len - hdr) > replymax)
			return 0;
		memcpy(reply, f->reply, hdr);
		n = hdr;
		if (hdr == 12) {
			memcpy(reply + n, query + 12, ql);
			n += ql;
		}
		memcpy(reply + n, f->reply + hdr, f->len - hdr);
		n += f->len - hdr;
	} else {
		n = f->len < replymax ? f->len : replymax;
		memcpy(reply, f->reply, n);
	}
	if (!(f->mode & 0x01) && n >= 2 && qlen >= 2) {
		reply[0] = query[0];
		reply[1] = query[1];
	}
	return (long)n;
}

static void touch_answer(const struct dns_answer *a)
{
	char buf[512], tb[DNAME_TEXT_MAX];

	fuzz_sink += (unsigned)a->status + (unsigned)a->rcode + a->queries;
	fuzz_sink += (unsigned)res_status_str(a->status)[0];
	fuzz_sink += res_status_is_answer(a->status);
	if (memchr(a->detail, '\0', sizeof(a->detail)) == NULL ||
	    memchr(a->server, '\0', sizeof(a->server)) == NULL)
		abort();
	if (a->ncname > LIMIT_CNAME_HOPS + 1 || a->nrr > LIMIT_RRS_PER_ANSWER)
		abort();
	for (size_t i = 0; i < a->ncname; i++) {
		if (a->cname[i].len > DNAME_WIRE_MAX)
			abort();
		fuzz_sink += (unsigned)strlen(dname_to_text(&a->cname[i], tb, sizeof(tb)));
	}
	for (size_t i = 0; i < a->nrr; i++) {
		const struct dns_rr *rr = &a->rr[i];

		if (rr->type != a->qtype)
			abort(); /* N-RR-01: only the type asked */
		fuzz_sink += fuzz_touch(rr->owner.wire, rr->owner.len);
		fuzz_sink += fuzz_touch(rr->rdata, rr->rdlen);
		switch (rr->type) {
		case DNS_T_TXT:
		case DNS_T_SPF:
			if (rr->u.txt.nstrings > LIMIT_TXT_STRINGS)
				abort();
			fuzz_sink += fuzz_touch(rr->u.txt.data, rr->u.txt.len);
			break;
		case DNS_T_MX:
			fuzz_sink +=
				(unsigned)strlen(dname_to_text(&rr->u.mx.host, tb, sizeof(tb)));
			break;
		case DNS_T_CNAME:
		case DNS_T_PTR:
		case DNS_T_NS:
			fuzz_sink += (unsigned)strlen(dname_to_text(&rr->u.target, tb, sizeof(tb)));
			break;
		case DNS_T_SOA:
			fuzz_sink +=
				(unsigned)strlen(dname_to_text(&rr->u.soa.mname, tb, sizeof(tb)));
			break;
		case DNS_T_TLSA:
			fuzz_sink += fuzz_touch(rr->u.tlsa.data, rr->u.tlsa.len);
			break;
		default:
			fuzz_sink += fuzz_touch(rr->u.addr, 16);
			break;
		}
	}
	fuzz_sink += (unsigned)strlen(answer_describe(a, buf, sizeof(buf)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = {DNS_T_TXT, DNS_T_MX,  DNS_T_A,    DNS_T_AAAA, DNS_T_CNAME,
					 DNS_T_PTR, DNS_T_SOA, DNS_T_TLSA, DNS_T_SPF,  DNS_T_NS};
	struct resolver_config cfg;
	struct resolver *res;
	struct feed f;
	struct dname name;
	uint8_t *copy;
	char err[128];

	if (size < 2)
		return 0;
	copy = (uint8_t *)fuzz_dup(data + 2, size - 2);
	if (copy == NULL)
		return 0;
	f.reply = copy;
	f.len = size - 2;
	f.mode = data[1];

	memset(&cfg, 0, sizeof(cfg));
	cfg.servers[0] = "127.0.0.1";
	cfg.nservers = 1;
	cfg.port = 5300;
	cfg.tcp_only = (f.mode & 0x04) != 0;
	cfg.dnssec = (f.mode & 0x08) != 0;
	cfg.deadline = clock_monotonic_now() + 10.0;
	res = resolver_new(&cfg, err, sizeof(err));
	if (res == NULL)
		abort();
	resolver_set_transport(res, transport, &f);
	if (!dname_from_text(&name, "example.com", 11, 0, NULL))
		abort();
	touch_answer(
		resolver_query(res, &name, types[data[0] % (sizeof(types) / sizeof(types[0]))]));
	/* the same question again comes from the cache, unchanged */
	touch_answer(
		resolver_query(res, &name, types[data[0] % (sizeof(types) / sizeof(types[0]))]));
	if (resolver_queries_sent(res) > LIMIT_QUERIES)
		abort();
	resolver_free(res);
	free(copy);
	return 0;
}
