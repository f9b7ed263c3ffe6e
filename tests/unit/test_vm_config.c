// SPDX-License-Identifier: MIT
/*
 * vm_config_check and vm_layout_compute on configurations written in C (what a description turns
 * into, and what vm_create checks again): the refusals a description cannot even express.
 */
#include "pv_test.h"

#include "desc_fixture.h"
#include "fake/fake_backend.h"

#include <devices/testdev.h>
#include <devices/vuart_pl011.h>
#include <irq/vdev_model.h>
#include <string.h>
#include <vm/vm_config.h>
#include <vm/vm_elf.h>
#include <vm/vm_layout.h>

static const uint8_t bytes[64] = { 1 };
static struct vm_config cfg;
static struct vm_err err;

static int setup(void **state)
{
	(void)state;
	fake_reset();
	cfg = (struct vm_config){
		.name = "c",
		.nvcpus = 1,
		.nmem = 1,
		.mem = { { gpa(DF_RAM), DF_RAM_SIZE } },
		.format = VM_BOOT_RAW,
		.nimages = 1,
		.images = { { .role = VM_IMAGE_KERNEL,
			      .node = "kernel",
			      .data = bytes,
			      .size = sizeof(bytes),
			      .has_load = true,
			      .load = gpa(DF_RAM) } },
		.ndevs = 1,
		.devs = { { .model = &testdev_model, .node = "td", .base = DF_TESTDEV } },
	};
	return 0;
}

static void expect(const char *msg)
{
	int rc = vm_config_check(&cfg, &err);

	if (!rc)
		rc = vm_layout_compute(&cfg, &(struct vm_layout){ 0 }, &err);
	if (rc != -PV_EINVAL || !strstr(err.msg, msg))
		fail_msg("expected \"%s\", got %d \"%s\"", msg, rc, err.msg);
}

static void test_ram(void **state)
{
	(void)state;
	struct vm_config good = cfg;

	assert_int_equal(vm_config_check(&cfg, &err), PV_OK);
	cfg.nmem = 0;
	expect("0 RAM regions (1 to 4 allowed)");
	cfg.nmem = 5;
	expect("5 RAM regions");
	cfg = good;
	cfg.mem[0].gpa = gpa(~0ULL & ~0xfffULL);
	expect("wraps");
	cfg = good;
	cfg.mem[0].gpa = gpa(FAKE_INTC_BASE);
	cfg.images[0].load = gpa(FAKE_INTC_BASE);
	expect("RAM region 0 overlaps the fake interrupt controller");
}

static void test_images(void **state)
{
	(void)state;
	struct vm_config good = cfg;

	cfg.nimages = VM_MAX_IMAGES + 1;
	expect("7 images (at most 6)");
	cfg = good;
	cfg.images[0].size = 0;
	expect("image 'kernel' is empty");
	cfg = good;
	cfg.images[0].data = NULL;
	expect("image 'kernel' has no bytes");
	cfg = good;
	cfg.images[0].firmware = true;
	cfg.images[0].host_addr = hpa(~0ULL - 8);
	expect("wraps around host memory");
	cfg = good;
	cfg.nimages = 2;
	cfg.images[1] = cfg.images[0];
	cfg.images[1].node = "kernel2";
	expect("two images of one kind: 'kernel', 'kernel2'");
	cfg.images[1].role = VM_IMAGE_BLOB;
	cfg.images[0].firmware = cfg.images[1].firmware = true;
	cfg.images[0].host_addr = hpa(0x48000000);
	cfg.images[1].host_addr = hpa(0x48000010);
	expect("images 'kernel' and 'kernel2' overlap in host memory");
	cfg = good;
	cfg.images[0].role = VM_IMAGE_BLOB;
	expect("a VM needs one kernel image, it has 0");
}

