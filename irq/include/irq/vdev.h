/* SPDX-License-Identifier: MIT */
/*
 * Emulated devices: handlers for guest accesses to a range of MMIO addresses, I/O ports or system
 * registers, registered per VM. The run loop finds the device covering an exit's address and calls
 * its ops; accesses that no device claims are bad guest behaviour (fault or VM stop), never ignored.
 */
#ifndef IRQ_VDEV_H
#define IRQ_VDEV_H

#include <pv/types.h>

struct vm;
struct vcpu;
struct vdev;

enum vdev_space {
	VDEV_SPACE_MMIO = 0, /* guest-physical addresses */
	VDEV_SPACE_PIO,	     /* I/O ports (a separate I/O address space) */
	VDEV_SPACE_SYSREG,   /* backend system-register / CSR / MSR ids */
	VDEV_SPACE_COUNT
};

struct vdev_ops {
	/* Reads @width bytes (1, 2, 4, 8) at @offset from the device's base into @value.
	 * Returns PV_OK, or -PV_EFAULT to make the access a guest fault (e.g. a bad width).
	 * Context: the CPU of the trapping @vcpu, no core locks held; must not block; the device
	 * takes its own lock if several vCPUs can reach it. */
	int (*read)(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		    uint64_t *value);

	/* Writes @value (@width bytes) at @offset. Same context and results as read. */
	int (*write)(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		     uint64_t value);
};

struct vdev {
	const char *name;
	enum vdev_space space;
	uint64_t base;
	uint64_t size;
	const struct vdev_ops *ops;
	void *priv;	   /* device state */
	uint64_t accesses; /* guest accesses that reached ops (atomic; DEVICE_EXITS reads it) */
};

/* Adds @dev to @vm. -PV_EEXIST if it overlaps a registered device, -PV_ENOMEM when the VM's table
 * is full, -PV_EINVAL for an empty or wrapping range. Context: VM not running. */
int vdev_register(struct vm *vm, struct vdev *dev);

/* Whether @dev claims [addr, addr+width) in @space. The whole access must fall inside one device:
 * a straddling access is a guest bug. */
static inline bool vdev_covers(const struct vdev *dev, enum vdev_space space, uint64_t addr,
			       unsigned width)
{
	return dev->space == space && addr >= dev->base && addr - dev->base < dev->size &&
	       width <= dev->size - (addr - dev->base);
}

/* The device claiming [addr, addr+width) in @space, or NULL. Context: any CPU; lock-free read of a
 * table that only changes while the VM does not run. */
struct vdev *vdev_find(struct vm *vm, enum vdev_space space, uint64_t addr, unsigned width);

#endif
