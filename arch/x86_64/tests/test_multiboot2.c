// SPDX-License-Identifier: MIT
/* The multiboot2 boot information (multiboot2.h): what a boot loader passes is read into the
 * memory map and reserved ranges, and a malformed structure is refused with a log line without
 * a read outside it (ASan watches the buffer's end). */
#include <stdlib.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "multiboot2.h"
#include "pv_test.h"

#define ADDR	0x10000u /* where the loader "put" it */
#define LIMIT	(4ULL << 30)
#define MB_RAM	1u
#define MB_RSVD 2u

/* A structure under construction: 8-byte aligned, tags appended in order. */
static uint64_t buf_words[512];
static uint8_t *buf = (uint8_t *)buf_words;
static size_t len;
static struct boot_info bi;

static void put32(size_t off, uint32_t v)
{
	memcpy(buf + off, &v, 4);
}

static void put64(size_t off, uint64_t v)
{
	memcpy(buf + off, &v, 8);
}

static void begin(void)
{
	memset(buf_words, 0, sizeof(buf_words));
	memset(&bi, 0, sizeof(bi));
	fake_reset();
	len = 8;
}

/* Appends a tag of @size bytes (header included) and returns its offset. */
static size_t tag(uint32_t type, uint32_t size)
{
	size_t off = len;

	put32(off, type);
	put32(off + 4, size);
	len += (size + 7u) & ~7u;
	return off;
}

static void string_tag(uint32_t type, const char *s)
{
	size_t off = tag(type, (uint32_t)(8 + strlen(s) + 1));

	memcpy(buf + off + 8, s, strlen(s) + 1);
}

static void mmap_tag(unsigned n, const uint64_t (*e)[3])
{
	size_t off = tag(6, (uint32_t)(16 + 24 * n));

	put32(off + 8, 24);
	put32(off + 12, 0);
	for (unsigned i = 0; i < n; i++) {
		put64(off + 16 + 24 * i, e[i][0]);
		put64(off + 16 + 24 * i + 8, e[i][1]);
		put32(off + 16 + 24 * i + 16, (uint32_t)e[i][2]);
	}
}

static int finish_and_parse(void)
{
	tag(0, 8);
	put32(0, (uint32_t)len);
	return x86_mb2_parse(buf, len, ADDR, LIMIT, &bi);
}

/* A copy of exactly @n bytes on the heap: ASan reports any read past it. */
static int parse_exact(size_t n)
{
	void *copy = aligned_alloc(8, (n + 7) & ~(size_t)7);
	int err;

	memcpy(copy, buf, n);
	err = x86_mb2_parse(copy, n, ADDR, LIMIT, &bi);
	free(copy);
	return err;
}

static bool reserved(uint64_t base, uint64_t size)
{
	for (unsigned i = 0; i < bi.nreserved; i++)
		if (bi.reserved[i].base.raw == base && bi.reserved[i].size == size)
			return true;
	return false;
}

static void test_grub_like(void **state)
{
	static const uint64_t map[][3] = {
		{ 0, 0x9fc00, MB_RAM },
		{ 0xf0000, 0x10000, MB_RSVD },
		{ 0x100000, 0x1ff00000, MB_RAM },
		{ 0xfff00000, 0x200000, MB_RAM },    /* crosses the 4 GiB identity map */
		{ 0x100000000, 0x40000000, MB_RAM }, /* above it */
	};
	size_t mod;

	(void)state;
	begin();
	string_tag(1, "console=ttyS0 quiet");
	string_tag(2, "GRUB 2.06");
	mod = tag(3, 16 + 8);
	put32(mod + 8, 0x200000);
	put32(mod + 12, 0x280000);
	mmap_tag(5, map);
	assert_int_equal(finish_and_parse(), PV_OK);
	assert_non_null(bi.cmdline);
	assert_string_equal(bi.cmdline, "console=ttyS0 quiet");
	assert_ptr_equal(bi.cmdline, (const char *)buf + 16);
	assert_true(fake_log_contains("x86: started by GRUB 2.06"));
	assert_int_equal(bi.nmem, 3);
	assert_int_equal(bi.mem[0].base.raw, 0);
	assert_int_equal(bi.mem[1].base.raw, 0x100000);
	assert_int_equal(bi.mem[2].base.raw, 0xfff00000);
	assert_int_equal(bi.mem[2].size, 0x100000); /* cut at the limit */
	assert_true(fake_log_contains("above the 4 GiB identity map"));
	assert_true(reserved(0x200000, 0x80000)); /* the module */
	assert_true(reserved(0, 0x100000));	  /* the first MiB */
	assert_true(reserved(ADDR, len));	  /* the structure itself */
}

