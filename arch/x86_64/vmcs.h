/* SPDX-License-Identifier: MIT */
/*
 * VMCS field encodings (Intel SDM vol. 3, appendix B) and the VMREAD / VMWRITE / VMPTRLD / VMCLEAR
 * wrappers. The wrappers act on the current CPU's current VMCS; a failure means a bug in the
 * backend (unknown field, no current VMCS), so they panic with the field and the VM-instruction
 * error rather than let a guest run with a half-written VMCS.
 */
#ifndef X86_VMCS_H
#define X86_VMCS_H

#include <pv/types.h>

enum vmcs_field {
	/* 16-bit */
	VMCS_VPID = 0x0000,
	VMCS_GUEST_ES_SEL = 0x0800,
	VMCS_GUEST_CS_SEL = 0x0802,
	VMCS_GUEST_SS_SEL = 0x0804,
	VMCS_GUEST_DS_SEL = 0x0806,
	VMCS_GUEST_FS_SEL = 0x0808,
	VMCS_GUEST_GS_SEL = 0x080a,
	VMCS_GUEST_LDTR_SEL = 0x080c,
	VMCS_GUEST_TR_SEL = 0x080e,
	VMCS_HOST_ES_SEL = 0x0c00,
	VMCS_HOST_CS_SEL = 0x0c02,
	VMCS_HOST_SS_SEL = 0x0c04,
	VMCS_HOST_DS_SEL = 0x0c06,
	VMCS_HOST_FS_SEL = 0x0c08,
	VMCS_HOST_GS_SEL = 0x0c0a,
	VMCS_HOST_TR_SEL = 0x0c0c,
	/* 64-bit */
	VMCS_MSR_BITMAP = 0x2004,
	VMCS_EPTP = 0x201a,
	VMCS_GUEST_PHYS_ADDR = 0x2400,
	VMCS_LINK_POINTER = 0x2800,
	VMCS_GUEST_DEBUGCTL = 0x2802,
	VMCS_GUEST_PAT = 0x2804,
	VMCS_GUEST_EFER = 0x2806,
	VMCS_HOST_PAT = 0x2c00,
	VMCS_HOST_EFER = 0x2c02,
	/* 32-bit */
	VMCS_PIN_CTLS = 0x4000,
	VMCS_PROC_CTLS = 0x4002,
	VMCS_EXCEPTION_BITMAP = 0x4004,
	VMCS_CR3_TARGET_COUNT = 0x400a,
	VMCS_EXIT_CTLS = 0x400c,
	VMCS_EXIT_MSR_STORE_COUNT = 0x400e,
	VMCS_EXIT_MSR_LOAD_COUNT = 0x4010,
	VMCS_ENTRY_CTLS = 0x4012,
	VMCS_ENTRY_MSR_LOAD_COUNT = 0x4014,
	VMCS_ENTRY_INTR_INFO = 0x4016,
	VMCS_ENTRY_EXCEPTION_ERROR = 0x4018,
	VMCS_ENTRY_INSTR_LEN = 0x401a,
	VMCS_PROC2_CTLS = 0x401e,
	VMCS_VM_INSTR_ERROR = 0x4400,
	VMCS_EXIT_REASON = 0x4402,
	VMCS_EXIT_INTR_INFO = 0x4404,
	VMCS_EXIT_INTR_ERROR = 0x4406,
	VMCS_IDT_VECTORING_INFO = 0x4408,
	VMCS_IDT_VECTORING_ERROR = 0x440a,
	VMCS_EXIT_INSTR_LEN = 0x440c,
	VMCS_GUEST_ES_LIMIT = 0x4800,
	VMCS_GUEST_GDTR_LIMIT = 0x4810,
	VMCS_GUEST_IDTR_LIMIT = 0x4812,
	VMCS_GUEST_ES_AR = 0x4814,
	VMCS_GUEST_INTERRUPTIBILITY = 0x4824,
	VMCS_GUEST_ACTIVITY = 0x4826,
	VMCS_GUEST_SYSENTER_CS = 0x482a,
	VMCS_GUEST_PREEMPT_TIMER = 0x482e,
	VMCS_HOST_SYSENTER_CS = 0x4c00,
	/* natural width */
	VMCS_CR0_MASK = 0x6000,
	VMCS_CR4_MASK = 0x6002,
	VMCS_CR0_SHADOW = 0x6004,
	VMCS_CR4_SHADOW = 0x6006,
	VMCS_EXIT_QUALIFICATION = 0x6400,
	VMCS_GUEST_LINEAR_ADDR = 0x640a,
	VMCS_GUEST_CR0 = 0x6800,
	VMCS_GUEST_CR3 = 0x6802,
	VMCS_GUEST_CR4 = 0x6804,
	VMCS_GUEST_ES_BASE = 0x6806,
	VMCS_GUEST_CS_BASE = 0x6808,
	VMCS_GUEST_GDTR_BASE = 0x6816,
	VMCS_GUEST_IDTR_BASE = 0x6818,
	VMCS_GUEST_DR7 = 0x681a,
	VMCS_GUEST_RSP = 0x681c,
	VMCS_GUEST_RIP = 0x681e,
	VMCS_GUEST_RFLAGS = 0x6820,
	VMCS_GUEST_PENDING_DBG = 0x6822,
	VMCS_GUEST_SYSENTER_ESP = 0x6824,
	VMCS_GUEST_SYSENTER_EIP = 0x6826,
	VMCS_HOST_CR0 = 0x6c00,
	VMCS_HOST_CR3 = 0x6c02,
	VMCS_HOST_CR4 = 0x6c04,
	VMCS_HOST_FS_BASE = 0x6c06,
	VMCS_HOST_GS_BASE = 0x6c08,
	VMCS_HOST_TR_BASE = 0x6c0a,
	VMCS_HOST_GDTR_BASE = 0x6c0c,
	VMCS_HOST_IDTR_BASE = 0x6c0e,
	VMCS_HOST_SYSENTER_ESP = 0x6c10,
	VMCS_HOST_SYSENTER_EIP = 0x6c12,
	VMCS_HOST_RSP = 0x6c14,
	VMCS_HOST_RIP = 0x6c16,
};

