// SPDX-License-Identifier: MIT
/*
 * VMSAv8-64 stage-2 descriptors, 4 KiB granule (Arm ARM, "VMSAv8-64 translation table format
 * descriptors" and "Stage 2 memory region attributes"):
 *   bits 1:0  0b11 table (levels 0-2) or page (level 3); 0b01 block (levels 1-2); 0b01 at
 *             level 3 and a block at level 0 are invalid.
 *   MemAttr[3:0] bits 5:2: 0b1111 Normal, outer and inner write-back; 0b0001 Device-nGnRE.
 *   S2AP bits 7:6: bit 6 grants reads, bit 7 writes. SH bits 9:8, AF bit 10 (set so no Access
 *   flag fault is taken), XN[1:0] bits 54:53 (0b10: no execution at EL1 or EL0; without
 *   FEAT_XNX bit 54 alone is XN and bit 53 is RES0, so the same value works everywhere).
 *   Output address bits 47:12 (47:21 for 2 MiB blocks, 47:30 for 1 GiB blocks).
 * Instruction fetches at stage 2 are checked against XN only, so every combination of the
 * three permissions, none included, is expressible.
 */
#include "s2_armv8.h"

#define ARMV8_RWX_NONE 0

/* Geometry of one format, in engine levels. */
struct armv8_geo {
	unsigned last;	      /* engine level of the page table */
	unsigned first_block; /* first engine level where a block is allowed */
};

static const struct armv8_geo armv8_geo_40 = { .last = 2, .first_block = 0 };
static const struct armv8_geo armv8_geo_48 = { .last = 3, .first_block = 1 };

static unsigned armv8_shift(const struct armv8_geo *g, unsigned level)
{
	return 12u + 9u * (g->last - level);
}

static uint64_t armv8_make_table(hpa_t table)
{
	return (table.raw & ARMV8_S2_OA_MASK) | ARMV8_S2_TABLE_OR_PAGE | ARMV8_S2_VALID;
}

static uint64_t armv8_make_leaf(const struct armv8_geo *g, hpa_t out, unsigned level,
				struct s2_attr attr)
{
	uint64_t pte =
		(out.raw & PV_MASK(47, armv8_shift(g, level))) | ARMV8_S2_VALID | ARMV8_S2_AF;

	if (level == g->last)
		pte |= ARMV8_S2_TABLE_OR_PAGE;
	if (attr.memtype == S2_MEM_DEVICE) {
		pte |= ARMV8_S2_MEMATTR_DEVICE_nGnRE << ARMV8_S2_MEMATTR_SHIFT;
	} else {
		pte |= ARMV8_S2_MEMATTR_NORMAL_WB << ARMV8_S2_MEMATTR_SHIFT;
		pte |= ARMV8_S2_SH_INNER << ARMV8_S2_SH_SHIFT;
	}
	if (attr.perm & S2_PERM_R)
		pte |= ARMV8_S2_S2AP_R;
	if (attr.perm & S2_PERM_W)
		pte |= ARMV8_S2_S2AP_W;
	if (!(attr.perm & S2_PERM_X))
		pte |= ARMV8_S2_XN_NONE << ARMV8_S2_XN_SHIFT;
	return pte;
}

static enum s2_pte_kind armv8_classify(const struct armv8_geo *g, uint64_t pte, unsigned level)
{
	if (!(pte & ARMV8_S2_VALID) || level > g->last)
		return S2_PTE_INVALID;
	if (level == g->last)
		return (pte & ARMV8_S2_TABLE_OR_PAGE) ? S2_PTE_LEAF : S2_PTE_INVALID;
	if (pte & ARMV8_S2_TABLE_OR_PAGE)
		return S2_PTE_TABLE;
	return level >= g->first_block ? S2_PTE_LEAF : S2_PTE_INVALID;
}

static hpa_t armv8_entry_addr(const struct armv8_geo *g, uint64_t pte, unsigned level)
{
	if (level < g->last && !(pte & ARMV8_S2_TABLE_OR_PAGE))
		return hpa(pte & PV_MASK(47, armv8_shift(g, level)));
	return hpa(pte & ARMV8_S2_OA_MASK);
}

static struct s2_attr armv8_leaf_attr(uint64_t pte, unsigned level)
{
	uint64_t memattr = (pte >> ARMV8_S2_MEMATTR_SHIFT) & 0xfu;
	struct s2_attr attr = { ARMV8_RWX_NONE, S2_MEM_NORMAL };

