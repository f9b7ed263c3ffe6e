/* SPDX-License-Identifier: MIT */
/*
 * The stage-2 engine: one implementation of map / unmap / protect / query / translate for every
 * format. Uses blocks (huge leaves) where alignment and the format allow, and splits a block when an
 * operation covers only part of it. Table frames come from a page_pool.
 *
 * Locking: each s2_space has its own lock, taken by every function here; callers hold no other
 * stage-2 lock. None of them blocks beyond that lock. Functions that change mappings call the TLB
 * hook after the tables are updated and before they return.
 */
#ifndef ADDRSPACE_S2_H
#define ADDRSPACE_S2_H

#include <addrspace/s2_format.h>
#include <hal/page_pool.h>
#include <pv/spinlock.h>

struct s2_space;

/* How a backend invalidates stale stage-2 translations (its TLB maintenance instructions).
 * Called with the space's lock held, on the CPU changing the mapping; must not block. */
struct s2_tlb_ops {
	/* Invalidates translations of [addr, addr + size) for the space's VMID. */
	void (*invalidate_range)(const struct s2_space *space, gpa_t addr, uint64_t size);
	/* Invalidates every translation of the space's VMID. */
	void (*invalidate_all)(const struct s2_space *space);
};

struct s2_space {
	const struct s2_format *fmt;
	const struct s2_tlb_ops *tlb; /* may be NULL: nothing to invalidate (host tests) */
	struct page_pool *pool;
	hpa_t root;
	uint16_t vmid;
	uint32_t table_frames; /* frames used by tables, root included */
	pv_spinlock_t lock;
};

/* What one leaf maps: the block containing the queried address. */
struct s2_mapping {
	gpa_t gpa;	/* start of the leaf's region */
	hpa_t hpa;	/* where it maps to */
	uint64_t size;	/* region size (page or block) */
	unsigned level; /* level of the leaf */
	struct s2_attr attr;
};

/* Creates an empty space (allocates the root). -PV_ENOMEM, -PV_EINVAL on a bad format. */
int s2_init(struct s2_space *space, const struct s2_format *fmt, const struct s2_tlb_ops *tlb,
	    struct page_pool *pool, uint16_t vmid);

/* Frees every table frame. The space must no longer be in use by any vCPU. */
void s2_destroy(struct s2_space *space);

/* Maps [addr, addr+size) to [out, out+size). All three page-aligned, range inside the format's input
 * and output address bits. -PV_EEXIST if any part is already mapped (nothing changed then). */
int s2_map(struct s2_space *space, gpa_t addr, hpa_t out, uint64_t size, struct s2_attr attr);

/* Unmaps [addr, addr+size), splitting blocks that straddle the edges. Holes are fine.
 * -PV_ENOMEM if a split finds no table frame (nothing changed then). */
int s2_unmap(struct s2_space *space, gpa_t addr, uint64_t size);

/* Changes the permissions of every mapped page in [addr, addr+size); holes are left holes.
 * -PV_EINVAL if the format cannot express @perm, -PV_ENOMEM as for s2_unmap. */
int s2_protect(struct s2_space *space, gpa_t addr, uint64_t size, uint8_t perm);

/* The leaf covering @addr. -PV_ENOENT if unmapped, -PV_EINVAL if @addr is beyond the format's
 * input address bits (also for s2_translate and s2_lookup_entry). */
int s2_query(struct s2_space *space, gpa_t addr, struct s2_mapping *out);

/* Translates @addr for an access of kind @perm (one or more S2_PERM_*). Returns PV_OK and the
 * host-physical address, -PV_ENOENT if unmapped, -PV_EFAULT if the permission is missing. */
int s2_translate(struct s2_space *space, gpa_t addr, uint8_t perm, hpa_t *out);

/* Raw entry (and its level) where a walk for @addr stops; for backends' refill handlers and tests. */
int s2_lookup_entry(struct s2_space *space, gpa_t addr, uint64_t *pte, unsigned *level);

#endif
