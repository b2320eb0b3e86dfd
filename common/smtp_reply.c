/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Incremental SMTP reply reader (RFC 5321 4.2). See smtp_reply.h for the
 * rules; here only why things are done as they are.
 */
#include "smtp_reply.h"

#include <stdlib.h>
#include <string.h>

struct smtp_reader {
	size_t max_lines, max_bytes;
	/* The line being read: bytes before its LF (a CR kept until LF). */
	uint8_t line[LIMIT_SMTP_LINE];
	size_t linelen;
	/* The reply being read: texts of its complete lines, back to back. */
	uint8_t *text;
	size_t textlen, textcap;
	size_t *off;             /* start of each line's text */
	struct smtp_line *lines; /* filled when the reply completes */
	size_t nlines, linecap;
	size_t bytes; /* octets of the reply so far */
	int code;
	bool complete; /* the reply was handed out */
	struct smtp_reply reply;
	enum smtp_rd_error err;
};

struct smtp_reader *smtp_reader_new(size_t max_lines, size_t max_bytes)
{
	struct smtp_reader *r = calloc(1, sizeof(*r));

	if (r == NULL) {
		return NULL;
	}
	r->max_lines = max_lines != 0 ? max_lines : LIMIT_SMTP_REPLY_LINES;
	r->max_bytes = max_bytes != 0 ? max_bytes : LIMIT_SMTP_REPLY_BYTES;
	return r;
}

void smtp_reader_free(struct smtp_reader *r)
{
	if (r == NULL) {
		return;
	}
	free(r->text);
	free(r->off);
	free(r->lines);
	free(r);
}

static void clear_reply(struct smtp_reader *r)
{
	r->textlen = 0;
	r->nlines = 0;
	r->bytes = 0;
	r->code = 0;
	r->complete = false;
}

void smtp_reader_reset(struct smtp_reader *r)
{
	clear_reply(r);
	r->linelen = 0;
	r->err = SMTP_ERR_NONE;
}

static enum smtp_rd fail(struct smtp_reader *r, enum smtp_rd_error e)
{
	r->err = e;
	return SMTP_RD_ERROR;
}

static bool is_digit(uint8_t c, char hi)
{
	return c >= '0' && c <= (uint8_t)hi;
}

/* Room for one more line of n text bytes; both bounds were checked. */
static bool grow(struct smtp_reader *r, size_t n)
{
	if (r->nlines == r->linecap) {
		size_t cap = r->linecap != 0 ? r->linecap * 2 : 8;
		size_t *off;
		struct smtp_line *lines;

		if (cap > r->max_lines) {
			cap = r->max_lines;
		}
		off = realloc(r->off, cap * sizeof(*off));
		if (off == NULL) {
			return false;
		}
		r->off = off;
		lines = realloc(r->lines, cap * sizeof(*lines));
		if (lines == NULL) {
			return false;
		}
		r->lines = lines;
		r->linecap = cap;
	}
	/* Allocated even for empty texts: lines always point into it. */
	if (r->text == NULL || r->textlen + n > r->textcap) {
		size_t cap = r->textcap != 0 ? r->textcap : 512;
		uint8_t *text;

		while (cap < r->textlen + n) {
			cap *= 2;
		}
		text = realloc(r->text, cap);
		if (text == NULL) {
			return false;
		}
		r->text = text;
		r->textcap = cap;
	}
	return true;
}

/*
 * One line has ended (wire octets: its bytes plus the terminator). RFC
 * 5321 4.2: Reply-code [ SP textstring ] CRLF for the last line,
 * Reply-code "-" [ textstring ] CRLF for the others; every line of a
 * multi-line reply carries the same code (4.2.1).
 */
static enum smtp_rd end_line(struct smtp_reader *r, size_t wire)
{
	const uint8_t *p = r->line;
	size_t n = r->linelen;
	bool last;
	int code;