	(void)level;
	if (pte & ARMV8_S2_S2AP_R)
		attr.perm |= S2_PERM_R;
	if (pte & ARMV8_S2_S2AP_W)
		attr.perm |= S2_PERM_W;
	if (((pte >> ARMV8_S2_XN_SHIFT) & 3u) == 0)
		attr.perm |= S2_PERM_X;
	/* MemAttr[3:2] == 0b00 is Device memory; everything else is some Normal type. */
	if ((memattr >> 2) == 0)
		attr.memtype = S2_MEM_DEVICE;
	return attr;
}

static bool armv8_perm_ok(uint8_t perm)
{
	(void)perm;
	return true;
}

static uint64_t armv8_40_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	return armv8_make_leaf(&armv8_geo_40, out, level, attr);
}

static enum s2_pte_kind armv8_40_classify(uint64_t pte, unsigned level)
{
	return armv8_classify(&armv8_geo_40, pte, level);
}

static hpa_t armv8_40_entry_addr(uint64_t pte, unsigned level)
{
	return armv8_entry_addr(&armv8_geo_40, pte, level);
}

static uint64_t armv8_48_make_leaf(hpa_t out, unsigned level, struct s2_attr attr)
{
	return armv8_make_leaf(&armv8_geo_48, out, level, attr);
}

static enum s2_pte_kind armv8_48_classify(uint64_t pte, unsigned level)
{
	return armv8_classify(&armv8_geo_48, pte, level);
}

static hpa_t armv8_48_entry_addr(uint64_t pte, unsigned level)
{
	return armv8_entry_addr(&armv8_geo_48, pte, level);
}

const struct s2_format s2_format_armv8_40 = {
	.name = "armv8-40",
	.levels = 3,
	.page_shift = 12,
	.bits_per_level = 9,
	.root_bits = 10, /* two concatenated level-1 tables */
	.oa_bits = 48,
	.leaf_levels = (1u << 0) | (1u << 1) | (1u << 2),
	.make_table = armv8_make_table,
	.make_leaf = armv8_40_make_leaf,
	.classify = armv8_40_classify,
	.entry_addr = armv8_40_entry_addr,
	.leaf_attr = armv8_leaf_attr,
	.perm_ok = armv8_perm_ok,
};

const struct s2_format s2_format_armv8_48 = {
	.name = "armv8-48",
	.levels = 4,
	.page_shift = 12,
	.bits_per_level = 9,
	.root_bits = 9,
	.oa_bits = 48,
	.leaf_levels = (1u << 1) | (1u << 2) | (1u << 3),
	.make_table = armv8_make_table,
	.make_leaf = armv8_48_make_leaf,
	.classify = armv8_48_classify,
	.entry_addr = armv8_48_entry_addr,
	.leaf_attr = armv8_leaf_attr,
	.perm_ok = armv8_perm_ok,
};

/* VTCR_EL2.PS / ID_AA64MMFR0_EL1.PARange encoding of a physical address size. */
static int armv8_ps_encoding(unsigned pa_bits)
{
	static const uint8_t sizes[] = { 32, 36, 40, 42, 44, 48, 52 };

	for (unsigned i = 0; i < PV_ARRAY_SIZE(sizes); i++) {
		if (sizes[i] == pa_bits)
			return (int)i;
	}
	return -1;
}

uint64_t s2_armv8_vtcr(const struct s2_format *fmt, unsigned pa_bits)
{
	uint64_t sl0;
	unsigned ipa_bits;
	int ps;

	if (fmt == &s2_format_armv8_40)
		sl0 = ARMV8_VTCR_SL0_L1;
	else if (fmt == &s2_format_armv8_48)
		sl0 = ARMV8_VTCR_SL0_L0;
	else
		return 0;
	ipa_bits = s2_format_ia_bits(fmt);
	ps = armv8_ps_encoding(pa_bits > 48u ? 48u : pa_bits);
	if (armv8_ps_encoding(pa_bits) < 0 || ps < 0 || pa_bits < ipa_bits)
		return 0;
	return ARMV8_VTCR_RES1 | ((uint64_t)ps << ARMV8_VTCR_PS_SHIFT) | ARMV8_VTCR_TG0_4K |
	       ARMV8_VTCR_SH0_INNER | ARMV8_VTCR_ORGN0_WBWA | ARMV8_VTCR_IRGN0_WBWA |
	       (sl0 << ARMV8_VTCR_SL0_SHIFT) | ARMV8_VTCR_T0SZ(ipa_bits);
}
