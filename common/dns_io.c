/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The resolver's transport: our own sockets, one poll() loop, one
 * deadline (doc/hostile-inputs.md rules 1, 2 and 8). ldns is not used here:
 * its resolver accepts any datagram on an unconnected socket and keeps
 * its own timeouts.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns_io.h"

#define UDP_KEEP 2   /* older UDP tries kept open for late replies */
#define TRY_MIN  0.3 /* below this a try gets all that is left */
/* ICMP errors (port or host unreachable) a server may cause before the
 * query fails with it: one retry, since a lone ICMP error is easy to
 * forge and says nothing a second try will not confirm. */
#define REFUSALS_PER_SERVER 2
/* Non-matching datagrams read on one UDP try before its socket is
 * closed (the try's schedule goes on): a flood of them then costs a
 * bounded amount of CPU per try, whatever its rate. */
#define IGNORED_PER_TRY 64
/* Datagrams read per readable event before poll() and the deadline are
 * consulted again. */
#define READS_PER_EVENT 16

_Static_assert(LIMIT_SERVERS <= 32, "failed-server mask is 32 bits");

struct udp_try {
	int fd;
	uint16_t id;
	size_t srv;
	unsigned ignored; /* non-matching datagrams read */
};

enum tcp_state {
	T_NONE,
	T_CONNECT,
	T_WRITE,
	T_READ
};

struct dns_io_try {
	struct udp_try udp[UDP_KEEP];
	size_t udpnext;   /* slot of the next UDP try */
	unsigned attempt; /* tries started */
	double try_end;   /* start the next try then */
	unsigned refused; /* ICMP errors and failed sends */
	uint32_t failed;  /* servers left for good (bit i) */
	/* TCP (after TC=1, or --tcp) */
	enum tcp_state tstate;
	int tfd;
	uint16_t tid;
	size_t tsrv;
	bool after_tc;
	uint8_t *tbuf; /* 2 + LIMIT_DNS_MESSAGE */
	size_t thave, tneed;
	/* test seam: the reply of the last try, processed after all sends */
	uint8_t *pend;
	long pendlen;
	bool pending, pendtcp;
	uint16_t pendid;
};

/* The servers a query may go to: its own one, or the io's in turn. */
static size_t nsrv(const struct dns_io *io, const struct dns_io_query *q)
{
	return q->only != NULL ? 1 : io->nservers;
}

static const struct dns_server *server_at(const struct dns_io *io, const struct dns_io_query *q,
					  size_t srv)
{
	return q->only != NULL ? q->only : &io->servers[srv];
}

static void trace(struct dns_io *io, const struct dns_io_query *q, const char *what, bool tcp,
		  size_t srv, unsigned id, const char *extra)
{
	char name[DNAME_TEXT_MAX], tb[16];

	if (io->trace == NULL)
		return;
	fprintf(io->trace, "dns: %s %s/%s %s %s id=%u%s%s\n", what,
		dname_to_text(q->qname, name, sizeof(name)), dns_type_str(q->qtype, tb, sizeof(tb)),
		tcp ? "tcp" : "udp", server_at(io, q, srv)->name, id, extra ? " " : "",
		extra ? extra : "");
}

/* ------------------------------------------------------------------ tries */

static uint16_t random_id(struct dns_io *io)
{
	uint16_t id;

	if (io->rndpos + 2 > sizeof(io->rnd)) {
		ssize_t r = getrandom(io->rnd, sizeof(io->rnd), 0);
		size_t i;

		for (i = (r > 0 ? (size_t)r : 0); i < sizeof(io->rnd); i++)
			io->rnd[i] = (uint8_t)(rand() ^ (i * 131));
		io->rndpos = 0;
	}
	id = (uint16_t)(io->rnd[io->rndpos] << 8 | io->rnd[io->rndpos + 1]);
	io->rndpos += 2;
	return id;
}

const char *dns_ignore_str(enum dns_ignore why)
{
	switch (why) {
	case IGN_ID:
		return "ID mismatch";
	case IGN_NOT_RESPONSE:
		return "QR=0";
	case IGN_OPCODE:
		return "opcode mismatch";
	case IGN_QUESTION:
		return "question mismatch";
	case IGN_SHORT:
		return "message cut short";
	case IGN_ICMP:
		return "ICMP unreachable";
	default:
		return "?";
	}
}

