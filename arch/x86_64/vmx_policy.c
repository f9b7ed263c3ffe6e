// SPDX-License-Identifier: MIT
/* Exit-qualification decoding, CPUID and MSR policy (vmx_policy.h). */
#include <vcpu/exit.h>

#include "vmx_policy.h"

#define CPUID1_ECX_VMX		 PV_BIT(5)
#define CPUID1_ECX_SMX		 PV_BIT(6)
#define CPUID1_ECX_PDCM		 PV_BIT(15)
#define CPUID1_ECX_X2APIC	 PV_BIT(21)
#define CPUID1_ECX_TSC_DEADLINE	 PV_BIT(24)
#define CPUID1_ECX_XSAVE	 PV_BIT(26)
#define CPUID1_ECX_OSXSAVE	 PV_BIT(27)
#define CPUID1_ECX_AVX		 PV_BIT(28)
#define CPUID1_ECX_HYPERVISOR	 PV_BIT(31)
#define CPUID1_EDX_MCE		 PV_BIT(7)
#define CPUID1_EDX_MTRR		 PV_BIT(12)
#define CPUID1_EDX_MCA		 PV_BIT(14)
#define CPUID1_EDX_ACPI		 PV_BIT(22)
#define CPUID7_EBX_AVX2		 PV_BIT(5)
#define CPUID7_EBX_AVX512F	 PV_BIT(16)
#define APIC_BASE_VALUE		 0xfee00000u
#define APIC_BASE_BSP		 PV_BIT(8)
#define APIC_BASE_X2APIC	 PV_BIT(10)
#define APIC_BASE_ENABLE	 PV_BIT(11)
#define MISC_ENABLE_FAST_STRINGS PV_BIT(0)
#define PAT_POWER_ON		 0x0007040600070406ULL

void vmx_decode_io_qual(uint64_t qual, struct vmx_io_qual *io)
{
	io->width = (uint8_t)((qual & 7u) + 1u);
	io->in = qual & PV_BIT(3);
	io->string = qual & PV_BIT(4);
	io->rep = qual & PV_BIT(5);
	io->port = (uint16_t)(qual >> 16);
}

unsigned vmx_ept_access(uint64_t qual)
{
	/* Bits 0-2: data read, data write, instruction fetch. A read-modify-write reports both
	 * read and write; treat it as the write. */
	if (qual & PV_BIT(2))
		return VCPU_ACCESS_EXEC;
	if (qual & PV_BIT(1))
		return VCPU_ACCESS_WRITE;
	return VCPU_ACCESS_READ;
}

bool vmx_decode_cr_write(uint64_t qual, unsigned *cr, unsigned *gpr)
{
	if (((qual >> 4) & 3u) != 0) /* access type 0: MOV to CR */
		return false;
	*cr = (unsigned)(qual & 15u);
	*gpr = (unsigned)((qual >> 8) & 15u);
	return true;
}

static uint32_t sig_word(unsigned i)
{
	const char *s = PV_CPUID_SIGNATURE;

	return (uint32_t)(uint8_t)s[4 * i] | (uint32_t)(uint8_t)s[4 * i + 1] << 8 |
	       (uint32_t)(uint8_t)s[4 * i + 2] << 16 | (uint32_t)(uint8_t)s[4 * i + 3] << 24;
}

/*
 * The guest sees the host CPU minus what it cannot use: no VMX or SMX (nested virtualization is
 * not offered), no XSAVE/AVX (the backend saves the SSE state with FXSAVE only), no machine-check
 * or MTRR MSRs, no performance monitoring; plus what the backend emulates: x2APIC with a
 * TSC-deadline timer, the hypervisor bit and leaves 0x40000000 (signature) and 0x40000010 (TSC
 * rate, so that the guest needs no calibration).
 */
