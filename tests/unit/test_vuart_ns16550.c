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
						     .reg_shift = 0,
						     .has_irq = true,
						     .irq = 10 };
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
	assert_int_equal(get(d, 2) & 0x0f, 0x02); /* THR empty, just enabled */
	assert_int_equal(get(d, 2) & 0x0f, 0x01); /* cleared by that read */
	assert_int_equal(get(d, 0), 0);		  /* nothing received */
}

/* The line of the description's interrupt 10, as the fake controller numbers it (+100). */
static bool line(void)
{
	return fake_hw.line[110];
}

/* The 16550's THR-empty interrupt as Linux's 8250 driver uses it: IIR reports it while it is
 * raised and enabled, reading IIR then clears it, every transmitted byte raises it again, and
 * the line to the interrupt controller follows IIR. Without it the driver sends 16 bytes and
 * waits for an interrupt that never comes. */
static void test_thr_empty_interrupt(void **state)
{
	(void)state;
	struct vdev *d = uart(VDEV_SPACE_MMIO, 0x10000000);
	unsigned calls;

	assert_false(line());
	assert_int_equal(get(d, 2), 0x01); /* no FIFO, no interrupt */
	put(d, 2, 0x01);		   /* FCR: FIFOs on */
	assert_int_equal(get(d, 2), 0xc1);
	/* Enabling it while THR is empty raises it. */
	put(d, 1, 0x02);
	assert_true(line());
	assert_int_equal(get(d, 2), 0xc2);
	assert_false(line());
	assert_int_equal(get(d, 2), 0xc1);
	/* A byte leaves at once: THR empty again. */
	put(d, 0, 'a');
	assert_true(line());
	assert_true(get(d, 5) & 0x60);
	/* Masking it drops the line; unmasking while THR is empty raises it again (the driver's
	 * test for UARTs that do not re-assert THRE). */
	put(d, 1, 0x00);
	assert_false(line());
	assert_int_equal(get(d, 2), 0xc1);
	put(d, 1, 0x02);
	assert_true(line());
	/* Re-writing the same enable does not raise it twice; the controller hears changes only. */
	assert_int_equal(get(d, 2), 0xc2);
	calls = fake_hw.line_calls;
	put(d, 1, 0x02);
	assert_false(line());
	assert_int_equal(fake_hw.line_calls, calls);
	/* The divisor latch hides THR: no byte, no interrupt. */
	put(d, 3, 0x83);
	put(d, 0, 0x01);
	assert_false(line());
	put(d, 3, 0x03);
	/* FIFOs off: IIR's FIFO bits clear. */
	put(d, 2, 0x00);
	put(d, 0, '\n');
	assert_int_equal(get(d, 2), 0x02);
	assert_true(fake_log_contains("[vm0] a\n"));
}

/* A UART the description gives no interrupt never drives a line. */
static void test_no_line_without_interrupt(void **state)
{
	(void)state;
	struct vdev *p = uart(VDEV_SPACE_PIO, 0x3f8);

	put(p, 1, 0x02);
	assert_int_equal(get(p, 2), 0x02);
	put(p, 0, 'x');
	assert_int_equal(fake_hw.line_calls, 0);
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
		T(test_transmit_goes_to_the_vm_console),
		T(test_divisor_latch_and_registers),
		T(test_strided_registers),
		T(test_byte_registers_refuse_wide_access),
		T(test_thr_empty_interrupt),
		T(test_no_line_without_interrupt),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
