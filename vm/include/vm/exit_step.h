/* SPDX-License-Identifier: MIT */
/*
 * The steps of one exit, owned by the core: read back the interrupt state, count the exit,
 * dispatch it (the hot kinds first, everything else through vm_handle_exit, out of line), check
 * whether the vCPU may go on, and prepare interrupts for the next entry.
 *
 * The run loop (vm_run_vcpu) and every backend's fast path (a backend that handles exits inside
 * vcpu_ops.run and enters the guest again without returning) take exactly this sequence, so a step
 * added here reaches every path. It is inline so that a fast path pays no call for the sequence
 * itself: the backend passes its interrupt read-back and flush and its completion of a hypercall
 * as functions (ideally static inline, with the controller's own early checks in front of its
 * out-of-line virq_ops), and they are called directly. The run loop passes vm_exit_virq_sync,
 * vm_exit_virq_flush and vm_exit_complete, which go through arch_backend.
 */
#ifndef VM_EXIT_STEP_H
#define VM_EXIT_STEP_H

#include <hal/arch_backend.h>
#include <vm/hypercall.h>
#include <vm/run.h>
#include <vm/vm.h>

/* Reads back (sync) or prepares (flush) the interrupt state of @vcpu: virq_ops.sync / .flush or a
 * backend's equivalent with the same effect. Context: as virq_ops.flush. */
typedef void vm_exit_virq_fn(struct vcpu *vcpu);

/* Completes @exit in the guest's registers: vcpu_ops.complete or a backend's equivalent with the
 * same effect for the exits it passes. Context: as vcpu_ops.complete. */
typedef void vm_exit_complete_fn(struct vcpu *vcpu, const struct vcpu_exit *exit);

static inline void vm_exit_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	arch_backend.vcpu->complete(vcpu, exit);
}

static inline void vm_exit_virq_sync(struct vcpu *vcpu)
{
	if (arch_backend.virq)
		arch_backend.virq->sync(vcpu);
}

static inline void vm_exit_virq_flush(struct vcpu *vcpu)
{
	if (arch_backend.virq)
		arch_backend.virq->flush(vcpu);
}

/* A hypercall: answered by the core, completed by @complete. false: the call stopped the vCPU's
 * VM. */
static inline __attribute__((always_inline)) bool
vm_exit_hypercall(struct vcpu *vcpu, struct vcpu_exit *exit, vm_exit_complete_fn *complete)
{
	if (!vm_hypercall(vcpu, exit))
		return false;
	complete(vcpu, exit);
	return true;
}

/*
 * One exit from start to end. Returns true if the vCPU may enter the guest again (interrupts are
 * then flushed), false if it must leave its run loop (it stopped, gave its CPU away, or its VM
 * stopped). A fast path that gets false returns a VCPU_EXIT_NONE exit from vcpu_ops.run; the run
 * loop then ends or parks the vCPU as the state says.
 * Context: current CPU of @vcpu, no locks held.
 */
static inline __attribute__((always_inline)) bool
vm_exit_step(struct vcpu *vcpu, struct vcpu_exit *exit, vm_exit_virq_fn *sync,
	     vm_exit_virq_fn *flush, vm_exit_complete_fn *complete)
{
	sync(vcpu);
	if ((unsigned)exit->kind < VCPU_EXIT_KIND_COUNT)
		vcpu->exit_count[exit->kind]++;
	if (exit->kind == VCPU_EXIT_HYPERCALL) {
		if (!vm_exit_hypercall(vcpu, exit, complete))
			return false;
	} else if (vm_handle_exit(vcpu, exit) == VM_EXIT_LEAVE) {
		return false;
	}
	if (__builtin_expect(__atomic_load_n(&vcpu->vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED ||
				     vcpu->state != VCPU_RUNNING,
			     0))
		return false;
	flush(vcpu);
	return true;
}

#endif
