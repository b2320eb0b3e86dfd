/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The finding list: bounded, growable, one owner (common/finding.h). */
#include "finding.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct finding *slot(struct finding_list *l)
{
	if (l->n == FINDING_LIST_MAX) {
		return NULL;
	}
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		struct finding *v;

		if (cap > FINDING_LIST_MAX) {
			cap = FINDING_LIST_MAX;
		}
		v = realloc(l->v, cap * sizeof(*v));
		if (v == NULL) {
			l->oom = true;
			return NULL;
		}
		l->v = v;
		l->cap = cap;
	}
	return &l->v[l->n++];
}

static void count_dropped(struct finding_list *l, enum state st, int verbose)
{
	l->dropped++;
	if (verbose == 0) {
		l->dropped_worst = state_worst(l->dropped_worst, st);
	}
}

static void fill(struct finding *f, int code, enum state st, int verbose,
		 const struct dns_answer *failed, const char *fmt, va_list ap)
{
	f->code = code;
	f->state = st;
	f->verbose = verbose;
	f->failed = failed;
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
}

static bool add(struct finding_list *l, int code, enum state st, int verbose,
		const struct dns_answer *failed, const char *fmt, va_list ap)
{
	struct finding *f = slot(l);

	if (f == NULL) {
		if (l->n == FINDING_LIST_MAX) {
			count_dropped(l, st, verbose);
		}
		return false;
	}
	fill(f, code, st, verbose, failed, fmt, ap);
	return true;
}

/* a finding shown only with -v ranks under every default one */
static bool worse(enum state st, int verbose, const struct finding *than)
{
	if (verbose > 0) {
		return false;
	}
	if (than->verbose > 0) {
		return true;
	}
	return st != than->state && state_worst(st, than->state) == st;
}

bool finding_vadd_bounded(struct finding_list *l, size_t max, int code, enum state st, int verbose,
			  const char *fmt, va_list ap)
{
	struct finding *last;

	if (max > FINDING_LIST_MAX) {
		max = FINDING_LIST_MAX;
	}
	if (l->n < max) {
		return add(l, code, st, verbose, NULL, fmt, ap);
	}
	if (max == 0 || !worse(st, verbose, &l->v[l->n - 1])) {
		count_dropped(l, st, verbose);
		return false;
	}
	last = &l->v[l->n - 1];
	count_dropped(l, last->state, last->verbose);
	fill(last, code, st, verbose, NULL, fmt, ap);
	return true;
}

bool finding_add_bounded(struct finding_list *l, size_t max, int code, enum state st, int verbose,
			 const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = finding_vadd_bounded(l, max, code, st, verbose, fmt, ap);
	va_end(ap);
	return ok;
}

bool finding_add(struct finding_list *l, int code, enum state st, int verbose, const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	ok = add(l, code, st, verbose, NULL, fmt, ap);
	va_end(ap);
	return ok;
}

bool finding_add_dns(struct finding_list *l, int code, const struct dns_answer *failed,
		     const char *fmt, ...)
{
	va_list ap;
	bool ok;

	va_start(ap, fmt);
	/* The state is the plugin's --dns-error-state, applied at output. */
	ok = add(l, code, STATE_CRITICAL, 0, failed, fmt, ap);
	va_end(ap);
	return ok;
}

const struct finding *finding_find(const struct finding_list *l, int code)
{
	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].code == code) {
			return &l->v[i];
		}
	}
	return NULL;
}

enum state finding_list_worst(const struct finding_list *l)
{
	enum state worst = STATE_OK;

	for (size_t i = 0; i < l->n; i++) {
		if (l->v[i].verbose == 0) {
			worst = state_worst(worst, l->v[i].state);
		}
	}
	return worst;
}

void finding_list_clear(struct finding_list *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
