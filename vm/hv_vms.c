// SPDX-License-Identifier: MIT
/* Reading the embedded VM descriptions at boot (vm/hv_vms.h). */
#include <hal/hal.h>
#include <libfdt.h>
#include <vm/hv_vms.h>
#include <vm/vm_desc.h>
#include <vm/vm_fdt.h>
#include <vm/vm_pt.h>

static struct vm_config hv_vm_configs[VM_DESC_MAX_VMS];

static bool inside(uint64_t base, uint64_t size, uint64_t outer, uint64_t outer_size)
{
	return base >= outer && size <= outer_size && base - outer <= outer_size - size;
}

static bool overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* The VM's @i-th source of bytes: its images, then its devices' images (disks). NULL past the
 * last. */
static const struct vm_image_config *hv_bytes(const struct vm_config *cfg, unsigned i)
{
	if (i < cfg->nimages)
		return &cfg->images[i];
	for (unsigned d = 0; d < cfg->ndevs; d++)
		if (cfg->devs[d].has_image && i-- == cfg->nimages)
			return &cfg->devs[d].image;
	return NULL;
}

/* A firmware-placed image must lie in RAM the firmware reported, away from the hypervisor and
 * from what the firmware reserved for itself; it is then reserved for the VM. */
static int hv_claim_images(struct boot_info *bi, const struct vm_config *cfg)
{
	uint64_t image = (uintptr_t)__pv_image_start;
	uint64_t image_size = (uint64_t)((uintptr_t)__pv_image_end - (uintptr_t)__pv_image_start);
	const struct vm_image_config *img;

	for (unsigned i = 0; (img = hv_bytes(cfg, i)) != NULL; i++) {
		bool in_ram = false;

		if (!img->firmware)
			continue;
		for (unsigned m = 0; m < bi->nmem; m++)
			in_ram |= inside(img->host_addr.raw, img->size, bi->mem[m].base.raw,
					 bi->mem[m].size);
		if (!in_ram || overlap(img->host_addr.raw, img->size, image, image_size)) {
			hal_printf("vm %s: image '%s' at host 0x%llx (0x%llx bytes) is not in free "
				   "RAM; VM not started\n",
				   cfg->name, img->node, (unsigned long long)img->host_addr.raw,
				   (unsigned long long)img->size);
			return -PV_EINVAL;
		}
		for (unsigned r = 0; r < bi->nreserved; r++)
			if (overlap(img->host_addr.raw, img->size, bi->reserved[r].base.raw,
				    bi->reserved[r].size)) {
				hal_printf("vm %s: image '%s' at host 0x%llx overlaps memory the "
					   "firmware reserved; VM not started\n",
					   cfg->name, img->node,
					   (unsigned long long)img->host_addr.raw);
				return -PV_EINVAL;
			}
	}
	for (unsigned i = 0; (img = hv_bytes(cfg, i)) != NULL; i++) {
		if (!img->firmware)
			continue;
		if (boot_add_reserved(bi, img->host_addr, img->size)) {
			hal_printf("vm %s: too many reserved ranges; VM not started\n", cfg->name);
			return -PV_ENOMEM;
		}
		hal_printf("vm %s: image '%s' at host 0x%llx-0x%llx, placed by the firmware, "
			   "reserved\n",
			   cfg->name, img->node, (unsigned long long)img->host_addr.raw,
			   (unsigned long long)(img->host_addr.raw + img->size - 1));
	}
	return PV_OK;
}

static bool hv_in_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned m = 0; m < bi->nmem; m++)
		if (inside(base, size, bi->mem[m].base.raw, bi->mem[m].size))
			return true;
	return false;
}

static bool hv_meets_ram(const struct boot_info *bi, uint64_t base, uint64_t size)
{
	for (unsigned m = 0; m < bi->nmem; m++)
		if (overlap(base, size, bi->mem[m].base.raw, bi->mem[m].size))
			return true;
	return false;
}

/* Passed-through windows are not RAM and not a device the firmware's tree says the hypervisor
 * drives; host nodes exist and translate. Identity RAM is free RAM, then reserved for the VM. */
