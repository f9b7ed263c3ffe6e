// SPDX-License-Identifier: MIT
/*
 * Passed-through devices against the host's device tree: their guest nodes (vm/vm_fdt_pt.c),
 * copied from a host tree built here with registers and interrupts translated, or given by the
 * description; and what the host tree says the hypervisor keeps (vm/vm_pt_host.c).
 */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <libfdt.h>
#include <string.h>
#include <vm/vm_fdt.h>
#include <vm/vm_pt.h>

#define PT     "/vm0/passthrough@20000000"
#define GUEST  0x20000000ULL /* the device's page in the guest */
#define HOSTW  0x0a003000ULL /* ... and in the host */
#define HIRQ   47u	     /* its host line */
#define GIRQ   16u	     /* its guest line */
#define INTC_P 1u

static uint8_t host[8192];
static uint8_t out[VM_FDT_MAX];
static struct vm_layout layout;

static int node(void *fdt, int parent, const char *name)
{
	int n = fdt_add_subnode(fdt, parent, name);

	assert_true(n >= 0);
	return n;
}

static void reg2(void *fdt, int n, uint64_t a, uint64_t s)
{
	fdt64_t v[2] = { cpu_to_fdt64(a), cpu_to_fdt64(s) };

	assert_int_equal(fdt_setprop(fdt, n, "reg", v, sizeof(v)), 0);
}

static void cells(void *fdt, int n, const char *prop, const uint32_t *c, int count)
{
	fdt32_t v[8];

	for (int i = 0; i < count; i++)
		v[i] = cpu_to_fdt32(c[i]);
	assert_int_equal(fdt_setprop(fdt, n, prop, v, count * 4), 0);
}

/* A host tree like QEMU virt's: a GIC with an ITS, the console, a timer frame, the device, and
 * devices the translation must refuse. */
