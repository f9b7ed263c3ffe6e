/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's VMs and the loop each physical CPU runs: vCPUs are pinned, so a CPU only ever
 * runs the vCPUs configured for it, one after the other, and idles when none is ready.
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

/* Wakes every CPU running the loop (a VM stopped, a vCPU became ready). Context: any CPU. */
void sched_kick_all(void);

/* The created VMs, for diagnostics and tests. */
struct vm *sched_vm(unsigned index);
unsigned sched_vm_count(void);

/* Forgets every VM (host tests). */
void sched_reset(void);

#endif