struct x86_cpuid vmx_cpuid_policy(uint32_t leaf, uint32_t subleaf, struct x86_cpuid host,
				  const struct cpuid_ctx *ctx)
{
	struct x86_cpuid r = host;

	(void)subleaf;
	if (leaf >= PV_CPUID_HV_BASE && leaf < PV_CPUID_HV_BASE + 0x10000u) {
		r = (struct x86_cpuid){ 0 };
		if (leaf == PV_CPUID_HV_BASE)
			r = (struct x86_cpuid){ PV_CPUID_HV_TIMING, sig_word(0), sig_word(1),
						sig_word(2) };
		else if (leaf == PV_CPUID_HV_TIMING)
			r.eax = (uint32_t)ctx->tsc_khz;
		return r;
	}
	if (leaf < 0x80000000u && leaf > ctx->max_leaf)
		return (struct x86_cpuid){ 0 };
	switch (leaf) {
	case 1:
		r.ecx &= ~(uint32_t)(CPUID1_ECX_VMX | CPUID1_ECX_SMX | CPUID1_ECX_PDCM |
				     CPUID1_ECX_XSAVE | CPUID1_ECX_OSXSAVE | CPUID1_ECX_AVX);
		r.ecx |= (uint32_t)(CPUID1_ECX_X2APIC | CPUID1_ECX_TSC_DEADLINE |
				    CPUID1_ECX_HYPERVISOR);
		r.edx &= ~(uint32_t)(CPUID1_EDX_MCE | CPUID1_EDX_MTRR | CPUID1_EDX_MCA |
				     CPUID1_EDX_ACPI);
		/* EBX[31:24] initial APIC id, [23:16] logical processors in the package. */
		r.ebx = (r.ebx & 0xffffu) | (ctx->apic_id & 0xffu) << 24 |
			(ctx->nvcpus & 0xffu) << 16;
		break;
	case 7:
		r.ebx &= ~(uint32_t)(CPUID7_EBX_AVX2 | CPUID7_EBX_AVX512F);
		if (subleaf != 0)
			r = (struct x86_cpuid){ 0 };
		break;
	case 0x6: /* power management */
	case 0xa: /* performance monitoring */
	case 0xd: /* XSAVE state components */
		r = (struct x86_cpuid){ 0 };
		break;
	case 0xb: /* x2APIC topology: one thread per core, one core per vCPU */
		r.edx = ctx->apic_id;
		break;
	default:
		break;
	}
	return r;
}

const uint32_t vmx_msr_passthrough[] = {
	X86_MSR_EFER,
	X86_MSR_FS_BASE,
	X86_MSR_GS_BASE,
	X86_MSR_SYSENTER_CS,
	X86_MSR_SYSENTER_ESP,
	X86_MSR_SYSENTER_EIP,
	0,
};

enum vmx_msr_action vmx_msr_policy(uint32_t msr, bool write, bool bsp, uint64_t *value)
{
	if ((msr >= X86_MSR_X2APIC_FIRST && msr <= X86_MSR_X2APIC_LAST) ||
	    msr == X86_MSR_TSC_DEADLINE)
		return VMX_MSR_DEVICE;
	switch (msr) {
	case X86_MSR_APIC_BASE:
		/* Only x2APIC mode exists: switching it off or moving the page is refused. */
		if (write)
			return VMX_MSR_DENY;
		*value = APIC_BASE_VALUE | APIC_BASE_ENABLE | APIC_BASE_X2APIC |
			 (bsp ? APIC_BASE_BSP : 0);
		return VMX_MSR_FIXED;
	case X86_MSR_MISC_ENABLE:
		*value = MISC_ENABLE_FAST_STRINGS;
		return VMX_MSR_FIXED;
	case X86_MSR_PAT:
		if (write)
			return VMX_MSR_DENY;
		*value = PAT_POWER_ON;
		return VMX_MSR_FIXED;
	case X86_MSR_TSC:
		/* Reads do not exit; a write would move the host's clock. */
		return VMX_MSR_DENY;
	default:
		return VMX_MSR_DENY;
	}
}
