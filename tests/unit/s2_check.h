/* SPDX-License-Identifier: MIT */
/*
 * Shared checks for stage-2 tests: a page pool over host memory, a lock-free walker for use
 * inside TLB callbacks, a whole-tree invariant check, and two drivers that run any format
 * through the engine: a seeded random sequence compared against a reference model after every
 * operation, and out-of-memory runs that must leave the space exactly as it was.
 * Failures are reported through cmocka, with the format, seed and operation number.
 */
#ifndef TESTS_UNIT_S2_CHECK_H
#define TESTS_UNIT_S2_CHECK_H

#include <addrspace/s2.h>

/* Host-physical base of every test pool: unlike any heap address, so code that confuses an
 * hpa with a pointer faults or fails a check. */
#define S2_TEST_HPA_BASE 0x80000000ULL

struct s2_test_pool {
	struct page_pool pool;
	void *mem;
	uint64_t *bitmap;
	size_t cap; /* frames of mem */
};

void s2_test_pool_init(struct s2_test_pool *tp, size_t nframes);
/* Makes @tp a fresh pool of @nframes (at most its capacity) over its memory, all frames free. */
void s2_test_pool_reset(struct s2_test_pool *tp, size_t nframes);
void s2_test_pool_fini(struct s2_test_pool *tp);
/* Frames currently allocated from the pool. */
size_t s2_test_pool_used(const struct s2_test_pool *tp);

/* Frames one table of @level takes. */
unsigned s2_check_table_frames(const struct s2_format *fmt, unsigned level);

/* The entry where a walk for @addr stops, without taking the space lock (for TLB callbacks,
 * which run with it held). */
uint64_t s2_check_walk(const struct s2_space *sp, uint64_t addr, unsigned *level);

/* Walks every table: kinds legal at their levels, no empty table below the root, table frames
 * matching space->table_frames. Returns the bytes mapped. */
uint64_t s2_check_tree(const struct s2_space *sp);

/* Encoder/decoder round trips of @fmt on its own: zero is invalid everywhere; a table entry is a
 * table at every non-last level and never at the last; every leaf the format accepts (each
 * permission perm_ok allows, both memory types, at each leaf level, at the lowest and highest
 * addresses) classifies as a leaf at its level and decodes to what was encoded. */
void s2_check_format(const struct s2_format *fmt, bool memtype_stored);

struct s2_check_cfg {
	const struct s2_format *fmt;
	uint64_t seed;
	unsigned ops;	     /* random operations to run */
	uint64_t window;     /* guest range used; 0 picks eight of the format's largest leaves */
	bool memtype_stored; /* false when leaf_attr cannot report S2_MEM_DEVICE (RISC-V) */
};

/* What a fuzzer gives s2_check_input (tests/fuzz/fuzz_s2.c). */
struct s2_check_input {
	/* Every choice is read from these bytes instead of the seeded generator (each choice takes
	 * the bytes it needs; zeros past the end); the run ends when they are used up, and the
	 * coverage expectations of a long run are skipped. */
	const uint8_t *bytes;
	size_t len;
	/* Frames the pool holds; 0: enough for every operation. With fewer, map, unmap and protect
	 * may fail with -PV_ENOMEM, and must then have changed nothing. */
	size_t pool_frames;
	/* A pool to reuse (reset for the run) instead of allocating one; NULL: allocate. */
	struct s2_test_pool *pool;
};

/* Random map/unmap/protect sequence checked against a reference model; ends by unmapping
 * everything and checking that only the root is left and the pool leaks nothing. */
void s2_check_random(const struct s2_check_cfg *cfg);

/* The same sequence with its choices taken from @in (cfg->seed and cfg->ops still apply: ops
 * bounds the run). */
void s2_check_input(const struct s2_check_cfg *cfg, const struct s2_check_input *in);

/* The frames s2_check_random's pool gets for @cfg when pool_frames is 0: at most this many. */
#define S2_CHECK_MAX_POOL_FRAMES 16384 /* 64 MiB of host memory */
size_t s2_check_pool_frames(const struct s2_check_cfg *cfg);

/* Runs map, unmap and protect with pools too small to finish: every failure must be
 * -PV_ENOMEM with the space, its table count and the pool exactly as before. */
void s2_check_enomem(const struct s2_format *fmt);

#endif
