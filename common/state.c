/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Monitoring Plugins states (Nagios plugin API: exit codes 0-3). */
#include "state.h"

#include <stddef.h>
#include <strings.h>

/* Badness rank: OK < UNKNOWN < WARNING < CRITICAL (monitoring-plugins
 * max_state_alt), so a broken record outranks our own trouble. */
static int rank(enum state s)
{
	switch (s) {
	case STATE_OK:
		return 0;
	case STATE_UNKNOWN:
		return 1;
	case STATE_WARNING:
		return 2;
	case STATE_CRITICAL:
		return 3;
	}
	return 1; /* out-of-range values count as UNKNOWN */
}

enum state state_worst(enum state a, enum state b)
{
	return rank(a) >= rank(b) ? a : b;
}

const char *state_name(enum state s)
{
	switch (s) {
	case STATE_OK:
		return "OK";
	case STATE_WARNING:
		return "WARNING";
	case STATE_CRITICAL:
		return "CRITICAL";
	case STATE_UNKNOWN:
		return "UNKNOWN";
	}
	return "UNKNOWN";
}

bool state_parse(const char *s, enum state *out)
{
	static const struct {
		const char *name;
		const char *digit;
		enum state st;
	} names[] = {
		{"OK", "0", STATE_OK},
		{"WARNING", "1", STATE_WARNING},
		{"CRITICAL", "2", STATE_CRITICAL},
		{"UNKNOWN", "3", STATE_UNKNOWN},
	};

	if (s == NULL) {
		return false;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(s, names[i].name) == 0 ||
		    (s[0] == names[i].digit[0] && s[1] == '\0')) {
			*out = names[i].st;
			return true;
		}
	}
	return false;
}
