/* SPDX-License-Identifier: MIT */
/* The run loop: enter the guest, dispatch the decoded exit to its handler, repeat. */
#ifndef VM_RUN_H
#define VM_RUN_H

#include <vcpu/vcpu.h>

enum vm_exit_action {
	VM_EXIT_CONTINUE = 0, /* complete the exit and enter the guest again */
	VM_EXIT_LEAVE,	      /* the vCPU leaves its run loop (stopped, VM stopped) */
};

/* Handles one exit. Public for the host tests and for backends that batch exits.
 * Context: current CPU of @vcpu, no locks held. */
enum vm_exit_action vm_handle_exit(struct vcpu *vcpu, struct vcpu_exit *exit);

/* One exit from start to end, exactly as the run loop treats it: reads back the interrupt state,
 * counts the exit, handles it (vm_handle_exit, which completes it through the backend) and prepares
 * interrupts for the next entry. Returns true if the vCPU may enter the guest again, false if it
 * must leave its run loop (it stopped, or its VM did).
 * Backends may call it from inside vcpu_ops.run to re-enter the guest without returning; when it
 * returns false, run() returns a VCPU_EXIT_NONE exit and the run loop ends the vCPU.
 * Context: current CPU of @vcpu, no locks held. */
bool vm_exit_inline(struct vcpu *vcpu, struct vcpu_exit *exit);

/* Runs @vcpu until it stops or its VM stops. Context: the vCPU's physical CPU, no locks held. */
void vm_run_vcpu(struct vcpu *vcpu);

#endif
