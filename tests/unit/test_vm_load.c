// SPDX-License-Identifier: MIT
/* Loading VMs from descriptions (vm/vm_layout.c, vm/vm_elf.c, vm/vm_load.c) on the fake backend. */
#include "pv_test.h"

#include "desc_fixture.h"
#include "vm_fixture.h"

#include <libfdt.h>
#include <string.h>
#include <vm/vm_elf.h>

static struct vm vm;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	df_base();
	return 0;
}

static void start(void)
{
	assert_int_equal(df_parse("/vm0"), PV_OK);
	if (vm_create(&vm, 0, &df_cfg, &fix_pool) != PV_OK)
		fail_msg("vm_create: %s", fake_hw.log);
	if (vm_load(&vm) != PV_OK)
		fail_msg("vm_load: %s", fake_hw.log);
}

static void expect_guest(uint64_t gpa_raw, const void *bytes, size_t len)
{
	uint8_t buf[256];

	assert_true(len <= sizeof(buf));
	assert_int_equal(vm_read_guest(&vm, gpa(gpa_raw), buf, len), PV_OK);
	assert_memory_equal(buf, bytes, len);
}

static void test_linux_kernel_initrd_and_device_tree(void **state)
{
	(void)state;
	static const uint8_t kernel[64] = "FAKEKERN\x00\x10\x00\x00\x00\x00\x02\x00kernel-body";
	static uint8_t initrd[70000];
	uint8_t tree[VM_FDT_MAX];
	const struct vm_layout *l = &vm.layout;
	fdt64_t start_cell;
	int chosen;

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 7);
	df_add_file("Image", kernel, sizeof(kernel));
	df_add_file("initrd", initrd, sizeof(initrd));
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_str("/vm0/kernel", "file", "Image");
	df_del("/vm0/kernel", "load-address");
	df_set_str("/vm0/kernel", "bootargs", "root=/dev/ram");
	df_set_str("/vm0/initrd", "file", "initrd");
	start();

	/* The kernel at the 64 KiB-aligned RAM base plus its text offset, entered there. */
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->pc, DF_RAM + 0x1000);
	expect_guest(DF_RAM + 0x1000, kernel, sizeof(kernel));
	/* Device tree and initrd at the top of RAM, above the kernel's whole footprint. */
	assert_true(l->has_fdt && l->fdt_generated && l->has_initrd);
	assert_int_equal(l->fdt.raw, DF_RAM + DF_RAM_SIZE - VM_FDT_MAX);
	assert_true(l->initrd.raw + sizeof(initrd) <= l->fdt.raw);
	assert_true(l->initrd.raw >= DF_RAM + 0x1000 + 0x20000);
	expect_guest(l->initrd.raw, initrd, 256);
	expect_guest(l->initrd.raw + sizeof(initrd) - 100, initrd + sizeof(initrd) - 100, 100);
	/* The boot argument is the device tree, which says where the initrd is; this kernel takes
	 * no other boot information. */
	assert_false(l->has_boot_info);
	assert_int_equal(l->nboot_args, 1);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->regs[0], l->fdt.raw);
	assert_int_equal(vm_read_guest(&vm, l->fdt, tree, sizeof(tree)), PV_OK);
	assert_int_equal(fdt_check_header(tree), 0);
	chosen = fdt_path_offset(tree, "/chosen");
	assert_true(chosen >= 0);
	assert_string_equal(fdt_getprop(tree, chosen, "bootargs", NULL), "root=/dev/ram");
	memcpy(&start_cell, fdt_getprop(tree, chosen, "linux,initrd-start", NULL), 8);
	assert_int_equal(fdt64_to_cpu(start_cell), l->initrd.raw);
	assert_true(fake_log_contains("vm vm0: kernel at 0x40001000, device tree at 0x400f0000, "
				      "initrd at 0x"));
	assert_true(fake_log_contains("loaded 70064 bytes"));
	vm_destroy(&vm);
}

/* A kernel whose boot protocol takes boot information (arch_vm_desc.linux_info; on the fake a
 * "FAKEKRNI" header): entered at its header's entry offset, the block written where the backend
 * says with the device tree's address and the command line, the boot vCPU's three arguments set. */
