// SPDX-License-Identifier: MIT
/* hal_cpu for ARMv8-A at EL2: counter, EL2 physical timer, GICv3 SGIs, cache and TLB upkeep. */
#include <a64/cpu.h>
#include <a64/gic.h>
#include <a64/sysreg.h>
#include <hal/hal.h>

/* SGI number the hypervisor uses to kick another CPU; the GIC driver enables the same one. */
#define A64_IPI_SGI A64_IRQ_IPI

#define PSCI_CPU_ON_64	    0xc4000003u
#define PSCI_RET_ALREADY_ON (-4)

bool a64_gic_sysreg;

unsigned a64_parange_bits(unsigned parange)
{
	static const uint8_t bits[] = { 32, 36, 40, 42, 44, 48, 52 };

	return parange < PV_ARRAY_SIZE(bits) ? bits[parange] : 0;
}

static uint64_t a64_timer_now(void)
{
	return a64_read_cntpct();
}

static uint64_t a64_timer_freq(void)
{
	return a64_read_cntfrq_el0();
}

/* The EL2 physical timer (CNTHP) belongs to the hypervisor alone; guests get the EL1 timers. */
static void a64_timer_arm(uint64_t deadline)
{
	if (!deadline) {
		a64_write_cnthp_ctl_el2(0);
	} else {
		a64_write_cnthp_cval_el2(deadline);
		a64_write_cnthp_ctl_el2(CNTHP_CTL_ENABLE);
	}
	a64_isb();
}

/*
 * Raises SGI A64_IPI_SGI on @cpu through ICC_SGI1R_EL1. The sender needs only the system-register
 * interface; whether the target takes the interrupt depends on its redistributor, which the GIC
 * driver sets up. Without a GICv3 CPU interface there is no way to send one, and the caller must
 * know rather than wait for a wake-up that never comes.
 */
static void a64_ipi_send(unsigned cpu)
{
	if (!a64_gic_sysreg)
		hal_panic("ipi_send(%u): no GICv3 system-register interface", cpu);
	/* Our CPU index is Aff0 with Aff1..3 zero: the target list bit is the index. */
	__asm__ volatile("dsb ishst" : : : "memory");
	a64_write_icc_sgi1r_el1(((uint64_t)A64_IPI_SGI << 24) | (1ULL << (cpu & 15u)));
	a64_isb();
}

static void a64_tlb_flush_all(void)
{
	__asm__ volatile("dsb ishst\n\t"
			 "tlbi alle2\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
}

void a64_dcache_range(void *va, size_t len, bool clean)
{
	/* CTR_EL0.DminLine: log2 of the smallest data-cache line in 4-byte words. */
	uintptr_t line = 4u << a64_id_field(a64_read_ctr_el0(), 16);
	uintptr_t p = PV_ALIGN_DOWN((uintptr_t)va, line);
	uintptr_t end = (uintptr_t)va + len;

	/* Two loops, not one with a test inside: loading a guest cleans tens of megabytes. */
	__asm__ volatile("dsb sy" : : : "memory");
	if (clean)
		for (; p < end; p += line)
			__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	else
		for (; p < end; p += line)
			__asm__ volatile("dc ivac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

static void a64_dcache_clean_inval(void *va, size_t len)
{
	a64_dcache_range(va, len, true);
}

/* The hypervisor keeps PSTATE.I set: WFI still wakes on a pending interrupt, which is then
 * acknowledged and handled here rather than through the vectors. */
static void a64_wait_for_interrupt(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
	if (a64_gic_sysreg)
		a64_gic_handle_irqs();
}

/* PSCI CPU_ON to the firmware: the CPU enters a64_secondary_entry at EL2 with its index in x0. */
static int a64_cpu_start(unsigned cpu)
{
	int64_t ret;

	a64_mmu_publish();
	ret = (int64_t)a64_smc_call(PSCI_CPU_ON_64, cpu, (uintptr_t)a64_secondary_entry, cpu);
	if (ret == 0)
		return PV_OK;
	hal_printf("cpu %u: PSCI CPU_ON failed (%lld)\n", cpu, (long long)ret);
	return ret == PSCI_RET_ALREADY_ON ? -PV_EBUSY : -PV_ENOTSUP;
}

static unsigned a64_cpu_id(void)
{
	return a64_cpu_index();
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "aarch64",
	.cpu_id = a64_cpu_id,
	.timer_now = a64_timer_now,
	.timer_freq = a64_timer_freq,
	.timer_arm = a64_timer_arm,
	.ipi_send = a64_ipi_send,
	.tlb_flush_all = a64_tlb_flush_all,
	.dcache_clean_inval = a64_dcache_clean_inval,
	.cpu_start = a64_cpu_start,
	.wait_for_interrupt = a64_wait_for_interrupt,
	.irq_enable = a64_gic_irq_enable,
};
