// SPDX-License-Identifier: MIT
/*
 * Generic stage-2 engine. Everything format specific goes through struct s2_format, so this file
 * must never assume an entry layout, a table size or a level count.
 *
 * Invariants the code relies on:
 *  - every non-root table holds at least one valid entry (unmap frees tables that become empty,
 *    a failed map undoes itself), so "table present" implies "something mapped below";
 *  - an entry value of 0 is invalid at every level (checked by s2_init), so clearing writes 0;
 *  - leaf levels are contiguous down to the last level (checked by s2_init), so a block at level
 *    L can always be rewritten as a table of leaves at level L + 1.
 */
#include <addrspace/s2.h>
#include <stdatomic.h>

#define S2_MAX_LEVELS 6
/* Tables one operation may need for splitting: each of the two range edges can cut through
 * one block per level below the root. */
#define S2_MAX_SPLITS (2 * (S2_MAX_LEVELS - 1))
/* Freed tables waiting for the TLB invalidation that must precede their reuse. */
#define S2_FREEQ_LEN 32

struct s2_freeq {
	hpa_t table[S2_FREEQ_LEN];
	unsigned n;
	uint64_t lo, hi; /* guest range whose translations must be flushed before freeing */
	bool cleared;	 /* some leaf was removed */
};

struct s2_split_plan {
	unsigned n;
	unsigned level[S2_MAX_SPLITS];
	uint64_t start[S2_MAX_SPLITS];
};

struct s2_stash {
	unsigned n;
	hpa_t table[S2_MAX_SPLITS];
};

static uint64_t s2_block_size(const struct s2_format *f, unsigned level)
{
	return 1ULL << s2_format_level_shift(f, level);
}

static unsigned s2_table_order(const struct s2_format *f, unsigned level)
{
	unsigned bytes_log2 = s2_format_table_bits(f, level) + 3u;

	return bytes_log2 > HAL_PAGE_SHIFT ? bytes_log2 - HAL_PAGE_SHIFT : 0;
}

static size_t s2_index(const struct s2_format *f, unsigned level, uint64_t addr)
{
	uint64_t mask = (1ULL << s2_format_table_bits(f, level)) - 1;

	return (size_t)((addr >> s2_format_level_shift(f, level)) & mask);
}

static bool s2_is_leaf_level(const struct s2_format *f, unsigned level)
{
	return (f->leaf_levels >> level) & 1u;
}

static uint64_t *s2_table(const struct s2_space *sp, hpa_t table)
{
	return page_pool_virt(sp->pool, table);
}

/* Entries are read and written whole so a hardware walker never sees a torn value. */
static uint64_t s2_read(const uint64_t *p)
{
	return *(const volatile uint64_t *)p;
}

static void s2_write(uint64_t *p, uint64_t v)
{
	*(volatile uint64_t *)p = v;
}

/* The table's contents must be visible to walkers before the entry that publishes it. */
static void s2_publish_table(const struct s2_format *f, uint64_t *ptep, hpa_t table)
{
	atomic_thread_fence(memory_order_release);
	s2_write(ptep, f->make_table(table));
}

static void s2_tlb_range(const struct s2_space *sp, uint64_t addr, uint64_t size)
{
	if (sp->tlb && size)
		sp->tlb->invalidate_range(sp, gpa(addr), size);
}

static void s2_table_free(struct s2_space *sp, unsigned level, hpa_t table)
{
	unsigned order = s2_table_order(sp->fmt, level);

	(void)page_pool_free(sp->pool, table, order);
	sp->table_frames -= 1u << order;
}

/*
 * A zeroed table for @level (>= 1). A format may be unable to point at some frame (a
 * format whose table entries are bare addresses reads a table at physical 0 as empty): such a
 * frame is held while a second one is taken, then given back.
 */
