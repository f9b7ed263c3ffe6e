// SPDX-License-Identifier: MIT
/* LoongArch GPA table format: entries worked out from the Reference Manual's page-table entry
 * formats (common page and huge page), then the engine on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "s2_check.h"
#include "s2_loongarch.h"

static const struct s2_format *f = &s2_format_loongarch;

#define PAGE_RW_CC  0x40000000900041dfULL /* 16 KiB at 0x90004000, RW, CC */
#define HUGE_RWX_CC 0x920011dfULL	  /* 32 MiB at 0x92000000, RWX, CC */
#define PAGE_R_SUC  0x400000001fe000cdULL /* 16 KiB at 0x1fe00000, R, SUC */

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(s2_format_ia_bits(f), 47);
	assert_int_equal(s2_format_level_shift(f, 0), 36);
	assert_int_equal(s2_format_level_shift(f, 1), 25);
	assert_int_equal(s2_format_level_shift(f, 2), 14);
	assert_int_equal(s2_check_table_frames(f, 0), 4);
	assert_int_equal(s2_check_table_frames(f, 1), 4);
}

static void test_entry_values(void **state)
{
	(void)state;
	/* V 1 | D 2 | PLV3 0xc | MAT CC 0x10 | G 0x40 | P 0x80 | W 0x100 | NX bit 62 */
	assert_int_equal(f->make_leaf(hpa(0x90004000), 2,
				      (struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL }),
			 PAGE_RW_CC);
	/* V D PLV MAT | H 0x40 | P | W | HG 0x1000 */
	assert_int_equal(f->make_leaf(hpa(0x92000000), 1, (struct s2_attr){ S2_PERM_RWX, 0 }),
			 HUGE_RWX_CC);
	/* V | PLV3 | MAT SUC 0 | G | P | NX: read-only, no D or W */
	assert_int_equal(f->make_leaf(hpa(0x1fe00000), 2, (struct s2_attr){ S2_PERM_R, 1 }),
			 PAGE_R_SUC);
	/* write-only: D W and NR, NX */
	assert_int_equal(f->make_leaf(hpa(0x4000), 2, (struct s2_attr){ S2_PERM_W, 0 }),
			 0x60000000000041dfULL);
	assert_int_equal(f->make_table(hpa(0x90010000)), 0x90010000ULL); /* a bare address */
}

static void test_classify(void **state)
{
	(void)state;
	for (unsigned l = 0; l < 3; l++)
		assert_int_equal(f->classify(0, l), S2_PTE_INVALID);
	assert_int_equal(f->classify(0x90010000ULL, 0), S2_PTE_TABLE);
	assert_int_equal(f->classify(0x90010000ULL, 1), S2_PTE_TABLE);
	assert_int_equal(f->classify(0x90010000ULL, 2), S2_PTE_INVALID); /* V clear */
	assert_int_equal(f->classify(HUGE_RWX_CC, 1), S2_PTE_LEAF);
	assert_int_equal(f->classify(HUGE_RWX_CC, 0), S2_PTE_INVALID); /* no huge root entries */
	assert_int_equal(f->classify(HUGE_RWX_CC & ~LA_PTE_V, 1), S2_PTE_INVALID);
	assert_int_equal(f->classify(PAGE_RW_CC, 2), S2_PTE_LEAF);
	assert_int_equal(f->classify(PAGE_RW_CC & ~LA_PTE_V, 2), S2_PTE_INVALID);
}

static void test_entry_addr_and_attr(void **state)
{
	struct s2_attr a;

	(void)state;
	assert_int_equal(f->entry_addr(HUGE_RWX_CC, 1).raw, 0x92000000); /* HG is not address */
	assert_int_equal(f->entry_addr(PAGE_RW_CC, 2).raw, 0x90004000);
	assert_int_equal(f->entry_addr(0x90010000ULL, 0).raw, 0x90010000);
	a = f->leaf_attr(PAGE_R_SUC, 2);
	assert_int_equal(a.perm, S2_PERM_R);
	assert_int_equal(a.memtype, S2_MEM_DEVICE);
	a = f->leaf_attr(HUGE_RWX_CC, 1);
	assert_int_equal(a.perm, S2_PERM_RWX);
	assert_int_equal(a.memtype, S2_MEM_NORMAL);
	for (uint8_t p = 0; p <= S2_PERM_RWX; p++)
		assert_true(f->perm_ok(p));
	s2_check_format(f, true);
}

static void test_tlbelo(void **state)
{
	(void)state;
	/* P and W stay in memory; the TLB gets V D PLV MAT G PPN NR NX RPLV. */
	assert_int_equal(s2_loongarch_tlbelo(PAGE_RW_CC, 2, 0), 0x400000009000405fULL);
	assert_int_equal(s2_loongarch_tlbelo(PAGE_R_SUC, 2, 1), 0x400000001fe0004dULL);
	/* Each half of a huge leaf is a 16 MiB page with G back in bit 6. */
	assert_int_equal(s2_loongarch_tlbelo(HUGE_RWX_CC, 1, 0), 0x9200005fULL);
	assert_int_equal(s2_loongarch_tlbelo(HUGE_RWX_CC, 1, 1), 0x9300005fULL);
	assert_int_equal(s2_loongarch_tlbelo(0x90010000ULL, 1, 0), 0);
	assert_int_equal(s2_loongarch_tlbelo(0, 2, 0), 0);
}

static void test_engine(void **state)
{
	struct s2_test_pool tp;
	struct s2_space sp;
	uint64_t pte;
	unsigned level;

	(void)state;
	s2_test_pool_init(&tp, 32);
	assert_int_equal(s2_init(&sp, f, NULL, &tp.pool, 1), PV_OK);
	assert_int_equal(sp.table_frames, 4);
	assert_int_equal(s2_map(&sp, gpa(0x92000000), hpa(0x92000000), PV_MIB(32),
				(struct s2_attr){ S2_PERM_RWX, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(sp.table_frames, 8); /* root and one level-1 directory, 16 KiB each */
	assert_int_equal(s2_lookup_entry(&sp, gpa(0x93ffc000), &pte, &level), PV_OK);
	assert_int_equal(level, 1);
	assert_int_equal(pte, HUGE_RWX_CC);
	/* A 4 KiB-aligned but not 16 KiB-aligned request is refused. */
	assert_int_equal(
		s2_map(&sp, gpa(0x1000), hpa(0x4000), PV_KIB(16), (struct s2_attr){ S2_PERM_R, 0 }),
		-PV_EINVAL);
	assert_int_equal(s2_unmap(&sp, gpa(0x92000000), PV_KIB(4)), -PV_EINVAL);
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&tp), 0);
	s2_test_pool_fini(&tp);
}

static void test_random(void **state)
{
	(void)state;
	for (uint64_t seed = 41; seed <= 42; seed++) {
		struct s2_check_cfg cfg = { f, seed, 6000, 0, true };

		s2_check_random(&cfg);
	}
	s2_check_enomem(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry), cmocka_unit_test(test_entry_values),
		cmocka_unit_test(test_classify), cmocka_unit_test(test_entry_addr_and_attr),
		cmocka_unit_test(test_tlbelo),	 cmocka_unit_test(test_engine),
		cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("s2_loongarch", tests, NULL, NULL);
}
