/* SPDX-License-Identifier: MIT */
/*
 * What the test initramfs's static programs (initmark.c, mininit.c) need from each architecture,
 * without a C library: the CPU's counter, Linux system calls with up to five arguments, and
 * their numbers (the generic table for aarch64, riscv64 and loongarch64; x86_64's own).
 */
#ifndef GUESTS_LINUX_SYS_H
#define GUESTS_LINUX_SYS_H

#include <stddef.h>
#include <stdint.h>

#if defined(__aarch64__) || defined(__riscv) || defined(__loongarch64)
#define SYS_MOUNT  40
#define SYS_OPENAT 56
#define SYS_CLOSE  57
#define SYS_READ   63
#define SYS_WRITE  64
#define SYS_EXIT   93
#define SYS_SYSLOG 116
#define SYS_REBOOT 142
#define SYS_UNAME  160
#elif defined(__x86_64__)
#define SYS_READ   0
#define SYS_WRITE  1
#define SYS_CLOSE  3
#define SYS_EXIT   60
#define SYS_UNAME  63
#define SYS_SYSLOG 103
#define SYS_MOUNT  165
#define SYS_REBOOT 169
#define SYS_OPENAT 257
#endif

#if defined(__aarch64__)
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v));
	return v;
}

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}
#elif defined(__riscv)
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime %0" : "=r"(v));
	return v;
}

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
	register long a7 __asm__("a7") = nr;
	register long a0 __asm__("a0") = a;
	register long a1 __asm__("a1") = b;
	register long a2 __asm__("a2") = c;
	register long a3 __asm__("a3") = d;
	register long a4 __asm__("a4") = e;

	__asm__ volatile("ecall"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
			 : "memory");
	return a0;
}
#elif defined(__loongarch64)
static inline uint64_t counter(void)
{
	uint64_t v;

	__asm__ volatile("rdtime.d %0, $zero" : "=r"(v));
	return v;
}

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
	register long a7 __asm__("$a7") = nr;
	register long a0 __asm__("$a0") = a;
	register long a1 __asm__("$a1") = b;
	register long a2 __asm__("$a2") = c;
	register long a3 __asm__("$a3") = d;
	register long a4 __asm__("$a4") = e;

	__asm__ volatile("syscall 0"
			 : "+r"(a0)
			 : "r"(a7), "r"(a1), "r"(a2), "r"(a3), "r"(a4)
			 : "memory", "$t0", "$t1", "$t2", "$t3", "$t4", "$t5", "$t6", "$t7", "$t8");
	return a0;
}
#elif defined(__x86_64__)
static inline uint64_t counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static inline long sys5(long nr, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}
#else
// cppcheck-suppress preprocessorErrorDirective
#error "linux_sys.h: unknown architecture"
#endif

static inline long sys3(long nr, long a, long b, long c)
{
	return sys5(nr, a, b, c, 0, 0);
}

#endif
