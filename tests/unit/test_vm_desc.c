// SPDX-License-Identifier: MIT
/* VM descriptions (vm/vm_desc.c): what a good one yields, and every way a bad one is refused. */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <irq/vdev_model.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

static int setup(void **state)
{
	(void)state;
	fake_reset();
	df_base();
	return 0;
}

static void test_good_description(void **state)
{
	(void)state;
	const uint64_t initrd_load[] = { DF_RAM + 0x80000 };

	df_set_str("/vm0/kernel", "bootargs", "console=ttyS0");
	df_set_str("/vm0/initrd", "file", "k.bin");
	df_set_u64s("/vm0/initrd", "load-address", initrd_load, 1);
	assert_int_equal(vm_desc_check_header(df_tree, sizeof(df_tree), &df_err), PV_OK);
	assert_int_equal(vm_desc_next_vm(df_tree, -1), df_node("/vm0", false));
	assert_true(vm_desc_next_vm(df_tree, df_node("/vm0", false)) < 0);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_string_equal(df_cfg.name, "vm0");
	assert_int_equal(df_cfg.nvcpus, 2);
	assert_int_equal(df_cfg.pcpu[1], 1);
	assert_int_equal(df_cfg.guest_cpu_id[1], 1);
	assert_int_equal(df_cfg.nmem, 1);
	assert_int_equal(df_cfg.mem[0].gpa.raw, DF_RAM);
	assert_int_equal(df_cfg.mem[0].size, DF_RAM_SIZE);
	assert_int_equal(df_cfg.format, VM_BOOT_RAW);
	assert_string_equal(df_cfg.bootargs, "console=ttyS0");
	assert_false(df_cfg.stop_on_bad_access);
	assert_false(df_cfg.stop_on_reset); /* a guest's reset restarts its VM by default */
	assert_false(df_cfg.shared_cpus);
	assert_int_equal(df_cfg.nimages, 2);
	assert_non_null(vm_config_image(&df_cfg, VM_IMAGE_INITRD));
	assert_int_equal(vm_config_image(&df_cfg, VM_IMAGE_KERNEL)->size, 64);
	assert_int_equal(vm_config_image(&df_cfg, VM_IMAGE_KERNEL)->load.raw, DF_RAM + 0x1000);
	assert_int_equal(df_cfg.ndevs, 2);
	for (unsigned i = 0; i < 2; i++) {
		const struct vm_dev_config *d = &df_cfg.devs[i];
		if (strcmp(d->node, "uart@9000000") == 0) {
			assert_ptr_equal(d->model, vdev_model_find("arm,pl011"));
			assert_int_equal(d->base, DF_UART);
			assert_int_equal(d->size, 0x1000);
			assert_true(d->has_irq);
			assert_int_equal(d->irq, 1);
		} else {
			assert_string_equal(d->node, "testdev@b000000");
			assert_false(d->has_irq);
		}
	}
}

static void test_one_cell_addresses_and_options(void **state)
{
	(void)state;
	const uint32_t cells1[] = { 1 };
	const uint32_t mem[] = { (uint32_t)DF_RAM, (uint32_t)DF_RAM_SIZE };
	const uint32_t uart[] = { (uint32_t)DF_UART, 0x1000 };
	const uint32_t td[] = { (uint32_t)DF_TESTDEV, 0x100 };
	const uint32_t ids[] = { 0x100, 0x200 };
	const uint32_t load32[] = { (uint32_t)DF_RAM + 0x2000 };

	df_set_u32s("/", "#address-cells", cells1, 1);
	df_set_u32s("/", "#size-cells", cells1, 1);
	df_set_u32s("/vm0", "memory", mem, 2);
	df_set_u32s("/vm0/uart@9000000", "reg", uart, 2);
	df_set_u32s("/vm0/testdev@b000000", "reg", td, 2);
	df_set_u32s("/vm0", "guest-cpu-ids", ids, 2);
	df_set_u32s("/vm0/kernel", "load-address", load32, 1); /* a 4-byte value is fine */
	df_set_str("/vm0", "fault-policy", "stop");
	df_set_raw("/vm0", "shared-cpus", NULL, 0);
	df_set_str("/vm0", "unclaimed-ports", "float");
	df_set_str("/vm0", "on-reset", "stop");
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_true(df_cfg.float_ports);
	assert_true(df_cfg.stop_on_reset);
	assert_int_equal(df_cfg.mem[0].gpa.raw, DF_RAM);
	assert_int_equal(df_cfg.guest_cpu_id[1], 0x200);
	assert_int_equal(df_cfg.images[0].load.raw, DF_RAM + 0x2000);
	assert_true(df_cfg.stop_on_bad_access);
	assert_true(df_cfg.shared_cpus);
}

