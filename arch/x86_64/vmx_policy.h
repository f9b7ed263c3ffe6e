/* SPDX-License-Identifier: MIT */
/*
 * What the guest sees of the machine, and how exit information is read: the decoding of exit
 * qualifications, the CPUID the guest gets, and the MSR allow-list. Pure C, host-tested.
 *
 * MSR allow-list (anything else raises #GP(0) in the guest):
 *   IA32_EFER, IA32_PAT, FS/GS base, SYSENTER CS/ESP/EIP  held in the VMCS, not intercepted
 *   STAR, LSTAR, CSTAR, SFMASK, IA32_KERNEL_GS_BASE, and IA32_TSC_AUX when the guest has RDTSCP
 *                                                 not intercepted: switched between vCPUs by
 *                                                 software (vmx_lazy.h)
 *   IA32_TSC (read)                               not intercepted: the guest reads the host TSC
 *   IA32_APIC_BASE, x2APIC registers 0x800-0x8ff, IA32_TSC_DEADLINE  the emulated local APIC
 *                                                 (vlapic.c, vlapic_xapic.c), reached
 *                                                 as VCPU_EXIT_SYSREG with id = the MSR number
 *   IA32_MISC_ENABLE                              fixed value, writes ignored
 */
#ifndef X86_VMX_POLICY_H
#define X86_VMX_POLICY_H

#include <pv/types.h>
#include <x86/cpu.h>

#define X86_MSR_TSC	     0x010u
#define X86_MSR_SYSENTER_CS  0x174u
#define X86_MSR_SYSENTER_ESP 0x175u
#define X86_MSR_SYSENTER_EIP 0x176u
#define X86_MSR_MISC_ENABLE  0x1a0u
#define X86_MSR_BIOS_SIGN_ID 0x8bu /* microcode revision in 63:32 */
#define X86_MSR_PAT	     0x277u
#define X86_MSR_STAR	     0xc0000081u
#define X86_MSR_LSTAR	     0xc0000082u
#define X86_MSR_CSTAR	     0xc0000083u
#define X86_MSR_SFMASK	     0xc0000084u
#define X86_MSR_FS_BASE	     0xc0000100u
#define X86_MSR_GS_BASE	     0xc0000101u
#define X86_MSR_KERNEL_GS    0xc0000102u
#define X86_MSR_TSC_AUX	     0xc0000103u
#define X86_PAT_POWER_ON     0x0007040600070406ULL
#define X86_MSR_X2APIC_FIRST 0x800u
#define X86_MSR_X2APIC_LAST  0x8ffu

/* Basic exit reasons (SDM vol. 3, appendix C). */
enum vmx_exit_reason {
	VMX_EXIT_EXCEPTION = 0,
	VMX_EXIT_EXT_INTR = 1,
	VMX_EXIT_TRIPLE_FAULT = 2,
	VMX_EXIT_INIT = 3,
	VMX_EXIT_SIPI = 4,
	VMX_EXIT_INTR_WINDOW = 7,
	VMX_EXIT_NMI_WINDOW = 8,
	VMX_EXIT_CPUID = 10,
	VMX_EXIT_TASK_SWITCH = 9,
	VMX_EXIT_GETSEC = 11,
	VMX_EXIT_HLT = 12,
	VMX_EXIT_INVD = 13,
	VMX_EXIT_RDPMC = 15,
	VMX_EXIT_VMCALL = 18,
	VMX_EXIT_VMCLEAR = 19, /* 19-27: the VMX instructions (VMCLEAR ... VMXON) */
	VMX_EXIT_VMXON = 27,
	VMX_EXIT_CR_ACCESS = 28,
	VMX_EXIT_DR_ACCESS = 29,
	VMX_EXIT_IO = 30,
	VMX_EXIT_RDMSR = 31,
	VMX_EXIT_WRMSR = 32,
	VMX_EXIT_BAD_GUEST_STATE = 33,
	VMX_EXIT_BAD_MSR_LOAD = 34,
	VMX_EXIT_MWAIT = 36,
	VMX_EXIT_MONITOR = 39,
	VMX_EXIT_MACHINE_CHECK = 41,
	VMX_EXIT_EPT_VIOLATION = 48,
	VMX_EXIT_EPT_MISCONFIG = 49,
	VMX_EXIT_INVEPT = 50,
	VMX_EXIT_PREEMPT_TIMER = 52,
	VMX_EXIT_INVVPID = 53,
	VMX_EXIT_XSETBV = 55,
};

