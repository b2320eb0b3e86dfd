/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resolver: builds queries and parses replies with ldns, sends them
 * with our own transport (dns_io.c), caches every (name, type) asked and
 * turns replies into struct dns_answer.
 *
 * Two caches: "wire" entries hold what one question put on the wire got
 * back (the IN answer-section RRs of one reply, or why there was none);
 * "answer" entries hold what a caller asked, composed from one or more
 * wire entries by following CNAMEs (RFC 1034 3.6.2). A name on a CNAME
 * chain is asked once, however many callers' chains pass through it.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <netinet/in.h>

#include <ldns/ldns.h>

#include "addrclass.h"
#include "dns_io.h"
#include "dns_rdata.h"
#include "dnssec.h"
#include "text.h"
#include "resolver.h"

#define HASH_SIZE   256
#define ARENA_BLOCK 65536

struct arena {
	struct arena *next;
	size_t used, size;
	max_align_t data[];
};

struct wire { /* one (name, type) put on the wire */
	struct wire *next;
	struct dname key;  /* lower-cased */
	struct dname name; /* as first asked */
	uint16_t type;
	uint8_t srv; /* 0: the resolver's servers; k: direct[k-1],
			asked alone with RD=0 */
	bool done, queued;
	bool have_reply; /* else status/detail say why not */
	enum res_status status;
	int rcode;
	bool aa, ad, via_tcp, soa_auth;
	size_t nrr;
	struct dns_rr *rr;  /* class IN answer RRs of every type */
	const uint8_t *msg; /* the reply, kept for the validator */
	size_t msglen;
	char server[64];
	double started, finished;
	size_t msg_size;
	char detail[128];
	char skipped[96]; /* as in struct dns_answer */
	unsigned queries;
};

struct ans { /* one (name, type) a caller asked */
	struct ans *next;
	struct ans *order; /* next question asked (srv 0 only) */
	struct dname key;
	uint8_t srv; /* as in struct wire */
	bool done;
	struct dname *chain;    /* LIMIT_CNAME_HOPS, from the arena */
	const struct wire *end; /* the reply the answer came from */
	struct dns_answer a;
};

struct failover { /* one server's failures left behind */
	unsigned count;
	uint8_t why; /* the last one: enum dns_skip or an rcode */
};

struct resolver {
	struct dns_server servers[LIMIT_SERVERS];
	size_t nservers;
	struct failover failover[LIMIT_SERVERS];
	bool tcp_only, dnssec, no_recursion;
	double deadline;
	struct dns_io io;
	unsigned sent, waves;
	unsigned max_queries; /* cfg->max_queries, or LIMIT_QUERIES */
	struct wire *wires[HASH_SIZE];
	struct ans *answers[HASH_SIZE];
	struct arena *arena;
	ldns_buffer *rdbuf;
	/* LIMIT_BATCH of them, malloc'd (not zeroed: build_query() clears
	 * each one it fills): zeroed inside struct resolver they were 51 KiB
	 * of every run's start-up, most runs using a few (issue 10). */
	struct dns_io_query *qs;
	struct wire *inflight[LIMIT_BATCH];
	struct dns_answer oom;     /* returned when memory runs out */
	struct ans *first, **last; /* questions in the order asked */
	int family;
	uint16_t port;
	struct dns_server direct[LIMIT_PROP_SERVERS];
	size_t ndirect;
	struct dnssec_anchor *anchor; /* --trust-anchor: our own validation */
	int64_t rrsig_expire;         /* earliest of the secure answers' */
	const char *anchor_path;      /* for resolver_anchor_problem() */
	char anchor_problem[320];
};

/* ------------------------------------------------------------------ arena */

static void *arena_alloc(struct resolver *res, size_t n)
{
	struct arena *a = res->arena;
	size_t align = sizeof(max_align_t);
	void *p;

	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (a == NULL || a->size - a->used < n) {
		size_t size = n > ARENA_BLOCK / 2 ? n : ARENA_BLOCK;

		a = malloc(sizeof(*a) + size);
		if (a == NULL)
			return NULL;
		a->size = size;
		a->used = 0;
		if (n > ARENA_BLOCK / 2 && res->arena != NULL) {
			/* A big block goes behind the current one, so the
			 * current one's free space stays in use. */
			a->next = res->arena->next;
			res->arena->next = a;
		} else {
			a->next = res->arena;
			res->arena = a;
		}
	}
	p = (uint8_t *)a->data + a->used;
	a->used += n;
	return p;
}

/* ------------------------------------------------------------ small texts */

bool res_status_is_answer(enum res_status st)
{
	return st == RES_OK || st == RES_NODATA || st == RES_NXDOMAIN;
}

const char *res_status_str(enum res_status st)
{
	switch (st) {
	case RES_OK:
		return "OK";
	case RES_NODATA:
		return "no data";
	case RES_NXDOMAIN:
		return "NXDOMAIN";
	case RES_SERVFAIL:
		return "SERVFAIL";
	case RES_REFUSED:
		return "REFUSED";
	case RES_RCODE:
		return "error rcode";
	case RES_TIMEOUT:
		return "timeout";
	case RES_MALFORMED:
		return "malformed reply";
	case RES_NETERR:
		return "network error";
	case RES_CNAME_LOOP:
		return "CNAME loop";
	case RES_CNAME_LONG:
		return "CNAME chain too long";
	case RES_INSECURE:
		return "not authenticated";
	case RES_BOGUS:
		return "DNSSEC bogus";
	}
	return "?";
}

