/* SPDX-License-Identifier: MIT */
/* VMX capability MSRs and what the backend learned from them (Intel SDM vol. 3, appendix A). */
#ifndef X86_VMX_H
#define X86_VMX_H

#include <vcpu/vcpu_ops.h>

#define VMX_MSR_BASIC		0x480u
#define VMX_MSR_PROCBASED_CTLS	0x482u
#define VMX_MSR_CR0_FIXED0	0x486u
#define VMX_MSR_CR0_FIXED1	0x487u
#define VMX_MSR_CR4_FIXED0	0x488u
#define VMX_MSR_CR4_FIXED1	0x489u
#define VMX_MSR_PROCBASED_CTLS2 0x48bu
#define VMX_MSR_EPT_VPID_CAP	0x48cu

#define CPUID1_ECX_VMX PV_BIT(5)
#define CPUID1_ECX_SMX PV_BIT(6)

/* IA32_FEATURE_CONTROL */
#define FC_LOCKED	   PV_BIT(0)
#define FC_VMX_IN_SMX	   PV_BIT(1)
#define FC_VMX_OUTSIDE_SMX PV_BIT(2)

/* IA32_VMX_BASIC */
#define VMX_BASIC_REVISION(b)	 ((uint32_t)((b) & 0x7fffffffu))
#define VMX_BASIC_REGION_SIZE(b) ((uint32_t)(((b) >> 32) & 0x1fffu))
#define VMX_BASIC_ADDR_32BIT	 PV_BIT(48)
#define VMX_BASIC_MEMTYPE(b)	 ((unsigned)(((b) >> 50) & 0xfu))
#define VMX_MEMTYPE_WB		 6u

/* Primary processor-based controls: bit 31 "activate secondary controls", as an allowed-1 bit. */
#define VMX_PROC_SECONDARY PV_BIT(63)

/* Secondary processor-based controls (allowed-1 bits are the MSR's high half). */
#define VMX_PROC2_EPT	       PV_BIT(1)
#define VMX_PROC2_VPID	       PV_BIT(5)
#define VMX_PROC2_UNRESTRICTED PV_BIT(7)

/* IA32_VMX_EPT_VPID_CAP */
#define EPT_CAP_WALK4	      PV_BIT(6)
#define EPT_CAP_WB	      PV_BIT(14)
#define EPT_CAP_2M	      PV_BIT(16)
#define EPT_CAP_1G	      PV_BIT(17)
#define EPT_CAP_INVEPT	      PV_BIT(20)
#define EPT_CAP_INVEPT_SINGLE PV_BIT(25)
#define EPT_CAP_INVEPT_ALL    PV_BIT(26)
#define VPID_CAP_INVVPID      PV_BIT(32)

/*
 * VMX instructions report failure in the flags: CF set = VMfailInvalid, ZF set = VMfailValid.
 * Both are captured with SETcc inside the asm statement: with two "=@cc" flag outputs, clang 15
 * to 19 may emit a flag-clobbering instruction between reading the first and the second (LLVM
 * issue 58458), which turned a successful VMXON into a reported failure.
 */
enum vmx_result {
	VMX_OK = 0,
	VMX_FAIL_INVALID,
	VMX_FAIL_VALID
};

static inline enum vmx_result vmx_flags_result(uint8_t cf, uint8_t zf)
{
	return cf ? VMX_FAIL_INVALID : zf ? VMX_FAIL_VALID : VMX_OK;
}

struct vmx_caps {
	bool vmx;	  /* CPUID.1:ECX.VMX */
	bool usable;	  /* VMX allowed by firmware, EPT with a 4-level WB walk and INVEPT */
	uint64_t basic;	  /* IA32_VMX_BASIC */
	uint32_t proc2;	  /* allowed-1 secondary controls, 0 without secondary controls */
	uint64_t ept_cap; /* IA32_VMX_EPT_VPID_CAP, 0 without EPT or VPID */
};

/* Filled by vmx_probe on the boot CPU. */
extern struct vmx_caps vmx_caps;

void vmx_probe(struct vcpu_hw_info *info);
int vmx_cpu_enable(void);
void vmx_cpu_disable(void);

#endif
