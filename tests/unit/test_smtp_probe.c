/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/smtp_probe.c through its API, against scripted
 * servers in a thread on 127.0.0.1: what each result field holds, the
 * failures that need no server (refused, bad address, past deadline,
 * too many targets, a CA file that does not load).
 */
#include <arpa/inet.h>
#include <check.h>

#include "check_main.h"
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "resolver.h" /* clock_monotonic_now() */
#include "smtp_probe.h"

struct server {
	int lfd;
	uint16_t port;
	const char *script; /* sent at once after accept */
	size_t len;
	const char *ehlo; /* reply to the first command, or NULL */
	char got[512];    /* what the client sent */
	size_t gotlen;
	pthread_t th;
};

static void *serve(void *arg)
{
	struct server *s = arg;
	int fd = accept(s->lfd, NULL, NULL);
	ssize_t n;

	if (fd < 0) {
		return NULL;
	}
	if (s->len > 0 && write(fd, s->script, s->len) < 0) {
		close(fd);
		return NULL;
	}
	/* Read what the client says until it closes (QUIT, then close). */
	while ((n = read(fd, s->got + s->gotlen, sizeof(s->got) - 1 - s->gotlen)) > 0) {
		s->gotlen += (size_t)n;
		if (s->ehlo != NULL && memchr(s->got, '\n', s->gotlen) != NULL) {
			if (write(fd, s->ehlo, strlen(s->ehlo)) < 0) {
				break;
			}
			s->ehlo = NULL;
		}
		if (s->gotlen == sizeof(s->got) - 1) {
			break;
		}
	}
	close(fd);
	return NULL;
}

static void server_start(struct server *s, const char *script, size_t len, const char *ehlo)
{
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);

	memset(s, 0, sizeof(*s));
	s->script = script;
	s->len = len;
	s->ehlo = ehlo;
	s->lfd = socket(AF_INET, SOCK_STREAM, 0);
	ck_assert_int_ge(s->lfd, 0);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s->lfd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(listen(s->lfd, 4), 0);
	ck_assert_int_eq(getsockname(s->lfd, (struct sockaddr *)&sin, &sl), 0);
	s->port = ntohs(sin.sin_port);
	ck_assert_int_eq(pthread_create(&s->th, NULL, serve, s), 0);
}

static void server_stop(struct server *s)
{
	shutdown(s->lfd, SHUT_RDWR);
	pthread_join(s->th, NULL);
	close(s->lfd);
}

static const struct smtp_target loopback = {
	.host = "mx.example.com", .addr = {127, 0, 0, 1}, .alen = 4};

static void probe(uint16_t port, double seconds, const struct smtp_target *t, size_t n,
		  struct smtp_result *out)
{
	struct smtp_probe_config cfg = {0};
	char err[128] = "";

	cfg.port = port;
	cfg.deadline = clock_monotonic_now() + seconds;
	cfg.helo = "probe.example";
	ck_assert_msg(smtp_probe_run(&cfg, t, n, out, err, sizeof(err)), "%s", err);
}

START_TEST(test_ok_multiline)
{
	static const char script[] = "220-mx.example.com hello\r\n220 ready\r\n";
	struct server s;
	struct smtp_result r;

	server_start(&s, script, sizeof(script) - 1, "250-mx\r\n250-STARTTLS\r\n250 8BITMIME\r\n");
	probe(s.port, 5, &loopback, 1, &r);
	server_stop(&s);
	ck_assert_int_eq(r.outcome, SMTP_OK);
	ck_assert_int_eq(r.phase, SMTP_PH_DONE);
	ck_assert(r.reachable);
	ck_assert(r.starttls_offered);
	ck_assert(!r.starttls_sent); /* not asked for */
	ck_assert_int_eq(r.greeting.code, 220);
	ck_assert_uint_eq(r.greeting.nlines, 2);
	ck_assert_uint_eq(r.greeting.len, strlen("mx.example.com hello"));
	ck_assert(memcmp(r.greeting.text, "mx.example.com hello", r.greeting.len) == 0);
	ck_assert(r.connect_time >= 0 && r.greeting_time >= 0);
	/* EHLO with our name, then QUIT (RFC 5321 4.1.1.10). */
	s.got[s.gotlen] = '\0';
	ck_assert_str_eq(s.got, "EHLO probe.example\r\nQUIT\r\n");
	smtp_result_clear(&r);
}
END_TEST

/* T-10: a 220 to STARTTLS in the same read as the EHLO reply came before
 * STARTTLS was sent: SMTP_AHEAD, no STARTTLS sent, no TLS started. */
