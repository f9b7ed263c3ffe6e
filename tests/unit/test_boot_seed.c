// SPDX-License-Identifier: MIT
/*
 * Guest random seeds (hal/boot_seed.h, vm_fdt_add_seed): the ChaCha20 block against RFC 8439's
 * test vector, nothing handed out without firmware randomness, and a fresh /chosen/rng-seed in
 * every generated tree once there is some.
 */
#include "pv_test.h"

#include <hal/boot_seed.h>
#include <libfdt.h>
#include <pv/chacha20.h>
#include <string.h>
#include <vm/vm_fdt.h>

/* RFC 8439, 2.3.2: key 00 01 .. 1f, block counter 1, nonce 00 00 00 09 00 00 00 4a 00 00 00 00. */
static void test_chacha20_rfc8439(void **state)
{
	static const uint8_t want[16] = { 0x10, 0xf1, 0xe7, 0xe4, 0xd1, 0x3b, 0x59, 0x15,
					  0x50, 0x0f, 0xdd, 0x1f, 0xa3, 0x20, 0x71, 0xc4 };
	uint32_t key[8], nonce[3] = { 0x09000000, 0x4a000000, 0 };
	uint8_t out[64];

	(void)state;
	for (unsigned i = 0; i < 8; i++)
		key[i] = (uint32_t)(4 * i) | (uint32_t)(4 * i + 1) << 8 |
			 (uint32_t)(4 * i + 2) << 16 | (uint32_t)(4 * i + 3) << 24;
	pv_chacha20_block(key, 1, nonce, out);
	assert_memory_equal(out, want, sizeof(want));
}

static int chosen_tree(char *buf, int size)
{
	int rc = fdt_create_empty_tree(buf, size);

	if (!rc)
		rc = fdt_add_subnode(buf, 0, "chosen");
	if (rc >= 0)
		rc = fdt_pack(buf);
	return rc;
}

static const void *seed_of(const char *buf, int *len)
{
	return fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "rng-seed", len);
}

/* Runs first: the firmware gave nothing (or too little) yet. */
static void test_no_seed_without_firmware_randomness(void **state)
{
	static const uint8_t few[16] = { 1 };
	uint8_t out[BOOT_SEED_LEN];
	char buf[1024];
	int len;

	(void)state;
	boot_seed_add(few, sizeof(few));
	assert_false(boot_seed_take(out));
	assert_int_equal(chosen_tree(buf, sizeof(buf)), 0);
	assert_int_equal(vm_fdt_add_seed(buf, sizeof(buf)), PV_OK);
	assert_null(seed_of(buf, &len));
}

static void test_every_tree_gets_its_own_seed(void **state)
{
	char fw[512], a[1024], b[1024];
	const uint8_t *sa, *sb;
	uint8_t fwseed[32];
	int node, la, lb;

	(void)state;
	for (unsigned i = 0; i < sizeof(fwseed); i++)
		fwseed[i] = (uint8_t)(0x5a ^ i);
	assert_int_equal(chosen_tree(fw, sizeof(fw)), 0);
	assert_int_equal(fdt_open_into(fw, fw, sizeof(fw)), 0);
	node = fdt_path_offset(fw, "/chosen");
	assert_int_equal(fdt_setprop(fw, node, "rng-seed", fwseed, sizeof(fwseed)), 0);
	boot_seed_from_fdt(fw);

	assert_int_equal(chosen_tree(a, sizeof(a)), 0);
	assert_int_equal(chosen_tree(b, sizeof(b)), 0);
	assert_int_equal(vm_fdt_add_seed(a, sizeof(a)), PV_OK);
	assert_int_equal(vm_fdt_add_seed(b, sizeof(b)), PV_OK);
	sa = seed_of(a, &la);
	sb = seed_of(b, &lb);
	assert_non_null(sa);
	assert_non_null(sb);
	assert_int_equal(la, BOOT_SEED_LEN);
	assert_int_equal(lb, BOOT_SEED_LEN);
	assert_memory_not_equal(sa, sb, BOOT_SEED_LEN);
	/* Neither is the firmware's key itself. */
	assert_memory_not_equal(sa, fwseed, BOOT_SEED_LEN);
	assert_int_equal(fdt_check_header(a), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chacha20_rfc8439),
		cmocka_unit_test(test_no_seed_without_firmware_randomness),
		cmocka_unit_test(test_every_tree_gets_its_own_seed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
