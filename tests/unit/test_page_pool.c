// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include <hal/page_pool.h>
#include <stdlib.h>
#include <string.h>

#define NFRAMES 256
#define BASE	0x80000000ULL /* fake physical base: differs from the buffer's address */

static struct page_pool pool;
static uint64_t bitmap[PAGE_POOL_BITMAP_WORDS(NFRAMES)];
static uint8_t *arena;

static int setup(void **state)
{
	(void)state;
	arena = aligned_alloc(HAL_PAGE_SIZE, NFRAMES * HAL_PAGE_SIZE);
	memset(arena, 0xa5, NFRAMES * HAL_PAGE_SIZE);
	return page_pool_init(&pool, hpa(BASE), arena, NFRAMES, bitmap);
}

static int teardown(void **state)
{
	(void)state;
	free(arena);
	return 0;
}

static void test_alloc_is_zeroed_and_in_range(void **state)
{
	(void)state;
	hpa_t f;
	assert_int_equal(page_pool_alloc(&pool, 0, &f), PV_OK);
	assert_true(f.raw >= BASE && f.raw < BASE + NFRAMES * HAL_PAGE_SIZE);
	uint8_t *p = page_pool_virt(&pool, f);
	assert_ptr_equal(p, arena + (f.raw - BASE));
	for (size_t i = 0; i < HAL_PAGE_SIZE; i++)
		assert_int_equal(p[i], 0);
	assert_int_equal(pool.nfree, NFRAMES - 1);
	assert_int_equal(page_pool_free(&pool, f, 0), PV_OK);
	assert_int_equal(pool.nfree, NFRAMES);
}

static void test_order_alignment(void **state)
{
	(void)state;
	hpa_t one, four;
	assert_int_equal(page_pool_alloc(&pool, 0, &one), PV_OK);
	assert_int_equal(page_pool_alloc(&pool, 2, &four), PV_OK);
	assert_true(PV_IS_ALIGNED(four.raw, 4 * HAL_PAGE_SIZE));
	assert_true(four.raw >= one.raw + HAL_PAGE_SIZE || four.raw + 4 * HAL_PAGE_SIZE <= one.raw);
	assert_int_equal(pool.nfree, NFRAMES - 5);
	assert_int_equal(page_pool_free(&pool, four, 2), PV_OK);
	assert_int_equal(page_pool_free(&pool, one, 0), PV_OK);
}

static void test_exhaustion_and_bad_free(void **state)
{
	(void)state;
	hpa_t all, extra;
	assert_int_equal(page_pool_alloc(&pool, 8, &all), PV_OK); /* 256 frames: everything */
	assert_int_equal(pool.nfree, 0);
	assert_int_equal(page_pool_alloc(&pool, 0, &extra), -PV_ENOMEM);
	assert_int_equal(page_pool_alloc(&pool, 9, &extra), -PV_ENOMEM);
	assert_int_equal(page_pool_free(&pool, all, 8), PV_OK);
	/* Double free and misaligned free are reported. */
	assert_int_equal(page_pool_free(&pool, all, 0), -PV_EINVAL);
	assert_int_equal(page_pool_free(&pool, hpa(BASE + 1), 0), -PV_EINVAL);
	assert_int_equal(page_pool_free(&pool, hpa(BASE - HAL_PAGE_SIZE), 0), -PV_EINVAL);
	assert_null(page_pool_virt(&pool, hpa(BASE + NFRAMES * HAL_PAGE_SIZE)));
}

static void test_reserve(void **state)
{
	(void)state;
	hpa_t f;
	/* Reserve everything but the last frame, with unaligned edges that must round outwards. */
	page_pool_reserve(&pool, hpa(BASE - 0x10), (NFRAMES - 1) * HAL_PAGE_SIZE);
	assert_int_equal(pool.nfree, 1);
	assert_int_equal(page_pool_alloc(&pool, 0, &f), PV_OK);
	assert_int_equal(f.raw, BASE + (NFRAMES - 1) * HAL_PAGE_SIZE);
	assert_int_equal(page_pool_init(&pool, hpa(BASE), arena, NFRAMES, bitmap), PV_OK);
}

static void test_init_rejects_misaligned(void **state)
{
	(void)state;
	struct page_pool p;
	assert_int_equal(page_pool_init(&p, hpa(BASE + 8), arena, NFRAMES, bitmap), -PV_EINVAL);
	assert_int_equal(page_pool_init(&p, hpa(BASE), arena + 8, NFRAMES, bitmap), -PV_EINVAL);
	assert_int_equal(page_pool_init(&p, hpa(BASE), arena, 0, bitmap), -PV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_is_zeroed_and_in_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_order_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_exhaustion_and_bad_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reserve, setup, teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects_misaligned, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
