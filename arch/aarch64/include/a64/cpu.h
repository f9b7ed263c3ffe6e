/* SPDX-License-Identifier: MIT */
/* What the aarch64 backend's files share about the CPU they run on. */
#ifndef A64_CPU_H
#define A64_CPU_H

#include <a64/sysreg.h>
#include <pv/types.h>

/*
 * Physical CPU index: MPIDR_EL1.Aff0 on a single cluster (Aff1..Aff3 zero), which is how QEMU virt
 * numbers up to 16 CPUs with GICv3. Boot code refuses CPUs outside that scheme, so every CPU that
 * runs hypervisor code has an index below CONFIG_MAX_CPUS.
 */
static inline unsigned a64_cpu_index(void)
{
	return MPIDR_AFF0(a64_read_mpidr_el1());
}

/* Physical address bits for an ID_AA64MMFR0_EL1.PARange value; 0 for a value not defined. */
unsigned a64_parange_bits(unsigned parange);

/* Set by boot code when the GICv3 system-register interface is implemented and enabled for EL2. */
extern bool a64_gic_sysreg;

/* Cleans and invalidates [va, va + len) to the point of coherency; invalidates only, when @clean
 * is false (for memory written with the data cache off, where a stale line must not win). */
void a64_dcache_range(void *va, size_t len, bool clean);

/* The EL2 exception vector table (vectors.S), installed in VBAR_EL2. */
extern char a64_el2_vectors[];

/*
 * Builds the hypervisor's EL2 identity map from the RAM ranges in @bi, drops from @bi any RAM the
 * map cannot reach, and turns the MMU and the caches on. Boot CPU, once, early.
 */
struct boot_info;
void a64_mmu_enable(struct boot_info *bi);

/* On a secondary CPU: the identity map the boot CPU built, MMU and caches on. The boot CPU calls
 * a64_mmu_publish first so the values reach memory for a CPU whose caches are off. */
void a64_mmu_enable_secondary(void);
void a64_mmu_publish(void);

/* Entry of secondary CPUs for PSCI CPU_ON (boot.S). */
extern char a64_secondary_entry[];

/* Firmware call through SMC (SMC Calling Convention, 64-bit): returns x0. */
uint64_t a64_smc_call(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
