/* SPDX-License-Identifier: MIT */
/*
 * An emulated Arm PL011 UART: a VM's console on Arm boards. Every access traps and is emulated;
 * bytes written to the data register go to vm_console_putc (printed a line at a time with the VM's
 * name). The transmit FIFO never fills, nothing is ever received and no interrupt is raised (the
 * interrupt mask is kept for read-back only). Registers are 32 bits wide at 4-byte offsets; 8-
 * and 16-bit accesses to them are served too, as drivers use both.
 */
#ifndef DEVICES_VUART_PL011_H
#define DEVICES_VUART_PL011_H

#include <irq/vdev.h>
#include <pv/spinlock.h>

struct vm_dev_config;

#define VUART_PL011_SIZE     0x1000
#define VUART_PL011_CLOCK_HZ 24000000u /* the clock its device-tree node announces */

struct vuart_pl011 {
	struct vdev dev;
	struct vm *vm;
	uint16_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	uint8_t ilpr;
	pv_spinlock_t lock;
};

/* Sets up @u for @vm at guest-physical @base and registers it. */
int vuart_pl011_init(struct vuart_pl011 *u, struct vm *vm, uint64_t base);

/* A PL011 at cfg->base (MMIO only). */
int vuart_pl011_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "arm,pl011" in VM descriptions. */
extern const struct vdev_model vuart_pl011_model;

#endif
