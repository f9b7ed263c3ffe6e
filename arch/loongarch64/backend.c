// SPDX-License-Identifier: MIT
/* The loongarch64 backend as the core sees it. */
#include <hal/arch_backend.h>

#include "la_internal.h"
#include "s2_loongarch.h"

const struct arch_backend arch_backend = {
	.name = "loongarch64",
	.vcpu = &la_vcpu_ops,
	.s2_format = &s2_format_loongarch,
	.s2_tlb = &la_s2_tlb_ops,
	.virq = &la_virq_ops,
};
