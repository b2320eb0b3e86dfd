/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one clock of a run: deadlines are absolute CLOCK_MONOTONIC seconds,
 * immune to wall-clock steps. */
#ifndef MAILDNS_CLOCK_H
#define MAILDNS_CLOCK_H

/* Seconds on CLOCK_MONOTONIC (0 if the clock cannot be read). */
double clock_monotonic_now(void);

#endif