static int s2_table_alloc(struct s2_space *sp, unsigned level, hpa_t *out)
{
	const struct s2_format *f = sp->fmt;
	unsigned order = s2_table_order(f, level);
	hpa_t first, second;
	int err;

	err = page_pool_alloc(sp->pool, order, &first);
	if (err)
		return err;
	if (f->classify(f->make_table(first), level - 1) == S2_PTE_TABLE) {
		*out = first;
		sp->table_frames += 1u << order;
		return PV_OK;
	}
	err = page_pool_alloc(sp->pool, order, &second);
	(void)page_pool_free(sp->pool, first, order);
	if (err)
		return err;
	if (f->classify(f->make_table(second), level - 1) != S2_PTE_TABLE) {
		(void)page_pool_free(sp->pool, second, order);
		return -PV_ENOMEM;
	}
	*out = second;
	sp->table_frames += 1u << order;
	return PV_OK;
}

/* Follows tables towards @addr; returns the first entry that is not a table, and its level. */
static uint64_t *s2_walk(const struct s2_space *sp, uint64_t addr, unsigned *level)
{
	const struct s2_format *f = sp->fmt;
	uint64_t *table = s2_table(sp, sp->root);

	for (unsigned l = 0;; l++) {
		uint64_t *ptep = &table[s2_index(f, l, addr)];
		uint64_t pte = s2_read(ptep);

		if (l + 1u == f->levels || f->classify(pte, l) != S2_PTE_TABLE) {
			*level = l;
			return ptep;
		}
		table = s2_table(sp, f->entry_addr(pte, l));
	}
}

/* End of the entry at @level that contains @a, clipped to @end. */
static uint64_t s2_next(const struct s2_format *f, unsigned level, uint64_t a, uint64_t end)
{
	uint64_t bsize = s2_block_size(f, level);
	uint64_t next = PV_ALIGN_DOWN(a, bsize) + bsize;

	return next < end ? next : end;
}

static bool s2_table_empty(const struct s2_space *sp, hpa_t table, unsigned level)
{
	const struct s2_format *f = sp->fmt;
	const uint64_t *t = s2_table(sp, table);
	size_t n = (size_t)1 << s2_format_table_bits(f, level);

	for (size_t i = 0; i < n; i++) {
		if (f->classify(s2_read(&t[i]), level) != S2_PTE_INVALID)
			return false;
	}
	return true;
}

/* Whether any leaf lies in [addr, end) below @table. */
static bool s2_range_used(const struct s2_space *sp, hpa_t table, unsigned level, uint64_t addr,
			  uint64_t end)
{
	const struct s2_format *f = sp->fmt;
	const uint64_t *t = s2_table(sp, table);

	for (uint64_t a = addr, next; a < end; a = next) {
		uint64_t pte = s2_read(&t[s2_index(f, level, a)]);
		enum s2_pte_kind kind = f->classify(pte, level);

		next = s2_next(f, level, a, end);
		if (kind == S2_PTE_LEAF)
			return true;
		if (kind == S2_PTE_TABLE && level + 1u < f->levels &&
		    s2_range_used(sp, f->entry_addr(pte, level), level + 1u, a, next))
			return true;
	}
	return false;
}

static void s2_freeq_flush(struct s2_space *sp, struct s2_freeq *q)
{
	if (q->n == 0)
		return;
	s2_tlb_range(sp, q->lo, q->hi - q->lo);
	for (unsigned i = 0; i < q->n; i++)
		s2_table_free(sp, 1, q->table[i]); /* every non-root table has the same size */
	q->n = 0;
}

static void s2_freeq_add(struct s2_space *sp, struct s2_freeq *q, hpa_t table, uint64_t start,
			 uint64_t size)
{
	if (q->n == S2_FREEQ_LEN)
		s2_freeq_flush(sp, q);
	if (start < q->lo)
		q->lo = start;
	if (start + size > q->hi)
		q->hi = start + size;
	q->table[q->n++] = table;
}

/*
 * Clears every leaf in [addr, end) below @table and queues tables that become empty. Blocks
 * straddling the range edges must have been split already; a straddling leaf is left alone.
 */
