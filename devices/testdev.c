// SPDX-License-Identifier: MIT
#include <devices/testdev.h>
#include <irq/vdev_model.h>
#include <vm/vm.h>
#include <vm/vm_fdt.h>

static uint64_t lane_mask(unsigned width)
{
	return width == 8 ? ~0ULL : (1ULL << (width * 8)) - 1;
}

/* The 8-byte register holding @off, or -1 if the access is misaligned or crosses registers.
 * @width is 1, 2, 4 or 8 (vdev_ops). */
static int testdev_reg(uint64_t off, unsigned width)
{
	if ((off & (width - 1u)) || off >= TESTDEV_SIZE)
		return -1;
	return (int)(off & ~7ULL);
}

static int testdev_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			uint64_t *value)
{
	struct testdev *td = dev->priv;
	int reg = testdev_reg(off, width);
	unsigned shift = (unsigned)(off & 7) * 8;
	uint64_t full, count;

	(void)vcpu;
	if (reg < 0)
		return -PV_EFAULT;
	/* No lock: the count is one atomic add, and a read of the scratch register sees it before
	 * or after a write (whose read-modify-write the lock keeps whole). */
	count = __atomic_add_fetch(&td->count, 1, __ATOMIC_RELAXED);
	switch (reg) {
	case TESTDEV_REG_ID:
		full = TESTDEV_ID;
		break;
	case TESTDEV_REG_SCRATCH:
		full = __atomic_load_n(&td->scratch, __ATOMIC_RELAXED);
		break;
	case TESTDEV_REG_PATTERN:
		full = TESTDEV_PATTERN;
		break;
	case TESTDEV_REG_COUNT:
		full = count;
		break;
	default:
		full = 0; /* unassigned registers read as zero */
		break;
	}
	*value = (full >> shift) & lane_mask(width);
	return PV_OK;
}

static int testdev_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			 uint64_t value)
{
	struct testdev *td = dev->priv;
	int reg = testdev_reg(off, width);
	unsigned shift = (unsigned)(off & 7) * 8;
	uint64_t mask = lane_mask(width) << shift;

	(void)vcpu;
	if (reg != TESTDEV_REG_SCRATCH)
		return -PV_EFAULT;
	(void)__atomic_add_fetch(&td->count, 1, __ATOMIC_RELAXED);
	pv_spin_lock(&td->lock);
	__atomic_store_n(&td->scratch, (td->scratch & ~mask) | ((value << shift) & mask),
			 __ATOMIC_RELAXED);
	pv_spin_unlock(&td->lock);
	return PV_OK;
}

static const struct vdev_ops testdev_ops = {
	.read = testdev_read,
	.write = testdev_write,
};

int testdev_init(struct testdev *td, struct vm *vm, gpa_t base)
{
	td->dev = (struct vdev){
		.name = "testdev",
		.space = VDEV_SPACE_MMIO,
		.base = base.raw,
		.size = TESTDEV_SIZE,
		.ops = &testdev_ops,
		.priv = td,
	};
	td->scratch = 0;
	td->count = 0;
	pv_spin_init(&td->lock);
	return vdev_register(vm, &td->dev);
}

int testdev_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct testdev *td = vm_dev_alloc(vm, sizeof(*td));

	if (!td)
		return -PV_ENOMEM;
	if (cfg->space != VDEV_SPACE_MMIO)
		return -PV_EINVAL;
	return testdev_init(td, vm, gpa(cfg->base));
}

static int testdev_fdt(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx)
{
	static const char compat[] = "polyvisor,testdev";
	int node = vm_fdt_device_node(fdt, cfg, ctx, compat, sizeof(compat));

	return node < 0 ? node : 0;
}

const struct vdev_model testdev_model = {
	.compatible = "polyvisor,testdev",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = TESTDEV_SIZE,
	.create = testdev_create,
	.fdt_node = testdev_fdt,
};
