// SPDX-License-Identifier: MIT
/* The aarch64 backend as the core sees it. */
#include <a64/backend.h>
#include <a64/vgic_hw.h>
#include <hal/arch_backend.h>

#ifdef PV_A64_HAVE_S2_ARMV8
#include "s2_armv8.h"
#endif

const struct arch_backend arch_backend = {
	.name = "aarch64",
	.vcpu = &a64_vcpu_ops,
#ifdef PV_A64_HAVE_S2_ARMV8
	/* 40-bit IPA: any ARMv8 CPU with 40 or more PA bits can walk it; it covers QEMU virt. */
	.s2_format = &s2_format_armv8_40,
#endif
	.s2_tlb = &a64_s2_tlb_ops,
	.virq = &a64_virq_ops,
};
