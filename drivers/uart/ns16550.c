// SPDX-License-Identifier: MIT
#include <drivers/uart.h>

enum {
	NS_THR = 0, /* transmit holding (write), receive buffer (read) */
	NS_IER = 1,
	NS_FCR = 2,
	NS_LCR = 3,
	NS_MCR = 4,
	NS_LSR = 5,
	NS_DLL = 0, /* with LCR.DLAB */
	NS_DLM = 1,
};

#define NS_LSR_DR   0x01u
#define NS_LSR_THRE 0x20u
#define NS_IER_RDI  0x01u
#define NS_MCR_OUT2 0x08u
#define NS_LCR_8N1  0x03u
#define NS_LCR_DLAB 0x80u

static uint8_t ns_read(const struct ns16550 *u, unsigned reg)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);
	if (u->read_reg)
		return u->read_reg(addr);
	return *(volatile uint8_t *)addr;
}

static void ns_write(const struct ns16550 *u, unsigned reg, uint8_t value)
{
	uintptr_t addr = u->base + ((uintptr_t)reg << u->shift);
	if (u->write_reg)
		u->write_reg(addr, value);
	else
		*(volatile uint8_t *)addr = value;
}

void ns16550_init(const struct ns16550 *uart, uint16_t divisor)
{
	ns_write(uart, NS_IER, 0);
	if (divisor) {
		ns_write(uart, NS_LCR, NS_LCR_DLAB);
		ns_write(uart, NS_DLL, (uint8_t)(divisor & 0xff));
		ns_write(uart, NS_DLM, (uint8_t)(divisor >> 8));
	}
	ns_write(uart, NS_LCR, NS_LCR_8N1);
	ns_write(uart, NS_FCR, 0x07); /* enable and clear FIFOs */
	ns_write(uart, NS_MCR, 0x03); /* DTR, RTS */
}

void ns16550_putc(const struct ns16550 *uart, char c)
{
	while (!(ns_read(uart, NS_LSR) & NS_LSR_THRE)) {
	}
	ns_write(uart, NS_THR, (uint8_t)c);
}

void ns16550_rx_enable(const struct ns16550 *uart)
{
	ns_write(uart, NS_MCR, (uint8_t)(ns_read(uart, NS_MCR) | NS_MCR_OUT2));
	ns_write(uart, NS_IER, NS_IER_RDI);
}

int ns16550_getc(const struct ns16550 *uart)
{
	if (!(ns_read(uart, NS_LSR) & NS_LSR_DR))
		return -1;
	return ns_read(uart, NS_THR);
}
