// SPDX-License-Identifier: MIT
#include <drivers/uart.h>

enum {
	PL011_DR = 0x00,
	PL011_FR = 0x18,
	PL011_CR = 0x30,
};

#define PL011_FR_TXFF	(1u << 5)
#define PL011_CR_UARTEN (1u << 0)
#define PL011_CR_TXE	(1u << 8)

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