static void host_tree(void)
{
	int n, intc;

	assert_int_equal(fdt_create_empty_tree(host, sizeof(host)), 0);
	assert_int_equal(fdt_setprop_u32(host, 0, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(host, 0, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(host, 0, "interrupt-parent", INTC_P), 0);
	n = node(host, 0, "chosen");
	assert_int_equal(fdt_setprop_string(host, n, "stdout-path", "/pl011@9000000"), 0);
	intc = node(host, 0, "intc@8000000");
	assert_int_equal(fdt_setprop_u32(host, intc, "phandle", INTC_P), 0);
	assert_int_equal(fdt_setprop(host, intc, "interrupt-controller", NULL, 0), 0);
	assert_int_equal(fdt_setprop_u32(host, intc, "#interrupt-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(host, intc, "#address-cells", 2), 0);
	assert_int_equal(fdt_setprop_u32(host, intc, "#size-cells", 2), 0);
	assert_int_equal(fdt_setprop(host, intc, "ranges", NULL, 0), 0);
	reg2(host, intc, 0x08000000, 0x10000);
	n = node(host, intc, "its@8080000");
	assert_int_equal(fdt_setprop(host, n, "msi-controller", NULL, 0), 0);
	reg2(host, n, 0x08080000, 0x20000);
	n = node(host, 0, "pl011@9000000");
	reg2(host, n, 0x09000000, 0x1000);
	cells(host, n, "interrupts", (const uint32_t[]){ FAKE_HOST_IRQ_BASE + 1, 4 }, 2);
	n = node(host, 0, "timer@9100000");
	assert_int_equal(fdt_setprop_string(host, n, "compatible", "fake,hv-timer"), 0);
	reg2(host, n, 0x09100000, 0x1000);
	n = node(host, 0, "virtio_mmio@a003e00");
	assert_int_equal(fdt_setprop_string(host, n, "compatible", "virtio,mmio"), 0);
	reg2(host, n, HOSTW + 0xe00, 0x200);
	cells(host, n, "interrupts", (const uint32_t[]){ FAKE_HOST_IRQ_BASE + HIRQ, 1 }, 2);
	assert_int_equal(fdt_setprop(host, n, "dma-coherent", NULL, 0), 0);
	assert_int_equal(fdt_setprop_string(host, n, "status", "okay"), 0);
	assert_int_equal(fdt_setprop_u32(host, n, "clocks", 5), 0);
	assert_int_equal(fdt_setprop_u32(host, n, "pinctrl-0", 6), 0);
	cells(host, n, "reset-gpios", (const uint32_t[]){ 7, 1, 0 }, 3);
	assert_int_equal(fdt_setprop_u32(host, n, "vdd-supply", 8), 0);
	assert_int_equal(fdt_setprop_u32(host, n, "phandle", 9), 0);
	/* Behind a bus that moves addresses: cannot be translated. */
	n = node(host, 0, "bus");
	assert_int_equal(fdt_setprop_u32(host, n, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(host, n, "#size-cells", 1), 0);
	cells(host, n, "ranges", (const uint32_t[]){ 0, 0, (uint32_t)HOSTW, 0x1000 }, 4);
	n = node(host, n, "dev@0");
	cells(host, n, "reg", (const uint32_t[]){ 0xe00, 0x200 }, 2);
	/* Behind a bus that keeps them ("ranges;"): can. */
	n = node(host, 0, "soc");
	assert_int_equal(fdt_setprop_u32(host, n, "#address-cells", 1), 0);
	assert_int_equal(fdt_setprop_u32(host, n, "#size-cells", 1), 0);
	assert_int_equal(fdt_setprop(host, n, "ranges", NULL, 0), 0);
	n = node(host, n, "dev@a003100");
	cells(host, n, "reg", (const uint32_t[]){ (uint32_t)HOSTW + 0x100, 0x100 }, 2);
	n = node(host, 0, "ext@a003000");
	reg2(host, n, HOSTW, 0x100);
	cells(host, n, "interrupts-extended",
	      (const uint32_t[]){ INTC_P, FAKE_HOST_IRQ_BASE + HIRQ, 4 }, 3);
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	df_base();
	host_tree();
	df_set_u64s(PT, "reg", (const uint64_t[]){ GUEST, 0x1000 }, 2);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	df_set_u32s(PT, "interrupts", (const uint32_t[]){ GIRQ }, 1);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ HIRQ }, 1);
	df_set_str(PT, "host-node", "/virtio_mmio@a003e00");
	return 0;
}

static int build(void)
{
	if (df_parse("/vm0"))
		fail_msg("%s: %s", df_err.where, df_err.msg);
	df_cfg.host_fdt = host;
	assert_int_equal(vm_layout_compute(&df_cfg, &layout, &df_err), PV_OK);
	return vm_fdt_build(&df_cfg, &layout, out, sizeof(out), &df_err);
}

static const void *prop(const char *path, const char *name, int *len)
{
	int n = fdt_path_offset(out, path);

	assert_true(n >= 0);
	return fdt_getprop(out, n, name, len);
}

static uint64_t u64_at(const char *path, const char *name, int i)
{
	int len;
	const uint8_t *v = prop(path, name, &len);
	fdt64_t c;

	assert_non_null(v);
	assert_true(len >= 8 * (i + 1));
	memcpy(&c, v + 8 * i, sizeof(c));
	return fdt64_to_cpu(c);
}

static void test_copied_from_host(void **state)
{
	int len;
	const fdt32_t *irq;

	(void)state;
	assert_int_equal(build(), PV_OK);
	/* Named after its guest address; registers moved into the guest's page. */
	assert_int_equal(u64_at("/virtio_mmio@20000e00", "reg", 0), GUEST + 0xe00);
	assert_int_equal(u64_at("/virtio_mmio@20000e00", "reg", 1), 0x200);
	/* Its host line became its guest line, in the guest controller's form. */
	irq = prop("/virtio_mmio@20000e00", "interrupts", &len);
	assert_non_null(irq);
	assert_int_equal(len, 4);
	assert_int_equal(fdt32_to_cpu(irq[0]), GIRQ + 100);
	/* Copied as they are. */
	assert_string_equal(prop("/virtio_mmio@20000e00", "compatible", NULL), "virtio,mmio");
	assert_string_equal(prop("/virtio_mmio@20000e00", "status", NULL), "okay");
	assert_non_null(prop("/virtio_mmio@20000e00", "dma-coherent", NULL));
	/* What points at host nodes the guest does not have is left out. */
	assert_null(prop("/virtio_mmio@20000e00", "clocks", NULL));
	assert_null(prop("/virtio_mmio@20000e00", "pinctrl-0", NULL));
	assert_null(prop("/virtio_mmio@20000e00", "reset-gpios", NULL));
	assert_null(prop("/virtio_mmio@20000e00", "vdd-supply", NULL));
	assert_null(prop("/virtio_mmio@20000e00", "phandle", NULL));
	assert_null(prop("/virtio_mmio@20000e00", "interrupt-parent", NULL));
	/* The boot-time check agrees. */
	assert_int_equal(vm_fdt_pt_check(&df_cfg, &df_err), PV_OK);

	/* Without a host tree (a build-time checker given none), no node. */
	df_cfg.host_fdt = NULL;
	assert_int_equal(vm_fdt_build(&df_cfg, &layout, out, sizeof(out), &df_err), PV_OK);
	assert_true(fdt_path_offset(out, "/virtio_mmio@20000e00") < 0);

	/* A node behind a bus that keeps addresses, identity-mapped in the guest too. */
	setup(state);
	df_set_u64s(PT, "reg", (const uint64_t[]){ HOSTW, 0x1000 }, 2);
	df_del(PT, "host-reg");
	df_set_str(PT, "host-node", "/soc/dev@a003100");
	assert_int_equal(build(), PV_OK);
	assert_int_equal(u64_at("/dev@a003100", "reg", 0), HOSTW + 0x100);
}

static void expect_node_error(const char *msg)
{
	int rc = build();

	if (rc != -PV_EINVAL || !strstr(df_err.msg, msg))
		fail_msg("expected \"%s\", got %d \"%s: %s\"", msg, rc, df_err.where, df_err.msg);
	rc = vm_fdt_pt_check(&df_cfg, &df_err);
	if (rc != -PV_EINVAL || !strstr(df_err.msg, msg))
		fail_msg("check: expected \"%s\", got %d \"%s\"", msg, rc, df_err.msg);
}

static void test_translation_errors(void **state)
{
	(void)state;
	df_set_str(PT, "host-node", "/nothing@0");
	expect_node_error("passthrough@20000000: the host's device tree has no node /nothing@0");
	/* Registers of the device outside the window it was given. */
	setup(state);
	df_set_u64s(PT, "host-reg", (const uint64_t[]){ HOSTW - 0x1000, 0x1000 }, 2);
	expect_node_error("host registers 0xa003e00 (0x200 bytes) are outside its windows");
	/* An interrupt it was not given. */
	setup(state);
	df_set_u32s(PT, "host-interrupts", (const uint32_t[]){ HIRQ + 1 }, 1);
	expect_node_error("host interrupt line 47 is not in its 'host-interrupts'");
	setup(state);
	df_del(PT, "interrupts");
	df_del(PT, "host-interrupts");
	expect_node_error("host interrupt line 47 is not in its 'host-interrupts'");
	/* A host specifier naming no line a VM may own. */
	setup(state);
	cells(host, fdt_path_offset(host, "/virtio_mmio@a003e00"), "interrupts",
	      (const uint32_t[]){ 3, 4 }, 2);
	expect_node_error("host interrupt 0 names no line a VM may own");
	setup(state);
	df_set_str(PT, "host-node", "/ext@a003000");
	expect_node_error("uses 'interrupts-extended'");
	setup(state);
	df_set_str(PT, "host-node", "/bus/dev@0");
	expect_node_error("a bus above it does not map addresses one to one");
}

static void test_given_node(void **state)
{
	const char *given = PT "/virtio_mmio@20000e00";

	(void)state;
	df_del(PT, "host-node");
	df_set_str(given, "compatible", "virtio,mmio");
	df_set_u64s(given, "reg", (const uint64_t[]){ GUEST + 0xe00, 0x200 }, 2);
	df_set_u32s(given, "interrupts", (const uint32_t[]){ GIRQ + 100 }, 1);
	df_set_raw(given, "dma-coherent", NULL, 0);
	assert_int_equal(build(), PV_OK);
	assert_int_equal(u64_at("/virtio_mmio@20000e00", "reg", 0), GUEST + 0xe00);
	assert_string_equal(prop("/virtio_mmio@20000e00", "compatible", NULL), "virtio,mmio");
	assert_non_null(prop("/virtio_mmio@20000e00", "dma-coherent", NULL));
	/* Registers outside the guest's window of the device. */
	df_set_u64s(given, "reg", (const uint64_t[]){ GUEST + 0x1000, 0x200 }, 2);
	expect_node_error("its guest node's registers 0x20001000 are outside its 'reg'");
	/* A description with one-cell addresses: "reg" is written in the guest's two. */
	setup(state);
	df_set_u32s("/", "#address-cells", (const uint32_t[]){ 1 }, 1);
	df_set_u32s("/", "#size-cells", (const uint32_t[]){ 1 }, 1);
	df_set_u32s("/vm0", "memory", (const uint32_t[]){ (uint32_t)DF_RAM, DF_RAM_SIZE }, 2);
	df_set_u32s("/vm0/kernel", "load-address", (const uint32_t[]){ (uint32_t)DF_RAM + 0x1000 },
		    1);
	df_set_u32s("/vm0/uart@9000000", "reg", (const uint32_t[]){ 0x09000000, 0x1000 }, 2);
	df_set_u32s("/vm0/testdev@b000000", "reg", (const uint32_t[]){ 0x0b000000, 0x100 }, 2);
	df_set_u32s(PT, "reg", (const uint32_t[]){ (uint32_t)GUEST, 0x1000 }, 2);
	df_set_u32s(PT, "host-reg", (const uint32_t[]){ (uint32_t)HOSTW, 0x1000 }, 2);
	df_del(PT, "host-node");
	df_set_str(given, "compatible", "virtio,mmio");
	df_set_u32s(given, "reg", (const uint32_t[]){ (uint32_t)GUEST + 0xe00, 0x200 }, 2);
	assert_int_equal(build(), PV_OK);
	assert_int_equal(u64_at("/virtio_mmio@20000e00", "reg", 0), GUEST + 0xe00);
	assert_int_equal(u64_at("/virtio_mmio@20000e00", "reg", 1), 0x200);
}

static void test_host_scan(void **state)
{
	struct vm_pt_host own;
	bool console = false, gicd = false, its = false, timer = false;

	(void)state;
	vm_pt_host_scan(host, &own);
	for (unsigned i = 0; i < own.nranges; i++) {
		console |= own.ranges[i].base == 0x09000000 && own.ranges[i].size == 0x1000;
		gicd |= own.ranges[i].base == 0x08000000 && own.ranges[i].size == 0x10000;
		its |= own.ranges[i].base == 0x08080000;
		timer |= own.ranges[i].base == 0x09100000;
		/* The device itself is nobody's. */
		assert_false(own.ranges[i].base == HOSTW + 0xe00);
	}
	assert_true(console && gicd && its && timer);
	assert_int_equal(own.nlines, 1);
	assert_int_equal(own.lines[0], 1);

	/* A device window on the ITS, on the timer, the console's line. */
	assert_int_equal(df_parse("/vm0"), PV_OK);
	assert_int_equal(vm_pt_host_check(&df_cfg, &own, &df_err), PV_OK);
	df_cfg.pt[0].regs[0].hpa = hpa(0x08090000);
	assert_int_equal(vm_pt_host_check(&df_cfg, &own, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "host 0x8090000-0x8090fff overlaps its@8080000, which "
					   "the hypervisor drives"));
	df_cfg.pt[0].regs[0].hpa = hpa(0x09100000);
	assert_int_equal(vm_pt_host_check(&df_cfg, &own, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "overlaps timer@9100000"));
	df_cfg.pt[0].regs[0].hpa = hpa(HOSTW);
	df_cfg.pt[0].irqs[0].host = 1;
	assert_int_equal(vm_pt_host_check(&df_cfg, &own, &df_err), -PV_EINVAL);
	assert_non_null(strstr(df_err.msg, "physical line 1 is the hypervisor's console's"));

	/* The console named through an alias, with options. */
	{
		int aliases = node(host, 0, "aliases");

		assert_int_equal(fdt_setprop_string(host, aliases, "serial0", "/pl011@9000000"), 0);
		assert_int_equal(fdt_setprop_string(host, fdt_path_offset(host, "/chosen"),
						    "stdout-path", "serial0:115200n8"),
				 0);
	}
	vm_pt_host_scan(host, &own);
	assert_int_equal(own.nlines, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_copied_from_host, setup),
		cmocka_unit_test_setup(test_translation_errors, setup),
		cmocka_unit_test_setup(test_given_node, setup),
		cmocka_unit_test_setup(test_host_scan, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
