// SPDX-License-Identifier: MIT
/*
 * The loader's a0..a2 (la_bootinfo.c): nothing (QEMU 7.2), the EFI convention with a device tree
 * in the system table (laid out here as QEMU 9.0 does: command line at 0, system table at 0x200,
 * configuration tables at 0x10200, the device tree's pointing at 1 MiB), and shapes that are
 * refused instead of guessed at.
 */
#include <pv_test.h>
#include <string.h>

#include "la_bootinfo.h"

#define MEM_SIZE 0x20000

static uint8_t mem[MEM_SIZE];

static const void *map(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	return pa < MEM_SIZE && len <= MEM_SIZE - pa ? mem + pa : NULL;
}

static void put64(uint64_t pa, uint64_t v)
{
	memcpy(mem + pa, &v, sizeof(v));
}

/* DEVICE_TREE_GUID and the UEFI boot memory map's, as stored (independent of la_bootinfo.c). */
static const uint8_t dt_guid[16] = { 0xd5, 0x21, 0xb6, 0xb1, 0x9c, 0xf1, 0xa5, 0x41,
				     0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 };
static const uint8_t memmap_guid[16] = { 0x3f, 0x68, 0x0f, 0x80, 0x8b, 0xd0, 0x3a, 0x42,
					 0xa2, 0x93, 0x96, 0x5c, 0x3c, 0x6f, 0xe2, 0xb4 };

static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	strcpy((char *)mem, "console=ttyS0");
	put64(0x200, 0x5453595320494249ULL); /* "IBI SYST" */
	put64(0x200 + 104, 3);		     /* three configuration tables */
	put64(0x200 + 112, 0x10200);
	memcpy(mem + 0x10200, memmap_guid, 16);
	put64(0x10200 + 16, 0x20200);
	memset(mem + 0x10200 + 24, 0x77, 16); /* some other table */
	memcpy(mem + 0x10200 + 48, dt_guid, 16);
	put64(0x10200 + 48 + 16, 0x100000);
	return 0;
}

static void test_boot_none(void **state)
{
	struct la_bootinfo bi;

	(void)state;
	assert_int_equal(la_bootinfo_parse(0, 0, 0, map, NULL, &bi), LA_BOOT_REGS_NONE);
	assert_false(bi.has_dtb);
}

static void test_boot_efi(void **state)
{
	struct la_bootinfo bi;

	(void)state;
	assert_int_equal(la_bootinfo_parse(1, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_EFI);
	assert_true(bi.has_dtb);
	assert_int_equal(bi.dtb_pa, 0x100000);
	assert_int_equal(bi.cmdline_pa, 0);
	assert_int_equal(bi.systab_pa, 0x200);
	assert_int_equal(bi.ntables, 3);

	/* A valid table without a device tree: recognised, and says there is none. */
	memset(mem + 0x10200 + 48, 0, 16);
	assert_int_equal(la_bootinfo_parse(1, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_EFI);
	assert_false(bi.has_dtb);
}

static void test_boot_refused(void **state)
{
	struct la_bootinfo bi;

	(void)state;
	/* Not the EFI flag, a misaligned or unreadable table, no signature, absurd table count. */
	assert_int_equal(la_bootinfo_parse(2, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	assert_int_equal(la_bootinfo_parse(0, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	assert_int_equal(la_bootinfo_parse(1, 0, 0x204, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	assert_int_equal(la_bootinfo_parse(1, 0, MEM_SIZE, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	assert_int_equal(la_bootinfo_parse(1, 0, 0x400, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	put64(0x200 + 112, MEM_SIZE - 8); /* tables beyond readable memory */
	assert_int_equal(la_bootinfo_parse(1, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	put64(0x200 + 104, 1000);
	assert_int_equal(la_bootinfo_parse(1, 0, 0x200, map, NULL, &bi), LA_BOOT_REGS_UNKNOWN);
	assert_false(bi.has_dtb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_none, setup),
		cmocka_unit_test_setup(test_boot_efi, setup),
		cmocka_unit_test_setup(test_boot_refused, setup),
	};

	return cmocka_run_group_tests_name("la_bootinfo", tests, NULL, NULL);
}
