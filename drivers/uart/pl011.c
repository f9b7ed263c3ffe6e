// SPDX-License-Identifier: MIT
#include <drivers/uart.h>

enum {
	PL011_DR = 0x00,
	PL011_FR = 0x18,
	PL011_CR = 0x30,
	PL011_IMSC = 0x38,
	PL011_ICR = 0x44,
};

#define PL011_FR_RXFE	(1u << 4)
#define PL011_FR_TXFF	(1u << 5)
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE	(1u << 8)
#define PL011_CR_RXE	(1u << 9)
#define PL011_INT_RX	(1u << 4)
#define PL011_INT_RT	(1u << 6)

static volatile uint32_t *pl011_reg(const struct pl011 *u, unsigned off)
{
	return (volatile uint32_t *)(u->base + off);
}

void pl011_init(const struct pl011 *uart)
{
	*pl011_reg(uart, PL011_CR) |= PL011_CR_UARTEN | PL011_CR_TXE;
}

void pl011_putc(const struct pl011 *uart, char c)
{
	while (*pl011_reg(uart, PL011_FR) & PL011_FR_TXFF) {
	}
	*pl011_reg(uart, PL011_DR) = (uint8_t)c;
}

void pl011_rx_enable(const struct pl011 *uart)
{
	*pl011_reg(uart, PL011_CR) |= PL011_CR_UARTEN | PL011_CR_RXE;
	*pl011_reg(uart, PL011_ICR) = PL011_INT_RX | PL011_INT_RT;
	*pl011_reg(uart, PL011_IMSC) |= PL011_INT_RX | PL011_INT_RT;
}

int pl011_getc(const struct pl011 *uart)
{
	if (*pl011_reg(uart, PL011_FR) & PL011_FR_RXFE) {
		/* The receive timeout stays raised until cleared; nothing is left to time out. */
		*pl011_reg(uart, PL011_ICR) = PL011_INT_RT;
		return -1;
	}
	return (int)(*pl011_reg(uart, PL011_DR) & 0xffu);
}
