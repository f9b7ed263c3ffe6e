// SPDX-License-Identifier: MIT
/*
 * The split virtqueue parser (devices/virtqueue.c) against well-formed and malformed rings in a
 * real VM's RAM: chains, copies across RAM chunks, index wrap-around, and every refusal (loops,
 * addresses outside RAM, oversized lengths, indices out of range, a runaway available index).
 */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/virtqueue.h>
#include <string.h>
#include <vm/guest_mem.h>

#define NUM   8u
#define DESC  (FIX_RAM_GPA + 0x10000)
#define AVAIL (FIX_RAM_GPA + 0x11000)
#define USED  (FIX_RAM_GPA + 0x12000)
#define BUF   (FIX_RAM_GPA + 0x20000)
#define CHUNK (FIX_RAM_GPA + 0x100000) /* where the second RAM chunk starts */

static struct vm vm;
static struct virtq q;
static struct vq_buf scratch[NUM];
static uint16_t avail_idx;

static void *mem(uint64_t addr, uint64_t len)
{
	void *p = vm_gpa_ptr(&vm, gpa(addr), len);
	assert_non_null(p);
	return p;
}

static void desc(uint16_t i, uint64_t addr, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *p = mem(DESC + 16u * i, 16);
	memcpy(p, &addr, 8);
	memcpy(p + 8, &len, 4);
	memcpy(p + 12, &flags, 2);
	memcpy(p + 14, &next, 2);
}

static void set_avail_idx(uint16_t idx)
{
	memcpy(mem(AVAIL + 2, 2), &idx, 2);
}

static void publish(uint16_t head)
{
	memcpy(mem(AVAIL + 4 + 2u * (avail_idx % NUM), 2), &head, 2);
	set_avail_idx(++avail_idx);
}

static uint16_t used_idx(void)
{
	uint16_t v;
	memcpy(&v, mem(USED + 2, 2), 2);
	return v;
}

static void enable(uint16_t chain_max)
{
	vq_init(&q, NUM, scratch, chain_max);
	q.num = NUM;
	q.desc = DESC;
	q.avail = AVAIL;
	q.used = USED;
	assert_int_equal(vq_enable(&q, &vm), PV_OK);
	avail_idx = 0;
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_vm_start(&vm);
	memset(mem(DESC, 0x3000), 0, 0x3000);
	enable(NUM);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

/* Pops expecting a fault whose message contains @what; nothing is taken. */
static void expect_fault(const char *what)
{
	struct vq_chain c;
	uint16_t before = q.last_avail;

	assert_int_equal(vq_pop(&q, &vm, &c), -PV_EFAULT);
	assert_non_null(q.fault.what);
	if (!strstr(q.fault.what, what))
		fail_msg("fault \"%s\", expected \"%s\"", q.fault.what, what);
	assert_int_equal(q.last_avail, before);
}

static void test_chain_read_write_and_used(void **state)
{
	(void)state;
	struct vq_chain c;
	char out[32] = { 0 };

	memcpy(mem(BUF, 5), "hello", 5);
	memcpy(mem(BUF + 0x100, 6), " world", 6);
	desc(3, BUF, 5, VIRTQ_DESC_F_NEXT, 5);
	desc(5, BUF + 0x100, 6, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF + 0x200, 16, VIRTQ_DESC_F_WRITE, 0);
	assert_int_equal(vq_pop(&q, &vm, &c), 0); /* nothing published yet */
	publish(3);
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
	assert_int_equal(c.head, 3);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.nout, 2);
	assert_int_equal(c.out_len, 11);
	assert_int_equal(c.in_len, 16);
	assert_int_equal(vq_read(&vm, &c, 0, out, 11), PV_OK);
	assert_string_equal(out, "hello world");
	assert_int_equal(vq_read(&vm, &c, 3, out, 5), PV_OK);
	assert_memory_equal(out, "lo wo", 5);
	/* Past the readable part: refused, nothing copied. */
	assert_int_equal(vq_read(&vm, &c, 8, out, 4), -PV_EINVAL);
	assert_int_equal(vq_write(&vm, &c, 10, "abcdef", 6), PV_OK);
	assert_memory_equal(mem(BUF + 0x20a, 6), "abcdef", 6);
	assert_int_equal(vq_write(&vm, &c, 12, "abcdef", 6), -PV_EINVAL);
	assert_int_equal(vq_pop(&q, &vm, &c), 0);

	assert_int_equal(vq_push(&q, &vm, 3, 16), 1);
	assert_int_equal(used_idx(), 1);
	uint32_t elem[2];
	memcpy(elem, mem(USED + 4, 8), 8);
	assert_int_equal(elem[0], 3);
	assert_int_equal(elem[1], 16);
	/* The driver asks for no interrupts: push says so. */
	uint16_t flags = VIRTQ_AVAIL_F_NO_INTERRUPT;
	memcpy(mem(AVAIL, 2), &flags, 2);
	assert_int_equal(vq_push(&q, &vm, 3, 0), 0);
	assert_int_equal(used_idx(), 2);
}

