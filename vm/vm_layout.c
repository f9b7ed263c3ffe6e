// SPDX-License-Identifier: MIT
/*
 * Image placement (vm/vm_layout.h). The kernel goes where its format says; images with a
 * load-address go there; the device tree and then the initrd without one go as high as they fit in
 * the kernel's RAM region (where a kernel does not expect to unpack itself), each below what is
 * already placed. A device tree never crosses a 2 MiB boundary (arm64 Linux maps it with one
 * block).
 */
#include <pv/fmt.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_elf.h>
#include <vm/vm_layout.h>

#define LAYOUT_FDT_WINDOW PV_MIB(2)

const struct vm_image_config *vm_config_image(const struct vm_config *cfg, enum vm_image_role role)
{
	for (unsigned i = 0; i < cfg->nimages; i++)
		if (cfg->images[i].role == role)
			return &cfg->images[i];
	return NULL;
}

static const struct vm_mem_config *ram_region(const struct vm_config *cfg, uint64_t addr,
					      uint64_t size)
{
	for (unsigned i = 0; i < cfg->nmem; i++) {
		const struct vm_mem_config *m = &cfg->mem[i];
		if (addr >= m->gpa.raw && size <= m->size && addr - m->gpa.raw <= m->size - size)
			return m;
	}
	return NULL;
}

bool vm_config_in_ram(const struct vm_config *cfg, uint64_t addr, uint64_t size)
{
	return ram_region(cfg, addr, size) != NULL;
}

static bool overlaps(const struct vm_placed *p, uint64_t addr, uint64_t size)
{
	return addr < p->gpa.raw + p->span && p->gpa.raw < addr + size;
}

static int place(struct vm_layout *l, const struct vm_config *cfg,
		 const struct vm_image_config *img, uint64_t addr, uint64_t span,
		 struct vm_err *err)
{
	const char *what = img ? img->node : "generated device tree";

	if (!ram_region(cfg, addr, span))
		return vm_err_set(err, cfg->name,
				  "%s (0x%llx bytes at 0x%llx) does not fit in guest RAM", what,
				  (unsigned long long)span, (unsigned long long)addr);
	for (unsigned i = 0; i < l->nplaced; i++)
		if (overlaps(&l->placed[i], addr, span))
			return vm_err_set(err, cfg->name, "%s (at 0x%llx) overlaps %s (at 0x%llx)",
					  what, (unsigned long long)addr,
					  l->placed[i].img ? l->placed[i].img->node
							   : "the generated device tree",
					  (unsigned long long)l->placed[i].gpa.raw);
	l->placed[l->nplaced++] = (struct vm_placed){ img, gpa(addr), span };
	return PV_OK;
}

/* The highest @align-aligned address in @m where @size bytes overlap nothing placed (and, for a
 * device tree, cross no 2 MiB boundary); 0 with an error when there is none. */
static int place_high(struct vm_layout *l, const struct vm_config *cfg,
		      const struct vm_image_config *img, const struct vm_mem_config *m,
		      uint64_t size, bool fdt, struct vm_err *err)
{
	uint64_t top = m->gpa.raw + m->size;

	while (top - m->gpa.raw >= size) {
		uint64_t addr = PV_ALIGN_DOWN(top - size, HAL_PAGE_SIZE);
		bool clear = addr >= m->gpa.raw;

		if (clear && fdt && size <= LAYOUT_FDT_WINDOW &&
		    PV_ALIGN_DOWN(addr, LAYOUT_FDT_WINDOW) !=
			    PV_ALIGN_DOWN(addr + size - 1, LAYOUT_FDT_WINDOW)) {
			top = PV_ALIGN_DOWN(addr + size - 1, LAYOUT_FDT_WINDOW);
			continue;
		}
		for (unsigned i = 0; clear && i < l->nplaced; i++)
			if (overlaps(&l->placed[i], addr, size)) {
				top = l->placed[i].gpa.raw;
				clear = false;
			}
		if (clear)
			return place(l, cfg, img, addr, size, err);
		if (addr < m->gpa.raw)
			break;
	}
	return vm_err_set(err, cfg->name, "no room for %s (0x%llx bytes) in guest RAM",
			  img ? img->node : "the generated device tree", (unsigned long long)size);
}

static int place_linux(struct vm_layout *l, const struct vm_config *cfg,
		       const struct vm_image_config *k, struct vm_err *err)
{
	uint64_t text_offset = 0, footprint = k->size, base, load;
	char why[96] = "";

	if (k->data &&
	    arch_vm_desc.linux_header(k->data, k->size, &text_offset, &footprint, why, sizeof(why)))
		return vm_err_set(err, cfg->name, "kernel: %s", why);
	if (footprint < k->size)
		footprint = k->size;
	if (k->has_load) {
		load = k->load.raw;
		if (load < text_offset ||
		    !PV_IS_ALIGNED(load - text_offset, arch_vm_desc.linux_align))
			return vm_err_set(
				err, cfg->name,
				"kernel: load-address 0x%llx is not 0x%llx-aligned plus its "
				"text offset 0x%llx",
				(unsigned long long)load,
				(unsigned long long)arch_vm_desc.linux_align,
				(unsigned long long)text_offset);
	} else {
		base = PV_ALIGN_UP(cfg->mem[0].gpa.raw, arch_vm_desc.linux_align);
		load = base + text_offset;
	}
	l->entry = gpa(load);
	return place(l, cfg, k, load, footprint, err);
}

