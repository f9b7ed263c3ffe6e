// SPDX-License-Identifier: MIT
/* The decoded-instruction cache: hits only while the page walk and the bytes at RIP are what
 * they were, on page tables and code built in a host buffer. */
#include <string.h>

#include "pv_test.h"
#include "x86_icache.h"

#define MEM_SIZE (16 * 4096)
static uint64_t mem[MEM_SIZE / 8];
static uint8_t *const bytes = (uint8_t *)mem;

static const void *host(void *ctx, uint64_t gpa, size_t len)
{
	(void)ctx;
	if (gpa >= MEM_SIZE || len > MEM_SIZE - gpa)
		return NULL;
	return bytes + gpa;
}

static int read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
	const void *p = host(ctx, addr, len);

	if (!p)
		return -PV_EFAULT;
	memcpy(buf, p, len);
	return PV_OK;
}

static void set(uint64_t table, unsigned index, uint64_t pte)
{
	mem[table / 8 + index] = pte;
}

/* mov 0x10(%rdi),%eax; then filler */
static const uint8_t load32[] = { 0x8b, 0x47, 0x10 };
/* mov %bl,(%rsi) */
static const uint8_t store8[] = { 0x88, 0x1e };

static const struct x86_gwalk_regs lm = {
	.cr0 = 0x80000011, .cr3 = 0x1000, .cr4 = 0x20, .efer = 0x500
};

#define RIP_4K	 0x205100ULL /* PT 0x4000 entry 5 -> frame 0x7000 */
#define RIP_2M	 0x000200ULL /* PD entry 0: 2 MiB page at 0 */
#define CODE_4K	 0x7100u
#define CODE_ALT 0x8100u

/* PML4 0x1000 -> PDPT 0x2000 -> PD 0x3000; PD[0] a 2 MiB page at 0, PD[1] -> PT 0x4000,
 * PT[5] -> 0x7000, PT[6] -> 0x8000. */
static void build(void)
{
	memset(mem, 0x90, sizeof(mem));
	memset(bytes + 0x1000, 0, 4 * 4096);
	set(0x1000, 0, 0x2003);
	set(0x2000, 0, 0x3003);
	set(0x3000, 0, 0x83);
	set(0x3000, 1, 0x4003);
	set(0x4000, 5, 0x7003);
	set(0x4000, 6, 0x8003);
	memcpy(bytes + CODE_4K, load32, sizeof(load32));
	memcpy(bytes + CODE_ALT, store8, sizeof(store8));
	memcpy(bytes + RIP_2M, load32, sizeof(load32));
}

/* The slow path as the backend takes it: walk, fetch 15 bytes, decode, fill. */
static int slow(struct x86_icache *c, const struct x86_gwalk_regs *r, uint64_t rip,
		enum x86_cpu_mode mode, struct x86_mmio_insn *insn)
{
	uint8_t code[X86_MAX_INSN_LEN];
	uint64_t pa;
	int err = x86_gwalk(r, rip, read_mem, NULL, &pa);

	if (!err)
		err = read_mem(NULL, pa, code, sizeof(code));
	if (!err)
		err = x86_decode_mmio(code, sizeof(code), mode, insn);
	if (!err)
		x86_icache_fill(c, r, rip, mode, code, insn, host, NULL);
	return err;
}

static bool hit(const struct x86_icache *c, const struct x86_gwalk_regs *r, uint64_t rip,
		enum x86_cpu_mode mode, struct x86_mmio_insn *insn)
{
	return x86_icache_lookup(c, r, rip, mode, insn);
}

static void assert_same(const struct x86_mmio_insn *a, const struct x86_mmio_insn *b)
{
	assert_memory_equal(a, b, sizeof(*a));
}

