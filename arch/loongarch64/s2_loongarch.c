// SPDX-License-Identifier: MIT
/*
 * LoongArch GPA table entries (Reference Manual vol. 1, "Multi-level Page Table Structure
 * Supported by page walking" and "TLB Entry"; field positions as in "TLB Entry Low-order Bits"):
 *   V bit 0, D bit 1, PLV bits 3:2, MAT bits 5:4, G bit 6 (common page), P bit 7, W bit 8,
 *   PA bits PALEN-1:12, NR bit 61, NX bit 62, RPLV bit 63. A huge leaf sits in a directory
 *   entry, marks itself with H = bit 6 and keeps G in bit 12 instead.
 * How entries are told apart here:
 *   level 0: directory only; any non-zero value holding nothing but an address is a table.
 *   level 1: H set (with V) is a 32 MiB leaf; otherwise a bare address is a table.
 *   level 2: V set is a 16 KiB leaf.
 * Leaves are global (these entries are only ever matched for the guest's GID) and use PLV 3
 * with RPLV clear, which every privilege level may use, so the result does not depend on
 * which level an LVZ implementation checks second-stage entries against. A writable leaf
 * carries both D (what the TLB checks) and W (what the page walker checks).
 */
#include "s2_loongarch.h"

#define LA_S2_LEVELS 3u
#define LA_PLV_ANY   3ULL

static uint64_t la_make_table(hpa_t table)
{
	return table.raw & LA_PTE_PA_MASK;
}

static unsigned la_shift(unsigned level)
{
	return level == LA_S2_LEVELS - 1u ? LA_S2_PAGE_SHIFT : LA_S2_HUGE_SHIFT;
}

static uint64_t la_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	uint64_t mat = attr.memtype == S2_MEM_DEVICE ? LA_PTE_MAT_SUC : LA_PTE_MAT_CC;
	uint64_t pte = (out.raw & PV_MASK(LA_PALEN - 1, la_shift(level))) | LA_PTE_V | LA_PTE_P |
		       (LA_PLV_ANY << LA_PTE_PLV_SHIFT) | (mat << LA_PTE_MAT_SHIFT);

	pte |= level == LA_S2_LEVELS - 1u ? LA_PTE_G : (LA_PTE_H | LA_PTE_HG);
	if (attr.perm & S2_PERM_W)
		pte |= LA_PTE_D | LA_PTE_W;
	if (!(attr.perm & S2_PERM_R))
		pte |= LA_PTE_NR;
	if (!(attr.perm & S2_PERM_X))
		pte |= LA_PTE_NX;
	return pte;
}

static enum s2_pte_kind la_classify(uint64_t pte, unsigned level)
{
	if (level >= LA_S2_LEVELS || pte == 0)
		return S2_PTE_INVALID;
	if (level == LA_S2_LEVELS - 1u)
		return (pte & LA_PTE_V) ? S2_PTE_LEAF : S2_PTE_INVALID;
	if (level == 1 && (pte & LA_PTE_H))
		return (pte & LA_PTE_V) ? S2_PTE_LEAF : S2_PTE_INVALID;
	return (pte & ~LA_PTE_PA_MASK) ? S2_PTE_INVALID : S2_PTE_TABLE;
}

static hpa_t la_entry_addr(uint64_t pte, unsigned level)
{
	if (level == 1 && (pte & LA_PTE_H))
		return hpa(pte & PV_MASK(LA_PALEN - 1, LA_S2_HUGE_SHIFT));
	return hpa(pte & LA_PTE_PA_MASK);
}

static struct s2_attr la_leaf_attr(uint64_t pte, unsigned level)
{
	struct s2_attr attr = { 0, S2_MEM_NORMAL };

	(void)level;
	if (!(pte & LA_PTE_NR))
		attr.perm |= S2_PERM_R;
	if (pte & LA_PTE_D)
		attr.perm |= S2_PERM_W;
	if (!(pte & LA_PTE_NX))
		attr.perm |= S2_PERM_X;
	if (((pte >> LA_PTE_MAT_SHIFT) & 3u) != LA_PTE_MAT_CC)
		attr.memtype = S2_MEM_DEVICE;
	return attr;
}

/* NR, NX and D are independent bits, and V stays set without any of them: all combinations
 * are expressible. */
static bool la_perm_ok(uint8_t perm)
{
	(void)perm;
	return true;
}

const struct s2_format s2_format_loongarch = {
	.name = "loongarch",
	.levels = LA_S2_LEVELS,
	.page_shift = LA_S2_PAGE_SHIFT,
	.bits_per_level = 11,
	.root_bits = 11,
	.oa_bits = LA_PALEN,
	.leaf_levels = (1u << 1) | (1u << 2),
	.make_table = la_make_table,
	.make_leaf = la_make_leaf,
	.classify = la_classify,
	.entry_addr = la_entry_addr,
	.leaf_attr = la_leaf_attr,
	.perm_ok = la_perm_ok,
};

uint64_t s2_loongarch_tlbelo(uint64_t pte, unsigned level, unsigned half)
{
	const uint64_t keep =
		LA_PTE_V | LA_PTE_D | PV_MASK(5, 2) | LA_PTE_NR | LA_PTE_NX | LA_PTE_RPLV;
	uint64_t elo;

	if (la_classify(pte, level) != S2_PTE_LEAF)
		return 0;
	if (level == LA_S2_LEVELS - 1u)
		return pte & (keep | LA_PTE_G | LA_PTE_PA_MASK);
	elo = (pte & keep) |
	      (la_entry_addr(pte, level).raw + ((uint64_t)(half & 1u) << LA_S2_HUGE_HALF_SHIFT));
	if (pte & LA_PTE_HG)
		elo |= LA_PTE_G;
	return elo;
}
