// SPDX-License-Identifier: MIT
/* VMX control computation from capability MSR values (vmx_ctl.h); pure, host-tested. */
#include <x86/cpu.h>

#include "vmx_ctl.h"

#define CR0_PE_PG (X86_CR0_PE | X86_CR0_PG)

uint32_t vmx_ctl_msr(uint64_t basic, uint32_t legacy_msr)
{
	/* The true MSRs follow the legacy ones in the same order, 0x481 -> 0x48d, 0x482 -> 0x48e,
	 * 0x483 -> 0x48f, 0x484 -> 0x490. */
	if ((basic & VMX_BASIC_TRUE_CTLS) && legacy_msr >= 0x481u && legacy_msr <= 0x484u)
		return legacy_msr + 0xcu;
	return legacy_msr;
}

int vmx_ctl_compute(uint64_t cap, uint32_t required, uint32_t optional, uint32_t *out,
		    uint32_t *missing)
{
	uint32_t must = (uint32_t)cap;
	uint32_t may = (uint32_t)(cap >> 32);

	*missing = required & ~may;
	if (*missing)
		return -PV_ENOTSUP;
	*out = ((required | optional) & may) | must;
	return PV_OK;
}

int vmx_controls_compute(const struct vmx_cap_msrs *caps, struct vmx_controls *out,
			 const char **what, uint32_t *missing)
{
	/* Every exit the backend relies on is required: without one the guest would act on the
	 * real hardware (port I/O, HLT, MSRs, the local APIC's task priority through CR8). */
	const uint32_t proc_req = VMX_PROC_HLT | VMX_PROC_UNCOND_IO | VMX_PROC_MSR_BITMAP |
				  VMX_PROC_SECONDARY_ON | VMX_PROC_MOV_DR | VMX_PROC_MWAIT |
				  VMX_PROC_MONITOR | VMX_PROC_RDPMC | VMX_PROC_CR8_LOAD |
				  VMX_PROC_CR8_STORE;
	const uint32_t proc2_req = VMX_PROC2_EPT_ON | VMX_PROC2_UNRESTRICTED_ON;
	/* State the VMCS switches: EFER, PAT, DR7 and IA32_DEBUGCTL (the debug controls). */
	const uint32_t exit_req = VMX_EXIT_HOST_64 | VMX_EXIT_ACK_INTR | VMX_EXIT_SAVE_EFER |
				  VMX_EXIT_LOAD_EFER | VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT |
				  VMX_EXIT_SAVE_DEBUG;
	const uint32_t entry_req = VMX_ENTRY_LOAD_EFER | VMX_ENTRY_LOAD_PAT | VMX_ENTRY_LOAD_DEBUG;
	int err;

	*out = (struct vmx_controls){ 0 };
	*what = "pin-based";
	err = vmx_ctl_compute(caps->pin, VMX_PIN_EXT_INTR | VMX_PIN_NMI, VMX_PIN_PREEMPT, &out->pin,
			      missing);
	if (!err) {
		*what = "processor-based";
		err = vmx_ctl_compute(caps->proc, proc_req, 0, &out->proc, missing);
	}
	if (!err) {
		*what = "secondary processor-based";
		err = vmx_ctl_compute(caps->proc2, proc2_req,
				      VMX_PROC2_VPID_ON | VMX_PROC2_RDTSCP | VMX_PROC2_INVPCID,
				      &out->proc2, missing);
	}
	if (!err) {
		*what = "VM-exit";
		err = vmx_ctl_compute(caps->exit, exit_req, 0, &out->exit, missing);
	}
	if (!err) {
		*what = "VM-entry";
		err = vmx_ctl_compute(caps->entry, entry_req, 0, &out->entry, missing);
	}
	if (!err && !(caps->misc & VMX_MISC_STORE_LMA)) {
		/* Without it, a guest entering long mode on its own would leave the IA-32e mode
		 * entry control stale and the next VM entry would fail. */
		*what = "IA32_VMX_MISC (LMA saved on exit)";
		*missing = (uint32_t)VMX_MISC_STORE_LMA;
		err = -PV_ENOTSUP;
	}
	if (err)
		return err;
	/* The secondary VPID control is of use only with INVVPID to flush a tag. */
	out->vpid = (out->proc2 & VMX_PROC2_VPID_ON) && (caps->ept_vpid & PV_BIT(32));
	if (!out->vpid)
		out->proc2 &= ~(uint32_t)VMX_PROC2_VPID_ON;
	/* What the guest's CPUID offers follows these two (vmx_cpuid_policy). */
	out->rdtscp = out->proc2 & VMX_PROC2_RDTSCP;
	out->invpcid = out->proc2 & VMX_PROC2_INVPCID;
	/* The guest enters in protected mode (set_entry), so IA-32e mode starts clear. */
	out->entry &= ~(uint32_t)VMX_ENTRY_IA32E;
	out->cr0_fixed0 = caps->cr0_fixed0;
	out->cr0_fixed1 = caps->cr0_fixed1;
	out->cr4_fixed0 = caps->cr4_fixed0;
	out->cr4_fixed1 = caps->cr4_fixed1;
	return PV_OK;
}

uint64_t vmx_cr0_owned(const struct vmx_controls *c)
{
	/* Bits forced to 1 or to 0, except PE and PG, which unrestricted guest leaves free. */
	return (c->cr0_fixed0 | ~c->cr0_fixed1) & ~(uint64_t)CR0_PE_PG & 0xffffffffu;
}

/* The bits the guest may set and the CPU lets it (FIXED1), minus those VMX forces (FIXED0). */
static uint64_t cr4_guest(const struct vmx_controls *c)
{
	return VMX_CR4_GUEST_BITS & c->cr4_fixed1 & ~c->cr4_fixed0;
}

uint64_t vmx_cr4_owned(const struct vmx_controls *c)
{
	return ~cr4_guest(c);
}

bool vmx_cr4_allowed(const struct vmx_controls *c, uint64_t value)
{
	return !(value & ~cr4_guest(c));
}

uint64_t vmx_guest_cr0(const struct vmx_controls *c, uint64_t value)
{
	uint64_t fixed0 = c->cr0_fixed0 & ~(uint64_t)CR0_PE_PG;

	return (value | fixed0) & (c->cr0_fixed1 | CR0_PE_PG);
}

uint64_t vmx_guest_cr4(const struct vmx_controls *c, uint64_t value)
{
	return (value | c->cr4_fixed0) & c->cr4_fixed1;
}
