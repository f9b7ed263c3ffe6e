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

/* vm_exit_step (vm/exit_step.h) out of line, with the interrupt controller reached through
 * arch_backend.virq: for the host tests and fuzzers. Backends' fast paths call vm_exit_step.
 * Context: current CPU of @vcpu, no locks held. */
bool vm_exit_inline(struct vcpu *vcpu, struct vcpu_exit *exit);

/* Makes @vcpu's idle instruction exit (@exits) or wait in the guest, telling the backend
 * (vcpu_ops.idle_exits) only of a change. vm_handle_halt turns exits off where they would find
 * nothing to do; whatever gives an idle exit work again (output held by the VM's console) turns
 * them on. Context: as vcpu_ops.idle_exits. */
void vm_idle_exits(struct vcpu *vcpu, bool exits);

/* Runs @vcpu until it stops or its VM stops. Context: the vCPU's physical CPU, no locks held. */
void vm_run_vcpu(struct vcpu *vcpu);

#endif