	if (n > 0 && p[n - 1] == '\r') {
		n--;
	}
	if (n < 3 || !is_digit(p[0], '5') || p[0] < '2' || !is_digit(p[1], '5') ||
	    !is_digit(p[2], '9') || (n > 3 && p[3] != '-' && p[3] != ' ')) {
		return fail(r, SMTP_ERR_SYNTAX);
	}
	code = (p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0');
	last = n == 3 || p[3] == ' ';
	if (r->nlines > 0 && code != r->code) {
		return fail(r, SMTP_ERR_CODE_MISMATCH);
	}
	if (r->nlines + 1 > r->max_lines) {
		return fail(r, SMTP_ERR_TOO_MANY_LINES);
	}
	if (r->bytes + wire > r->max_bytes) {
		return fail(r, SMTP_ERR_TOO_MANY_BYTES);
	}
	n = n > 4 ? n - 4 : 0;
	if (!grow(r, n)) {
		return fail(r, SMTP_ERR_NOMEM);
	}
	r->code = code;
	r->off[r->nlines] = r->textlen;
	r->lines[r->nlines].len = n;
	memcpy(r->text + r->textlen, p + 4, n);
	r->textlen += n;
	r->nlines++;
	r->bytes += wire;
	r->linelen = 0;
	if (!last) {
		return SMTP_RD_MORE;
	}
	/* The text buffer is final now: point the lines into it. */
	for (size_t i = 0; i < r->nlines; i++) {
		r->lines[i].text = r->text + r->off[i];
	}
	r->reply.code = r->code;
	r->reply.nlines = r->nlines;
	r->reply.line = r->lines;
	r->reply.bytes = r->bytes;
	r->complete = true;
	return SMTP_RD_REPLY;
}

enum smtp_rd smtp_reader_feed(struct smtp_reader *r, const uint8_t *p, size_t len, size_t *used)
{
	size_t i = 0;
	enum smtp_rd st = SMTP_RD_MORE;

	if (used != NULL) {
		*used = 0;
	}
	if (r->err != SMTP_ERR_NONE) {
		return SMTP_RD_ERROR;
	}
	if (r->complete) {
		clear_reply(r);
	}
	while (i < len) {
		const uint8_t *lf = memchr(p + i, '\n', len - i);
		size_t take = lf != NULL ? (size_t)(lf - (p + i)) : len - i;

		/* T-04: a line may hold LIMIT_SMTP_LINE - 1 octets before its
		 * LF; one more and it is too long whatever follows. */
		if (r->linelen + take > LIMIT_SMTP_LINE - 1) {
			return fail(r, SMTP_ERR_LINE_TOO_LONG);
		}
		/* T-05/T-14: a reply's octets are bounded before they pile up. */
		if (r->bytes + r->linelen + take > r->max_bytes) {
			return fail(r, SMTP_ERR_TOO_MANY_BYTES);
		}
		memcpy(r->line + r->linelen, p + i, take);
		r->linelen += take;
		i += take;
		if (lf == NULL) {
			break;
		}
		i++; /* the LF */
		st = end_line(r, r->linelen + 1);
		if (st != SMTP_RD_MORE) {
			break;
		}
	}
	if (used != NULL && st != SMTP_RD_ERROR) {
		*used = i;
	}
	return st;
}

const struct smtp_reply *smtp_reader_reply(const struct smtp_reader *r)
{
	return r->complete && r->err == SMTP_ERR_NONE ? &r->reply : NULL;
}

bool smtp_reader_pending(const struct smtp_reader *r)
{
	return !r->complete && (r->linelen > 0 || r->nlines > 0);
}

enum smtp_rd_error smtp_reader_error(const struct smtp_reader *r)
{
	return r->err;
}

const char *smtp_rd_error_str(enum smtp_rd_error e)
{
	switch (e) {
	case SMTP_ERR_NONE:
		return "no error";
	case SMTP_ERR_LINE_TOO_LONG:
		return "SMTP reply line exceeds 512 octets";
	case SMTP_ERR_TOO_MANY_LINES:
		return "SMTP reply has more than 100 lines";
	case SMTP_ERR_TOO_MANY_BYTES:
		return "SMTP reply exceeds 64 KiB";
	case SMTP_ERR_CODE_MISMATCH:
		return "SMTP reply code differs between lines";
	case SMTP_ERR_SYNTAX:
		return "malformed SMTP reply line (no reply code)";
	case SMTP_ERR_NOMEM:
		return "out of memory";
	}
	return "unknown error";
}

static uint8_t lower(uint8_t c)
{
	return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

bool smtp_reply_has_keyword(const struct smtp_reply *rep, const char *keyword)
{
	size_t klen = strlen(keyword);

	/* RFC 5321 4.1.1.1: line 1 is the server's name and greeting; each
	 * further line is "ehlo-keyword *(SP ehlo-param)". */
	for (size_t i = 1; rep != NULL && i < rep->nlines; i++) {
		const struct smtp_line *l = &rep->line[i];
		size_t k = 0;

		if (l->len < klen || (l->len > klen && l->text[klen] != ' ')) {
			continue;
		}
		while (k < klen && lower(l->text[k]) == lower((uint8_t)keyword[k])) {
			k++;
		}
		if (k == klen) {
			return true;
		}
	}
	return false;
}
