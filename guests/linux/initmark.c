// SPDX-License-Identifier: MIT
/*
 * The first program a test initramfs runs: prints the CPU's virtual counter (the time the guest
 * has run since its first instruction, for the boot benchmark) and exits. Static, freestanding,
 * no C library: a few instructions and two system calls, so the reading is taken as /init starts.
 */
#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__)
#define SYS_WRITE 64
#define SYS_EXIT  93
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static long sys3(long nr, long a, long b, long c)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}
#elif defined(__riscv)
#define SYS_WRITE 64
#define SYS_EXIT  93
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

static long sys3(long nr, long a, long b, long c)
{
	register long a7 __asm__("a7") = nr;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;

	__asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}
#elif defined(__loongarch64)
#define SYS_WRITE 64
#define SYS_EXIT  93
static uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime.d %0, $zero" : "=r"(v));
	return v;
}

static long sys3(long nr, long a, long b, long c)
{
	register long a7 __asm__("$a7") = nr;
	register long a0 __asm__("$a0") = a;
	register long a1 __asm__("$a1") = b;
	register long a2 __asm__("$a2") = c;

	__asm__ volatile("syscall 0" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
	return a0;
}
#elif defined(__x86_64__)
#define SYS_WRITE 1
#define SYS_EXIT  60
static uint64_t counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static long sys3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
// cppcheck-suppress preprocessorErrorDirective
#error "initmark: unknown architecture"
#endif

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
