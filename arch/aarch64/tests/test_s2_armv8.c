// SPDX-License-Identifier: MIT
/* ARMv8 stage-2 formats: descriptors and VTCR_EL2 worked out by hand from the Arm ARM. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "s2_armv8.h"
#include "s2_check.h"

static const struct s2_format *f40 = &s2_format_armv8_40;
static const struct s2_format *f48 = &s2_format_armv8_48;

static void test_geometry(void **state)
{
	(void)state;
	assert_int_equal(s2_format_ia_bits(f40), 40);
	assert_int_equal(s2_format_level_shift(f40, 0), 30);
	assert_int_equal(s2_format_level_shift(f40, 2), 12);
	assert_int_equal(s2_check_table_frames(f40, 0), 2); /* two concatenated 4 KiB tables */
	assert_int_equal(s2_format_ia_bits(f48), 48);
	assert_int_equal(s2_format_level_shift(f48, 0), 39);
	assert_int_equal(s2_format_level_shift(f48, 3), 12);
	assert_int_equal(s2_check_table_frames(f48, 0), 1);
}

static void test_entry_values(void **state)
{
	struct s2_attr rw = { S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL };
	struct s2_attr rwx_dev = { S2_PERM_RWX, S2_MEM_DEVICE };
	struct s2_attr r = { S2_PERM_R, S2_MEM_NORMAL };

	(void)state;
	/* page 0b11 | MemAttr 0xf << 2 | S2AP RW 0xc0 | SH 3 << 8 | AF 0x400 | XN 2 << 53 */
	assert_int_equal(f40->make_leaf(hpa(0x40001000), 2, rw), 0x00400000400017ffULL);
	assert_int_equal(f48->make_leaf(hpa(0x40001000), 3, rw), 0x00400000400017ffULL);
	/* 2 MiB block 0b01 | Device-nGnRE 0x1 << 2 | S2AP RW | AF; executable, no SH */
	assert_int_equal(f40->make_leaf(hpa(0x09000000), 1, rwx_dev), 0x090004c5ULL);
	assert_int_equal(f48->make_leaf(hpa(0x09000000), 2, rwx_dev), 0x090004c5ULL);
	/* 1 GiB block, read-only, no execute */
	assert_int_equal(f40->make_leaf(hpa(0x40000000), 0, r), 0x004000004000077dULL);
	assert_int_equal(f48->make_leaf(hpa(0x40000000), 1, r), 0x004000004000077dULL);
	assert_int_equal(f40->make_table(hpa(0x41234000)), 0x41234003ULL);
}

static void test_classify(void **state)
{
	(void)state;
	/* Level numbering differs: engine level 0 is Arm level 1 (40-bit) or 0 (48-bit). */
	assert_int_equal(f40->classify(0x004000004000077dULL, 0), S2_PTE_LEAF);
	assert_int_equal(f48->classify(0x004000004000077dULL, 0), S2_PTE_INVALID);
	assert_int_equal(f48->classify(0x004000004000077dULL, 1), S2_PTE_LEAF);
	assert_int_equal(f40->classify(0x41234003ULL, 0), S2_PTE_TABLE);
	assert_int_equal(f40->classify(0x41234003ULL, 1), S2_PTE_TABLE);
	assert_int_equal(f40->classify(0x41234003ULL, 2), S2_PTE_LEAF);
	assert_int_equal(f48->classify(0x41234003ULL, 2), S2_PTE_TABLE);
	assert_int_equal(f48->classify(0x41234003ULL, 3), S2_PTE_LEAF);
	/* 0b01 at the last level is reserved, not a block. */
	assert_int_equal(f40->classify(0x090004c5ULL, 2), S2_PTE_INVALID);
	assert_int_equal(f48->classify(0x090004c5ULL, 3), S2_PTE_INVALID);
	assert_int_equal(f40->classify(0x41234002ULL, 0), S2_PTE_INVALID); /* valid bit clear */
}

static void test_entry_addr(void **state)
{
	(void)state;
	/* Upper attributes (XN, contiguous bit 52) and RES0 bits 29:12 of a 1 GiB block. */
	assert_int_equal(f40->entry_addr(0x004000004000077dULL | PV_BIT(52) | PV_BIT(20), 0).raw,
			 0x40000000);
	assert_int_equal(f40->entry_addr(0x00400000400017ffULL, 2).raw, 0x40001000);
	assert_int_equal(f48->entry_addr(0xff00ffffffffffffULL, 3).raw, 0xfffffffff000ULL);
}

