/* SPDX-License-Identifier: MIT */
/*
 * GPA-to-HPA tables for a LoongArch LVZ hypervisor, walked in software on a TLB refill: 16 KiB
 * pages, three levels of 2048 entries (16 KiB tables) => 47-bit GPA, 32 MiB huge leaves at
 * level 1 and 16 KiB leaves at level 2. Entries use the page-table entry layout of LoongArch
 * Reference Manual vol. 1, "Multi-level Page Table Structure Supported by page walking" (common
 * page and huge page formats), whose fields are those of TLBELO0/1 ("TLB Entry Low-order Bits").
 *
 * Directory entries are bare physical addresses, as the manual requires for LDDIR; so an empty
 * entry (0) cannot be told from a table at physical 0. The engine refuses to place a table
 * there, and a refill handler that walks with LDDIR must still treat a zero directory entry as
 * "unmapped" itself.
 */
#ifndef ARCH_LOONGARCH64_S2_LOONGARCH_H
#define ARCH_LOONGARCH64_S2_LOONGARCH_H

#include <addrspace/s2_format.h>

#define LA_PTE_V	 PV_BIT(0)
#define LA_PTE_D	 PV_BIT(1)  /* stores allowed (no page-modification exception) */
#define LA_PTE_PLV_SHIFT 2	    /* bits 3:2 */
#define LA_PTE_MAT_SHIFT 4	    /* bits 5:4 */
#define LA_PTE_MAT_SUC	 0ULL	    /* strongly-ordered uncached */
#define LA_PTE_MAT_CC	 1ULL	    /* coherent cached */
#define LA_PTE_G	 PV_BIT(6)  /* common pages: global */
#define LA_PTE_H	 PV_BIT(6)  /* directory levels: this entry is a huge leaf */
#define LA_PTE_P	 PV_BIT(7)  /* present; used by page walking, not loaded into the TLB */
#define LA_PTE_W	 PV_BIT(8)  /* writable; used by page walking, not loaded into the TLB */
#define LA_PTE_HG	 PV_BIT(12) /* huge pages: global */
#define LA_PTE_NR	 PV_BIT(61)
#define LA_PTE_NX	 PV_BIT(62)
#define LA_PTE_RPLV	 PV_BIT(63)
#define LA_PALEN	 48
#define LA_PTE_PA_MASK	 PV_MASK(LA_PALEN - 1, 12)

#define LA_S2_PAGE_SHIFT 14
#define LA_S2_HUGE_SHIFT 25
/* TLB page size of each half of a huge leaf: the TLB holds even/odd pairs. */
#define LA_S2_HUGE_HALF_SHIFT (LA_S2_HUGE_SHIFT - 1)

extern const struct s2_format s2_format_loongarch;

/*
 * The TLBELO value for a leaf @pte found at @level by s2_lookup_entry: for a 16 KiB page its
 * TLB fields; for a 32 MiB huge leaf, the 16 MiB half @half (0 even, 1 odd) with G moved back
 * to bit 6. Returns 0 (an invalid TLBELO) for anything that is not a leaf.
 */
uint64_t s2_loongarch_tlbelo(uint64_t pte, unsigned level, unsigned half);

#endif