static void test_linux_boot_information(void **state)
{
	(void)state;
	/* Text offset 0x10000, footprint 0x20000, entry 0x20 into the image. */
	static const uint8_t kernel[64] =
		"FAKEKRNI\x00\x00\x01\x00\x00\x00\x02\x00\x20\x00\x00\x00kernel-body";
	const struct vm_layout *l = &vm.layout;
	const struct fake_vcpu *boot;
	uint8_t info[64];
	uint64_t fdt_at;

	df_add_file("Image", kernel, sizeof(kernel));
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_str("/vm0/kernel", "file", "Image");
	df_del("/vm0/kernel", "load-address");
	df_set_str("/vm0/kernel", "bootargs", "console=fake0");
	start();

	boot = fake_vcpu(&vm.vcpus[0]);
	assert_int_equal(boot->pc, DF_RAM + 0x10000 + 0x20);
	assert_true(l->has_boot_info);
	assert_int_equal(l->boot_info.raw, DF_RAM + FAKE_INFO_OFFSET);
	assert_int_equal(l->nboot_args, 3);
	assert_int_equal(boot->regs[0], FAKE_INFO_ARG0);
	assert_int_equal(boot->regs[1], DF_RAM + FAKE_INFO_OFFSET + 16);
	assert_int_equal(boot->regs[2], DF_RAM + FAKE_INFO_OFFSET);
	assert_int_equal(vm_read_guest(&vm, l->boot_info, info, sizeof(info)), PV_OK);
	assert_memory_equal(info, "FAKEINFO", 8);
	memcpy(&fdt_at, info + 8, sizeof(fdt_at));
	assert_int_equal(fdt_at, l->fdt.raw);
	assert_string_equal((const char *)info + 16, "console=fake0");
	assert_true(fake_log_contains("vm vm0: kernel at 0x40010000, boot information at "
				      "0x40008000, device tree at 0x400f0000; entry 0x40010020"));
	vm_destroy(&vm);
}

/* What the backend refuses in its boot information stops the build, and the block cannot overlap
 * an image. */
static void test_linux_boot_information_refused(void **state)
{
	(void)state;
	static const uint8_t kernel[64] =
		"FAKEKRNI\x00\x00\x01\x00\x00\x00\x02\x00\x20\x00\x00\x00kernel-body";
	static const uint8_t low[64] =
		"FAKEKRNI\x00\x10\x00\x00\x00\x00\x02\x00\x20\x00\x00\x00kernel-body";
	static char longline[FAKE_INFO_SIZE];

	memset(longline, 'x', sizeof(longline) - 1);
	df_add_file("Image", kernel, sizeof(kernel));
	df_add_file("Low", low, sizeof(low));
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_str("/vm0/kernel", "file", "Image");
	df_del("/vm0/kernel", "load-address");
	df_set_str("/vm0/kernel", "bootargs", longline);
	df_expect_error("/vm0", "/vm0", "boot information: command line too long for the fake");
	df_set_str("/vm0/kernel", "bootargs", "ok");
	df_set_str("/vm0/kernel", "file", "Low");
	df_expect_error("/vm0", "/vm0", "boot information (at 0x40008000) overlaps kernel");
}

static void test_linux_load_address_must_keep_alignment(void **state)
{
	(void)state;
	static const uint8_t kernel[64] = "FAKEKERN\x00\x10\x00\x00\x00\x00\x01\x00";

	df_add_file("Image", kernel, sizeof(kernel));
	df_set_str("/vm0/kernel", "format", "linux");
	df_set_str("/vm0/kernel", "file", "Image");
	df_set_u64s("/vm0/kernel", "load-address", (const uint64_t[]){ DF_RAM + 0x11000 }, 1);
	assert_int_equal(df_parse("/vm0"), PV_OK);
	df_set_u64s("/vm0/kernel", "load-address", (const uint64_t[]){ DF_RAM + 0x2000 }, 1);
	df_expect_error("/vm0", "/vm0", "is not 0x10000-aligned plus its text offset 0x1000");
}

/* A little-endian ELF64 executable for the fake backend: two loadable segments (the first with
 * zero-filled memory after its bytes) and a note, which is not loaded. */
static size_t make_elf(uint8_t *f, uint16_t machine)
{
	static const uint8_t seg0[16] = "segment-zero-16b", seg1[8] = "seg-one!";
	const struct {
		uint32_t type;
		uint64_t offset, paddr, filesz, memsz;
	} ph[3] = {
		{ 1, 0x200, DF_RAM + 0x10000, 16, 32 },
		{ 4, 0x200, 0, 16, 16 },
		{ 1, 0x210, DF_RAM + 0x20000, 8, 8 },
	};

	memset(f, 0, 0x300);
	memcpy(f, "\177ELF\2\1\1", 7);
	f[16] = 2; /* ET_EXEC */
	memcpy(f + 18, &machine, 2);
	*(uint64_t *)(void *)(f + 24) = DF_RAM + 0x10004; /* e_entry */
	*(uint64_t *)(void *)(f + 32) = 64;		  /* e_phoff */
	f[54] = 56;					  /* e_phentsize */
	f[56] = 3;					  /* e_phnum */
	for (int i = 0; i < 3; i++) {
		uint8_t *p = f + 64 + 56 * i;
		memcpy(p, &ph[i].type, 4);
		memcpy(p + 8, &ph[i].offset, 8);
		memcpy(p + 24, &ph[i].paddr, 8);
		memcpy(p + 32, &ph[i].filesz, 8);
		memcpy(p + 40, &ph[i].memsz, 8);
	}
	memcpy(f + 0x200, seg0, 16);
	memcpy(f + 0x210, seg1, 8);
	return 0x300;
}

