// SPDX-License-Identifier: MIT
/*
 * Image placement (vm/vm_layout.h). The kernel goes where its format says; images with a
 * load-address go there; a Linux kernel's boot information block (arch_vm_desc.linux_info) where
 * the backend says, from the start of the kernel's RAM region; the device tree and then the initrd
 * without one go as high as they fit in that region (where a kernel does not expect to unpack
 * itself), each below what is already placed. A device tree never crosses a 2 MiB boundary (Linux may
 * map it with one block).
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

const char *vm_placed_name(const struct vm_placed *p)
{
	if (p->img)
		return p->img->node;
	return p->boot_info ? "boot information" : "device tree";
}

/* Names in layout errors: an image's node, or what the hypervisor itself writes. */
static const char *layout_name(const struct vm_placed *p, bool article)
{
	static const char *const names[2][2] = {
		{ "generated device tree", "the generated device tree" },
		{ "boot information", "the boot information" },
	};

	if (p->img)
		return p->img->node;
	return names[p->boot_info][article];
}

static bool overlaps(const struct vm_placed *p, uint64_t addr, uint64_t size)
{
	return addr < p->gpa.raw + p->span && p->gpa.raw < addr + size;
}

/* Places @what (an image, or with img NULL the generated device tree or the boot information). */
static int place_block(struct vm_layout *l, const struct vm_config *cfg, struct vm_placed what,
		       struct vm_err *err)
{
	uint64_t addr = what.gpa.raw, span = what.span;

	if (!ram_region(cfg, addr, span))
		return vm_err_set(err, cfg->name,
				  "%s (0x%llx bytes at 0x%llx) does not fit in guest RAM",
				  layout_name(&what, false), (unsigned long long)span,
				  (unsigned long long)addr);
	for (unsigned i = 0; i < l->nplaced; i++)
		if (overlaps(&l->placed[i], addr, span))
			return vm_err_set(err, cfg->name, "%s (at 0x%llx) overlaps %s (at 0x%llx)",
					  layout_name(&what, false), (unsigned long long)addr,
					  layout_name(&l->placed[i], true),
					  (unsigned long long)l->placed[i].gpa.raw);
	l->placed[l->nplaced++] = what;
	return PV_OK;
}

static int place(struct vm_layout *l, const struct vm_config *cfg,
		 const struct vm_image_config *img, uint64_t addr, uint64_t span,
		 struct vm_err *err)
{
	return place_block(l, cfg, (struct vm_placed){ .img = img, .gpa = gpa(addr), .span = span },
			   err);
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
	uint64_t text_offset = 0, footprint = k->size, entry_offset = 0, base, load;
	char why[96] = "";

	if (k->data &&
	    arch_vm_desc.linux_header(k->data, k->size, &text_offset, &footprint, why, sizeof(why)))
		return vm_err_set(err, cfg->name, "kernel: %s", why);
	if (footprint < k->size)
		footprint = k->size;
	if (k->data && arch_vm_desc.linux_entry)
		entry_offset = arch_vm_desc.linux_entry(k->data, k->size);
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
	l->entry = gpa(load + entry_offset);
	return place(l, cfg, k, load, footprint, err);
}

bool vm_config_elf_kernel(const struct vm_config *cfg)
{
	return cfg->format == VM_BOOT_ELF ||
	       (cfg->format == VM_BOOT_LINUX && arch_vm_desc.linux_elf_entry);
}

/* An ELF kernel; a Linux one (arch_vm_desc.linux_elf_entry) is entered where its backend says. */
static int place_elf(struct vm_layout *l, const struct vm_config *cfg,
		     const struct vm_image_config *k, struct vm_err *err)
{
	struct vm_elf elf;
	uint64_t lo = UINT64_MAX, hi = 0, linux_entry = 0;
	char why[96] = "";

	if (vm_elf_read(k->data, k->size, arch_vm_desc.elf_machine, &elf, why, sizeof(why)))
		return vm_err_set(err, cfg->name, "kernel: %s", why);
	if (cfg->format == VM_BOOT_LINUX &&
	    arch_vm_desc.linux_elf_entry(k->data, k->size, &linux_entry, why, sizeof(why)))
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
	if (cfg->format == VM_BOOT_LINUX)
		l->entry = gpa(linux_entry);
	else
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
	case VM_BOOT_ELF:
		if (!vm_config_elf_kernel(cfg))
			return place_linux(l, cfg, k, err);
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

/* The backend's Linux boot information, at its place in the kernel's RAM region, when the kernel
 * takes one; its argument registers become the boot vCPU's. */
static int place_boot_info(struct vm_layout *l, const struct vm_config *cfg,
			   const struct vm_mem_config *home, struct vm_err *err)
{
	uint64_t args[VM_BOOT_ARGS] = { 0 };
	uint64_t off = arch_vm_desc.linux_info_offset;
	char why[96] = "";
	int n;

	if (off >= home->size)
		return vm_err_set(err, cfg->name, "boot information does not fit in guest RAM");
	n = arch_vm_desc.linux_info(cfg, l, home->gpa.raw + off, NULL, args, why, sizeof(why));
	if (n == 0)
		return PV_OK;
	if (n < 0 || n > VM_BOOT_ARGS)
		return vm_err_set(err, cfg->name, "boot information: %s",
				  why[0] ? why : "refused by the backend");
	l->has_boot_info = true;
	l->boot_info = gpa(home->gpa.raw + off);
	l->nboot_args = (unsigned)n;
	l->boot_arg = args[0];
	for (int i = 1; i < n; i++)
		l->boot_args_more[i - 1] = args[i];
	return place_block(l, cfg,
			   (struct vm_placed){ .boot_info = true,
					       .gpa = l->boot_info,
					       .span = arch_vm_desc.linux_info_size },
			   err);
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
	if (cfg->format == VM_BOOT_LINUX && arch_vm_desc.linux_info) {
		rc = place_boot_info(out, cfg, home, err);
		if (rc)
			return rc;
	}
	if (dtb && !dtb->has_load)
		rc = place_high(out, cfg, dtb, home, dtb->size, true, err);
	else if (out->fdt_generated && cfg->has_fdt_load)
		rc = place(out, cfg, NULL, cfg->fdt_load.raw, VM_FDT_MAX, err);
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
		if (((p->img == NULL && !p->boot_info) || (dtb && p->img == dtb)) && out->has_fdt)
			out->fdt = p->gpa;
	}
	if (!vm_config_elf_kernel(cfg) || vm_config_image(cfg, VM_IMAGE_KERNEL)->data) {
		if (!ram_region(cfg, out->entry.raw, 1))
			return vm_err_set(err, cfg->name, "entry point 0x%llx is outside guest RAM",
					  (unsigned long long)out->entry.raw);
	}
	if (!out->has_boot_info) {
		out->boot_arg =
			cfg->has_boot_arg ? cfg->boot_arg : (out->has_fdt ? out->fdt.raw : 0);
		out->nboot_args = 1;
	}
	return PV_OK;
}