const char *dns_skip_str(unsigned why)
{
	switch (why) {
	case 2:
		return "SERVFAIL";
	case 4:
		return "NOTIMP";
	case 5:
		return "REFUSED";
	case SKIP_TCP_MISMATCH:
		return "TCP reply not for the query";
	case SKIP_TCP_FAILED:
		return "TCP failed";
	default:
		return "error";
	}
}

static void close_udp(struct dns_io_try *t)
{
	size_t i;

	for (i = 0; i < UDP_KEEP; i++) {
		if (t->udp[i].fd >= 0)
			close(t->udp[i].fd);
		t->udp[i].fd = -1;
	}
}

static void close_tcp(struct dns_io_try *t)
{
	if (t->tfd >= 0)
		close(t->tfd);
	t->tfd = -1;
	t->tstate = T_NONE;
	free(t->tbuf);
	t->tbuf = NULL;
}

static void finish(struct dns_io_query *q, enum dns_io_result r, double now)
{
	struct dns_io_try *t = q->io;

	q->result = r;
	q->finished = now;
	close_udp(t);
	close_tcp(t);
	free(t->pend);
	t->pend = NULL;
	t->pending = false;
}

static void fail(struct dns_io_query *q, enum dns_io_result r, double now, const char *why)
{
	if (q->io->after_tc && r != IO_MALFORMED)
		snprintf(q->detail, sizeof(q->detail), "TC and TCP fallback failed: %s", why);
	else
		snprintf(q->detail, sizeof(q->detail), "%s", why);
	finish(q, r, now);
}

static const char *errno_text(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "connection refused";
	case ECONNRESET:
		return "connection reset";
	case EPIPE:
		return "connection closed";
	default:
		return strerror(e);
	}
}

/* When the try starting now should give way to the next one: a third
 * of what is left, at most 1, 2, 4, 8 s for tries 1, 2, 3, 4+ (rule 2). */
static double try_end(const struct dns_io *io, unsigned attempt, double now)
{
	double left = io->deadline - now;
	double cap = attempt < 3 ? (double)(1u << attempt) : 8.0;
	double t = left / 3;

	if (t > cap)
		t = cap;
	if (t < TRY_MIN)
		t = left;
	return now + t;
}

static void seam_call(struct dns_io *io, struct dns_io_query *q, bool tcp, uint16_t id)
{
	struct dns_io_try *t = q->io;
	long r = io->fn(io->fnctx, q->wire, q->wirelen, tcp, io->rbuf, LIMIT_DNS_MESSAGE);

	if (r > LIMIT_DNS_MESSAGE)
		r = LIMIT_DNS_MESSAGE;
	free(t->pend);
	t->pend = NULL;
	if (r > 0) {
		t->pend = malloc((size_t)r);
		if (t->pend == NULL)
			r = 0;
		else
			memcpy(t->pend, io->rbuf, (size_t)r);
	}
	t->pendlen = r;
	t->pending = r != 0;
	t->pendtcp = tcp;
	t->pendid = id;
}

/* The server for the next try: the rotation's next one that has not
 * failed this query for good; SIZE_MAX when none is left. */
static size_t pick_server(const struct dns_io *io, const struct dns_io_query *q)
{
	size_t n = nsrv(io, q), i;

	for (i = 0; i < n; i++) {
		size_t srv = (q->io->attempt + i) % n;

		if (!(q->io->failed & (UINT32_C(1) << srv)))
			return srv;
	}
	return SIZE_MAX;
}

/* A query is counted once it is on the wire (rule: nothing asked twice
 * is checked against this count). */
static void count_sent(struct dns_io *io, struct dns_io_query *q)
{
	q->sent++;
	(*io->sent)++;
}

static void start_tcp(struct dns_io *io, struct dns_io_query *q, size_t srv, double now);
static void udp_refused(struct dns_io *io, struct dns_io_query *q, int e, double now);

