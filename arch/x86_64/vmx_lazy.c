// SPDX-License-Identifier: MIT
/* The software-switched guest state (vmx_lazy.h): its MSR list, reset values, and the moves
 * between an image and the CPU's registers. */
#include <string.h>
#include <x86/cpu.h>

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

static void lazy_save(struct vmx_lazy *s, unsigned nmsrs)
{
	__asm__ volatile("fxsave64 %0" : "=m"(s->fx));
	for (unsigned i = 0; i < nmsrs; i++)
		s->msr[i] = x86_rdmsr(vmx_lazy_msrs[i]);
	s->dr[0] = x86_read_dr0();
	s->dr[1] = x86_read_dr1();
	s->dr[2] = x86_read_dr2();
	s->dr[3] = x86_read_dr3();
	s->dr6 = x86_read_dr6();
}

static void lazy_load(const struct vmx_lazy *s, unsigned nmsrs)
{
	__asm__ volatile("fxrstor64 %0" : : "m"(s->fx));
	for (unsigned i = 0; i < nmsrs; i++)
		x86_wrmsr(vmx_lazy_msrs[i], s->msr[i]);
	x86_write_dr0(s->dr[0]);
	x86_write_dr1(s->dr[1]);
	x86_write_dr2(s->dr[2]);
	x86_write_dr3(s->dr[3]);
	x86_write_dr6(s->dr6);
}

const struct vmx_lazy_hw vmx_lazy_cpu = { .save = lazy_save, .load = lazy_load };
