// SPDX-License-Identifier: MIT
/*
 * Intel EPT entries (SDM vol. 3C, "EPT Translation Mechanism"; the tables "Format of an EPT
 * PML4 Entry", "... PDPTE that Maps a 1-GByte Page", "... PDE that Maps a 2-MByte Page", "...
 * Page-Table Entry that Maps a 4-KByte Page"):
 *   bit 0 read, bit 1 write, bit 2 execute; an entry with bits 2:0 all clear is not present.
 *   bits 5:3 EPT memory type and bit 6 ignore-PAT exist in leaves only ("EPT and Memory
 *   Typing"); we set ignore-PAT so the guest's PAT cannot weaken WB RAM or strengthen UC MMIO.
 *   bit 7 selects a 1 GiB / 2 MiB leaf in a PDPTE / PDE, and is reserved in a PML4E.
 *   bits 51:12 hold the next table or the page frame (bits 29:12 / 20:12 reserved for blocks).
 * Engine level 0 is the PML4, level 3 the page table.
 */
#include "s2_ept.h"

#define EPT_LEVELS 4u
#define EPT_RWX	   (EPT_READ | EPT_WRITE | EPT_EXEC)

static unsigned ept_shift(unsigned level)
{
	return 12u + 9u * (EPT_LEVELS - 1u - level);
}

static uint64_t ept_make_table(hpa_t table)
{
	/* Permissions of a table entry only restrict; leaves decide. */
	return (table.raw & EPT_ADDR_MASK) | EPT_RWX;
}

static uint64_t ept_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	uint64_t mt = attr.memtype == S2_MEM_DEVICE ? EPT_MT_UC : EPT_MT_WB;
	uint64_t pte =
		(out.raw & PV_MASK(51, ept_shift(level))) | (mt << EPT_MT_SHIFT) | EPT_IGNORE_PAT;

	if (attr.perm & S2_PERM_R)
		pte |= EPT_READ;
	if (attr.perm & S2_PERM_W)
		pte |= EPT_WRITE;
	if (attr.perm & S2_PERM_X)
		pte |= EPT_EXEC;
	if (level != EPT_LEVELS - 1u)
		pte |= EPT_LARGE;
	return pte;
}

static enum s2_pte_kind ept_classify(uint64_t pte, unsigned level)
{
	if (!(pte & EPT_RWX) || level >= EPT_LEVELS)
		return S2_PTE_INVALID;
	if (level == EPT_LEVELS - 1u)
		return S2_PTE_LEAF;
	if (!(pte & EPT_LARGE))
		return S2_PTE_TABLE;
	/* A large PML4E is reserved: it is neither a table nor a 512 GiB page. */
	return level == 0 ? S2_PTE_INVALID : S2_PTE_LEAF;
}

static hpa_t ept_entry_addr(uint64_t pte, unsigned level)
{
	if (level != EPT_LEVELS - 1u && (pte & EPT_LARGE))
		return hpa(pte & PV_MASK(51, ept_shift(level)));
	return hpa(pte & EPT_ADDR_MASK);
}

static struct s2_attr ept_leaf_attr(uint64_t pte, unsigned level)
{
	struct s2_attr attr = { 0, S2_MEM_NORMAL };

	(void)level;
	if (pte & EPT_READ)
		attr.perm |= S2_PERM_R;
	if (pte & EPT_WRITE)
		attr.perm |= S2_PERM_W;
	if (pte & EPT_EXEC)
		attr.perm |= S2_PERM_X;
	if (((pte >> EPT_MT_SHIFT) & 7u) != EPT_MT_WB)
		attr.memtype = S2_MEM_DEVICE;
	return attr;
}

/*
 * Write without read is an EPT misconfiguration, and no access at all would read as "not
 * present". Execute-only is an optional feature (IA32_VMX_EPT_VPID_CAP bit 0) that this pure
 * description cannot probe, so it is refused too.
 */
static bool ept_perm_ok(uint8_t perm)
{
	return (perm & S2_PERM_R) != 0;
}

const struct s2_format s2_format_ept = {
	.name = "ept",
	.levels = EPT_LEVELS,
	.page_shift = 12,
	.bits_per_level = 9,
	.root_bits = 9,
	.oa_bits = 52,
	.leaf_levels = (1u << 1) | (1u << 2) | (1u << 3),
	.make_table = ept_make_table,
	.make_leaf = ept_make_leaf,
	.classify = ept_classify,
	.entry_addr = ept_entry_addr,
	.leaf_attr = ept_leaf_attr,
	.perm_ok = ept_perm_ok,
};

uint64_t s2_ept_eptp(hpa_t root)
{
	return (root.raw & EPT_ADDR_MASK) | ((uint64_t)(EPT_LEVELS - 1u) << EPTP_WALK_LEN_SHIFT) |
	       EPTP_MT_WB;
}
