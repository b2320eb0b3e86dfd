/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * The one main() of the Check unit-test runners (tests/unit/check_main.c).
 * Each tests/unit/test_*.c defines unit_suite(); a runner whose set-up
 * must be undone (temporary files, keys) points unit_cleanup at the
 * function that does it, which runs once, in the parent, after all tests.
 */
#ifndef MAILDNS_CHECK_MAIN_H
#define MAILDNS_CHECK_MAIN_H

#include <check.h>
#include <stdbool.h>

/* The runner's suite, after any set-up it needs; NULL when the set-up
 * failed (the runner then exits 99, automake's "hard error"). */
Suite *unit_suite(void);

/* Set by unit_suite() when there is something to undo; returns false
 * when the clean-up failed (the run then fails). */
extern bool (*unit_cleanup)(void);

#endif
