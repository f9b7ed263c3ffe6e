/* SPDX-License-Identifier: MIT */
/*
 * UART drivers for the hypervisor's own console. A board describes its UART with a const struct
 * and calls the driver's putc from its hal_board.console_putc (polled), and the receive side from
 * its console_rx_start and console_getc: the UART interrupts when bytes arrive, and the interrupt
 * handler reads them until none is left (which also clears the interrupt).
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
/* Turns the received-data interrupt on (IER.ERBFI; MCR.OUT2, which gates it on PC boards). */
void ns16550_rx_enable(const struct ns16550 *uart);
/* A received byte, or -1 when none waits. */
int ns16550_getc(const struct ns16550 *uart);

struct pl011 {
	uintptr_t base;
};

void pl011_init(const struct pl011 *uart);
void pl011_putc(const struct pl011 *uart, char c);
/* Turns the receive and receive-timeout interrupts on. */
void pl011_rx_enable(const struct pl011 *uart);
/* A received byte, or -1 when none waits; an empty FIFO clears the receive interrupts. */
int pl011_getc(const struct pl011 *uart);

#endif
