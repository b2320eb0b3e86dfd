/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Unit tests for common/smtp_reply.c: every case is fed whole, in two
 * pieces split at every point (a stride of points for the big ones), and
 * one byte at a time; all must give the same reply or error
 * (hostile-inputs T-04, T-05, T-10, T-14).
 */
#include <check.h>

#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "smtp_reply.h"

enum gen {
	GEN_NONE,
	GEN_LINE_511_LF,   /* "220 " + 507 x + LF: 512 octets, fits */
	GEN_LINE_510_CRLF, /* "220 " + 506 x + CRLF: 512 octets, fits */
	GEN_LINE_512_NOLF, /* "220-" + 508 x, no line end: T-04 */
	GEN_LINE_511_CRLF, /* "220 " + 507 x + CRLF: 513 octets */
	GEN_ENDLESS,       /* "220-" + 100-byte chunks, no CRLF (T-04) */
	GEN_LINES_100,     /* 99 x "220-l" + "220 end": fits */
	GEN_LINES_101,     /* one more: T-05 */
	GEN_LINES_1000,    /* 1,000-line greeting: T-05 */
	GEN_EHLO_10000,    /* 10,000 "250-" lines: T-14 */
	GEN_BYTES_80K,     /* 200 lines of 400 octets, max_lines 1000: T-14 */
};

struct rd_case {
	const char *name;
	const char *in; /* NULL: generated */
	size_t len;     /* 0: strlen(in) */
	enum gen gen;
	enum smtp_rd want;
	int code;
	size_t nlines;
	const char *first; /* text of line 1 (NULL: not checked) */
	const char *last;  /* text of the last line */
	size_t lastlen;    /* 0: strlen(last) */
	enum smtp_rd_error err;
	size_t used; /* bytes taken for a reply; 0: all */
	size_t max_lines, max_bytes;
};