static void test_header_errors(void **state)
{
	(void)state;
	uint8_t junk[64] = { 1, 2, 3 };

	assert_int_equal(vm_desc_check_header(junk, sizeof(junk), &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "not a compiled device tree"));
	assert_int_equal(vm_desc_check_header(df_tree, 40, &df_err), -PV_EINVAL);
	assert_int_equal(vm_desc_check_header(df_tree, fdt_totalsize(df_tree) - 1, &df_err),
			 -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "truncated"));
	df_set_str("/", "compatible", "something-else");
	assert_int_equal(vm_desc_check_header(df_tree, sizeof(df_tree), &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, VM_DESC_COMPATIBLE));
}

/* Compatible strings are NUL-terminated: the same bytes without their NUL (followed here by the
 * next tag's zero byte, as in any blob whose value length is a multiple of 4) name nothing. */
static void test_unterminated_compatible(void **state)
{
	(void)state;
	const char root[] = VM_DESC_COMPATIBLE, vm[] = VM_DESC_VM_COMPATIBLE;

	_Static_assert(sizeof(root) % 4 == 1 && sizeof(vm) % 4 == 1, "lengths without NUL % 4");
	df_set_raw("/vm0", "compatible", vm, (int)sizeof(vm) - 1);
	assert_true(vm_desc_next_vm(df_tree, -1) < 0);
	df_set_raw("/", "compatible", root, (int)sizeof(root) - 1);
	assert_int_equal(vm_desc_check_header(df_tree, sizeof(df_tree), &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "the root needs compatible"));
}

