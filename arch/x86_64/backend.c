// SPDX-License-Identifier: MIT
/*
 * The x86_64 backend object: the VMX vCPU (vmx_vcpu.c), EPT as the stage-2 format with INVEPT
 * for its TLB maintenance, and the emulated x2APIC as the virtual interrupt controller.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>

#include "s2_ept.h"
#include "vmx.h"
#include "vmx_vcpu.h"

enum {
	INVEPT_SINGLE_CONTEXT = 1,
	INVEPT_ALL_CONTEXT = 2
};

struct invept_desc {
	uint64_t eptp;
	uint64_t reserved;
};

/*
 * INVEPT exists only in VMX root operation: before cpu_enable succeeded on this CPU it raises #UD,
 * which the IDT reports as a panic. It invalidates mappings derived from the EPT tables on the
 * calling CPU only; other CPUs that ran the space must be told by IPI (the core's job once VMs
 * span CPUs). A failed INVEPT would leave stale translations a guest could use, so it panics.
 */
static void invept(unsigned type, uint64_t eptp)
{
	struct invept_desc desc = { eptp, 0 };
	uint8_t cf, zf;

	__asm__ volatile("invept %[desc], %[type]; setc %[cf]; setz %[zf]"
			 : [cf] "=qm"(cf), [zf] "=qm"(zf)
			 : [desc] "m"(desc), [type] "r"((uint64_t)type)
			 : "memory", "cc");
	if (vmx_flags_result(cf, zf) != VMX_OK)
		hal_panic("vmx: INVEPT type %u for EPTP 0x%llx failed", type,
			  (unsigned long long)eptp);
}

/* EPT has no per-address invalidation: a range costs a flush of the space's whole context. */
static void ept_invalidate_range(const struct s2_space *space, gpa_t addr, uint64_t size)
{
	(void)addr;
	(void)size;
	if (vmx_caps.ept_cap & EPT_CAP_INVEPT_SINGLE)
		invept(INVEPT_SINGLE_CONTEXT, s2_ept_eptp(space->root));
	else
		invept(INVEPT_ALL_CONTEXT, 0);
}

/* All-context flushes every EPTP's mappings, a superset of the space's (probe requires at least
 * one of the two types). */
static void ept_invalidate_all(const struct s2_space *space)
{
	if (vmx_caps.ept_cap & EPT_CAP_INVEPT_ALL)
		invept(INVEPT_ALL_CONTEXT, 0);
	else
		invept(INVEPT_SINGLE_CONTEXT, s2_ept_eptp(space->root));
}

static const struct s2_tlb_ops ept_tlb = {
	.invalidate_range = ept_invalidate_range,
	.invalidate_all = ept_invalidate_all,
};

const struct arch_backend arch_backend = {
	.name = "x86_64",
	.vcpu = &vmx_vcpu_ops,
	.s2_format = &s2_format_ept,
	.s2_tlb = &ept_tlb,
	.virq = &vlapic_ops,
};
