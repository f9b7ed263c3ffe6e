// SPDX-License-Identifier: MIT
/*
 * Stage-2 (G-stage) TLB invalidation: HFENCE.GVMA on the calling hart, and the SBI RFENCE
 * extension's remote_hfence_gvma_vmid for every other hart that runs the hypervisor (a hart not
 * yet started has nothing cached). The firmware returns once the remote harts have fenced.
 */
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <riscv64/backend.h>
#include <riscv64/cpu.h>
#include <riscv64/hfence.h>
#include <riscv64/sbi.h>

/* Beyond this many pages one fence for the whole VMID is cheaper than a fence per page. */
#define RISCV_S2_FENCE_PAGES_MAX    64u
#define SBI_RFENCE_HFENCE_GVMA_VMID 3

/* Asks the other online harts to drop [start, start+size) of @vmid (size 0: everything). */
static void riscv_s2_remote(uint64_t start, uint64_t size, uint16_t vmid)
{
	uint64_t online = __atomic_load_n(&riscv_cpus_online, __ATOMIC_ACQUIRE);
	unsigned self = hal_cpu.cpu_id();
	unsigned long mask = 0;
	struct sbi_ret r;

	for (unsigned cpu = 0; cpu < riscv_ncpus; cpu++)
		if (cpu != self && (online >> cpu & 1) && riscv_cpus[cpu].hartid < 64)
			mask |= 1UL << riscv_cpus[cpu].hartid;
	if (!mask)
		return;
	r = sbi_call(SBI_EXT_RFENCE, SBI_RFENCE_HFENCE_GVMA_VMID, mask, 0, start,
		     size ? size : ~0UL, vmid, 0);
	if (r.error != SBI_SUCCESS)
		hal_panic("SBI remote_hfence_gvma_vmid failed: %ld (stale G-stage translations)",
			  r.error);
}

static void riscv_s2_invalidate_all(const struct s2_space *space)
{
	riscv_hfence_gvma_vmid(space->vmid);
	riscv_s2_remote(0, 0, space->vmid);
}

static void riscv_s2_invalidate_range(const struct s2_space *space, gpa_t addr, uint64_t size)
{
	uint64_t start = PV_ALIGN_DOWN(addr.raw, HAL_PAGE_SIZE);
	uint64_t end = addr.raw + size;

	if (size == 0)
		return;
	if (end < start || ((end - start) >> HAL_PAGE_SHIFT) > RISCV_S2_FENCE_PAGES_MAX) {
		riscv_s2_invalidate_all(space);
		return;
	}
	/* A fence names one address; it also drops a block (superpage) entry that covers it. */
	for (uint64_t a = start; a < end; a += HAL_PAGE_SIZE)
		riscv_hfence_gvma_gpa_vmid(a, space->vmid);
	riscv_s2_remote(start, end - start, space->vmid);
}

const struct s2_tlb_ops riscv_s2_tlb_ops = {
	.invalidate_range = riscv_s2_invalidate_range,
	.invalidate_all = riscv_s2_invalidate_all,
};
