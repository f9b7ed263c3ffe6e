// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include <hal/boot.h>
#include <libfdt.h>
#include <string.h>

static char blob[4096];

static void prop_cells(const char *name, const uint32_t *cells, int n)
{
	fdt32_t be[8];
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	assert_int_equal(fdt_property(blob, name, be, n * (int)sizeof(fdt32_t)), 0);
}

/* A tree like QEMU's: two memory nodes, a /memreserve/ entry and a reserved-memory child. */
static void build_dtb(int acells, int scells)
{
	uint32_t cells[8];
	int n = 0;

	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_add_reservemap_entry(blob, 0x40000000, 0x1000), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	cells[0] = (uint32_t)acells;
	prop_cells("#address-cells", cells, 1);
	cells[0] = (uint32_t)scells;
	prop_cells("#size-cells", cells, 1);

	assert_int_equal(fdt_begin_node(blob, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(blob, "device_type", "memory"), 0);
	if (acells == 2)
		cells[n++] = 0;
	cells[n++] = 0x40000000;
	if (scells == 2)
		cells[n++] = 0;
	cells[n++] = 0x20000000;
	prop_cells("reg", cells, n);
	assert_int_equal(fdt_end_node(blob), 0);

	assert_int_equal(fdt_begin_node(blob, "memory@80000000"), 0);
	assert_int_equal(fdt_property_string(blob, "device_type", "memory"), 0);
	n = 0;
	if (acells == 2)
		cells[n++] = 0;
	cells[n++] = 0x80000000;
	if (scells == 2)
		cells[n++] = 0;
	cells[n++] = 0x10000000;
	prop_cells("reg", cells, n);
	assert_int_equal(fdt_end_node(blob), 0);

	assert_int_equal(fdt_begin_node(blob, "uart@9000000"), 0);
	assert_int_equal(fdt_property_string(blob, "device_type", "serial"), 0);
	assert_int_equal(fdt_end_node(blob), 0);

	assert_int_equal(fdt_begin_node(blob, "reserved-memory"), 0);
	cells[0] = 1;
	prop_cells("#address-cells", cells, 1);
	prop_cells("#size-cells", cells, 1);
	assert_int_equal(fdt_begin_node(blob, "fw@80000000"), 0);
	cells[0] = 0x80000000;
	cells[1] = 0x40000;
	prop_cells("reg", cells, 2);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);

	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
}

static void check_map(const struct boot_info *bi)
{
	assert_int_equal(bi->nmem, 2);
	assert_int_equal(bi->mem[0].base.raw, 0x40000000);
	assert_int_equal(bi->mem[0].size, 0x20000000);
	assert_int_equal(bi->mem[1].base.raw, 0x80000000);
	assert_int_equal(bi->mem[1].size, 0x10000000);
	/* memreserve, the reserved-memory child, then the DTB itself */
	assert_int_equal(bi->nreserved, 3);
	assert_int_equal(bi->reserved[0].base.raw, 0x40000000);
	assert_int_equal(bi->reserved[0].size, 0x1000);
	assert_int_equal(bi->reserved[1].base.raw, 0x80000000);
	assert_int_equal(bi->reserved[1].size, 0x40000);
	assert_int_equal(bi->reserved[2].base.raw, (uintptr_t)blob);
	assert_int_equal(bi->reserved[2].size, fdt_totalsize(blob));
	assert_ptr_equal(bi->dtb, blob);
}

static void test_two_cell_tree(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	build_dtb(2, 2);
	assert_int_equal(boot_fdt_memory(blob, &bi), PV_OK);
	check_map(&bi);
}

static void test_one_cell_tree(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	build_dtb(1, 1);
	assert_int_equal(boot_fdt_memory(blob, &bi), PV_OK);
	check_map(&bi);
}

static void test_broken_tree(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	memset(blob, 0, sizeof(blob));
	assert_int_equal(boot_fdt_memory(blob, &bi), -PV_EINVAL);
	assert_int_equal(bi.nmem, 0);
}