static int hv_claim_pt(struct boot_info *bi, struct vm_config *cfg, const struct vm_pt_host *own)
{
	uint64_t image = (uintptr_t)__pv_image_start;
	uint64_t image_size = (uint64_t)((uintptr_t)__pv_image_end - (uintptr_t)__pv_image_start);
	struct vm_err err;

	cfg->host_fdt = bi->dtb;
	for (unsigned p = 0; p < cfg->npt; p++) {
		const struct vm_pt_config *pt = &cfg->pt[p];

		for (unsigned r = 0; r < pt->nregs; r++)
			if (hv_meets_ram(bi, pt->regs[r].hpa.raw, pt->regs[r].size)) {
				hal_printf("vm %s: %s: host 0x%llx is RAM, not a device; VM not "
					   "started\n",
					   cfg->name, pt->node,
					   (unsigned long long)pt->regs[r].hpa.raw);
				return -PV_EINVAL;
			}
		if (pt->host_node && !bi->dtb) {
			hal_printf(
				"vm %s: %s: no host device tree to copy %s from; VM not started\n",
				cfg->name, pt->node, pt->host_node);
			return -PV_EINVAL;
		}
	}
	if (vm_pt_host_check(cfg, own, &err) || vm_fdt_pt_check(cfg, &err)) {
		hal_printf("vm %s: %s; VM not started\n", err.where, err.msg);
		return -PV_EINVAL;
	}
	for (unsigned m = 0; cfg->identity_ram && m < cfg->nmem; m++) {
		uint64_t base = cfg->mem[m].gpa.raw, size = cfg->mem[m].size;
		bool taken = overlap(base, size, image, image_size);

		for (unsigned r = 0; r < bi->nreserved; r++)
			taken |=
				overlap(base, size, bi->reserved[r].base.raw, bi->reserved[r].size);
		if (!hv_in_ram(bi, base, size) || taken) {
			hal_printf("vm %s: identity RAM 0x%llx-0x%llx is not free host RAM; VM not "
				   "started\n",
				   cfg->name, (unsigned long long)base,
				   (unsigned long long)(base + size - 1));
			return -PV_EINVAL;
		}
	}
	for (unsigned m = 0; cfg->identity_ram && m < cfg->nmem; m++) {
		if (boot_add_reserved(bi, hpa(cfg->mem[m].gpa.raw), cfg->mem[m].size)) {
			hal_printf("vm %s: too many reserved ranges; VM not started\n", cfg->name);
			return -PV_ENOMEM;
		}
		hal_printf("vm %s: identity RAM at host 0x%llx-0x%llx, reserved\n", cfg->name,
			   (unsigned long long)cfg->mem[m].gpa.raw,
			   (unsigned long long)(cfg->mem[m].gpa.raw + cfg->mem[m].size - 1));
	}
	return PV_OK;
}

unsigned hv_read_vms(struct boot_info *bi, const struct vm_config **out, unsigned max)
{
	static struct vm_pt_host own;
	/* Linker symbols are separate objects to C: compare their addresses, not the pointers. */
	uint64_t size = (uint64_t)((uintptr_t)pv_vm_package_end - (uintptr_t)pv_vm_package);
	struct vm_desc_source src = { .pkg = pv_vm_package,
				      .pkg_size = size,
				      .host_readable = true };
	struct vm_err err;
	unsigned count = 0;
	int node = -1;

	if (size == 0)
		return 0;
	if (vm_desc_check_header(pv_vm_package, size, &err)) {
		hal_printf("vm description: %s: %s; no VM started\n", err.where, err.msg);
		return 0;
	}
	if (bi->dtb)
		vm_pt_host_scan(bi->dtb, &own);
	while ((node = vm_desc_next_vm(pv_vm_package, node)) >= 0) {
		struct vm_config *cfg = &hv_vm_configs[count];

		if (count >= max || count >= VM_DESC_MAX_VMS) {
			hal_printf("vm description: more than %u VMs; the rest are not started\n",
				   count);
			break;
		}
		if (vm_desc_parse_vm(pv_vm_package, node, &src, cfg, &err)) {
			hal_printf("vm description: %s: %s; VM not started\n", err.where, err.msg);
			continue;
		}
		out[count] = cfg;
		if (vm_desc_check_all(out, count + 1, &err)) {
			hal_printf("vm %s: %s; VM not started\n", err.where, err.msg);
			continue;
		}
		if (hv_claim_images(bi, cfg) || hv_claim_pt(bi, cfg, &own))
			continue;
		count++;
	}
	return count;
}
