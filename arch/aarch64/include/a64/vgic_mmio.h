/* SPDX-License-Identifier: MIT */
/*
 * The guest's view of its GICv3: a distributor at A64_VGIC_GICD_BASE, one redistributor (RD and
 * SGI frames, 128 KiB) per vCPU from A64_VGIC_GICR_BASE in vCPU order, and the SGI generation
 * system registers, all emulated per VM. The layout is the one QEMU's virt board gives a kernel.
 */
#ifndef A64_VGIC_MMIO_H
#define A64_VGIC_MMIO_H

#include <pv/types.h>

struct vm;
struct vcpu;

#define A64_VGIC_GICD_BASE  0x08000000ULL
#define A64_VGIC_GICD_SIZE  0x10000ULL
#define A64_VGIC_GICR_BASE  0x080a0000ULL
#define A64_VGIC_GICR_FRAME 0x20000ULL

/* virq_ops.vm_init / vm_destroy: registers the VM's distributor, redistributors and SGI
 * registers. Context: vm_create, after the vCPUs exist. */
int a64_vgic_mmio_init(struct vm *vm);
void a64_vgic_mmio_destroy(struct vm *vm);

/* The vCPU shared interrupt @intid is routed to (GICD_IROUTER), or NULL. */
struct vcpu *a64_vgic_mmio_route(struct vm *vm, uint32_t intid);

/*
 * The hardware side the emulation calls (vgic.c; the host tests and fuzz targets provide their
 * own): a64_vgic_raise marks @intid pending for @vcpu under its virq lock and wakes its CPU;
 * a64_vgic_recheck, after an interrupt of @vcpu stopped being pending, unmasks the physical source
 * it held (now, if @vcpu is the caller, else by kicking @vcpu's CPU, which does it at its next
 * flush). Context: the calling vCPU's CPU, no virq lock held.
 */
int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid);
void a64_vgic_recheck(struct vcpu *vcpu);

#endif
