// SPDX-License-Identifier: MIT
/*
 * Passed-through devices and identity RAM in VM descriptions (vm/vm_desc_pt.c, vm/vm_config_pt.c):
 * what a passthrough@ node says, every way it can be wrong, and the checks across VMs (a host range
 * or a physical line given to two VMs, identity RAM meeting another VM's memory or devices).
 */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <libfdt.h>
#include <stdio.h>
#include <string.h>
#include <vm/vm_config.h>

#define PT    "/vm0/passthrough@a003000"
#define PT2   "/vm0/passthrough@a004000"
#define HOSTW 0x0a003000ULL

static int setup(void **state)
{
	(void)state;
	fake_reset();
	df_base();
	df_set_u64s(PT, "reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 16 }, 1);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ 47 }, 1);
	df_set_str(PT, "host-node", "/virtio_mmio@a003e00");
	return 0;
}

static void test_passthrough_node(void **state)
{
	const struct vm_pt_config *pt;

	(void)state;
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_int_equal(df_cfg.npt, 1);
	assert_false(df_cfg.identity_ram);
	pt = &df_cfg.pt[0];
	assert_string_equal(pt->node, "passthrough@a003000");
	assert_int_equal(pt->nregs, 1);
	/* Without host-reg, the host window is the guest's. */
	assert_int_equal(pt->regs[0].gpa.raw, HOSTW);
	assert_int_equal(pt->regs[0].hpa.raw, HOSTW);
	assert_int_equal(pt->regs[0].size, 0x1000);
	assert_int_equal(pt->nirqs, 1);
	assert_int_equal(pt->irqs[0].guest, 16);
	assert_int_equal(pt->irqs[0].host, 47);
	assert_string_equal(pt->host_node, "/virtio_mmio@a003e00");
	assert_true(pt->given < 0);

	/* Elsewhere in the guest, two windows, identity RAM, and a node given for the guest. */
	df_set_u64s(PT, "reg", (const uint64_t[]){ 0x20000000, 0x1000, 0x20010000, 0x2000 }, 4);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW, 0x1000, 0x0c000000, 0x2000 }, 4);
	df_del(PT, "host-node");
	df_set_str(PT "/virtio_mmio@20000e00", "compatible", "virtio,mmio");
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	pt = &df_cfg.pt[0];
	assert_true(df_cfg.identity_ram);
	assert_int_equal(pt->nregs, 2);
	assert_int_equal(pt->regs[1].gpa.raw, 0x20010000);
	assert_int_equal(pt->regs[1].hpa.raw, 0x0c000000);
	assert_int_equal(pt->given, fdt_path_offset(df_tree, PT "/virtio_mmio@20000e00"));
	assert_ptr_equal(pt->desc, df_tree);

	/* A device with no interrupt, and a second one. */
	df_del(PT, "interrupts");
	df_del(PT, "host-interrupts");
	df_set_u64s(PT2, "reg", (const uint64_t[]){ 0x0a004000, 0x1000 }, 2);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_int_equal(df_cfg.npt, 2);
	assert_int_equal(df_cfg.pt[0].nirqs, 0);
}

static void test_node_errors(void **state)
{
	(void)state;
	df_set_str(PT, "compatible-ish", "x");
	df_expect_error("/vm0", PT, "unknown property 'compatible-ish'");
	setup(state);
	df_del(PT, "reg");
	df_expect_error("/vm0", PT, "no 'reg'");
	setup(state);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW, 0x1000, HOSTW + 0x1000, 0x1000 }, 4);
	df_expect_error("/vm0", PT, "'host-reg' needs one range per range of 'reg'");
	setup(state);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW, 0x2000 }, 2);
	df_expect_error("/vm0", PT, "'host-reg' size 0x2000, 'reg' size 0x1000");
	setup(state);
	df_del(PT, "host-interrupts");
	df_expect_error("/vm0", PT, "'host-interrupts' names the physical line of each entry");
	setup(state);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 16, 17, 18, 19, 20 }, 5);
	df_expect_error("/vm0", PT, "'interrupts' has 5 lines, at most 4 allowed");
	setup(state);
	df_set_raw(PT, "interrupts", "ab", 2);
	df_expect_error("/vm0", PT, "'interrupts' must be a list of 32-bit cells");
	setup(state);
	df_set_str(PT, "host-node", "virtio_mmio@a003e00");
	df_expect_error("/vm0", PT, "'host-node' is a path in the host's device tree");
	setup(state);
	df_set_str(PT "/dev", "compatible", "virtio,mmio");
	df_expect_error("/vm0", PT, "give the guest's node or 'host-node', not both");
	setup(state);
	df_del(PT, "host-node");
	df_set_str(PT "/dev", "compatible", "virtio,mmio");
	df_set_str(PT "/dev2", "compatible", "virtio,mmio");
	df_expect_error("/vm0", PT, "one child node at most");
	setup(state);
	df_del(PT, "host-node");
	df_set_str(PT "/dev", "compatible", "virtio,mmio");
	df_set_str(PT "/dev/sub", "compatible", "x");
	df_expect_error("/vm0", PT, "has no child nodes");
	setup(state);
	for (unsigned i = 0; i < VM_MAX_PT; i++) {
		char path[48];

		snprintf(path, sizeof(path), "/vm0/passthrough@%x", 0x0c000000 + 0x1000 * i);
		df_set_u64s(path, "reg", (const uint64_t[]){ 0x0c000000 + 0x1000 * i, 0x1000 }, 2);
	}
	df_expect_error("/vm0", "passthrough@", "at most 4 passed-through devices per VM");
}

