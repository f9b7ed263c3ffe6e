/* SPDX-License-Identifier: MIT */
/*
 * A stage-2 page-table format, described as data plus pure encode/decode functions. The generic
 * engine (s2.h) walks and edits tables through this description only, so one engine serves every
 * backend's format (arch/<isa>/s2_*.c) and the host tests' fake format.
 *
 * Levels are numbered from the root: level 0 is the root table, level (levels-1) holds page leaves.
 * Every member is a pure function of its arguments: callable on any CPU, with any locks held, and it
 * never blocks. The encoders may assume their arguments passed the engine's checks (alignment,
 * perm_ok, level in leaf_levels).
 */
#ifndef ADDRSPACE_S2_FORMAT_H
#define ADDRSPACE_S2_FORMAT_H

#include <pv/types.h>

/* Access permissions of a mapping. */
enum {
	S2_PERM_R = 1u << 0,
	S2_PERM_W = 1u << 1,
	S2_PERM_X = 1u << 2,
	S2_PERM_RWX = S2_PERM_R | S2_PERM_W | S2_PERM_X,
};

/* Memory type of a mapping. */
enum s2_memtype {
	S2_MEM_NORMAL = 0, /* RAM: write-back cacheable */
	S2_MEM_DEVICE = 1, /* device registers: uncached, no speculation */
};

struct s2_attr {
	uint8_t perm;	 /* S2_PERM_* */
	uint8_t memtype; /* enum s2_memtype */
};

enum s2_pte_kind {
	S2_PTE_INVALID = 0,
	S2_PTE_TABLE = 1, /* points to the next level's table */
	S2_PTE_LEAF = 2,  /* maps a page or a block */
};

struct s2_format {
	const char *name;
	uint8_t levels;		/* tables walked from root to page, >= 1 */
	uint8_t page_shift;	/* log2 of the smallest page */
	uint8_t bits_per_level; /* index bits of a non-root table (table size = 8 << bits) */
	uint8_t root_bits;   /* index bits of the root table; > bits_per_level when concatenated */
	uint8_t oa_bits;     /* output (host-physical) address bits the format can hold */
	uint8_t leaf_levels; /* bit L: level L may hold a leaf; set bits run on to the last level */

	/* Entry pointing to a next-level table at @table (aligned to that table's size). */
	uint64_t (*make_table)(hpa_t table);

	/* Leaf at @level mapping @out (aligned to the level's block size) with @attr. */
	uint64_t (*make_leaf)(hpa_t out, unsigned level, struct s2_attr attr);

	/* What @pte at @level is. The value 0 must be S2_PTE_INVALID at every level. */
	enum s2_pte_kind (*classify)(uint64_t pte, unsigned level);

	/* Output address of a table or leaf entry. */
	hpa_t (*entry_addr)(uint64_t pte, unsigned level);

	/* Permissions and memory type of a leaf entry. */
	struct s2_attr (*leaf_attr)(uint64_t pte, unsigned level);

	/* Whether the format can express @perm (e.g. write-only is reserved in some). */
	bool (*perm_ok)(uint8_t perm);
};

/* Input (guest-physical) address bits the format translates. */
static inline unsigned s2_format_ia_bits(const struct s2_format *f)
{
	return (unsigned)f->page_shift + (unsigned)f->bits_per_level * (f->levels - 1u) +
	       f->root_bits;
}

/* log2 of the region one entry at @level maps. */
static inline unsigned s2_format_level_shift(const struct s2_format *f, unsigned level)
{
	return (unsigned)f->page_shift + (unsigned)f->bits_per_level * (f->levels - 1u - level);
}

/* Index bits of the table at @level. */
static inline unsigned s2_format_table_bits(const struct s2_format *f, unsigned level)
{
	return level == 0 ? f->root_bits : f->bits_per_level;
}

#endif
