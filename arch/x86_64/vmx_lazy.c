// SPDX-License-Identifier: MIT
/* The software-switched guest state (vmx_lazy.h): its MSR list and reset values. */
#include <string.h>

#include "vmx_lazy.h"
#include "vmx_policy.h"

#define FX_FCW_RESET   0x037fu
#define FX_MXCSR_RESET 0x1f80u

const uint32_t vmx_lazy_msrs[VMX_LAZY_MSRS] = {
	[VMX_LAZY_STAR] = X86_MSR_STAR,		  [VMX_LAZY_LSTAR] = X86_MSR_LSTAR,
	[VMX_LAZY_CSTAR] = X86_MSR_CSTAR,	  [VMX_LAZY_SFMASK] = X86_MSR_SFMASK,
	[VMX_LAZY_KERNEL_GS] = X86_MSR_KERNEL_GS, [VMX_LAZY_TSC_AUX] = X86_MSR_TSC_AUX,
};

void vmx_lazy_reset(struct vmx_lazy *s)
{
	uint16_t fcw = FX_FCW_RESET;
	uint32_t mxcsr = FX_MXCSR_RESET;

	memset(s, 0, sizeof(*s));
	/* FXSAVE layout: FCW at byte 0, MXCSR at byte 24. */
	memcpy(&s->fx[0], &fcw, sizeof(fcw));
	memcpy(&s->fx[24], &mxcsr, sizeof(mxcsr));
	s->dr6 = X86_DR6_RESET;
}
