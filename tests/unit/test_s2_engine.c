// SPDX-License-Identifier: MIT
/*
 * The stage-2 engine on the fake format (tests/unit/fake/fake_s2_format.h): 4 KiB pages,
 * 512 KiB blocks at level 2, 64 MiB blocks at level 1, 8 GiB per root entry, 38-bit input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake/fake_s2_format.h"
#include "s2_check.h"

#define K4   PV_KIB(4)
#define K512 PV_KIB(512)
#define M64  PV_MIB(64)
#define G8   PV_GIB(8)

static const struct s2_attr attr_rw = { S2_PERM_R | S2_PERM_W, S2_MEM_NORMAL };
static const struct s2_attr attr_rx = { S2_PERM_R | S2_PERM_X, S2_MEM_NORMAL };

/* ---- recording TLB hook ---- */

enum rec_kind {
	REC_RANGE,
	REC_ALL
};

struct rec_call {
	enum rec_kind kind;
	uint64_t addr, size;
	unsigned level;		/* where a walk for addr stopped during the call */
	enum s2_pte_kind found; /* what it found there */
	bool lock_held;
};

static struct {
	struct rec_call call[64];
	unsigned n;
} rec;

static void rec_note(const struct s2_space *sp, enum rec_kind kind, uint64_t addr, uint64_t size)
{
	struct rec_call *c = &rec.call[rec.n];
	uint64_t pte;

	assert_true(rec.n < PV_ARRAY_SIZE(rec.call));
	c->kind = kind;
	c->addr = addr;
	c->size = size;
	pte = s2_check_walk(sp, addr, &c->level);
	c->found = sp->fmt->classify(pte, c->level);
	/* The space is not const (only the hook's view of it is): probing its held lock with
	 * test-and-set leaves it set, and returns true only if the engine holds it. */
	c->lock_held = atomic_flag_test_and_set(&((struct s2_space *)sp)->lock.flag);
	rec.n++;
}

static void rec_range(const struct s2_space *sp, gpa_t addr, uint64_t size)
{
	rec_note(sp, REC_RANGE, addr.raw, size);
}

static void rec_all(const struct s2_space *sp)
{
	rec_note(sp, REC_ALL, 0, 0);
}

static const struct s2_tlb_ops rec_tlb = { rec_range, rec_all };

/* ---- fixture ---- */

struct fix {
	struct s2_test_pool tp;
	struct s2_space sp;
};

static int fix_setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	memset(&rec, 0, sizeof(rec));
	s2_test_pool_init(&f.tp, 256);
	assert_int_equal(s2_init(&f.sp, &fake_s2_format, &rec_tlb, &f.tp.pool, 7), PV_OK);
	*state = &f;
	return 0;
}

static int fix_teardown(void **state)
{
	struct fix *f = *state;

	s2_destroy(&f->sp);
	assert_int_equal(s2_test_pool_used(&f->tp), 0);
	s2_test_pool_fini(&f->tp);
	return 0;
}

static struct s2_mapping query_ok(struct fix *f, uint64_t addr)
{
	struct s2_mapping m;

	assert_int_equal(s2_query(&f->sp, gpa(addr), &m), PV_OK);
	return m;
}

static void expect_leaf(struct fix *f, uint64_t addr, unsigned level, uint64_t leaf_gpa,
			uint64_t leaf_hpa, uint8_t perm)
{
	struct s2_mapping m = query_ok(f, addr);

	assert_int_equal(m.level, level);
	assert_int_equal(m.gpa.raw, leaf_gpa);
	assert_int_equal(m.hpa.raw, leaf_hpa);
	assert_int_equal(m.attr.perm, perm);
}

static void expect_hole(struct fix *f, uint64_t addr)
{
	struct s2_mapping m;

	assert_int_equal(s2_query(&f->sp, gpa(addr), &m), -PV_ENOENT);
}

/* ---- tests ---- */

static void test_init_destroy(void **state)
{
	struct fix *f = *state;

	assert_int_equal(f->sp.table_frames, 1); /* 256-byte root still takes a frame */
	assert_int_equal(s2_test_pool_used(&f->tp), 1);
	assert_true(f->sp.root.raw >= S2_TEST_HPA_BASE);
	assert_true(f->sp.root.raw != (uintptr_t)f->tp.mem);
	assert_int_equal(f->sp.vmid, 7);
	assert_int_equal(s2_map(&f->sp, gpa(G8), hpa(0), K4, attr_rw), PV_OK);
	rec.n = 0;
	s2_destroy(&f->sp);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.call[0].kind, REC_ALL);
	assert_true(rec.call[0].lock_held);
	assert_int_equal(s2_test_pool_used(&f->tp), 0);
	s2_destroy(&f->sp); /* a second destroy is harmless */
}

