// SPDX-License-Identifier: MIT
/*
 * The time-stamp counter is the hypervisor's clock (hal_cpu.timer_now). Its frequency comes from
 * CPUID when the CPU enumerates it (leaf 0x15: crystal clock and TSC ratio; leaf 0x16: base
 * frequency) and a PIT measurement confirms it, and otherwise from counting TSC ticks across a
 * PIT interval. bochs' TSC counts instructions, so there the rate found is its instructions per
 * second of virtual time, which its PIT and APIC timer follow as well.
 */
#include <hal/hal.h>
#include <x86/cpu.h>

#include "x86_arch.h"

#define PIT_HZ		    1193182u
#define PIT_CH2_DATA	    0x42u
#define PIT_MODE	    0x43u
#define PIT_CH2_GATE	    0x61u  /* system control port B */
#define PIT_GATE2	    0x01u  /* bit 0: channel 2 gate */
#define PIT_SPEAKER	    0x02u  /* bit 1: speaker data enable */
#define PIT_OUT2	    0x20u  /* bit 5: channel 2 output */
#define PIT_CH2_MODE0_LOHI  0xb0u  /* channel 2, low then high byte, mode 0, binary */
#define CALIBRATE_PIT_TICKS 11932u /* 10 ms */
#define PIT_MAX_POLLS	    50000000ul

static uint64_t tsc_hz;

/* Busy-waits for @ticks of PIT channel 2 (1193182 Hz); returns the TSC ticks that passed, or 0
 * when the PIT never signalled the end of the interval. */
static uint64_t x86_pit_measure_tsc(uint16_t ticks)
{
	uint8_t port_b = x86_inb(PIT_CH2_GATE);
	uint64_t start, elapsed;
	unsigned long polls = 0;

	/* Gate on with the speaker off; in mode 0 OUT2 stays low until the count runs out. */
	x86_outb(PIT_CH2_GATE, (uint8_t)((port_b & ~PIT_SPEAKER) | PIT_GATE2));
	x86_outb(PIT_MODE, PIT_CH2_MODE0_LOHI);
	x86_outb(PIT_CH2_DATA, (uint8_t)(ticks & 0xff));
	x86_outb(PIT_CH2_DATA, (uint8_t)(ticks >> 8));
	start = x86_rdtsc();
	/* Bounded: a missing PIT must not hang the boot (a port read takes about 1 us). */
	while (!(x86_inb(PIT_CH2_GATE) & PIT_OUT2))
		if (++polls > PIT_MAX_POLLS)
			break;
	elapsed = x86_rdtsc() - start;
	x86_outb(PIT_CH2_GATE, port_b);
	return polls > PIT_MAX_POLLS ? 0 : elapsed;
}

/* TSC rate from CPUID leaf 0x15 (or 0x16), 0 when the CPU does not enumerate it. */
static uint64_t tsc_hz_from_cpuid(const char **how)
{
	uint32_t max = x86_cpuid_max(0);

	if (max >= 0x15) {
		struct x86_cpuid r = x86_cpuid(0x15, 0);

		if (r.eax && r.ebx && r.ecx) {
			*how = "CPUID leaf 0x15";
			return (uint64_t)r.ecx * r.ebx / r.eax;
		}
	}
	if (max >= 0x16) {
		struct x86_cpuid r = x86_cpuid(0x16, 0);

		/* The base frequency in MHz; on the parts that report it, the TSC runs at it. */
		if (r.eax & 0xffff) {
			*how = "CPUID leaf 0x16 base frequency";
			return (uint64_t)(r.eax & 0xffff) * 1000000u;
		}
	}
	return 0;
}

static void print_mhz(const char *prefix, uint64_t hz, const char *how)
{
	hal_printf("%s%llu.%03llu MHz (%s)\n", prefix, (unsigned long long)(hz / 1000000),
		   (unsigned long long)(hz / 1000 % 1000), how);
}

/*
 * CPUID's figure is exact on real parts, but an emulator may report a model's nominal rate while
 * its TSC runs at another (bochs' tigerlake model claims 2419.2 MHz through leaf 0x15 and counts
 * 100 M instructions per second). So the PIT measurement is always taken, and CPUID is trusted
 * only when the two agree within 2%. Without a PIT (some recent platforms gate it off), CPUID is
 * all there is.
 */
void x86_tsc_init(void)
{
	const char *how = NULL;
	uint64_t cpuid_hz = tsc_hz_from_cpuid(&how);
	uint64_t ticks = x86_pit_measure_tsc(CALIBRATE_PIT_TICKS);
	uint64_t pit_hz = ticks * PIT_HZ / CALIBRATE_PIT_TICKS;

	if (cpuid_hz &&
	    (!pit_hz || (pit_hz > cpuid_hz - cpuid_hz / 50 && pit_hz < cpuid_hz + cpuid_hz / 50))) {
		tsc_hz = cpuid_hz;
		print_mhz("x86: TSC ", tsc_hz, how);
	} else if (pit_hz) {
		tsc_hz = pit_hz;
		print_mhz("x86: TSC ", tsc_hz, "calibrated against PIT channel 2 over 10 ms");
		if (cpuid_hz)
			print_mhz("x86: TSC rate ignored: ", cpuid_hz, how);
	} else {
		hal_panic(
			"x86: cannot find the TSC frequency (no CPUID leaf 0x15/0x16, PIT silent)");
	}
}

uint64_t x86_tsc_freq(void)
{
	return tsc_hz;
}