static void test_table_full(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	for (unsigned i = 0; i < BOOT_MAX_RANGES; i++)
		assert_int_equal(boot_add_mem(&bi, hpa(i * 0x1000ULL), 0x1000), PV_OK);
	assert_int_equal(boot_add_mem(&bi, hpa(0x100000), 0x1000), -PV_ENOMEM);
	assert_int_equal(boot_add_mem(&bi, hpa(0x100000), 0), PV_OK); /* empty ranges are skipped */
	assert_int_equal(bi.nmem, BOOT_MAX_RANGES);
}

/* A blob whose structure block sits at an offset that is not 4-aligned passes fdt_check_header;
 * read, it would make misaligned loads (UBSan stops the suite). It is refused instead. */
static void test_misaligned_blocks_are_refused(void **state)
{
	(void)state;
	static _Alignas(8) char moved[sizeof(blob) + 8];
	struct boot_info bi = { 0 };
	struct fdt_header *h = (struct fdt_header *)(void *)moved;
	uint32_t off;

	build_dtb(2, 2);
	memcpy(moved, blob, fdt_header_size(blob));
	off = fdt_off_dt_struct(blob);
	/* Shift the structure and strings blocks up by 2 bytes and say so in the header. */
	memcpy(moved + off + 2, blob + off, fdt_totalsize(blob) - off);
	h->off_dt_struct = cpu_to_fdt32(off + 2);
	h->off_dt_strings = cpu_to_fdt32(fdt_off_dt_strings(blob) + 2);
	h->totalsize = cpu_to_fdt32(fdt_totalsize(blob) + 2);
	assert_int_equal(fdt_check_header(moved), 0);
	assert_int_equal(boot_fdt_memory(moved, &bi), -PV_EINVAL);
	assert_int_equal(bi.nmem, 0);
	/* A blob at an address that is not 8-aligned likewise. */
	memcpy(moved + 4, blob, fdt_totalsize(blob));
	assert_int_equal(boot_fdt_memory(moved + 4, &bi), -PV_EINVAL);
}

/* device_type is a string list: six bytes "memory" without their NUL are not a string, and reading
 * them as one runs past the property (found by fuzzing: that node counted as RAM); a list names
 * "memory" in any of its strings. */
static void test_device_type_must_be_a_string(void **state)
{
	(void)state;
	struct boot_info bi = { 0 };
	const uint32_t reg[] = { 0x40000000, 0x1000000 }, reg2[] = { 0x80000000, 0x2000000 };
	const uint32_t one = 1;

	memset(blob, 0,
	       sizeof(blob)); /* padding after the 6 bytes reads as NUL, as dtc writes it */
	assert_int_equal(fdt_create(blob, sizeof(blob)), 0);
	assert_int_equal(fdt_finish_reservemap(blob), 0);
	assert_int_equal(fdt_begin_node(blob, ""), 0);
	prop_cells("#address-cells", &one, 1);
	prop_cells("#size-cells", &one, 1);
	assert_int_equal(fdt_begin_node(blob, "memory@40000000"), 0);
	assert_int_equal(fdt_property(blob, "device_type", "memory", 6), 0);
	prop_cells("reg", reg, 2);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_begin_node(blob, "memory@80000000"), 0);
	assert_int_equal(fdt_property(blob, "device_type", "serial\0memory", 14), 0);
	prop_cells("reg", reg2, 2);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_end_node(blob), 0);
	assert_int_equal(fdt_finish(blob), 0);
	assert_int_equal(boot_fdt_memory(blob, &bi), PV_OK);
	/* The second node only: "memory" is one of the strings of its list. */
	assert_int_equal(bi.nmem, 1);
	assert_int_equal(bi.mem[0].base.raw, 0x80000000);
	assert_int_equal(bi.mem[0].size, 0x2000000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_cell_tree),
		cmocka_unit_test(test_one_cell_tree),
		cmocka_unit_test(test_broken_tree),
		cmocka_unit_test(test_table_full),
		cmocka_unit_test(test_misaligned_blocks_are_refused),
		cmocka_unit_test(test_device_type_must_be_a_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
