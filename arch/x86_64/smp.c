// SPDX-License-Identifier: MIT
/*
 * Starting application processors with INIT-SIPI-SIPI (hal_cpu.cpu_start). The hypervisor reads no
 * ACPI tables yet, so CPU n is taken to have local-APIC id n, which is how bochs and QEMU number
 * them; a CPU that does not answer within the time limit is reported and left alone.
 */
#include <stdatomic.h>

#include <hal/hal.h>
#include <string.h>
#include <x86/cpu.h>

#include "ap_boot.h"
#include "x86_arch.h"

extern const char x86_ap_tramp_start[], x86_ap_tramp_end[], x86_ap_tramp_params[];
extern char __pv_stacks_start[];

static atomic_uint ap_started = UINT32_MAX;

static void smp_delay_us(uint64_t us)
{
	uint64_t end = x86_rdtsc() + x86_tsc_freq() / 1000000 * us;

	while (x86_rdtsc() < end) {
	}
}

static bool smp_wait_started(unsigned cpu, uint64_t us)
{
	uint64_t end = x86_rdtsc() + x86_tsc_freq() / 1000000 * us;

	while (x86_rdtsc() < end)
		if (atomic_load_explicit(&ap_started, memory_order_acquire) == cpu)
			return true;
	return false;
}

int x86_cpu_start(unsigned cpu)
{
	/* Linker symbols are separate objects to C: subtract their addresses, not the pointers. */
	uintptr_t start = (uintptr_t)x86_ap_tramp_start;
	size_t size = (size_t)((uintptr_t)x86_ap_tramp_end - start);
	uint8_t *tramp = (uint8_t *)(uintptr_t)X86_AP_TRAMP_BASE;
	uint64_t *params = (uint64_t *)(uintptr_t)(X86_AP_TRAMP_BASE +
						   ((uintptr_t)x86_ap_tramp_params - start));
	uint32_t apic_id = cpu;

	if (cpu == 0 || cpu >= CONFIG_MAX_CPUS)
		return -PV_EINVAL;
	if (x86_cpu_register_at(cpu, apic_id))
		return -PV_EBUSY;
	/* The copy is shared by every start: CPUs are started one at a time. */
	memcpy(tramp, x86_ap_tramp_start, size);
	params[X86_AP_PARAM_STACK / 8] =
		(uint64_t)(uintptr_t)(__pv_stacks_start +
				      (size_t)(cpu + 1) * CONFIG_BOOT_STACK_SIZE);
	params[X86_AP_PARAM_CPU / 8] = cpu;
	__asm__ volatile("mfence" : : : "memory");

	/* The MP specification's sequence: INIT, 10 ms, SIPI, 200 us, a second SIPI if needed. */
	x86_lapic_send_init(apic_id);
	smp_delay_us(10000);
	x86_lapic_send_sipi(apic_id, X86_AP_SIPI_VECTOR);
	if (!smp_wait_started(cpu, 200)) {
		x86_lapic_send_sipi(apic_id, X86_AP_SIPI_VECTOR);
		if (!smp_wait_started(cpu, 100000)) {
			hal_printf("x86: cpu %u (APIC id %u) did not answer INIT-SIPI-SIPI\n", cpu,
				   apic_id);
			return -PV_ENOTSUP;
		}
	}
	return PV_OK;
}

/* The AP's first C code (ap_boot.S), on its own stack, interrupts masked. */
PV_NORETURN void x86_ap_main(unsigned cpu);
PV_NORETURN void x86_ap_main(unsigned cpu)
{
	x86_trap_init_cpu(cpu);
	if (x86_lapic_init_cpu())
		hal_panic("x86: cpu %u has no local APIC", cpu);
	x86_fpu_init_cpu();
	atomic_store_explicit(&ap_started, cpu, memory_order_release);
	hv_secondary_main(cpu);
	x86_halt_forever();
}
