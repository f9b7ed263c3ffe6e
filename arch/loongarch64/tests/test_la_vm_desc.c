// SPDX-License-Identifier: MIT
/*
 * What a loongarch64 Linux guest is given (arch/loongarch64/vm_desc.c), through the core's own
 * placement and device-tree generator: the kernel header read as booting.rst lays it out, the
 * boot information (an EFI system table naming the device tree, the command line, a0..a2) read
 * back byte by byte and by the backend's own reader of that protocol, and the device tree's
 * CPUs, CPU interrupt controller and devices read back with libfdt.
 */
#include <arch/la_efi.h>
#include <devices/vpoweroff.h>
#include <devices/vuart_ns16550.h>
#include <libfdt.h>
#include <pv_test.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>
#include <vm/vm_layout.h>

#include "la_bootinfo.h"

#define K_LOAD	 0x200000ULL /* load offset, as Linux/LoongArch links it */
#define K_ENTRY	 0x200800ULL
#define K_SPAN	 0x1400000ULL /* _end - _text */
#define RAM_SIZE 0x10000000ULL
#define INFO_AT	 0x100000ULL

static uint8_t kernel[0x1000];
static uint8_t initrd[0x3000];
static struct vm_config cfg;

static void put(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

/* The 64-byte header of arch/loongarch/kernel/head.S. */
static void make_kernel(uint64_t entry, uint64_t span, uint64_t load)
{
	memset(kernel, 0xaa, sizeof(kernel));
	put(kernel, 4, 0x5a4d);
	put(kernel + 8, 8, entry);
	put(kernel + 16, 8, span);
	put(kernel + 24, 8, load);
	put(kernel + 32, 24, 0);
	put(kernel + 56, 4, 0x818223cd);
	put(kernel + 60, 4, 0x40);
}

static int setup(void **state)
{
	(void)state;
	make_kernel(K_ENTRY, K_SPAN, K_LOAD);
	cfg = (struct vm_config){
		.name = "linux",
		.nvcpus = 2,
		.pcpu = { 2, 3 },
		.guest_cpu_id = { 0, 1 },
		.nmem = 1,
		.mem = { { gpa(0), RAM_SIZE } },
		.format = VM_BOOT_LINUX,
		.nimages = 2,
		.images = { { .role = VM_IMAGE_KERNEL,
			      .node = "kernel",
			      .data = kernel,
			      .size = sizeof(kernel) },
			    { .role = VM_IMAGE_INITRD,
			      .node = "initrd",
			      .data = initrd,
			      .size = sizeof(initrd) } },
		.bootargs = "console=ttyS0 earlycon rdinit=/init",
		.ndevs = 2,
		.devs = { { .model = &vuart_ns16550_model,
			    .node = "uart@1fe001e0",
			    .space = VDEV_SPACE_MMIO,
			    .base = 0x1fe001e0,
			    .size = 8,
			    .has_irq = true,
			    .irq = 0 },
			  { .model = &vpoweroff_model,
			    .node = "poweroff@100e001c",
			    .space = VDEV_SPACE_MMIO,
			    .base = 0x100e001c } },
	};
	return 0;
}

static int header(uint64_t size, uint64_t *text, uint64_t *span, char *why)
{
	return arch_vm_desc.linux_header(kernel, size, text, span, why, 96);
}

/* The header's load offset is the text offset, its size the footprint, its entry an offset into
 * the image; early kernels' virtual addresses count as the physical ones they map. */
static void test_kernel_header(void **state)
{
	(void)state;
	uint64_t text = 0, span = 0;
	char why[96] = "";

	assert_int_equal(header(sizeof(kernel), &text, &span, why), PV_OK);
	assert_int_equal(text, K_LOAD);
	assert_int_equal(span, K_SPAN);
	assert_int_equal(arch_vm_desc.linux_entry(kernel, sizeof(kernel)), K_ENTRY - K_LOAD);
	make_kernel(0x9000000000000000ULL | K_ENTRY, K_SPAN, 0x9000000000000000ULL | K_LOAD);
	assert_int_equal(header(sizeof(kernel), &text, &span, why), PV_OK);
	assert_int_equal(text, K_LOAD);
	assert_int_equal(arch_vm_desc.linux_entry(kernel, sizeof(kernel)), K_ENTRY - K_LOAD);
	assert_int_equal(arch_vm_desc.linux_align, PV_KIB(64));
}

static void expect_refused(uint64_t size, const char *msg)
{
	uint64_t text = 0, span = 0;
	char why[96] = "";

	assert_int_equal(header(size, &text, &span, why), -PV_EINVAL);
	if (!strstr(why, msg))
		fail_msg("expected \"%s\" in \"%s\"", msg, why);
}

static void test_kernel_header_refused(void **state)
{
	(void)state;
	expect_refused(63, "not a LoongArch Linux image");
	kernel[0] = 'Z';
	expect_refused(sizeof(kernel), "boot vmlinux.efi, not the vmlinux ELF");
	make_kernel(K_ENTRY, K_SPAN, K_LOAD);
	kernel[56] ^= 1;
	expect_refused(sizeof(kernel), "not a LoongArch Linux image");
	make_kernel(K_LOAD - 4, K_SPAN, K_LOAD); /* entry before the image */
	expect_refused(sizeof(kernel), "implausible header: entry 0x1ffffc");
	make_kernel(K_LOAD + sizeof(kernel), K_SPAN, K_LOAD); /* entry past its bytes */
	expect_refused(sizeof(kernel), "implausible header");
	make_kernel(K_ENTRY, PV_GIB(4) + 1, K_LOAD);
	expect_refused(sizeof(kernel), "implausible header");
}

/* The kernel at its load offset from RAM's start, entered at the header's entry; the boot
 * information in Linux's reserved first 2 MiB; the device tree and initrd high in RAM. */
static void test_layout(void **state)
{
	(void)state;
	struct vm_layout l;
	struct vm_err err;

	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	assert_int_equal(l.entry.raw, K_ENTRY);
	assert_true(l.has_boot_info && l.has_fdt && l.fdt_generated && l.has_initrd);
	assert_int_equal(l.boot_info.raw, INFO_AT);
	assert_int_equal(l.nboot_args, 3);
	assert_int_equal(l.boot_arg, 0); /* efi_boot: no boot or runtime services */
	assert_int_equal(l.boot_args_more[0], INFO_AT + 0x100);
	assert_int_equal(l.boot_args_more[1], INFO_AT);
	assert_true(l.fdt.raw + VM_FDT_MAX <= RAM_SIZE && l.fdt.raw >= K_LOAD + K_SPAN);
	assert_true(l.initrd.raw + sizeof(initrd) <= l.fdt.raw);
	for (unsigned i = 0; i < l.nplaced; i++)
		if (l.placed[i].boot_info)
			assert_string_equal(vm_placed_name(&l.placed[i]), "boot information");
}

/* CRC-32 as UEFI table headers take it, written independently of the backend's (bytewise, from a
 * table) and checked against the standard's check value first. */
static uint32_t crc32_ref(const uint8_t *p, size_t len)
{
	uint32_t table[256], crc = 0xffffffffu;

	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return crc ^ 0xffffffffu;
}

static uint8_t info[PV_KIB(16)];

static const void *map_info(void *ctx, uint64_t pa, size_t len)
{
	(void)ctx;
	if (pa < INFO_AT || pa - INFO_AT > sizeof(info) || len > sizeof(info) - (pa - INFO_AT))
		return NULL;
	return info + (pa - INFO_AT);
}

static void test_boot_information(void **state)
{
	(void)state;
	static const uint8_t dt_guid[16] = LA_EFI_DT_GUID;
	uint64_t args[VM_BOOT_ARGS] = { 0 };
	uint8_t header_copy[LA_EFI_SYSTAB_SIZE];
	const uint8_t *cfgtab, *vendor;
	struct la_bootinfo bi;
	struct vm_layout l;
	struct vm_err err;
	char why[96] = "";

	assert_int_equal(crc32_ref((const uint8_t *)"123456789", 9), 0xcbf43926u);
	assert_int_equal(arch_vm_desc.linux_info_size, sizeof(info));
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	memset(info, 0, sizeof(info));
	assert_int_equal(arch_vm_desc.linux_info(&cfg, &l, INFO_AT, info, args, why, sizeof(why)),
			 3);
	assert_int_equal(args[0], l.boot_arg);
	assert_int_equal(args[1], l.boot_args_more[0]);
	assert_int_equal(args[2], l.boot_args_more[1]);

	/* The system table: signature, revision, size, CRC over the header with the field zero. */
	assert_int_equal(get(info, 8), LA_EFI_SYSTAB_SIGNATURE);
	assert_int_equal(get(info + LA_EFI_SYSTAB_REVISION, 4) >> 16, 2);
	assert_int_equal(get(info + LA_EFI_SYSTAB_HEADER_SIZE, 4), LA_EFI_SYSTAB_SIZE);
	memcpy(header_copy, info, sizeof(header_copy));
	put(header_copy + LA_EFI_SYSTAB_CRC32, 4, 0);
	assert_int_equal(get(info + LA_EFI_SYSTAB_CRC32, 4),
			 crc32_ref(header_copy, sizeof(header_copy)));
	assert_int_equal(get(info + LA_EFI_SYSTAB_RUNTIME, 8), 0);
	assert_int_equal(get(info + LA_EFI_SYSTAB_BOOTTIME, 8), 0);
	/* The vendor: UTF-16 "Polyvisor" inside the block. */
	assert_non_null(vendor = map_info(NULL, get(info + LA_EFI_SYSTAB_FW_VENDOR, 8), 20));
	for (unsigned i = 0; i < 10; i++)
		assert_int_equal(get(vendor + 2 * i, 2), (uint8_t)"Polyvisor"[i]);
	/* One configuration table: the device tree, where the layout put it. */
	assert_int_equal(get(info + LA_EFI_SYSTAB_NR_TABLES, 8), 1);
	assert_non_null(cfgtab = map_info(NULL, get(info + LA_EFI_SYSTAB_TABLES, 8),
					  LA_EFI_CFG_ENTRY_SIZE));
	assert_memory_equal(cfgtab, dt_guid, sizeof(dt_guid));
	assert_int_equal(get(cfgtab + 16, 8), l.fdt.raw);
	/* a1: the command line. */
	assert_string_equal((const char *)map_info(NULL, args[1], 1), cfg.bootargs);
	/* The backend's reader of this protocol (what it takes from its own loader) agrees. */
	assert_int_equal(la_bootinfo_parse(1, args[1], args[2], map_info, NULL, &bi),
			 LA_BOOT_REGS_EFI);
	assert_true(bi.has_dtb);
	assert_int_equal(bi.dtb_pa, l.fdt.raw);
	assert_int_equal(bi.ntables, 1);
}

/* Linux/LoongArch keeps 511 characters of command line: more stops the build. */
static void test_command_line_limit(void **state)
{
	(void)state;
	static char line[513];
	struct vm_layout l;
	struct vm_err err;

	memset(line, 'x', 511);
	cfg.bootargs = line;
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	line[511] = 'x';
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), -PV_EINVAL);
	assert_non_null(strstr(err.msg, "boot information: bootargs are 512 bytes; "
					"Linux/LoongArch takes 511 at most"));
	/* No room below the kernel: a kernel loaded at 1 MiB overlaps the boot information. */
	cfg.bootargs = NULL;
	cfg.images[0].has_load = true;
	cfg.images[0].load = gpa(INFO_AT);
	make_kernel(INFO_AT + 0x800, K_SPAN, INFO_AT);
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), -PV_EINVAL);
	assert_non_null(strstr(err.msg, "boot information (at 0x100000) overlaps kernel"));
}

