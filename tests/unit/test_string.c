// SPDX-License-Identifier: MIT
/*
 * The images' own memcpy, memmove and memset (lib/string.c), compiled here under other names
 * (the host's C library keeps its own): every length and alignment of source and destination
 * around the word-copy paths, overlapping moves both ways, against a byte-by-byte reference.
 */
#include "pv_test.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void *pvt_memcpy(void *restrict dst, const void *restrict src, size_t n);
void *pvt_memmove(void *dst, const void *src, size_t n);
void *pvt_memset(void *s, int c, size_t n);

#define BUF 600

static uint8_t src[BUF], dst[BUF], ref[BUF];

static void fill(uint8_t *p, uint8_t seed)
{
	for (size_t i = 0; i < BUF; i++)
		p[i] = (uint8_t)(i * 31 + seed);
}

static void test_memcpy_every_alignment(void **state)
{
	(void)state;
	fill(src, 1);
	for (size_t so = 0; so < 16; so++)
		for (size_t d_o = 0; d_o < 16; d_o++)
			for (size_t n = 0; n < 300; n += (n < 140 ? 1 : 37)) {
				fill(dst, 9);
				memcpy(ref, dst, BUF);
				for (size_t i = 0; i < n; i++)
					ref[d_o + i] = src[so + i];
				assert_ptr_equal(pvt_memcpy(dst + d_o, src + so, n), dst + d_o);
				assert_memory_equal(dst, ref, BUF);
			}
}

static void test_memmove_overlaps_both_ways(void **state)
{
	(void)state;
	for (size_t from = 0; from < 40; from++)
		for (size_t to = 0; to < 40; to++)
			for (size_t n = 0; n < 300; n += (n < 140 ? 1 : 41)) {
				fill(dst, 3);
				memcpy(ref, dst, BUF);
				memmove(ref + to, ref + from, n);
				assert_ptr_equal(pvt_memmove(dst + to, dst + from, n), dst + to);
				assert_memory_equal(dst, ref, BUF);
			}
}

static void test_memset_every_alignment(void **state)
{
	(void)state;
	for (size_t off = 0; off < 16; off++)
		for (size_t n = 0; n < 300; n++) {
			fill(dst, 5);
			memcpy(ref, dst, BUF);
			memset(ref + off, 0xa5, n);
			assert_ptr_equal(pvt_memset(dst + off, 0x1a5, n), dst + off);
			assert_memory_equal(dst, ref, BUF);
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_memcpy_every_alignment),
		cmocka_unit_test(test_memmove_overlaps_both_ways),
		cmocka_unit_test(test_memset_every_alignment),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
