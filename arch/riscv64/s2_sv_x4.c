// SPDX-License-Identifier: MIT
/*
 * RISC-V G-stage PTEs (privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System",
 * "Sv48", and "Two-Stage Address Translation" / "Guest Physical Address Translation"):
 *   V bit 0; R, W, X bits 1-3; U bit 4; G bit 5; A bit 6; D bit 7; PPN bits 53:10 (address
 *   >> 12 << 10). R = W = X = 0 with V set points to the next level; any of them set makes a
 *   leaf, at any level, whose PPN must be aligned to the leaf size. W without R is reserved.
 *   G-stage accesses are all checked as U-mode accesses, so leaves carry U; G is unused in
 *   the G-stage and kept clear. A and D are preset so that harts without hardware A/D updates
 *   (no Svadu) do not fault on first access or first write.
 *   The root table has four times the usual entries (2048, 16 KiB), indexed by GPA bits
 *   40:30 (Sv39x4) or 49:39 (Sv48x4).
 */
#include "s2_sv_x4.h"

#define RISCV_PTE_RWX (RISCV_PTE_R | RISCV_PTE_W | RISCV_PTE_X)

static uint64_t sv_pte_addr(hpa_t addr)
{
	return ((addr.raw >> 12) << RISCV_PTE_PPN_SHIFT) & RISCV_PTE_PPN_MASK;
}

static uint64_t sv_make_table(hpa_t table)
{
	return sv_pte_addr(table) | RISCV_PTE_V;
}

static uint64_t sv_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	uint64_t pte = sv_pte_addr(out) | RISCV_PTE_V | RISCV_PTE_U | RISCV_PTE_A | RISCV_PTE_D;

	(void)level;
	if (attr.perm & S2_PERM_R)
		pte |= RISCV_PTE_R;
	if (attr.perm & S2_PERM_W)
		pte |= RISCV_PTE_W;
	if (attr.perm & S2_PERM_X)
		pte |= RISCV_PTE_X;
	return pte;
}

static enum s2_pte_kind sv_classify(unsigned levels, uint64_t pte, unsigned level)
{
	uint64_t rwx = pte & RISCV_PTE_RWX;

	if (!(pte & RISCV_PTE_V) || level >= levels)
		return S2_PTE_INVALID;
	if (rwx == 0)
		return level + 1u < levels ? S2_PTE_TABLE : S2_PTE_INVALID;
	if ((rwx & RISCV_PTE_W) && !(rwx & RISCV_PTE_R))
		return S2_PTE_INVALID;
	return S2_PTE_LEAF;
}

static enum s2_pte_kind sv39x4_classify(uint64_t pte, unsigned level)
{
	return sv_classify(3, pte, level);
}

static enum s2_pte_kind sv48x4_classify(uint64_t pte, unsigned level)
{
	return sv_classify(4, pte, level);
}

static hpa_t sv_entry_addr(uint64_t pte, unsigned level)
{
	(void)level;
	return hpa(((pte & RISCV_PTE_PPN_MASK) >> RISCV_PTE_PPN_SHIFT) << 12);
}

/* The memory type is not stored (see the header): every leaf reads back as NORMAL. */
static struct s2_attr sv_leaf_attr(uint64_t pte, unsigned level)
{
	struct s2_attr attr = { 0, S2_MEM_NORMAL };

	(void)level;
	if (pte & RISCV_PTE_R)
		attr.perm |= S2_PERM_R;
	if (pte & RISCV_PTE_W)
		attr.perm |= S2_PERM_W;
	if (pte & RISCV_PTE_X)
		attr.perm |= S2_PERM_X;
	return attr;
}

/* No permission at all would encode a pointer; write without read is reserved. */
static bool sv_perm_ok(uint8_t perm)
{
	if (perm == 0)
		return false;
	return !((perm & S2_PERM_W) && !(perm & S2_PERM_R));
}

const struct s2_format s2_format_sv39x4 = {
	.name = "sv39x4",
	.levels = 3,
	.page_shift = 12,
	.bits_per_level = 9,
	.root_bits = 11,
	.oa_bits = 56,
	.leaf_levels = (1u << 0) | (1u << 1) | (1u << 2),
	.make_table = sv_make_table,
	.make_leaf = sv_make_leaf,
	.classify = sv39x4_classify,
	.entry_addr = sv_entry_addr,
	.leaf_attr = sv_leaf_attr,
	.perm_ok = sv_perm_ok,
};

const struct s2_format s2_format_sv48x4 = {
	.name = "sv48x4",
	.levels = 4,
	.page_shift = 12,
	.bits_per_level = 9,
	.root_bits = 11,
	.oa_bits = 56,
	.leaf_levels = (1u << 0) | (1u << 1) | (1u << 2) | (1u << 3),
	.make_table = sv_make_table,
	.make_leaf = sv_make_leaf,
	.classify = sv48x4_classify,
	.entry_addr = sv_entry_addr,
	.leaf_attr = sv_leaf_attr,
	.perm_ok = sv_perm_ok,
};

uint64_t s2_sv_x4_hgatp(const struct s2_format *fmt, uint16_t vmid, hpa_t root)
{
	uint64_t mode;

	if (fmt == &s2_format_sv39x4)
		mode = S2_HGATP_MODE_SV39X4;
	else if (fmt == &s2_format_sv48x4)
		mode = S2_HGATP_MODE_SV48X4;
	else
		return 0;
	return (mode << S2_HGATP_MODE_SHIFT) |
	       (((uint64_t)vmid & S2_HGATP_VMID_MASK) << S2_HGATP_VMID_SHIFT) |
	       ((root.raw >> 12) & PV_MASK(43, 0));
}
