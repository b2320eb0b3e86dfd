/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main() of every Check unit-test runner: run the suite the test file
 * builds (unit_suite()), in the mode CK_VERBOSITY asks (CK_ENV; normal
 * by default), then its clean-up. Exit 0 when every test passed.
 */
#include <stdlib.h>

#include "check_main.h"

bool (*unit_cleanup)(void);

int main(void)
{
	Suite *s = unit_suite();
	SRunner *sr;
	int failed;

	if (s == NULL) {
		return 99;
	}
	sr = srunner_create(s);
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	if (unit_cleanup != NULL && !unit_cleanup()) {
		failed++;
	}
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
