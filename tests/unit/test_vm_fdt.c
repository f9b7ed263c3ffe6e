// SPDX-License-Identifier: MIT
/* The generated guest device tree (vm/vm_fdt.c), read back with libfdt. */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <libfdt.h>
#include <string.h>
#include <vm/vm_fdt.h>

static uint8_t out[VM_FDT_MAX];
static struct vm_layout layout;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	df_base();
	memset(out, 0, sizeof(out));
	return 0;
}

static void build(void)
{
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_int_equal(vm_layout_compute(&df_cfg, &layout, &df_err), PV_OK);
	assert_int_equal(vm_fdt_build(&df_cfg, &layout, out, sizeof(out), &df_err), PV_OK);
	assert_int_equal(fdt_check_header(out), 0);
}

static const char *str(const char *path, const char *prop)
{
	int node = fdt_path_offset(out, path);

	assert_true(node >= 0);
	return fdt_getprop(out, node, prop, NULL);
}

static uint64_t u64_at(const char *path, const char *prop, int index)
{
	int len, node = fdt_path_offset(out, path);
	const uint8_t *v;
	fdt64_t cell;

	assert_true(node >= 0);
	v = fdt_getprop(out, node, prop, &len);
	assert_non_null(v);
	assert_true(len >= 8 * (index + 1));
	memcpy(&cell, v + 8 * index, sizeof(cell)); /* properties are only 4-byte aligned */
	return fdt64_to_cpu(cell);
}

static uint32_t u32_at(const char *path, const char *prop, int index)
{
	int len, node = fdt_path_offset(out, path);
	const fdt32_t *v;

	assert_true(node >= 0);
	v = fdt_getprop(out, node, prop, &len);
	assert_non_null(v);
	assert_true(len >= 4 * (index + 1));
	return fdt32_to_cpu(v[index]);
}

static void test_tree_for_a_linux_guest(void **state)
{
	(void)state;
	static const uint8_t kernel[32] = "FAKEKERN\x00\x10\x00\x00\x00\x00\x02\x00";
	static const uint8_t initrd[5000] = { 7 };

	df_add_file("linux", kernel, sizeof(kernel));
	df_add_file("initrd", initrd, sizeof(initrd));
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_str("/vm0/kernel", "file", "linux");
	df_del("/vm0/kernel", "load-address");
	df_set_str("/vm0/kernel", "bootargs", "console=ttyAMA0 rdinit=/init");
	df_set_str("/vm0/initrd", "file", "initrd");
	build();

	assert_int_equal(u32_at("/", "#address-cells", 0), 2);
	assert_int_equal(u32_at("/", "#size-cells", 0), 2);
	assert_string_equal(str("/", "model"), "Polyvisor VM vm0");
	assert_string_equal(str("/chosen", "bootargs"), "console=ttyAMA0 rdinit=/init");
	assert_string_equal(str("/chosen", "stdout-path"), "/uart@9000000");
	assert_int_equal(u64_at("/chosen", "linux,initrd-start", 0), layout.initrd.raw);
	assert_int_equal(u64_at("/chosen", "linux,initrd-end", 0), layout.initrd.raw + 5000);
	assert_int_equal(u64_at("/memory@40000000", "reg", 0), DF_RAM);
	assert_int_equal(u64_at("/memory@40000000", "reg", 1), DF_RAM_SIZE);
	assert_string_equal(str("/memory@40000000", "device_type"), "memory");
	/* The backend's nodes, in vCPU order, and its interrupt controller as the parent. */
	assert_int_equal(u32_at("/cpus/cpu@0", "reg", 0), 0);
	assert_int_equal(u32_at("/cpus/cpu@1", "reg", 0), 1);
	assert_true(fdt_path_offset(out, "/cpus/cpu@0") < fdt_path_offset(out, "/cpus/cpu@1"));
	assert_int_equal(u32_at("/", "interrupt-parent", 0), FAKE_INTC_PHANDLE);
	/* Each device: reg, interrupt in the backend's notation, what its driver needs. */
	assert_int_equal(u64_at("/uart@9000000", "reg", 0), DF_UART);
	assert_int_equal(u64_at("/uart@9000000", "reg", 1), 0x1000);
	assert_int_equal(u32_at("/uart@9000000", "interrupts", 0), 101);
	assert_int_equal(fdt_node_check_compatible(out, fdt_path_offset(out, "/uart@9000000"),
						   "arm,primecell"),
			 0);
	assert_int_equal(u32_at("/uart@9000000", "clocks", 0),
			 fdt_get_phandle(out, fdt_path_offset(out, "/apb-pclk")));
	assert_int_equal(u32_at("/apb-pclk", "clock-frequency", 0), 24000000);
	assert_int_equal(u64_at("/testdev@b000000", "reg", 0), DF_TESTDEV);
	assert_null(str("/testdev@b000000", "interrupts"));
}

