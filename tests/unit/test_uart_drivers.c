// SPDX-License-Identifier: MIT
/* The hypervisor's own console drivers, receive side (drivers/uart, drivers/intc/plic.c), on
 * memory standing in for their registers. */
#include "pv_test.h"

#include <drivers/uart.h>
#include <stdlib.h>
#include <string.h>

/* ---- NS16550 through the port-I/O accessors ---- */

static uint8_t ns_regs[8];
static uint8_t ns_rx[8];
static unsigned ns_rx_len, ns_rx_pos;

static uint8_t ns_read(uintptr_t addr)
{
	if (addr == 0x3f8 + 5) /* LSR: data ready while bytes wait; THR empty */
		return (uint8_t)(0x60 | (ns_rx_pos < ns_rx_len ? 1 : 0));
	if (addr == 0x3f8 && ns_rx_pos < ns_rx_len)
		return ns_rx[ns_rx_pos++];
	return ns_regs[addr - 0x3f8];
}

static void ns_write(uintptr_t addr, uint8_t v)
{
	ns_regs[addr - 0x3f8] = v;
}

static const struct ns16550 ns = { .base = 0x3f8, .read_reg = ns_read, .write_reg = ns_write };

static void test_ns16550_receive(void **state)
{
	(void)state;
	memset(ns_regs, 0, sizeof(ns_regs));
	ns_regs[4] = 0x03; /* DTR, RTS kept */
	ns16550_rx_enable(&ns);
	assert_int_equal(ns_regs[1], 0x01);	   /* IER: received data only */
	assert_int_equal(ns_regs[4], 0x03 | 0x08); /* MCR: OUT2 added */
	ns_rx_len = ns_rx_pos = 0;
	assert_int_equal(ns16550_getc(&ns), -1);
	memcpy(ns_rx, "hi\xff", 3);
	ns_rx_len = 3;
	assert_int_equal(ns16550_getc(&ns), 'h');
	assert_int_equal(ns16550_getc(&ns), 'i');
	assert_int_equal(ns16550_getc(&ns), 0xff); /* a byte, not -1 */
	assert_int_equal(ns16550_getc(&ns), -1);
}

/* ---- PL011 on a register window in memory ---- */

static void test_pl011_receive(void **state)
{
	(void)state;
	uint32_t *regs = calloc(0x1000 / 4, 4);
	const struct pl011 u = { .base = (uintptr_t)regs };

	assert_non_null(regs);
	regs[0x30 / 4] = 0x100; /* CR: TXE */
	pl011_rx_enable(&u);
	assert_int_equal(regs[0x30 / 4], 0x100 | 0x200 | 0x001); /* RXE and UARTEN added */
	assert_int_equal(regs[0x38 / 4], 0x50);			 /* IMSC: RX and RT */
	regs[0x18 / 4] = 0x10;					 /* FR: RXFE */
	regs[0x44 / 4] = 0;
	assert_int_equal(pl011_getc(&u), -1);
	assert_int_equal(regs[0x44 / 4], 0x40); /* the timeout interrupt cleared */
	regs[0x18 / 4] = 0;
	regs[0] = 0x8e9; /* a byte with an error flag above it */
	assert_int_equal(pl011_getc(&u), 0xe9);
	free(regs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ns16550_receive),
		cmocka_unit_test(test_pl011_receive),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
