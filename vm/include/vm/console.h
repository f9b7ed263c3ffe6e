/* SPDX-License-Identifier: MIT */
/*
 * A VM's console: what the guest prints (through an emulated UART, the putchar hypercall or the
 * SBI debug console) on its way to the physical console, tagged with the VM's name, and what the
 * user types for it on its way into the guest's UART. Output waits in a small ring per VM and is
 * printed a line at a time; an unfinished line (a prompt) is printed as soon as the guest shows
 * it waits for input (it reads an empty receiver, idles, or has the console focus). Printing is
 * done in bounded pieces, so a guest that prints without end costs other CPUs at most one piece
 * of waiting for the console lock; what the ring cannot hold is dropped and counted.
 */
#ifndef VM_CONSOLE_H
#define VM_CONSOLE_H

#include <pv/spinlock.h>
#include <pv/types.h>

struct vm;
struct vcpu;

#define VM_CONSOLE_LINE	 120  /* longest line printed before it is broken */
#define VM_CONSOLE_OUT	 1024 /* output not printed yet */
#define VM_CONSOLE_HIST	 4096 /* recent output, for the shell's log command */
#define VM_CONSOLE_IN	 256  /* typed input the guest has not taken yet */
#define VM_CONSOLE_PIECE 256  /* most bytes one call prints while holding the console lock */
/* A UART reports its transmitter full when less than this is free (a byte may print as two). */
#define VM_CONSOLE_TX_LOW 4u

/* What a VM's console input device (its first UART, or a virtio console) offers the console. */
struct vm_console_dev_ops {
	/* Takes up to @n typed bytes, as many as the device has room for now, and returns how many
	 * it took; the device raises its interrupt as its registers say. When it has room again it
	 * calls vm_console_rx_ready. Context: any CPU, the console's input lock held; never blocks;
	 * takes the device's own locks. */
	size_t (*rx)(void *dev, const uint8_t *buf, size_t n);
};

struct vm_console {
	pv_spinlock_t lock; /* out, line, hist, counters; taken before the hal console lock */
	unsigned src;	    /* the VM's console source (HAL_CON_GUEST + VM id) */
	char out[VM_CONSOLE_OUT];
	unsigned out_head, out_len;
	unsigned line_len;	 /* characters of the unfinished line, in out or already printed */
	const void *line_writer; /* which of the VM's consoles wrote it (vm_console_putc_from) */
	unsigned nl_pending;	 /* line ends in out */
	bool partial;		 /* print the unfinished line now: the guest waits for input */
	uint32_t dropped;	 /* output bytes lost since the last report */
	uint32_t hidden;	 /* bytes not shown while another VM had the raw console */
	char hist[VM_CONSOLE_HIST];
	uint32_t hist_pos; /* next byte written (wraps) */
	bool hist_full;

	pv_spinlock_t in_lock; /* in, dev; taken before the device's lock */
	uint8_t in[VM_CONSOLE_IN];
	unsigned in_head, in_len;
	uint32_t in_dropped;
	const struct vm_console_dev_ops *dev_ops;
	void *dev;
};

/* Sets up @vm's console (vm_create). */
void vm_console_init(struct vm *vm);

/* One byte of the guest's console output. Control characters are shown as ^X (unless the VM has
 * the raw console), a line longer than VM_CONSOLE_LINE is broken. Context: any CPU, no lock
 * held; may wait for the console lock, for at most one piece. */
void vm_console_putc(struct vm *vm, char c);

/* The same from one of the VM's other consoles (a virtio console: @writer is its device), so
 * that its lines and the main console's are never spliced together. Same context. */
void vm_console_putc_from(struct vm *vm, const void *writer, char c);

/* Up to @n bytes of the main console's output; returns how many the ring took (the guest retries
 * the rest). */
size_t vm_console_write(struct vm *vm, const char *buf, size_t n);

/* Bytes of output the ring can take now (a UART's transmit status). Context: any CPU. */
unsigned vm_console_tx_room(struct vm *vm);

/* The guest waits for input or idles: print what it printed, unfinished line included.
 * Context: any CPU, no lock held. Cheap when there is nothing to print. */
void vm_console_waiting(struct vm *vm);

/* A vCPU of the VM idles (WFI, HLT): when no other vCPU of it runs, the VM waits as a whole, and
 * what it printed is shown (vm_console_waiting). Context: the vCPU's CPU, no lock held. */
void vm_console_idle(struct vcpu *vcpu);

/* Prints everything pending (focus changes, VM stop). Context: any CPU, no lock held. */
void vm_console_flush(struct vm *vm);

/* Typed input for the guest: queued, and moved into its input device as it takes it. Bytes that
 * do not fit are dropped and counted. Context: the CPU taking console input, no lock held. */
void vm_console_input(struct vm *vm, const uint8_t *buf, size_t n);

/* The input device took bytes and has room again. Context: device code, its own lock NOT held. */
void vm_console_rx_ready(struct vm *vm);

/* For a console read by a firmware call (SBI): the next typed byte, or -1 (then the guest waits
 * for input, and what it printed is shown). Context: any CPU, no lock held. */
int vm_console_getc(struct vm *vm);

/* The device that takes @vm's typed input: the first to attach keeps it (the description's first
 * console device). Context: vm_create or
 * a restart, VM not running. */
void vm_console_attach(struct vm *vm, const struct vm_console_dev_ops *ops, void *dev);
void vm_console_detach(struct vm *vm);

/* Prints the last @lines lines of @vm's output (the shell's log command). */
void vm_console_print_history(struct vm *vm, unsigned lines);

/* Appends a note to @vm's history only (a restart mark). */
void vm_console_note(struct vm *vm, const char *text);

#endif
