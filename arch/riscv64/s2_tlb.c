// SPDX-License-Identifier: MIT
/*
 * Stage-2 (G-stage) TLB invalidation with HFENCE.GVMA on the calling hart.
 * Other harts are not reached yet: no secondary hart runs guests until SMP bring-up exists, which
 * will have to add SBI RFENCE remote_hfence_gvma_vmid for harts that ran the VMID.
 */
#include <hal/page_pool.h>
#include <riscv64/backend.h>
#include <riscv64/hfence.h>

/* Beyond this many pages one fence for the whole VMID is cheaper than a fence per page. */
#define RISCV_S2_FENCE_PAGES_MAX 64u

static void riscv_s2_invalidate_all(const struct s2_space *space)
{
	riscv_hfence_gvma_vmid(space->vmid);
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
}

const struct s2_tlb_ops riscv_s2_tlb_ops = {
	.invalidate_range = riscv_s2_invalidate_range,
	.invalidate_all = riscv_s2_invalidate_all,
};
