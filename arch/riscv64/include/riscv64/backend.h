/* SPDX-License-Identifier: MIT */
/* The pieces of the riscv64 arch_backend, each defined in its own file. */
#ifndef RISCV64_BACKEND_H
#define RISCV64_BACKEND_H

#include <hal/arch_backend.h>

extern const struct vcpu_ops riscv_vcpu_ops;	 /* vcpu.c */
extern const struct virq_ops riscv_virq_ops;	 /* virq.c */
extern const struct s2_tlb_ops riscv_s2_tlb_ops; /* s2_tlb.c */

#endif
