/* SPDX-License-Identifier: MIT */
/* The vGIC's hardware side as the rest of the backend calls it (vgic.c). */
#ifndef A64_VGIC_HW_H
#define A64_VGIC_HW_H

#include <irq/virq_ops.h>

struct a64_vcpu;

extern const struct virq_ops a64_virq_ops;

/* Loads / saves @a's virtual CPU interface (list registers, VMCR, active priorities).
 * Context: the vCPU's CPU, IRQs masked, guest not running. */
void a64_vgic_load(struct a64_vcpu *a);
void a64_vgic_put(struct a64_vcpu *a);

/* virq_ops.flush / .sync, also called by the exit path that bypasses the run loop (vcpu.c).
 * Context: the vCPU's CPU. */
void a64_vgic_flush(struct vcpu *vcpu);
void a64_vgic_sync(struct vcpu *vcpu);

/* Physical interrupt handlers (gic.c), on the CPU that took them, IRQs masked. */
void a64_vgic_maintenance(void);
void a64_vgic_vtimer_fired(void);

/* vcpu_ops.wake_deadline: when the guest's virtual timer fires, in physical counter ticks (0: it
 * is disarmed or masked). Context: the vCPU's CPU. */
uint64_t a64_vtimer_wake_deadline(struct vcpu *vcpu);

/* Marks @intid pending for @vcpu and wakes its CPU if it runs elsewhere. Context: any CPU. */
int a64_vgic_inject(struct vcpu *vcpu, uint32_t intid);

#endif
