/* SPDX-License-Identifier: MIT */
/*
 * An emulated NS16550 UART: a VM's console. Every access traps and is emulated; transmitted bytes
 * go to vm_console_putc (printed a line at a time with the VM's name). The transmitter is always
 * ready, nothing is ever received, interrupts are never raised (IER is kept for read-back only).
 * Registers sit at base + (n << reg_shift), in the MMIO or the I/O-port space.
 */
#ifndef DEVICES_VUART_NS16550_H
#define DEVICES_VUART_NS16550_H

#include <irq/vdev.h>
#include <pv/spinlock.h>

struct vm_dev_config;

#define VUART_NS16550_MAX_SHIFT 3	 /* registers up to 8 bytes apart */
#define VUART_NS16550_CLOCK_HZ	1843200u /* the input clock it reports to drivers */

struct vuart_ns16550 {
	struct vdev dev;
	struct vm *vm;
	unsigned reg_shift;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	bool thre_pending; /* transmitter-empty interrupt raised and not yet identified by IIR */
	pv_spinlock_t lock;
};

/* Sets up @u for @vm at @base in @space (VDEV_SPACE_MMIO or VDEV_SPACE_PIO) and registers it. */
int vuart_ns16550_init(struct vuart_ns16550 *u, struct vm *vm, enum vdev_space space, uint64_t base,
		       unsigned reg_shift);

/* A UART at cfg->base in cfg->space with cfg->reg_shift (0..VUART_NS16550_MAX_SHIFT). */
int vuart_ns16550_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "ns16550a" in VM descriptions. */
extern const struct vdev_model vuart_ns16550_model;

#endif
