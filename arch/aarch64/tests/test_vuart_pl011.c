// SPDX-License-Identifier: MIT
/* The emulated PL011 on the fake backend's VM. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vuart_pl011.h>
#include <vm/vm.h>

#define BASE 0x09000000ULL

static struct vm vm;
static struct vdev *d;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vuart_pl011_model,
						     .node = "dev",
						     .space = VDEV_SPACE_MMIO,
						     .base = BASE,
						     .reg_shift = 0 };
	fix_vm_start(&vm);
	d = vdev_find(&vm, VDEV_SPACE_MMIO, BASE, 4);
	assert_non_null(d);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static uint64_t rd(uint64_t off, unsigned width)
{
	uint64_t v = 0xdead;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], off, width, &v), PV_OK);
	return v;
}

static void wr(uint64_t off, unsigned width, uint64_t v)
{
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], off, width, v), PV_OK);
}

static void test_transmit_goes_to_the_vm_console(void **state)
{
	(void)state;
	for (const char *s = "pl011 ok\n"; *s; s++) {
		assert_false(rd(0x18, 4) & 0x20); /* TXFF never set */
		wr(0x00, 4, (uint8_t)*s);
	}
	assert_true(fake_log_contains("[vm0] pl011 ok\n"));
	wr(0x00, 1, 'b'); /* byte access to DR */
	wr(0x00, 4, '\n');
	assert_true(fake_log_contains("[vm0] b\n"));
}

static void test_registers_and_ids(void **state)
{
	(void)state;
	assert_int_equal(rd(0x18, 4), 0x90);  /* TXFE | RXFE */
	assert_int_equal(rd(0x30, 4), 0x300); /* CR reset: TXE, RXE */
	assert_int_equal(rd(0x34, 4), 0x12);  /* IFLS reset */
	wr(0x24, 4, 0x27);
	wr(0x28, 4, 0xff);
	wr(0x2c, 4, 0x70);
	wr(0x30, 4, 0x301);
	wr(0x38, 4, 0x50);
	assert_int_equal(rd(0x24, 4), 0x27);
	assert_int_equal(rd(0x28, 4), 0x3f); /* FBRD is 6 bits */
	assert_int_equal(rd(0x2c, 4), 0x70);
	assert_int_equal(rd(0x30, 4), 0x301);
	assert_int_equal(rd(0x30, 2), 0x301);
	assert_int_equal(rd(0x31, 1), 0x03);
	assert_int_equal(rd(0x38, 4), 0x50);
	assert_int_equal(rd(0x40, 4), 0); /* no interrupt is ever raised */
	assert_int_equal(rd(0x00, 4), 0); /* nothing received */
	assert_int_equal(rd(0xfe0, 4), 0x11);
	assert_int_equal(rd(0xfe4, 4), 0x10);
	assert_int_equal(rd(0xff0, 4), 0x0d);
	assert_int_equal(rd(0xffc, 4), 0xb1);
}

static void test_bad_accesses_refused(void **state)
{
	uint64_t v;
	(void)state;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], 0x18, 8, &v), -PV_EFAULT);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], 0x19, 2, &v), -PV_EFAULT);
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], 0x24, 8, 1), -PV_EFAULT);
	/* Only MMIO makes sense for a PL011. */
	struct vm_dev_config pio = {
		.model = &vuart_pl011_model, .node = "dev", .space = VDEV_SPACE_PIO, .base = 0x3f8
	};
	assert_int_equal(vuart_pl011_create(&vm, &pio), -PV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_transmit_goes_to_the_vm_console, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_registers_and_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_accesses_refused, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
