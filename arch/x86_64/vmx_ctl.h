/* SPDX-License-Identifier: MIT */
/*
 * VMX execution controls, computed from the capability MSRs (SDM vol. 3, appendix A.3-A.5): the
 * low half of each MSR has a 1 for every control that must be 1, the high half a 1 for every
 * control that may be 1. Pure functions of MSR values, so the host tests check them directly.
 */
#ifndef X86_VMX_CTL_H
#define X86_VMX_CTL_H

#include <pv/types.h>

#define VMX_MSR_PINBASED_CTLS	    0x481u
#define VMX_MSR_EXIT_CTLS	    0x483u
#define VMX_MSR_ENTRY_CTLS	    0x484u
#define VMX_MSR_MISC		    0x485u
#define VMX_MSR_TRUE_PINBASED_CTLS  0x48du
#define VMX_MSR_TRUE_PROCBASED_CTLS 0x48eu
#define VMX_MSR_TRUE_EXIT_CTLS	    0x48fu
#define VMX_MSR_TRUE_ENTRY_CTLS	    0x490u
#define VMX_BASIC_TRUE_CTLS	    PV_BIT(55)
#define VMX_MISC_STORE_LMA	    PV_BIT(5)
#define VMX_MISC_PREEMPT_RATE(misc) ((unsigned)((misc) & 0x1fu))

/* Pin-based controls. */
#define VMX_PIN_EXT_INTR PV_BIT(0)
#define VMX_PIN_NMI	 PV_BIT(3)
#define VMX_PIN_PREEMPT	 PV_BIT(6) /* the VMX-preemption timer */

/* Primary processor-based controls. */
#define VMX_PROC_INTR_WINDOW  PV_BIT(2)
#define VMX_PROC_HLT	      PV_BIT(7)
#define VMX_PROC_INVLPG	      PV_BIT(9)
#define VMX_PROC_MWAIT	      PV_BIT(10)
#define VMX_PROC_RDPMC	      PV_BIT(11)
#define VMX_PROC_CR3_LOAD     PV_BIT(15)
#define VMX_PROC_CR3_STORE    PV_BIT(16)
#define VMX_PROC_CR8_LOAD     PV_BIT(19)
#define VMX_PROC_CR8_STORE    PV_BIT(20)
#define VMX_PROC_MOV_DR	      PV_BIT(23)
#define VMX_PROC_UNCOND_IO    PV_BIT(24)
#define VMX_PROC_MSR_BITMAP   PV_BIT(28)
#define VMX_PROC_MONITOR      PV_BIT(29)
#define VMX_PROC_SECONDARY_ON PV_BIT(31)

/* Secondary processor-based controls. */
#define VMX_PROC2_EPT_ON	  PV_BIT(1)
#define VMX_PROC2_RDTSCP	  PV_BIT(3)
#define VMX_PROC2_VPID_ON	  PV_BIT(5)
#define VMX_PROC2_UNRESTRICTED_ON PV_BIT(7)
#define VMX_PROC2_INVPCID	  PV_BIT(12)

/* VM-exit controls. */
#define VMX_EXIT_SAVE_DEBUG PV_BIT(2)
#define VMX_EXIT_HOST_64    PV_BIT(9)
#define VMX_EXIT_ACK_INTR   PV_BIT(15)
#define VMX_EXIT_SAVE_PAT   PV_BIT(18)
#define VMX_EXIT_LOAD_PAT   PV_BIT(19)
#define VMX_EXIT_SAVE_EFER  PV_BIT(20)
#define VMX_EXIT_LOAD_EFER  PV_BIT(21)

/* VM-entry controls. */
#define VMX_ENTRY_LOAD_DEBUG PV_BIT(2)
#define VMX_ENTRY_IA32E	     PV_BIT(9)
#define VMX_ENTRY_LOAD_PAT   PV_BIT(14)
#define VMX_ENTRY_LOAD_EFER  PV_BIT(15)

/* CR4 bits a guest may set (where the CPU allows them), each one a feature the guest's CPUID
 * offers and the hardware virtualizes: VME, PVI, TSD, DE, PSE, PAE, PGE, PCE, OSFXSR,
 * OSXMMEXCPT, UMIP, FSGSBASE, PCIDE, SMEP, SMAP. Every other bit is owned by the hypervisor and
 * a guest's attempt to set it raises #GP, as on a CPU without the feature: MCE (no machine-check
 * architecture), LA57 (the instruction fetch walks 4 levels), VMXE and SMXE (no VMX or SMX),
 * OSXSAVE (no XSAVE: XCR0 is the host's), KL, PKE and PKS (PKRU is not switched), CET, UINTR. */
#define VMX_CR4_GUEST_BITS                                                                         \
	(PV_MASK(5, 0) | PV_MASK(11, 7) | PV_BIT(16) | PV_BIT(17) | PV_BIT(20) | PV_BIT(21))

/* The capability MSRs, as read from the CPU (or made up by a test). */
struct vmx_cap_msrs {
	uint64_t basic, misc;
	uint64_t pin, proc, proc2, exit, entry; /* the "true" ones where BASIC bit 55 says so */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
	uint64_t ept_vpid;
};

/* The controls every vCPU gets. */
struct vmx_controls {
	uint32_t pin, proc, proc2, exit, entry;
	bool vpid;    /* VPIDs tag the guests' TLB entries */
	bool rdtscp;  /* RDTSCP and RDPID work in the guest (it then has its own IA32_TSC_AUX) */
	bool invpcid; /* INVPCID works in the guest */
	uint64_t cr0_fixed0, cr0_fixed1, cr4_fixed0, cr4_fixed1;
};

/* Which MSR holds the capability of a control field: the "true" MSR when @basic offers it. */
uint32_t vmx_ctl_msr(uint64_t basic, uint32_t legacy_msr);

/* One control field: the @required bits (all must be allowed) plus the @optional ones the CPU
 * allows, plus the bits it forces. -PV_ENOTSUP and *missing = the required bits not allowed. */
int vmx_ctl_compute(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out,
		    uint32_t *missing);

/* All fields for this backend's guests. On failure, *what names the field and *missing gives
 * the bits the CPU lacks. */
int vmx_controls_compute(const struct vmx_cap_msrs *caps, struct vmx_controls *out,
			 const char **what, uint32_t *missing);

/* Guest CR0 / CR4 as the hardware gets them: the guest's value with the bits VMX forces set
 * (PE and PG stay the guest's under unrestricted guest), and the mask of bits the hypervisor
 * owns (the guest reads them from the shadow, a write changing them exits). */
uint64_t vmx_guest_cr0(const struct vmx_controls *c, uint64_t value);
uint64_t vmx_guest_cr4(const struct vmx_controls *c, uint64_t value);
uint64_t vmx_cr0_owned(const struct vmx_controls *c);
uint64_t vmx_cr4_owned(const struct vmx_controls *c);
/* A guest's MOV to CR4 of @value (an exit: it changes an owned bit): false if it sets a bit the
 * guest may not (#GP(0), CR4 unchanged), else true. */
bool vmx_cr4_allowed(const struct vmx_controls *c, uint64_t value);

#endif
