// SPDX-License-Identifier: MIT
/*
 * The board's fw_cfg reader on a made-up device: the file directory, etc/memmap, and what a
 * broken or hostile device may say (an endless directory, impossible selectors, a huge memory
 * map). The device is a table of items; reading past an item's end returns zeros, like QEMU's.
 */
#include <hal/boot.h>
#include <libfdt.h>
#include <pv_test.h>
#include <string.h>

#include "qv_fw_cfg.h"

#define MAX_ITEMS 8
/* More reads than a directory with every possible selector takes: the reader went on past any
 * sane bound (0x3fe0 files of 64 bytes, plus the count). */
#define READ_LIMIT (0x4000 * 64 + 4)

struct item {
	uint16_t key;
	const uint8_t *data;
	size_t len;
};

static struct item items[MAX_ITEMS];
static unsigned nitems;
static const struct item *selected;
static size_t offset;
static unsigned long reads;

static void fake_select(uintptr_t base, uint16_t key)
{
	assert_int_equal(base, 0x1234);
	selected = NULL;
	offset = 0;
	for (unsigned i = 0; i < nitems; i++)
		if (items[i].key == key)
			selected = &items[i];
}

static uint8_t fake_read8(uintptr_t base)
{
	assert_int_equal(base, 0x1234);
	if (++reads > READ_LIMIT)
		fail_msg("the reader is still reading after %lu bytes", reads);
	if (!selected || offset >= selected->len)
		return 0;
	return selected->data[offset++];
}

static const struct qv_fw_cfg_io io = { fake_select, fake_read8, 0x1234 };

static void add_item(uint16_t key, const uint8_t *data, size_t len)
{
	assert_true(nitems < MAX_ITEMS);
	items[nitems++] = (struct item){ key, data, len };
}

static void put_be(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static void put_le(uint8_t *p, uint64_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint8_t dir[4 + 3 * 64];
static uint8_t memmap[4 * 24];
static const uint8_t signature[4] = { 'Q', 'E', 'M', 'U' };

static void dir_entry(unsigned i, const char *name, uint32_t size, uint16_t key)
{
	uint8_t *e = dir + 4 + 64 * i;

	put_be(e, size, 4);
	put_be(e + 4, key, 2);
	strncpy((char *)e + 8, name, 56);
}

static void memmap_entry(unsigned i, uint64_t addr, uint64_t len, uint32_t type)
{
	put_le(memmap + 24 * i, addr, 8);
	put_le(memmap + 24 * i + 8, len, 8);
	put_le(memmap + 24 * i + 16, type, 4);
}

/* QEMU's layout: signature, a directory of three files, etc/memmap with 2 RAM ranges and one
 * reserved range. */
static int setup(void **state)
{
	(void)state;
	memset(items, 0, sizeof(items));
	memset(dir, 0, sizeof(dir));
	memset(memmap, 0, sizeof(memmap));
	nitems = 0;
	selected = NULL;
	reads = 0;
	put_be(dir, 3, 4);
	dir_entry(0, "etc/boot-fail-wait", 4, 0x20);
	dir_entry(1, "etc/memmap", 3 * 24, 0x21);
	dir_entry(2, "etc/table-loader", 4096, 0x22);
	memmap_entry(0, 0, 0x10000000, 1);
	memmap_entry(1, 0x1e000000, 0x100000, 2);
	memmap_entry(2, 0x90000000, 0x30000000, 1);
	add_item(0x0000, signature, sizeof(signature));
	add_item(0x0019, dir, sizeof(dir));
	add_item(0x0021, memmap, 3 * 24);
	return 0;
}

static void test_memmap(void **state)
{
	struct boot_info bi;
	uint32_t size = 0;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(qv_fw_cfg_find(&io, "etc/memmap", &size), 0x21);
	assert_int_equal(size, 72);
	assert_int_equal(qv_fw_cfg_find(&io, "etc/nothing", &size), 0);
	assert_int_equal(qv_fw_cfg_memory(&io, &bi), PV_OK);
	assert_int_equal(bi.nmem, 2);
	assert_int_equal(bi.mem[0].base.raw, 0);
	assert_int_equal(bi.mem[0].size, 0x10000000);
	assert_int_equal(bi.mem[1].base.raw, 0x90000000);
	assert_int_equal(bi.mem[1].size, 0x30000000);
}

/* RAM entries of length 0 add nothing: a memory map made only of them is no memory map (found by
 * fuzzing: the reader said PV_OK with no range added, and the boot went on without RAM). */
static void test_memmap_empty_ranges(void **state)
{
	struct boot_info bi;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	memmap_entry(0, 0, 0, 1);
	memmap_entry(2, 0x90000000, 0, 1);
	assert_int_equal(qv_fw_cfg_memory(&io, &bi), -PV_ENOENT);
	assert_int_equal(bi.nmem, 0);
}

/* A directory claiming 2^32 - 1 files: the count is checked against the selector space before
 * it bounds a loop (before, the reader would go through 2^38 bytes of zeros). */
static void test_directory_count(void **state)
{
	uint32_t size = 0;

	(void)state;
	put_be(dir, 0xffffffffu, 4);
	assert_int_equal(qv_fw_cfg_find(&io, "etc/nothing", &size), 0);
	assert_true(reads <= 4);
	/* The largest count the selectors allow is read through, and still ends. */
	put_be(dir, 0x3fe0, 4);
	reads = 0;
	assert_int_equal(qv_fw_cfg_find(&io, "etc/nothing", &size), 0);
	assert_int_equal(reads, 4 + 0x3fe0 * 64);
	put_be(dir, 0x3fe1, 4);
	reads = 0;
	assert_int_equal(qv_fw_cfg_find(&io, "etc/memmap", &size), 0);
}

/* Selectors outside the files' range (the signature's, a write-channel key) are no file. */
static void test_directory_selector(void **state)
{
	const uint16_t bad[] = { 0x0000, 0x0019, 0x001f, 0x4000, 0x8021, 0xffff };
	struct boot_info bi;
	uint32_t size = 0;

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(bad); i++) {
		dir_entry(1, "etc/memmap", 3 * 24, bad[i]);
		assert_int_equal(qv_fw_cfg_find(&io, "etc/memmap", &size), 0);
	}
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(qv_fw_cfg_memory(&io, &bi), -PV_ENOENT);
	assert_int_equal(bi.nmem, 0);
}

/* Memory maps of impossible sizes are refused before any entry is read. */
static void test_memmap_size(void **state)
{
	const uint32_t sizes[] = { 0, 25, 0xfffffff0u, 257 * 24 };
	struct boot_info bi;

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(sizes); i++) {
		dir_entry(1, "etc/memmap", sizes[i], 0x21);
		memset(&bi, 0, sizeof(bi));
		reads = 0;
		assert_int_equal(qv_fw_cfg_memory(&io, &bi), -PV_ENOENT);
		assert_true(reads <= 4 + 4 + 2 * 64);
	}
}

