// SPDX-License-Identifier: MIT
/*
 * For targets that reuse code written for the cmocka suites (checkers, mocks): cmocka fails an
 * assertion outside a running test by exiting; make it abort, so libFuzzer reports a crash with a
 * stack trace and keeps the input.
 */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "fuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("CMOCKA_TEST_ABORT", "1", 1);
	return 0;
}