static void s2_unmap_range(struct s2_space *sp, struct s2_freeq *q, hpa_t table, unsigned level,
			   uint64_t addr, uint64_t end)
{
	const struct s2_format *f = sp->fmt;
	uint64_t *t = s2_table(sp, table);
	uint64_t bsize = s2_block_size(f, level);

	for (uint64_t a = addr, next; a < end; a = next) {
		uint64_t *ptep = &t[s2_index(f, level, a)];
		uint64_t pte = s2_read(ptep);
		enum s2_pte_kind kind = f->classify(pte, level);

		next = s2_next(f, level, a, end);
		if (kind == S2_PTE_LEAF && next - a == bsize) {
			s2_write(ptep, 0);
			q->cleared = true;
		} else if (kind == S2_PTE_TABLE && level + 1u < f->levels) {
			hpa_t child = f->entry_addr(pte, level);

			s2_unmap_range(sp, q, child, level + 1u, a, next);
			if (s2_table_empty(sp, child, level + 1u)) {
				s2_write(ptep, 0);
				s2_freeq_add(sp, q, child, PV_ALIGN_DOWN(a, bsize), bsize);
			}
		}
	}
}

/* Unmaps [addr, end), flushes the TLB for it and frees the tables that emptied. */
static void s2_unmap_flush(struct s2_space *sp, uint64_t addr, uint64_t end)
{
	struct s2_freeq q = { .n = 0, .lo = addr, .hi = end, .cleared = false };

	s2_unmap_range(sp, &q, sp->root, 0, addr, end);
	if (q.n == 0) {
		if (q.cleared) /* unmapping a hole needs no flush */
			s2_tlb_range(sp, addr, end - addr);
		return;
	}
	if (addr < q.lo)
		q.lo = addr;
	if (end > q.hi)
		q.hi = end;
	s2_freeq_flush(sp, &q);
}

static int s2_map_range(struct s2_space *sp, hpa_t table, unsigned level, uint64_t addr,
			uint64_t end, uint64_t out, struct s2_attr attr)
{
	const struct s2_format *f = sp->fmt;
	uint64_t *t = s2_table(sp, table);
	uint64_t bsize = s2_block_size(f, level);

	for (uint64_t a = addr, next; a < end; a = next) {
		uint64_t *ptep = &t[s2_index(f, level, a)];
		uint64_t o = out + (a - addr);
		hpa_t child;
		int err;

		next = s2_next(f, level, a, end);
		if (s2_is_leaf_level(f, level) && next - a == bsize && PV_IS_ALIGNED(o, bsize)) {
			s2_write(ptep, f->make_leaf(hpa(o), level, attr));
			continue;
		}
		if (level + 1u == f->levels)
			return -PV_EINVAL; /* unreachable: the last level takes every aligned page */
		if (f->classify(s2_read(ptep), level) == S2_PTE_TABLE) {
			child = f->entry_addr(s2_read(ptep), level);
		} else {
			err = s2_table_alloc(sp, level + 1u, &child);
			if (err)
				return err;
			s2_publish_table(f, ptep, child);
		}
		err = s2_map_range(sp, child, level + 1u, a, next, o, attr);
		if (err)
			return err;
	}
	return PV_OK;
}

/* Replaces the block at *ptep by an equivalent table of smaller leaves (break-before-make). */
static void s2_split_leaf(struct s2_space *sp, uint64_t *ptep, unsigned level, uint64_t start,
			  hpa_t table)
{
	const struct s2_format *f = sp->fmt;
	uint64_t pte = s2_read(ptep);
	uint64_t base = f->entry_addr(pte, level).raw;
	struct s2_attr attr = f->leaf_attr(pte, level);
	unsigned cl = level + 1u;
	uint64_t csize = s2_block_size(f, cl);
	size_t n = (size_t)1 << s2_format_table_bits(f, cl);
	uint64_t *t = s2_table(sp, table);

	for (size_t i = 0; i < n; i++)
		s2_write(&t[i], f->make_leaf(hpa(base + (uint64_t)i * csize), cl, attr));
	s2_write(ptep, 0);
	s2_tlb_range(sp, start, s2_block_size(f, level));
	s2_publish_table(f, ptep, table);
}

