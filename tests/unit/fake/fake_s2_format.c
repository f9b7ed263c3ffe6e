// SPDX-License-Identifier: MIT
#include "fake_s2_format.h"

#define FAKE_S2_LEVELS 4u
#define FAKE_S2_FIELDS (PV_MASK(63, 60) | PV_MASK(58, 56) | PV_MASK(53, 52) | FAKE_S2_ADDR_MASK)

static uint64_t fake_kind(uint64_t pte)
{
	return pte >> FAKE_S2_KIND_SHIFT;
}

static uint64_t fake_make_table(hpa_t table)
{
	return (FAKE_S2_KIND_TABLE << FAKE_S2_KIND_SHIFT) | ((table.raw >> 12) & FAKE_S2_ADDR_MASK);
}

static uint64_t fake_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	uint64_t denied = (uint64_t)(~attr.perm & S2_PERM_RWX);

	return (FAKE_S2_KIND_LEAF << FAKE_S2_KIND_SHIFT) |
	       ((uint64_t)(level & 3u) << FAKE_S2_LEVEL_SHIFT) | (denied << FAKE_S2_NOPERM_SHIFT) |
	       ((uint64_t)(attr.memtype + 1u) << FAKE_S2_MEMTYPE_SHIFT) |
	       ((out.raw >> 12) & FAKE_S2_ADDR_MASK);
}

static enum s2_pte_kind fake_classify(uint64_t pte, unsigned level)
{
	uint64_t memtype = (pte >> FAKE_S2_MEMTYPE_SHIFT) & 3u;

	if (level >= FAKE_S2_LEVELS || (pte & ~FAKE_S2_FIELDS))
		return S2_PTE_INVALID;
	if (fake_kind(pte) == FAKE_S2_KIND_TABLE) {
		bool bare = (pte & ~(PV_MASK(63, 62) | FAKE_S2_ADDR_MASK)) == 0;

		return bare && level + 1u < FAKE_S2_LEVELS ? S2_PTE_TABLE : S2_PTE_INVALID;
	}
	if (fake_kind(pte) != FAKE_S2_KIND_LEAF || level == 0 ||
	    ((pte >> FAKE_S2_LEVEL_SHIFT) & 3u) != level || memtype == 0 || memtype > 2)
		return S2_PTE_INVALID;
	return S2_PTE_LEAF;
}

static hpa_t fake_entry_addr(uint64_t pte, unsigned level)
{
	(void)level;
	return hpa((pte & FAKE_S2_ADDR_MASK) << 12);
}

static struct s2_attr fake_leaf_attr(uint64_t pte, unsigned level)
{
	uint64_t denied = (pte >> FAKE_S2_NOPERM_SHIFT) & S2_PERM_RWX;
	struct s2_attr attr = {
		.perm = (uint8_t)(~denied & S2_PERM_RWX),
		.memtype = (uint8_t)(((pte >> FAKE_S2_MEMTYPE_SHIFT) & 3u) - 1u),
	};

	(void)level;
	return attr;
}

static bool fake_perm_ok(uint8_t perm)
{
	return perm != S2_PERM_X;
}

const struct s2_format fake_s2_format = {
	.name = "fake",
	.levels = FAKE_S2_LEVELS,
	.page_shift = 12,
	.bits_per_level = 7,
	.root_bits = 5,
	.oa_bits = 52,
	.leaf_levels = (1u << 1) | (1u << 2) | (1u << 3),
	.make_table = fake_make_table,
	.make_leaf = fake_make_leaf,
	.classify = fake_classify,
	.entry_addr = fake_entry_addr,
	.leaf_attr = fake_leaf_attr,
	.perm_ok = fake_perm_ok,
};
