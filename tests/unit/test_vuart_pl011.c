// SPDX-License-Identifier: MIT
/* The emulated PL011: every register, the receive FIFO, the interrupts and the line. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vuart_pl011.h>
#include <string.h>
#include <vm/console.h>

enum {
	DR = 0x000,
	RSR = 0x004,
	FR = 0x018,
	ILPR = 0x020,
	IBRD = 0x024,
	FBRD = 0x028,
	LCR_H = 0x02c,
	CR = 0x030,
	IFLS = 0x034,
	IMSC = 0x038,
	RIS = 0x03c,
	MIS = 0x040,
	ICR = 0x044,
	DMACR = 0x048,
};

#define BASE 0x09000000ULL
#define LINE 101u /* the fake backend's set_line number of description line 1 */
#define FEN  0x10u

static struct vm vm;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.ndevs = 1;
	fix_config.devs[0] = (struct vm_dev_config){ .model = &vuart_pl011_model,
						     .node = "uart",
						     .space = VDEV_SPACE_MMIO,
						     .base = BASE,
						     .has_irq = true,
						     .irq = 1 };
	fix_vm_start(&vm);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static struct vdev *dev(void)
{
	struct vdev *d = vdev_find(&vm, VDEV_SPACE_MMIO, BASE, 4);
	assert_non_null(d);
	return d;
}

static void put(unsigned reg, uint32_t v)
{
	struct vdev *d = dev();
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], reg, 4, v), PV_OK);
}

static uint32_t get(unsigned reg)
{
	struct vdev *d = dev();
	uint64_t v = 0xdeadbeef;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], reg, 4, &v), PV_OK);
	return (uint32_t)v;
}

static void type(const char *s)
{
	vm_console_input(&vm, (const uint8_t *)s, strlen(s));
}

static void test_reset_values_and_identification(void **state)
{
	(void)state;
	static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
	assert_int_equal(get(CR), 0x300);
	assert_int_equal(get(IFLS), 0x12);
	assert_int_equal(get(LCR_H), 0);
	assert_int_equal(get(IMSC), 0);
	assert_int_equal(get(RIS), 0);
	assert_int_equal(get(MIS), 0);
	assert_int_equal(get(FR), 0x90); /* TXFE, RXFE */
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(get(0xfe0 + 4 * i), id[i]);
	assert_int_equal(get(0x800), 0); /* reserved: zero */
}

static void test_configuration_registers_read_back(void **state)
{
	(void)state;
	put(ILPR, 0x1ab);
	assert_int_equal(get(ILPR), 0xab);
	put(IBRD, 0x1234);
	assert_int_equal(get(IBRD), 0x1234);
	put(FBRD, 0xff);
	assert_int_equal(get(FBRD), 0x3f);
	put(LCR_H, 0x1ff);
	assert_int_equal(get(LCR_H), 0xff);
	put(CR, 0xffff);
	assert_int_equal(get(CR), 0xff87);
	put(IFLS, 0xff);
	assert_int_equal(get(IFLS), 0x3f);
	put(IMSC, 0xffff);
	assert_int_equal(get(IMSC), 0x7ff);
	put(DMACR, 0xff);
	assert_int_equal(get(DMACR), 0x7);
	put(ICR, 0x7ff); /* write-only: reads zero */
	assert_int_equal(get(ICR), 0);
}

static void test_transmit_and_narrow_accesses(void **state)
{
	(void)state;
	struct vdev *d = dev();
	uint64_t v;

	for (const char *s = "hi\n"; *s; s++)
		assert_int_equal(d->ops->write(d, &vm.vcpus[0], DR, 1, (uint8_t)*s), PV_OK);
	assert_true(fake_log_contains("[vm0] hi\n"));
	/* A byte of another lane of DR transmits nothing. */
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], DR + 1, 1, 'x'), PV_OK);
	put(DR, '\n');
	assert_false(fake_log_contains("[vm0] x"));
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], FR, 2, &v), PV_OK);
	assert_int_equal(v, 0x90);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], 0xfe0 + 1, 1, &v), PV_OK);
	assert_int_equal(v, 0);
	/* Wider than a register, or misaligned: not decoded. */
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], FR, 8, &v), -PV_EFAULT);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], FR + 1, 2, &v), -PV_EFAULT);
}

