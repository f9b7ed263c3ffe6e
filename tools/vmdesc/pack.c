// SPDX-License-Identifier: MIT
/*
 * pv-vmdesc pack: the description with every "file" image embedded after it. Each file is stored
 * once, 4 KiB-aligned, and each image node gets "pv,data" = <offset size> (64-bit each, from the
 * package's start); a disk the guest writes (a device with a "file" and no "read-only") gets a
 * copy of its own, as its writes change it in place. The result is read back as the hypervisor
 * will read it before it is written.
 */
#include "vmdesc.h"

#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PACK_ALIGN 4096u

static uint64_t align_up(uint64_t v)
{
	return (v + PACK_ALIGN - 1) & ~(uint64_t)(PACK_ALIGN - 1);
}

/* The shared copy of @name, or the @nth copy of its own a writable disk got (they were read in
 * the order the nodes come in, as they are marked). */
static const struct vmdesc_file *find_file(const struct vmdesc *d, const char *name, bool own,
					   unsigned nth)
{
	for (unsigned i = 0; i < d->nfiles; i++) {
		const struct vmdesc_file *f = &d->files[i];

		if (f->own != own)
			continue;
		if (own ? nth-- == 0 : strcmp(f->name, name) == 0)
			return strcmp(f->name, name) == 0 ? f : NULL;
	}
	return NULL;
}

/* Sets "pv,data" on every image node naming a file: zeros first (@final false, which sizes the
 * tree), then the real offsets in place. */
static int mark_images(const struct vmdesc *d, uint8_t *fdt, bool final)
{
	int vm = -1;
	unsigned owned = 0;

	while ((vm = vm_desc_next_vm(fdt, vm)) >= 0) {
		int child;

		fdt_for_each_subnode (child, fdt, vm) {
			const char *name = fdt_getprop(fdt, child, "file", NULL);
			bool own = fdt_getprop(fdt, child, "compatible", NULL) &&
				   !fdt_getprop(fdt, child, "read-only", NULL);
			const struct vmdesc_file *f = name ? find_file(d, name, own, owned) : NULL;
			fdt64_t cells[2] = { 0, 0 };
			int rc;

			if (!name)
				continue;
			owned += own;
			if (!f)
				return -FDT_ERR_NOTFOUND;
			if (final) {
				cells[0] = cpu_to_fdt64(f->offset);
				cells[1] = cpu_to_fdt64(f->size);
				rc = fdt_setprop_inplace(fdt, child, VM_DESC_DATA_PROP, cells,
							 sizeof(cells));
			} else {
				rc = fdt_setprop(fdt, child, VM_DESC_DATA_PROP, cells,
						 sizeof(cells));
			}
			if (rc)
				return rc;
		}
	}
	return 0;
}

/* Reads the package back with no file access, exactly as the hypervisor does at boot. */
static int verify(const struct vmdesc *d, const uint8_t *pkg, uint64_t size)
{
	struct vm_desc_source src = { .pkg = pkg, .pkg_size = size };
	struct vm_config cfg;
	struct vm_err err;
	int node = -1;

	if (vm_desc_check_header(pkg, size, &err)) {
		vmdesc_report(d, &err);
		return -1;
	}
	while ((node = vm_desc_next_vm(pkg, node)) >= 0)
		if (vm_desc_parse_vm(pkg, node, &src, &cfg, &err)) {
			vmdesc_report(d, &err);
			return -1;
		}
	return 0;
}

static int write_depfile(const struct vmdesc *d)
{
	FILE *f = fopen(d->opts.depfile, "w");

	if (!f)
		return -1;
	fprintf(f, "%s: %s", d->opts.out, d->opts.input);
	for (unsigned i = 0; i < d->nfiles; i++)
		fprintf(f, " \\\n  %s", d->files[i].path);
	fprintf(f, "\n");
	return fclose(f);
}

int vmdesc_pack(struct vmdesc *d)
{
	uint64_t room = d->fdt_size + 4096 + 32ull * VMDESC_MAX_FILES, dtb_size, total;
	uint8_t *tree = malloc((size_t)room), *pkg;
	int rc;

	if (!tree || fdt_open_into(d->fdt, tree, (int)room) || mark_images(d, tree, false) ||
	    fdt_pack(tree)) {
		fprintf(stderr, "%s: cannot embed the images into the description\n",
			d->opts.source);
		return -1;
	}
	dtb_size = fdt_totalsize(tree);
	total = align_up(dtb_size);
	for (unsigned i = 0; i < d->nfiles; i++) {
		d->files[i].offset = total;
		total += align_up(d->files[i].size);
	}
	rc = mark_images(d, tree, true);
	pkg = calloc(1, (size_t)total);
	if (rc || !pkg) {
		fprintf(stderr, "%s: cannot embed the images: %s\n", d->opts.source,
			rc ? fdt_strerror(rc) : "out of memory");
		return -1;
	}
	memcpy(pkg, tree, (size_t)dtb_size);
	for (unsigned i = 0; i < d->nfiles; i++)
		memcpy(pkg + d->files[i].offset, d->files[i].data, (size_t)d->files[i].size);
	if (verify(d, pkg, total) || vmdesc_write(d->opts.out, pkg, total))
		return -1;
	if (d->opts.depfile && write_depfile(d)) {
		fprintf(stderr, "pv-vmdesc: cannot write %s\n", d->opts.depfile);
		return -1;
	}
	free(tree);
	free(pkg);
	return 0;
}