static const char *rcode_str(int rcode, char *buf, size_t len)
{
	static const char *const names[] = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN",
					    "NOTIMP",  "REFUSED", "YXDOMAIN", "YXRRSET",
					    "NXRRSET", "NOTAUTH", "NOTZONE"};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		snprintf(buf, len, "%s", names[rcode]);
	else
		snprintf(buf, len, "RCODE%d", rcode);
	return buf;
}

char *answer_describe(const struct dns_answer *ans, char *buf, size_t len)
{
	char name[DNAME_TEXT_MAX], tb[16], rb[16];
	char hop[DNAME_TEXT_MAX];
	/* "name/TYPE", or "target/TYPE (CNAME of name)" when the failing
	 * query was the end of a CNAME chain: naming the alias alone sends
	 * the reader to the wrong zone (RFC 1034 3.6.2). */
	char qt[2 * DNAME_TEXT_MAX + 40];
	const char *q = dname_to_text(&ans->qname, name, sizeof(name));
	const char *t = dns_type_str(ans->qtype, tb, sizeof(tb));
	const char *at = q; /* the name the failing query asked */
	bool hopped = ans->ncname > 0 && ans->cname != NULL && ans->status != RES_OK &&
		      ans->status != RES_CNAME_LOOP && ans->status != RES_CNAME_LONG &&
		      ans->status != RES_INSECURE && ans->status != RES_BOGUS;

	if (hopped) {
		at = dname_to_text(&ans->cname[ans->ncname - 1], hop, sizeof(hop));
		snprintf(qt, sizeof(qt), "%s/%s (CNAME of %s)", at, t, q);
	} else {
		snprintf(qt, sizeof(qt), "%s/%s", q, t);
	}

	switch (ans->status) {
	case RES_OK:
		snprintf(buf, len, "%s: %zu record%s via %s", qt, ans->nrr,
			 ans->nrr == 1 ? "" : "s", ans->server);
		break;
	case RES_NODATA:
		if (hopped)
			snprintf(buf, len,
				 "no %s record for %s (CNAME of %s, "
				 "via %s)",
				 t, at, q, ans->server);
		else
			snprintf(buf, len, "no %s record for %s (via %s)", t, q, ans->server);
		break;
	case RES_NXDOMAIN:
		snprintf(buf, len, "NXDOMAIN for %s via %s", qt, ans->server);
		break;
	case RES_SERVFAIL:
	case RES_REFUSED:
	case RES_RCODE:
		snprintf(buf, len, "DNS %s for %s via %s", rcode_str(ans->rcode, rb, sizeof(rb)),
			 qt, ans->server);
		break;
	case RES_TIMEOUT:
		if (ans->detail[0] != '\0' && strncmp(ans->detail, "no reply", 8) != 0)
			snprintf(buf, len,
				 "DNS timeout for %s via %s after "
				 "%.1fs: %s",
				 qt, ans->server, ans->elapsed, ans->detail);
		else
			snprintf(buf, len,
				 "DNS timeout for %s via %s after "
				 "%.1fs",
				 qt, ans->server, ans->elapsed);
		break;
	case RES_MALFORMED:
		snprintf(buf, len, "malformed DNS reply for %s via %s: %s", qt, ans->server,
			 ans->detail);
		break;
	case RES_NETERR:
		snprintf(buf, len, "DNS network error for %s via %s: %s", qt, ans->server,
			 ans->detail);
		break;
	case RES_CNAME_LOOP:
		snprintf(buf, len, "CNAME loop at %s (asking %s)", ans->detail, qt);
		break;
	case RES_CNAME_LONG:
		snprintf(buf, len, "CNAME chain longer than %d for %s", LIMIT_CNAME_HOPS, qt);
		break;
	case RES_BOGUS:
		snprintf(buf, len, "DNSSEC bogus answer for %s via %s: %s", qt, ans->server,
			 ans->detail);
		break;
	case RES_INSECURE:
		snprintf(buf, len, "DNS answer for %s via %s is insecure: %s", qt, ans->server,
			 ans->detail);
		break;
	}
	/* Every server failed: name the ones left before the last. */
	if (!res_status_is_answer(ans->status) && ans->skipped[0] != '\0') {
		size_t used = strlen(buf);

		if (used + 1 < len)
			snprintf(buf + used, len - used, " (before it: %s)", ans->skipped);
	}
	return buf;
}

/* ----------------------------------------------------------------- lookup */

static unsigned hash(const struct dname *key, uint16_t type, uint8_t srv)
{
	uint32_t h = 2166136261u;
	size_t i;

	for (i = 0; i < key->len; i++)
		h = (h ^ key->wire[i]) * 16777619u;
	h = (h ^ type) * 16777619u;
	h = (h ^ srv) * 16777619u;
	return h % HASH_SIZE;
}

static bool same_key(const struct dname *a, const struct dname *b)
{
	return a->len == b->len && memcmp(a->wire, b->wire, a->len) == 0;
}

