// SPDX-License-Identifier: MIT
#include <hal/page_pool.h>
#include <string.h>

static bool frame_used(const struct page_pool *pool, size_t i)
{
	return (pool->bitmap[i / 64] >> (i % 64)) & 1u;
}

static void mark_frames(struct page_pool *pool, size_t first, size_t count, bool used)
{
	for (size_t i = first; i < first + count; i++) {
		uint64_t bit = 1ULL << (i % 64);
		if (used && !(pool->bitmap[i / 64] & bit)) {
			pool->bitmap[i / 64] |= bit;
			pool->nfree--;
		} else if (!used && (pool->bitmap[i / 64] & bit)) {
			pool->bitmap[i / 64] &= ~bit;
			pool->nfree++;
		}
	}
}

int page_pool_init(struct page_pool *pool, hpa_t base, void *virt, size_t nframes, uint64_t *bitmap)
{
	if (!PV_IS_ALIGNED(base.raw, HAL_PAGE_SIZE) ||
	    !PV_IS_ALIGNED((uintptr_t)virt, HAL_PAGE_SIZE) || !bitmap || nframes == 0)
		return -PV_EINVAL;
	pool->base = base;
	pool->virt = virt;
	pool->nframes = nframes;
	pool->nfree = nframes;
	pool->bitmap = bitmap;
	memset(bitmap, 0, PAGE_POOL_BITMAP_WORDS(nframes) * sizeof(uint64_t));
	pv_spin_init(&pool->lock);
	return PV_OK;
}

void page_pool_reserve(struct page_pool *pool, hpa_t base, uint64_t len)
{
	uint64_t start = PV_ALIGN_DOWN(base.raw, HAL_PAGE_SIZE);
	uint64_t end = PV_ALIGN_UP(base.raw + len, HAL_PAGE_SIZE);
	uint64_t pool_end = pool->base.raw + (uint64_t)pool->nframes * HAL_PAGE_SIZE;

	if (len == 0 || end <= pool->base.raw || start >= pool_end)
		return;
	if (start < pool->base.raw)
		start = pool->base.raw;
	if (end > pool_end)
		end = pool_end;
	pv_spin_lock(&pool->lock);
	mark_frames(pool, (size_t)((start - pool->base.raw) >> HAL_PAGE_SHIFT),
		    (size_t)((end - start) >> HAL_PAGE_SHIFT), true);
	pv_spin_unlock(&pool->lock);
}

/* First run of 2^order free frames whose physical address is aligned to the run's size. */
static bool find_run(const struct page_pool *pool, unsigned order, size_t *first)
{
	size_t count = (size_t)1 << order;
	uint64_t align = HAL_PAGE_SIZE << order;
	uint64_t skew = (PV_ALIGN_UP(pool->base.raw, align) - pool->base.raw) >> HAL_PAGE_SHIFT;

	for (size_t i = (size_t)skew; i + count <= pool->nframes; i += count) {
		size_t j = 0;
		if (count == 1 && pool->bitmap[i / 64] == ~0ULL) {
			i = PV_ALIGN_UP(i + 1, 64) - count; /* skip a full word */
			continue;
		}
		while (j < count && !frame_used(pool, i + j))
			j++;
		if (j == count) {
			*first = i;
			return true;
		}
	}
	return false;
}

int page_pool_alloc(struct page_pool *pool, unsigned order, hpa_t *out)
{
	size_t first;

	if (order > 20)
		return -PV_EINVAL;
	pv_spin_lock(&pool->lock);
	if (!find_run(pool, order, &first)) {
		pv_spin_unlock(&pool->lock);
		return -PV_ENOMEM;
	}
	mark_frames(pool, first, (size_t)1 << order, true);
	pv_spin_unlock(&pool->lock);

	*out = hpa(pool->base.raw + ((uint64_t)first << HAL_PAGE_SHIFT));
	memset(pool->virt + ((size_t)first << HAL_PAGE_SHIFT), 0, (size_t)HAL_PAGE_SIZE << order);
	return PV_OK;
}

int page_pool_free(struct page_pool *pool, hpa_t frame, unsigned order)
{
	size_t count = (size_t)1 << order;
	size_t first;

	if (frame.raw < pool->base.raw || !PV_IS_ALIGNED(frame.raw, HAL_PAGE_SIZE << order))
		return -PV_EINVAL;
	first = (size_t)((frame.raw - pool->base.raw) >> HAL_PAGE_SHIFT);
	if (first + count > pool->nframes)
		return -PV_EINVAL;
	pv_spin_lock(&pool->lock);
	for (size_t i = first; i < first + count; i++) {
		if (!frame_used(pool, i)) {
			pv_spin_unlock(&pool->lock);
			return -PV_EINVAL;
		}
	}
	mark_frames(pool, first, count, false);
	pv_spin_unlock(&pool->lock);
	return PV_OK;
}

void *page_pool_virt(const struct page_pool *pool, hpa_t addr)
{
	uint64_t size = (uint64_t)pool->nframes * HAL_PAGE_SIZE;
	if (addr.raw < pool->base.raw || addr.raw - pool->base.raw >= size)
		return NULL;
	return pool->virt + (addr.raw - pool->base.raw);
}
