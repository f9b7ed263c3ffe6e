/* SPDX-License-Identifier: MIT */
/*
 * Passed-through interrupts on aarch64 (docs/devices.md, "Passthrough"): a physical SPI a VM owns
 * is routed (GICD_IROUTER) to the physical CPU of the vCPU the guest routes its virtual SPI to.
 * When it fires there, the hypervisor acknowledges it and drops its priority (EOImode 1) but
 * leaves it active, and puts the virtual SPI in a list register with the hardware bit and the
 * physical INTID: the guest's own deactivation deactivates the physical interrupt, with no exit.
 *
 * The table (which physical INTID is which VM's virtual one) and the routing decisions are pure
 * code here (vgic_pt_table.c, also built into the host tests); vgic_pt.c drives the distributor.
 */
#ifndef A64_VGIC_PT_H
#define A64_VGIC_PT_H

#include <pv/types.h>

struct vm;
struct vcpu;

#define A64_PT_MAX_ROUTES 32u
#define A64_GIC_MAX_INTID 1019u /* the last SPI */

struct a64_pt_route {
	uint32_t pintid; /* physical INTID (an SPI) */
	uint32_t vintid; /* the VM's INTID */
	struct vm *vm;
};

struct a64_pt_table {
	unsigned n;
	struct a64_pt_route r[A64_PT_MAX_ROUTES];
};

/* Adds physical SPI @pintid as @vm's shared interrupt @vintid. -PV_EINVAL when @pintid is no SPI
 * of a distributor with @nlines INTIDs or @vintid no SPI of the vGIC, -PV_EBUSY when @pintid has
 * an owner already, -PV_ENOMEM when the table is full. Caller serialises the table. */
int a64_pt_table_add(struct a64_pt_table *t, unsigned nlines, uint32_t pintid, struct vm *vm,
		     uint32_t vintid);

/* The route of physical @pintid into *@out; false when no VM owns it. */
bool a64_pt_table_find(const struct a64_pt_table *t, uint32_t pintid, struct a64_pt_route *out);

/* Removes every route of @vm, writing their physical INTIDs to @pintids (at most @max); returns
 * how many were removed. */
unsigned a64_pt_table_take(struct a64_pt_table *t, const struct vm *vm, uint32_t *pintids,
			   unsigned max);

/* The vCPU that takes passed-through @vintid of @vm: the one the guest routes it to
 * (GICD_IROUTER), vCPU 0 when it routes it to any vCPU (IRM) or to none it has. */
struct vcpu *a64_pt_target(struct vm *vm, uint32_t vintid);

/* GICD_IROUTER of a physical SPI that is to reach physical CPU @cpu: the hypervisor numbers CPUs
 * by their Aff0, the other affinity levels zero (as its IPIs address them). */
uint64_t a64_pt_irouter(unsigned cpu);

/* The hardware side (vgic_pt.c). virq_ops.pt_attach / pt_release; a64_vgic_pt_fired: physical
 * @pintid was acknowledged on this CPU: true when a VM owns it (it is now pending for the vCPU
 * it reaches, left active for the guest to deactivate), false otherwise. Context: the CPU that
 * acknowledged it, IRQs masked. a64_vgic_pt_drop: deactivates the physical interrupts of
 * @vcpu's passed-through ones the guest cleared (a64_vgic_cpu.hw_drop); any CPU. */
int a64_vgic_pt_attach(struct vm *vm, uint32_t host, uint32_t guest);
void a64_vgic_pt_release(struct vm *vm);
bool a64_vgic_pt_fired(uint32_t pintid);
void a64_vgic_pt_drop(struct vcpu *vcpu);

#endif
