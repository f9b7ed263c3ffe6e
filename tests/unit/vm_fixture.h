/* SPDX-License-Identifier: MIT */
/* A page pool and a small two-vCPU VM configuration on the fake backend, shared by core suites. */
#ifndef VM_FIXTURE_H
#define VM_FIXTURE_H

#include "fake/fake_backend.h"

#define FIX_POOL_FRAMES 4096	       /* 16 MiB */
#define FIX_POOL_BASE	0x100000000ULL /* fake host-physical base, unlike any pointer */
#define FIX_RAM_GPA	0x40000000ULL
#define FIX_RAM_SIZE	0x120000ULL /* 1 MiB + 128 KiB: not a power of two on purpose */

extern struct page_pool fix_pool;
extern struct vm_config fix_config;
extern const char fix_image[16];

/* Resets the fake hardware, the pool and fix_config. Returns 0 (cmocka setup signature). */
int fix_setup(void **state);
int fix_teardown(void **state);

/* vm_create + vm_load with fix_config; asserts success. */
void fix_vm_start(struct vm *vm);

/* Two VMs created through the scheduler: "vm0" from fix_config (CPUs 0 and 1) and "vmb" from
 * @b_cfg, a copy of fix_config on CPUs 2 and 3 that the caller may change first (@adjust, may be
 * NULL). Returns 0 (cmocka setup), the VMs in @a and @b. fix_sched_teardown undoes it. */
int fix_sched_two(struct vm_config *b_cfg, void (*adjust)(struct vm_config *), struct vm **a,
		  struct vm **b);
int fix_sched_teardown(void **state);

#endif
