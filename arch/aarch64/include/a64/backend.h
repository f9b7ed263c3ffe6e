/* SPDX-License-Identifier: MIT */
/* The pieces arch_backend (backend.c) is assembled from. */
#ifndef A64_BACKEND_H
#define A64_BACKEND_H

#include <addrspace/s2.h>
#include <vcpu/vcpu_ops.h>

extern const struct vcpu_ops a64_vcpu_ops;
extern const struct s2_tlb_ops a64_s2_tlb_ops;

#endif
