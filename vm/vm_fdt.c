// SPDX-License-Identifier: MIT
/* Generated guest device trees (vm/vm_fdt.h). */
#include <hal/boot_seed.h>
#include <libfdt.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>

/* Phandles the core hands out to device helper nodes start here, above any the backend uses. */
#define VM_FDT_FIRST_DEVICE_PHANDLE 0x100u

static int fdt_u64_pair(void *fdt, int node, const char *name, uint64_t a, uint64_t b)
{
	fdt64_t cells[2] = { cpu_to_fdt64(a), cpu_to_fdt64(b) };

	return fdt_setprop(fdt, node, name, cells, sizeof(cells));
}

int vm_fdt_string(void *fdt, int node, const char *name, const char *value)
{
	return fdt_setprop(fdt, node, name, value, (int)strlen(value) + 1);
}

int vm_fdt_device_node(void *fdt, const struct vm_dev_config *cfg, const struct vdev_fdt_ctx *ctx,
		       const char *compat, int len)
{
	int node = fdt_add_subnode(fdt, 0, cfg->node);
	int rc;

	if (node < 0)
		return node;
	rc = fdt_setprop(fdt, node, "compatible", compat, len);
	if (!rc && cfg->space == VDEV_SPACE_MMIO)
		rc = fdt_u64_pair(fdt, node, "reg", cfg->base,
				  cfg->size ? cfg->size : vdev_model_window(cfg));
	if (!rc && cfg->has_irq && arch_vm_desc.fdt_irq && ctx->intc_phandle) {
		uint32_t cells[4];
		fdt32_t be[4];
		unsigned n = arch_vm_desc.fdt_irq(cfg->irq, cells);

		for (unsigned i = 0; i < n && i < 4; i++)
			be[i] = cpu_to_fdt32(cells[i]);
		rc = fdt_setprop(fdt, node, "interrupts", be, (int)(n * sizeof(fdt32_t)));
	}
	return rc ? rc : node;
}

uint32_t vm_fdt_fixed_clock(void *fdt, const char *name, uint32_t hz, struct vdev_fdt_ctx *ctx)
{
	int node = fdt_subnode_offset(fdt, 0, name);
	uint32_t phandle;

	if (node >= 0)
		return fdt_get_phandle(fdt, node);
	node = fdt_add_subnode(fdt, 0, name);
	phandle = ctx->next_phandle++;
	if (node < 0 || vm_fdt_string(fdt, node, "compatible", "fixed-clock") ||
	    fdt_setprop_u32(fdt, node, "#clock-cells", 0) ||
	    fdt_setprop_u32(fdt, node, "clock-frequency", hz) ||
	    vm_fdt_string(fdt, node, "clock-output-names", name) ||
	    fdt_setprop_u32(fdt, node, "phandle", phandle))
		return 0;
	return phandle;
}

static int fdt_chosen(void *fdt, const struct vm_config *cfg, const struct vm_layout *layout)
{
	int node = fdt_add_subnode(fdt, 0, "chosen");
	int rc = node < 0 ? node : 0;

	if (!rc && cfg->bootargs)
		rc = vm_fdt_string(fdt, node, "bootargs", cfg->bootargs);
	if (!rc && layout->has_initrd) {
		rc = fdt_setprop_u64(fdt, node, "linux,initrd-start", layout->initrd.raw);
		if (!rc)
			rc = fdt_setprop_u64(fdt, node, "linux,initrd-end",
					     layout->initrd.raw + layout->initrd_size);
	}
	for (unsigned i = 0; !rc && i < cfg->ndevs; i++) {
		if (!cfg->devs[i].model->console || cfg->devs[i].space != VDEV_SPACE_MMIO)
			continue;
		char path[64];
		pv_snprintf(path, sizeof(path), "/%s", cfg->devs[i].node);
		rc = vm_fdt_string(fdt, node, "stdout-path", path);
		break;
	}
	return rc;
}

