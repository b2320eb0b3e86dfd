/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one clock of a run (common/clock.h). */
#include <time.h>

#include "clock.h"

double clock_monotonic_now(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
		return 0;
	}
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
