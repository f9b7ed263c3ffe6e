/* SPDX-License-Identifier: MIT */
/*
 * Passthrough against the host's device tree (vm_pt_host.c): which host ranges and interrupt lines
 * the firmware's tree says the hypervisor uses itself, so that at boot no VM is given them even on
 * a machine whose devices sit elsewhere than the board's configuration says. Pure code (libfdt),
 * so the host tests run it on trees they build.
 */
#ifndef VM_VM_PT_H
#define VM_VM_PT_H

#include <vm/vm.h>
#include <vm/vm_err.h>

#define VM_PT_HOST_MAX 16

/* What the hypervisor keeps of the host: ranges and physical lines (numbered as
 * arch_vm_desc.fdt_host_irq numbers them). */
struct vm_pt_host_range {
	const char *what; /* the host node's name */
	uint64_t base, size;
};

struct vm_pt_host {
	unsigned nranges;
	struct vm_pt_host_range ranges[VM_PT_HOST_MAX];
	unsigned nlines;
	uint32_t lines[VM_PT_HOST_MAX];
};

/* Reads "reg" of @node in @fdt as root addresses: @addr and @size get at most @max ranges.
 * Returns how many (0 when it has none), or -1 when they cannot be read that way (malformed, or
 * a bus between the node and the root that does not map addresses one to one). */
int vm_fdt_host_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size, int max);

/* The #interrupt-cells of @node's interrupt parent in @fdt (1 to 4), or -1. */
int vm_fdt_host_irq_cells(const void *fdt, int node);

/* Fills @own from host tree @fdt: the console /chosen's stdout-path names (its registers and
 * interrupts), every interrupt and MSI controller with registers, and every node compatible with
 * one of arch_vm_desc.host_compatibles. What does not fit in @own is left out (the board's own
 * list, arch_vm_desc.host_ranges, is checked as well). */
void vm_pt_host_scan(const void *fdt, struct vm_pt_host *own);

/* @cfg's passed-through windows and physical lines against @own: PV_OK, or -PV_EINVAL with @err
 * naming the host device a window or line belongs to. */
int vm_pt_host_check(const struct vm_config *cfg, const struct vm_pt_host *own, struct vm_err *err);

#endif