static int fdt_memory(void *fdt, const struct vm_config *cfg)
{
	for (unsigned i = 0; i < cfg->nmem; i++) {
		char name[32];
		int node, rc;

		pv_snprintf(name, sizeof(name), "memory@%llx",
			    (unsigned long long)cfg->mem[i].gpa.raw);
		node = fdt_add_subnode(fdt, 0, name);
		if (node < 0)
			return node;
		rc = vm_fdt_string(fdt, node, "device_type", "memory");
		if (!rc)
			rc = fdt_u64_pair(fdt, node, "reg", cfg->mem[i].gpa.raw, cfg->mem[i].size);
		if (rc)
			return rc;
	}
	return 0;
}

static int fdt_tree(void *fdt, const struct vm_config *cfg, const struct vm_layout *layout,
		    struct vm_err *err, int *pt_rc)
{
	struct vdev_fdt_ctx ctx = { .next_phandle = VM_FDT_FIRST_DEVICE_PHANDLE };
	char model[48];
	int rc;

	pv_snprintf(model, sizeof(model), "Polyvisor VM %s", cfg->name);
	rc = fdt_setprop_u32(fdt, 0, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, 0, "#size-cells", 2);
	if (!rc)
		rc = vm_fdt_string(fdt, 0, "model", model);
	if (!rc)
		rc = vm_fdt_string(fdt, 0, "compatible", "polyvisor,guest");
	if (!rc)
		rc = fdt_chosen(fdt, cfg, layout);
	if (!rc)
		rc = fdt_memory(fdt, cfg);
	if (!rc && arch_vm_desc.fdt_arch)
		rc = arch_vm_desc.fdt_arch(fdt, cfg, &ctx.intc_phandle);
	if (!rc && ctx.intc_phandle)
		rc = fdt_setprop_u32(fdt, 0, "interrupt-parent", ctx.intc_phandle);
	/* Added last first: libfdt puts a new node before its siblings, and guests probe devices
	 * in tree order (the first virtio disk of the description is vda). Passed-through devices
	 * come after the emulated ones. */
	if (!rc) {
		*pt_rc = vm_fdt_pt_nodes(fdt, cfg, ctx.intc_phandle, err);
		if (*pt_rc)
			return 0;
	}
	for (unsigned i = cfg->ndevs; !rc && i-- > 0;) {
		const struct vm_dev_config *dev = &cfg->devs[i];
		/* Device trees describe memory-mapped devices; port devices are found by probing. */
		if (dev->model->fdt_node && dev->space == VDEV_SPACE_MMIO)
			rc = dev->model->fdt_node(fdt, dev, &ctx);
	}
	return rc;
}

int vm_fdt_build(const struct vm_config *cfg, const struct vm_layout *layout, void *buf,
		 size_t size, struct vm_err *err)
{
	int rc = size > INT32_MAX ? -FDT_ERR_NOSPACE : fdt_create_empty_tree(buf, (int)size);
	int pt_rc = PV_OK;

	if (!rc)
		rc = fdt_tree(buf, cfg, layout, err, &pt_rc);
	if (pt_rc == -PV_EINVAL)
		return pt_rc;
	if (pt_rc)
		rc = -FDT_ERR_NOSPACE;
	if (!rc)
		rc = fdt_pack(buf);
	if (rc) {
		(void)vm_err_set(err, cfg->name, "generating the device tree: %s",
				 fdt_strerror(rc));
		return -PV_ENOMEM;
	}
	return PV_OK;
}

int vm_fdt_add_seed(void *buf, size_t size)
{
	uint8_t seed[BOOT_SEED_LEN];
	int rc, node;

	if (!boot_seed_take(seed))
		return PV_OK;
	rc = size > INT32_MAX ? -FDT_ERR_NOSPACE : fdt_open_into(buf, buf, (int)size);
	node = rc ? rc : fdt_path_offset(buf, "/chosen");
	rc = node < 0 ? node : fdt_setprop(buf, node, "rng-seed", seed, sizeof(seed));
	if (!rc)
		rc = fdt_pack(buf);
	memset(seed, 0, sizeof(seed));
	return rc ? -PV_ENOMEM : PV_OK;
}
