/* SPDX-License-Identifier: MIT */
/*
 * An emulated NS16550A UART: a VM's console. Every access traps and is emulated; transmitted bytes
 * go to vm_console_putc (printed a line at a time with the VM's name) and leave at once, so THR
 * and the transmitter are always empty (LSR.THRE and TEMT). Nothing is ever received. The one
 * interrupt is the 16550's "THR empty": raised by enabling it in IER while THR is empty and by
 * every transmitted byte, cleared by reading IIR while IIR reports it (or by disabling it); IIR
 * shows it, and the description's interrupt line follows it through the VM's interrupt controller
 * (not gated by MCR.OUT2, as on QEMU's board). Registers sit at base + (n << reg_shift), in the
 * MMIO or the I/O-port space.
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
	uint8_t fcr;	   /* FIFO enable as written (IIR's FIFO bits follow it) */
	bool thre_pending; /* the THR-empty interrupt is raised and not yet cleared */
	bool has_irq;	   /* the description gave it an interrupt line */
	bool line;	   /* the line's level as the controller was last told */
	uint32_t irq;	   /* the line as virq_ops.set_line numbers it */
	pv_spinlock_t lock;
};

/* Sets up @u for @vm at @base in @space (VDEV_SPACE_MMIO or VDEV_SPACE_PIO) and registers it. */
int vuart_ns16550_init(struct vuart_ns16550 *u, struct vm *vm, enum vdev_space space, uint64_t base,
		       unsigned reg_shift);

/* A UART at cfg->base in cfg->space with cfg->reg_shift (0..VUART_NS16550_MAX_SHIFT), and the
 * interrupt line cfg names, if any. */
int vuart_ns16550_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "ns16550a" in VM descriptions. */
extern const struct vdev_model vuart_ns16550_model;

#endif