static enum s2_pte_kind classify_zero_valid(uint64_t pte, unsigned level)
{
	(void)pte;
	return level == 3 ? S2_PTE_LEAF : S2_PTE_TABLE;
}

static void test_init_rejects_bad_formats(void **state)
{
	struct fix *f = *state;
	struct s2_format bad[9];
	struct s2_space sp;
	size_t used = s2_test_pool_used(&f->tp);

	for (unsigned i = 0; i < PV_ARRAY_SIZE(bad); i++)
		bad[i] = fake_s2_format;
	bad[0].levels = 0;
	bad[1].leaf_levels = 0x6;  /* no leaf at the last level */
	bad[2].leaf_levels = 0xa;  /* not contiguous */
	bad[3].leaf_levels = 0x1e; /* a level that does not exist */
	bad[4].classify = NULL;
	bad[5].page_shift = 11;
	bad[6].root_bits = 0;
	bad[7].classify = classify_zero_valid;
	bad[8].bits_per_level = 30; /* 8 GiB tables */
	for (unsigned i = 0; i < PV_ARRAY_SIZE(bad); i++)
		assert_int_equal(s2_init(&sp, &bad[i], NULL, &f->tp.pool, 1), -PV_EINVAL);
	assert_int_equal(s2_init(&sp, NULL, NULL, &f->tp.pool, 1), -PV_EINVAL);
	assert_int_equal(s2_test_pool_used(&f->tp), used);
}

static void test_largest_leaf(void **state)
{
	struct fix *f = *state;
	uint64_t pte;
	unsigned level;

	/* One aligned 64 MiB block: a single level-1 leaf under one new table. */
	assert_int_equal(s2_map(&f->sp, gpa(M64), hpa(0x100000000ULL), M64, attr_rw), PV_OK);
	assert_int_equal(f->sp.table_frames, 2);
	expect_leaf(f, M64 + 5 * K4, 1, M64, 0x100000000ULL, attr_rw.perm);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(M64 + M64 - K4), &pte, &level), PV_OK);
	assert_int_equal(level, 1);
	assert_int_equal(pte, fake_s2_format.make_leaf(hpa(0x100000000ULL), 1, attr_rw));
	assert_int_equal(pte >> FAKE_S2_KIND_SHIFT, FAKE_S2_KIND_LEAF);

	/* 64 MiB + 512 KiB + 4 KiB, all congruent: one leaf of each size. */
	assert_int_equal(
		s2_map(&f->sp, gpa(4 * M64), hpa(0x200000000ULL), M64 + K512 + K4, attr_rx), PV_OK);
	expect_leaf(f, 4 * M64, 1, 4 * M64, 0x200000000ULL, attr_rx.perm);
	expect_leaf(f, 5 * M64, 2, 5 * M64, 0x200000000ULL + M64, attr_rx.perm);
	expect_leaf(f, 5 * M64 + K512, 3, 5 * M64 + K512, 0x200000000ULL + M64 + K512,
		    attr_rx.perm);
	expect_hole(f, 5 * M64 + K512 + K4);
	assert_int_equal(f->sp.table_frames, 4);

	/* gpa 64 MiB aligned but hpa only 512 KiB aligned: 128 level-2 leaves, no level 1. */
	assert_int_equal(s2_map(&f->sp, gpa(8 * M64), hpa(0x300000000ULL + K512), M64, attr_rw),
			 PV_OK);
	expect_leaf(f, 8 * M64, 2, 8 * M64, 0x300000000ULL + K512, attr_rw.perm);
	expect_leaf(f, 9 * M64 - K4, 2, 9 * M64 - K512, 0x300000000ULL + M64, attr_rw.perm);
	assert_int_equal(f->sp.table_frames, 5);
	assert_int_equal(s2_check_tree(&f->sp), 2 * M64 + K512 + K4 + M64);
}

