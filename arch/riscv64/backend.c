// SPDX-License-Identifier: MIT
/* The riscv64 backend as the core sees it. */
#include "s2_sv_x4.h"
#include <riscv64/backend.h>

const struct arch_backend arch_backend = {
	.name = "riscv64",
	.vcpu = &riscv_vcpu_ops,
#ifdef CONFIG_RISCV_S2_SV48X4
	.s2_format = &s2_format_sv48x4,
#else
	/* Sv39x4 is the one G-stage mode every H implementation must have. */
	.s2_format = &s2_format_sv39x4,
#endif
	.s2_tlb = &riscv_s2_tlb_ops,
	.virq = &riscv_virq_ops,
};