static struct wire *wire_get(struct resolver *res, const struct dname *name, uint16_t type,
			     uint8_t srv)
{
	struct dname key;
	unsigned h;
	struct wire *w;

	dname_lower(&key, name);
	h = hash(&key, type, srv);
	for (w = res->wires[h]; w != NULL; w = w->next)
		if (w->type == type && w->srv == srv && same_key(&w->key, &key))
			return w;
	w = arena_alloc(res, sizeof(*w));
	if (w == NULL)
		return NULL;
	memset(w, 0, sizeof(*w));
	w->key = key;
	w->name = *name;
	w->type = type;
	w->srv = srv;
	w->rcode = -1;
	w->next = res->wires[h];
	res->wires[h] = w;
	return w;
}

/* ----------------------------------------------------------------- replies */

static void trace_reply(struct resolver *res, const struct wire *w, const uint8_t *m)
{
	char name[DNAME_TEXT_MAX], tb[16], rb[16];

	if (res->io.trace == NULL)
		return;
	fprintf(res->io.trace,
		"dns: reply %s/%s %s %s id=%u %s %zu RRs "
		"%zu bytes %.3fs\n",
		dname_to_text(&w->name, name, sizeof(name)), dns_type_str(w->type, tb, sizeof(tb)),
		w->via_tcp ? "tcp" : "udp", w->server, (unsigned)(m[0] << 8 | m[1]),
		rcode_str(w->rcode, rb, sizeof(rb)), w->nrr, w->msg_size, w->finished - w->started);
}

/* The -vvv trace shows at most TRACE_RRS answer RRs of a reply, each cut
 * at TRACE_RR_TEXT bytes: a 1000-RR reply or a 64 KiB TXT record must not
 * flood the log. */
#define TRACE_RRS     20
#define TRACE_RR_TEXT 300

/* The answer section of a reply, one RR a line in zone-file form and
 * sanitised (out_bytes(): control bytes, '|' and non-UTF-8 escaped) as
 * it is text from the network (hostile-inputs rule 7). */
static void trace_answers(struct resolver *res, const ldns_pkt *pkt)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	size_t count = an != NULL ? ldns_rr_list_rr_count(an) : 0;

	if (res->io.trace == NULL)
		return;
	for (size_t i = 0; i < count && i < TRACE_RRS; i++) {
		char line[TRACE_RR_TEXT + 1];
		char *text = ldns_rr2str(ldns_rr_list_rr(an, i));
		size_t n;

		if (text == NULL)
			continue;
		n = strlen(text); /* ldns's own presentation text */
		while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == ' '))
			n--;
		for (size_t k = 0; k < n; k++)
			if (text[k] == '\t')
				text[k] = ' ';
		fprintf(res->io.trace, "dns:   %s\n", out_bytes(line, sizeof(line), text, n));
		LDNS_FREE(text);
	}
	if (count > TRACE_RRS)
		fprintf(res->io.trace, "dns:   (%zu more RRs not shown)\n", count - TRACE_RRS);
}

static void malformed(struct wire *w, const char *why)
{
	w->have_reply = false;
	w->status = RES_MALFORMED;
	snprintf(w->detail, sizeof(w->detail), "%s", why);
}

static void parse_reply(struct resolver *res, struct wire *w, const uint8_t *m, size_t len)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *an;
	ldns_status st;
	size_t count, i, k;
	const char *why = NULL;

	w->msg_size = len;
	/* Counts first (rule 4): ANCOUNT 65535 must not make us try. */
	count = (size_t)(m[6] << 8 | m[7]) + (size_t)(m[8] << 8 | m[9]) +
		(size_t)(m[10] << 8 | m[11]);
	if (count > LIMIT_RRS_PER_ANSWER) {
		char text[64];

		snprintf(text, sizeof(text), "too many records (%zu > %d)", count,
			 LIMIT_RRS_PER_ANSWER);
		malformed(w, text);
		return;
	}
	st = ldns_wire2pkt(&pkt, m, len);
	if (st != LDNS_STATUS_OK) {
		malformed(w, ldns_get_errorstr_by_id(st));
		return;
	}
	w->rcode = (int)ldns_pkt_get_rcode(pkt);
	w->aa = ldns_pkt_aa(pkt);
	w->ad = ldns_pkt_ad(pkt);
	an = ldns_pkt_answer(pkt);
	count = an ? ldns_rr_list_rr_count(an) : 0;
	w->rr = count ? arena_alloc(res, count * sizeof(*w->rr)) : NULL;
	if (count && w->rr == NULL) {
		why = "out of memory";
		goto bad;
	}
	for (i = 0, k = 0; i < count; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		const ldns_rdf *owner = ldns_rr_owner(rr);
		struct dns_rr *r = &w->rr[k];
		uint8_t *rd, *txt;

		/* N-RR-03: only class IN; OPT belongs in the additional
		 * section and is no answer data (N-WIRE-07). */
		if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    ldns_rr_get_type(rr) == LDNS_RR_TYPE_OPT)
			continue;
		memset(r, 0, sizeof(*r));
		if (owner == NULL || ldns_rdf_size(owner) == 0 ||
		    ldns_rdf_size(owner) > DNAME_WIRE_MAX) {
			why = "bad owner name";
			goto bad;
		}
		r->owner.len = ldns_rdf_size(owner);
		memcpy(r->owner.wire, ldns_rdf_data(owner), r->owner.len);
		r->type = (uint16_t)ldns_rr_get_type(rr);
		r->rrclass = (uint16_t)ldns_rr_get_class(rr);
		r->ttl = ldns_rr_ttl(rr);
		ldns_buffer_clear(res->rdbuf);
		if (ldns_rr_rdata2buffer_wire(res->rdbuf, rr) != LDNS_STATUS_OK) {
			why = "cannot write rdata";
			goto bad;
		}
		r->rdlen = ldns_buffer_position(res->rdbuf);
		rd = arena_alloc(res, r->rdlen);
		if (rd == NULL) {
			why = "out of memory";
			goto bad;
		}
		memcpy(rd, ldns_buffer_begin(res->rdbuf), r->rdlen);
		r->rdata = rd;
		txt = NULL;
		if ((r->type == DNS_T_TXT || r->type == DNS_T_SPF) &&
		    (txt = arena_alloc(res, r->rdlen)) == NULL) {
			why = "out of memory";
			goto bad;
		}
		if (!dns_rdata_decode(r, txt, &why))
			goto bad;
		k++;
	}
	w->nrr = k;
	/* An SOA in the authority section makes a NODATA at the end of a
	 * CNAME chain final (RFC 2308 2.2); without it we ask again. */
	an = ldns_pkt_authority(pkt);
	for (i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++)
		if (ldns_rr_get_type(ldns_rr_list_rr(an, i)) == LDNS_RR_TYPE_SOA)
			w->soa_auth = true;
	w->have_reply = true;
	if (res->anchor != NULL && (w->msg = arena_alloc(res, len)) != NULL) {
		memcpy((uint8_t *)w->msg, m, len);
		w->msglen = len;
	}
	trace_reply(res, w, m);
	trace_answers(res, pkt);
	ldns_pkt_free(pkt);
	return;
