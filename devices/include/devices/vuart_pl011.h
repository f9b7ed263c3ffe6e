/* SPDX-License-Identifier: MIT */
/*
 * An emulated Arm PL011 UART (PrimeCell r1p5): a VM's console on Arm boards. Every access traps
 * and is emulated. Transmitted bytes go to the VM's console (vm/console.h); the transmitter
 * reports full only while the console's output ring is, and its interrupt is raised by each
 * write, as a UART whose bytes leave at once. Received bytes come from the VM's console input
 * into a 32-entry FIFO (1 entry while LCR_H.FEN is clear), with the receive-level, receive
 * timeout (raised as soon as data sits below the level: there is no bit clock to time out on)
 * and overrun interrupts; RIS, MIS, IMSC and ICR behave as the TRM says, and the interrupt line
 * (MIS != 0) goes to the VM's interrupt controller. The enables in CR are kept but not obeyed:
 * early consoles write before setting them up. Registers are 32 bits wide at 4-byte offsets;
 * 8- and 16-bit accesses are served too, as drivers use both.
 */
#ifndef DEVICES_VUART_PL011_H
#define DEVICES_VUART_PL011_H

#include <devices/vuart.h>
#include <irq/vdev.h>
#include <pv/spinlock.h>

struct vm_dev_config;

#define VUART_PL011_SIZE     0x1000
#define VUART_PL011_CLOCK_HZ 24000000u /* the clock its device-tree node announces */
#define VUART_PL011_FIFO     32u

/* Raw interrupt status bits (RIS, MIS, IMSC, ICR). */
#define PL011_INT_RX 0x010u
#define PL011_INT_TX 0x020u
#define PL011_INT_RT 0x040u
#define PL011_INT_OE 0x400u

struct vuart_pl011 {
	struct vdev dev;
	struct vm *vm;
	struct vuart_irq irq;
	struct vuart_fifo rx;
	uint16_t ibrd, fbrd, lcr_h, cr, ifls, imsc, dmacr;
	uint16_t ris_latched; /* TX, RT and OE: raised by events, cleared through ICR */
	uint8_t rsr;	      /* receive status (overrun), cleared by a write to ECR */
	uint8_t ilpr;
	uint8_t idle_polls; /* status reads finding nothing received since the last transmit */
	pv_spinlock_t lock;
};

/* Sets up @u for @vm at guest-physical @base with the interrupt @cfg names (NULL: none) and
 * registers it; the first UART of a VM takes its console input. */
int vuart_pl011_init(struct vuart_pl011 *u, struct vm *vm, uint64_t base,
		     const struct vm_dev_config *cfg);

/* A byte arrives on the receive line (the console's input goes through this too, as far as the
 * FIFO has room): into a full FIFO it is lost and overrun is flagged. */
void vuart_pl011_receive(struct vuart_pl011 *u, uint8_t c);

/* A PL011 at cfg->base (MMIO only). */
int vuart_pl011_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "arm,pl011" in VM descriptions. */
extern const struct vdev_model vuart_pl011_model;

#endif
