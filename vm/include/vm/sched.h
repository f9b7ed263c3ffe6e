/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's VMs and the loop each physical CPU runs: vCPUs are pinned, so a CPU only ever
 * runs the vCPUs configured for it, round robin, and idles when none can run. vCPUs that share a
 * CPU get time slices of CONFIG_SCHED_SLICE_US, and one that idles yields the CPU.
 */
#ifndef VM_SCHED_H
#define VM_SCHED_H

#include <vm/vm.h>

#define SCHED_MAX_VMS 8u

/* Creates and loads a VM per configuration. A VM that cannot be created is reported and left out;
 * the others still run. Returns how many VMs were created. Context: boot CPU, before any CPU
 * runs the loop. */
unsigned sched_create_vms(const struct vm_config *const *configs, unsigned count,
			  struct page_pool *pool);

/* Bit n set: physical CPU n has at least one vCPU pinned to it. */
uint64_t sched_cpu_mask(void);

/* Runs the vCPUs pinned to @cpu until every VM has stopped, then returns.
 * Context: physical CPU @cpu, no locks held, virtualization enabled on it. */
void sched_run_cpu(unsigned cpu);

/* Whether every created VM has stopped. */
bool sched_all_stopped(void);

/* Whether another vCPU pinned to @vcpu's CPU could run now (ready, or idle with an interrupt
 * pending). Context: @vcpu's CPU. */
bool sched_others_runnable(struct vcpu *vcpu);

/* Whether @vcpu is the only vCPU pinned to its CPU (fixed once the VMs are created). */
bool sched_cpu_alone(const struct vcpu *vcpu);

/* Whether @vcpu's time slice is over and another vCPU waits for its CPU; if none waits, its slice
 * is renewed. The run loop asks at interrupt exits. Context: @vcpu's CPU, IRQs off. */
bool sched_should_yield(struct vcpu *vcpu);

/* Before CPU @cpu waits for an interrupt with nothing to run: its scheduler timer is set for the
 * earliest moment a vCPU idling off the CPU becomes runnable by its own timer (none if none).
 * @in_place: the loaded vCPU that waits in place, if any (its own timer wakes the CPU).
 * Context: CPU @cpu, IRQs off. */
void sched_before_wait(unsigned cpu, const struct vcpu *in_place);

/* Wakes every CPU running the loop (a VM stopped, a vCPU became ready). Context: any CPU. */
void sched_kick_all(void);

/* The created VMs, for diagnostics and tests. */
struct vm *sched_vm(unsigned index);
unsigned sched_vm_count(void);

/* Forgets every VM (host tests). */
void sched_reset(void);

#endif
