/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one finding record of the parsers and audits of common/: what a
 * finding is about (a code of the parser's own enum), the state it has by
 * default, how many -v it needs to be shown, its text, and the DNS answer
 * it is about when it is "this question got no answer". Parsers fill a
 * finding_list; plugins/plugin.c's plugin_findings() is the one place that
 * turns a list into output, and the plugin may change a finding's state
 * before (states are decided in plugins/).
 *
 * Texts are made with out_setf()-style bounded formatting: every byte
 * that came from outside must already be escaped (common/text.h) when it
 * is put in; the renderer escapes again at output.
 */
#ifndef MAILDNS_FINDING_H
#define MAILDNS_FINDING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "compiler.h"
#include "state.h"

#define FINDING_TEXT_MAX 512 /* bytes of one finding's text, with NUL */
#define FINDING_LIST_MAX 256 /* findings one list keeps; more are counted */

struct dns_answer;

struct finding {
	int code;                        /* the parser's enum value */
	enum state state;                /* default state */
	int verbose;                     /* shown with at least this many -v;
					    0: always */
	const struct dns_answer *failed; /* the answer that could not be had,
					   borrowed from the resolver; NULL
					   unless the finding is a DNS error */
	char text[FINDING_TEXT_MAX];
};

struct finding_list {
	struct finding *v; /* heap, in the order found; owned by
			      the list (finding_list_clear()) */
	size_t n, cap;
	size_t dropped;           /* added past FINDING_LIST_MAX, or left
				     out by finding_add_bounded() */
	enum state dropped_worst; /* the worst default state among the
				     dropped findings shown by default
				     (OK when none): the state of a
				     "N more findings not shown" line */
	bool oom;                 /* an add failed for memory */
};

/* Append a finding; false (and counted in dropped or oom) when it could
 * not be kept. The list starts zeroed ({0}). */
bool finding_add(struct finding_list *l, int code, enum state st, int verbose, const char *fmt, ...)
	PRINTF_LIKE(5, 6);

/* The one policy for a list bounded below FINDING_LIST_MAX (a parser's
 * per-record bound): up to max findings are appended; past it the new
 * finding takes the last place if it is worse than the finding there
 * (one shown only with -v counts as less severe than any shown by
 * default), so the list's worst state is always the worst of all that
 * were added, and the earlier findings stay in the order found. Either
 * way one finding is left out: counted in dropped, its state in
 * dropped_worst. True when the new finding is in the list. */
bool finding_add_bounded(struct finding_list *l, size_t max, int code, enum state st, int verbose,
			 const char *fmt, ...) PRINTF_LIKE(6, 7);

/* The same with a va_list: for a parser's own add() that fixes max (and
 * perhaps code or verbose) and passes its arguments on. */
bool finding_vadd_bounded(struct finding_list *l, size_t max, int code, enum state st, int verbose,
			  const char *fmt, va_list ap) PRINTF_LIKE(6, 0);

/* The same for a DNS answer that could not be had (its text says what the
 * question was for, e.g. "SPF record of include:x.example"). */
bool finding_add_dns(struct finding_list *l, int code, const struct dns_answer *failed,
		     const char *fmt, ...) PRINTF_LIKE(4, 5);

/* The first finding with this code, or NULL. */
const struct finding *finding_find(const struct finding_list *l, int code);

/* The worst state of the findings shown by default (OK when none). */
enum state finding_list_worst(const struct finding_list *l);

/* Free the findings; the list is empty and reusable after. */
void finding_list_clear(struct finding_list *l);

#endif
