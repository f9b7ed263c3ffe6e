// SPDX-License-Identifier: MIT
/* EPT format: entry values worked out by hand from the SDM tables, then the engine on it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "s2_check.h"
#include "s2_ept.h"

static const struct s2_format *f = &s2_format_ept;

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(s2_format_ia_bits(f), 48);
	assert_int_equal(s2_format_level_shift(f, 0), 39);
	assert_int_equal(s2_format_level_shift(f, 1), 30);
	assert_int_equal(s2_format_level_shift(f, 2), 21);
	assert_int_equal(s2_format_level_shift(f, 3), 12);
	assert_int_equal(s2_check_table_frames(f, 0), 1);
}

static void test_entry_values(void **state)
{
	struct s2_attr rwx_wb = { S2_PERM_RWX, S2_MEM_NORMAL };
	struct s2_attr r_uc = { S2_PERM_R, S2_MEM_DEVICE };
	struct s2_attr rw_wb = { S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL };

	(void)state;
	/* RWX 0x7 | WB (6 << 3) 0x30 | ignore-PAT 0x40 | 2 MiB page 0x80 */
	assert_int_equal(f->make_leaf(hpa(0x40200000), 2, rwx_wb), 0x402000f7ULL);
	/* R 0x1 | UC (0 << 3) | ignore-PAT 0x40; no bit 7 in a PTE */
	assert_int_equal(f->make_leaf(hpa(0xfee00000), 3, r_uc), 0xfee00041ULL);
	/* RW 0x3 | WB 0x30 | ignore-PAT 0x40 | 1 GiB page 0x80 */
	assert_int_equal(f->make_leaf(hpa(0x80000000), 1, rw_wb), 0x800000f3ULL);
	assert_int_equal(f->make_table(hpa(0x1234000)), 0x1234007ULL);
	assert_int_equal(f->make_leaf(hpa(0xfffffffffe000ULL), 3, rw_wb), 0xfffffffffe073ULL);
}

static void test_classify(void **state)
{
	(void)state;
	for (unsigned l = 0; l < 4; l++)
		assert_int_equal(f->classify(0, l), S2_PTE_INVALID);
	for (unsigned l = 0; l < 3; l++)
		assert_int_equal(f->classify(0x1234007ULL, l), S2_PTE_TABLE);
	assert_int_equal(f->classify(0x1234007ULL, 3), S2_PTE_LEAF); /* a PTE is always a page */
	assert_int_equal(f->classify(0x402000f7ULL, 2), S2_PTE_LEAF);
	assert_int_equal(f->classify(0x800000f3ULL, 1), S2_PTE_LEAF);
	assert_int_equal(f->classify(0x800000f3ULL, 0), S2_PTE_INVALID); /* bit 7 reserved */
	assert_int_equal(f->classify(0x402000f0ULL, 2), S2_PTE_INVALID); /* bits 2:0 clear */
	assert_int_equal(f->classify(0x402000f7ULL, 4), S2_PTE_INVALID);
}

static void test_entry_addr(void **state)
{
	(void)state;
	/* Ignored bits 63:52 and 11:8 are not part of the address. */
	assert_int_equal(f->entry_addr(0x402000f7ULL | PV_BIT(63) | PV_BIT(8), 2).raw, 0x40200000);
	assert_int_equal(f->entry_addr(0xfff0fffffffff0f7ULL, 3).raw, 0xfffffffff000ULL);
	assert_int_equal(f->entry_addr(0x1234007ULL | PV_BIT(8) | PV_BIT(60), 0).raw, 0x1234000);
}

static void test_perm_ok(void **state)
{
	(void)state;
	assert_false(f->perm_ok(0));
	assert_false(f->perm_ok(S2_PERM_W));
	assert_false(f->perm_ok(S2_PERM_W | S2_PERM_X));
	assert_false(f->perm_ok(S2_PERM_X));
	assert_true(f->perm_ok(S2_PERM_R));
	assert_true(f->perm_ok(S2_PERM_R | S2_PERM_W));
	assert_true(f->perm_ok(S2_PERM_R | S2_PERM_X));
	assert_true(f->perm_ok(S2_PERM_RWX));
	s2_check_format(f, true);
}

static void test_eptp(void **state)
{
	(void)state;
	/* WB walks (6) | walk length 4 - 1 in bits 5:3 */
	assert_int_equal(s2_ept_eptp(hpa(0x12345000)), 0x1234501eULL);
}

static void test_engine_block(void **state)
{
	struct s2_test_pool tp;
	struct s2_space sp;
	uint64_t pte;
	unsigned level;

	(void)state;
	s2_test_pool_init(&tp, 16);
	assert_int_equal(s2_init(&sp, f, NULL, &tp.pool, 1), PV_OK);
	assert_int_equal(s2_map(&sp, gpa(0x40200000), hpa(0x40200000), PV_MIB(2),
				(struct s2_attr){ S2_PERM_RWX, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(sp.table_frames, 3); /* PML4, PDPT, PD */
	assert_int_equal(s2_lookup_entry(&sp, gpa(0x40212345), &pte, &level), PV_OK);
	assert_int_equal(level, 2);
	assert_int_equal(pte, 0x402000f7ULL);
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&tp), 0);
	s2_test_pool_fini(&tp);
}

static void test_random(void **state)
{
	(void)state;
	for (uint64_t seed = 11; seed <= 12; seed++) {
		struct s2_check_cfg cfg = { f, seed, 6000, 0, true };

		s2_check_random(&cfg);
	}
	s2_check_enomem(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),     cmocka_unit_test(test_entry_values),
		cmocka_unit_test(test_classify),     cmocka_unit_test(test_entry_addr),
		cmocka_unit_test(test_perm_ok),	     cmocka_unit_test(test_eptp),
		cmocka_unit_test(test_engine_block), cmocka_unit_test(test_random),
	};

	return cmocka_run_group_tests_name("s2_ept", tests, NULL, NULL);
}