bad:
	ldns_pkt_free(pkt);
	w->nrr = 0;
	malformed(w, why);
}

/* The server a wire entry is asked at (its first one, before a try). */
static const struct dns_server *wire_server(const struct resolver *res, const struct wire *w,
					    size_t srv)
{
	return w->srv ? &res->direct[w->srv - 1] : &res->servers[srv];
}

/* The servers q left for the next one: named in w, counted for the run
 * (direct questions have one server and never skip). */
static void note_skipped(struct resolver *res, struct wire *w, const struct dns_io_query *q)
{
	size_t i, off = 0;

	w->skipped[0] = '\0';
	for (i = 0; i < q->nskipped && w->srv == 0; i++) {
		size_t srv = q->skip_srv[i];
		int n;

		if (srv >= res->nservers)
			continue;
		res->failover[srv].count++;
		res->failover[srv].why = q->skip_why[i];
		n = snprintf(w->skipped + off, sizeof(w->skipped) - off, "%s%s %s", off ? ", " : "",
			     res->servers[srv].name, dns_skip_str(q->skip_why[i]));
		if (n < 0 || (size_t)n >= sizeof(w->skipped) - off)
			break;
		off += (size_t)n;
	}
}

bool resolver_failover_note(const struct resolver *res, size_t i, char *buf, size_t len)
{
	size_t srv;

	for (srv = 0; srv < res->nservers; srv++) {
		const struct failover *f = &res->failover[srv];

		if (f->count == 0 || i-- > 0)
			continue;
		snprintf(buf, len, "%s answered %s to %u question%s", res->servers[srv].name,
			 f->why < 16 ? dns_skip_str(f->why) : "with a broken TCP reply", f->count,
			 f->count == 1 ? "" : "s");
		if (f->why == SKIP_TCP_FAILED)
			snprintf(buf, len, "%s failed over TCP for %u question%s",
				 res->servers[srv].name, f->count, f->count == 1 ? "" : "s");
		return true;
	}
	return false;
}

/* Fills the wire entry from what the transport got for it. */
static void complete(struct resolver *res, struct wire *w, struct dns_io_query *q)
{
	w->done = true;
	w->queries = q->sent;
	w->via_tcp = q->via_tcp;
	w->started = q->started;
	w->finished = q->finished;
	snprintf(w->server, sizeof(w->server), "%s", wire_server(res, w, q->server)->name);
	snprintf(w->detail, sizeof(w->detail), "%s", q->detail);
	note_skipped(res, w, q);
	switch (q->result) {
	case IO_REPLY:
		parse_reply(res, w, q->reply, q->replylen);
		break;
	case IO_MALFORMED:
		w->status = RES_MALFORMED;
		break;
	case IO_NETERR:
		w->status = RES_NETERR;
		break;
	case IO_TIMEOUT:
	case IO_PENDING:
		w->status = RES_TIMEOUT;
		break;
	}
	if (!w->have_reply && res->io.trace != NULL) {
		char name[DNAME_TEXT_MAX], tb[16];

		fprintf(res->io.trace,
			"dns: failed %s/%s %s %s: %s: %s "
			"%.3fs\n",
			dname_to_text(&w->name, name, sizeof(name)),
			dns_type_str(w->type, tb, sizeof(tb)), w->via_tcp ? "tcp" : "udp",
			w->server, res_status_str(w->status), w->detail, w->finished - w->started);
	}
}