static void test_split_on_unmap(void **state)
{
	struct fix *f = *state;
	uint64_t g = M64, h = 0x140000000ULL, t = g + 3 * K512 + K4;

	assert_int_equal(s2_map(&f->sp, gpa(g), hpa(h), M64, attr_rw), PV_OK);
	rec.n = 0;
	assert_int_equal(s2_unmap(&f->sp, gpa(t), K4), PV_OK);
	assert_int_equal(f->sp.table_frames, 4); /* root, level 1, and two from splitting */
	expect_hole(f, t);
	expect_leaf(f, t - K4, 3, t - K4, h + (t - K4 - g), attr_rw.perm);
	expect_leaf(f, t + K4, 3, t + K4, h + (t + K4 - g), attr_rw.perm);
	expect_leaf(f, g, 2, g, h, attr_rw.perm);
	expect_leaf(f, g + M64 - K4, 2, g + M64 - K512, h + M64 - K512, attr_rw.perm);

	/* Break-before-make: each block was invalid while its translations were flushed. */
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.call[0].kind, REC_RANGE);
	assert_int_equal(rec.call[0].addr, g);
	assert_int_equal(rec.call[0].size, M64);
	assert_int_equal(rec.call[0].level, 1);
	assert_int_equal(rec.call[0].found, S2_PTE_INVALID);
	assert_int_equal(rec.call[1].addr, g + 3 * K512);
	assert_int_equal(rec.call[1].size, K512);
	assert_int_equal(rec.call[1].level, 2);
	assert_int_equal(rec.call[1].found, S2_PTE_INVALID);
	assert_int_equal(rec.call[2].addr, t);
	assert_int_equal(rec.call[2].size, K4);
	for (unsigned i = 0; i < rec.n; i++)
		assert_true(rec.call[i].lock_held);

	/* Unmapping the rest frees every table below the root, after one flush covering the
	 * range and the regions of the freed tables. */
	rec.n = 0;
	assert_int_equal(s2_unmap(&f->sp, gpa(g), M64), PV_OK);
	assert_int_equal(f->sp.table_frames, 1);
	assert_int_equal(s2_test_pool_used(&f->tp), 1);
	assert_int_equal(rec.n, 1);
	assert_true(rec.call[0].addr == 0 && rec.call[0].size >= G8);
}

static void test_split_on_protect(void **state)
{
	struct fix *f = *state;
	uint64_t g = 2 * M64, h = 0x180000000ULL;

	assert_int_equal(s2_map(&f->sp, gpa(g), hpa(h), M64, attr_rx), PV_OK);
	rec.n = 0;
	assert_int_equal(s2_protect(&f->sp, gpa(g + K512), K512, S2_PERM_R), PV_OK);
	assert_int_equal(f->sp.table_frames, 3); /* one split: 64 MiB into 512 KiB leaves */
	expect_leaf(f, g + K512, 2, g + K512, h + K512, S2_PERM_R);
	expect_leaf(f, g, 2, g, h, attr_rx.perm);
	expect_leaf(f, g + 2 * K512, 2, g + 2 * K512, h + 2 * K512, attr_rx.perm);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.call[0].size, M64);
	assert_int_equal(rec.call[0].found, S2_PTE_INVALID);
	assert_int_equal(rec.call[1].addr, g + K512);
	assert_int_equal(rec.call[1].size, K512);
	assert_int_equal(rec.call[1].found, S2_PTE_LEAF);

	/* Already the wanted permissions: no split, no table, no flush. Holes stay holes. */
	rec.n = 0;
	assert_int_equal(s2_protect(&f->sp, gpa(g + K512 + K4), K4, S2_PERM_R), PV_OK);
	assert_int_equal(s2_protect(&f->sp, gpa(G8), M64, S2_PERM_R), PV_OK);
	assert_int_equal(f->sp.table_frames, 3);
	assert_int_equal(rec.n, 0);
	expect_hole(f, G8);
}

static void test_table_freeing(void **state)
{
	struct fix *f = *state;

	assert_int_equal(s2_map(&f->sp, gpa(K4), hpa(0x5000), K4, attr_rw), PV_OK);
	assert_int_equal(f->sp.table_frames, 4);
	assert_int_equal(s2_map(&f->sp, gpa(K4 + K512), hpa(0x9000), K4, attr_rw), PV_OK);
	assert_int_equal(f->sp.table_frames, 5);
	assert_int_equal(s2_unmap(&f->sp, gpa(K4), K4), PV_OK);
	assert_int_equal(f->sp.table_frames, 4);
	expect_leaf(f, K4 + K512, 3, K4 + K512, 0x9000, attr_rw.perm);
	assert_int_equal(s2_unmap(&f->sp, gpa(0), PV_GIB(16)), PV_OK); /* holes are fine */
	assert_int_equal(f->sp.table_frames, 1);
	assert_int_equal(s2_test_pool_used(&f->tp), 1);
}

