// SPDX-License-Identifier: MIT
/*
 * The local APIC: the hypervisor's timer interrupt, inter-processor interrupts and EOIs. Firmware
 * may hand over the APIC in xAPIC mode (registers in an MMIO page at IA32_APIC_BASE) or, on large
 * machines, already in x2APIC mode (registers as MSRs 0x800 + offset / 16); both are handled.
 *
 * The timer uses TSC-deadline mode when the CPU has it: the deadline is then an absolute TSC value,
 * exactly what hal_cpu.timer_arm receives. Otherwise it runs one-shot, with the count derived from
 * a rate measured against the TSC at boot.
 */
#include <stdatomic.h>

#include <hal/hal.h>
#include <x86/cpu.h>

#include "x86_arch.h"

enum {
	LAPIC_ID = 0x020,
	LAPIC_TPR = 0x080,
	LAPIC_EOI = 0x0b0,
	LAPIC_SVR = 0x0f0,
	LAPIC_ICR_LO = 0x300,
	LAPIC_ICR_HI = 0x310,
	LAPIC_LVT_TIMER = 0x320,
	LAPIC_TIMER_INIT = 0x380,
	LAPIC_TIMER_CUR = 0x390,
	LAPIC_TIMER_DIV = 0x3e0,
};

#define APIC_BASE_X2APIC	PV_BIT(10)
#define APIC_BASE_ENABLE	PV_BIT(11)
#define APIC_BASE_ADDR		PV_MASK(51, 12)
#define SVR_ENABLE		0x100u
#define LVT_MASKED		0x10000u
#define LVT_TIMER_TSC_DEADLINE	0x40000u /* mode bits 18:17 = 10b; one-shot is 00b */
#define ICR_ASSERT		0x4000u
#define ICR_PENDING		0x1000u
#define ICR_INIT		0x500u
#define ICR_STARTUP		0x600u
#define ICR_LEVEL		0x8000u
#define X2APIC_MSR(reg)		(0x800u + ((reg) >> 4))
#define CPUID1_EDX_APIC		PV_BIT(9)
#define CPUID1_ECX_TSC_DEADLINE PV_BIT(24)

/* Divide-configuration values for a divisor of 2^n, n = 0..7. */
static const uint8_t timer_div_code[8] = { 0xb, 0x0, 0x1, 0x2, 0x3, 0x8, 0x9, 0xa };

static uintptr_t lapic_mmio;
static bool lapic_x2;
static bool lapic_deadline;
static uint64_t lapic_timer_hz; /* one-shot mode: timer ticks per second at divisor 1 */
static _Atomic uint64_t irq_pending[CONFIG_MAX_CPUS];

static uint32_t lapic_read(uint32_t reg)
{
	if (lapic_x2)
		return (uint32_t)x86_rdmsr(X2APIC_MSR(reg));
	return *(volatile uint32_t *)(lapic_mmio + reg);
}

static void lapic_write(uint32_t reg, uint32_t value)
{
	if (lapic_x2)
		x86_wrmsr(X2APIC_MSR(reg), value);
	else
		*(volatile uint32_t *)(lapic_mmio + reg) = value;
}

/* Ticks of the APIC timer (divisor 1) per second, counted over 10 ms of TSC time. */
static uint64_t lapic_measure_timer(void)
{
	uint64_t tsc_hz = x86_tsc_freq();
	uint64_t start, elapsed;
	uint32_t left;

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | X86_VEC_TIMER);
	lapic_write(LAPIC_TIMER_DIV, timer_div_code[0]);
	lapic_write(LAPIC_TIMER_INIT, UINT32_MAX);
	start = x86_rdtsc();
	while ((elapsed = x86_rdtsc() - start) < tsc_hz / 100) {
	}
	left = lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	return x86_muldiv64(UINT32_MAX - left, tsc_hz, elapsed);
}