static void test_chain_is_copied_once(void **state)
{
	(void)state;
	struct vq_chain c;

	desc(0, BUF, 64, VIRTQ_DESC_F_WRITE, 0);
	publish(0);
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
	/* The guest rewrites the descriptor after the device took it: nothing changes. */
	desc(0, 0xdead0000, 0x7fffffff, VIRTQ_DESC_F_NEXT, 7);
	assert_int_equal(c.buf[0].addr, BUF);
	assert_int_equal(c.buf[0].len, 64);
	assert_int_equal(vq_write(&vm, &c, 0, "x", 1), PV_OK);
	assert_int_equal(*(char *)mem(BUF, 1), 'x');
}

static void test_copies_cross_ram_chunks(void **state)
{
	(void)state;
	struct vq_chain c;
	uint8_t pattern[256], back[256];
	struct vm_gpa_piece p[4];

	/* The range straddles the two chunks backing the region: two host pieces. */
	assert_int_equal(vm_gpa_pieces(&vm, gpa(CHUNK - 100), 256, p, 4), 2);
	assert_int_equal(p[0].len, 100);
	assert_int_equal(vm_gpa_pieces(&vm, gpa(CHUNK - 100), 256, p, 1), -PV_ENOMEM);
	assert_null(vm_gpa_ptr(&vm, gpa(CHUNK - 100), 256));
	for (unsigned i = 0; i < sizeof(pattern); i++)
		pattern[i] = (uint8_t)(i * 7 + 1);
	desc(2, CHUNK - 100, 256, VIRTQ_DESC_F_WRITE, 0);
	publish(2);
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
	assert_int_equal(vq_write(&vm, &c, 0, pattern, sizeof(pattern)), PV_OK);
	assert_int_equal(vm_read_guest(&vm, gpa(CHUNK - 100), back, sizeof(back)), PV_OK);
	assert_memory_equal(back, pattern, sizeof(back));
}

static void test_index_wrap_around(void **state)
{
	(void)state;
	struct vq_chain c;

	/* Both indices run free through 0xffff -> 0. */
	q.last_avail = q.avail_shadow = q.used_idx = 0xfffd;
	avail_idx = 0xfffd;
	desc(0, BUF, 8, VIRTQ_DESC_F_WRITE, 0);
	for (unsigned i = 0; i < 6; i++)
		publish(0);
	assert_int_equal(avail_idx, 3);
	for (unsigned i = 0; i < 6; i++) {
		assert_int_equal(vq_pop(&q, &vm, &c), 1);
		assert_int_equal(c.head, 0);
		assert_true(vq_push(&q, &vm, c.head, 8) >= 0);
	}
	assert_int_equal(vq_pop(&q, &vm, &c), 0);
	assert_int_equal(q.last_avail, 3);
	assert_int_equal(used_idx(), 3);
}

static void test_runaway_available_index(void **state)
{
	(void)state;
	/* The driver claims more chains than the queue holds. */
	set_avail_idx(NUM + 1);
	expect_fault("available index");
	set_avail_idx(0xffff);
	expect_fault("available index");
	set_avail_idx(NUM); /* exactly a full queue is fine */
	desc(0, BUF, 8, 0, 0);
	for (unsigned i = 0; i < NUM; i++)
		memset(mem(AVAIL + 4 + 2 * i, 2), 0, 2);
	struct vq_chain c;
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
}

static void test_head_and_next_out_of_range(void **state)
{
	(void)state;
	publish(NUM);
	expect_fault("out of range");
	enable(NUM);
	desc(0, BUF, 8, VIRTQ_DESC_F_NEXT, NUM + 3);
	publish(0);
	expect_fault("next descriptor out of range");
}

static void test_descriptor_loops(void **state)
{
	(void)state;
	/* 0 -> 1 -> 2 -> 0: the device's scratch can hold the whole queue, so the loop is seen. */
	desc(0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF, 8, VIRTQ_DESC_F_NEXT, 2);
	desc(2, BUF, 8, VIRTQ_DESC_F_NEXT, 0);
	publish(0);
	expect_fault("loops");
	/* A descriptor naming itself. */
	desc(5, BUF, 8, VIRTQ_DESC_F_NEXT, 5);
	enable(NUM);
	publish(5);
	expect_fault("loops");
	/* A device taking shorter chains refuses the loop as too long, never spins. */
	enable(2);
	publish(0);
	expect_fault("longer than the device takes");
}