static void test_refused(void **state)
{
	static const uint64_t map[][3] = { { 0x100000, 0x100000, MB_RAM } };

	(void)state;
	/* no memory map */
	begin();
	string_tag(1, "x");
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
	assert_true(fake_log_contains("passed no memory map"));
	/* total_size larger than what may be read, smaller than a header and a tag */
	begin();
	mmap_tag(1, map);
	assert_int_equal(finish_and_parse(), PV_OK);
	assert_int_equal(x86_mb2_parse(buf, len - 8, ADDR, LIMIT, &bi), -PV_EINVAL);
	put32(0, 12);
	assert_int_equal(x86_mb2_parse(buf, len, ADDR, LIMIT, &bi), -PV_EINVAL);
	assert_int_equal(x86_mb2_parse(buf, 4, ADDR, LIMIT, &bi), -PV_EINVAL);
	/* misaligned, at either address */
	put32(0, (uint32_t)len);
	assert_int_equal(x86_mb2_parse(buf, len, ADDR + 4, LIMIT, &bi), -PV_EINVAL);
	assert_int_equal(x86_mb2_parse(NULL, len, ADDR, LIMIT, &bi), -PV_EINVAL);
	assert_true(fake_log_contains("is malformed"));
	/* a tag larger than what is left, or smaller than its header */
	begin();
	mmap_tag(1, map);
	put32(12, 0x1000);
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
	assert_true(fake_log_contains("has a bad size 4096"));
	begin();
	mmap_tag(1, map);
	put32(12, 4);
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
	/* memory-map entries too small or misaligned, or a tag too short for its header */
	begin();
	mmap_tag(1, map);
	put32(16, 20);
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
	assert_true(fake_log_contains("memory map is malformed"));
	begin();
	mmap_tag(1, map);
	put32(16, 28);
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
	begin();
	tag(6, 12);
	assert_int_equal(finish_and_parse(), -PV_EINVAL);
}

static void test_odd_but_valid(void **state)
{
	static const uint64_t map[][3] = { { 0x100000, 0x100000, MB_RAM },
					   { 0x400000, 0, MB_RAM },
					   { 0xffffffffff000000ULL, 0x2000000, MB_RAM } };
	size_t off;

	(void)state;
	/* an unterminated command line is ignored; a module ending before it starts too */
	begin();
	off = tag(1, 12);
	memcpy(buf + off + 8, "abcd", 4);
	off = tag(3, 24);
	put32(off + 8, 0x300000);
	put32(off + 12, 0x300000);
	mmap_tag(3, map);
	assert_int_equal(finish_and_parse(), PV_OK);
	assert_null(bi.cmdline);
	assert_int_equal(bi.nreserved, 2); /* first MiB, the structure */
	assert_int_equal(bi.nmem, 1);	   /* empty and wrapping (beyond the limit) ranges */
	/* a huge entry size: the single entry that does not fit is not read */
	begin();
	mmap_tag(1, map);
	put32(16, 0xfffffff8u);
	assert_int_equal(finish_and_parse(), PV_OK);
	assert_int_equal(bi.nmem, 0);
	/* the last tag without an end tag or its padding: read up to total_size, no further */
	begin();
	mmap_tag(1, map);
	off = tag(1, 8 + 3);
	memcpy(buf + off + 8, "ab", 3);
	len = off + 11;
	put32(0, (uint32_t)len);
	assert_int_equal(parse_exact(len), PV_OK);
	assert_int_equal(bi.nmem, 1);
}

/* More RAM ranges than boot_info holds: each one left out is said, none overflows the table. */
static void test_map_full(void **state)
{
	uint64_t map[24][3];

	(void)state;
	for (unsigned i = 0; i < 24; i++) {
		map[i][0] = 0x1000000ULL * (i + 1);
		map[i][1] = 0x100000;
		map[i][2] = MB_RAM;
	}
	begin();
	mmap_tag(24, (const uint64_t(*)[3])map);
	assert_int_equal(finish_and_parse(), PV_OK);
	assert_int_equal(bi.nmem, BOOT_MAX_RANGES);
	assert_true(fake_log_contains("memory map full"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grub_like),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_odd_but_valid),
		cmocka_unit_test(test_map_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
