// SPDX-License-Identifier: MIT
/*
 * Device nodes of VM descriptions that carry more than registers (vm/vm_desc_dev.c): disks with
 * their images, network devices with their switch and address, and the checks across VMs.
 */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <devices/virtio_blk.h>
#include <devices/virtio_net.h>
#include <irq/vdev_model.h>
#include <string.h>
#include <vm/vm_config.h>

#define DISK "/vm0/disk@a000000"
#define NET  "/vm0/net@a000200"

static uint8_t disk_img[4096];
static uint8_t odd_img[1000];

static int setup(void **state)
{
	(void)state;
	fake_reset();
	df_base();
	df_add_file("disk.img", disk_img, sizeof(disk_img));
	df_add_file("odd.img", odd_img, sizeof(odd_img));
	df_set_str(DISK, "compatible", "polyvisor,virtio-blk");
	df_set_u64s(DISK, "reg", (const uint64_t[]){ 0x0a000000, 0x200 }, 2);
	df_set_u32s(DISK, "interrupts", (const uint32_t[]){ 16 }, 1);
	df_set_str(DISK, "file", "disk.img");
	df_set_str(NET, "compatible", "polyvisor,virtio-net");
	df_set_u64s(NET, "reg", (const uint64_t[]){ 0x0a000200, 0x200 }, 2);
	df_set_u32s(NET, "interrupts", (const uint32_t[]){ 17 }, 1);
	df_set_str(NET, "switch", "lan");
	return 0;
}

static const struct vm_dev_config *dev(const char *node)
{
	for (unsigned i = 0; i < df_cfg.ndevs; i++)
		if (strcmp(df_cfg.devs[i].node, node) == 0)
			return &df_cfg.devs[i];
	fail_msg("no device %s", node);
	return NULL;
}

static void test_disk_and_network_devices(void **state)
{
	(void)state;
	const struct vm_dev_config *d, *n;
	uint8_t mac[6];

	assert_int_equal(df_parse("/vm0"), PV_OK);
	d = dev("disk@a000000");
	assert_ptr_equal(d->model, &virtio_blk_model);
	assert_true(d->has_image);
	assert_false(d->read_only);
	assert_ptr_equal(d->image.data, disk_img);
	assert_int_equal(d->image.size, sizeof(disk_img));
	n = dev("net@a000200");
	assert_ptr_equal(n->model, &virtio_net_model);
	assert_string_equal(n->link, "lan");
	/* No address given: one made from the names, locally administered and unicast. */
	vm_dev_default_mac("vm0", "net@a000200", mac);
	assert_memory_equal(n->mac, mac, 6);
	assert_int_equal(mac[0], 0x02);
	vm_dev_default_mac("vm1", "net@a000200", mac);
	assert_memory_not_equal(n->mac, mac, 6);
	df_set_raw(NET, "local-mac-address", (const uint8_t[]){ 2, 0, 0, 0, 0, 9 }, 6);
	df_set_raw(DISK, "read-only", NULL, 0);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_memory_equal(dev("net@a000200")->mac, ((const uint8_t[]){ 2, 0, 0, 0, 0, 9 }), 6);
	assert_true(dev("disk@a000000")->read_only);
}

static void test_device_property_errors(void **state)
{
	(void)state;
	df_del(DISK, "file");
	df_expect_error("/vm0", "disk@a000000", "give the image's 'file' or its 'host-address'");
	setup(state);
	df_set_str(DISK, "file", "odd.img");
	df_expect_error("/vm0", "vm0",
			"device disk@a000000: image of 1000 bytes, not a multiple of 512");
	setup(state);
	df_set_str(DISK, "file", "empty.bin");
	df_expect_error("/vm0", "disk@a000000", "is empty");
	setup(state);
	df_set_str(DISK, "switch", "lan");
	df_expect_error("/vm0", "disk@a000000", "unknown property 'switch'");
	setup(state);
	df_set_str("/vm0/uart@9000000", "file", "disk.img");
	df_expect_error("/vm0", "uart@9000000", "unknown property 'file'");
	setup(state);
	df_del(NET, "switch");
	df_expect_error("/vm0", "net@a000200", "no 'switch'");
	setup(state);
	df_set_raw(NET, "local-mac-address", (const uint8_t[]){ 2, 0, 0, 0, 0 }, 5);
	df_expect_error("/vm0", "net@a000200", "'local-mac-address' is 6 bytes");
	setup(state);
	df_set_raw(NET, "local-mac-address", (const uint8_t[]){ 3, 0, 0, 0, 0, 1 }, 6);
	df_expect_error("/vm0", "vm0", "MAC address is not a unicast address");
	setup(state);
	df_set_str(NET, "switch", "a-very-long-switch-name");
	df_expect_error("/vm0", "vm0", "switch name of 1 to 15 characters");
	setup(state);
	df_set_u32s(NET, "interrupts", (const uint32_t[]){ 16 }, 1);
	df_expect_error("/vm0", "vm0", "share interrupt line 16");
	setup(state);
	df_set_u64s(NET, "reg", (const uint64_t[]){ 0x0a000100, 0x200 }, 2);
	df_expect_error("/vm0", "vm0", "devices net@a000200 and disk@a000000 overlap");
}

