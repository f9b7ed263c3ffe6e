// SPDX-License-Identifier: MIT
/*
 * The first program a test initramfs runs: prints the CPU's virtual counter (the time the guest
 * has run since its first instruction, for the boot benchmark) and exits. Static, freestanding,
 * no C library: a few instructions and two system calls, so the reading is taken as /init starts.
 */
#include "linux_sys.h"

void _start(void) __attribute__((noreturn));

void _start(void)
{
	static const char prefix[] = "polyvisor-init: counter ";
	char line[64];
	char digits[24];
	uint64_t v = counter();
	size_t n = 0, d = 0;

	for (size_t i = 0; i < sizeof(prefix) - 1; i++)
		line[n++] = prefix[i];
	do {
		digits[d++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (d)
		line[n++] = digits[--d];
	line[n++] = '\n';
	sys3(SYS_WRITE, 1, (long)line, (long)n);
	sys3(SYS_EXIT, 0, 0, 0);
	for (;;)
		;
}
