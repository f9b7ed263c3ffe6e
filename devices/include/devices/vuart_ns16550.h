/* SPDX-License-Identifier: MIT */
/*
 * An emulated NS16550A UART: a VM's console. Every access traps and is emulated. Transmitted
 * bytes go to the VM's console (vm/console.h) and leave at once: THR and the transmitter are
 * empty again right after a write (LSR.THRE and TEMT, the THR-empty interrupt), unless the
 * console's output ring is full. Received bytes come from the VM's console input into a 16-byte
 * FIFO (1 byte while FCR's FIFO enable is clear) with the FCR trigger level, and IIR reports,
 * by the 16550's priorities, overrun (line status), received data, character timeout (data below
 * the trigger: there is no bit clock to time out on), THR empty and none. The interrupt line
 * (IIR says pending) goes to the VM's interrupt controller; like QEMU's and unlike a PC's board,
 * it is not gated by MCR.OUT2. MCR loopback sends transmitted bytes to the receiver and the
 * modem outputs to MSR. Registers sit at base + (n << reg_shift), in MMIO or I/O-port space.
 */
#ifndef DEVICES_VUART_NS16550_H
#define DEVICES_VUART_NS16550_H

#include <devices/vuart.h>
#include <irq/vdev.h>
#include <pv/spinlock.h>

struct vm_dev_config;

#define VUART_NS16550_MAX_SHIFT 3	 /* registers up to 8 bytes apart */
#define VUART_NS16550_CLOCK_HZ	1843200u /* the input clock it reports to drivers */
#define VUART_NS16550_FIFO	16u

struct vuart_ns16550 {
	struct vdev dev;
	struct vm *vm;
	struct vuart_irq irq;
	struct vuart_fifo rx;
	unsigned reg_shift;
	uint8_t ier, lcr, mcr, scr, dll, dlm;
	uint8_t fcr;	    /* FIFO enable (bit 0) and receive trigger (bits 7:6) as written */
	bool overrun;	    /* LSR.OE, cleared by reading LSR */
	bool thre_pending;  /* THR-empty interrupt raised, not yet cleared by IIR or a write */
	uint8_t idle_polls; /* LSR reads finding nothing received since the last transmit */
	pv_spinlock_t lock;
};

/* Sets up @u for @vm at @base in @space (VDEV_SPACE_MMIO or VDEV_SPACE_PIO) with the interrupt
 * @cfg names (NULL: none) and registers it; the first UART of a VM takes its console input. */
int vuart_ns16550_init(struct vuart_ns16550 *u, struct vm *vm, enum vdev_space space, uint64_t base,
		       unsigned reg_shift, const struct vm_dev_config *cfg);

/* A byte arrives on the receive line: into a full FIFO it is lost and overrun is flagged. */
void vuart_ns16550_receive(struct vuart_ns16550 *u, uint8_t c);

/* A UART at cfg->base in cfg->space with cfg->reg_shift (0..VUART_NS16550_MAX_SHIFT). */
int vuart_ns16550_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "ns16550a" in VM descriptions. */
extern const struct vdev_model vuart_ns16550_model;

#endif