/* What the backend does with an exit that needs neither a device nor a core decision. */
enum vmx_exit_action {
	VMX_ACT_OTHER = 0, /* handled by its own code (vmx_exit.c) */
	VMX_ACT_UD,	   /* #UD: an instruction the guest's CPU does not have */
	VMX_ACT_GP,	   /* #GP(0) */
	VMX_ACT_SKIP,	   /* completed as a no-op */
};
/* For @reason (the basic exit reason): VMX instructions, INVEPT, INVVPID, GETSEC, MONITOR and
 * MWAIT (hidden from CPUID), XSETBV (no XSAVE) raise #UD; RDPMC raises #GP(0), as for a counter
 * that does not exist (CPUID leaf 0xa reports no PMU); INVD completes as a no-op (guest memory is
 * write-back and coherent: nothing to discard). */
enum vmx_exit_action vmx_exit_action(uint32_t reason);
#define VMX_EXIT_REASON_ENTRY_FAIL PV_BIT(31)

/* I/O instruction exit qualification. */
struct vmx_io_qual {
	uint16_t port;
	uint8_t width; /* 1, 2 or 4 */
	bool in;       /* IN (a read from the port) */
	bool string;   /* INS / OUTS */
	bool rep;
};
void vmx_decode_io_qual(uint64_t qual, struct vmx_io_qual *io);

/* EPT-violation qualification: the access that faulted, as VCPU_ACCESS_* bits. */
unsigned vmx_ept_access(uint64_t qual);

/* Control-register access qualification: MOV to CR@cr from general register @gpr. Returns false
 * for the other forms (MOV from CR, CLTS, LMSW). */
bool vmx_decode_cr_write(uint64_t qual, unsigned *cr, unsigned *gpr);
/* The same for MOV from CR@cr to general register @gpr. */
bool vmx_decode_cr_read(uint64_t qual, unsigned *cr, unsigned *gpr);

/* A MOV to or from a debug register, checked as the CPU would (SDM vol. 2, MOV—Move to/from
 * Debug Registers). DR4 and DR5 alias DR6 and DR7 unless CR4.DE is set (then #UD). */
struct vmx_dr_access {
	unsigned dr;  /* 0-3, 6 or 7 after aliasing */
	unsigned gpr; /* the general register */
	bool write;   /* MOV to DR */
};
#define X86_DR6_RESET 0xffff0ff0ULL
#define X86_DR7_RESET 0x400ULL
/* Fills @a from the exit qualification; returns 0, or the vector of the fault to inject (6). */
unsigned vmx_decode_dr(uint64_t qual, uint64_t cr4, struct vmx_dr_access *a);
/* The value a MOV to DR6 / DR7 stores, or false for a value with bits 63:32 set (#GP(0)). The
 * bits that read as fixed are applied here for DR7, which lives in the VMCS; DR6 is written to
 * the CPU, which applies its own. */
bool vmx_dr_write_value(unsigned dr, uint64_t value, uint64_t *stored);

/* What the guest's CPUID returns. */
#define PV_CPUID_HV_BASE   0x40000000u	  /* EAX = highest hypervisor leaf, EBX-EDX = signature */
#define PV_CPUID_HV_TIMING 0x40000010u	  /* EAX = TSC frequency in kHz */
#define PV_CPUID_SIGNATURE "Polyvisor PV" /* 12 bytes, EBX-ECX-EDX */

struct cpuid_ctx {
	uint32_t apic_id;      /* the vCPU's x2APIC id */
	uint32_t nvcpus;       /* vCPUs of the VM */
	uint64_t tsc_khz;      /* the guest's TSC rate */
	uint32_t max_leaf;     /* highest basic leaf of the host */
	uint32_t max_ext_leaf; /* highest extended leaf of the host */
	bool rdtscp;	       /* the RDTSCP control is on (RDTSCP, RDPID, IA32_TSC_AUX) */
	bool invpcid;	       /* the INVPCID control is on */
};
/* @host: the host's answer to (@leaf, @subleaf). Returns the guest's: feature flags are an
 * allow-list (a feature the host gains later stays hidden until someone decides it is safe). */
struct x86_cpuid vmx_cpuid_policy(uint32_t leaf, uint32_t subleaf, struct x86_cpuid host,
				  const struct cpuid_ctx *ctx);

/* How an intercepted MSR access is handled. */
enum vmx_msr_action {
	VMX_MSR_DENY = 0, /* #GP(0) */
	VMX_MSR_DEVICE,	  /* an emulated device in the SYSREG space (the local APIC) */
	VMX_MSR_FIXED,	  /* read: *value; write: ignored */
};
enum vmx_msr_action vmx_msr_policy(uint32_t msr, bool write, bool bsp, uint64_t *value);

/* The MSRs the VMCS switches, which the bitmap lets the guest access without an exit, ended by
 * 0. The software-switched ones (vmx_lazy.h) are let through as well. */
extern const uint32_t vmx_msr_passthrough[];

#endif
