/* SPDX-License-Identifier: MIT */
/*
 * A power-off register for guests whose platform has no firmware call to power off (loongarch64
 * Linux): one 32-bit register; writing VPOWEROFF_VALUE powers the VM off, as the architectures'
 * SYSTEM_OFF calls do. Reads return 0 (so a read-modify-write changes the whole register); other
 * values and widths have no effect. A guest finds it in its device tree as a "syscon" block with
 * a "syscon-poweroff" node naming the register and the value, the binding Linux's generic driver
 * (CONFIG_POWER_RESET_SYSCON_POWEROFF) reads.
 */
#ifndef DEVICES_VPOWEROFF_H
#define DEVICES_VPOWEROFF_H

#include <irq/vdev.h>

struct vm_dev_config;

#define VPOWEROFF_SIZE	4
#define VPOWEROFF_VALUE 0x5555u /* the value QEMU's riscv64 virt board's power-off node writes */

struct vpoweroff {
	struct vdev dev;
	struct vm *vm;
};

/* The register at cfg->base (MMIO). */
int vpoweroff_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "syscon-poweroff" in VM descriptions. */
extern const struct vdev_model vpoweroff_model;

#endif