static void test_tlb_hook_on_map(void **state)
{
	struct fix *f = *state;

	assert_int_equal(s2_map(&f->sp, gpa(M64), hpa(0), 2 * K512, attr_rw), PV_OK);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.call[0].addr, M64);
	assert_int_equal(rec.call[0].size, 2 * K512);
	assert_int_equal(rec.call[0].found, S2_PTE_LEAF); /* flushed after the tables changed */
	assert_true(rec.call[0].lock_held);
	rec.n = 0;
	assert_int_equal(s2_map(&f->sp, gpa(M64 + K4), hpa(0), K4, attr_rw), -PV_EEXIST);
	assert_int_equal(s2_map(&f->sp, gpa(M64 + 1), hpa(0), K4, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_unmap(&f->sp, gpa(G8), M64), PV_OK); /* a hole: nothing to flush */
	assert_int_equal(rec.n, 0);
}

static void test_lookup_entry(void **state)
{
	struct fix *f = *state;
	uint64_t pte;
	unsigned level;

	assert_int_equal(s2_lookup_entry(&f->sp, gpa(0x5000), &pte, &level), PV_OK);
	assert_int_equal(level, 0);
	assert_int_equal(pte, 0);
	assert_int_equal(s2_map(&f->sp, gpa(0x5000), hpa(0x77000), K4, attr_rx), PV_OK);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(0x5000), &pte, &level), PV_OK);
	assert_int_equal(level, 3);
	assert_int_equal(pte, fake_s2_format.make_leaf(hpa(0x77000), 3, attr_rx));
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(0x6000), &pte, &level), PV_OK);
	assert_int_equal(level, 3);
	assert_int_equal(pte, 0);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(K512), &pte, &level), PV_OK);
	assert_int_equal(level, 2);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(M64), &pte, &level), PV_OK);
	assert_int_equal(level, 1);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(G8), &pte, &level), PV_OK);
	assert_int_equal(level, 0);
	assert_int_equal(s2_lookup_entry(&f->sp, gpa(1ULL << 38), &pte, &level), -PV_EINVAL);
}

static void test_eexist_changes_nothing(void **state)
{
	struct fix *f = *state;
	uint32_t frames;

	assert_int_equal(s2_map(&f->sp, gpa(PV_MIB(1)), hpa(0x3000), K512, attr_rw), PV_OK);
	frames = f->sp.table_frames;
	assert_int_equal(s2_map(&f->sp, gpa(K512), hpa(0), PV_MIB(2), attr_rw), -PV_EEXIST);
	assert_int_equal(s2_map(&f->sp, gpa(PV_MIB(1) + K512 - K4), hpa(0), 2 * K4, attr_rw),
			 -PV_EEXIST);
	assert_int_equal(f->sp.table_frames, frames);
	expect_hole(f, K512);
	assert_int_equal(s2_check_tree(&f->sp), K512);
	assert_int_equal(s2_map(&f->sp, gpa(PV_MIB(1) + K512), hpa(0), K512, attr_rw), PV_OK);
}

static void test_invalid_arguments(void **state)
{
	struct fix *f = *state;
	uint64_t top = 1ULL << 38;
	struct s2_mapping m;
	hpa_t out;

	assert_int_equal(s2_format_ia_bits(&fake_s2_format), 38);
	assert_int_equal(s2_map(&f->sp, gpa(0x800), hpa(0), K4, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa(0x800), K4, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa(0), 0, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa(0), K4 + 1, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(top - K4), hpa(0), 2 * K4, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(~0ULL - K4 + 1), hpa(0), 2 * K4, attr_rw), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa((1ULL << 52) - K4), 2 * K4, attr_rw),
			 -PV_EINVAL);
	assert_int_equal(
		s2_map(&f->sp, gpa(0), hpa(0), K4, (struct s2_attr){ S2_PERM_X, S2_MEM_NORMAL }),
		-PV_EINVAL); /* the fake's perm_ok refuses execute-only */
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa(0), K4, (struct s2_attr){ 8, 0 }), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(0), hpa(0), K4, (struct s2_attr){ 1, 2 }), -PV_EINVAL);
	assert_int_equal(s2_map(&f->sp, gpa(top - K4), hpa((1ULL << 52) - K4), K4, attr_rw),
			 PV_OK); /* the very last page on both sides is fine */
	assert_int_equal(s2_protect(&f->sp, gpa(0), K4, S2_PERM_X), -PV_EINVAL);
	assert_int_equal(s2_protect(&f->sp, gpa(0), 0, S2_PERM_R), -PV_EINVAL);
	assert_int_equal(s2_unmap(&f->sp, gpa(top), K4), -PV_EINVAL);
	assert_int_equal(s2_unmap(&f->sp, gpa(0x10), K4), -PV_EINVAL);
	assert_int_equal(s2_query(&f->sp, gpa(top), &m), -PV_EINVAL);
	assert_int_equal(s2_translate(&f->sp, gpa(0), 8, &out), -PV_EINVAL);
	assert_int_equal(s2_unmap(&f->sp, gpa(top - K4), K4), PV_OK);
	assert_int_equal(f->sp.table_frames, 1);
}

