// SPDX-License-Identifier: MIT
/*
 * Stage-2 (GPA->HPA) TLB invalidation with invtlb, keyed by the space's VMID used as the LVZ guest
 * ID. Operations used (numbering as in Linux's LoongArch KVM):
 *   0x16  entries of guest ID rj that translate the GPA in rk (one even/odd page pair per entry)
 *   0x15  every entry of guest ID rj, GVA->GPA and GPA->HPA
 * rj carries the guest ID in the bit position GSTAT.GID has (23:16).
 *
 * Without LVZ no entry carries a guest ID, and those operations do not exist (invtlb raises INE),
 * so there is nothing to invalidate. invtlb acts on the executing CPU only: invalidating other
 * CPUs that ran the VM needs IPIs, which arrive together with SMP guests.
 */
#include <arch/loongarch.h>

#include "la_internal.h"

/* Beyond this many page pairs one whole-guest invalidation is cheaper than walking the range. */
#define LA_S2_TLB_RANGE_MAX_PAIRS 64

static uint64_t la_gid_operand(const struct s2_space *space)
{
	return (uint64_t)(space->vmid & LA_GSTAT_GID_MASK) << LA_GSTAT_GID_SHIFT;
}

static void la_s2_invalidate_all(const struct s2_space *space)
{
	if (!la_has_lvz())
		return;
	/* Table updates must be visible before a refill on another CPU walks them again. */
	__builtin_loongarch_dbar(0);
	__asm__ volatile("invtlb %0, %1, $zero"
			 :
			 : "i"(LA_INVTLB_GID_ALL), "r"(la_gid_operand(space))
			 : "memory");
}

static void la_s2_invalidate_range(const struct s2_space *space, gpa_t addr, uint64_t size)
{
	uint64_t pair = 2ULL << space->fmt->page_shift;
	uint64_t gid = la_gid_operand(space);
	uint64_t start, end;

	if (!la_has_lvz() || size == 0)
		return;
	start = PV_ALIGN_DOWN(addr.raw, pair);
	end = addr.raw + size;
	if (end < addr.raw || (end - start) / pair > LA_S2_TLB_RANGE_MAX_PAIRS) {
		la_s2_invalidate_all(space);
		return;
	}
	__builtin_loongarch_dbar(0);
	for (uint64_t a = start; a < end; a += pair)
		__asm__ volatile("invtlb %0, %1, %2"
				 :
				 : "i"(LA_INVTLB_GID_ADDR), "r"(gid), "r"(a)
				 : "memory");
}

const struct s2_tlb_ops la_s2_tlb_ops = {
	.invalidate_range = la_s2_invalidate_range,
	.invalidate_all = la_s2_invalidate_all,
};