/*
 * Whether the leaf found at an edge @e must be split: it must start before @e, and for protect
 * (@perm <= S2_PERM_RWX) it must not already carry the new permissions.
 */
static bool s2_edge_needs_split(const struct s2_space *sp, uint64_t pte, unsigned level, uint64_t e,
				unsigned perm)
{
	const struct s2_format *f = sp->fmt;

	if (f->classify(pte, level) != S2_PTE_LEAF || PV_IS_ALIGNED(e, s2_block_size(f, level)))
		return false;
	return perm > S2_PERM_RWX || f->leaf_attr(pte, level).perm != perm;
}

static void s2_plan_add(struct s2_split_plan *plan, unsigned level, uint64_t start)
{
	for (unsigned i = 0; i < plan->n; i++) {
		if (plan->level[i] == level && plan->start[i] == start)
			return;
	}
	plan->level[plan->n] = level;
	plan->start[plan->n] = start;
	plan->n++;
}

/* Adds to @plan every block that splitting down to edge @e will cut. */
static void s2_plan_edge(const struct s2_space *sp, struct s2_split_plan *plan, uint64_t e,
			 unsigned perm)
{
	const struct s2_format *f = sp->fmt;
	unsigned level;
	uint64_t pte = s2_read(s2_walk(sp, e, &level));

	if (!s2_edge_needs_split(sp, pte, level, e, perm))
		return;
	for (; !PV_IS_ALIGNED(e, s2_block_size(f, level)); level++)
		s2_plan_add(plan, level, PV_ALIGN_DOWN(e, s2_block_size(f, level)));
}

static void s2_split_edge(struct s2_space *sp, struct s2_stash *stash, uint64_t e, unsigned perm)
{
	for (;;) {
		unsigned level;
		uint64_t *ptep = s2_walk(sp, e, &level);

		if (!s2_edge_needs_split(sp, s2_read(ptep), level, e, perm) || stash->n == 0)
			return;
		stash->n--;
		s2_split_leaf(sp, ptep, level, PV_ALIGN_DOWN(e, s2_block_size(sp->fmt, level)),
			      stash->table[stash->n]);
	}
}

/*
 * Splits the blocks that straddle addr or end so that [addr, end) is made of whole leaves.
 * All tables are taken before anything changes: on -PV_ENOMEM the space is untouched.
 */
static int s2_split_edges(struct s2_space *sp, uint64_t addr, uint64_t end, unsigned perm)
{
	uint64_t top = 1ULL << s2_format_ia_bits(sp->fmt);
	struct s2_split_plan plan = { .n = 0 };
	struct s2_stash stash = { .n = 0 };

	if (addr != 0)
		s2_plan_edge(sp, &plan, addr, perm);
	if (end != top)
		s2_plan_edge(sp, &plan, end, perm);
	for (; stash.n < plan.n; stash.n++) {
		int err = s2_table_alloc(sp, 1, &stash.table[stash.n]);

		if (err) {
			while (stash.n > 0)
				s2_table_free(sp, 1, stash.table[--stash.n]);
			return err;
		}
	}
	if (addr != 0)
		s2_split_edge(sp, &stash, addr, perm);
	if (end != top)
		s2_split_edge(sp, &stash, end, perm);
	while (stash.n > 0) /* only if the plan overestimated; keeps the pool exact */
		s2_table_free(sp, 1, stash.table[--stash.n]);
	return PV_OK;
}

static bool s2_protect_range(struct s2_space *sp, hpa_t table, unsigned level, uint64_t addr,
			     uint64_t end, uint8_t perm)
{
	const struct s2_format *f = sp->fmt;
	uint64_t *t = s2_table(sp, table);
	uint64_t bsize = s2_block_size(f, level);
	bool changed = false;

	for (uint64_t a = addr, next; a < end; a = next) {
		uint64_t *ptep = &t[s2_index(f, level, a)];
		uint64_t pte = s2_read(ptep);
		enum s2_pte_kind kind = f->classify(pte, level);

		next = s2_next(f, level, a, end);
		if (kind == S2_PTE_LEAF && next - a == bsize) {
			struct s2_attr attr = f->leaf_attr(pte, level);

			if (attr.perm == perm)
				continue;
			attr.perm = perm;
			s2_write(ptep, f->make_leaf(f->entry_addr(pte, level), level, attr));
			changed = true;
		} else if (kind == S2_PTE_TABLE && level + 1u < f->levels) {
			changed |= s2_protect_range(sp, f->entry_addr(pte, level), level + 1u, a,
						    next, perm);
		}
	}
	return changed;
}

