/* SPDX-License-Identifier: MIT */
/*
 * What the boot argument (the first argument register at entry) asks the guest suite to do. Plain
 * macros: the guest's C and assembly use them, and so do the VM descriptions that start it.
 */
#ifndef GUEST_MODES_H
#define GUEST_MODES_H

#define G_MODE_SUITE 0 /* run every check, print the summary, stop the VM */
#define G_MODE_BAD   1 /* print one line, then write outside guest RAM (the VM must be stopped) */
#define G_MODE_BENCH 2 /* run the benchmarks, print BENCH lines, stop the VM */
#define G_MODE_SPIN  3 /* spin with interrupts masked for G_SPIN_MS, then stop the VM */
#define G_MODE_SHARE 4 /* the sharing check only: vCPU 1 shares a CPU with a spinning VM */
/* Read and write the page in the boot argument's bits 63:12 (G_MODE_TOUCH | address): each
 * access must fault (a device another VM owns); one that completes is a failure. */
#define G_MODE_TOUCH 5
#define G_MODE_MASK  0xfff /* the mode's bits; the rest is the mode's argument */
/* The passthrough benchmark: interrupt latency and disk reads on the two virtio-blk disks of
 * g_layout.vblk (guests/suite/vblk.c); BENCH lines, then the VM stops. */
#define G_MODE_VBLK_BENCH 6
#define G_MODE_ECHO	  7 /* read lines from the console and print them back numbered, forever */
#define G_MODE_ECHO_POLL  8 /* the same, polling the UART even where it could interrupt */

/* Longer than the sharing check waits for its second vCPU (G_MODE_SHARE, from 50 ms to 250 ms
 * after boot): that vCPU, on the spinner's CPU, runs in time only if the hypervisor takes the
 * CPU away from the spinner. */
#define G_SPIN_MS   400
#define G_MODE_ARCH 0x100 /* and up: modes an arch layer defines for itself (g_arch_mode) */

/* G_MODE_SUITE's argument, in bits 31:12 (x86_64 passes 32 bits): a tag of the VM, so that VMs
 * running the same image still fill their RAM with different patterns (the memory check: two VMs
 * given the same host frames would overwrite each other's). */
#define G_VM_TAG(n) ((n) << 12)

#endif