/* A second VM "vm1" on other CPUs with a disk and a network device of its own. */
static void add_vm1(void)
{
	df_set_str("/vm1", "compatible", VM_DESC_VM_COMPATIBLE);
	df_set_u32s("/vm1", "cpus", (const uint32_t[]){ 2 }, 1);
	df_set_u64s("/vm1", "memory", (const uint64_t[]){ DF_RAM, DF_RAM_SIZE }, 2);
	df_set_str("/vm1/kernel", "format", "raw");
	df_set_str("/vm1/kernel", "file", "k.bin");
	df_set_u64s("/vm1/kernel", "load-address", (const uint64_t[]){ DF_RAM }, 1);
	df_set_str("/vm1/disk@a000000", "compatible", "polyvisor,virtio-blk");
	df_set_u64s("/vm1/disk@a000000", "reg", (const uint64_t[]){ 0x0a000000, 0x200 }, 2);
	df_set_str("/vm1/disk@a000000", "file", "disk.img");
	df_set_str("/vm1/net@a000200", "compatible", "polyvisor,virtio-net");
	df_set_u64s("/vm1/net@a000200", "reg", (const uint64_t[]){ 0x0a000200, 0x200 }, 2);
	df_set_str("/vm1/net@a000200", "switch", "lan");
}

static int check_both(void)
{
	return df_check_two("/vm0", "/vm1");
}

static void test_checks_across_vms(void **state)
{
	(void)state;
	add_vm1();
	/* The resolver here hands out one copy per file, as a careless packer would: two VMs
	 * writing one disk's bytes are refused. */
	assert_int_equal(check_both(), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "the writable disk 'disk@a000000' shares its bytes"));
	/* Read-only, both may read the same bytes. */
	df_set_raw(DISK, "read-only", NULL, 0);
	df_set_raw("/vm1/disk@a000000", "read-only", NULL, 0);
	assert_int_equal(check_both(), PV_OK);
	/* A writable disk may not share its bytes with a kernel either. */
	df_set_str("/vm1/disk@a000000", "file", "k.bin");
	df_del("/vm1/disk@a000000", "read-only");
	df_set_raw("/vm1/disk@a000000", "file", "disk.img", 9);
	df_set_str("/vm1/kernel", "file", "disk.img");
	df_set_str("/vm1/kernel", "format", "raw");
	assert_int_equal(check_both(), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "shares its bytes"));
	/* Two devices with one address on a switch. */
	setup(state);
	add_vm1();
	df_set_raw(DISK, "read-only", NULL, 0);
	df_set_raw("/vm1/disk@a000000", "read-only", NULL, 0);
	df_set_raw(NET, "local-mac-address", (const uint8_t[]){ 2, 0, 0, 0, 0, 9 }, 6);
	df_set_raw("/vm1/net@a000200", "local-mac-address", (const uint8_t[]){ 2, 0, 0, 0, 0, 9 },
		   6);
	assert_int_equal(check_both(), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "has the MAC address of VM vm0's net@a000200 on switch "
					   "'lan'"));
	/* On different switches the same address is fine. */
	df_set_str("/vm1/net@a000200", "switch", "other");
	assert_int_equal(check_both(), PV_OK);
}

static void test_firmware_placed_disk(void **state)
{
	(void)state;
	df_del(DISK, "file");
	df_set_u64s(DISK, "host-address", (const uint64_t[]){ 0x48000000 }, 1);
	df_set_u64s(DISK, "size", (const uint64_t[]){ 0x100000 }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_true(dev("disk@a000000")->image.firmware);
	assert_int_equal(dev("disk@a000000")->image.host_addr.raw, 0x48000000);
	/* Overlapping another firmware-placed image of the VM in host memory. */
	df_del("/vm0/kernel", "file");
	df_set_u64s("/vm0/kernel", "host-address", (const uint64_t[]){ 0x480ff000 }, 1);
	df_set_u64s("/vm0/kernel", "size", (const uint64_t[]){ 0x1000 }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	const struct vm_config *one[] = { &df_cfg };
	assert_int_equal(vm_desc_check_all(one, 1, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "overlaps VM vm0's image"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_disk_and_network_devices, setup),
		cmocka_unit_test_setup(test_device_property_errors, setup),
		cmocka_unit_test_setup(test_checks_across_vms, setup),
		cmocka_unit_test_setup(test_firmware_placed_disk, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