static void s2_free_tree(struct s2_space *sp, hpa_t table, unsigned level)
{
	const struct s2_format *f = sp->fmt;
	const uint64_t *t = s2_table(sp, table);
	size_t n = (size_t)1 << s2_format_table_bits(f, level);

	if (level + 1u < f->levels) {
		for (size_t i = 0; i < n; i++) {
			uint64_t pte = s2_read(&t[i]);

			if (f->classify(pte, level) == S2_PTE_TABLE)
				s2_free_tree(sp, f->entry_addr(pte, level), level + 1u);
		}
	}
	s2_table_free(sp, level, table);
}

static bool s2_format_valid(const struct s2_format *f)
{
	unsigned low;
	uint32_t all;

	if (!f || !f->make_table || !f->make_leaf || !f->classify || !f->entry_addr ||
	    !f->leaf_attr || !f->perm_ok)
		return false;
	if (f->levels < 1 || f->levels > S2_MAX_LEVELS || f->page_shift < HAL_PAGE_SHIFT ||
	    f->bits_per_level < 1 || f->root_bits < 1 || f->oa_bits < f->page_shift ||
	    f->oa_bits > 64 || s2_format_ia_bits(f) > 63)
		return false;
	if (f->root_bits + 3u > HAL_PAGE_SHIFT + 20u ||
	    f->bits_per_level + 3u > HAL_PAGE_SHIFT + 20u)
		return false;
	/* Leaf levels: a non-empty run ending at the last level. */
	all = (1u << f->levels) - 1u;
	if ((f->leaf_levels & ~all) || !(f->leaf_levels >> (f->levels - 1u) & 1u))
		return false;
	for (low = 0; !(f->leaf_levels >> low & 1u); low++) {
	}
	if (f->leaf_levels != (all & ~((1u << low) - 1u)))
		return false;
	for (unsigned l = 0; l < f->levels; l++) {
		if (f->classify(0, l) != S2_PTE_INVALID)
			return false;
	}
	return true;
}

/* Checks a range against the format: page aligned, non-empty, no wrap, inside the input bits. */
static bool s2_range_ok(const struct s2_format *f, uint64_t addr, uint64_t size)
{
	uint64_t page = 1ULL << f->page_shift;
	uint64_t top = 1ULL << s2_format_ia_bits(f);

	return size != 0 && PV_IS_ALIGNED(addr, page) && PV_IS_ALIGNED(size, page) && addr < top &&
	       size <= top - addr;
}

int s2_init(struct s2_space *space, const struct s2_format *fmt, const struct s2_tlb_ops *tlb,
	    struct page_pool *pool, uint16_t vmid)
{
	unsigned order;
	int err;

	if (!space || !pool || !s2_format_valid(fmt))
		return -PV_EINVAL;
	order = s2_table_order(fmt, 0);
	err = page_pool_alloc(pool, order, &space->root);
	if (err)
		return err;
	space->fmt = fmt;
	space->tlb = tlb;
	space->pool = pool;
	space->vmid = vmid;
	space->table_frames = 1u << order;
	pv_spin_init(&space->lock);
	return PV_OK;
}

void s2_destroy(struct s2_space *space)
{
	if (!space || !space->fmt)
		return;
	pv_spin_lock(&space->lock);
	if (space->tlb)
		space->tlb->invalidate_all(space);
	s2_free_tree(space, space->root, 0);
	space->root = hpa(0);
	space->fmt = NULL;
	pv_spin_unlock(&space->lock);
}

