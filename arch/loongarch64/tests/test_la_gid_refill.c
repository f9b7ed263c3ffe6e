// SPDX-License-Identifier: MIT
/*
 * Guest-ID allocation (one per stage-2 space, invalidation on reuse) and the GPA refill: the
 * TLBEHI / TLBELO pair / page size the refill hands to tlbfill, computed from stage-2 tables
 * built by the real engine with the real LoongArch format on a host page pool.
 */
#include <arch/loongarch.h>
#include <pv_test.h>

#include "la_mock.h"
#include "la_vcpu.h"
#include "s2_check.h"
#include "s2_loongarch.h"

static int setup(void **state)
{
	(void)state;
	la_mock_reset();
	la_gid_reset();
	return 0;
}

/* Distinct spaces: only their addresses matter to the allocator. */
static struct s2_space sa, sb, sc, sd, se;

static void test_gid_alloc(void **state)
{
	uint8_t g;

	(void)state;
	assert_int_equal(la_gid_get(&sa, 3, &g), PV_OK);
	assert_int_equal(g, 1);
	/* A second vCPU of the same VM shares its ID. */
	assert_int_equal(la_gid_get(&sa, 3, &g), PV_OK);
	assert_int_equal(g, 1);
	assert_int_equal(la_gid_get(&sb, 3, &g), PV_OK);
	assert_int_equal(g, 2);
	assert_int_equal(la_gid_lookup(&sb, &g), PV_OK);
	assert_int_equal(g, 2);
	/* Never-used IDs need no flush. */
	assert_false(la_gid_take_flush(1, 0));
	assert_false(la_gid_take_flush(2, 5));
	/* A is freed only when both vCPUs are gone. */
	la_gid_put(&sa);
	assert_int_equal(la_gid_lookup(&sa, &g), PV_OK);
	la_gid_put(&sa);
	assert_int_equal(la_gid_lookup(&sa, &g), -PV_ENOENT);
	/* A fresh ID is preferred over A's old one. */
	assert_int_equal(la_gid_get(&sc, 3, &g), PV_OK);
	assert_int_equal(g, 3);
	/* Then the old one is reused: every CPU must invalidate it once before using it. */
	assert_int_equal(la_gid_get(&sd, 3, &g), PV_OK);
	assert_int_equal(g, 1);
	assert_true(la_gid_take_flush(1, 0));
	assert_false(la_gid_take_flush(1, 0));
	assert_true(la_gid_take_flush(1, 3));
	assert_true(la_gid_take_flush(1, 63));
	assert_false(la_gid_take_flush(1, 3));
	/* All three IDs taken. */
	assert_int_equal(la_gid_get(&se, 3, &g), -PV_ENOMEM);
	assert_int_equal(la_gid_lookup(&se, &g), -PV_ENOENT);
}

static void test_gid_max(void **state)
{
	uint8_t g = 0;

	(void)state;
	/* GSTAT.GIDBIT may allow more than 8 bits; IDs stay within GSTAT.GID's 8. */
	for (unsigned i = 0; i < 255; i++) {
		assert_int_equal(
			la_gid_get((const struct s2_space *)((uintptr_t)0x1000 + 64 * i), 4096, &g),
			PV_OK);
		assert_int_equal(g, i + 1);
	}
	assert_int_equal(la_gid_get(&sa, 4096, &g), -PV_ENOMEM);
	/* No guest ID at all (GIDBIT 0): every request fails. */
	la_gid_reset();
	assert_int_equal(la_gid_get(&sa, 0, &g), -PV_ENOMEM);
}

/* ---- refill ---- */

#define RAM_GPA	 0x1000000ULL
#define RAM_HPA	 0x83000000ULL
#define HUGE_GPA 0x4000000ULL /* 32 MiB aligned */
#define HUGE_HPA 0x92000000ULL
#define DEV_GPA	 0x1fe00000ULL
#define DEV_HPA	 0x1fe00000ULL
#define PG	 0x4000ULL

/* TLBELO fields from the manual: V 0, D 1, PLV 3:2, MAT 5:4, G 6, PPN, NR 61, NX 62. */
#define ELO_V	    1ULL
#define ELO_D	    2ULL
#define ELO_PLV3    0xcULL
#define ELO_MAT_CC  0x10ULL
#define ELO_G	    0x40ULL
#define ELO_NX	    (1ULL << 62)
#define ELO_RWX(pa) ((pa) | ELO_V | ELO_D | ELO_PLV3 | ELO_MAT_CC | ELO_G)

static struct s2_test_pool tp;
static struct s2_space sp;