static void start_udp(struct dns_io *io, struct dns_io_query *q, double now)
{
	struct dns_io_try *t = q->io;
	size_t srv = pick_server(io, q);
	const struct dns_server *s;
	struct udp_try *u = &t->udp[t->udpnext];
	uint16_t id;
	int fd = -1;

	if (srv == SIZE_MAX) { /* callers check that one is left */
		fail(q, IO_NETERR, now, "no server left to ask");
		return;
	}
	id = random_id(io);
	s = server_at(io, q, srv);
	t->attempt++;
	t->try_end = try_end(io, t->attempt - 1, now);
	q->server = srv;
	if (u->fd >= 0)
		close(u->fd);
	u->fd = -1;
	t->udpnext = (t->udpnext + 1) % UDP_KEEP;
	q->wire[0] = (uint8_t)(id >> 8);
	q->wire[1] = (uint8_t)id;
	u->id = id;
	u->srv = srv;
	u->ignored = 0; /* the slot's previous try counted its own */
	trace(io, q, "send", false, srv, id, NULL);
	if (io->fn != NULL) {
		count_sent(io, q);
		seam_call(io, q, false, id);
		return;
	}
	fd = socket(s->addr.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) != 0 ||
	    send(fd, q->wire, q->wirelen, 0) < 0) {
		int e = errno;

		if (fd >= 0)
			close(fd);
		udp_refused(io, q, e, now);
		return;
	}
	count_sent(io, q);
	u->fd = fd;
}

static void start_tcp(struct dns_io *io, struct dns_io_query *q, size_t srv, double now)
{
	struct dns_io_try *t = q->io;
	const struct dns_server *s;
	uint16_t id;
	int fd;

	if (srv >= nsrv(io, q)) { /* pick_server() found none left */
		fail(q, IO_NETERR, now, "no server left to ask");
		return;
	}
	s = server_at(io, q, srv);
	id = random_id(io);
	close_tcp(t);
	t->attempt++;
	t->try_end = nsrv(io, q) > 1 ? try_end(io, t->attempt - 1, now) : io->deadline;
	q->server = srv;
	q->via_tcp = true;
	q->wire[0] = (uint8_t)(id >> 8);
	q->wire[1] = (uint8_t)id;
	t->tid = id;
	t->tsrv = srv;
	trace(io, q, "send", true, srv, id, NULL);
	if (io->fn != NULL) {
		count_sent(io, q);
		t->tstate = T_READ;
		seam_call(io, q, true, id);
		return;
	}
	t->tbuf = malloc(2 + LIMIT_DNS_MESSAGE);
	if (t->tbuf == NULL) {
		fail(q, IO_NETERR, now, "out of memory");
		return;
	}
	t->tbuf[0] = (uint8_t)(q->wirelen >> 8);
	t->tbuf[1] = (uint8_t)q->wirelen;
	memcpy(t->tbuf + 2, q->wire, q->wirelen);
	t->thave = 0;
	t->tneed = 2 + q->wirelen;
	fd = socket(s->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fail(q, IO_NETERR, now, errno_text(errno));
		return;
	}
	t->tfd = fd;
	if (connect(fd, (const struct sockaddr *)&s->addr, s->addrlen) == 0)
		t->tstate = T_WRITE;
	else if (errno == EINPROGRESS)
		t->tstate = T_CONNECT;
	else
		fail(q, IO_NETERR, now, errno_text(errno));
}

/* The next try after a timeout or refusal: another UDP try, or over TCP
 * the next server (a lone TCP server keeps its one connection). */
static void next_try(struct dns_io *io, struct dns_io_query *q, double now)
{
	struct dns_io_try *t = q->io;

	if (io->tcp_only || t->tstate != T_NONE || t->after_tc) {
		if (t->after_tc || nsrv(io, q) == 1) {
			t->try_end = io->deadline;
			return;
		}
		start_tcp(io, q, pick_server(io, q), now);
		return;
	}
	start_udp(io, q, now);
}

/*
 * Server srv failed q for good (why: enum dns_skip or an rcode). With
 * another server left, the query goes on there at once and this returns
 * true; otherwise false, and the caller ends the query with its reason.
 */
static bool server_failed(struct dns_io *io, struct dns_io_query *q, size_t srv, unsigned why,
			  double now)
{
	struct dns_io_try *t = q->io;
	size_t k;

	if (srv >= LIMIT_SERVERS || (t->failed & (UINT32_C(1) << srv)))
		return false;
	t->failed |= UINT32_C(1) << srv;
	if (pick_server(io, q) == SIZE_MAX)
		return false; /* the last one: its failure is the answer */
	q->skip_srv[q->nskipped] = (uint8_t)srv;
	q->skip_why[q->nskipped++] = (uint8_t)why;
	trace(io, q, "next server after", t->tstate != T_NONE, srv, 0, dns_skip_str(why));
	for (k = 0; k < UDP_KEEP; k++) {
		if (t->udp[k].fd >= 0 && t->udp[k].srv == srv) {
			close(t->udp[k].fd);
			t->udp[k].fd = -1;
		}
	}
	close_tcp(t);
	t->after_tc = false;
	if (io->tcp_only)
		start_tcp(io, q, pick_server(io, q), now);
	else
		start_udp(io, q, now);
	return true;
}