static bool build_query(struct resolver *res, struct wire *w, struct dns_io_query *q)
{
	ldns_rdf *owner;
	ldns_pkt *pkt;
	uint8_t *out = NULL;
	size_t len = 0;
	ldns_status st;

	/* Rule 6: the name goes in as wire bytes, never through text. */
	owner = ldns_dname_new_frm_data((uint16_t)w->name.len, w->name.wire);
	if (owner == NULL)
		return false;
	pkt = ldns_pkt_query_new(owner, (ldns_rr_type)w->type, LDNS_RR_CLASS_IN,
				 res->no_recursion || w->srv ? 0 : LDNS_RD);
	if (pkt == NULL) {
		ldns_rdf_deep_free(owner);
		return false;
	}
	ldns_pkt_set_edns_udp_size(pkt, LIMIT_EDNS_BUFSIZE);
	/* --dnssec: DO for the signatures, and CD (RFC 6840 5.9): we
	 * validate, so a validating resolver upstream must hand over what
	 * it would turn into SERVFAIL, for us to name why it is bogus. */
	if (res->dnssec) {
		ldns_pkt_set_edns_do(pkt, true);
		ldns_pkt_set_cd(pkt, true);
	}
	st = ldns_pkt2wire(&out, pkt, &len);
	ldns_pkt_free(pkt);
	if (st != LDNS_STATUS_OK || len < 12) {
		free(out);
		return false;
	}
	memset(q, 0, sizeof(*q));
	q->wire = out;
	q->wirelen = len;
	q->qname = &w->name;
	q->qtype = w->type;
	q->only = w->srv ? &res->direct[w->srv - 1] : NULL;
	return true;
}

/* One round trip: every queued question out, then every reply in. */
static void wave(struct resolver *res, size_t n)
{
	size_t i, m = 0;
	double now = clock_monotonic_now();

	for (i = 0; i < n; i++) {
		struct wire *w = res->inflight[i];

		w->queued = false;
		if (now >= res->deadline || res->sent >= res->max_queries ||
		    !build_query(res, w, &res->qs[m])) {
			w->done = true;
			w->status = now >= res->deadline ? RES_TIMEOUT : RES_NETERR;
			/* the cap is ours, not the network's: say so */
			if (now >= res->deadline)
				snprintf(w->detail, sizeof(w->detail), "no time left to ask");
			else if (res->sent >= res->max_queries)
				snprintf(w->detail, sizeof(w->detail),
					 "not sent: query limit reached (this run "
					 "may send %u queries)",
					 res->max_queries);
			else
				snprintf(w->detail, sizeof(w->detail), "cannot build query");
			snprintf(w->server, sizeof(w->server), "%s", wire_server(res, w, 0)->name);
			w->started = w->finished = now;
			continue;
		}
		res->inflight[m++] = w;
	}
	if (m == 0)
		return;
	res->waves++;
	dns_io_wave(&res->io, res->qs, m);
	for (i = 0; i < m; i++) {
		complete(res, res->inflight[i], &res->qs[i]);
		free(res->qs[i].wire);
		free(res->qs[i].reply);
		res->qs[i].wire = res->qs[i].reply = NULL;
	}
}

/* ---------------------------------------------------------------- answers */

static void fail_from(struct dns_answer *a, const struct wire *w)
{
	a->status = w->status;
	snprintf(a->detail, sizeof(a->detail), "%s", w->detail);
}

static enum res_status rcode_status(int rcode)
{
	switch (rcode) {
	case LDNS_RCODE_SERVFAIL:
		return RES_SERVFAIL;
	case LDNS_RCODE_REFUSED:
		return RES_REFUSED;
	default:
		return RES_RCODE;
	}
}

static bool on_chain(const struct ans *e, size_t n, const struct dname *d)
{
	size_t i;

	if (dname_equal(&e->a.qname, d))
		return true;
	for (i = 0; i < n; i++)
		if (dname_equal(&e->chain[i], d))
			return true;
	return false;
}

/* The RRs of qtype owned by name, copied to the answer. */
static bool take_rrs(struct resolver *res, struct ans *e, const struct wire *w,
		     const struct dname *name)
{
	size_t i, n = 0;
	struct dns_rr *out;

	for (i = 0; i < w->nrr; i++)
		if (w->rr[i].type == e->a.qtype && dname_equal(&w->rr[i].owner, name))
			n++;
	if (n == 0)
		return false;
	out = arena_alloc(res, n * sizeof(*out));
	if (out == NULL)
		return false;
	e->a.rr = out;
	e->a.nrr = n;
	for (i = 0, n = 0; i < w->nrr; i++)
		if (w->rr[i].type == e->a.qtype && dname_equal(&w->rr[i].owner, name))
			out[n++] = w->rr[i];
	return true;
}

static const struct dname *cname_of(const struct wire *w, const struct dname *name)
{
	size_t i;

	for (i = 0; i < w->nrr; i++)
		if (w->rr[i].type == DNS_T_CNAME && dname_equal(&w->rr[i].owner, name))
			return &w->rr[i].u.target;
	return NULL;
}

/*
 * Works out e from the wire cache, following its CNAME chain inside each
 * reply and across queries (N-CN-03). Returns false when it needs the
 * wire entry queued in res->inflight first.
 */