static void test_vm_node_errors(void **state)
{
	(void)state;
	const uint32_t three[] = { 3 }, nine_cpus[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8 };
	const uint32_t one[] = { 0 }, ids[] = { 1 };
	const uint64_t mem5[10] = { 0 };
	struct vm_config saved;

	df_set_u32s("/", "#address-cells", three, 1);
	df_expect_error("/vm0", "/", "#address-cells");
	df_base();
	df_set_str("/vm0", "colour", "red");
	df_expect_error("/vm0", "/vm0", "unknown property 'colour'");
	df_base();
	df_del("/vm0", "cpus");
	df_expect_error("/vm0", "/vm0", "no 'cpus'");
	df_set_raw("/vm0", "cpus", "abc", 3);
	df_expect_error("/vm0", "/vm0", "'cpus' must list 1 to 8");
	df_set_u32s("/vm0", "cpus", nine_cpus, 9);
	df_expect_error("/vm0", "/vm0", "'cpus' must list 1 to 8");
	df_set_u32s("/vm0", "cpus", one, 1);
	df_set_u32s("/vm0", "guest-cpu-ids", ids, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	df_set_u32s("/vm0", "guest-cpu-ids", nine_cpus, 2);
	df_expect_error("/vm0", "/vm0", "'guest-cpu-ids' must have one");
	df_base();
	df_del("/vm0", "memory");
	df_expect_error("/vm0", "/vm0", "no 'memory'");
	df_set_raw("/vm0", "memory", "0123456789", 10);
	df_expect_error("/vm0", "/vm0", "(address, size) pairs");
	df_set_u64s("/vm0", "memory", mem5, 10);
	df_expect_error("/vm0", "/vm0", "5 ranges, at most 4");
	df_base();
	df_set_str("/vm0", "fault-policy", "ignore");
	df_expect_error("/vm0", "/vm0", "\"inject\" or \"stop\"");
	df_set_raw("/vm0", "fault-policy", "ab", 2); /* no NUL */
	df_expect_error("/vm0", "/vm0", "must be one string");
	df_base();
	df_set_str("/vm0", "unclaimed-ports", "ones");
	df_expect_error("/vm0", "/vm0", "\"fault\" or \"float\", not \"ones\"");
	df_base();
	df_set_str("/vm0", "on-reset", "restart");
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_false(df_cfg.stop_on_reset);
	df_set_str("/vm0", "on-reset", "reboot");
	df_expect_error("/vm0", "/vm0", "'on-reset' is \"restart\" or \"stop\", not \"reboot\"");
	df_set_raw("/vm0", "on-reset", "stop!", 5); /* no NUL */
	df_expect_error("/vm0", "/vm0", "must be one string");
	df_set_raw("/vm0", "on-reset", NULL, 0);
	df_expect_error("/vm0", "/vm0", "must be one string");
	df_base();
	df_set_str("/vm0/kernel/deeper", "file", "k.bin");
	df_expect_error("/vm0", "/vm0/kernel", "child nodes");
	df_base();
	df_set_str("/vm0/firmware", "file", "k.bin");
	df_expect_error("/vm0", "/vm0/firmware", "unknown node");
	df_base();
	df_set_str("/a-name-that-is-far-too-long", "compatible", VM_DESC_VM_COMPATIBLE);
	df_expect_error("/a-name-that-is-far-too-long", "", "1 to 15 characters");
	df_set_str("/vm@1", "compatible", VM_DESC_VM_COMPATIBLE);
	df_expect_error("/vm@1", "/vm@1", "use letters, digits");
	/* A failed parse leaves no half-read configuration behind for the next one. */
	assert_int_equal(df_parse("/vm0"), PV_OK);
	saved = df_cfg;
	assert_int_equal(df_parse("/vm@1"), -PV_EINVAL);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_memory_equal(&saved, &df_cfg, sizeof(saved));
}

static void test_image_errors(void **state)
{
	(void)state;
	const uint64_t host[] = { 0x48000000 }, size[] = { 0x1000 }, zero[] = { 0 };
	const uint64_t wrap[] = { ~0ULL - 0x10 }, pair[] = { 0, 0 };
	uint8_t bad_data[8] = { 0 };

	df_set_str("/vm0/kernel", "color", "x");
	df_expect_error("/vm0", "/vm0/kernel", "unknown property 'color'");
	df_base();
	df_set_str("/vm0/initrd", "bootargs", "x"); /* only the kernel has a command line */
	df_expect_error("/vm0", "/vm0/initrd", "unknown property 'bootargs'");
	df_base();
	df_set_u64s("/vm0/kernel", "host-address", host, 1);
	df_expect_error("/vm0", "/vm0/kernel", "not both");
	df_del("/vm0/kernel", "file");
	df_del("/vm0/kernel", "host-address");
	df_expect_error("/vm0", "/vm0/kernel", "not neither");
	df_set_u64s("/vm0/kernel", "host-address", host, 1);
	df_expect_error("/vm0", "/vm0/kernel", "needs its 'size'");
	df_set_u64s("/vm0/kernel", "size", zero, 1);
	df_expect_error("/vm0", "/vm0/kernel", "needs its 'size'");
	df_set_u64s("/vm0/kernel", "host-address", wrap, 1);
	df_set_u64s("/vm0/kernel", "size", size, 1);
	df_expect_error("/vm0", "/vm0/kernel", "wraps around");
	df_base();
	df_set_u64s("/vm0/kernel", "size", size, 1);
	df_expect_error("/vm0", "/vm0/kernel", "'size' belongs to");
	df_base();
	df_set_str("/vm0/kernel", "file", "nowhere.bin");
	df_expect_error("/vm0", "/vm0/kernel", "file \"nowhere.bin\": not found");
	df_set_str("/vm0/kernel", "file", "empty.bin");
	df_expect_error("/vm0", "/vm0/kernel", "is empty");
	df_base();
	df_set_raw("/vm0/kernel", "load-address", bad_data, 3);
	df_expect_error("/vm0", "/vm0/kernel", "'load-address' must be one 32-bit or 64-bit");
	df_base();
	df_set_str("/vm0/kernel@2", "file", "k.bin");
	df_set_str("/vm0/kernel@2", "format", "raw");
	df_set_u64s("/vm0/kernel@2", "load-address", size, 1);
	df_expect_error("/vm0", "/vm0/kernel@2", "unknown node"); /* kernel is a name, not a kind */
	df_base();
	df_set_str("/vm0/initrd", "file", "k.bin");
	df_set_str("/vm0/blob@1", "file", "k.bin");
	df_expect_error("/vm0", "/vm0/blob@1", "a blob needs its 'load-address'");
	df_base();
	for (int i = 0; i < VM_MAX_IMAGES; i++) {
		char path[32];
		snprintf(path, sizeof(path), "/vm0/blob@%d", i);
		df_set_str(path, "file", "k.bin");
		df_set_u64s(path, "load-address",
			    (const uint64_t[]){ DF_RAM + 0x10000ULL * (unsigned)(i + 1) }, 1);
	}
	df_expect_error("/vm0", "/vm0/", "at most 6 images per VM");
	df_base();
	df_set_raw("/vm0/uart@9000000", "reg-shift", bad_data, 8);
	df_expect_error("/vm0", "/vm0/uart@9000000", "'reg-shift' must be one 32-bit cell");
	df_base();
	/* Embedded images must lie inside the package they came with. */
	df_src.file = NULL;
	df_expect_error("/vm0", "/vm0/kernel", "was not embedded");
	df_set_raw("/vm0/kernel", VM_DESC_DATA_PROP, bad_data, 8);
	df_expect_error("/vm0", "/vm0/kernel", "is broken");
	df_src.pkg = df_tree;
	df_src.pkg_size = 4096;
	df_set_u64s("/vm0/kernel", VM_DESC_DATA_PROP, (const uint64_t[]){ 4000, 200 }, 2);
	df_expect_error("/vm0", "/vm0/kernel", "outside the package");
	df_set_u64s("/vm0/kernel", VM_DESC_DATA_PROP, (const uint64_t[]){ ~0ULL, 2 }, 2);
	df_expect_error("/vm0", "/vm0/kernel", "outside the package");
	df_set_u64s("/vm0/kernel", VM_DESC_DATA_PROP, pair, 2);
	df_expect_error("/vm0", "/vm0/kernel", "is empty");
	df_set_u64s("/vm0/kernel", VM_DESC_DATA_PROP, (const uint64_t[]){ 1000, 200 }, 2);
	df_set_u64s("/vm0/kernel", "load-address", (const uint64_t[]){ DF_RAM }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_ptr_equal(df_cfg.images[0].data, df_tree + 1000);
	assert_int_equal(df_cfg.images[0].size, 200);
}

static void test_firmware_images(void **state)
{
	(void)state;
	const uint64_t host[] = { 0x48000000 }, size[] = { 0x3000 };

	df_del("/vm0/kernel", "file");
	df_set_u64s("/vm0/kernel", "host-address", host, 1);
	df_set_u64s("/vm0/kernel", "size", size, 1);
	/* At build time its bytes are not at hand: placed by size only. */
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_true(df_cfg.images[0].firmware);
	assert_null(df_cfg.images[0].data);
	assert_int_equal(df_cfg.images[0].host_addr.raw, 0x48000000);
	assert_int_equal(df_cfg.images[0].size, 0x3000);
	/* In the hypervisor they are read where the firmware put them. */
	df_src.host_readable = true;
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_ptr_equal(df_cfg.images[0].data, (const void *)(uintptr_t)0x48000000);
}

static void test_kernel_format_errors(void **state)
{
	(void)state;
	const uint64_t entry[] = { DF_RAM };

	df_del("/vm0/kernel", "format");
	df_expect_error("/vm0", "/vm0/kernel", "no 'format'");
	df_set_str("/vm0/kernel", "format", "bzimage");
	df_expect_error("/vm0", "/vm0/kernel", "not \"bzimage\"");
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_u64s("/vm0/kernel", "entry", entry, 1);
	df_expect_error("/vm0", "/vm0/kernel", "drop 'entry' and 'boot-arg'");
	df_base();
	df_del("/vm0/kernel", "load-address");
	df_expect_error("/vm0", "/vm0", "a raw image needs its load-address");
	df_base();
	df_set_str("/vm0/kernel", "format", "linux");
	df_expect_error("/vm0", "/vm0", "no FAKEKERN header");
	df_base();
	df_set_str("/vm0/kernel", "format", "elf");
	df_expect_error("/vm0", "/vm0", "not an ELF file");
	df_base();
	df_set_u64s("/vm0/kernel", "entry", (const uint64_t[]){ 0x1000 }, 1);
	df_expect_error("/vm0", "/vm0", "entry point 0x1000 is outside guest RAM");
}

static void test_device_errors(void **state)
{
	(void)state;
	const uint32_t port[] = { 0x3f8 }, shift[] = { 9 }, big_irq[] = { 32 }, irq2[] = { 2 };
	const uint64_t in_ram[] = { DF_RAM, 0x1000 }, in_intc[] = { FAKE_INTC_BASE, 0x100 };
	const uint64_t small[] = { DF_UART, 0x10 }, overlap[] = { DF_UART + 0x800, 0x100 };

	df_set_str("/vm0/uart@9000000", "compatible", "acme,uart");
	df_expect_error("/vm0", "/vm0/uart@9000000", "unknown device \"acme,uart\" (known: ");
	assert_non_null(strstr(df_err.msg, "arm,pl011"));
	df_base();
	df_set_str("/vm0/uart@9000000", "clock-frequency", "x");
	df_expect_error("/vm0", "/vm0/uart@9000000", "unknown property 'clock-frequency'");
	df_base();
	df_set_u32s("/vm0/uart@9000000", "port", port, 1);
	df_expect_error("/vm0", "/vm0/uart@9000000", "not both");
	df_del("/vm0/uart@9000000", "reg");
	df_expect_error("/vm0", "/vm0", "cannot sit in that address space"); /* a PL011 is MMIO */
	df_del("/vm0/uart@9000000", "port");
	df_expect_error("/vm0", "/vm0/uart@9000000", "no 'reg'");
	df_base();
	df_set_str("/vm0/uart@9000000", "compatible", "ns16550a");
	df_set_u32s("/vm0/uart@9000000", "reg-shift", shift, 1);
	df_expect_error("/vm0", "/vm0", "reg-shift 9 (at most 3)");
	df_base();
	df_set_u64s("/vm0/uart@9000000", "reg", small, 2);
	df_expect_error("/vm0", "/vm0", "its registers need 0x1000 bytes");
	df_base();
	df_set_u64s("/vm0/testdev@b000000", "reg", in_ram, 2);
	df_expect_error("/vm0", "/vm0", "overlaps RAM region 0");
	df_set_u64s("/vm0/testdev@b000000", "reg", in_intc, 2);
	df_expect_error("/vm0", "/vm0", "overlaps the fake interrupt controller");
	df_set_u64s("/vm0/testdev@b000000", "reg", overlap, 2);
	df_expect_error("/vm0", "/vm0", "overlap");
	df_base();
	df_set_u32s("/vm0/uart@9000000", "interrupts", big_irq, 1);
	df_expect_error("/vm0", "/vm0", "interrupt line 32 (0 to 31 allowed)");
	df_base();
	df_set_u32s("/vm0/testdev@b000000", "interrupts", irq2, 1);
	df_expect_error("/vm0", "/vm0", "this device has no interrupt");
	df_base();
	for (int i = 0; i < VM_MAX_DEV_CONFIGS - 1; i++) {
		char path[48];
		const uint64_t reg[] = { 0x20000000ULL + 0x1000ULL * (unsigned)i, 0x100 };
		snprintf(path, sizeof(path), "/vm0/t%d", i);
		df_set_str(path, "compatible", "polyvisor,testdev");
		df_set_u64s(path, "reg", reg, 2);
	}
	df_expect_error("/vm0", "/vm0/", "at most 8 devices per VM");
}

static void test_config_checks_through_descriptions(void **state)
{
	(void)state;
	const uint32_t far_cpu[] = { 0, 9 };
	const uint64_t overlap[] = { DF_RAM, DF_RAM_SIZE, DF_RAM + 0x1000, 0x1000 };
	const uint64_t odd[] = { DF_RAM, 0x1800 };

	df_set_u32s("/vm0", "cpus", far_cpu, 2);
	df_expect_error("/vm0", "/vm0", "pinned to CPU 9, the board has 4");
	df_base();
	df_set_u64s("/vm0", "memory", overlap, 4);
	df_expect_error("/vm0", "/vm0", "RAM regions 0 and 1 overlap");
	df_set_u64s("/vm0", "memory", odd, 2);
	df_expect_error("/vm0", "/vm0", "not aligned");
	df_base();
	df_set_str("/vm0/kernel", "file", "big.bin");
	df_expect_error("/vm0", "/vm0", "does not fit in guest RAM");
	df_base();
	df_set_str("/vm0/blob@1", "file", "k.bin");
	df_set_u64s("/vm0/blob@1", "load-address", (const uint64_t[]){ DF_RAM + 0x1010 }, 1);
	df_expect_error("/vm0", "/vm0", "overlaps kernel");
}

static void test_cpus_across_vms(void **state)
{
	(void)state;
	struct vm_config a, b;
	const struct vm_config *both[] = { &a, &b };
	const uint32_t cpus[] = { 1, 2 };

	df_set_str("/vm1", "compatible", VM_DESC_VM_COMPATIBLE);
	df_set_u32s("/vm1", "cpus", cpus, 2);
	df_set_u64s("/vm1", "memory", (const uint64_t[]){ DF_RAM, DF_RAM_SIZE }, 2);
	df_set_str("/vm1/kernel", "format", "raw");
	df_set_str("/vm1/kernel", "file", "k.bin");
	df_set_u64s("/vm1/kernel", "load-address", (const uint64_t[]){ DF_RAM }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	a = df_cfg;
	assert_int_equal(df_parse("/vm1"), PV_OK);
	b = df_cfg;
	assert_int_equal(vm_desc_check_all(both, 2, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "physical CPU 1 is also VM vm0's"));
	a.shared_cpus = true;
	assert_int_equal(vm_desc_check_all(both, 2, &df_err), -PV_EINVAL);
	b.shared_cpus = true;
	assert_int_equal(vm_desc_check_all(both, 2, &df_err), PV_OK);
	/* Images the firmware placed for two VMs may not overlap in host memory. */
	a.images[0] = (struct vm_image_config){
		.node = "kernel", .firmware = true, .host_addr = hpa(0x48000000), .size = 0x2000
	};
	b.images[0] = a.images[0];
	b.images[0].host_addr = hpa(0x48001000);
	assert_int_equal(vm_desc_check_all(both, 2, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "overlaps VM vm0's image"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_good_description, setup),
		cmocka_unit_test_setup(test_one_cell_addresses_and_options, setup),
		cmocka_unit_test_setup(test_header_errors, setup),
		cmocka_unit_test_setup(test_unterminated_compatible, setup),
		cmocka_unit_test_setup(test_vm_node_errors, setup),
		cmocka_unit_test_setup(test_image_errors, setup),
		cmocka_unit_test_setup(test_firmware_images, setup),
		cmocka_unit_test_setup(test_kernel_format_errors, setup),
		cmocka_unit_test_setup(test_device_errors, setup),
		cmocka_unit_test_setup(test_config_checks_through_descriptions, setup),
		cmocka_unit_test_setup(test_cpus_across_vms, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
