// SPDX-License-Identifier: MIT
/* Guest page walk (x86_gwalk.h); SDM vol. 3, "4-Level Paging and 5-Level Paging". */
#include "x86_gwalk.h"

#define CR0_PG	 PV_BIT(31)
#define CR4_PAE	 PV_BIT(5)
#define CR4_LA57 PV_BIT(12)
#define EFER_LMA PV_BIT(10)
#define PTE_P	 PV_BIT(0)
#define PTE_PS	 PV_BIT(7)
#define PTE_ADDR PV_MASK(51, 12)

int x86_gwalk(const struct x86_gwalk_regs *regs, uint64_t linear, x86_gwalk_read_fn read, void *ctx,
	      uint64_t *pa)
{
	uint64_t table = regs->cr3 & PTE_ADDR;

	if (!(regs->cr0 & CR0_PG)) {
		*pa = linear & 0xffffffffu;
		return PV_OK;
	}
	if (!(regs->efer & EFER_LMA) || !(regs->cr4 & CR4_PAE) || (regs->cr4 & CR4_LA57))
		return -PV_ENOTSUP;
	for (unsigned level = 0; level < 4; level++) {
		unsigned shift = 39u - 9u * level;
		uint64_t pte;
		int err = read(ctx, table + ((linear >> shift) & 511u) * 8u, &pte, sizeof(pte));

		if (err)
			return err;
		if (!(pte & PTE_P))
			return -PV_ENOENT;
		/* PS in a PDPTE (1 GiB) or PDE (2 MiB) ends the walk; in a PML4E it is reserved. */
		if (level == 3 || ((pte & PTE_PS) && level > 0)) {
			uint64_t mask = PV_BIT(shift) - 1;
			*pa = (pte & PTE_ADDR & ~mask) | (linear & mask);
			return PV_OK;
		}
		if (pte & PTE_PS)
			return -PV_ENOTSUP;
		table = pte & PTE_ADDR;
	}
	return -PV_ENOENT;
}
