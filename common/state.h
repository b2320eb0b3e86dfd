/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Monitoring Plugins states and their order of badness. */
#ifndef MAILDNS_STATE_H
#define MAILDNS_STATE_H

#include <stdbool.h>

enum state {
	STATE_OK = 0,
	STATE_WARNING = 1,
	STATE_CRITICAL = 2,
	STATE_UNKNOWN = 3,
};

/* The worse of two, ranked OK < UNKNOWN < WARNING < CRITICAL
 * (monitoring-plugins max_state_alt): a broken record outranks a
 * problem with our own inputs found along the way. */
enum state state_worst(enum state a, enum state b);

/* "OK", "WARNING", "CRITICAL", "UNKNOWN". */
const char *state_name(enum state s);

/* Parse a state name in any case ("critical", "CRITICAL") or its number
 * 0-3. False if it is neither. */
bool state_parse(const char *s, enum state *out);

#endif