static const struct rd_case cases[] = {
	{"one line", "220 mx.example ESMTP\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 220, 1,
	 "mx.example ESMTP", "mx.example ESMTP", 0, 0, 0, 0, 0},
	{"T-05 multi-line greeting", "220-a\r\n220-b\r\n220 c\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 220,
	 3, "a", "c", 0, 0, 0, 0, 0},
	{"bare LF ends lines", "220-a\n220 b\n", 0, GEN_NONE, SMTP_RD_REPLY, 220, 2, "a", "b", 0, 0,
	 0, 0, 0},
	{"CRLF and bare LF mixed", "220-a\r\n220 b\n", 0, GEN_NONE, SMTP_RD_REPLY, 220, 2, "a", "b",
	 0, 0, 0, 0, 0},
	{"code alone", "250\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 250, 1, "", "", 0, 0, 0, 0, 0},
	{"empty continuation text", "250-\r\n250 x\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 250, 2, "",
	 "x", 0, 0, 0, 0, 0},
	{"lone CR stays in text", "220 a\rb\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 220, 1, NULL, "a\rb",
	 0, 0, 0, 0, 0},
	{"T-05 NUL in banner kept", "220 a\0b\r\n", 9, GEN_NONE, SMTP_RD_REPLY, 220, 1, NULL,
	 "a\0b", 3, 0, 0, 0, 0},
	{"5xx reply", "554 5.7.1 go away\r\n", 0, GEN_NONE, SMTP_RD_REPLY, 554, 1, NULL,
	 "5.7.1 go away", 0, 0, 0, 0, 0},
	{"T-10 bytes after the reply are left", "220 go ahead\r\n250 injected\r\n", 0, GEN_NONE,
	 SMTP_RD_REPLY, 220, 1, NULL, "go ahead", 0, 0, 14, 0, 0},
	{"incomplete last line", "220-a\r\n220 b", 0, GEN_NONE, SMTP_RD_MORE, 0, 0, NULL, NULL, 0,
	 0, 0, 0, 0},
	{"nothing yet", "", 0, GEN_NONE, SMTP_RD_MORE, 0, 0, NULL, NULL, 0, 0, 0, 0, 0},
	{"T-05 codes differ between lines", "220-a\r\n250 b\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0,
	 NULL, NULL, 0, SMTP_ERR_CODE_MISMATCH, 0, 0, 0},
	{"no code", "hello\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0, SMTP_ERR_SYNTAX,
	 0, 0, 0},
	{"two digits", "22\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0, SMTP_ERR_SYNTAX,
	 0, 0, 0},
	{"bad separator", "220x\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_SYNTAX, 0, 0, 0},
	{"first digit 1", "120 x\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_SYNTAX, 0, 0, 0},
	{"second digit 6", "260 x\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_SYNTAX, 0, 0, 0},
	{"empty line", "\r\n", 0, GEN_NONE, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0, SMTP_ERR_SYNTAX, 0,
	 0, 0},
	{"512 octets with LF fit", NULL, 0, GEN_LINE_511_LF, SMTP_RD_REPLY, 220, 1, NULL, NULL, 0,
	 0, 0, 0, 0},
	{"512 octets with CRLF fit", NULL, 0, GEN_LINE_510_CRLF, SMTP_RD_REPLY, 220, 1, NULL, NULL,
	 0, 0, 0, 0, 0},
	{"T-04 512 octets without line end", NULL, 0, GEN_LINE_512_NOLF, SMTP_RD_ERROR, 0, 0, NULL,
	 NULL, 0, SMTP_ERR_LINE_TOO_LONG, 0, 0, 0},
	{"T-04 513 octets with CRLF", NULL, 0, GEN_LINE_511_CRLF, SMTP_RD_ERROR, 0, 0, NULL, NULL,
	 0, SMTP_ERR_LINE_TOO_LONG, 0, 0, 0},
	{"T-04 endless greeting", NULL, 0, GEN_ENDLESS, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_LINE_TOO_LONG, 0, 0, 0},
	{"T-05 100 lines fit", NULL, 0, GEN_LINES_100, SMTP_RD_REPLY, 220, 100, "l", "end", 0, 0, 0,
	 0, 0},
	{"T-05 101 lines", NULL, 0, GEN_LINES_101, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_TOO_MANY_LINES, 0, 0, 0},
	{"T-05 1,000-line greeting", NULL, 0, GEN_LINES_1000, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_TOO_MANY_LINES, 0, 0, 0},
	{"T-14 10,000 EHLO lines", NULL, 0, GEN_EHLO_10000, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_TOO_MANY_LINES, 0, 0, 0},
	{"T-14 reply over 64 KiB", NULL, 0, GEN_BYTES_80K, SMTP_RD_ERROR, 0, 0, NULL, NULL, 0,
	 SMTP_ERR_TOO_MANY_BYTES, 0, 1000, 0},
};

static uint8_t *gen_lines(size_t n, const char *code, const char *text, const char *lasttext,
			  size_t *len)
{
	size_t tl = strlen(text), cap = n * (tl + 8) + strlen(lasttext) + 8;
	uint8_t *b = malloc(cap);
	size_t o = 0;

	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i + 1 < n; i++) {
		o += (size_t)sprintf((char *)b + o, "%s-%s\r\n", code, text);
	}
	o += (size_t)sprintf((char *)b + o, "%s %s\r\n", code, lasttext);
	*len = o;
	return b;
}

static uint8_t *gen_line(const char *head, size_t nx, const char *tail, size_t *len)
{
	size_t hl = strlen(head), tl = strlen(tail);
	uint8_t *b = malloc(hl + nx + tl + 1);

	ck_assert_ptr_nonnull(b);
	memcpy(b, head, hl);
	memset(b + hl, 'x', nx);
	memcpy(b + hl + nx, tail, tl);
	*len = hl + nx + tl;
	return b;
}

/* The case's input, on the heap (caller frees). */
static uint8_t *input(const struct rd_case *c, size_t *len)
{
	char line400[401];

	switch (c->gen) {
	case GEN_NONE: {
		size_t n = c->len != 0 ? c->len : strlen(c->in);
		uint8_t *b = malloc(n + 1);

		ck_assert_ptr_nonnull(b);
		memcpy(b, c->in, n);
		*len = n;
		return b;
	}
	case GEN_LINE_511_LF:
		return gen_line("220 ", 507, "\n", len);
	case GEN_LINE_510_CRLF:
		return gen_line("220 ", 506, "\r\n", len);
	case GEN_LINE_512_NOLF:
		return gen_line("220-", 508, "", len);
	case GEN_LINE_511_CRLF:
		return gen_line("220 ", 507, "\r\n", len);
	case GEN_ENDLESS:
		return gen_line("220-", 100 * 100, "", len);
	case GEN_LINES_100:
		return gen_lines(100, "220", "l", "end", len);
	case GEN_LINES_101:
		return gen_lines(101, "220", "l", "end", len);
	case GEN_LINES_1000:
		return gen_lines(1000, "220", "greeting line", "end", len);
	case GEN_EHLO_10000:
		return gen_lines(10000, "250", "X-FILLER", "OK", len);
	case GEN_BYTES_80K:
		memset(line400, 'y', 394);
		line400[394] = '\0';
		return gen_lines(200, "250", line400, "end", len);
	}
	*len = 0;
	return NULL;
}

struct outcome {
	enum smtp_rd st;
	enum smtp_rd_error err;
	int code;
	size_t nlines, used;
	uint8_t first[64], last[600];
	size_t firstlen, lastlen;
};

/* Feed in pieces whose ends are at cuts[] (ascending), then the rest. */
static void feed(const struct rd_case *c, const uint8_t *in, size_t len, const size_t *cuts,
		 size_t ncuts, struct outcome *o)
{
	struct smtp_reader *r = smtp_reader_new(c->max_lines, c->max_bytes);
	size_t pos = 0, k = 0;

	ck_assert_ptr_nonnull(r);
	memset(o, 0, sizeof(*o));
	o->st = SMTP_RD_MORE;
	while (pos < len || k == 0) {
		size_t end = k < ncuts ? cuts[k] : len, used = 0;

		k++;
		if (end < pos) {
			continue;
		}
		o->st = smtp_reader_feed(r, in + pos, end - pos, &used);
		if (o->st == SMTP_RD_REPLY) {
			const struct smtp_reply *rep = smtp_reader_reply(r);

			ck_assert_ptr_nonnull(rep);
			o->code = rep->code;
			o->nlines = rep->nlines;
			o->used = pos + used;
			o->firstlen = rep->line[0].len < sizeof(o->first) ? rep->line[0].len
									  : sizeof(o->first);
			memcpy(o->first, rep->line[0].text, o->firstlen);
			o->lastlen = rep->line[rep->nlines - 1].len;
			ck_assert_uint_le(o->lastlen, sizeof(o->last));
			memcpy(o->last, rep->line[rep->nlines - 1].text, o->lastlen);
			break;
		}
		if (o->st == SMTP_RD_ERROR) {
			o->err = smtp_reader_error(r);
			/* Sticky: more bytes change nothing. */
			ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)"250 x\r\n", 7, NULL),
					 SMTP_RD_ERROR);
			break;
		}
		ck_assert_uint_eq(used, end - pos);
		pos = end;
		if (pos >= len) {
			break;
		}
	}
	smtp_reader_free(r);
}

