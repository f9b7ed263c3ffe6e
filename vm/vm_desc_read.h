/* SPDX-License-Identifier: MIT */
/*
 * Inside the VM-description reader (vm_desc.c, vm_desc_dev.c): the reading context and the
 * property readers both files use. Not for other modules: they call vm/vm_desc.h.
 */
#ifndef VM_VM_DESC_READ_H
#define VM_VM_DESC_READ_H

#include <vm/vm_desc.h>

/* Cell counts of addresses and sizes in the description (the root's #address-cells and
 * #size-cells, 1 or 2 each), and the node being read, whose path messages name. */
struct desc_ctx {
	const void *fdt;
	const struct vm_desc_source *src;
	int acells, scells;
	struct vm_err *err;
	int node;
};

/* Records "<node path>: <message>" in c->err; returns -PV_EINVAL. */
int desc_fail(struct desc_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Refuses any property of @node in none of the @nlists lists @allowed (NULL lists skipped). */
int desc_only_props_of(struct desc_ctx *c, int node, const char *const *const *allowed,
		       unsigned nlists);

/* A one-cell property (-PV_ENOENT when absent); a one-string property (NULL when absent, or
 * *@bad set when malformed); (address, size) pairs in the description's cells (their count). */
int desc_u32(struct desc_ctx *c, int node, const char *name, uint32_t *v);
const char *desc_string(struct desc_ctx *c, int node, const char *name, int *bad);
int desc_pairs(struct desc_ctx *c, int node, const char *name, uint64_t *addr, uint64_t *size,
	       int max);

/* Where an image's bytes are: "file" (or its embedded "pv,data"), or "host-address" + "size".
 * @own: bytes of its own (vm_desc_source.file). */
int desc_image_bytes(struct desc_ctx *c, int node, bool own, struct vm_image_config *img);

/* Reads device node @node (named @name) into the next of cfg->devs. */
int desc_device(struct desc_ctx *c, int node, const char *name, struct vm_config *cfg);

/* Whether node @name is a passed-through device ("passthrough" or "passthrough@<n>"); reads one
 * into the next of cfg->pt (vm_desc_pt.c). */
bool desc_is_pt(const char *name);
int desc_passthrough(struct desc_ctx *c, int node, const char *name, struct vm_config *cfg);

/* What vm_desc_check_all checks of passed-through devices and identity RAM for VMs @a and @b
 * (@same: one VM); the message is about @a. */
int desc_check_pt_pair(const struct vm_config *a, const struct vm_config *b, bool same,
		       struct vm_err *err);

#endif