static void test_translate(void **state)
{
	struct fix *f = *state;
	struct s2_attr dev_rw = { S2_PERM_R | S2_PERM_W, S2_MEM_DEVICE };
	struct s2_mapping m;
	hpa_t out;

	assert_int_equal(s2_map(&f->sp, gpa(0x9000), hpa(0xfe000000), K4, dev_rw), PV_OK);
	assert_int_equal(s2_translate(&f->sp, gpa(0x9abc), S2_PERM_R, &out), PV_OK);
	assert_int_equal(out.raw, 0xfe000abc);
	assert_int_equal(s2_translate(&f->sp, gpa(0x9abc), S2_PERM_R | S2_PERM_W, &out), PV_OK);
	assert_int_equal(s2_translate(&f->sp, gpa(0x9abc), S2_PERM_X, &out), -PV_EFAULT);
	assert_int_equal(s2_translate(&f->sp, gpa(0xa000), S2_PERM_R, &out), -PV_ENOENT);
	m = query_ok(f, 0x9fff);
	assert_int_equal(m.attr.memtype, S2_MEM_DEVICE);
	assert_int_equal(m.size, K4);

	/* No access at all is a valid leaf in this format: mapped, but every access faults. */
	assert_int_equal(s2_map(&f->sp, gpa(0xb000), hpa(0x1000), K4, (struct s2_attr){ 0, 0 }),
			 PV_OK);
	assert_int_equal(query_ok(f, 0xb000).attr.perm, 0);
	assert_int_equal(s2_translate(&f->sp, gpa(0xb010), S2_PERM_R, &out), -PV_EFAULT);
	assert_int_equal(s2_translate(&f->sp, gpa(0xb010), 0, &out), PV_OK);
	assert_int_equal(out.raw, 0x1010);
}

/* A format that cannot point at one particular frame, the way LoongArch cannot at 0. */
static uint64_t unreachable_frame;

static uint64_t make_table_skipping(hpa_t table)
{
	return table.raw == unreachable_frame ? 0 : fake_s2_format.make_table(table);
}

static void test_unreferenceable_frame_skipped(void **state)
{
	struct fix *f = *state;
	struct s2_format fmt = fake_s2_format;
	struct s2_space sp;
	uint64_t pte;
	unsigned level;

	fmt.make_table = make_table_skipping;
	assert_int_equal(s2_init(&sp, &fmt, NULL, &f->tp.pool, 2), PV_OK);
	unreachable_frame = sp.root.raw + K4; /* the next frame the pool hands out */
	assert_int_equal(s2_map(&sp, gpa(0), hpa(0x1000), K4, attr_rw), PV_OK);
	assert_int_equal(sp.table_frames, 4);
	assert_int_equal(s2_test_pool_used(&f->tp), 1 + 4); /* the fixture's root + sp's frames */
	pte = s2_check_walk(&sp, 0, &level);
	assert_int_equal(level, 3);
	assert_int_equal(fmt.classify(pte, 3), S2_PTE_LEAF);
	s2_check_tree(&sp);
	s2_destroy(&sp);
	assert_int_equal(s2_test_pool_used(&f->tp), 1);
}

static void test_random_fake(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct s2_check_cfg cfg = { &fake_s2_format, seed, 5000, 0, true };

		s2_check_random(&cfg);
	}
}

static void test_random_fake_crowded(void **state)
{
	struct s2_check_cfg cfg = { &fake_s2_format, 99, 4000, 2 * M64, true };

	(void)state;
	s2_check_random(&cfg); /* a small window: many collisions and splits */
}

static void test_enomem_fake(void **state)
{
	(void)state;
	s2_check_enomem(&fake_s2_format);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_init_destroy, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_init_rejects_bad_formats, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_largest_leaf, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_split_on_unmap, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_split_on_protect, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_table_freeing, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_tlb_hook_on_map, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_entry, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_eexist_changes_nothing, fix_setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_invalid_arguments, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_translate, fix_setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_unreferenceable_frame_skipped, fix_setup,
						fix_teardown),
		cmocka_unit_test(test_random_fake),
		cmocka_unit_test(test_random_fake_crowded),
		cmocka_unit_test(test_enomem_fake),
	};

	return cmocka_run_group_tests_name("s2_engine", tests, NULL, NULL);
}