static void expect(const struct rd_case *c, size_t len, const struct outcome *o, const char *how)
{
	ck_assert_msg(o->st == c->want, "%s (%s): status %d, want %d (err %d)", c->name, how, o->st,
		      c->want, o->err);
	if (c->want == SMTP_RD_ERROR) {
		ck_assert_msg(o->err == c->err, "%s (%s): error %d, want %d", c->name, how, o->err,
			      c->err);
	}
	if (c->want != SMTP_RD_REPLY) {
		return;
	}
	ck_assert_int_eq(o->code, c->code);
	ck_assert_uint_eq(o->nlines, c->nlines);
	ck_assert_msg(o->used == (c->used != 0 ? c->used : len), "%s (%s): used %zu", c->name, how,
		      o->used);
	if (c->first != NULL) {
		ck_assert_uint_eq(o->firstlen, strlen(c->first));
		ck_assert(memcmp(o->first, c->first, o->firstlen) == 0);
	}
	if (c->last != NULL) {
		size_t ll = c->lastlen != 0 ? c->lastlen : strlen(c->last);

		ck_assert_msg(o->lastlen == ll, "%s (%s): last line %zu bytes", c->name, how,
			      o->lastlen);
		ck_assert(memcmp(o->last, c->last, ll) == 0);
	}
}

START_TEST(test_whole)
{
	const struct rd_case *c = &cases[_i];
	size_t len;
	uint8_t *in = input(c, &len);
	struct outcome o;

	feed(c, in, len, NULL, 0, &o);
	expect(c, len, &o, "whole");
	free(in);
}
END_TEST

START_TEST(test_split_two)
{
	const struct rd_case *c = &cases[_i];
	size_t len;
	uint8_t *in = input(c, &len);
	size_t step = len > 2000 ? 97 : 1;
	struct outcome o;

	for (size_t cut = 0; cut <= len; cut += step) {
		char how[32];

		snprintf(how, sizeof(how), "split at %zu", cut);
		feed(c, in, len, &cut, 1, &o);
		expect(c, len, &o, how);
	}
	free(in);
}
END_TEST

START_TEST(test_bytewise)
{
	const struct rd_case *c = &cases[_i];
	size_t len;
	uint8_t *in = input(c, &len);
	size_t *cuts = malloc((len + 1) * sizeof(*cuts));
	struct outcome o;

	ck_assert_ptr_nonnull(cuts);
	for (size_t i = 0; i <= len; i++) {
		cuts[i] = i;
	}
	feed(c, in, len, cuts, len + 1, &o);
	expect(c, len, &o, "byte by byte");
	free(cuts);
	free(in);
}
END_TEST

/* T-04: the error comes when the 512th octet arrives, not at a line end
 * or the timeout. */
