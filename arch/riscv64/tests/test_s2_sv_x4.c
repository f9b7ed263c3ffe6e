// SPDX-License-Identifier: MIT
/* RISC-V Sv39x4 / Sv48x4 G-stage formats: PTEs and hgatp worked out from the privileged spec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "s2_check.h"
#include "s2_sv_x4.h"

static const struct s2_format *f39 = &s2_format_sv39x4;
static const struct s2_format *f48 = &s2_format_sv48x4;

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(s2_format_ia_bits(f39), 41);
	assert_int_equal(s2_format_ia_bits(f48), 50);
	assert_int_equal(s2_format_level_shift(f39, 0), 30);
	assert_int_equal(s2_format_level_shift(f48, 0), 39);
	assert_int_equal(s2_check_table_frames(f39, 0), 4); /* 16 KiB root */
	assert_int_equal(s2_check_table_frames(f48, 0), 4);
	assert_int_equal(s2_check_table_frames(f39, 1), 1);
}

static void test_entry_values(void **state)
{
	(void)state;
	/* PPN 0x80001 << 10 | V R W U A D (0xd7) */
	assert_int_equal(f39->make_leaf(hpa(0x80001000), 2,
					(struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL }),
			 0x200004d7ULL);
	/* 2 MiB: PPN 0x80200 << 10 | V R X U A D (0xdb) */
	assert_int_equal(f39->make_leaf(hpa(0x80200000), 1,
					(struct s2_attr){ S2_PERM_R | S2_PERM_X, S2_MEM_NORMAL }),
			 0x200800dbULL);
	/* 1 GiB execute-only: V X U A D (0xd9); the memory type leaves no trace */
	assert_int_equal(f39->make_leaf(hpa(0xc0000000), 0, (struct s2_attr){ S2_PERM_X, 1 }),
			 0x300000d9ULL);
	/* non-leaf: V only */
	assert_int_equal(f39->make_table(hpa(0x80004000)), 0x20001001ULL);
	assert_int_equal(f48->make_table(hpa(0x80004000)), 0x20001001ULL);
}

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(f39->classify(0x20001001ULL, 0), S2_PTE_TABLE);
	assert_int_equal(f39->classify(0x20001001ULL, 1), S2_PTE_TABLE);
	assert_int_equal(f39->classify(0x20001001ULL, 2), S2_PTE_INVALID); /* pointer at the end */
	assert_int_equal(f48->classify(0x20001001ULL, 2), S2_PTE_TABLE);
	assert_int_equal(f48->classify(0x20001001ULL, 3), S2_PTE_INVALID);
	for (unsigned l = 0; l < 3; l++)
		assert_int_equal(f39->classify(0x200004d7ULL, l), S2_PTE_LEAF);
	assert_int_equal(f39->classify(0x20000405ULL, 2), S2_PTE_INVALID); /* V W: reserved */
	assert_int_equal(f39->classify(0x200004d6ULL, 2), S2_PTE_INVALID); /* V clear */
	assert_int_equal(f39->classify(0, 0), S2_PTE_INVALID);
}

static void test_entry_addr_and_attr(void **state)
{
	struct s2_attr a;

	(void)state;
	/* N, PBMT and reserved bits 63:54 and flag bits 9:0 are not address bits. */
	assert_int_equal(f39->entry_addr(0xffc00000200004d7ULL, 2).raw, 0x80001000);
	assert_int_equal(f48->entry_addr(0x003ffffffffffc01ULL, 1).raw, 0xfffffffffff000ULL);
	a = f39->leaf_attr(f39->make_leaf(hpa(0x10000000), 2,
					  (struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_DEVICE }),
			   2);
	assert_int_equal(a.perm, S2_PERM_R | S2_PERM_W);
	assert_int_equal(a.memtype, S2_MEM_NORMAL); /* not storable without Svpbmt */
}

static void test_perm_ok(void **state)
{
	(void)state;
	assert_false(f39->perm_ok(0));
	assert_false(f39->perm_ok(S2_PERM_W));
	assert_false(f39->perm_ok(S2_PERM_W | S2_PERM_X));
	assert_true(f39->perm_ok(S2_PERM_X));
	assert_true(f39->perm_ok(S2_PERM_R));
	assert_true(f39->perm_ok(S2_PERM_R | S2_PERM_W));
	assert_true(f39->perm_ok(S2_PERM_R | S2_PERM_X));
	assert_true(f39->perm_ok(S2_PERM_RWX));
	s2_check_format(f39, false);
	s2_check_format(f48, false);
}

static void test_hgatp(void **state)
{
	(void)state;
	assert_int_equal(s2_sv_x4_hgatp(f39, 5, hpa(0x80204000)), 0x8000500000080204ULL);
	assert_int_equal(s2_sv_x4_hgatp(f48, 0x4001, hpa(0x80204000)), 0x9000100000080204ULL);
	assert_int_equal(s2_sv_x4_hgatp(NULL, 1, hpa(0)), 0);
}

static void test_engine(void **state)
{
	struct s2_test_pool tp;
	struct s2_space sp;
	uint64_t pte;
	unsigned level;

	(void)state;
	s2_test_pool_init(&tp, 16);
	assert_int_equal(s2_init(&sp, f39, NULL, &tp.pool, 1), PV_OK);
	assert_int_equal(sp.table_frames, 4);
	assert_true(PV_IS_ALIGNED(sp.root.raw, PV_KIB(16)));
	/* GPA bit 40 is the top of the x4 root index. */
	assert_int_equal(s2_map(&sp, gpa((1ULL << 41) - PV_KIB(4)), hpa(0x80001000), PV_KIB(4),
				(struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(s2_lookup_entry(&sp, gpa((1ULL << 41) - 1), &pte, &level), PV_OK);
	assert_int_equal(level, 2);
	assert_int_equal(pte, 0x200004d7ULL);
	assert_int_equal(sp.table_frames, 6);
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&tp), 0);
	s2_test_pool_fini(&tp);
}

static void test_random_sv39x4(void **state)
{
	struct s2_check_cfg cfg = { f39, 31, 6000, 0, false };

	(void)state;
	s2_check_random(&cfg);
	s2_check_enomem(f39);
}

static void test_random_sv48x4(void **state)
{
	struct s2_check_cfg cfg = { f48, 32, 6000, 0, false };

	(void)state;
	s2_check_random(&cfg); /* the default window holds 512 GiB leaves */
	s2_check_enomem(f48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),      cmocka_unit_test(test_entry_values),
		cmocka_unit_test(test_classify),      cmocka_unit_test(test_entry_addr_and_attr),
		cmocka_unit_test(test_perm_ok),	      cmocka_unit_test(test_hgatp),
		cmocka_unit_test(test_engine),	      cmocka_unit_test(test_random_sv39x4),
		cmocka_unit_test(test_random_sv48x4),
	};

	return cmocka_run_group_tests_name("s2_sv_x4", tests, NULL, NULL);
}
