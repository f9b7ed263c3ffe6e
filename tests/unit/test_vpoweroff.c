// SPDX-License-Identifier: MIT
/* The power-off register (devices/vpoweroff.c): what powers the VM off, what does not, and the
 * device-tree nodes Linux's syscon-poweroff driver reads. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vpoweroff.h>
#include <libfdt.h>
#include <string.h>
#include <vm/vm_fdt.h>

#define PO_BASE 0x0a100000ULL

static struct vm vm;
static struct vdev *dev;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vpoweroff_model,
						     .node = "poweroff@a100000",
						     .space = VDEV_SPACE_MMIO,
						     .base = PO_BASE };
	fix_vm_start(&vm);
	dev = vdev_find(&vm, VDEV_SPACE_MMIO, PO_BASE, 4);
	return dev ? 0 : -1;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static int wr(uint64_t off, unsigned width, uint64_t v)
{
	return dev->ops->write(dev, &vm.vcpus[0], off, width, v);
}

/* Reads are 0, so a read-modify-write of the register writes the value alone; other values,
 * widths and offsets leave the VM running; the value stops it as a guest power-off. */
static void test_only_the_value_powers_off(void **state)
{
	(void)state;
	uint64_t v = 1;

	assert_null(vdev_find(&vm, VDEV_SPACE_MMIO, PO_BASE + VPOWEROFF_SIZE, 1));
	assert_int_equal(dev->ops->read(dev, &vm.vcpus[0], 0, 4, &v), PV_OK);
	assert_int_equal(v, 0);
	assert_int_equal(dev->ops->read(dev, &vm.vcpus[0], 1, 2, &v), -PV_EFAULT);
	assert_int_equal(wr(0, 4, 0x5554), PV_OK);
	assert_int_equal(wr(0, 2, VPOWEROFF_VALUE), PV_OK);
	assert_int_equal(wr(2, 2, 0), PV_OK);
	assert_int_equal(wr(1, 4, VPOWEROFF_VALUE), -PV_EFAULT);
	assert_int_not_equal(vm.state, VM_STOPPED);
	assert_int_equal(wr(0, 4, VPOWEROFF_VALUE), PV_OK);
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(vm.exit_code, 0);
	assert_true(fake_log_contains("vm vm0: stopped: guest powered off (code 0)"));
}

static const void *prop(const void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);

	assert_true(node >= 0);
	return fdt_getprop(fdt, node, name, len);
}

static uint32_t prop_u32(const void *fdt, const char *path, const char *name)
{
	int len = 0;
	const fdt32_t *p = prop(fdt, path, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 4);
	return fdt32_to_cpu(*p);
}

/* A "syscon" block over the register, and a "syscon-poweroff" node naming it, offset 0 and the
 * value. */
static void test_device_tree_nodes(void **state)
{
	(void)state;
	static uint8_t fdt[VM_FDT_MAX];
	struct vm_err err;
	const void *reg;
	fdt64_t cells[2];
	int len = 0;

	assert_int_equal(vm_fdt_build(&fix_config, &vm.layout, fdt, sizeof(fdt), &err), PV_OK);
	assert_string_equal(prop(fdt, "/poweroff@a100000", "compatible", NULL), "syscon");
	reg = prop(fdt, "/poweroff@a100000", "reg", &len);
	assert_int_equal(len, 16);
	memcpy(cells, reg, sizeof(cells)); /* properties are only 4-byte aligned */
	assert_int_equal(fdt64_to_cpu(cells[0]), PO_BASE);
	assert_int_equal(fdt64_to_cpu(cells[1]), VPOWEROFF_SIZE);
	assert_int_equal(prop_u32(fdt, "/poweroff@a100000", "reg-io-width"), 4);
	assert_string_equal(prop(fdt, "/syscon-poweroff", "compatible", NULL), "syscon-poweroff");
	assert_int_equal(prop_u32(fdt, "/syscon-poweroff", "regmap"),
			 prop_u32(fdt, "/poweroff@a100000", "phandle"));
	assert_int_equal(prop_u32(fdt, "/syscon-poweroff", "offset"), 0);
	assert_int_equal(prop_u32(fdt, "/syscon-poweroff", "value"), VPOWEROFF_VALUE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_only_the_value_powers_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_device_tree_nodes, setup, teardown),
	};

	return cmocka_run_group_tests_name("vpoweroff", tests, NULL, NULL);
}
