/* SPDX-License-Identifier: MIT */
/*
 * Where each image of a VM goes in guest RAM, the boot vCPU's entry and first argument, and the
 * device tree's place. Computed from the configuration alone (pure code), so the build-time checker
 * and the hypervisor at boot reach the same answer and refuse the same mistakes: an image outside
 * RAM or larger than its region, two images overlapping, an entry outside RAM.
 */
#ifndef VM_VM_LAYOUT_H
#define VM_VM_LAYOUT_H

#include <pv/types.h>
#include <vm/vm_err.h>

struct vm_config;
struct vm_image_config;

/* Images, plus a generated device tree and the backend's Linux boot information (vm.h checks
 * VM_MAX_IMAGES fits). */
#define VM_LAYOUT_MAX_PLACED 8

/* Argument registers the boot vCPU may start with (the platform calling convention's first). */
#define VM_BOOT_ARGS 3

/* Room reserved for a generated device tree. */
#define VM_FDT_MAX PV_KIB(64)

/* A placed image: guest-physical [gpa, gpa + span) is its footprint (at least its bytes; a Linux
 * kernel's footprint includes the memory it claims after its file, e.g. its .bss). */
struct vm_placed {
	const struct vm_image_config *img; /* NULL for the generated device tree or boot_info */
	bool boot_info; /* the backend's Linux boot information (arch_vm_desc.linux_info) */
	gpa_t gpa;
	uint64_t span;
};

/* What a placed block is, for messages: its image's node, "device tree" or "boot information". */
const char *vm_placed_name(const struct vm_placed *p);

struct vm_layout {
	gpa_t entry;
	uint64_t boot_arg; /* the boot vCPU's first argument register */
	/* Argument registers set at entry: boot_arg, then boot_args_more[0..nboot_args - 2] (a
	 * backend's linux_info may set more than one). */
	unsigned nboot_args;
	uint64_t boot_args_more[VM_BOOT_ARGS - 1];
	unsigned nplaced;
	struct vm_placed placed[VM_LAYOUT_MAX_PLACED];
	bool has_fdt; /* a device tree is passed (generated or the VM's own) */
	bool fdt_generated;
	gpa_t fdt;
	bool has_initrd;
	gpa_t initrd;
	uint64_t initrd_size;
	bool has_boot_info; /* arch_vm_desc.linux_info's block, at boot_info */
	gpa_t boot_info;
};

/* Computes @out for @cfg. -PV_EINVAL with @err filled when the images do not fit. A firmware-placed
 * image whose bytes are not at hand (data NULL: build time) is placed by its size only.
 * Context: any; pure. */
int vm_layout_compute(const struct vm_config *cfg, struct vm_layout *out, struct vm_err *err);

#endif