START_TEST(test_starttls_reply_ahead)
{
	static const char script[] = "220 mx.example.com ready\r\n";
	static const char ehlo[] = "250-mx\r\n250 STARTTLS\r\n220 2.0.0 go ahead\r\n";
	struct smtp_probe_config cfg = {0};
	char err[128] = "";
	struct server s;
	struct smtp_result r;

	server_start(&s, script, sizeof(script) - 1, ehlo);
	cfg.port = s.port;
	cfg.deadline = clock_monotonic_now() + 5;
	cfg.helo = "probe.example";
	cfg.starttls = true;
	ck_assert_msg(smtp_probe_run(&cfg, &loopback, 1, &r, err, sizeof(err)), "%s", err);
	server_stop(&s);
	ck_assert_int_eq(r.outcome, SMTP_AHEAD);
	ck_assert_int_eq(r.phase, SMTP_PH_STARTTLS);
	ck_assert_uint_eq(r.ahead, strlen("220 2.0.0 go ahead\r\n"));
	ck_assert(r.reachable && r.starttls_offered && !r.starttls_sent && !r.tls.done);
	s.got[s.gotlen] = '\0';
	ck_assert_str_eq(s.got, "EHLO probe.example\r\nQUIT\r\n");
	smtp_result_clear(&r);
}
END_TEST

START_TEST(test_greeting_rejected)
{
	static const char script[] = "554 5.7.1 no\r\n";
	struct server s;
	struct smtp_result r;

	server_start(&s, script, sizeof(script) - 1, NULL);
	probe(s.port, 5, &loopback, 1, &r);
	server_stop(&s);
	ck_assert_int_eq(r.outcome, SMTP_GREETING_REJECTED);
	ck_assert_int_eq(r.phase, SMTP_PH_GREETING);
	ck_assert(!r.reachable);
	ck_assert_int_eq(r.greeting.code, 554);
	s.got[s.gotlen] = '\0';
	ck_assert_str_eq(s.got, "QUIT\r\n"); /* RFC 5321 3.1 */
}
END_TEST

/* Half a greeting line, then silence: the probe ends at the deadline,
 * in the greeting phase, with nothing sent. */
START_TEST(test_greeting_timeout)
{
	static const char script[] = "220-half";
	struct server s;
	struct smtp_result r;

	server_start(&s, script, sizeof(script) - 1, NULL);
	probe(s.port, 0.5, &loopback, 1, &r);
	server_stop(&s);
	ck_assert_int_eq(r.outcome, SMTP_TIMEOUT);
	ck_assert_int_eq(r.phase, SMTP_PH_GREETING);
	ck_assert_str_eq(smtp_phase_str(r.phase), "greeting");
	ck_assert(r.connect_time >= 0 && r.greeting_time < 0);
	ck_assert_uint_eq(s.gotlen, 0);
}
END_TEST

START_TEST(test_refused_and_bad_address)
{
	struct smtp_target t[2] = {loopback, {.host = "x.example", .addr = {1, 2, 3}, .alen = 3}};
	struct smtp_result r[2];
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in sin;
	socklen_t sl = sizeof(sin);
	uint16_t port;

	/* A port that was bound and closed: nothing listens there. */
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	probe(port, 5, t, 2, r);
	ck_assert_int_eq(r[0].outcome, SMTP_CONNECT_FAILED);
	ck_assert_str_eq(r[0].detail, "connection refused");
	ck_assert(r[0].connect_time < 0);
	ck_assert_int_eq(r[1].outcome, SMTP_CONNECT_FAILED);
	ck_assert_str_eq(r[1].detail, "not an IPv4 or IPv6 address");
}
END_TEST

START_TEST(test_past_deadline)
{
	struct server s;
	struct smtp_result r;

	server_start(&s, "", 0, NULL);
	probe(s.port, -1, &loopback, 1, &r);
	server_stop(&s);
	ck_assert_int_eq(r.outcome, SMTP_TIMEOUT);
	ck_assert(r.phase == SMTP_PH_CONNECT || r.phase == SMTP_PH_GREETING);
}
END_TEST

START_TEST(test_inputs)
{
	static struct smtp_target many[LIMIT_SMTP_CONNS + 1];
	static struct smtp_result out[LIMIT_SMTP_CONNS + 1];
	struct smtp_probe_config cfg = {0};
	char err[256] = "";
	char path[] = "/tmp/maildns-notca-XXXXXX";
	int fd = mkstemp(path);

	cfg.deadline = clock_monotonic_now() + 1;
	ck_assert(!smtp_probe_run(&cfg, many, LIMIT_SMTP_CONNS + 1, out, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "more than 32"));
	ck_assert(smtp_probe_run(&cfg, many, 0, out, err, sizeof(err)));

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "junk\n", 5), 5);
	close(fd);
	cfg.starttls = true;
	cfg.ca_file = path;
	ck_assert(!smtp_probe_run(&cfg, &loopback, 1, out, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "cannot load CA file"));
	unlink(path);
	smtp_result_clear(NULL);
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("smtp_probe");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_ok_multiline);
	tcase_add_test(tc, test_starttls_reply_ahead);
	tcase_add_test(tc, test_greeting_rejected);
	tcase_add_test(tc, test_greeting_timeout);
	tcase_add_test(tc, test_refused_and_bad_address);
	tcase_add_test(tc, test_past_deadline);
	tcase_add_test(tc, test_inputs);
	suite_add_tcase(s, tc);
	return s;
}