static void test_buffers_outside_ram(void **state)
{
	(void)state;
	static const uint64_t bad[][2] = {
		{ 0x09000000, 8 },			/* a device window */
		{ FIX_RAM_GPA - 8, 16 },		/* starts before RAM */
		{ FIX_RAM_GPA + FIX_RAM_SIZE - 8, 16 }, /* runs past its end */
		{ FIX_RAM_GPA + FIX_RAM_SIZE, 1 },	/* just past it */
		{ 0xfffffffffffffff0ULL, 0x20 },	/* wraps around */
		{ FIX_RAM_GPA, 0xffffffffu },		/* an oversized length */
	};

	for (unsigned i = 0; i < PV_ARRAY_SIZE(bad); i++) {
		enable(NUM);
		desc(0, BUF, 8, VIRTQ_DESC_F_NEXT, 1);
		desc(1, bad[i][0], (uint32_t)bad[i][1], VIRTQ_DESC_F_WRITE, 0);
		publish(0);
		expect_fault("not the VM's RAM");
	}
	/* A zero-length buffer names no memory: accepted. */
	enable(NUM);
	desc(0, 0x09000000, 0, VIRTQ_DESC_F_WRITE, 0);
	publish(0);
	struct vq_chain c;
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
	assert_int_equal(c.in_len, 0);
}

static void test_layout_rules(void **state)
{
	(void)state;
	desc(0, BUF, 8, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(1, BUF, 8, 0, 0);
	publish(0);
	expect_fault("device-readable descriptor after a device-writable one");
	enable(NUM);
	desc(0, BUF, 32, VIRTQ_DESC_F_INDIRECT, 0);
	publish(0);
	expect_fault("indirect");
}

static void test_enable_checks_the_rings(void **state)
{
	(void)state;
	static const struct {
		uint16_t num;
		uint64_t desc, avail, used;
		const char *what;
	} bad[] = {
		{ 0, DESC, AVAIL, USED, "power of two" },
		{ 6, DESC, AVAIL, USED, "power of two" },
		{ 16, DESC, AVAIL, USED, "power of two" }, /* more than max */
		{ NUM, DESC + 8, AVAIL, USED, "descriptor table" },
		{ NUM, 0x09000000, AVAIL, USED, "descriptor table" },
		{ NUM, DESC, AVAIL + 1, USED, "available ring" },
		{ NUM, DESC, FIX_RAM_GPA + FIX_RAM_SIZE - 4, USED, "available ring" },
		{ NUM, DESC, AVAIL, USED + 2, "used ring" },
		{ NUM, DESC, AVAIL, FIX_RAM_GPA + FIX_RAM_SIZE - 8, "used ring" },
	};

	for (unsigned i = 0; i < PV_ARRAY_SIZE(bad); i++) {
		vq_init(&q, NUM, scratch, NUM);
		q.num = bad[i].num;
		q.desc = bad[i].desc;
		q.avail = bad[i].avail;
		q.used = bad[i].used;
		assert_int_equal(vq_enable(&q, &vm), -PV_EFAULT);
		assert_false(q.ready);
		assert_non_null(strstr(q.fault.what, bad[i].what));
	}
	/* A ring across the two RAM chunks is fine: it is RAM. */
	vq_init(&q, NUM, scratch, NUM);
	q.num = NUM;
	q.desc = CHUNK - 64;
	q.avail = AVAIL;
	q.used = USED;
	assert_int_equal(vq_enable(&q, &vm), PV_OK);
	desc(0, 0, 0, 0, 0); /* (writes at DESC, unused here) */
	uint8_t *lo = mem(CHUNK - 64, 64), *hi = mem(CHUNK, 64);
	uint64_t a = BUF;
	uint32_t len = 4;
	uint16_t fl = VIRTQ_DESC_F_WRITE;
	memset(lo, 0, 64);
	memset(hi, 0, 64);
	/* descriptor 5 is the second one of the upper chunk */
	memcpy(hi + 16, &a, 8);
	memcpy(hi + 24, &len, 4);
	memcpy(hi + 28, &fl, 2);
	publish(5);
	struct vq_chain c;
	assert_int_equal(vq_pop(&q, &vm, &c), 1);
	assert_int_equal(c.buf[0].addr, BUF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_chain_read_write_and_used, setup, teardown),
		cmocka_unit_test_setup_teardown(test_chain_is_copied_once, setup, teardown),
		cmocka_unit_test_setup_teardown(test_copies_cross_ram_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index_wrap_around, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runaway_available_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_head_and_next_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_descriptor_loops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_buffers_outside_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_layout_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_enable_checks_the_rings, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
