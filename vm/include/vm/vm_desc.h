/* SPDX-License-Identifier: MIT */
/*
 * VM descriptions: the device-tree source a user writes (docs/vm-descriptions.md), compiled by dtc,
 * read here with libfdt into struct vm_config. The same code runs on the host when an image is
 * built (the checker in tools/) and in the hypervisor at boot, so a description the build accepted
 * is read the same way, and one that is broken is refused with the same message.
 *
 * Images named by a "file" property are embedded at build time: the packer appends their bytes to
 * the compiled description (the "package") and records where in a "pv,data" property. At boot the
 * description is that package; images placed by the boot firmware are named by "host-address".
 */
#ifndef VM_VM_DESC_H
#define VM_VM_DESC_H

#include <vm/vm.h>
#include <vm/vm_err.h>

#define VM_DESC_COMPATIBLE    "polyvisor,vm-description"
#define VM_DESC_VM_COMPATIBLE "polyvisor,vm"
#define VM_DESC_DATA_PROP     "pv,data"
#define VM_DESC_MAX_VMS	      8u

/* Where image bytes come from while a description is read. */
struct vm_desc_source {
	/* The package (the description itself with embedded images after it): "pv,data" offsets
	 * count from its start and must lie inside it. */
	const void *pkg;
	uint64_t pkg_size;

	/* Resolves a "file" property that has no "pv,data" (build time). NULL: such an image is an
	 * error (the description was not packed). Fills @data and @size, or returns a negative
	 * pv_err with @why filled. @own asks for bytes no other image shares (a disk the guest
	 * writes), else one copy serves every image naming @path. */
	int (*file)(void *ctx, const char *path, bool own, const void **data, uint64_t *size,
		    char *why, size_t why_len);
	void *ctx;

	/* Whether "host-address" images are readable at their address (the hypervisor, which maps
	 * RAM one to one); false at build time, where only their size is known. */
	bool host_readable;
};

/* Checks that @fdt (of @size bytes) is a VM description. Returns PV_OK or -PV_EINVAL with @err. */
int vm_desc_check_header(const void *fdt, uint64_t size, struct vm_err *err);

/* The VM node after @prev (-1: the first), or a negative number when there is none. */
int vm_desc_next_vm(const void *fdt, int prev);

/* Reads the VM node @node into @cfg and checks it whole (vm_config_check and the layout).
 * Strings in @cfg point into @fdt. Returns PV_OK or -PV_EINVAL with @err naming the node. */
int vm_desc_parse_vm(const void *fdt, int node, const struct vm_desc_source *src,
		     struct vm_config *cfg, struct vm_err *err);

/* Checks what no single VM can see: a physical CPU given to two VMs that do not both allow
 * sharing ("shared-cpus"), firmware-placed images overlapping each other, a disk the guest writes
 * sharing its bytes with any other image or disk, two network devices with one MAC address on
 * one switch, a passed-through host range or physical interrupt line given to two VMs, and
 * identity RAM meeting another VM's identity RAM, passed-through devices or firmware-placed
 * images in host memory. The message is about the later VM of @cfgs. */
int vm_desc_check_all(const struct vm_config *const *cfgs, unsigned count, struct vm_err *err);

#endif