static const void *prop(const void *fdt, int node, const char *name, int *len)
{
	assert_true(node >= 0);
	return fdt_getprop(fdt, node, name, len);
}

static uint32_t prop_u32(const void *fdt, int node, const char *name)
{
	int len = 0;
	const fdt32_t *p = prop(fdt, node, name, &len);

	assert_non_null(p);
	assert_int_equal(len, 4);
	return fdt32_to_cpu(*p);
}

/* CPUs in vCPU order with their CPU ids, the CPU interrupt controller as every device's parent,
 * the UART on HWI0, the power-off register as a syscon. */
static void test_device_tree(void **state)
{
	(void)state;
	static uint8_t fdt[VM_FDT_MAX];
	struct vm_layout l;
	struct vm_err err;
	int cpus, cpu, intc, uart, off;
	uint32_t phandle;

	cfg.guest_cpu_id[0] = 5; /* the boot vCPU need not be CPU 0 */
	cfg.guest_cpu_id[1] = 1;
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	assert_int_equal(vm_fdt_build(&cfg, &l, fdt, sizeof(fdt), &err), PV_OK);

	cpus = fdt_path_offset(fdt, "/cpus");
	assert_int_equal(prop_u32(fdt, cpus, "#address-cells"), 1);
	assert_int_equal(prop_u32(fdt, cpus, "#size-cells"), 0);
	cpu = fdt_first_subnode(fdt, cpus);
	assert_string_equal(fdt_get_name(fdt, cpu, NULL), "cpu@5");
	assert_int_equal(prop_u32(fdt, cpu, "reg"), 5);
	assert_string_equal(prop(fdt, cpu, "device_type", NULL), "cpu");
	assert_string_equal(prop(fdt, cpu, "compatible", NULL), "loongson,la464");
	cpu = fdt_next_subnode(fdt, cpu);
	assert_string_equal(fdt_get_name(fdt, cpu, NULL), "cpu@1");
	assert_int_equal(prop_u32(fdt, cpu, "reg"), 1);
	assert_true(fdt_next_subnode(fdt, cpu) < 0);

	intc = fdt_path_offset(fdt, "/interrupt-controller");
	assert_string_equal(prop(fdt, intc, "compatible", NULL),
			    "loongson,cpu-interrupt-controller");
	assert_int_equal(prop_u32(fdt, intc, "#interrupt-cells"), 1);
	assert_non_null(prop(fdt, intc, "interrupt-controller", NULL));
	phandle = prop_u32(fdt, intc, "phandle");
	assert_int_equal(prop_u32(fdt, 0, "interrupt-parent"), phandle);

	uart = fdt_path_offset(fdt, "/uart@1fe001e0");
	assert_int_equal(prop_u32(fdt, uart, "interrupts"), 2); /* HWI0 is ESTAT.IS 2 */
	assert_string_equal(prop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL),
			    "/uart@1fe001e0");

	off = fdt_path_offset(fdt, "/syscon-poweroff");
	assert_string_equal(prop(fdt, off, "compatible", NULL), "syscon-poweroff");
	assert_int_equal(prop_u32(fdt, off, "regmap"),
			 prop_u32(fdt, fdt_path_offset(fdt, "/poweroff@100e001c"), "phandle"));
	assert_int_equal(prop_u32(fdt, off, "value"), VPOWEROFF_VALUE);
}

/* Device line n is HWIn: CPU controller line 2 + n, virq line n, lines 0..7 only (the core
 * refuses a line above max_irq_line). */
static void test_interrupt_lines(void **state)
{
	(void)state;
	uint32_t cells[4] = { 0 };

	assert_int_equal(arch_vm_desc.fdt_irq(7, cells), 1);
	assert_int_equal(cells[0], 9);
	assert_int_equal(arch_vm_desc.irq_line(7), 7);
	assert_int_equal(arch_vm_desc.max_irq_line, 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_kernel_header, setup),
		cmocka_unit_test_setup(test_kernel_header_refused, setup),
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_boot_information, setup),
		cmocka_unit_test_setup(test_command_line_limit, setup),
		cmocka_unit_test_setup(test_device_tree, setup),
		cmocka_unit_test_setup(test_interrupt_lines, setup),
	};

	return cmocka_run_group_tests_name("la_vm_desc", tests, NULL, NULL);
}