static void test_hit_equals_decode(void **state)
{
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh, cached;

	(void)state;
	build();
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
	assert_true(c.valid);
	assert_int_equal(c.levels, 4);
	assert_true(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_same(&fresh, &cached);
	assert_int_equal(cached.len, 3);
	assert_int_equal(cached.width, 4);
	assert_false(cached.write);
	/* a 2 MiB page: three entries */
	assert_int_equal(slow(&c, &lm, RIP_2M, X86_MODE_64, &fresh), PV_OK);
	assert_int_equal(c.levels, 3);
	assert_true(hit(&c, &lm, RIP_2M, X86_MODE_64, &cached));
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	x86_icache_invalidate(&c);
	assert_false(hit(&c, &lm, RIP_2M, X86_MODE_64, &cached));
}

/* Any byte of the 15-byte window, even past the instruction, changes the decoder's input. */
static void test_code_change_misses(void **state)
{
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh, cached;

	(void)state;
	for (unsigned i = 0; i < X86_MAX_INSN_LEN; i++) {
		build();
		assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
		bytes[CODE_4K + i] ^= 0x01;
		assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
		bytes[CODE_4K + i] ^= 0x01;
		assert_true(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	}
	/* rewritten into another instruction: the next decode sees it */
	memcpy(bytes + CODE_4K, store8, sizeof(store8));
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
	assert_true(fresh.write);
	assert_true(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_same(&fresh, &cached);
}

/* A change to any entry of the walk (an accessed bit, a remap) is a miss. */
static void test_page_table_change_misses(void **state)
{
	static const struct {
		uint64_t table;
		unsigned index;
	} walk[] = { { 0x1000, 0 }, { 0x2000, 0 }, { 0x3000, 1 }, { 0x4000, 5 } };
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh, cached;

	(void)state;
	for (unsigned i = 0; i < 4; i++) {
		build();
		assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
		mem[walk[i].table / 8 + walk[i].index] |= 0x20; /* accessed */
		assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
		assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
		assert_true(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	}
	/* the leaf remapped to the frame holding the store: the store is decoded */
	build();
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
	assert_false(fresh.write);
	set(0x4000, 5, 0x8003);
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
	assert_true(fresh.write);
	assert_true(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_same(&fresh, &cached);
	/* not present any more: a miss, and the slow path faults */
	set(0x4000, 5, 0);
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_64, &cached));
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), -PV_ENOENT);
}

static void test_key_misses(void **state)
{
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh, cached;
	struct x86_gwalk_regs r;

	(void)state;
	build();
	assert_int_equal(slow(&c, &lm, RIP_4K, X86_MODE_64, &fresh), PV_OK);
	assert_false(hit(&c, &lm, RIP_4K + 1, X86_MODE_64, &cached));
	assert_false(hit(&c, &lm, RIP_4K, X86_MODE_32, &cached));
	r = lm;
	r.cr3 = 0x1008; /* same tables, other CR3 value (PCID / flags): still a miss */
	assert_false(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
	r = lm;
	r.cr0 &= ~PV_BIT(31);
	assert_false(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
	r = lm;
	r.cr4 |= PV_BIT(12);
	assert_false(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
	r = lm;
	r.cr4 &= ~PV_BIT(5);
	assert_false(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
	r = lm;
	r.efer &= ~PV_BIT(10);
	assert_false(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
	/* bits the walk ignores do not matter */
	r = lm;
	r.cr0 |= PV_BIT(1);
	r.cr4 |= PV_BIT(9);
	assert_true(hit(&c, &r, RIP_4K, X86_MODE_64, &cached));
}

static void test_paging_off(void **state)
{
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh, cached;
	const struct x86_gwalk_regs r = { .cr0 = 0x11 };

	(void)state;
	build();
	assert_int_equal(slow(&c, &r, CODE_4K, X86_MODE_32, &fresh), PV_OK);
	assert_true(c.valid);
	assert_int_equal(c.levels, 0);
	assert_true(hit(&c, &r, CODE_4K, X86_MODE_32, &cached));
	assert_same(&fresh, &cached);
	bytes[CODE_4K + 14] ^= 0xff;
	assert_false(hit(&c, &r, CODE_4K, X86_MODE_32, &cached));
}

static void test_not_cached(void **state)
{
	struct x86_icache c = { 0 };
	struct x86_mmio_insn fresh;
	const struct x86_gwalk_regs off = { .cr0 = 0x11 };
	uint8_t code[X86_MAX_INSN_LEN];

	(void)state;
	build();
	/* a window that crosses into the next page */
	memcpy(bytes + 0x7ff8, load32, sizeof(load32));
	assert_int_equal(slow(&c, &off, 0x7ff8, X86_MODE_64, &fresh), PV_OK);
	assert_false(c.valid);
	/* the last window that fits */
	memcpy(bytes + 0x7ff1, load32, sizeof(load32));
	assert_int_equal(slow(&c, &off, 0x7ff1, X86_MODE_64, &fresh), PV_OK);
	assert_true(c.valid);
	/* bytes that changed between the decode and the fill */
	memcpy(code, bytes + CODE_4K, sizeof(code));
	code[0] = 0x89;
	assert_int_equal(x86_decode_mmio(code, sizeof(code), X86_MODE_64, &fresh), PV_OK);
	x86_icache_fill(&c, &lm, RIP_4K, X86_MODE_64, code, &fresh, host, NULL);
	assert_false(c.valid);
	/* code outside guest RAM (paging off, identity) */
	x86_icache_fill(&c, &off, MEM_SIZE + 0x100, X86_MODE_32, code, &fresh, host, NULL);
	assert_false(c.valid);
	/* a page table outside guest RAM */
	set(0x4000, 5, 0x7003);
	set(0x3000, 1, ((uint64_t)MEM_SIZE << 4) | 3);
	memcpy(code, bytes + CODE_4K, sizeof(code));
	x86_icache_fill(&c, &lm, RIP_4K, X86_MODE_64, code, &fresh, host, NULL);
	assert_false(c.valid);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hit_equals_decode),
		cmocka_unit_test(test_code_change_misses),
		cmocka_unit_test(test_page_table_change_misses),
		cmocka_unit_test(test_key_misses),
		cmocka_unit_test(test_paging_off),
		cmocka_unit_test(test_not_cached),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
