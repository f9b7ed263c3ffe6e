// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vuart_ns16550.h>

static struct vm vm;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 2;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
						     .node = "dev",
						     .space = VDEV_SPACE_MMIO,
						     .base = 0x10000000,
						     .reg_shift = 0 };
	fix_config.devs[1] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
						     .node = "com1",
						     .space = VDEV_SPACE_PIO,
						     .base = 0x3f8,
						     .reg_shift = 0 };
	fix_vm_start(&vm);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static struct vdev *uart(enum vdev_space space, uint64_t addr)
{
	struct vdev *d = vdev_find(&vm, space, addr, 1);
	assert_non_null(d);
	return d;
}

static void put(struct vdev *d, unsigned reg, uint8_t v)
{
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], reg, 1, v), PV_OK);
}

static uint64_t get(struct vdev *d, unsigned reg)
{
	uint64_t v = 0xdead;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], reg, 1, &v), PV_OK);
	return v;
}

static void test_transmit_goes_to_the_vm_console(void **state)
{
	(void)state;
	struct vdev *d = uart(VDEV_SPACE_MMIO, 0x10000000);
	for (const char *s = "boot ok\n"; *s; s++) {
		assert_true(get(d, 5) & 0x20); /* THRE: always ready */
		put(d, 0, (uint8_t)*s);
	}
	assert_true(fake_log_contains("[vm0] boot ok\n"));
	/* The port-I/O instance feeds the same console. */
	struct vdev *p = uart(VDEV_SPACE_PIO, 0x3f8);
	put(p, 0, 'x');
	put(p, 0, '\n');
	assert_true(fake_log_contains("[vm0] x\n"));
}

static void test_divisor_latch_and_registers(void **state)
{
	(void)state;
	struct vdev *d = uart(VDEV_SPACE_MMIO, 0x10000000);
	size_t before;
	put(d, 3, 0x83); /* DLAB + 8N1 */
	put(d, 0, 0x01); /* DLL, not a character */
	put(d, 1, 0x02); /* DLM */
	assert_int_equal(get(d, 0), 0x01);
	assert_int_equal(get(d, 1), 0x02);
	before = fake_hw.log_len;
	put(d, 3, 0x03);
	assert_int_equal(fake_hw.log_len, before); /* nothing was printed */
	put(d, 1, 0xff);
	assert_int_equal(get(d, 1), 0x0f); /* IER keeps its defined bits */
	assert_int_equal(get(d, 3), 0x03);
	put(d, 7, 0x5a);
	assert_int_equal(get(d, 7), 0x5a);
	assert_int_equal(get(d, 0), 0); /* nothing received */
}

/* The transmitter-empty interrupt, as a driver polling IIR sees it: identified once after
 * IER enables it and once after each character sent, cleared by reading IIR; never while
 * disabled. */
static void test_thre_interrupt_identification(void **state)
{
	(void)state;
	struct vdev *d = uart(VDEV_SPACE_PIO, 0x3f8);

	assert_int_equal(get(d, 2), 0xc1); /* nothing pending */
	put(d, 1, 0x02);		   /* IER: THRI */
	assert_int_equal(get(d, 2), 0xc2);
	assert_int_equal(get(d, 2), 0xc1); /* acknowledged by the read */
	put(d, 0, 'a');
	assert_int_equal(get(d, 2), 0xc2);
	assert_int_equal(get(d, 2), 0xc1);
	put(d, 0, 'b');
	put(d, 1, 0x01); /* THRI off: not identified */
	assert_int_equal(get(d, 2), 0xc1);
	put(d, 0, 'c');
	assert_int_equal(get(d, 2), 0xc1);
	put(d, 1, 0x03); /* on again with the transmitter idle: raised */
	assert_int_equal(get(d, 2), 0xc2);
}

static void test_strided_registers(void **state)
{
	(void)state;
	struct vm vm2;
	struct vdev *d;
	uint64_t v;
	fix_config.name = "vm2";
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vuart_ns16550_model,
						     .node = "dev",
						     .space = VDEV_SPACE_MMIO,
						     .base = 0x1000,
						     .reg_shift = 2 };
	assert_int_equal(vm_create(&vm2, 1, &fix_config, &fix_pool), PV_OK);
	d = vdev_find(&vm2, VDEV_SPACE_MMIO, 0x1000 + 5 * 4, 4);
	assert_non_null(d);
	assert_int_equal(d->size, 32);
	assert_int_equal(d->ops->read(d, &vm2.vcpus[0], 5 * 4, 4, &v), PV_OK);
	assert_true(v & 0x20);
	assert_int_equal(d->ops->read(d, &vm2.vcpus[0], 5 * 4 + 1, 1, &v), -PV_EFAULT);
	assert_int_equal(d->ops->write(d, &vm2.vcpus[0], 0, 8, 'a'), -PV_EFAULT);
	assert_int_equal(d->ops->write(d, &vm2.vcpus[0], 0, 4, 'a'), PV_OK);
	assert_int_equal(d->ops->write(d, &vm2.vcpus[0], 0, 1, '\n'), PV_OK);
	assert_true(fake_log_contains("[vm2] a\n"));
	vm_destroy(&vm2);
}

static void test_byte_registers_refuse_wide_access(void **state)
{
	(void)state;
	struct vdev *d = uart(VDEV_SPACE_MMIO, 0x10000000);
	uint64_t v;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], 5, 4, &v), -PV_EFAULT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_transmit_goes_to_the_vm_console),   T(test_divisor_latch_and_registers),
		T(test_thre_interrupt_identification),	   T(test_strided_registers),
		T(test_byte_registers_refuse_wide_access),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