/* No signature: not fw_cfg, nothing else is read. */
static void test_signature(void **state)
{
	struct boot_info bi;

	(void)state;
	memset(&bi, 0, sizeof(bi));
	items[0].key = 0x7;
	assert_int_equal(qv_fw_cfg_memory(&io, &bi), -PV_ENOENT);
	assert_int_equal(reads, 4);
}

/* The device's address from the DTB: one or two address cells, or none at all. */
static void test_base_from_dtb(void **state)
{
	static char blob[1024];
	const fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x1e020000), cpu_to_fdt32(0),
				 cpu_to_fdt32(0x18) };
	const fdt32_t two = cpu_to_fdt32(2);

	(void)state;
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_property(blob, "#address-cells", &two, sizeof(two)), 0);
	assert_int_equal(fdt_property(blob, "#size-cells", &two, sizeof(two)), 0);
	assert_int_equal(fdt_begin_node(blob, "fw_cfg@1e020000"), 0);
	assert_int_equal(fdt_property_string(blob, "compatible", "qemu,fw-cfg-mmio"), 0);
	assert_int_equal(fdt_property(blob, "reg", reg, sizeof(reg)), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	assert_int_equal(qv_fw_cfg_base(blob), 0x1e020000);

	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	assert_int_equal(qv_fw_cfg_base(blob), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_memmap, setup),
		cmocka_unit_test_setup(test_memmap_empty_ranges, setup),
		cmocka_unit_test_setup(test_directory_count, setup),
		cmocka_unit_test_setup(test_directory_selector, setup),
		cmocka_unit_test_setup(test_memmap_size, setup),
		cmocka_unit_test_setup(test_signature, setup),
		cmocka_unit_test_setup(test_base_from_dtb, setup),
	};

	return cmocka_run_group_tests_name("qv_fw_cfg", tests, NULL, NULL);
}