int s2_map(struct s2_space *space, gpa_t addr, hpa_t out, uint64_t size, struct s2_attr attr)
{
	const struct s2_format *f = space->fmt;
	uint64_t a = addr.raw, end = addr.raw + size;
	int err;

	if (!s2_range_ok(f, a, size) || !PV_IS_ALIGNED(out.raw, 1ULL << f->page_shift) ||
	    attr.memtype > S2_MEM_DEVICE || (attr.perm & ~S2_PERM_RWX) || !f->perm_ok(attr.perm))
		return -PV_EINVAL;
	if (f->oa_bits < 64 &&
	    (out.raw >= (1ULL << f->oa_bits) || size > (1ULL << f->oa_bits) - out.raw))
		return -PV_EINVAL;
	if (f->oa_bits == 64 && size - 1 > ~out.raw)
		return -PV_EINVAL;

	pv_spin_lock(&space->lock);
	if (s2_range_used(space, space->root, 0, a, end)) {
		pv_spin_unlock(&space->lock);
		return -PV_EEXIST;
	}
	err = s2_map_range(space, space->root, 0, a, end, out.raw, attr);
	if (err)
		s2_unmap_flush(space, a,
			       end); /* the range was empty: this removes exactly our part */
	else
		s2_tlb_range(space, a, size); /* RISC-V may cache invalid entries */
	pv_spin_unlock(&space->lock);
	return err;
}

int s2_unmap(struct s2_space *space, gpa_t addr, uint64_t size)
{
	int err;

	if (!s2_range_ok(space->fmt, addr.raw, size))
		return -PV_EINVAL;
	pv_spin_lock(&space->lock);
	err = s2_split_edges(space, addr.raw, addr.raw + size, S2_PERM_RWX + 1u);
	if (!err)
		s2_unmap_flush(space, addr.raw, addr.raw + size);
	pv_spin_unlock(&space->lock);
	return err;
}

int s2_protect(struct s2_space *space, gpa_t addr, uint64_t size, uint8_t perm)
{
	const struct s2_format *f = space->fmt;
	int err;

	if (!s2_range_ok(f, addr.raw, size) || (perm & ~S2_PERM_RWX) || !f->perm_ok(perm))
		return -PV_EINVAL;
	pv_spin_lock(&space->lock);
	err = s2_split_edges(space, addr.raw, addr.raw + size, perm);
	if (!err && s2_protect_range(space, space->root, 0, addr.raw, addr.raw + size, perm))
		s2_tlb_range(space, addr.raw, size);
	pv_spin_unlock(&space->lock);
	return err;
}

int s2_lookup_entry(struct s2_space *space, gpa_t addr, uint64_t *pte, unsigned *level)
{
	if (addr.raw >= 1ULL << s2_format_ia_bits(space->fmt))
		return -PV_EINVAL;
	pv_spin_lock(&space->lock);
	*pte = s2_read(s2_walk(space, addr.raw, level));
	pv_spin_unlock(&space->lock);
	return PV_OK;
}

int s2_query(struct s2_space *space, gpa_t addr, struct s2_mapping *out)
{
	const struct s2_format *f = space->fmt;
	uint64_t pte;
	unsigned level;
	int err = s2_lookup_entry(space, addr, &pte, &level);

	if (err)
		return err;
	if (f->classify(pte, level) != S2_PTE_LEAF)
		return -PV_ENOENT;
	out->size = s2_block_size(f, level);
	out->gpa = gpa(PV_ALIGN_DOWN(addr.raw, out->size));
	out->hpa = f->entry_addr(pte, level);
	out->level = level;
	out->attr = f->leaf_attr(pte, level);
	return PV_OK;
}

int s2_translate(struct s2_space *space, gpa_t addr, uint8_t perm, hpa_t *out)
{
	struct s2_mapping m;
	int err;

	if (perm & ~S2_PERM_RWX)
		return -PV_EINVAL;
	err = s2_query(space, addr, &m);
	if (err)
		return err;
	if ((m.attr.perm & perm) != perm)
		return -PV_EFAULT;
	*out = hpa(m.hpa.raw + (addr.raw - m.gpa.raw));
	return PV_OK;
}