static bool compose(struct resolver *res, struct ans *e, size_t *nqueued)
{
	struct dns_answer *a = &e->a;
	struct dname cur = a->qname;
	size_t nchain = 0;
	unsigned queries = 0;
	double t0 = -1;
	const struct wire *w = NULL;

	for (;;) {
		struct wire *x = wire_get(res, &cur, a->qtype, e->srv);
		bool moved = false;

		if (x == NULL) {
			a->status = RES_NETERR;
			snprintf(a->detail, sizeof(a->detail), "out of memory");
			break;
		}
		if (!x->done) {
			if (!x->queued && *nqueued < LIMIT_BATCH) {
				x->queued = true;
				res->inflight[(*nqueued)++] = x;
			}
			return false;
		}
		w = x;
		queries += w->queries;
		if (t0 < 0 || w->started < t0)
			t0 = w->started;
		if (!w->have_reply) {
			fail_from(a, w);
			break;
		}
		if (w->rcode != LDNS_RCODE_NOERROR && w->rcode != LDNS_RCODE_NXDOMAIN) {
			a->status = rcode_status(w->rcode);
			rcode_str(w->rcode, a->detail, sizeof(a->detail));
			break;
		}
		for (;;) {
			const struct dname *target;

			/* RFC 6604: with NXDOMAIN the data is not used. */
			if (w->rcode == LDNS_RCODE_NOERROR && take_rrs(res, e, w, &cur)) {
				a->status = RES_OK;
				goto done;
			}
			if (a->qtype == DNS_T_CNAME || (target = cname_of(w, &cur)) == NULL)
				break;
			if (on_chain(e, nchain, target)) {
				a->status = RES_CNAME_LOOP;
				dname_to_text(target, a->detail, sizeof(a->detail));
				goto done;
			}
			if (nchain == LIMIT_CNAME_HOPS) {
				a->status = RES_CNAME_LONG;
				snprintf(a->detail, sizeof(a->detail), "CNAME chain longer than %d",
					 LIMIT_CNAME_HOPS);
				goto done;
			}
			if (e->chain == NULL) {
				e->chain = arena_alloc(res, LIMIT_CNAME_HOPS * sizeof(*e->chain));
				if (e->chain == NULL) {
					a->status = RES_NETERR;
					snprintf(a->detail, sizeof(a->detail), "out of memory");
					goto done;
				}
			}
			e->chain[nchain++] = *target;
			cur = *target;
			moved = true;
		}
		if (w->rcode == LDNS_RCODE_NXDOMAIN) {
			a->status = RES_NXDOMAIN;
			break;
		}
		/* The chain left this reply without an end: ask its end
		 * (not for a direct question: that is what the server gave). */
		if (moved && !w->soa_auth && e->srv == 0)
			continue;
		a->status = RES_NODATA;
		break;
	}
done:
	a->cname = e->chain;
	a->ncname = nchain;
	a->queries = queries;
	if (w != NULL) {
		snprintf(a->skipped, sizeof(a->skipped), "%s", w->skipped);
		a->rcode = w->rcode;
		a->aa = w->aa;
		a->ad = w->ad;
		a->via_tcp = w->via_tcp;
		a->msg_size = w->msg_size;
		a->elapsed = w->finished - t0;
		snprintf(a->server, sizeof(a->server), "%s", w->server);
	}
	/* --dnssec: validate_batch() judges the answer from this reply; the
	 * reply's AD bit is not consulted. */
	e->end = w;
	if (a->status != RES_OK)
		a->nrr = 0;
	e->done = true;
	return true;
}

static struct ans *ans_get(struct resolver *res, const struct dname *name, uint16_t type,
			   uint8_t srv)
{
	struct dname key;
	unsigned h;
	struct ans *e;

	dname_lower(&key, name);
	h = hash(&key, type, srv);
	for (e = res->answers[h]; e != NULL; e = e->next)
		if (e->a.qtype == type && e->srv == srv && same_key(&e->key, &key))
			return e;
	e = arena_alloc(res, sizeof(*e));
	if (e == NULL)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->key = key;
	e->a.qname = *name;
	e->a.qtype = type;
	e->a.rcode = -1;
	e->a.status = RES_TIMEOUT;
	e->srv = srv;
	e->next = res->answers[h];
	res->answers[h] = e;
	if (srv == 0) {
		*res->last = e;
		res->last = &e->order;
	}
	return e;
}

/* Answers every entry of out that is not done yet. */
static void run_batch(struct resolver *res, const struct dns_answer **out, size_t n)
{
	size_t i;

	/* Each pass sends what the last one found missing: first the
	 * questions, then the ends of CNAME chains, as waves. */
	for (;;) {
		size_t nq = 0;

		for (i = 0; i < n; i++) {
			struct ans *e;

			if (out[i] == &res->oom)
				continue;
			e = (struct ans *)((char *)out[i] - offsetof(struct ans, a));
			if (!e->done)
				compose(res, e, &nq);
		}
		if (nq == 0)
			break;
		wave(res, nq);
	}
}

/* ------------------------------------------------------------- validation */

/* The validator's questions (DNSKEY, DS), asked as wire entries of their
 * own: cached like every question, one wave for all, never in
 * resolver_questions() (they are the check's means, not its records). */
