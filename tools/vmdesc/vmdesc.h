/* SPDX-License-Identifier: MIT */
/* pv-vmdesc's parts (main.c, load.c, pack.c): a description read with the hypervisor's reader. */
#ifndef TOOLS_VMDESC_H
#define TOOLS_VMDESC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vm/vm_desc.h>

#define VMDESC_MAX_DIRS	 16
#define VMDESC_MAX_FILES (VM_DESC_MAX_VMS * (VM_MAX_IMAGES + VM_MAX_DEV_CONFIGS))

struct vmdesc_opts {
	const char *input, *vm, *out, *source, *depfile, *host_dtb;
	const char *dirs[VMDESC_MAX_DIRS];
	unsigned ndirs;
};

/* A file an image names, read once however many images name it; a disk the guest writes gets a
 * copy of its own (@own), in the order the description names them. */
struct vmdesc_file {
	char *name; /* as the description writes it */
	bool own;
	char *path; /* where it was found */
	uint8_t *data;
	uint64_t size;
	uint64_t offset; /* in the package */
};

struct vmdesc {
	struct vmdesc_opts opts;
	uint8_t *fdt;
	uint64_t fdt_size;
	unsigned nvms;
	struct vm_config cfgs[VM_DESC_MAX_VMS];
	int nodes[VM_DESC_MAX_VMS];
	unsigned nfiles;
	struct vmdesc_file files[VMDESC_MAX_FILES];
};

/* Reads opts.input, then every VM in it with its files; prints each problem as
 * "<source>: <node>: <message>" and returns nonzero if there was one. */
int vmdesc_load(struct vmdesc *d);

/* Writes the package (description + embedded files) to opts.out, and opts.depfile. */
int vmdesc_pack(struct vmdesc *d);

void vmdesc_report(const struct vmdesc *d, const struct vm_err *err);
int vmdesc_write(const char *path, const void *data, uint64_t size);

#endif
