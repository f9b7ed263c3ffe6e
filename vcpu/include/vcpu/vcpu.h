/* SPDX-License-Identifier: MIT */
/* The vCPU object: one guest CPU, pinned to one physical CPU, with a lifecycle. */
#ifndef VCPU_VCPU_H
#define VCPU_VCPU_H

#include <pv/spinlock.h>
#include <vcpu/exit.h>

struct vm;

enum vcpu_state {
	VCPU_CREATED = 0, /* allocated, no entry point yet */
	VCPU_READY,	  /* entry point set, waits for its physical CPU (new, or preempted) */
	VCPU_RUNNING,	  /* in its run loop */
	VCPU_HALTED,	  /* guest idles until an interrupt (in its run loop or off its CPU) */
	VCPU_STOPPED,	  /* off (CPU_OFF, VM stopped); may be started again by CPU_UP */
};

struct vcpu {
	struct vm *vm;
	unsigned id;	       /* index in the VM, 0 = boot vCPU */
	unsigned pcpu;	       /* physical CPU it is pinned to */
	uint64_t guest_cpu_id; /* the id the guest uses for it (its CPU id register) */
	enum vcpu_state state;
	void *arch; /* backend state, owned by vcpu_ops.create/destroy */
	void *virq; /* interrupt-controller state, owned by virq_ops */
	pv_spinlock_t virq_lock;
	uint64_t exit_count[VCPU_EXIT_KIND_COUNT];
	unsigned reset_gen; /* the VM's restart generation it was last reset for */
	bool idle_in_guest; /* vcpu_ops.idle_exits was told false last (vm/run.c) */
};

const char *vcpu_state_name(enum vcpu_state state);

/* Checks and performs a lifecycle transition, atomically (a compare-and-swap: another CPU changing
 * the state at the same time makes one of the two fail). Returns PV_OK or -PV_EBUSY for a
 * transition the lifecycle does not allow (the state is unchanged then). Context: any CPU. */
int vcpu_set_state(struct vcpu *vcpu, enum vcpu_state next);

/* The transition @from -> @to, only if the vCPU is in @from now. PV_OK or -PV_EBUSY. */
int vcpu_transition(struct vcpu *vcpu, enum vcpu_state from, enum vcpu_state to);

#endif