static void fetch_raw(void *ctx, const struct dnssec_need *q, size_t n, const uint8_t **msg,
		      size_t *len, const char **why)
{
	struct resolver *res = ctx;
	struct wire *w[128]; /* the validator asks 2 * 40 + 1 at most */
	size_t i, nq = 0;

	for (i = 0; i < n && i < sizeof(w) / sizeof(w[0]); i++) {
		w[i] = wire_get(res, &q[i].name, q[i].type, 0);
		if (w[i] != NULL && !w[i]->done && !w[i]->queued && nq < LIMIT_BATCH) {
			w[i]->queued = true;
			res->inflight[nq++] = w[i];
		}
	}
	if (nq > 0)
		wave(res, nq);
	for (i = 0; i < n; i++) {
		const struct wire *x = i < sizeof(w) / sizeof(w[0]) ? w[i] : NULL;

		msg[i] = NULL;
		len[i] = 0;
		why[i] = "out of memory";
		if (x == NULL)
			continue;
		if (!x->have_reply || x->msg == NULL) {
			why[i] = x->detail[0] != '\0' ? x->detail : res_status_str(x->status);
		} else if (x->rcode != LDNS_RCODE_NOERROR && x->rcode != LDNS_RCODE_NXDOMAIN) {
			why[i] = x->rcode == LDNS_RCODE_SERVFAIL ? "SERVFAIL" : "error rcode";
		} else {
			msg[i] = x->msg;
			len[i] = x->msglen;
		}
	}
}

/* One RRset (owner, type) of reply w judged; false (and a set) when it is
 * not secure. */
static bool judge(struct resolver *res, struct dns_answer *a, const struct wire *w,
		  const struct dname *owner, uint16_t type)
{
	/* filled by dnssec_validate(); zeroed so no analyser reads it unset */
	struct dnssec_result r = {0};

	dnssec_validate(res->anchor, fetch_raw, res, owner, type, w->msg, w->msglen, time(NULL),
			&r);
	if (r.outcome == DNSSEC_SECURE) {
		if (a->rrsig_expire == 0 || r.expire < a->rrsig_expire)
			a->rrsig_expire = r.expire;
		if (res->rrsig_expire == 0 || r.expire < res->rrsig_expire)
			res->rrsig_expire = r.expire;
		a->signer = r.zone;
		return true;
	}
	if (r.anchor_elsewhere && res->anchor_problem[0] == '\0')
		snprintf(res->anchor_problem, sizeof(res->anchor_problem),
			 "trust anchor %.60s: %.200s", res->anchor_path, r.reason);
	a->status = r.outcome == DNSSEC_INSECURE ? RES_INSECURE
		    : r.outcome == DNSSEC_BOGUS  ? RES_BOGUS
						 : RES_SERVFAIL;
	if (r.outcome == DNSSEC_ERROR)
		a->rcode = LDNS_RCODE_SERVFAIL;
	a->nrr = 0;
	a->rrsig_expire = 0;
	snprintf(a->detail, sizeof(a->detail), "%.127s", r.reason);
	return false;
}

/* Our own DNSSEC validation of every answer of out not judged yet: the
 * CNAMEs followed, then the RRset or denial at the end of the chain. */
static void validate_batch(struct resolver *res, const struct dns_answer **out, size_t n)
{
	size_t i, k, j;

	for (i = 0; i < n; i++) {
		struct ans *e;
		struct dns_answer *a;
		bool ok = true;

		if (out[i] == &res->oom)
			continue;
		e = (struct ans *)((char *)out[i] - offsetof(struct ans, a));
		a = &e->a;
		if (a->validated || !res_status_is_answer(a->status) || e->end == NULL)
			continue;
		a->validated = true;
		for (k = 0; ok && k < a->ncname; k++) {
			const struct dname *hop = k == 0 ? &a->qname : &a->cname[k - 1];

			for (j = 0; j <= k; j++) {
				const struct dname *at = j == 0 ? &a->qname : &a->cname[j - 1];
				struct wire *x = wire_get(res, at, a->qtype, 0);

				if (x != NULL && x->have_reply && cname_of(x, hop) != NULL) {
					ok = judge(res, a, x, hop, DNS_T_CNAME);
					break;
				}
			}
		}
		if (ok)
			ok = judge(res, a, e->end,
				   a->ncname > 0 ? &a->cname[a->ncname - 1] : &a->qname, a->qtype);
		a->secure = ok;
	}
}

void resolver_query_batch(struct resolver *res, const struct dns_question *q, size_t n,
			  const struct dns_answer **out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		struct ans *e = ans_get(res, &q[i].name, q[i].type, 0);

		out[i] = e ? &e->a : &res->oom;
	}
	run_batch(res, out, n);
	if (res->anchor != NULL)
		validate_batch(res, out, n);
}

/* Index + 1 of server text in res->direct, added when new; 0 with the
 * reason in why when it cannot be used. */
static uint8_t direct_server(struct resolver *res, const char *text, const char **why)
{
	struct dns_server s;
	size_t i;

	if (text == NULL || !dns_server_parse(&s, text, res->port, res->family)) {
		*why = "not a usable server address";
		return 0;
	}
	for (i = 0; i < res->ndirect; i++)
		if (res->direct[i].addrlen == s.addrlen &&
		    memcmp(&res->direct[i].addr, &s.addr, s.addrlen) == 0)
			return (uint8_t)(i + 1);
	if (res->ndirect == LIMIT_PROP_SERVERS) {
		*why = "too many servers asked directly";
		return 0;
	}
	res->direct[res->ndirect++] = s;
	return (uint8_t)res->ndirect;
}