static void test_receive_without_fifo_then_with(void **state)
{
	(void)state;
	/* FIFO off: one byte holds the receiver, the rest waits in the console. */
	type("ab");
	assert_int_equal(get(FR) & 0x50, 0x40); /* RXFF, not RXFE */
	assert_int_equal(get(DR), 'a');
	assert_int_equal(get(DR), 'b');
	assert_int_equal(get(FR) & 0x10, 0x10);
	assert_int_equal(get(DR), 0); /* an empty receiver reads zero */

	put(LCR_H, 0x70); /* 8 bits, FIFO on: 32 bytes */
	type("0123456789abcdefghijklmnopqrstuvwxyzAB");
	assert_int_equal(get(FR) & 0x40, 0x40); /* full */
	for (const char *s = "0123456789abcdefghijklmnopqrstuvwxyzAB"; *s; s++) {
		uint32_t v = get(DR);
		assert_int_equal(v & 0xff, (uint8_t)*s); /* refilled from the console, in order */
		assert_int_equal(v & 0x800, 0);		 /* no overrun */
	}
	assert_int_equal(get(FR) & 0x10, 0x10);
}

static void test_fifo_overflow_sets_overrun(void **state)
{
	(void)state;
	struct vuart_pl011 *u = dev()->priv;

	put(LCR_H, FEN);
	put(IMSC, PL011_INT_OE);
	for (unsigned i = 0; i < VUART_PL011_FIFO + 3; i++)
		vuart_pl011_receive(u, (uint8_t)('a' + i % 26));
	assert_int_equal(vm.console.dev_ops->rx(u, (const uint8_t *)"z", 1), 0); /* no room */
	assert_int_equal(get(RSR), 0x08);
	assert_true(get(RIS) & PL011_INT_OE);
	assert_int_equal(get(MIS), PL011_INT_OE);
	assert_true(fake_hw.line[LINE]);
	assert_int_equal(get(DR), 'a' | 0x800); /* the byte read carries the overrun flag */
	put(RSR, 0);				/* ECR: clears the error */
	assert_int_equal(get(RSR), 0);
	assert_int_equal(get(DR), 'b');
	put(ICR, PL011_INT_OE);
	assert_int_equal(get(MIS), 0);
	assert_false(fake_hw.line[LINE]);
	for (unsigned i = 2; i < VUART_PL011_FIFO; i++)
		assert_int_equal(get(DR), 'a' + i % 26);
	assert_int_equal(get(FR) & 0x10, 0x10);
}

static void test_receive_interrupts(void **state)
{
	(void)state;
	put(LCR_H, FEN);
	put(IFLS, 0x00); /* receive level 1/8: 4 bytes */
	put(IMSC, PL011_INT_RX | PL011_INT_RT);
	assert_false(fake_hw.line[LINE]);
	type("ab");
	/* Below the level: the timeout interrupt, at once. */
	assert_int_equal(get(MIS), PL011_INT_RT);
	assert_true(fake_hw.line[LINE]);
	type("cd");
	assert_int_equal(get(MIS), PL011_INT_RT | PL011_INT_RX);
	(void)get(DR);
	assert_int_equal(get(MIS), PL011_INT_RT); /* 3 left: below the level again */
	put(ICR, PL011_INT_RT);
	assert_int_equal(get(RIS), 0);
	assert_false(fake_hw.line[LINE]);
	for (int i = 0; i < 3; i++)
		(void)get(DR);
	type("e");
	assert_true(fake_hw.line[LINE]); /* new data: raised again */
	(void)get(DR);
	assert_int_equal(get(RIS), 0); /* an empty FIFO has nothing to time out on */
	assert_false(fake_hw.line[LINE]);
	/* Masked: raw status only. */
	put(IMSC, 0);
	type("f");
	assert_int_equal(get(RIS), PL011_INT_RT);
	assert_int_equal(get(MIS), 0);
	assert_false(fake_hw.line[LINE]);
	/* The other receive levels: 1/4, 1/2, 3/4, 7/8 of 32. */
	static const unsigned level[] = { 8, 16, 24, 28 };
	for (unsigned sel = 1; sel <= 4; sel++) {
		put(LCR_H, 0); /* emptied by switching the FIFO off and on */
		put(LCR_H, FEN);
		put(IFLS, sel << 3);
		for (unsigned i = 1; i < level[sel - 1]; i++)
			type("x");
		assert_int_equal(get(RIS) & PL011_INT_RX, 0);
		type("x");
		assert_int_equal(get(RIS) & PL011_INT_RX, PL011_INT_RX);
	}
}