/* A UDP try got an ICMP error (port or host unreachable) or could not be
 * sent: ignored while tries remain (the next one starts at once), the
 * query's failure once every server has had REFUSALS_PER_SERVER. */
static void udp_refused(struct dns_io *io, struct dns_io_query *q, int e, double now)
{
	struct dns_io_try *t = q->io;

	t->refused++;
	q->ignored[IGN_ICMP]++;
	snprintf(q->detail, sizeof(q->detail), "%s", errno_text(e));
	if (t->refused >= REFUSALS_PER_SERVER * nsrv(io, q))
		fail(q, IO_NETERR, now, errno_text(e));
	else
		t->try_end = now; /* the next try at once */
}

/* ------------------------------------------------------------ matching */

enum verdict {
	V_MATCH,
	V_IGNORE,
	V_SHORT,
	V_TC
};

/*
 * Rule 1: a reply is ours only if ID, QR=1, opcode QUERY, QDCOUNT=1 and
 * the question (name ASCII case-insensitive, type, class IN) match.
 */
static enum verdict check(const struct dns_io_query *q, uint16_t id, const uint8_t *m, size_t len,
			  bool tcp, enum dns_ignore *why, char *detail, size_t dlen)
{
	const struct dname *n = q->qname;
	size_t off = 12, i;

	if (len < 12) {
		snprintf(detail, dlen,
			 "%zu-byte message, shorter than a "
			 "DNS header",
			 len);
		return V_SHORT;
	}
	if ((uint16_t)(m[0] << 8 | m[1]) != id) {
		*why = IGN_ID;
		return V_IGNORE;
	}
	if (!(m[2] & 0x80)) {
		*why = IGN_NOT_RESPONSE;
		return V_IGNORE;
	}
	if (((m[2] >> 3) & 0x0f) != 0) {
		*why = IGN_OPCODE;
		return V_IGNORE;
	}
	if (m[4] != 0 || m[5] != 1) {
		*why = IGN_QUESTION;
		return V_IGNORE;
	}
	/* The question name, uncompressed label by label. */
	for (;;) {
		uint8_t l;

		if (off >= len) {
			snprintf(detail, dlen, "question section incomplete");
			return V_SHORT;
		}
		l = m[off];
		if (l > 63 || off - 12 + 1 + l > DNAME_WIRE_MAX) {
			*why = IGN_QUESTION;
			return V_IGNORE;
		}
		off += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	if (off + 4 > len) {
		snprintf(detail, dlen, "question section incomplete");
		return V_SHORT;
	}
	if (off - 12 != n->len) {
		*why = IGN_QUESTION;
		return V_IGNORE;
	}
	for (i = 0; i < n->len; i++) {
		uint8_t a = m[12 + i], b = n->wire[i];

		if (a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b) {
			*why = IGN_QUESTION;
			return V_IGNORE;
		}
	}
	if ((uint16_t)(m[off] << 8 | m[off + 1]) != q->qtype ||
	    (uint16_t)(m[off + 2] << 8 | m[off + 3]) != 1) {
		*why = IGN_QUESTION;
		return V_IGNORE;
	}
	if (!tcp && (m[2] & 0x02))
		return V_TC;
	return V_MATCH;
}

/*
 * On TCP the connection carries our one query, so a message that does not
 * answer it is a protocol violation: the connection is closed and the
 * server failed (the next one is asked, if any). Reading on would let a
 * server keep us parsing a stream of wrong-ID replies until the deadline.
 */
static void tcp_violation(struct dns_io *io, struct dns_io_query *q, size_t srv, const char *what,
			  double now)
{
	char why[128];

	close_tcp(q->io);
	if (server_failed(io, q, srv, SKIP_TCP_MISMATCH, now))
		return;
	q->server = srv;
	snprintf(why, sizeof(why),
		 "TCP reply %s: protocol violation, "
		 "connection closed",
		 what);
	fail(q, IO_MALFORMED, now, why);
}

/* A message arrived on a try of q (u: its UDP try, NULL for TCP and the
 * test seam); act on it. */
static void handle(struct dns_io *io, struct dns_io_query *q, uint16_t id, size_t srv,
		   struct udp_try *u, const uint8_t *m, size_t len, bool tcp, double now)
{
	enum dns_ignore why = IGN_ID;
	char detail[96], what[112];
	enum verdict v = check(q, id, m, len, tcp, &why, detail, sizeof(detail));
	int rcode;

	switch (v) {
	case V_SHORT:
		if (tcp) {
			trace(io, q, "malformed reply", tcp, srv, id, NULL);
			snprintf(what, sizeof(what), "malformed (%s)", detail);
			tcp_violation(io, q, srv, what, now);
			return;
		}
		/* Over UDP anyone can send a scrap; it proves nothing about
		 * the server, so it is ignored like a wrong ID. */
		why = IGN_SHORT;
		/* fall through */
	case V_IGNORE:
		q->ignored[why]++;
		trace(io, q, "ignored reply", tcp, srv, len >= 2 ? m[0] << 8 | m[1] : 0,
		      dns_ignore_str(why));
		if (tcp) {
			snprintf(what, sizeof(what), "not for the query (%s)", dns_ignore_str(why));
			tcp_violation(io, q, srv, what, now);
			return;
		}
		if (u != NULL && ++u->ignored >= IGNORED_PER_TRY) {
			trace(io, q, "closed after non-matching replies", tcp, srv, u->id, NULL);
			close(u->fd);
			u->fd = -1;
		}
		return;
	case V_TC:
		/* Rule 8: a truncated answer is no answer; ask srv over TCP. */
		trace(io, q, "truncated reply", tcp, srv, id, "(TC=1)");
		close_udp(q->io);
		q->io->after_tc = true;
		start_tcp(io, q, srv, now);
		return;
	case V_MATCH:
		break;
	}
	/* SERVFAIL, NOTIMP and REFUSED are this server's failure, not the
	 * answer: the next server is asked; the last one's reply stands. */
	rcode = m[3] & 0x0f;
	if ((rcode == 2 || rcode == 4 || rcode == 5) &&
	    server_failed(io, q, srv, (unsigned)rcode, now))
		return;
	q->reply = malloc(len ? len : 1);
	if (q->reply == NULL) {
		fail(q, IO_NETERR, now, "out of memory");
		return;
	}
	memcpy(q->reply, m, len);
	q->replylen = len;
	q->server = srv;
	q->via_tcp = tcp;
	finish(q, IO_REPLY, now);
}

/* ----------------------------------------------------------------- events */

/* A bounded number of reads per event, and none past the deadline: a
 * flood of datagrams must not keep control from the poll loop. */
static void udp_readable(struct dns_io *io, struct dns_io_query *q, struct udp_try *u, double now)
{
	unsigned reads;

	for (reads = 0;
	     reads < READS_PER_EVENT && q->result == IO_PENDING && u->fd >= 0 && now < io->deadline;
	     reads++) {
		ssize_t r = recv(u->fd, io->rbuf, LIMIT_DNS_MESSAGE + 1, 0);

		if (r < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return;
			/* An ICMP error on the connected socket: the socket
			 * stays open, a real reply may still come. */
			trace(io, q, "ICMP error", false, u->srv, u->id, errno_text(errno));
			udp_refused(io, q, errno, now);
			continue;
		}
		handle(io, q, u->id, u->srv, u, io->rbuf, (size_t)r, false, now);
		now = clock_monotonic_now();
	}
}

/* A TCP try failed: with --tcp, the next server if one is left. */
static void tcp_failed(struct dns_io *io, struct dns_io_query *q, double now, const char *why)
{
	struct dns_io_try *t = q->io;

	if (server_failed(io, q, t->tsrv, SKIP_TCP_FAILED, now))
		return;
	fail(q, IO_NETERR, now, why);
}

static void tcp_event(struct dns_io *io, struct dns_io_query *q, short ev, double now)
{
	struct dns_io_try *t = q->io;

	if (t->tstate == T_CONNECT) {
		int err = 0;
		socklen_t l = sizeof(err);

		if (getsockopt(t->tfd, SOL_SOCKET, SO_ERROR, &err, &l) != 0)
			err = errno;
		if (err != 0) {
			tcp_failed(io, q, now, errno_text(err));
			return;
		}
		t->tstate = T_WRITE;
	}
	if (t->tstate == T_WRITE) {
		ssize_t w = send(t->tfd, t->tbuf + t->thave, t->tneed - t->thave, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno != EAGAIN && errno != EINTR)
				tcp_failed(io, q, now, errno_text(errno));
			return;
		}
		t->thave += (size_t)w;
		if (t->thave < t->tneed)
			return;
		count_sent(io, q);
		t->tstate = T_READ;
		t->thave = 0;
		t->tneed = 2;
		return;
	}
	if (t->tstate != T_READ || !(ev & (POLLIN | POLLHUP | POLLERR)))
		return;
	/* Partial reads: the deadline, not a per-byte timer, bounds a
	 * slow drip (N-TCP-03) or a stalled length prefix (N-TCP-02). */
	for (;;) {
		ssize_t r = recv(t->tfd, t->tbuf + t->thave, t->tneed - t->thave, 0);

		if (r < 0) {
			if (errno != EAGAIN && errno != EINTR)
				tcp_failed(io, q, now,
					   errno == ECONNRESET ? "TCP connection reset"
							       : errno_text(errno));
			return;
		}
		if (r == 0) {
			tcp_failed(io, q, now,
				   t->thave ? "TCP connection closed mid-reply"
					    : "TCP connection closed");
			return;
		}
		t->thave += (size_t)r;
		if (t->thave < t->tneed)
			continue;
		if (t->tneed == 2) {
			t->tneed = 2 + (size_t)(t->tbuf[0] << 8 | t->tbuf[1]);
			if (t->tneed > 2)
				continue;
		}
		handle(io, q, t->tid, t->tsrv, NULL, t->tbuf + 2, t->tneed - 2, true, now);
		/* One message per connection: whatever handle() did, this
		 * stream is done with (a stream of wrong replies ends here). */
		return;
	}
}