/* Guest segment fields are laid out register by register (ES, CS, SS, DS, FS, GS, LDTR, TR),
 * two encodings apart, in each of the selector, limit, access-rights and base groups. */
enum vmcs_seg {
	VMCS_SEG_ES = 0,
	VMCS_SEG_CS,
	VMCS_SEG_SS,
	VMCS_SEG_DS,
	VMCS_SEG_FS,
	VMCS_SEG_GS,
	VMCS_SEG_LDTR,
	VMCS_SEG_TR,
	VMCS_SEG_COUNT
};

/* Interruption-information fields (VM entry, VM exit, IDT vectoring). */
#define VMX_INTR_VALID		  PV_BIT(31)
#define VMX_INTR_HAS_ERROR	  PV_BIT(11)
#define VMX_INTR_TYPE_SHIFT	  8
#define VMX_INTR_TYPE_EXT	  0u
#define VMX_INTR_TYPE_NMI	  2u
#define VMX_INTR_TYPE_HW_EXC	  3u
#define VMX_INTR_TYPE_SW_INT	  4u
#define VMX_INTR_TYPE_PRIV_SW_EXC 5u
#define VMX_INTR_TYPE_SW_EXC	  6u

/* Guest interruptibility state: blocking by STI, by MOV SS. */
#define VMX_BLOCK_STI	 PV_BIT(0)
#define VMX_BLOCK_MOV_SS PV_BIT(1)

/* Reports a failed VMREAD / VMWRITE and panics (vmcs.c). */
PV_NORETURN void vmcs_access_failed(uint32_t field, bool write, bool valid);
/* The same when the flags are gone: VMfailInvalid (no current VMCS) or VMfailValid is told
 * from the current-VMCS pointer (VMPTRST). */
PV_NORETURN void vmcs_access_failed_here(uint32_t field, bool write);

/* Inline: every exit makes several of these, and the exit path is the hypervisor's hot path. One
 * branch on failure (CF or ZF set: JBE) after the instruction, to an out-of-line report. */
static inline void vmcs_write(uint32_t field, uint64_t value)
{
	__asm__ goto("vmwrite %[v], %[f]; jbe %l[failed]"
		     :
		     : [v] "rm"(value), [f] "r"((uint64_t)field)
		     : "cc", "memory"
		     : failed);
	return;
failed:
	vmcs_access_failed_here(field, true);
}

static inline uint64_t vmcs_read(uint32_t field)
{
	uint64_t value;

	__asm__ goto("vmread %[f], %[v]; jbe %l[failed]"
		     : [v] "=r"(value)
		     : [f] "r"((uint64_t)field)
		     : "cc", "memory"
		     : failed);
	return value;
failed:
	vmcs_access_failed_here(field, false);
}

/* VMCLEAR / VMPTRLD of the VMCS at @pa; PV_OK or -PV_EINVAL (printed). */
int vmcs_clear(uint64_t pa);
int vmcs_load(uint64_t pa);

#endif
