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
 * flush) and deactivates the physical interrupts of the passed-through ones the guest cleared
 * (a64_vgic_cpu.hw_drop). Context: the calling vCPU's CPU, no virq lock held.
 */
int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid);
void a64_vgic_recheck(struct vcpu *vcpu);

/*
 * Passthrough, the hardware side again (vgic_pt.c): the guest routed shared interrupt @intid
 * anew (GICD_IROUTER), so a passed-through one's physical SPI follows it to the physical CPU of
 * its new vCPU; the guest configured the trigger of the 16 shared interrupts from @first
 * (GICD_ICFGR<n>: bit 2k + 1 set = edge), which passed-through ones' physical SPIs take too.
 * Nothing for interrupts of no device. Context: the calling vCPU's CPU, no lock held.
 */
void a64_vgic_pt_route(struct vm *vm, uint32_t intid);
void a64_vgic_pt_config(struct vm *vm, uint32_t first, uint32_t icfgr);

#endif