int x86_lapic_init_cpu(void)
{
	struct x86_cpuid id = x86_cpuid(1, 0);
	uint64_t base;

	if (!(id.edx & CPUID1_EDX_APIC)) {
		hal_printf("x86: no local APIC: no timer interrupts or IPIs\n");
		return -PV_ENOTSUP;
	}
	base = x86_rdmsr(X86_MSR_APIC_BASE);
	if (!(base & APIC_BASE_ENABLE)) {
		base |= APIC_BASE_ENABLE;
		x86_wrmsr(X86_MSR_APIC_BASE, base);
	}
	lapic_x2 = base & APIC_BASE_X2APIC;
	if (!lapic_x2) {
		lapic_mmio = (uintptr_t)(base & APIC_BASE_ADDR);
		if (x86_idmap_set_uncached(lapic_mmio))
			hal_panic("x86: local APIC at 0x%llx is outside the identity map",
				  (unsigned long long)lapic_mmio);
	}
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | X86_VEC_SPURIOUS);

	lapic_deadline = id.ecx & CPUID1_ECX_TSC_DEADLINE;
	if (lapic_deadline) {
		lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSC_DEADLINE | X86_VEC_TIMER);
		/* WRMSR to IA32_TSC_DEADLINE is not serializing: the mode switch (an MMIO store in
		 * xAPIC mode) must be globally visible before the first deadline is written. */
		__asm__ volatile("mfence" : : : "memory");
		x86_wrmsr(X86_MSR_TSC_DEADLINE, 0);
		hal_printf("x86: local APIC %s, timer in TSC-deadline mode\n",
			   lapic_x2 ? "in x2APIC mode" : "in xAPIC mode");
	} else {
		if (!lapic_timer_hz)
			lapic_timer_hz = lapic_measure_timer();
		lapic_write(LAPIC_LVT_TIMER, X86_VEC_TIMER);
		hal_printf("x86: local APIC %s, timer one-shot at %llu kHz (measured)\n",
			   lapic_x2 ? "in x2APIC mode" : "in xAPIC mode",
			   (unsigned long long)(lapic_timer_hz / 1000));
		if (!lapic_timer_hz)
			hal_panic("x86: the local APIC timer does not count");
	}
	return PV_OK;
}

bool x86_lapic_tsc_deadline(void)
{
	return lapic_deadline;
}

static void lapic_oneshot(uint64_t deadline)
{
	uint64_t now = x86_rdtsc();
	uint64_t ticks = 1;
	unsigned shift = 0;

	if (deadline > now)
		ticks = x86_muldiv64(deadline - now, lapic_timer_hz, x86_tsc_freq());
	while (shift < 7 && (ticks >> shift) > UINT32_MAX)
		shift++;
	ticks >>= shift;
	/* Beyond 2^32 ticks at divisor 128 (minutes away) it fires early; the caller compares
	 * timer_now with its deadline anyway and arms again. */
	if (ticks > UINT32_MAX)
		ticks = UINT32_MAX;
	if (ticks == 0)
		ticks = 1;
	lapic_write(LAPIC_TIMER_DIV, timer_div_code[shift]);
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}

void x86_lapic_timer_arm(uint64_t deadline)
{
	if (lapic_deadline) {
		/* A deadline already in the past fires at once; 0 disarms. */
		x86_wrmsr(X86_MSR_TSC_DEADLINE, deadline);
	} else if (deadline == 0) {
		lapic_write(LAPIC_TIMER_INIT, 0);
	} else {
		lapic_oneshot(deadline);
	}
}

void x86_lapic_send_ipi(uint32_t apic_id, uint8_t vector)
{
	uint64_t flags = x86_irq_save();

	if (lapic_x2) {
		x86_wrmsr(X2APIC_MSR(LAPIC_ICR_LO),
			  ((uint64_t)apic_id << 32) | ICR_ASSERT | vector);
	} else {
		/* Older xAPICs accept no new command while the previous one is being delivered. */
		while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING) {
		}
		lapic_write(LAPIC_ICR_HI, apic_id << 24);
		lapic_write(LAPIC_ICR_LO, ICR_ASSERT | vector);
	}
	x86_irq_restore(flags);
}

/* Writes an interrupt command for @apic_id (delivery mode and vector in @low). */
static void lapic_command(uint32_t apic_id, uint32_t low)
{
	if (lapic_x2) {
		x86_wrmsr(X2APIC_MSR(LAPIC_ICR_LO), ((uint64_t)apic_id << 32) | low);
		return;
	}
	while (lapic_read(LAPIC_ICR_LO) & ICR_PENDING) {
	}
	lapic_write(LAPIC_ICR_HI, apic_id << 24);
	lapic_write(LAPIC_ICR_LO, low);
}

void x86_lapic_send_init(uint32_t apic_id)
{
	lapic_command(apic_id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
}

void x86_lapic_send_sipi(uint32_t apic_id, uint8_t page)
{
	lapic_command(apic_id, ICR_STARTUP | ICR_ASSERT | page);
}

void x86_lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void x86_irq_record(unsigned cpu, uint64_t bits)
{
	atomic_fetch_or_explicit(&irq_pending[cpu], bits, memory_order_release);
}

uint64_t x86_irq_take(unsigned cpu, uint64_t mask)
{
	return atomic_fetch_and_explicit(&irq_pending[cpu], ~mask, memory_order_acquire) & mask;
}