static void seam_deliver(struct dns_io *io, struct dns_io_query *q, double now)
{
	struct dns_io_try *t = q->io;
	uint8_t *m = t->pend;
	long len = t->pendlen;
	bool tcp = t->pendtcp;

	t->pend = NULL;
	t->pending = false;
	if (len < 0) {
		if (tcp)
			tcp_failed(io, q, now, "connection refused");
		else
			udp_refused(io, q, ECONNREFUSED, now);
	} else {
		handle(io, q, t->pendid, q->server, NULL, m, (size_t)len, tcp, now);
	}
	free(m);
}

static void timeout_detail(struct dns_io_query *q, double now)
{
	struct dns_io_try *t = q->io;
	char why[96];
	size_t i, off = 0;
	bool any = false;

	for (i = 0; i < IGN_NMAX; i++) {
		if (q->ignored[i] == 0)
			continue;
		off += (size_t)snprintf(why + off, sizeof(why) - off, "%s%s",
					any ? ", " : "no matching reply (", dns_ignore_str(i));
		if (off >= sizeof(why))
			off = sizeof(why) - 1;
		any = true;
	}
	if (any)
		snprintf(why + off, sizeof(why) - off, ")");
	else if (t->tstate == T_READ && t->thave > 0)
		snprintf(why, sizeof(why),
			 "TCP reply incomplete after %.1fs "
			 "(%zu of %zu bytes)",
			 now - q->started, t->thave > 2 ? t->thave - 2 : 0,
			 t->tneed > 2 ? t->tneed - 2 : 0);
	else if (t->tstate == T_CONNECT)
		snprintf(why, sizeof(why), "TCP connect timed out after %.1fs", now - q->started);
	else
		snprintf(why, sizeof(why), "no reply after %.1fs", now - q->started);
	fail(q, IO_TIMEOUT, now, why);
}

