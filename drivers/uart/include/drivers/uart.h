/* SPDX-License-Identifier: MIT */
/*
 * Polled UART drivers for the hypervisor's own console. A board describes its UART with a const
 * struct and calls the driver's putc from its hal_board.console_putc.
 */
#ifndef DRIVERS_UART_H
#define DRIVERS_UART_H

#include <pv/types.h>

/* How an NS16550-compatible UART's registers are reached: MMIO with a register stride, or x86
 * port I/O through board-supplied accessors. */
struct ns16550 {
	uintptr_t base; /* MMIO address or I/O port */
	unsigned shift; /* register n is at base + (n << shift) */
	/* Port-I/O accessors; NULL means MMIO byte accesses. */
	uint8_t (*read_reg)(uintptr_t addr);
	void (*write_reg)(uintptr_t addr, uint8_t value);
};

/* Sets 8N1, FIFOs on, interrupts off. Leaves the divisor as firmware set it when @divisor is 0. */
void ns16550_init(const struct ns16550 *uart, uint16_t divisor);
/* Waits for room in the transmitter and sends @c. */
void ns16550_putc(const struct ns16550 *uart, char c);

struct pl011 {
	uintptr_t base;
};

void pl011_init(const struct pl011 *uart);
void pl011_putc(const struct pl011 *uart, char c);

#endif
