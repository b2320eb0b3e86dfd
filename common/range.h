/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Threshold ranges with the Monitoring Plugins semantics
 * (lib/utils_base.c parse_range_string/check_range): "10" is 0..10,
 * "10:" is 10..inf, "~:10" is -inf..10, "10:20", "@10:20" alerts inside;
 * endpoints inclusive. A value alerts when it is outside the range
 * (inside with '@').
 */
#ifndef MAILDNS_RANGE_H
#define MAILDNS_RANGE_H

#include <stdbool.h>

#include "state.h"

struct range {
	bool set; /* false: no threshold given */
	double start, end;
	bool start_infinite, end_infinite;
	bool alert_inside; /* '@' */
	char text[64];     /* as given, for perfdata */
};

/* Parse s; false with *why on error ("start greater than end", ...). */
bool range_parse(const char *s, struct range *r, const char **why);

/* True if value should alert against r (false when r is not set). */
bool range_alerts(const struct range *r, double value);

/* CRITICAL if crit alerts, else WARNING if warn alerts, else OK. */
enum state range_state(double value, const struct range *warn, const struct range *crit);

#endif
