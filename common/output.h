/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Monitoring-plugin output: findings collected during a run and rendered
 * once (HACKING.md 1).
 *
 *   SPF CRITICAL - example.com: 12 DNS lookups, limit is 10 | lookups=12;8;10;0;10 time=0.004s;;;0
 *   [CRITICAL] include:_spf.big.example adds 9 lookups
 *   [OK] exactly one v=spf1 record
 *   fix: example.com. IN TXT "v=spf1 mx a ip4:192.0.2.1 ~all"
 *
 * Every text is sanitised when rendered: '|' and control characters and
 * bytes that are not UTF-8 become \xNN, so nothing from DNS can start
 * perfdata or a new line (doc/hostile-inputs.md rule 7, O-01); so do the
 * bytes of the bidi controls, U+2028, U+2029 and U+FEFF, which would
 * reorder or break the line in a web view. Texts are
 * never used as format strings: pass DNS data as "%s" arguments or
 * through out_bytes().
 */
#ifndef MAILDNS_OUTPUT_H
#define MAILDNS_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compiler.h"
#include "text.h"
#include "range.h"
#include "state.h"

struct check;

/* New check for a service prefix ("MX", "SPF", "DKIM", "DMARC").
 * Caller frees with check_free(). Never NULL (aborts on OOM only at
 * render time with UNKNOWN). */
struct check *check_new(const char *service);
void check_free(struct check *c);

/* Verbosity (-v count): lines added with check_verbose() above it are
 * left out. */
void check_set_verbosity(struct check *c, int verbose);

/* Subject shown before the summary: "example.com". */
void check_subject(struct check *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* A finding: one long-output line "[STATE] text". The worst finding's
 * text is the first line's summary unless check_summary() set one. */
void check_add(struct check *c, enum state s, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Summary for the first line, overriding the worst finding's text. It is
 * kept only if its state is at least as bad as every finding's. */
void check_summary(struct check *c, enum state s, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* A "fix: ..." line: a zone-file line to publish. */
void check_fix(struct check *c, const char *fmt, ...) PRINTF_LIKE(2, 3);

/* A line shown only with at least min_verbose -v. */
void check_verbose(struct check *c, int min_verbose, const char *fmt, ...) PRINTF_LIKE(3, 4);

/* Performance data 'label'=value[uom];warn;crit;min;max. Labels are
 * quoted when needed and stripped of '=' and quotes; values printed in
 * the C locale. NaN min/max are left empty. */
void check_perf(struct check *c, const char *label, double value, const char *uom,
		const struct range *warn, const struct range *crit, double min, double max);

/* As check_perf(), but warn and crit in the Monitoring Plugins range
 * syntax as given ("1:", "@2:3"), for a count whose thresholds are lower
 * bounds no plain number stands for (check_mx's usable MX hosts, -c 1:).
 * Icinga 2 (2.13) keeps such an item and leaves those fields empty;
 * Nagios graphers and Icinga Web read the ranges. */
void check_perf_ranges(struct check *c, const char *label, double value, const char *uom,
		       const struct range *warn, const struct range *crit, double min, double max);

/* Worst state of everything added so far. */
enum state check_state(const struct check *c);

/* Write the whole output; returns the exit state. */
enum state check_render(const struct check *c, FILE *out);

#endif
