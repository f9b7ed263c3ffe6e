// SPDX-License-Identifier: MIT
/*
 * Optional boot-time check of the hal_cpu members that hv_main does not exercise: the timer fires
 * at (not before) its deadline, a disarmed timer stays quiet, an IPI sent while interrupts are
 * masked still ends wait_for_interrupt, the maintenance operations run, and all RAM is mapped.
 * Any failure panics.
 */
#include <hal/hal.h>
#include <x86/cpu.h>

#include "x86_arch.h"

static uint64_t selftest_buf[64] __attribute__((aligned(64)));

/* Waits, interrupts masked between waits, until one of @mask was recorded or @limit TSC ticks
 * passed; returns what was recorded. */
static uint64_t wait_irq(unsigned cpu, uint64_t mask, uint64_t limit)
{
	uint64_t start = hal_cpu.timer_now();
	uint64_t got;

	while (!(got = x86_irq_take(cpu, mask))) {
		if (hal_cpu.timer_now() - start > limit)
			return 0;
		hal_cpu.wait_for_interrupt();
	}
	return got;
}

static void check_timer(unsigned cpu, uint64_t hz)
{
	uint64_t deadline, woke;

	deadline = hal_cpu.timer_now() + hz / 1000;
	hal_cpu.timer_arm(deadline);
	if (!wait_irq(cpu, X86_IRQ_TIMER, hz / 10))
		hal_panic("x86: self-test: timer armed 1 ms ahead did not fire within 100 ms");
	woke = hal_cpu.timer_now();
	if (woke < deadline)
		hal_panic("x86: self-test: timer fired %llu ticks early",
			  (unsigned long long)(deadline - woke));
	hal_printf("x86: self-test: timer armed 1 ms ahead fired %llu us after its deadline\n",
		   (unsigned long long)((woke - deadline) * 1000000 / hz));

	/* A deadline in the past fires at once. */
	hal_cpu.timer_arm(hal_cpu.timer_now() - 1);
	if (!wait_irq(cpu, X86_IRQ_TIMER, hz / 100))
		hal_panic("x86: self-test: timer armed in the past did not fire within 10 ms");

	/* Disarmed, it stays quiet: spin 5 ms with interrupts open, then look. */
	hal_cpu.timer_arm(hal_cpu.timer_now() + hz / 1000);
	hal_cpu.timer_arm(0);
	deadline = hal_cpu.timer_now() + hz / 200;
	__asm__ volatile("sti" : : : "memory");
	while (hal_cpu.timer_now() < deadline) {
	}
	__asm__ volatile("cli" : : : "memory");
	if (x86_irq_take(cpu, X86_IRQ_TIMER))
		hal_panic("x86: self-test: disarmed timer fired");
	hal_printf("x86: self-test: past deadline fires at once, disarm holds (%s)\n",
		   x86_lapic_tsc_deadline() ? "TSC-deadline" : "one-shot");
}

static void check_ipi(unsigned cpu, uint64_t hz)
{
	/* Sent while masked, the IPI waits in the APIC until wait_for_interrupt opens the window.
	 * The timer is a watchdog so that a lost IPI cannot hang the boot. */
	hal_cpu.ipi_send(cpu);
	hal_cpu.timer_arm(hal_cpu.timer_now() + hz / 100);
	if (!(wait_irq(cpu, X86_IRQ_IPI | X86_IRQ_TIMER, hz / 10) & X86_IRQ_IPI))
		hal_panic("x86: self-test: self-IPI did not arrive");
	hal_cpu.timer_arm(0);
	(void)x86_irq_take(cpu, X86_IRQ_TIMER);
	hal_printf("x86: self-test: self-IPI sent with interrupts masked ended the wait\n");
}

static void check_maintenance(void)
{
	for (unsigned i = 0; i < PV_ARRAY_SIZE(selftest_buf); i++)
		selftest_buf[i] = 0x5a5a5a5a00000000ull | i;
	hal_cpu.dcache_clean_inval(selftest_buf, sizeof(selftest_buf));
	hal_cpu.tlb_flush_all();
	for (unsigned i = 0; i < PV_ARRAY_SIZE(selftest_buf); i++)
		if (selftest_buf[i] != (0x5a5a5a5a00000000ull | i))
			hal_panic("x86: self-test: data lost across cache/TLB maintenance");
	hal_printf("x86: self-test: cache clean+invalidate and TLB flush keep data intact\n");
}

/* The identity map reaches every RAM range the boot code kept: touch each one's last word. */
static void check_ram_reach(const struct boot_info *bi)
{
	for (unsigned i = 0; i < bi->nmem; i++) {
		uint64_t last = bi->mem[i].base.raw + bi->mem[i].size - sizeof(uint64_t);
		volatile uint64_t *p = (volatile uint64_t *)(uintptr_t)last;
		uint64_t saved = *p;

		*p = ~saved;
		if (*p != ~saved)
			hal_panic("x86: self-test: RAM at 0x%llx does not keep a value",
				  (unsigned long long)last);
		*p = saved;
	}
	hal_printf("x86: self-test: the last word of each of %u RAM ranges is reachable\n",
		   bi->nmem);
}

void x86_selftest(const struct boot_info *bi)
{
	unsigned cpu = hal_cpu.cpu_id();
	uint64_t hz = hal_cpu.timer_freq();

	(void)x86_irq_take(cpu, ~0ull);
	check_timer(cpu, hz);
	check_ipi(cpu, hz);
	check_maintenance();
	check_ram_reach(bi);
}
