/* SPDX-License-Identifier: MIT */
/*
 * The single link-time binding point between the core and an architecture backend. Each backend
 * defines one `const struct arch_backend arch_backend` in arch/<isa>/; the host tests' fake backend
 * defines its own. Nothing in the core selects a backend any other way.
 */
#ifndef HAL_ARCH_BACKEND_H
#define HAL_ARCH_BACKEND_H

#include <addrspace/s2.h>
#include <irq/virq_ops.h>
#include <vcpu/vcpu_ops.h>

/* What the core does with a NULL member: docs/porting.md, "What the core does with NULL". */
struct arch_backend {
	const char *name;		   /* the arch/ folder's name, for log lines */
	const struct vcpu_ops *vcpu;	   /* never NULL; its members may be (vcpu/vcpu_ops.h) */
	const struct s2_format *s2_format; /* every VM's stage-2 format; NULL: no VM is created */
	const struct s2_tlb_ops *s2_tlb;   /* NULL: nothing to invalidate */
	const struct virq_ops *virq; /* NULL until the backend has a controller: no virtual IRQs */
};

extern const struct arch_backend arch_backend;

#endif
