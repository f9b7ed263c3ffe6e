// SPDX-License-Identifier: MIT
#include <vm/vm.h>

static bool ranges_overlap(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

int vdev_register(struct vm *vm, struct vdev *dev)
{
	if (!dev->ops || !dev->ops->read || !dev->ops->write || dev->size == 0 ||
	    dev->base + dev->size < dev->base || (unsigned)dev->space >= VDEV_SPACE_COUNT)
		return -PV_EINVAL;
	for (unsigned i = 0; i < vm->nvdevs; i++) {
		const struct vdev *other = vm->vdevs[i];
		if (other->space == dev->space &&
		    ranges_overlap(dev->base, dev->size, other->base, other->size))
			return -PV_EEXIST;
	}
	if (vm->nvdevs >= VM_MAX_VDEVS)
		return -PV_ENOMEM;
	vm->vdevs[vm->nvdevs++] = dev;
	return PV_OK;
}

struct vdev *vdev_find(struct vm *vm, enum vdev_space space, uint64_t addr, unsigned width)
{
	/* Guests tend to hit one device many times in a row: try the last one found first. Any
	 * vCPU may replace the hint; a stale hint only costs the search. */
	struct vdev *last = __atomic_load_n(&vm->vdev_last, __ATOMIC_RELAXED);

	if (last && vdev_covers(last, space, addr, width))
		return last;
	for (unsigned i = 0; i < vm->nvdevs; i++) {
		struct vdev *dev = vm->vdevs[i];
		if (vdev_covers(dev, space, addr, width)) {
			__atomic_store_n(&vm->vdev_last, dev, __ATOMIC_RELAXED);
			return dev;
		}
	}
	return NULL;
}
