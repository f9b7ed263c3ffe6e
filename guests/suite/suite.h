/* SPDX-License-Identifier: MIT */
/* Reporting helpers shared by the suite's files. */
#ifndef GUEST_SUITE_H
#define GUEST_SUITE_H

#include <stdint.h>

void g_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void g_pass(const char *name);
void g_fail(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Waits for an interrupt with interrupts masked, then takes it (see suite.c). */
void g_wait_irq_masked(void);

/* Echo mode (echo.c): numbered lines back from the console, forever. */
void g_echo(bool poll) __attribute__((noreturn));

/* Benchmark mode (bench.c): prints "BENCH <name> <instructions>" lines. */
void g_bench(void);
/* The passthrough benchmark (vblk.c). */
void g_vblk_bench(void);
/* Arms the timer once for @deadline (the suite's timer handler then reports it). */
void g_timer_oneshot(uint64_t deadline);
/* Called from every timer interrupt with the handler's entry time and the deadline it served. */
void g_bench_on_timer(uint64_t now, uint64_t deadline);

#endif