static void test_transmit_interrupt(void **state)
{
	(void)state;
	put(IMSC, PL011_INT_TX);
	assert_false(fake_hw.line[LINE]);
	put(DR, 'x'); /* the byte left at once: room again */
	assert_int_equal(get(MIS), PL011_INT_TX);
	assert_true(fake_hw.line[LINE]);
	put(ICR, PL011_INT_TX);
	assert_int_equal(get(RIS), 0);
	assert_false(fake_hw.line[LINE]);
	put(DR, '\n');
	assert_true(fake_hw.line[LINE]);
	put(IMSC, 0); /* masking it drops the line */
	assert_false(fake_hw.line[LINE]);
	assert_int_equal(get(RIS), PL011_INT_TX);
}

static void test_polling_an_empty_receiver_shows_the_prompt(void **state)
{
	(void)state;
	for (const char *s = "=> "; *s; s++) {
		(void)get(FR);
		put(DR, (uint8_t)*s);
	}
	(void)get(FR);
	assert_false(fake_log_contains("=> "));
	(void)get(FR);
	assert_true(fake_log_contains("[vm0] => "));
	/* Once shown, what follows on that line (the echo of typing) goes out at once. */
	put(DR, 'v');
	assert_true(fake_log_contains("[vm0] => v"));
}

/* Typed input waits in the console's ring and moves in as the guest reads, in order, across the
 * ring's end. */
static void test_input_flows_through_the_console_ring(void **state)
{
	(void)state;
	char chunk[201];

	put(LCR_H, FEN);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 200; i++)
			chunk[i] = (char)('a' + (round * 200 + i) % 26);
		chunk[200] = '\0';
		type(chunk);
		for (int i = 0; i < 200; i++)
			assert_int_equal(get(DR), (uint8_t)chunk[i]);
		assert_int_equal(get(FR) & 0x10, 0x10);
	}
	/* A FIFO switched on with the ring's bytes on both sides of its end takes them in order:
	 * 600 bytes went through, so the ring starts at 88; one byte at a time moves it to 250. */
	put(LCR_H, 0);
	for (int i = 0; i < 200; i++)
		chunk[i] = (char)('A' + i % 26);
	type(chunk);
	for (int i = 0; i < 161; i++)
		assert_int_equal(get(DR), (uint8_t)chunk[i]);
	put(LCR_H, FEN); /* empties the 1-byte holding register (byte 161), as QEMU's PL011 does */
	for (int i = 162; i < 200; i++)
		assert_int_equal(get(DR), (uint8_t)chunk[i]);
	assert_int_equal(get(FR) & 0x10, 0x10);
	assert_false(fake_log_contains("dropped"));
}

static void test_bad_accesses_refused(void **state)
{
	(void)state;
	struct vdev *d = dev();
	uint64_t v;
	assert_int_equal(d->ops->write(d, &vm.vcpus[0], IBRD, 8, 1), -PV_EFAULT);
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], FR + 2, 4, &v), -PV_EFAULT);
	/* Only MMIO makes sense for a PL011. */
	struct vm_dev_config pio = {
		.model = &vuart_pl011_model, .node = "dev", .space = VDEV_SPACE_PIO, .base = 0x3f8
	};
	assert_int_equal(vuart_pl011_create(&vm, &pio), -PV_EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_reset_values_and_identification),
		T(test_configuration_registers_read_back),
		T(test_transmit_and_narrow_accesses),
		T(test_receive_without_fifo_then_with),
		T(test_fifo_overflow_sets_overrun),
		T(test_receive_interrupts),
		T(test_transmit_interrupt),
		T(test_polling_an_empty_receiver_shows_the_prompt),
		T(test_input_flows_through_the_console_ring),
		T(test_bad_accesses_refused),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
