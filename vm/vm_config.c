// SPDX-License-Identifier: MIT
/* Whole-configuration checks (vm/vm_config.h). */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <irq/vdev_model.h>
#include <pv/fmt.h>
#include <stdarg.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_config.h>
#include <vm/vm_layout.h>

int vm_err_set(struct vm_err *err, const char *where, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -PV_EINVAL;
	pv_snprintf(err->where, sizeof(err->where), "%s", where ? where : "");
	va_start(ap, fmt);
	pv_vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -PV_EINVAL;
}

static bool overlap(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

static int check_cpus(const struct vm_config *cfg, const char *name, struct vm_err *err)
{
	unsigned max = hal_board.max_cpus;

	if (cfg->nvcpus == 0 || cfg->nvcpus > VM_MAX_VCPUS)
		return vm_err_set(err, name, "%u vCPUs (1 to %u allowed)", cfg->nvcpus,
				  VM_MAX_VCPUS);
	for (unsigned i = 0; i < cfg->nvcpus; i++) {
		if (cfg->pcpu[i] >= max)
			return vm_err_set(err, name, "vCPU %u pinned to CPU %u, the board has %u",
					  i, cfg->pcpu[i], max);
		for (unsigned j = 0; j < i; j++) {
			if (cfg->guest_cpu_id[j] == cfg->guest_cpu_id[i])
				return vm_err_set(err, name,
						  "vCPUs %u and %u share guest CPU id 0x%llx", j, i,
						  (unsigned long long)cfg->guest_cpu_id[i]);
			if (cfg->pcpu[j] == cfg->pcpu[i])
				return vm_err_set(err, name,
						  "vCPUs %u and %u are both pinned to CPU %u", j, i,
						  cfg->pcpu[i]);
		}
	}
	return PV_OK;
}

static int check_ram(const struct vm_config *cfg, const char *name, struct vm_err *err)
{
	const struct s2_format *fmt = arch_backend.s2_format;
	uint64_t page = arch_vm_desc.ram_align ? arch_vm_desc.ram_align : HAL_PAGE_SIZE;

	if (fmt && (1ULL << fmt->page_shift) != page)
		return vm_err_set(err, name,
				  "the backend's RAM alignment 0x%llx is not its stage-2 "
				  "page size",
				  (unsigned long long)page);

	if (cfg->nmem == 0 || cfg->nmem > VM_MAX_MEM_REGIONS)
		return vm_err_set(err, name, "%u RAM regions (1 to %u allowed)", cfg->nmem,
				  VM_MAX_MEM_REGIONS);
	for (unsigned i = 0; i < cfg->nmem; i++) {
		const struct vm_mem_config *m = &cfg->mem[i];

		if (m->size == 0 || !PV_IS_ALIGNED(m->gpa.raw, page) ||
		    !PV_IS_ALIGNED(m->size, page) || m->gpa.raw + m->size < m->gpa.raw)
			return vm_err_set(
				err, name,
				"RAM region %u (0x%llx, 0x%llx bytes) is empty, wraps or is "
				"not aligned to 0x%llx",
				i, (unsigned long long)m->gpa.raw, (unsigned long long)m->size,
				(unsigned long long)page);
		for (unsigned j = 0; j < i; j++)
			if (overlap(m->gpa.raw, m->size, cfg->mem[j].gpa.raw, cfg->mem[j].size))
				return vm_err_set(err, name, "RAM regions %u and %u overlap", j, i);
	}
	return PV_OK;
}

static int check_images(const struct vm_config *cfg, const char *name, struct vm_err *err)
{
	unsigned kernels = 0;

	if (cfg->nimages > VM_MAX_IMAGES)
		return vm_err_set(err, name, "%u images (at most %u)", cfg->nimages, VM_MAX_IMAGES);
	for (unsigned i = 0; i < cfg->nimages; i++) {
		const struct vm_image_config *img = &cfg->images[i];

		if (img->role == VM_IMAGE_KERNEL)
			kernels++;
		if (img->size == 0)
			return vm_err_set(err, name, "image '%s' is empty", img->node);
		if (!img->data && !img->firmware)
			return vm_err_set(err, name, "image '%s' has no bytes", img->node);
		if (img->firmware && img->host_addr.raw + img->size < img->host_addr.raw)
			return vm_err_set(err, name, "image '%s' wraps around host memory",
					  img->node);
		for (unsigned j = 0; j < i; j++) {
			const struct vm_image_config *o = &cfg->images[j];
			if (img->role != VM_IMAGE_BLOB && o->role == img->role)
				return vm_err_set(err, name, "two images of one kind: '%s', '%s'",
						  o->node, img->node);
			if (img->firmware && o->firmware &&
			    overlap(img->host_addr.raw, img->size, o->host_addr.raw, o->size))
				return vm_err_set(err, name,
						  "images '%s' and '%s' overlap in host memory",
						  o->node, img->node);
		}
	}
	if (kernels != 1)
		return vm_err_set(err, name, "a VM needs one kernel image, it has %u", kernels);
	if (cfg->format == VM_BOOT_LINUX && !arch_vm_desc.linux_header &&
	    !arch_vm_desc.linux_elf_entry)
		return vm_err_set(err, name, "this architecture cannot boot a Linux kernel yet");
	return PV_OK;
}

/* @dev's window against RAM, the backend's own ranges and the devices before it. */
static int check_device_place(const struct vm_config *cfg, unsigned d, const char *name,
			      struct vm_err *err)
{
	const struct vm_dev_config *dev = &cfg->devs[d];
	uint64_t size = vdev_model_window(dev);
	struct arch_vm_range ranges[ARCH_VM_MAX_RANGES];
	unsigned nranges = arch_vm_desc.guest_ranges ? arch_vm_desc.guest_ranges(cfg, ranges) : 0;

	if (dev->base + size < dev->base)
		return vm_err_set(err, name, "device %s wraps around", dev->node);
	for (unsigned j = 0; j < d; j++) {
		const struct vm_dev_config *o = &cfg->devs[j];
		if (o->space == dev->space &&
		    overlap(dev->base, size, o->base, vdev_model_window(o)))
			return vm_err_set(err, name, "devices %s and %s overlap", o->node,
					  dev->node);
		if (dev->has_irq && o->has_irq && dev->irq == o->irq)
			return vm_err_set(err, name, "devices %s and %s share interrupt line %u",
					  o->node, dev->node, dev->irq);
	}
	if (dev->space != VDEV_SPACE_MMIO)
		return PV_OK;
	for (unsigned i = 0; i < cfg->nmem; i++)
		if (overlap(dev->base, size, cfg->mem[i].gpa.raw, cfg->mem[i].size))
			return vm_err_set(err, name, "device %s overlaps RAM region %u", dev->node,
					  i);
	for (unsigned i = 0; i < nranges; i++)
		if (overlap(dev->base, size, ranges[i].base, ranges[i].size))
			return vm_err_set(err, name, "device %s overlaps the %s at 0x%llx",
					  dev->node, ranges[i].what,
					  (unsigned long long)ranges[i].base);
	return PV_OK;
}

/* A disk's image and a network device's switch and address, for the models that have them. */
static int check_device_backing(const struct vm_dev_config *dev, const char *name,
				struct vm_err *err)
{
	const struct vdev_model *m = dev->model;

	if (!!m->image_block != dev->has_image)
		return vm_err_set(err, name, "device %s: %s", dev->node,
				  dev->has_image ? "this device has no image"
						 : "give its image ('file' or 'host-address')");
	if (dev->has_image) {
		if (dev->image.size == 0 || dev->image.size % m->image_block)
			return vm_err_set(err, name,
					  "device %s: image of %llu bytes, not a multiple of %llu",
					  dev->node, (unsigned long long)dev->image.size,
					  (unsigned long long)m->image_block);
		if (!dev->image.data && !dev->image.firmware)
			return vm_err_set(err, name, "device %s: image has no bytes", dev->node);
		if (dev->image.firmware &&
		    dev->image.host_addr.raw + dev->image.size < dev->image.host_addr.raw)
			return vm_err_set(err, name, "device %s: image wraps around host memory",
					  dev->node);
	}
	if (!!m->link != !!dev->link)
		return vm_err_set(err, name, "device %s: %s", dev->node,
				  dev->link ? "this device plugs into no switch"
					    : "name its 'switch'");
	if (dev->link) {
		static const uint8_t zero[6];

		if (!dev->link[0] || strlen(dev->link) >= VM_LINK_NAME_MAX)
			return vm_err_set(err, name, "device %s: switch name of 1 to %u characters",
					  dev->node, VM_LINK_NAME_MAX - 1);
		if ((dev->mac[0] & 1) || memcmp(dev->mac, zero, 6) == 0)
			return vm_err_set(err, name,
					  "device %s: MAC address is not a unicast address",
					  dev->node);
	}
	return PV_OK;
}

void vm_dev_default_mac(const char *vm, const char *node, uint8_t mac[6])
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (const char *s = vm; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	h = (h ^ '/') * 16777619u;
	for (const char *s = node; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 0x70;
	mac[2] = 0x76;
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

static int check_devices(const struct vm_config *cfg, const char *name, struct vm_err *err)
{
	struct arch_vm_range ranges[ARCH_VM_MAX_RANGES];
	unsigned nranges = arch_vm_desc.guest_ranges ? arch_vm_desc.guest_ranges(cfg, ranges) : 0;

	if (cfg->ndevs > VM_MAX_DEV_CONFIGS)
		return vm_err_set(err, name, "%u devices (at most %u)", cfg->ndevs,
				  VM_MAX_DEV_CONFIGS);
	for (unsigned i = 0; i < nranges; i++)
		for (unsigned r = 0; r < cfg->nmem; r++)
			if (overlap(ranges[i].base, ranges[i].size, cfg->mem[r].gpa.raw,
				    cfg->mem[r].size))
				return vm_err_set(err, name,
						  "RAM region %u overlaps the %s the hypervisor "
						  "emulates at 0x%llx",
						  r, ranges[i].what,
						  (unsigned long long)ranges[i].base);
	for (unsigned i = 0; i < cfg->ndevs; i++) {
		const struct vm_dev_config *dev = &cfg->devs[i];
		const struct vdev_model *m = dev->model;
		int rc;

		if (!m || !m->create)
			return vm_err_set(err, name, "device %u has no model", i);
		if (!dev->node || !dev->node[0])
			return vm_err_set(err, name, "device %u has no name", i);
		for (unsigned j = 0; j < i; j++)
			if (strcmp(cfg->devs[j].node, dev->node) == 0)
				return vm_err_set(err, name, "two devices are named %s", dev->node);
		if ((unsigned)dev->space >= VDEV_SPACE_COUNT || !(m->spaces >> dev->space & 1))
			return vm_err_set(err, name,
					  "device %s (%s) cannot sit in that address space",
					  dev->node, m->compatible);
		if (dev->reg_shift > m->max_reg_shift)
			return vm_err_set(err, name, "device %s: reg-shift %u (at most %u)",
					  dev->node, dev->reg_shift, m->max_reg_shift);
		if (dev->size && dev->size < vdev_model_window(dev))
			return vm_err_set(err, name,
					  "device %s: its registers need 0x%llx bytes, 'reg' gives "
					  "0x%llx",
					  dev->node, (unsigned long long)vdev_model_window(dev),
					  (unsigned long long)dev->size);
		rc = check_device_backing(dev, name, err);
		if (rc)
			return rc;
		if (dev->has_irq && (!m->irq || !arch_vm_desc.irq_line))
			return vm_err_set(
				err, name, "device %s: %s", dev->node,
				m->irq ? "this architecture routes no device interrupts yet"
				       : "this device has no interrupt");
		if (dev->has_irq &&
		    (dev->irq < arch_vm_desc.min_irq_line || dev->irq > arch_vm_desc.max_irq_line))
			return vm_err_set(err, name,
					  "device %s: interrupt line %u (%u to %u allowed)",
					  dev->node, dev->irq, arch_vm_desc.min_irq_line,
					  arch_vm_desc.max_irq_line);
		rc = check_device_place(cfg, i, name, err);
		if (rc)
			return rc;
	}
	return PV_OK;
}

int vm_config_check(const struct vm_config *cfg, struct vm_err *err)
{
	const char *name = cfg->name ? cfg->name : "(unnamed)";
	int rc;

	if (!cfg->name || !cfg->name[0] || strlen(cfg->name) >= VM_NAME_MAX)
		return vm_err_set(err, name, "name must have 1 to %u characters", VM_NAME_MAX - 1);
	rc = check_cpus(cfg, name, err);
	if (!rc)
		rc = check_ram(cfg, name, err);
	if (!rc)
		rc = check_images(cfg, name, err);
	if (!rc)
		rc = check_devices(cfg, name, err);
	if (!rc)
		rc = vm_config_check_pt(cfg, name, err);
	return rc;
}
