/* SPDX-License-Identifier: MIT */
/*
 * The device tree a guest gets when its description brings none: the root with 64-bit addresses,
 * /chosen (bootargs, stdout-path, initrd), one /memory node per RAM region, the backend's nodes
 * (arch_vm_desc.fdt_arch: CPUs, interrupt controller, timer, firmware), one node per emulated
 * device (vdev_model.fdt_node) and one per passed-through device. The generator names no architecture and no device. Pure code, so
 * the host checker can write the same tree for a user to read.
 */
#ifndef VM_VM_FDT_H
#define VM_VM_FDT_H

#include <irq/vdev_model.h>
#include <vm/vm_err.h>
#include <vm/vm_layout.h>

/* Writes @cfg's device tree, as placed by @layout, into @buf (@size bytes). Returns PV_OK,
 * -PV_ENOMEM with @err filled when it does not fit, or -PV_EINVAL with @err filled when a
 * passed-through device's node cannot be written (vm_fdt_pt_nodes). Context: any; pure. */
int vm_fdt_build(const struct vm_config *cfg, const struct vm_layout *layout, void *buf,
		 size_t size, struct vm_err *err);

/* The nodes of @cfg's passed-through devices, under the root of @fdt (vm_fdt_pt.c): a host node
 * (vm_pt_config.host_node) copied from cfg->host_fdt with its registers and interrupts translated
 * into the VM's, skipped while no host tree is known (a build-time checker without one); or the
 * node the description gives, as written. PV_OK; -PV_EINVAL with @err saying why a node cannot
 * be written (a register or an interrupt the device was not given, a missing host node);
 * -PV_ENOMEM when the tree is full. Context: any; pure. */
int vm_fdt_pt_nodes(void *fdt, const struct vm_config *cfg, uint32_t intc_phandle,
		    struct vm_err *err);

/* Whether vm_fdt_pt_nodes can write @cfg's nodes (into a scratch tree): the boot-time check of a
 * VM whose description names host nodes. Context: boot CPU or the host checker. */
int vm_fdt_pt_check(const struct vm_config *cfg, struct vm_err *err);

/* Adds /chosen/rng-seed, a fresh seed (hal/boot_seed.h), to the tree vm_fdt_build wrote into
 * @buf (@size bytes), when the firmware gave the hypervisor randomness; else leaves it as it is.
 * Called when a VM is loaded, so each boot of each VM gets its own. Returns PV_OK or -PV_ENOMEM.
 * Context: any CPU. */
int vm_fdt_add_seed(void *buf, size_t size);

/* For device models: adds node @cfg->node under the root with @compat (a string list of @len
 * bytes), "reg" for an MMIO device and "interrupts" when it has a line. Returns the node's offset
 * or a negative libfdt error. */
int vm_fdt_device_node(void *fdt, const struct vm_dev_config *cfg, const struct vdev_fdt_ctx *ctx,
		       const char *compat, int len);

/* Sets string property @name of @node (libfdt's fdt_setprop_string, without its size_t to int
 * conversion). Returns 0 or a negative libfdt error. */
int vm_fdt_string(void *fdt, int node, const char *name, const char *value);

/* Adds /<name> as a fixed-rate clock of @hz unless it exists; returns its phandle, or 0 when the
 * tree is full. */
uint32_t vm_fdt_fixed_clock(void *fdt, const char *name, uint32_t hz, struct vdev_fdt_ctx *ctx);

#endif