static void test_perm_ok(void **state)
{
	(void)state;
	for (uint8_t p = 0; p <= S2_PERM_RWX; p++) {
		assert_true(f40->perm_ok(p));
		assert_true(f48->perm_ok(p));
	}
	assert_int_equal(
		f40->leaf_attr(f40->make_leaf(hpa(0), 2, (struct s2_attr){ S2_PERM_X, 0 }), 2).perm,
		S2_PERM_X);
	s2_check_format(f40, true);
	s2_check_format(f48, true);
}

static void test_vtcr(void **state)
{
	(void)state;
	/* T0SZ 24 | SL0 1 << 6 | IRGN0 1 << 8 | ORGN0 1 << 10 | SH0 3 << 12 | PS 2 << 16 | RES1 */
	assert_int_equal(ARMV8_VTCR_40, 0x80023558ULL);
	/* T0SZ 16 | SL0 2 << 6 | ... | PS 5 << 16 */
	assert_int_equal(ARMV8_VTCR_48, 0x80053590ULL);
	assert_int_equal(s2_armv8_vtcr(f40, 40), 0x80023558ULL);
	assert_int_equal(s2_armv8_vtcr(f40, 44), 0x80043558ULL); /* cortex-a57's PARange */
	assert_int_equal(s2_armv8_vtcr(f48, 48), 0x80053590ULL);
	assert_int_equal(s2_armv8_vtcr(f48, 52), 0x80053590ULL); /* capped at 48 */
	assert_int_equal(s2_armv8_vtcr(f48, 44), 0);		 /* IPA wider than PA */
	assert_int_equal(s2_armv8_vtcr(f40, 41), 0);		 /* not a PARange size */
	/* 0x80003560 has T0SZ 32 and PS 0: a 32-bit IPA, not a 40-bit one. */
	assert_int_equal(0x80003560ULL & 0x3f, 32);
	assert_int_equal((0x80003560ULL >> ARMV8_VTCR_PS_SHIFT) & 7, 0);
}

static void test_engine(void **state)
{
	struct s2_test_pool tp;
	struct s2_space sp;
	uint64_t pte;
	unsigned level;

	(void)state;
	s2_test_pool_init(&tp, 16);
	assert_int_equal(s2_init(&sp, f40, NULL, &tp.pool, 1), PV_OK);
	assert_int_equal(sp.table_frames, 2);
	assert_true(PV_IS_ALIGNED(sp.root.raw, PV_KIB(8)));
	assert_int_equal(s2_map(&sp, gpa(0x8000000000ULL - PV_GIB(1)), hpa(0x40000000), PV_GIB(1),
				(struct s2_attr){ S2_PERM_R, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(sp.table_frames, 2); /* a block in the root's last entry */
	assert_int_equal(s2_lookup_entry(&sp, gpa(0x8000000000ULL - 1), &pte, &level), PV_OK);
	assert_int_equal(level, 0);
	assert_int_equal(pte, 0x004000004000077dULL);
	assert_int_equal(s2_map(&sp, gpa(0x1000), hpa(0x40001000), PV_KIB(4),
				(struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(s2_lookup_entry(&sp, gpa(0x1000), &pte, &level), PV_OK);
	assert_int_equal(level, 2);
	assert_int_equal(pte, 0x00400000400017ffULL);
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&tp), 0);
	s2_test_pool_fini(&tp);
}

static void test_random_40(void **state)
{
	struct s2_check_cfg cfg = { f40, 21, 6000, 0, true };

	(void)state;
	s2_check_random(&cfg);
	s2_check_enomem(f40);
}

static void test_random_48(void **state)
{
	struct s2_check_cfg cfg = { f48, 22, 6000, 0, true };

	(void)state;
	s2_check_random(&cfg);
	s2_check_enomem(f48);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_geometry),  cmocka_unit_test(test_entry_values),
		cmocka_unit_test(test_classify),  cmocka_unit_test(test_entry_addr),
		cmocka_unit_test(test_perm_ok),	  cmocka_unit_test(test_vtcr),
		cmocka_unit_test(test_engine),	  cmocka_unit_test(test_random_40),
		cmocka_unit_test(test_random_48),
	};

	return cmocka_run_group_tests_name("s2_armv8", tests, NULL, NULL);
}