static void test_devices(void **state)
{
	(void)state;
	struct vm_config good = cfg;

	cfg.ndevs = VM_MAX_DEV_CONFIGS + 1;
	expect("9 devices (at most 8)");
	cfg = good;
	cfg.devs[0].node = "";
	expect("device 0 has no name");
	cfg = good;
	cfg.devs[0].base = ~0ULL - 0x10;
	expect("device td wraps around");
	cfg = good;
	cfg.devs[0].space = VDEV_SPACE_COUNT;
	expect("cannot sit in that address space");
	cfg = good;
	cfg.ndevs = 2;
	cfg.devs[0] = (struct vm_dev_config){ .model = &vuart_pl011_model,
					      .node = "u0",
					      .base = DF_UART,
					      .has_irq = true,
					      .irq = 3 };
	cfg.devs[1] = cfg.devs[0];
	cfg.devs[1].node = "u1";
	cfg.devs[1].base = DF_UART + 0x1000;
	expect("devices u0 and u1 share interrupt line 3");
	cfg.devs[1].node = "u0";
	expect("two devices are named u0");
	/* A register stride no model allows never reaches a shift (undefined beyond 63). */
	cfg = good;
	cfg.devs[0].reg_shift = 200;
	expect("reg-shift 200 (at most 0)");
	assert_int_equal(vdev_model_window(&cfg.devs[0]), 0);
}

static void test_layout(void **state)
{
	(void)state;
	static uint8_t fdt_bytes[0x3000] = { 0xd0 };
	struct vm_layout l;

	/* The VM's own device tree goes high when it has no address, passed as the argument. */
	cfg.nimages = 2;
	cfg.images[1] = (struct vm_image_config){
		.role = VM_IMAGE_DTB, .node = "dtb", .data = fdt_bytes, .size = sizeof(fdt_bytes)
	};
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	assert_true(l.has_fdt);
	assert_false(l.fdt_generated);
	assert_int_equal(l.fdt.raw, DF_RAM + DF_RAM_SIZE - 0x3000);
	assert_int_equal(l.boot_arg, l.fdt.raw);
	/* A device tree never crosses a 2 MiB boundary: RAM ending 4 KiB past one puts it below. */
	cfg.mem[0] = (struct vm_mem_config){ gpa(0x40000000), 0x201000 };
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), PV_OK);
	assert_int_equal(l.fdt.raw, 0x40200000 - 0x3000);
	/* An ELF whose segments lie in two RAM regions is refused (its span is one image). */
	cfg = (struct vm_config){ .name = "e",
				  .nvcpus = 1,
				  .nmem = 2,
				  .format = VM_BOOT_ELF,
				  .mem = { { gpa(0x40000000), 0x10000 },
					   { gpa(0x50000000), 0x10000 } } };
	assert_int_equal(vm_config_in_ram(&cfg, 0x40000000, 0x10000), true);
	assert_int_equal(vm_config_in_ram(&cfg, 0x40000000, 0x10001), false);
	assert_int_equal(vm_layout_compute(&cfg, &l, &err), -PV_EINVAL);
	assert_non_null(strstr(err.msg, "no kernel image"));
}

static void test_elf_limits(void **state)
{
	(void)state;
	static uint8_t f[64 + 56 * 20];
	struct vm_elf elf;
	char why[96];

	memset(f, 0, sizeof(f));
	memcpy(f, "\177ELF\2\1\1", 7);
	f[16] = 2;
	f[18] = 0x7e;
	f[19] = 0x7e;
	f[32] = 64;
	f[54] = 56;
	f[56] = 20;
	/* No loadable segment. */
	assert_int_equal(vm_elf_read(f, sizeof(f), FAKE_ELF_MACHINE, &elf, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "no loadable segment"));
	/* More loadable segments than the loader keeps. */
	for (int i = 0; i < 20; i++) {
		f[64 + 56 * i] = 1;
		f[64 + 56 * i + 40] = 1; /* memsz 1 */
	}
	assert_int_equal(vm_elf_read(f, sizeof(f), FAKE_ELF_MACHINE, &elf, why, sizeof(why)),
			 -PV_EINVAL);
	assert_non_null(strstr(why, "more than 16 loadable segments"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ram, setup),
		cmocka_unit_test_setup(test_images, setup),
		cmocka_unit_test_setup(test_devices, setup),
		cmocka_unit_test_setup(test_layout, setup),
		cmocka_unit_test_setup(test_elf_limits, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
