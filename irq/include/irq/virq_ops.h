/* SPDX-License-Identifier: MIT */
/*
 * Virtual interrupt controller interface (the virtual counterpart of an interrupt controller), one const
 * object per backend reached through arch_backend.virq. The controller keeps its per-VM state in
 * vm->virq and per-vCPU state in vcpu->virq; it registers its guest-visible registers as emulated
 * devices (irq/vdev.h) from vm_init.
 */
#ifndef IRQ_VIRQ_OPS_H
#define IRQ_VIRQ_OPS_H

#include <pv/types.h>

struct vm;
struct vcpu;

struct virq_ops {
	const char *name;

	/* Creates the VM-wide controller state and registers its emulated registers.
	 * Context: any CPU, during vm_create (VM lock held); may allocate, never blocks otherwise. */
	int (*vm_init)(struct vm *vm);
	void (*vm_destroy)(struct vm *vm);

	/* Per-vCPU state (its CPU-local interface). Context: as vm_init. */
	int (*vcpu_init)(struct vcpu *vcpu);

	/* Sets the level of interrupt line @irq. @target selects the vCPU for private interrupts
	 * and is NULL for shared ones (routed by the guest's own configuration).
	 * Context: any CPU, no vCPU lock held; never blocks; takes the controller's lock. */
	int (*set_line)(struct vm *vm, struct vcpu *target, uint32_t irq, bool level);

	/* Sends software interrupt @irq from @from to @to (IPI between vCPUs of one VM).
	 * Context: the CPU running @from; never blocks. */
	int (*send_ipi)(struct vcpu *from, struct vcpu *to, uint32_t irq);

	/* Whether @vcpu has an interrupt it can take now (ends a HALT exit).
	 * Context: any CPU; never blocks. */
	bool (*pending)(struct vcpu *vcpu);

	/* Moves pending interrupts into the hardware's injection state (registers the CPU injects from)
	 * right before guest entry, and reads it back after an exit.
	 * Context: current CPU of @vcpu, IRQs off, no locks held. */
	void (*flush)(struct vcpu *vcpu);
	void (*sync)(struct vcpu *vcpu);

	/* Passthrough (docs/devices.md): physical interrupt line @host (numbered as a description's
	 * "host-interrupts") becomes @vm's line @guest (numbered as set_line's @irq): routed to the
	 * physical CPU of the vCPU the guest routes it to, delivered there, and taken back from the
	 * guest's acknowledgement and completion as the hardware allows. -PV_EINVAL for a line the
	 * hardware does not have, -PV_EBUSY when a VM owns it already. NULL: the backend forwards no
	 * physical interrupt. Context: vm_create on the boot CPU, the VM not running; never blocks
	 * beyond the controller's lock. */
	int (*pt_attach)(struct vm *vm, uint32_t host, uint32_t guest);

	/* Takes every physical line of @vm back: masked at the physical controller, no longer
	 * delivered, free for no one (the VM has stopped). Idempotent. Context: any CPU, no lock
	 * held (vm_stop, vm_destroy); never blocks beyond the controller's lock. */
	void (*pt_release)(struct vm *vm);
};

#endif
