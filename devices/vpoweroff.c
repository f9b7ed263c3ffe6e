// SPDX-License-Identifier: MIT
#include <devices/vpoweroff.h>
#include <irq/vdev_model.h>
#include <libfdt.h>
#include <vm/vm.h>
#include <vm/vm_fdt.h>

static int vpoweroff_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			  uint64_t *value)
{
	(void)dev;
	(void)vcpu;
	if (off % width)
		return -PV_EFAULT;
	*value = 0;
	return PV_OK;
}

static int vpoweroff_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
			   uint64_t value)
{
	struct vpoweroff *p = dev->priv;

	(void)vcpu;
	if (off % width)
		return -PV_EFAULT;
	/* Stopping the VM here is what a SYSTEM_OFF exit does: the vCPUs leave at their next exit. */
	if (off == 0 && width == 4 && value == VPOWEROFF_VALUE)
		vm_stop(p->vm, 0, "guest powered off");
	return PV_OK;
}

static const struct vdev_ops vpoweroff_ops = {
	.read = vpoweroff_read,
	.write = vpoweroff_write,
};

int vpoweroff_create(struct vm *vm, const struct vm_dev_config *cfg)
{
	struct vpoweroff *p = vm_dev_alloc(vm, sizeof(*p));

	if (!p)
		return -PV_ENOMEM;
	if (cfg->space != VDEV_SPACE_MMIO)
		return -PV_EINVAL;
	*p = (struct vpoweroff){
		.dev = { .name = "poweroff",
			 .space = VDEV_SPACE_MMIO,
			 .base = cfg->base,
			 .size = VPOWEROFF_SIZE,
			 .ops = &vpoweroff_ops,
			 .priv = p },
		.vm = vm,
	};
	return vdev_register(vm, &p->dev);
}

/* The register block as a syscon, and the node Linux's syscon-poweroff driver binds. */
static int vpoweroff_fdt(void *fdt, const struct vm_dev_config *cfg, struct vdev_fdt_ctx *ctx)
{
	static const char compat[] = "syscon";
	uint32_t phandle = ctx->next_phandle++;
	int node = vm_fdt_device_node(fdt, cfg, ctx, compat, sizeof(compat));
	int rc = node < 0 ? node : fdt_setprop_u32(fdt, node, "reg-io-width", 4);

	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", phandle);
	node = rc ? rc : fdt_add_subnode(fdt, 0, "syscon-poweroff");
	rc = node < 0 ? node : vm_fdt_string(fdt, node, "compatible", "syscon-poweroff");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "regmap", phandle);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "offset", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "value", VPOWEROFF_VALUE);
	return rc;
}

const struct vdev_model vpoweroff_model = {
	.compatible = "syscon-poweroff",
	.spaces = 1u << VDEV_SPACE_MMIO,
	.size = VPOWEROFF_SIZE,
	.create = vpoweroff_create,
	.fdt_node = vpoweroff_fdt,
};