static int refill_setup(void **state)
{
	setup(state);
	s2_test_pool_init(&tp, 64);
	assert_int_equal(s2_init(&sp, &s2_format_loongarch, NULL, &tp.pool, 1), PV_OK);
	/* One RWX page at RAM_GPA; its odd neighbour stays unmapped. */
	assert_int_equal(s2_map(&sp, gpa(RAM_GPA), hpa(RAM_HPA), PG,
				(struct s2_attr){ S2_PERM_RWX, S2_MEM_NORMAL }),
			 PV_OK);
	/* A pair with both halves mapped, the odd one read-only. */
	assert_int_equal(s2_map(&sp, gpa(RAM_GPA + 2 * PG), hpa(RAM_HPA + 2 * PG), PG,
				(struct s2_attr){ S2_PERM_RWX, S2_MEM_NORMAL }),
			 PV_OK);
	assert_int_equal(s2_map(&sp, gpa(RAM_GPA + 3 * PG), hpa(RAM_HPA + 3 * PG), PG,
				(struct s2_attr){ S2_PERM_R, S2_MEM_NORMAL }),
			 PV_OK);
	/* A pair whose even half is unmapped and odd half is a device page. */
	assert_int_equal(s2_map(&sp, gpa(DEV_GPA + PG), hpa(DEV_HPA + PG), PG,
				(struct s2_attr){ S2_PERM_R | S2_PERM_W, S2_MEM_DEVICE }),
			 PV_OK);
	/* A 32 MiB huge leaf. */
	assert_int_equal(s2_map(&sp, gpa(HUGE_GPA), hpa(HUGE_HPA), PV_MIB(32),
				(struct s2_attr){ S2_PERM_RWX, S2_MEM_NORMAL }),
			 PV_OK);
	return 0;
}

static int refill_teardown(void **state)
{
	(void)state;
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&tp), 0);
	s2_test_pool_fini(&tp);
	return 0;
}

static struct la_mock_fill refill(uint64_t addr)
{
	unsigned before = la_mock.nfills;

	la_refill(&sp, addr);
	assert_int_equal(la_mock.nfills, before + 1);
	/* TLBEHI, TLBELO0/1 and TLBIDX are all written before the one tlbfill. */
	assert_int_equal(la_mock.log[la_mock.nlog - 1].kind, LM_TLBFILL);
	return la_mock.fills[before];
}

static void test_refill_page(void **state)
{
	struct la_mock_fill f;

	(void)state;
	/* Either address of the pair gives the same entry: even half mapped, odd one invalid. */
	for (uint64_t a = RAM_GPA; a < RAM_GPA + 2 * PG; a += 0x1ff8) {
		f = refill(a);
		assert_int_equal(f.ehi, RAM_GPA);
		assert_int_equal(f.elo0, ELO_RWX(RAM_HPA));
		assert_int_equal(f.elo1, 0);
		assert_int_equal(f.idx, 14ULL << 24);
	}
	/* Both halves: the odd one read-only (no D) and not executable. */
	f = refill(RAM_GPA + 3 * PG + 8);
	assert_int_equal(f.ehi, RAM_GPA + 2 * PG);
	assert_int_equal(f.elo0, ELO_RWX(RAM_HPA + 2 * PG));
	assert_int_equal(f.elo1,
			 (RAM_HPA + 3 * PG) | ELO_V | ELO_PLV3 | ELO_MAT_CC | ELO_G | ELO_NX);
	/* Even half unmapped, odd a device page: uncached (MAT 0), writable, not executable. */
	f = refill(DEV_GPA + 0x10);
	assert_int_equal(f.ehi, DEV_GPA);
	assert_int_equal(f.elo0, 0);
	assert_int_equal(f.elo1, (DEV_HPA + PG) | ELO_V | ELO_D | ELO_PLV3 | ELO_G | ELO_NX);
	/* Nothing mapped: both halves invalid, so the retry raises a page-invalid exception. */
	f = refill(0x1ff00008);
	assert_int_equal(f.ehi, 0x1ff00000);
	assert_int_equal(f.elo0, 0);
	assert_int_equal(f.elo1, 0);
	assert_int_equal(f.idx, 14ULL << 24);
	f = refill(0x700000000000ULL); /* beyond any table */
	assert_int_equal(f.elo0 | f.elo1, 0);
}

static void test_refill_huge(void **state)
{
	struct la_mock_fill f;

	(void)state;
	/* Anywhere in the 32 MiB leaf: one entry of two 16 MiB halves (PS 24), EHI the leaf's. */
	const uint64_t offsets[] = { 0, 0x4000, 0xfffff8, 0x1000000, 0x1ffc000 };

	for (unsigned i = 0; i < PV_ARRAY_SIZE(offsets); i++) {
		f = refill(HUGE_GPA + offsets[i]);
		assert_int_equal(f.ehi, HUGE_GPA);
		assert_int_equal(f.elo0, ELO_RWX(HUGE_HPA));
		assert_int_equal(f.elo1, ELO_RWX(HUGE_HPA + PV_MIB(16)));
		assert_int_equal(f.idx, 24ULL << 24);
	}
	/* Splitting the leaf (unmapping one page) makes the refill hand out small pages. */
	assert_int_equal(s2_unmap(&sp, gpa(HUGE_GPA + PG), PG), PV_OK);
	f = refill(HUGE_GPA + 8);
	assert_int_equal(f.ehi, HUGE_GPA);
	assert_int_equal(f.elo0, ELO_RWX(HUGE_HPA));
	assert_int_equal(f.elo1, 0);
	assert_int_equal(f.idx, 14ULL << 24);
	f = refill(HUGE_GPA + 0x1000000);
	assert_int_equal(f.ehi, HUGE_GPA + 0x1000000);
	assert_int_equal(f.elo1, ELO_RWX(HUGE_HPA + 0x1000000 + PG));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gid_alloc, setup),
		cmocka_unit_test_setup(test_gid_max, setup),
		cmocka_unit_test_setup_teardown(test_refill_page, refill_setup, refill_teardown),
		cmocka_unit_test_setup_teardown(test_refill_huge, refill_setup, refill_teardown),
	};

	return cmocka_run_group_tests_name("la_gid_refill", tests, NULL, NULL);
}