static void test_ns16550_and_port_devices(void **state)
{
	(void)state;
	const uint32_t shift[] = { 2 }, port[] = { 0x3f8 };

	df_set_str("/vm0/uart@9000000", "compatible", "ns16550a");
	df_set_u32s("/vm0/uart@9000000", "reg-shift", shift, 1);
	df_set_str("/vm0/com1", "compatible", "ns16550a");
	df_set_u32s("/vm0/com1", "port", port, 1);
	build();
	assert_string_equal(str("/uart@9000000", "compatible"), "ns16550a");
	assert_int_equal(u32_at("/uart@9000000", "reg-shift", 0), 2);
	assert_int_equal(u32_at("/uart@9000000", "clock-frequency", 0), 1843200);
	/* Port devices are found by probing, not through the device tree. */
	assert_true(fdt_path_offset(out, "/com1") < 0);
	assert_null(str("/chosen", "linux,initrd-start"));
}

static void test_two_uarts_share_one_clock_and_first_is_stdout(void **state)
{
	(void)state;
	const uint64_t reg[] = { 0x09010000, 0x1000 };

	df_set_str("/vm0/uart@9010000", "compatible", "arm,pl011");
	df_set_u64s("/vm0/uart@9010000", "reg", reg, 2);
	build();
	assert_int_equal(u32_at("/uart@9000000", "clocks", 0),
			 u32_at("/uart@9010000", "clocks", 0));
	assert_non_null(str("/chosen", "stdout-path"));
}

/* virtio-mmio devices: "virtio,mmio" nodes with their window, line and dma-coherent (the device
 * reaches guest RAM through the caches); a virtio console is not the UART stdout-path names. */
static void test_virtio_devices(void **state)
{
	(void)state;
	static uint8_t disk[1024];
	const char *path = "/vm0/virtio@a000000";
	int node;

	df_add_file("disk.img", disk, sizeof(disk));
	df_set_str(path, "compatible", "polyvisor,virtio-blk");
	df_set_u64s(path, "reg", (const uint64_t[]){ 0x0a000000, 0x200 }, 2);
	df_set_u32s(path, "interrupts", (const uint32_t[]){ 16 }, 1);
	df_set_str(path, "file", "disk.img");
	df_set_str("/vm0/virtio@a000200", "compatible", "polyvisor,virtio-console");
	df_set_u64s("/vm0/virtio@a000200", "reg", (const uint64_t[]){ 0x0a000200, 0x200 }, 2);
	df_set_u32s("/vm0/virtio@a000200", "interrupts", (const uint32_t[]){ 17 }, 1);
	build();
	assert_string_equal(str("/virtio@a000000", "compatible"), "virtio,mmio");
	assert_int_equal(u64_at("/virtio@a000000", "reg", 0), 0x0a000000);
	assert_int_equal(u64_at("/virtio@a000000", "reg", 1), 0x200);
	assert_int_equal(u32_at("/virtio@a000000", "interrupts", 0), 116);
	node = fdt_path_offset(out, "/virtio@a000200");
	assert_true(node >= 0);
	assert_non_null(fdt_getprop(out, node, "dma-coherent", NULL));
	assert_int_equal(u32_at("/virtio@a000200", "interrupts", 0), 117);
	assert_string_equal(str("/chosen", "stdout-path"), "/uart@9000000");
	/* Devices come in the description's order, which guests probe them in (vda, vdb...). */
	const char *order[8];
	int n = 0, child;
	fdt_for_each_subnode (child, out, 0) {
		const char *name = fdt_get_name(out, child, NULL);
		if (n < 8 && (strncmp(name, "virtio", 6) == 0 || strncmp(name, "uart", 4) == 0 ||
			      strncmp(name, "testdev", 7) == 0))
			order[n++] = name;
	}
	assert_int_equal(n, 4);
	for (int i = 0; i < n; i++)
		assert_string_equal(order[i], df_cfg.devs[i].node);
}

static void test_tree_too_small_is_an_error(void **state)
{
	(void)state;
	char bootargs[2048];

	memset(bootargs, 'x', sizeof(bootargs) - 1);
	bootargs[sizeof(bootargs) - 1] = '\0';
	df_set_str("/vm0/kernel", "bootargs", bootargs);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_int_equal(vm_layout_compute(&df_cfg, &layout, &df_err), PV_OK);
	assert_int_equal(vm_fdt_build(&df_cfg, &layout, out, 1024, &df_err), -PV_ENOMEM);
	assert_non_null(strstr(df_err.msg, "generating the device tree"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_tree_for_a_linux_guest, setup),
		cmocka_unit_test_setup(test_ns16550_and_port_devices, setup),
		cmocka_unit_test_setup(test_two_uarts_share_one_clock_and_first_is_stdout, setup),
		cmocka_unit_test_setup(test_virtio_devices, setup),
		cmocka_unit_test_setup(test_tree_too_small_is_an_error, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
