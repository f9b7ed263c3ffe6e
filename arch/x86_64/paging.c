// SPDX-License-Identifier: MIT
/*
 * The hypervisor's own address space: an identity map of physical memory with 2 MiB pages, one
 * PML4 entry, one PDPT and one page directory per GiB. boot.S fills the first four directories
 * before paging is on (RAM below the PCI hole, the APICs, firmware); x86_idmap_extend() adds the
 * rest once the memory map is known, up to CONFIG_X86_IDMAP_GIB.
 *
 * No entry is global (CR4.PGE stays clear), so a CR3 reload flushes every translation.
 */
#include <x86/cpu.h>

#include "x86_arch.h"

#define PTE_P	       PV_BIT(0)
#define PTE_RW	       PV_BIT(1)
#define PTE_PWT	       PV_BIT(3)
#define PTE_PCD	       PV_BIT(4)
#define PTE_PS	       PV_BIT(7)
#define PTES_PER_TABLE 512u
#define BOOT_IDMAP_GIB 4u

/* Referenced by boot.S, which cannot see C types: keep the names and the layout. */
uint64_t x86_pml4[PTES_PER_TABLE] __attribute__((aligned(4096)));
uint64_t x86_pdpt[PTES_PER_TABLE] __attribute__((aligned(4096)));
uint64_t x86_pd[CONFIG_X86_IDMAP_GIB][PTES_PER_TABLE] __attribute__((aligned(4096)));

_Static_assert(CONFIG_X86_IDMAP_GIB >= BOOT_IDMAP_GIB && CONFIG_X86_IDMAP_GIB <= PTES_PER_TABLE,
	       "the identity map spans 4 GiB to one PDPT (512 GiB)");

static unsigned idmap_gib = BOOT_IDMAP_GIB; /* GiB mapped so far */

uint64_t x86_idmap_limit(void)
{
	return PV_GIB(CONFIG_X86_IDMAP_GIB);
}

int x86_idmap_extend(uint64_t end)
{
	uint64_t want = PV_ALIGN_UP(end, PV_GIB(1)) >> 30;

	if (want > CONFIG_X86_IDMAP_GIB)
		return -PV_ENOMEM;
	for (unsigned g = idmap_gib; g < want; g++) {
		for (unsigned i = 0; i < PTES_PER_TABLE; i++)
			x86_pd[g][i] = PV_GIB(g) + PV_MIB(2) * i + (PTE_P | PTE_RW | PTE_PS);
		x86_pdpt[g] = (uint64_t)(uintptr_t)x86_pd[g] | PTE_P | PTE_RW;
	}
	if (want > idmap_gib) {
		idmap_gib = (unsigned)want;
		/* New entries were not-present before, so nothing stale can be cached; the reload
		 * only orders the table writes before the first access through them. */
		x86_write_cr3(x86_read_cr3());
	}
	return PV_OK;
}

int x86_idmap_set_uncached(uint64_t addr)
{
	uint64_t *pte;

	if (addr >= PV_GIB(idmap_gib))
		return -PV_EINVAL;
	pte = &x86_pd[addr >> 30][(addr >> 21) & (PTES_PER_TABLE - 1)];
	*pte |= PTE_PCD | PTE_PWT;
	__asm__ volatile("invlpg (%0)" : : "r"((uintptr_t)addr) : "memory");
	return PV_OK;
}
