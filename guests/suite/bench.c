// SPDX-License-Identifier: MIT
/*
 * Benchmark mode: exit round trips and interrupt latency in guest-visible time. Run under an
 * instruction-counting emulator (QEMU -icount shift=0: 1 instruction = 1 ns of virtual time;
 * bochs: the time-stamp counter counts instructions) the figures are instruction counts.
 * Output: first "BENCH-PLAN <name>...", every figure the run will print, then one
 * "BENCH <name> <value> <unit> <iterations>" per figure, value with one decimal. The plan lets
 * the benchmark driver tell a run that stopped half way from one that finished. A round trip is
 * also measured the way other hypervisors' benchmarks measure it: its loop once more with the
 * trapping instruction replaced by a no-op (a hypercall without the trap, a load from RAM instead
 * of the device), printed as "BENCH-NOOP <name> <value> <unit> <iterations>" before the figure;
 * the driver reports the difference (scripts/bench-judge.sh).
 */
#include <devices/testdev.h>
#include <guest/garch.h>
#include <vm/hypercall.h>

#include "suite.h"

#define BENCH_ITERS 10000

enum {
	BENCH_HYPERCALL_RT,
	BENCH_MMIO_RT,
	BENCH_VIRQ_LATENCY,
	BENCH_COUNT
};
static const char *const bench_names[BENCH_COUNT] = {
	[BENCH_HYPERCALL_RT] = "hypercall_rt",
	[BENCH_MMIO_RT] = "mmio_rt",
	[BENCH_VIRQ_LATENCY] = "virq_latency",
};

static volatile uint64_t bench_latency_sum;
static volatile unsigned bench_latency_n;
static volatile bool bench_latency_on;
static volatile bool bench_fired;

void g_bench_on_timer(uint64_t now, uint64_t deadline)
{
	if (!bench_latency_on)
		return;
	bench_latency_sum += now - deadline;
	bench_latency_n++;
	bench_fired = true;
}

/* Counter ticks to nanoseconds (= instructions under -icount shift=0), times ten. */
static uint64_t ticks_to_ns10(uint64_t ticks)
{
	return ticks * 10000000000ULL / g_counter_freq();
}

static void report_as(const char *tag, unsigned bench, uint64_t ticks, unsigned iters)
{
	uint64_t ns10 = ticks_to_ns10(ticks) / iters;
	g_printf("%s %s %llu.%llu ns %u\n", tag, bench_names[bench],
		 (unsigned long long)(ns10 / 10), (unsigned long long)(ns10 % 10), iters);
}

static void report(unsigned bench, uint64_t ticks, unsigned iters)
{
	report_as("BENCH", bench, ticks, iters);
}

/* The no-op baseline's load: RAM the guest owns, read like the device register. */
static volatile uint32_t bench_ram_word;

void g_bench(void)
{
	uint64_t t0, t1, v;

	g_printf("BENCH-PLAN");
	for (unsigned i = 0; i < BENCH_COUNT; i++)
		g_printf(" %s", bench_names[i]);
	g_printf("\n");

	t0 = g_counter();
	for (unsigned i = 0; i < BENCH_ITERS; i++)
		g_hcall_noop(PV_HC_VERSION, 0, 0, 0, &v);
	t1 = g_counter();
	report_as("BENCH-NOOP", BENCH_HYPERCALL_RT, t1 - t0, BENCH_ITERS);
	t0 = g_counter();
	for (unsigned i = 0; i < BENCH_ITERS; i++)
		g_hcall(PV_HC_VERSION, 0, 0, 0, &v);
	t1 = g_counter();
	report(BENCH_HYPERCALL_RT, t1 - t0, BENCH_ITERS);

	t0 = g_counter();
	for (unsigned i = 0; i < BENCH_ITERS; i++)
		(void)g_load((uint64_t)(uintptr_t)&bench_ram_word, 4, false);
	t1 = g_counter();
	report_as("BENCH-NOOP", BENCH_MMIO_RT, t1 - t0, BENCH_ITERS);
	t0 = g_counter();
	for (unsigned i = 0; i < BENCH_ITERS; i++)
		(void)g_load(g_layout.testdev_base + TESTDEV_REG_ID, 4, false);
	t1 = g_counter();
	report(BENCH_MMIO_RT, t1 - t0, BENCH_ITERS);

	/* One timer interrupt at a time, each armed a little ahead while the vCPU idles. */
	bench_latency_on = true;
	for (unsigned i = 0; i < BENCH_ITERS; i++) {
		uint64_t deadline = g_counter() + g_counter_freq() / 20000; /* 50 us ahead */
		bench_fired = false;
		g_timer_oneshot(deadline);
		while (!bench_fired)
			g_wait_irq_masked();
	}
	g_timer_arm(0);
	bench_latency_on = false;
	report(BENCH_VIRQ_LATENCY, bench_latency_sum, bench_latency_n);
}
