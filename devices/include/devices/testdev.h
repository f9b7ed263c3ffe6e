/* SPDX-License-Identifier: MIT */
/*
 * The test device: a small emulated MMIO block the guest suite uses to check load/store emulation
 * of every width, sign-extending loads included. Register map (offsets from the base):
 *   0x00  ID       RO  32-bit: TESTDEV_ID
 *   0x08  SCRATCH  RW  8 bytes: any aligned 1/2/4/8-byte access reads back what was written there
 *   0x10  PATTERN  RO  8 bytes: TESTDEV_PATTERN, byte n at 0x10 + n (little-endian lanes)
 *   0x18  COUNT    RO  64-bit: accesses served so far
 * An access that is not naturally aligned, crosses a register or writes a read-only register is
 * refused, which the core turns into a guest fault.
 */
#ifndef DEVICES_TESTDEV_H
#define DEVICES_TESTDEV_H

#include <irq/vdev.h>
#include <pv/spinlock.h>

struct vm_dev_config;

#define TESTDEV_SIZE	0x100
#define TESTDEV_ID	0x50565444u /* "PVTD" */
#define TESTDEV_PATTERN 0x8899aabbccddeeffULL

enum {
	TESTDEV_REG_ID = 0x00,
	TESTDEV_REG_SCRATCH = 0x08,
	TESTDEV_REG_PATTERN = 0x10,
	TESTDEV_REG_COUNT = 0x18,
};

struct testdev {
	struct vdev dev;
	uint64_t scratch;
	uint64_t count;
	pv_spinlock_t lock;
};

/* Sets up @td at guest-physical @base and registers it with @vm. */
int testdev_init(struct testdev *td, struct vm *vm, gpa_t base);

/* A test device at cfg->base (MMIO). */
int testdev_create(struct vm *vm, const struct vm_dev_config *cfg);

/* Its model, "polyvisor,testdev" in VM descriptions. */
extern const struct vdev_model testdev_model;

#endif