START_TEST(test_endless_fails_early)
{
	struct smtp_reader *r = smtp_reader_new(0, 0);
	uint8_t chunk[100];
	size_t fed = 4;
	enum smtp_rd st;

	memset(chunk, 'z', sizeof(chunk));
	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)"220-", 4, NULL), SMTP_RD_MORE);
	for (;;) {
		st = smtp_reader_feed(r, chunk, sizeof(chunk), NULL);
		fed += sizeof(chunk);
		if (st != SMTP_RD_MORE) {
			break;
		}
	}
	ck_assert_int_eq(st, SMTP_RD_ERROR);
	ck_assert_int_eq(smtp_reader_error(r), SMTP_ERR_LINE_TOO_LONG);
	ck_assert_uint_eq(fed, 504 + 100); /* the chunk that reached 512 */
	ck_assert_str_eq(smtp_rd_error_str(smtp_reader_error(r)),
			 "SMTP reply line exceeds 512 octets");
	smtp_reader_free(r);
}
END_TEST

/* Greeting and EHLO reply in one buffer: read one after the other. */
START_TEST(test_two_replies)
{
	static const char in[] = "220 mx ESMTP\r\n250-mx\r\n250-PIPELINING\r\n250-starttls\r\n"
				 "250 8BITMIME\r\n";
	struct smtp_reader *r = smtp_reader_new(0, 0);
	const struct smtp_reply *rep;
	size_t used, len = sizeof(in) - 1;

	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)in, len, &used), SMTP_RD_REPLY);
	ck_assert_uint_eq(used, 14);
	rep = smtp_reader_reply(r);
	ck_assert_int_eq(rep->code, 220);
	ck_assert(!smtp_reply_has_keyword(rep, "STARTTLS"));
	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)in + used, len - used, &used),
			 SMTP_RD_REPLY);
	rep = smtp_reader_reply(r);
	ck_assert_int_eq(rep->code, 250);
	ck_assert_uint_eq(rep->nlines, 4);
	ck_assert(smtp_reply_has_keyword(rep, "STARTTLS"));
	ck_assert(smtp_reply_has_keyword(rep, "8bitmime"));
	ck_assert(!smtp_reply_has_keyword(rep, "mx")); /* line 1 is the name */
	ck_assert(!smtp_reply_has_keyword(rep, "PIPE"));
	ck_assert(!smtp_reader_pending(r));
	smtp_reader_free(r);
}
END_TEST

START_TEST(test_keyword_with_params)
{
	static const char in[] = "250-mx\r\n250-SIZE 10240000\r\n250 STARTTLSX\r\n";
	struct smtp_reader *r = smtp_reader_new(0, 0);
	const struct smtp_reply *rep;

	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)in, sizeof(in) - 1, NULL),
			 SMTP_RD_REPLY);
	rep = smtp_reader_reply(r);
	ck_assert(smtp_reply_has_keyword(rep, "SIZE"));
	ck_assert(!smtp_reply_has_keyword(rep, "STARTTLS"));
	ck_assert(!smtp_reply_has_keyword(NULL, "SIZE"));
	smtp_reader_free(r);
}
END_TEST

START_TEST(test_reset_and_pending)
{
	struct smtp_reader *r = smtp_reader_new(0, 0);

	ck_assert(!smtp_reader_pending(r));
	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)"220-a\r\n22", 9, NULL),
			 SMTP_RD_MORE);
	ck_assert(smtp_reader_pending(r));
	ck_assert_ptr_null(smtp_reader_reply(r));
	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)"x\r\n", 3, NULL), SMTP_RD_ERROR);
	smtp_reader_reset(r);
	ck_assert_int_eq(smtp_reader_error(r), SMTP_ERR_NONE);
	ck_assert(!smtp_reader_pending(r));
	ck_assert_int_eq(smtp_reader_feed(r, (const uint8_t *)"250 ok\r\n", 8, NULL),
			 SMTP_RD_REPLY);
	ck_assert_int_eq(smtp_reader_reply(r)->code, 250);
	smtp_reader_free(r);
	smtp_reader_free(NULL);
}
END_TEST

START_TEST(test_error_strings)
{
	for (int e = SMTP_ERR_NONE; e <= SMTP_ERR_NOMEM; e++) {
		const char *s = smtp_rd_error_str((enum smtp_rd_error)e);

		ck_assert_ptr_nonnull(s);
		ck_assert(strlen(s) > 0);
	}
}
END_TEST

Suite *unit_suite(void)
{
	Suite *s = suite_create("smtp_reply");
	TCase *tc = tcase_create("core");
	int n = (int)(sizeof(cases) / sizeof(cases[0]));

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_whole, 0, n);
	tcase_add_loop_test(tc, test_split_two, 0, n);
	tcase_add_loop_test(tc, test_bytewise, 0, n);
	tcase_add_test(tc, test_endless_fails_early);
	tcase_add_test(tc, test_two_replies);
	tcase_add_test(tc, test_keyword_with_params);
	tcase_add_test(tc, test_reset_and_pending);
	tcase_add_test(tc, test_error_strings);
	suite_add_tcase(s, tc);
	return s;
}
