/* SPDX-License-Identifier: MIT */
/*
 * Guest CPU state that VM entry and exit do not switch and the hypervisor never uses, kept in the
 * CPU while the hypervisor runs and switched only when another vCPU enters on that CPU:
 *  - the x87/SSE registers (FXSAVE image): the hypervisor is built without FP/SIMD instructions;
 *  - STAR, LSTAR, CSTAR, SFMASK, IA32_KERNEL_GS_BASE, and IA32_TSC_AUX when the guest has
 *    RDTSCP: only SYSCALL, SWAPGS, RDTSCP and RDPID read them, which the hypervisor never runs;
 *  - DR0-DR3 and DR6: VM exit sets DR7 to 0x400, so no breakpoint of a guest's is armed while
 *    the hypervisor runs, and nothing else writes DR6.
 * Each CPU has an owner, the vCPU whose values its registers hold. Before an entry the backend
 * calls vmx_lazy_enter: if the vCPU is not the owner, the owner's values are saved into its image
 * and the vCPU's image is loaded. A vCPU's first entry on a CPU (owner none, after a reset of the
 * owner, or after the owner was destroyed) loads its image without saving anything, so a guest
 * never sees the hypervisor's or firmware's values nor another vCPU's. The guest's RDMSR/WRMSR
 * of these MSRs and its MOV DR (emulated) reach the CPU's registers directly: they are its own
 * while it runs. The pure logic is host-tested with a fake register file (vmx_lazy_hw).
 */
#ifndef X86_VMX_LAZY_H
#define X86_VMX_LAZY_H

#include <pv/types.h>

enum {
	VMX_LAZY_STAR = 0,
	VMX_LAZY_LSTAR,
	VMX_LAZY_CSTAR,
	VMX_LAZY_SFMASK,
	VMX_LAZY_KERNEL_GS,
	VMX_LAZY_TSC_AUX, /* last: switched only when the guest has RDTSCP */
	VMX_LAZY_MSRS
};

/* One vCPU's image of that state: meaningful while the vCPU does not own a CPU. */
struct vmx_lazy {
	_Alignas(16) uint8_t fx[512]; /* FXSAVE64 image */
	uint64_t msr[VMX_LAZY_MSRS];  /* in vmx_lazy_msrs order */
	uint64_t dr[4];		      /* DR0-DR3 */
	uint64_t dr6;
};

/* The MSR numbers of msr[]. */
extern const uint32_t vmx_lazy_msrs[VMX_LAZY_MSRS];

/* Moves state between an image and the calling CPU's registers; @nmsrs: how many of
 * vmx_lazy_msrs are switched (VMX_LAZY_MSRS, or one less without RDTSCP). Interrupts may be on;
 * the caller owns the CPU's registers (vCPU context on the vCPU's CPU). */
struct vmx_lazy_hw {
	void (*save)(struct vmx_lazy *s, unsigned nmsrs);
	void (*load)(const struct vmx_lazy *s, unsigned nmsrs);
};
extern const struct vmx_lazy_hw vmx_lazy_cpu; /* the calling CPU's registers */

/* The architectural state after power-on and INIT: x87 control word 0x37f, MXCSR 0x1f80, every
 * other register 0, DR6 0xffff0ff0. */
void vmx_lazy_reset(struct vmx_lazy *s);

/* Makes @s's values the CPU's before an entry: @owner is that CPU's owner slot. */
static inline void vmx_lazy_enter(struct vmx_lazy **owner, struct vmx_lazy *s,
				  const struct vmx_lazy_hw *hw, unsigned nmsrs)
{
	if (*owner == s)
		return;
	if (*owner)
		hw->save(*owner, nmsrs);
	hw->load(s, nmsrs);
	*owner = s;
}

/* @s no longer has values in the CPU of @owner (it was reset or is being destroyed): the next
 * entry there loads its image, and nobody's registers are saved into it. */
static inline void vmx_lazy_forget(struct vmx_lazy **owner, const struct vmx_lazy *s)
{
	if (*owner == s)
		*owner = NULL;
}

#endif
