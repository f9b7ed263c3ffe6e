// SPDX-License-Identifier: MIT
/* The emulated NS16550: every register, the receive FIFO, IIR's priorities and the line. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <devices/vuart_ns16550.h>
#include <string.h>
#include <vm/console.h>

enum {
	RBR = 0,
	IER = 1,
	IIR = 2,
	FCR = 2,
	LCR = 3,
	MCR = 4,
	LSR = 5,
	MSR = 6,
	SCR = 7
};

#define LINE 101u /* the fake backend's set_line number of description line 1 */

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
						     .irq = 1 };
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

static struct vdev *mmio(void)
{
	return uart(VDEV_SPACE_MMIO, 0x10000000);
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

static void type(const char *s)
{
	vm_console_input(&vm, (const uint8_t *)s, strlen(s));
}

static void test_transmit_goes_to_the_vm_console(void **state)
{
	(void)state;
	struct vdev *d = mmio();
	for (const char *s = "boot ok\n"; *s; s++) {
		assert_int_equal(get(d, LSR) & 0x60, 0x60); /* THRE and TEMT: ready */
		put(d, RBR, (uint8_t)*s);
	}
	assert_true(fake_log_contains("[vm0] boot ok\n"));
	/* The port-I/O instance feeds the same console. */
	struct vdev *p = uart(VDEV_SPACE_PIO, 0x3f8);
	put(p, RBR, 'x');
	put(p, RBR, '\n');
	assert_true(fake_log_contains("[vm0] x\n"));
}

static void test_divisor_latch_and_registers(void **state)
{
	(void)state;
	struct vdev *d = mmio();
	size_t before;
	put(d, LCR, 0x83); /* DLAB + 8N1 */
	put(d, RBR, 0x01); /* DLL, not a character */
	put(d, IER, 0x02); /* DLM, not IER */
	assert_int_equal(get(d, RBR), 0x01);
	assert_int_equal(get(d, IER), 0x02);
	before = fake_hw.log_len;
	put(d, LCR, 0x03);
	assert_int_equal(fake_hw.log_len, before); /* nothing was printed */
	assert_int_equal(get(d, IER), 0x00);	   /* IER was not touched by the DLM write */
	put(d, IER, 0xf0);
	assert_int_equal(get(d, IER), 0x00); /* IER keeps its defined bits only */
	assert_int_equal(get(d, LCR), 0x03);
	put(d, SCR, 0x5a);
	assert_int_equal(get(d, SCR), 0x5a);
	put(d, MCR, 0xff);
	assert_int_equal(get(d, MCR), 0x1f);
	put(d, MCR, 0x0b);
	assert_int_equal(get(d, MSR), 0xb0); /* CTS, DSR, DCD: always ready */
	assert_int_equal(get(d, IIR), 0x01); /* FIFOs off, no interrupt pending */
	assert_int_equal(get(d, RBR), 0);    /* nothing received */
	assert_int_equal(get(d, LSR) & 0x01, 0);
}

static void test_receive_with_and_without_fifo(void **state)
{
	(void)state;
	struct vdev *d = mmio();

	/* No FIFO: one byte at a time, the rest waits in the console. */
	type("ab");
	assert_int_equal(get(d, LSR) & 0x01, 0x01);
	assert_int_equal(get(d, RBR), 'a');
	assert_int_equal(get(d, LSR) & 0x01, 0x01); /* refilled from the console */
	assert_int_equal(get(d, RBR), 'b');
	assert_int_equal(get(d, LSR) & 0x01, 0x00);

	/* FIFO on: 16 bytes; the 17th waits in the console, none is lost. */
	put(d, FCR, 0x01);
	assert_int_equal(get(d, IIR) & 0xc0, 0xc0);
	type("0123456789abcdefXY");
	for (const char *s = "0123456789abcdefXY"; *s; s++) {
		assert_int_equal(get(d, LSR) & 0x03, 0x01); /* data, no overrun */
		assert_int_equal(get(d, RBR), (uint8_t)*s);
	}
	assert_int_equal(get(d, LSR) & 0x01, 0);
}

static void test_fifo_overflow_sets_overrun(void **state)
{
	(void)state;
	struct vdev *d = mmio();
	struct vuart_ns16550 *u = d->priv;

	put(d, FCR, 0x01);
	put(d, IER, 0x04); /* line status interrupt */
	assert_false(fake_hw.line[LINE]);
	/* The console never overfills it; a byte pushed into a full FIFO is lost and flagged. */
	for (unsigned i = 0; i < VUART_NS16550_FIFO + 2; i++)
		vuart_ns16550_receive(u, (uint8_t)('A' + i));
	assert_int_equal(vm.console.dev_ops->rx(u, (const uint8_t *)"z", 1), 0); /* no room */
	assert_int_equal(get(d, IIR) & 0x0f, 0x06); /* line status first */
	assert_true(fake_hw.line[LINE]);
	assert_int_equal(get(d, LSR) & 0x03, 0x03); /* data and overrun */
	assert_int_equal(get(d, LSR) & 0x02, 0x00); /* reading LSR cleared OE */
	assert_false(fake_hw.line[LINE]);
	for (unsigned i = 0; i < VUART_NS16550_FIFO; i++)
		assert_int_equal(get(d, RBR), 'A' + i); /* the first 16 kept, in order */
	assert_int_equal(get(d, LSR) & 0x01, 0);
}

static void test_receive_interrupts_and_trigger_level(void **state)
{
	(void)state;
	struct vdev *d = mmio();

	put(d, FCR, 0x41); /* FIFO on, trigger 4 */
	put(d, IER, 0x01); /* received data */
	assert_false(fake_hw.line[LINE]);
	type("ab");
	/* Below the trigger: character timeout (raised at once: no bit clock to wait for). */
	assert_int_equal(get(d, IIR), 0xcc);
	assert_true(fake_hw.line[LINE]);
	type("cd");
	assert_int_equal(get(d, IIR), 0xc4); /* at the trigger: received data */
	for (int i = 0; i < 4; i++)
		(void)get(d, RBR);
	assert_int_equal(get(d, IIR), 0xc1);
	assert_false(fake_hw.line[LINE]);
	/* The other trigger levels. */
	put(d, FCR, 0x81 | 0x02); /* 8, and clear the receive FIFO */
	type("1234567");
	assert_int_equal(get(d, IIR) & 0x0f, 0x0c);
	type("8");
	assert_int_equal(get(d, IIR) & 0x0f, 0x04);
	put(d, FCR, 0xc3); /* 14, cleared */
	assert_int_equal(get(d, LSR) & 0x01, 0);
	type("0123456789abc");
	assert_int_equal(get(d, IIR) & 0x0f, 0x0c);
	type("d");
	assert_int_equal(get(d, IIR) & 0x0f, 0x04);
	/* Masking the interrupt drops the line. */
	put(d, IER, 0x00);
	assert_false(fake_hw.line[LINE]);
	assert_int_equal(get(d, IIR), 0xc1);
}

static void test_thr_empty_interrupt(void **state)
{
	(void)state;
	struct vdev *d = mmio();

	assert_int_equal(get(d, IIR), 0x01);
	put(d, IER, 0x02); /* enabling it while THR is empty raises it */
	assert_true(fake_hw.line[LINE]);
	assert_int_equal(get(d, IIR), 0x02); /* reading IIR that reports it clears it */
	assert_int_equal(get(d, IIR), 0x01);
	assert_false(fake_hw.line[LINE]);
	put(d, RBR, 'x'); /* transmitted at once: empty again, raised again */
	assert_true(fake_hw.line[LINE]);
	assert_int_equal(get(d, IIR), 0x02);
	/* Disabling and enabling raises it again: Linux's 8250 checks exactly this (THRE bug). */
	put(d, IER, 0x00);
	put(d, IER, 0x02);
	assert_int_equal(get(d, IIR), 0x02);
	/* Received data outranks it. */
	put(d, IER, 0x03);
	put(d, RBR, 'y');
	type("z");
	assert_int_equal(get(d, IIR), 0x04);
	assert_int_equal(get(d, RBR), 'z');
	assert_int_equal(get(d, IIR), 0x02);
	assert_int_equal(get(d, IIR), 0x01);
	assert_false(fake_hw.line[LINE]);
}

static void test_loopback(void **state)
{
	(void)state;
	struct vdev *d = mmio();
	size_t before;

	put(d, MCR, 0x10 | 0x01 | 0x08);	    /* loopback, DTR, OUT2 */
	assert_int_equal(get(d, MSR), 0x20 | 0x80); /* DSR and DCD follow */
	put(d, MCR, 0x10 | 0x02 | 0x04);	    /* RTS, OUT1 */
	assert_int_equal(get(d, MSR), 0x10 | 0x40); /* CTS and RI */
	before = fake_hw.log_len;
	put(d, RBR, 'L');
	assert_int_equal(fake_hw.log_len, before); /* not transmitted */
	assert_int_equal(get(d, LSR) & 0x01, 0x01);
	assert_int_equal(get(d, RBR), 'L');
	/* Typed input waits while the receiver listens to the transmitter. */
	type("t");
	assert_int_equal(get(d, LSR) & 0x01, 0);
	put(d, MCR, 0x00);
	assert_int_equal(get(d, RBR), 't');
}

static void test_polling_an_empty_receiver_shows_the_prompt(void **state)
{
	(void)state;
	struct vdev *d = mmio();

	for (const char *s = "=> "; *s; s++) {
		(void)get(d, LSR); /* a transmitter poll before each byte, as drivers do */
		put(d, RBR, (uint8_t)*s);
	}
	assert_false(fake_log_contains("=> "));
	(void)get(d, LSR);
	assert_false(fake_log_contains("=> ")); /* one poll after a write: still transmitting */
	(void)get(d, LSR);
	assert_true(fake_log_contains("[vm0] => ")); /* polls in a row: it waits for input */
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
	struct vdev *d = mmio();
	uint64_t v;
	assert_int_equal(d->ops->read(d, &vm.vcpus[0], 5, 4, &v), -PV_EFAULT);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_transmit_goes_to_the_vm_console),
		T(test_divisor_latch_and_registers),
		T(test_receive_with_and_without_fifo),
		T(test_fifo_overflow_sets_overrun),
		T(test_receive_interrupts_and_trigger_level),
		T(test_thr_empty_interrupt),
		T(test_loopback),
		T(test_polling_an_empty_receiver_shows_the_prompt),
		T(test_strided_registers),
		T(test_byte_registers_refuse_wide_access),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