static void test_elf_segments(void **state)
{
	(void)state;
	static uint8_t elf[0x300];
	static const uint8_t zeros[16] = { 0 };
	size_t size = make_elf(elf, FAKE_ELF_MACHINE);

	df_add_file("app.elf", elf, size);
	df_set_str("/vm0/kernel", "format", "elf");
	df_set_str("/vm0/kernel", "file", "app.elf");
	df_del("/vm0/kernel", "load-address");
	start();
	expect_guest(DF_RAM + 0x10000, elf + 0x200, 16);
	expect_guest(DF_RAM + 0x10010, zeros, 16);
	expect_guest(DF_RAM + 0x20000, elf + 0x210, 8);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->pc, DF_RAM + 0x10004);
	assert_int_equal(fake_vcpu(&vm.vcpus[0])->regs[0], vm.layout.fdt.raw);
	vm_destroy(&vm);
}

static void test_bad_elf_files(void **state)
{
	(void)state;
	static uint8_t elf[0x300];
	struct vm_elf parsed;
	char why[96];
	size_t size = make_elf(elf, FAKE_ELF_MACHINE);

	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)), 0);
	assert_int_equal(parsed.nseg, 2);
	assert_int_equal(vm_elf_read(elf, size, 183, &parsed, why, sizeof(why)), -PV_EINVAL);
	assert_non_null(strstr(why, "not an executable for this architecture"));
	assert_int_equal(vm_elf_read(elf, 40, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	elf[4] = 1; /* 32-bit */
	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	make_elf(elf, FAKE_ELF_MACHINE);
	elf[56] = 200; /* more program headers than the file holds */
	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "program headers lie outside"));
	make_elf(elf, FAKE_ELF_MACHINE);
	*(uint64_t *)(void *)(elf + 64 + 8) = 0x2f8; /* segment bytes run past the end */
	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	make_elf(elf, FAKE_ELF_MACHINE);
	*(uint64_t *)(void *)(elf + 64 + 32) = 64; /* filesz > memsz */
	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	make_elf(elf, FAKE_ELF_MACHINE);
	*(uint64_t *)(void *)(elf + 64 + 24) = ~0ULL - 8; /* wraps */
	assert_int_equal(vm_elf_read(elf, size, FAKE_ELF_MACHINE, &parsed, why, sizeof(why)),
			 -PV_EINVAL);
	/* A segment outside guest RAM is the description's error, found before anything is made. */
	make_elf(elf, FAKE_ELF_MACHINE);
	*(uint64_t *)(void *)(elf + 64 + 24) = 0x1000;
	df_add_file("app.elf", elf, size);
	df_set_str("/vm0/kernel", "format", "elf");
	df_set_str("/vm0/kernel", "file", "app.elf");
	df_expect_error("/vm0", "/vm0", "ELF segment at 0x1000 (0x20 bytes) is outside guest RAM");
}

static void test_no_room_for_the_device_tree(void **state)
{
	(void)state;
	static uint8_t filler[DF_RAM_SIZE - 0x1000];

	df_add_file("filler", filler, sizeof(filler));
	df_set_str("/vm0/kernel", "file", "filler");
	df_expect_error("/vm0", "/vm0", "no room for the generated device tree");
}

/* dtb { load-address }: the generated device tree goes there (U-Boot for QEMU looks for it at
 * the start of RAM). */
static void test_generated_device_tree_at_a_given_address(void **state)
{
	(void)state;
	const uint64_t at[] = { DF_RAM + 0x80000 };
	const fdt32_t magic = cpu_to_fdt32(FDT_MAGIC);

	df_set_u64s("/vm0/dtb", "load-address", at, 1);
	start();
	assert_int_equal(vm.layout.fdt.raw, DF_RAM + 0x80000);
	assert_int_equal(vm.layout.boot_arg, DF_RAM + 0x80000);
	expect_guest(DF_RAM + 0x80000, &magic, sizeof(magic));
	vm_destroy(&vm);
	/* It must not overlap the images, and the node takes nothing else. */
	const uint64_t on_kernel[] = { DF_RAM + 0x1000 };
	df_set_u64s("/vm0/dtb", "load-address", on_kernel, 1);
	df_expect_error("/vm0", "/vm0", "generated device tree (at 0x40001000) overlaps kernel");
	df_set_u64s("/vm0/dtb", "load-address", at, 1);
	df_set_str("/vm0/dtb", "bootargs", "x");
	df_expect_error("/vm0", "/vm0/dtb", "unknown property 'bootargs'");
	df_del("/vm0/dtb", "bootargs");
	df_del("/vm0/dtb", "load-address");
	df_expect_error("/vm0", "/vm0/dtb", "or the 'load-address' of the generated one");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_linux_kernel_initrd_and_device_tree, setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_linux_boot_information, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_linux_boot_information_refused, setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_linux_load_address_must_keep_alignment, setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_elf_segments, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_bad_elf_files, setup, fix_teardown),
		cmocka_unit_test_setup_teardown(test_no_room_for_the_device_tree, setup,
						fix_teardown),
		cmocka_unit_test_setup_teardown(test_generated_device_tree_at_a_given_address,
						setup, fix_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
