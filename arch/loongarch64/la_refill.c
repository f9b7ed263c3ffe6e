// SPDX-License-Identifier: MIT
/*
 * The GPA refill: a guest access whose GPA has no TLB entry (tagged with the VM's guest ID) exits
 * through the TLB-refill entry; the translation comes from the VM's stage-2 tables and is written
 * with tlbfill. A TLB entry maps an even/odd pair of pages. A half with nothing behind it gets an
 * invalid TLBELO, so the retried access raises a page-invalid exception (PIL/PIS/PIF) that the
 * exit decoder turns into an MMIO access or a fault, instead of refilling forever.
 */
#include "la_hw.h"
#include "la_vcpu.h"
#include "s2_loongarch.h"

#define LA_PAIR_SHIFT (LA_S2_PAGE_SHIFT + 1)

/* TLBELO of the page at @addr (0 if unmapped); *level tells a 32 MiB leaf apart. */
static uint64_t la_refill_lookup(struct s2_space *space, uint64_t addr, uint64_t *pte,
				 unsigned *level)
{
	if (s2_lookup_entry(space, gpa(addr), pte, level) != PV_OK)
		*pte = 0;
	return s2_loongarch_tlbelo(*pte, *level, 0);
}

void la_refill(struct s2_space *space, uint64_t gpa)
{
	uint64_t base = gpa & ~((1ULL << LA_PAIR_SHIFT) - 1);
	uint64_t pte0 = 0, pte1 = 0, elo0, elo1, ehi;
	unsigned level0 = 0, level1 = 0, ps = LA_S2_PAGE_SHIFT;

	elo0 = la_refill_lookup(space, base, &pte0, &level0);
	if (elo0 && level0 < 2) {
		/* A huge leaf: one TLB entry covers it, its two halves as the pair. */
		ps = LA_S2_HUGE_HALF_SHIFT;
		ehi = gpa & ~((1ULL << LA_S2_HUGE_SHIFT) - 1);
		elo0 = s2_loongarch_tlbelo(pte0, level0, 0);
		elo1 = s2_loongarch_tlbelo(pte0, level0, 1);
	} else {
		ehi = base;
		/* Both pages of a pair lie in the same 32 MiB region, so the odd one is a
		 * small page or unmapped too. */
		elo1 = la_refill_lookup(space, base + (1ULL << LA_S2_PAGE_SHIFT), &pte1, &level1);
	}
	la_hw_csr_write(LA_CSR_TLBEHI, ehi);
	la_hw_csr_write(LA_CSR_TLBELO0, elo0);
	la_hw_csr_write(LA_CSR_TLBELO1, elo1);
	la_hw_csr_write(LA_CSR_TLBIDX, (uint64_t)ps << LA_TLBIDX_PS_SHIFT);
	la_hw_tlbfill();
}
