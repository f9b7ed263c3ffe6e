/* SPDX-License-Identifier: MIT */
/*
 * Page-frame allocator. A pool covers one host-physical range that the hypervisor can also address
 * through a virtual window, so page-table code can turn a frame's hpa into a pointer. Allocations are
 * 2^order contiguous frames aligned to their size (stage-2 roots need 8 KiB or 16 KiB alignment).
 */
#ifndef HAL_PAGE_POOL_H
#define HAL_PAGE_POOL_H

#include <pv/spinlock.h>
#include <pv/types.h>

#define HAL_PAGE_SHIFT 12
#define HAL_PAGE_SIZE  (1ULL << HAL_PAGE_SHIFT)

struct page_pool {
	hpa_t base;	  /* first frame, page aligned */
	uint8_t *virt;	  /* where base is mapped in the hypervisor */
	size_t nframes;	  /* frames in the pool */
	size_t nfree;	  /* frames not allocated */
	uint64_t *bitmap; /* one bit per frame, set = allocated */
	pv_spinlock_t lock;
};

/* Words of bitmap storage a pool of @nframes frames needs. */
#define PAGE_POOL_BITMAP_WORDS(nframes) (((nframes) + 63) / 64)

/* Sets up @pool over [base, base + nframes pages) mapped at @virt, all frames free.
 * @bitmap must hold PAGE_POOL_BITMAP_WORDS(nframes) words. Returns PV_OK or -PV_EINVAL. */
int page_pool_init(struct page_pool *pool, hpa_t base, void *virt, size_t nframes,
		   uint64_t *bitmap);

/* Marks [base, base+len) allocated (firmware, the hypervisor image). Page-rounded outwards. */
void page_pool_reserve(struct page_pool *pool, hpa_t base, uint64_t len);

/* Allocates 2^order zeroed frames aligned to their size. Returns PV_OK or -PV_ENOMEM.
 * Context: any CPU; takes the pool lock; never blocks beyond it. */
int page_pool_alloc(struct page_pool *pool, unsigned order, hpa_t *out);

/* Frees what page_pool_alloc returned for the same order. Freeing a frame not allocated is a bug
 * that is reported with -PV_EINVAL, not silently ignored. */
int page_pool_free(struct page_pool *pool, hpa_t frame, unsigned order);

/* Pointer to @addr inside the pool, or NULL when @addr is outside it. */
void *page_pool_virt(const struct page_pool *pool, hpa_t addr);

/* The hypervisor's pool, set up by boot code from the board's memory map. */
extern struct page_pool hal_pages;

#endif
