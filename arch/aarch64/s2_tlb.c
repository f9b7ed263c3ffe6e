// SPDX-License-Identifier: MIT
/*
 * Stage-2 TLB maintenance. The TLBI operations act on the VMID held in VTTBR_EL2, so each call
 * installs the space's VMID for the duration and puts the previous value back. At EL2 that is
 * safe: the EL1&0 regime VTTBR_EL2 belongs to is not in use while the hypervisor runs.
 */
#include <a64/backend.h>
#include <a64/sysreg.h>

/* Beyond this many pages one VMID-wide invalidation is cheaper than page-by-page. */
#define A64_TLBI_MAX_PAGES 512u

/* Only VMID bits the CPU uses are written: with 8-bit VMIDs (VTCR_EL2.VS 0) bits 63:56 are RES0. */
static uint64_t a64_vttbr_of(const struct s2_space *space)
{
	uint64_t vmid = space->vmid;

	if (!(a64_read_vtcr_el2() & VTCR_VS))
		vmid &= 0xffu;
	return space->root.raw | (vmid << VTTBR_VMID_SHIFT);
}

static void a64_s2_invalidate_all(const struct s2_space *space)
{
	uint64_t saved = a64_read_vttbr_el2();

	/* Table updates must reach the walkers before the TLBI. */
	__asm__ volatile("dsb ishst" : : : "memory");
	a64_write_vttbr_el2(a64_vttbr_of(space));
	__asm__ volatile("isb\n\t"
			 "tlbi vmalls12e1is\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
	a64_write_vttbr_el2(saved);
	a64_isb();
}

static void a64_s2_invalidate_range(const struct s2_space *space, gpa_t addr, uint64_t size)
{
	uint64_t first = addr.raw >> 12;
	uint64_t last = (addr.raw + size + 0xfffu) >> 12;
	uint64_t saved;

	if (!size)
		return;
	if (last - first > A64_TLBI_MAX_PAGES) {
		a64_s2_invalidate_all(space);
		return;
	}

	saved = a64_read_vttbr_el2();
	__asm__ volatile("dsb ishst" : : : "memory");
	a64_write_vttbr_el2(a64_vttbr_of(space));
	a64_isb();
	/* The operand is IPA[47:12] in bits 35:0. */
	for (uint64_t page = first; page < last; page++)
		__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(page & PV_MASK(35, 0)) : "memory");
	/*
	 * Stage-1 entries cached by the guest may combine the stale stage-2 result, and there is no
	 * way to find them by IPA: drop the VMID's stage-1 entries too, after the stage-2 ones.
	 */
	__asm__ volatile("dsb ish\n\t"
			 "tlbi vmalle1is\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
	a64_write_vttbr_el2(saved);
	a64_isb();
}

const struct s2_tlb_ops a64_s2_tlb_ops = {
	.invalidate_range = a64_s2_invalidate_range,
	.invalidate_all = a64_s2_invalidate_all,
};