static void test_check_errors(void **state)
{
	(void)state;
	/* Windows are whole pages on both sides. */
	df_set_u64s(PT, "reg", (const uint64_t[]){ HOSTW + 0xe00, 0x200 }, 2);
	df_expect_error("/vm0", "/vm0", "window 0 (guest 0xa003e00, host 0xa003e00, 0x200 bytes)");
	setup(state);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW + 0x800, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0", "is empty, wraps or is not whole pages of 0x1000");
	setup(state);
	df_set_u64s(PT, "reg", (const uint64_t[]){ 0xfffffffffffff000ULL, 0x2000 }, 2);
	df_expect_error("/vm0", "/vm0", "wraps");
	/* The guest window against RAM, devices, the backend's own ranges, another window. */
	setup(state);
	df_set_u64s(PT, "reg", (const uint64_t[]){ DF_RAM + 0x10000, 0x1000 }, 2);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0", "passthrough@a003000 overlaps RAM region 0");
	setup(state);
	df_set_u64s(PT, "reg", (const uint64_t[]){ DF_TESTDEV, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0", "passthrough@a003000 overlaps device testdev@b000000");
	setup(state);
	df_set_u64s(PT, "reg", (const uint64_t[]){ FAKE_INTC_BASE, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0", "overlaps the fake interrupt controller at 0x7f000000");
	setup(state);
	df_set_u64s(PT2, "reg", (const uint64_t[]){ 0x0a004000, 0x1000 }, 2);
	df_set_u64s(PT2, "host-reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	/* (libfdt lists a node added later first) */
	df_expect_error("/vm0", "/vm0", "passthrough@a004000 and passthrough@a003000 overlap");
	/* The host window against what the hypervisor drives itself. */
	setup(state);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ FAKE_HV_UART, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0",
			"passthrough@a003000 overlaps the hypervisor's own console UART at host "
			"0x9000000");
	/* Lines: within both numberings, given once, not shared with a device. */
	setup(state);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 32 }, 1);
	df_expect_error("/vm0", "/vm0", "interrupt line 32 (0 to 31 allowed)");
	setup(state);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ FAKE_MAX_HOST_LINE + 1 }, 1);
	df_expect_error("/vm0", "/vm0", "physical interrupt line 201 (0 to 200 may be given");
	setup(state);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 1 }, 1);
	df_expect_error("/vm0", "/vm0",
			"passthrough@a003000 and device uart@9000000 share "
			"interrupt line 1");
	setup(state);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 16, 17 }, 2);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ 47, 47 }, 2);
	df_expect_error("/vm0", "/vm0", "both name physical line 47");
	setup(state);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ 16, 16 }, 2);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ 47, 48 }, 2);
	df_expect_error("/vm0", "/vm0", "share interrupt line 16");
	/* Identity RAM is host memory: not the hypervisor's device, not the device's window. */
	setup(state);
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	df_set_u64s("/vm0", "memory", (const uint64_t[]){ FAKE_HV_UART, DF_RAM_SIZE }, 2);
	df_set_u64s("/vm0/kernel", "load-address", (const uint64_t[]){ FAKE_HV_UART }, 1);
	df_set_u64s("/vm0/uart@9000000", "reg", (const uint64_t[]){ 0x1c000000, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0",
			"identity RAM region 0 overlaps the hypervisor's own console UART");
	setup(state);
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	df_set_u64s(PT, "reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ DF_RAM, 0x1000 }, 2);
	df_expect_error("/vm0", "/vm0", "identity RAM region 0 is the host memory of passthrough");
}

/* vm1 (CPU 2) with a device of its own at host @host, SPI @line. */
static void add_vm1(uint64_t host, uint32_t line)
{
	df_set_str("/vm1", "compatible", VM_DESC_VM_COMPATIBLE);
	df_set_u32s("/vm1", "cpus", (const uint32_t[]){ 2 }, 1);
	df_set_u64s("/vm1", "memory", (const uint64_t[]){ 0x50000000, DF_RAM_SIZE }, 2);
	df_set_str("/vm1/kernel", "format", "raw");
	df_set_str("/vm1/kernel", "file", "k.bin");
	df_set_u64s("/vm1/kernel", "load-address", (const uint64_t[]){ 0x50000000 }, 1);
	df_set_u64s("/vm1/passthrough@0", "reg", (const uint64_t[]){ 0x20000000, 0x1000 }, 2);
	df_set_u64s("/vm1/passthrough@0", "host-reg", (const uint64_t[]){ host, 0x1000 }, 2);
	df_set_u32s("/vm1/passthrough@0", "interrupts", (const uint32_t[]){ 3 }, 1);
	df_set_u32s("/vm1/passthrough@0", "host-interrupts", (const uint32_t[]){ line }, 1);
}

static int check_both(void)
{
	return df_check_two("/vm0", "/vm1");
}

static void expect_both(const char *msg)
{
	int rc = check_both();

	if (rc != -PV_EINVAL || !strstr(df_err.msg, msg))
		fail_msg("expected \"%s\", got %d \"%s: %s\"", msg, rc, df_err.where, df_err.msg);
}

static void test_across_vms(void **state)
{
	(void)state;
	add_vm1(0x0c000000, 48);
	assert_int_equal(check_both(), PV_OK);
	/* One device, two owners: its range, or only its interrupt line. */
	setup(state);
	add_vm1(HOSTW, 48);
	expect_both("host range 0xa003000 of passthrough@0 is also given to VM vm0 "
		    "(passthrough@a003000)");
	assert_string_equal(df_err.where, "vm1");
	setup(state);
	add_vm1(0x0c000000, 47);
	expect_both("physical interrupt line 47 of passthrough@0 is also given to VM vm0");
	/* Identity RAM meeting the other VM's identity RAM, its device, its firmware images. */
	setup(state);
	add_vm1(0x0c000000, 48);
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	df_set_raw("/vm1", "identity-ram", NULL, 0);
	assert_int_equal(check_both(), PV_OK);
	df_set_u64s("/vm1", "memory", (const uint64_t[]){ DF_RAM + 0x80000, DF_RAM_SIZE }, 2);
	df_set_u64s("/vm1/kernel", "load-address", (const uint64_t[]){ DF_RAM + 0x80000 }, 1);
	expect_both("VM vm1's identity RAM region 0 is also VM vm0's RAM region 0");
	assert_string_equal(df_err.where, "vm1");
	setup(state);
	add_vm1(DF_RAM + 0x3000, 48);
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	expect_both(
		"VM vm0's identity RAM region 0 overlaps VM vm1's passed-through passthrough@0");
	assert_string_equal(df_err.where, "vm1");
	setup(state);
	add_vm1(0x0c000000, 48);
	df_set_raw("/vm1", "identity-ram", NULL, 0);
	df_del("/vm0/kernel", "file");
	df_set_u64s("/vm0/kernel", "host-address", (const uint64_t[]){ 0x50001000 }, 1);
	df_set_u64s("/vm0/kernel", "size", (const uint64_t[]){ 0x1000 }, 1);
	expect_both("VM vm1's identity RAM region 0 overlaps VM vm0's image 'kernel' placed by the "
		    "firmware");
	/* And within one VM: its own firmware-placed image in its identity RAM. */
	setup(state);
	df_set_raw("/vm0", "identity-ram", NULL, 0);
	df_del("/vm0/kernel", "file");
	df_set_u64s("/vm0/kernel", "host-address", (const uint64_t[]){ DF_RAM + 0x8000 }, 1);
	df_set_u64s("/vm0/kernel", "size", (const uint64_t[]){ 0x1000 }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	const struct vm_config *one[] = { &df_cfg };
	assert_int_equal(vm_desc_check_all(one, 1, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "VM vm0's identity RAM region 0 overlaps VM vm0's "
					   "image 'kernel'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_passthrough_node, setup),
		cmocka_unit_test_setup(test_node_errors, setup),
		cmocka_unit_test_setup(test_check_errors, setup),
		cmocka_unit_test_setup(test_across_vms, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
