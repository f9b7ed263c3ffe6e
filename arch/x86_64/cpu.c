// SPDX-License-Identifier: MIT
/* hal_cpu for x86_64: CPU numbering, the TSC clock, the local-APIC timer and IPIs, maintenance. */
#include <hal/hal.h>
#include <x86/cpu.h>

#include "x86_arch.h"

#define CPUID1_EDX_CLFLUSH PV_BIT(19)

/* Index i is the physical CPU hal_cpu.cpu_id() calls i; the boot CPU registers first. CPUs are
 * registered by the boot CPU before they run, so readers need no lock. */
static uint32_t cpu_apic_ids[CONFIG_MAX_CPUS];
static unsigned cpu_count;

uint32_t x86_initial_apic_id(void)
{
	/* CPUID.1:EBX[31:24]. Machines with APIC ids above 255 need leaf 0xB instead; they boot
	 * with x2APIC and more CPUs than CONFIG_MAX_CPUS allows anyway. */
	return x86_cpuid(1, 0).ebx >> 24;
}

int x86_cpu_register(uint32_t apic_id, unsigned *index)
{
	for (unsigned i = 0; i < cpu_count; i++) {
		if (cpu_apic_ids[i] == apic_id) {
			*index = i;
			return PV_OK;
		}
	}
	if (cpu_count >= CONFIG_MAX_CPUS)
		return -PV_ENOMEM;
	cpu_apic_ids[cpu_count] = apic_id;
	*index = cpu_count++;
	return PV_OK;
}

int x86_cpu_register_at(unsigned index, uint32_t apic_id)
{
	if (index >= CONFIG_MAX_CPUS)
		return -PV_EINVAL;
	for (unsigned i = 0; i < cpu_count; i++)
		if (i != index && cpu_apic_ids[i] == apic_id)
			return -PV_EEXIST;
	/* Slots skipped over get an id no APIC has, so lookups never match them. */
	for (unsigned i = cpu_count; i < index; i++)
		cpu_apic_ids[i] = UINT32_MAX;
	cpu_apic_ids[index] = apic_id;
	if (index >= cpu_count)
		cpu_count = index + 1;
	return PV_OK;
}

/* FXSAVE/FXRSTOR keep the guests' SSE state (vmx_vcpu.c): they need CR4.OSFXSR, and CR0.EM
 * clear. The hypervisor itself is compiled without FP/SIMD instructions. */
void x86_fpu_init_cpu(void)
{
	x86_write_cr0(x86_read_cr0() & ~(X86_CR0_EM | X86_CR0_TS));
	x86_write_cr4(x86_read_cr4() | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
}

static unsigned x86_cpu_id(void)
{
	uint32_t id = x86_initial_apic_id();

	for (unsigned i = 0; i < cpu_count; i++)
		if (cpu_apic_ids[i] == id)
			return i;
	/* Only before the boot CPU registered itself (a fault in the first lines of C). */
	return 0;
}

static uint64_t x86_timer_now(void)
{
	return x86_rdtsc();
}

static uint64_t x86_timer_freq(void)
{
	return x86_tsc_freq();
}

static void x86_timer_arm(uint64_t deadline)
{
	x86_lapic_timer_arm(deadline);
}

static void x86_ipi_send(unsigned cpu)
{
	if (cpu >= cpu_count)
		hal_panic("x86: IPI to cpu %u, which is not registered", cpu);
	x86_lapic_send_ipi(cpu_apic_ids[cpu], X86_VEC_IPI);
}

static void x86_tlb_flush_all(void)
{
	/* Reloading CR3 drops every non-global translation, and the identity map has no global
	 * pages. The hypervisor does not use PCIDs, so there is no other context to flush. */
	x86_write_cr3(x86_read_cr3());
}

/*
 * CLFLUSH per line rather than WBINVD: WBINVD writes back every cache of the package, takes
 * milliseconds on large caches and cannot be interrupted, while callers pass a page or an image.
 * The MFENCEs order the flushes against the stores before and the accesses after. (x86 keeps page
 * walks, EPT walks included, coherent with the caches; this matters for non-coherent devices.)
 */
static void x86_dcache_clean_inval(void *va, size_t len)
{
	struct x86_cpuid id = x86_cpuid(1, 0);
	uintptr_t line, p, end;

	if (len == 0)
		return;
	if (!(id.edx & CPUID1_EDX_CLFLUSH)) {
		__asm__ volatile("wbinvd" : : : "memory");
		return;
	}
	line = ((id.ebx >> 8) & 0xff) * 8u;
	p = PV_ALIGN_DOWN((uintptr_t)va, line);
	end = (uintptr_t)va + len;
	__asm__ volatile("mfence" : : : "memory");
	for (; p < end; p += line)
		__asm__ volatile("clflush (%0)" : : "r"(p) : "memory");
	__asm__ volatile("mfence" : : : "memory");
}

/*
 * With interrupts masked, "sti; hlt" cannot lose a wake-up: STI takes effect only after the next
 * instruction, so an interrupt that became pending while masked (after the caller checked its
 * condition) is taken once HLT has started and ends it at once. The handler records it
 * (x86_irq_record) and returns behind the HLT, where CLI restores the caller's masked state.
 * Called with interrupts on, a plain HLT is all that can be done.
 */
static void x86_wait_for_interrupt(void)
{
	if (x86_read_rflags() & X86_RFLAGS_IF)
		__asm__ volatile("hlt" : : : "memory");
	else
		__asm__ volatile("sti; hlt; cli" : : : "memory");
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "x86_64",
	.cpu_id = x86_cpu_id,
	.timer_now = x86_timer_now,
	.timer_freq = x86_timer_freq,
	.timer_arm = x86_timer_arm,
	.ipi_send = x86_ipi_send,
	.tlb_flush_all = x86_tlb_flush_all,
	.dcache_clean_inval = x86_dcache_clean_inval,
	.cpu_start = x86_cpu_start,
	.wait_for_interrupt = x86_wait_for_interrupt,
};