static int place_elf(struct vm_layout *l, const struct vm_config *cfg,
		     const struct vm_image_config *k, struct vm_err *err)
{
	struct vm_elf elf;
	uint64_t lo = UINT64_MAX, hi = 0;
	char why[96] = "";

	if (vm_elf_read(k->data, k->size, arch_vm_desc.elf_machine, &elf, why, sizeof(why)))
		return vm_err_set(err, cfg->name, "kernel: %s", why);
	for (unsigned i = 0; i < elf.nseg; i++) {
		const struct vm_elf_segment *s = &elf.seg[i];
		if (!ram_region(cfg, s->paddr, s->memsz))
			return vm_err_set(err, cfg->name,
					  "kernel: ELF segment at 0x%llx (0x%llx bytes) is outside "
					  "guest RAM",
					  (unsigned long long)s->paddr,
					  (unsigned long long)s->memsz);
		lo = s->paddr < lo ? s->paddr : lo;
		hi = s->paddr + s->memsz > hi ? s->paddr + s->memsz : hi;
	}
	l->entry = gpa(cfg->has_entry ? cfg->entry.raw : elf.entry);
	/* The segments' whole span counts as the kernel's, gaps included: simple and safe. */
	if (!ram_region(cfg, lo, hi - lo))
		return vm_err_set(err, cfg->name, "kernel: ELF segments span several RAM regions");
	return place(l, cfg, k, lo, hi - lo, err);
}

static int place_kernel(struct vm_layout *l, const struct vm_config *cfg, struct vm_err *err)
{
	const struct vm_image_config *k = vm_config_image(cfg, VM_IMAGE_KERNEL);

	if (!k)
		return vm_err_set(err, cfg->name, "no kernel image");
	switch (cfg->format) {
	case VM_BOOT_LINUX:
		return place_linux(l, cfg, k, err);
	case VM_BOOT_ELF:
		if (!k->data) { /* placed by the firmware, unread at build time: checked at boot */
			l->entry = gpa(0);
			return PV_OK;
		}
		return place_elf(l, cfg, k, err);
	case VM_BOOT_RAW:
		if (!k->has_load)
			return vm_err_set(err, cfg->name,
					  "kernel: a raw image needs its load-address");
		l->entry = cfg->has_entry ? cfg->entry : k->load;
		return place(l, cfg, k, k->load.raw, k->size, err);
	}
	return vm_err_set(err, cfg->name, "unknown boot format %u", (unsigned)cfg->format);
}

/* The RAM region of the kernel's entry (where the rest goes by default), else the first. */
static const struct vm_mem_config *home_region(const struct vm_layout *l,
					       const struct vm_config *cfg)
{
	const struct vm_mem_config *m = ram_region(cfg, l->entry.raw, 1);

	return m ? m : &cfg->mem[0];
}

int vm_layout_compute(const struct vm_config *cfg, struct vm_layout *out, struct vm_err *err)
{
	const struct vm_image_config *dtb = vm_config_image(cfg, VM_IMAGE_DTB);
	const struct vm_image_config *initrd = vm_config_image(cfg, VM_IMAGE_INITRD);
	const struct vm_mem_config *home;
	int rc;

	*out = (struct vm_layout){ 0 };
	if (cfg->nmem == 0)
		return vm_err_set(err, cfg->name, "no RAM");
	rc = place_kernel(out, cfg, err);
	/* Images with a load-address first: the others fill the room they leave. */
	for (unsigned i = 0; !rc && i < cfg->nimages; i++) {
		const struct vm_image_config *img = &cfg->images[i];
		if (img->role != VM_IMAGE_KERNEL && img->has_load)
			rc = place(out, cfg, img, img->load.raw, img->size, err);
	}
	if (rc)
		return rc;
	home = home_region(out, cfg);
	out->has_fdt = dtb || arch_vm_desc.fdt_arch;
	out->fdt_generated = !dtb && arch_vm_desc.fdt_arch;
	if (dtb && !dtb->has_load)
		rc = place_high(out, cfg, dtb, home, dtb->size, true, err);
	else if (out->fdt_generated)
		rc = place_high(out, cfg, NULL, home, VM_FDT_MAX, true, err);
	if (!rc && initrd && !initrd->has_load)
		rc = place_high(out, cfg, initrd, home, initrd->size, false, err);
	if (rc)
		return rc;
	for (unsigned i = 0; i < out->nplaced; i++) {
		const struct vm_placed *p = &out->placed[i];
		if (p->img == initrd && initrd) {
			out->has_initrd = true;
			out->initrd = p->gpa;
			out->initrd_size = initrd->size;
		}
		if ((p->img == NULL || p->img == dtb) && out->has_fdt)
			out->fdt = p->gpa;
	}
	if (cfg->format != VM_BOOT_ELF || vm_config_image(cfg, VM_IMAGE_KERNEL)->data) {
		if (!ram_region(cfg, out->entry.raw, 1))
			return vm_err_set(err, cfg->name, "entry point 0x%llx is outside guest RAM",
					  (unsigned long long)out->entry.raw);
	}
	out->boot_arg = cfg->has_boot_arg ? cfg->boot_arg : (out->has_fdt ? out->fdt.raw : 0);
	return PV_OK;
}