void resolver_query_direct(struct resolver *res, const struct dns_direct_question *q, size_t n,
			   const struct dns_answer **out)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *why = NULL;
		uint8_t srv = direct_server(res, q[i].server, &why);
		struct ans *e;

		if (srv == 0) {
			/* Not cached: an answer of its own saying why. */
			e = arena_alloc(res, sizeof(*e));
			if (e == NULL) {
				out[i] = &res->oom;
				continue;
			}
			memset(e, 0, sizeof(*e));
			e->done = true;
			e->a.qname = q[i].name;
			e->a.qtype = q[i].type;
			e->a.rcode = -1;
			e->a.status = RES_NETERR;
			snprintf(e->a.server, sizeof(e->a.server), "%.40s",
				 q[i].server ? q[i].server : "?");
			snprintf(e->a.detail, sizeof(e->a.detail), "%s", why);
			out[i] = &e->a;
			continue;
		}
		e = ans_get(res, &q[i].name, q[i].type, srv);
		out[i] = e ? &e->a : &res->oom;
	}
	run_batch(res, out, n);
}

size_t resolver_questions(const struct resolver *res, struct dns_question *out, size_t max)
{
	const struct ans *e;
	size_t n = 0;

	for (e = res->first; e != NULL; e = e->order, n++)
		if (n < max) {
			out[n].name = e->a.qname;
			out[n].type = e->a.qtype;
		}
	return n;
}

const struct dns_answer *resolver_query(struct resolver *res, const struct dname *name,
					uint16_t type)
{
	struct dns_question q;
	const struct dns_answer *a;

	q.name = *name;
	q.type = type;
	resolver_query_batch(res, &q, 1, &a);
	return a;
}

bool resolver_dnssec_note(const struct resolver *res, size_t i, char *buf, size_t len)
{
	const struct ans *e;

	for (e = res->first; e != NULL; e = e->order) {
		char name[DNAME_TEXT_MAX], zone[DNAME_TEXT_MAX], tb[16];

		if (!e->a.secure || i-- > 0)
			continue;
		snprintf(buf, len, "%s/%s secure (zone %s)",
			 dname_to_text(&e->a.qname, name, sizeof(name)),
			 dns_type_str(e->a.qtype, tb, sizeof(tb)),
			 dname_to_text(&e->a.signer, zone, sizeof(zone)));
		return true;
	}
	return false;
}

const char *resolver_anchor_problem(const struct resolver *res)
{
	return res->anchor_problem[0] != '\0' ? res->anchor_problem : NULL;
}

int64_t resolver_rrsig_expire(const struct resolver *res)
{
	return res->rrsig_expire;
}

unsigned resolver_queries_sent(const struct resolver *res)
{
	return res->sent;
}

unsigned resolver_queries_left(const struct resolver *res)
{
	return res->sent < res->max_queries ? res->max_queries - res->sent : 0;
}

unsigned resolver_round_trips(const struct resolver *res)
{
	return res->waves;
}

void resolver_set_transport(struct resolver *res, resolver_transport_fn fn, void *ctx)
{
	res->io.fn = fn;
	res->io.fnctx = ctx;
}

/* ------------------------------------------------------------- lifecycle */

struct resolver *resolver_new(const struct resolver_config *cfg, char *err, size_t errlen)
{
	struct resolver *res = calloc(1, sizeof(*res));

	if (res == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (!dns_servers_load(cfg, res->servers, &res->nservers, err, errlen)) {
		free(res);
		return NULL;
	}
	res->tcp_only = cfg->tcp_only;
	res->dnssec = cfg->dnssec;
	res->anchor_path = cfg->trust_anchor != NULL ? cfg->trust_anchor : DNSSEC_DEFAULT_ANCHOR;
	if (cfg->dnssec &&
	    (res->anchor = dnssec_anchor_load(res->anchor_path, err, errlen)) == NULL) {
		free(res);
		return NULL;
	}
	res->no_recursion = cfg->no_recursion;
	res->last = &res->first;
	res->family = cfg->family;
	res->port = cfg->port ? cfg->port : 53;
	res->max_queries = cfg->max_queries ? cfg->max_queries : LIMIT_QUERIES;
	res->deadline = cfg->deadline > 0 ? cfg->deadline : clock_monotonic_now() + 10.0;
	res->io.servers = res->servers;
	res->io.nservers = res->nservers;
	res->io.tcp_only = cfg->tcp_only;
	res->io.deadline = res->deadline;
	res->io.sent = &res->sent;
	res->io.rndpos = sizeof(res->io.rnd);
	res->io.trace = cfg->verbose >= 3 ? (cfg->trace ? cfg->trace : stderr) : NULL;
	res->io.rbuf = malloc(LIMIT_DNS_MESSAGE + 1);
	res->qs = malloc(LIMIT_BATCH * sizeof(*res->qs));
	res->rdbuf = ldns_buffer_new(LIMIT_DNS_MESSAGE);
	res->oom.status = RES_NETERR;
	res->oom.rcode = -1;
	snprintf(res->oom.detail, sizeof(res->oom.detail), "out of memory");
	if (res->io.rbuf == NULL || res->qs == NULL || res->rdbuf == NULL) {
		resolver_free(res);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	return res;
}

void resolver_free(struct resolver *res)
{
	struct arena *a, *next;

	if (res == NULL)
		return;
	for (a = res->arena; a != NULL; a = next) {
		next = a->next;
		free(a);
	}
	if (res->rdbuf != NULL)
		ldns_buffer_free(res->rdbuf);
	dnssec_anchor_free(res->anchor);
	free(res->io.rbuf);
	free(res->qs);
	free(res);
}