/* ------------------------------------------------------------------ wave */

/* One poll slot per open socket: UDP_KEEP UDP tries and one TCP. */
#define FDS_PER_QUERY (UDP_KEEP + 1)

struct wave_slot {
	size_t q;
	int slot; /* -1: TCP */
};

/*
 * The wave's per-query state lives on the heap, sized by n: as arrays
 * for LIMIT_BATCH on the stack it was a 53 KiB frame, and stack-clash
 * probing touched every page of it in every run of every plugin, most
 * of which ask one to three questions (issue 10: peak RSS).
 */
void dns_io_wave(struct dns_io *io, struct dns_io_query *qs, size_t n)
{
	struct dns_io_try *tries;
	struct pollfd *pfd;
	struct wave_slot *map;
	double now = clock_monotonic_now();
	size_t i, k, maxfds;

	if (n > LIMIT_BATCH)
		n = LIMIT_BATCH;
	if (n == 0)
		return;
	maxfds = n * FDS_PER_QUERY;
	tries = malloc(n * sizeof(*tries));
	pfd = malloc(maxfds * sizeof(*pfd));
	map = malloc(maxfds * sizeof(*map));
	if (tries == NULL || pfd == NULL || map == NULL) {
		for (i = 0; i < n; i++) {
			qs[i].result = IO_NETERR;
			qs[i].reply = NULL;
			qs[i].replylen = 0;
			qs[i].started = qs[i].finished = now;
			snprintf(qs[i].detail, sizeof(qs[i].detail), "out of memory");
		}
		goto out;
	}
	/* Every query goes out before any reply is awaited. */
	for (i = 0; i < n; i++) {
		struct dns_io_query *q = &qs[i];

		memset(&tries[i], 0, sizeof(tries[i]));
		for (k = 0; k < UDP_KEEP; k++)
			tries[i].udp[k].fd = -1;
		tries[i].tfd = -1;
		q->io = &tries[i];
		q->result = IO_PENDING;
		q->reply = NULL;
		q->replylen = 0;
		q->started = now;
		q->detail[0] = '\0';
		if (now >= io->deadline) {
			snprintf(q->detail, sizeof(q->detail), "no time left to ask");
			finish(q, IO_TIMEOUT, now);
		} else if (io->tcp_only)
			start_tcp(io, q, 0, now);
		else
			start_udp(io, q, now);
	}
	for (;;) {
		size_t nfd = 0, pending = 0;
		double wake = io->deadline;
		int ms, r;

		now = clock_monotonic_now();
		for (i = 0; i < n; i++) {
			struct dns_io_query *q = &qs[i];
			struct dns_io_try *t = &tries[i];

			if (q->result == IO_PENDING && t->pending)
				seam_deliver(io, q, now);
			if (q->result == IO_PENDING && now >= io->deadline)
				timeout_detail(q, now);
			if (q->result == IO_PENDING && now >= t->try_end)
				next_try(io, q, now);
			if (q->result != IO_PENDING)
				continue;
			pending++;
			if (t->pending)
				wake = now;
			if (t->try_end < wake)
				wake = t->try_end;
			for (k = 0; k < UDP_KEEP && nfd < maxfds; k++) {
				if (t->udp[k].fd < 0)
					continue;
				pfd[nfd].fd = t->udp[k].fd;
				pfd[nfd].events = POLLIN;
				map[nfd].q = i;
				map[nfd++].slot = (int)k;
			}
			if (t->tfd >= 0 && nfd < maxfds) {
				pfd[nfd].fd = t->tfd;
				pfd[nfd].events = t->tstate == T_READ ? POLLIN : POLLOUT;
				map[nfd].q = i;
				map[nfd++].slot = -1;
			}
		}
		if (pending == 0)
			break;
		ms = wake <= now ? 0 : (int)((wake - now) * 1000.0) + 1;
		r = poll(pfd, (nfds_t)nfd, ms);
		if (r <= 0)
			continue; /* timeout or EINTR: re-check times */
		now = clock_monotonic_now();
		for (i = 0; i < nfd; i++) {
			struct dns_io_query *q = &qs[map[i].q];

			if (pfd[i].revents == 0 || q->result != IO_PENDING)
				continue;
			if (map[i].slot < 0) {
				if (q->io->tfd == pfd[i].fd)
					tcp_event(io, q, pfd[i].revents, now);
			} else {
				struct udp_try *u = &q->io->udp[map[i].slot];

				if (u->fd == pfd[i].fd)
					udp_readable(io, q, u, now);
			}
		}
	}
	for (i = 0; i < n; i++)
		qs[i].io = NULL;
out:
	free(tries);
	free(pfd);
	free(map);
}
