// SPDX-License-Identifier: MIT
/*
 * What the CPU offers for VMX guests. Each capability MSR is read only when an earlier one says
 * it exists (RDMSR of a missing MSR is a #GP): IA32_VMX_* and IA32_FEATURE_CONTROL need
 * CPUID.1:ECX.VMX, the secondary controls need bit 63 of IA32_VMX_PROCBASED_CTLS, and
 * IA32_VMX_EPT_VPID_CAP needs EPT or VPID among the allowed secondary controls.
 */
#include <hal/hal.h>
#include <pv/fmt.h>
#include <x86/cpu.h>

#include "vmx.h"

struct vmx_caps vmx_caps;

struct summary {
	char *buf;
	size_t size;
	size_t len;
};

static void add(struct summary *s, const char *text)
{
	if (s->len < s->size)
		s->len += pv_snprintf(s->buf + s->len, s->size - s->len, "%s", text);
}

static void describe_ept(struct summary *s, uint64_t cap)
{
	add(s, ", EPT (");
	add(s, cap & EPT_CAP_WALK4 ? "4-level" : "no 4-level walk");
	add(s, cap & EPT_CAP_WB ? ", WB" : ", no WB");
	if (cap & EPT_CAP_2M)
		add(s, cap & EPT_CAP_1G ? ", 2M+1G" : ", 2M");
	if (!(cap & EPT_CAP_INVEPT))
		add(s, ", no INVEPT");
	add(s, ")");
}

static void print_msrs(uint64_t fc)
{
	uint64_t basic = vmx_caps.basic;

	hal_printf(
		"vmx: IA32_VMX_BASIC 0x%016llx: revision 0x%x, %u-byte regions, memory type %u%s\n",
		(unsigned long long)basic, VMX_BASIC_REVISION(basic), VMX_BASIC_REGION_SIZE(basic),
		VMX_BASIC_MEMTYPE(basic), basic & VMX_BASIC_ADDR_32BIT ? ", below 4 GiB only" : "");
	hal_printf("vmx: IA32_FEATURE_CONTROL 0x%llx: %s, VMX outside SMX %s\n",
		   (unsigned long long)fc, fc & FC_LOCKED ? "locked" : "unlocked",
		   fc & FC_VMX_OUTSIDE_SMX ? "allowed" : "not allowed");
	hal_printf("vmx: secondary controls allowed-1 0x%08x, IA32_VMX_EPT_VPID_CAP 0x%016llx\n",
		   vmx_caps.proc2, (unsigned long long)vmx_caps.ept_cap);
}

void vmx_probe(struct vcpu_hw_info *info)
{
	struct summary s = { info->summary, sizeof(info->summary), 0 };
	struct x86_cpuid id = x86_cpuid(1, 0);
	uint64_t fc, cap;
	bool ept_ok;

	info->supported = false;
	vmx_caps = (struct vmx_caps){ 0 };
	if (!(id.ecx & CPUID1_ECX_VMX)) {
		add(&s, "VMX absent (CPUID.1:ECX.VMX is 0)");
		return;
	}
	vmx_caps.vmx = true;
	vmx_caps.basic = x86_rdmsr(VMX_MSR_BASIC);
	if (x86_rdmsr(VMX_MSR_PROCBASED_CTLS) & VMX_PROC_SECONDARY)
		vmx_caps.proc2 = (uint32_t)(x86_rdmsr(VMX_MSR_PROCBASED_CTLS2) >> 32);
	if (vmx_caps.proc2 & (VMX_PROC2_EPT | VMX_PROC2_VPID))
		vmx_caps.ept_cap = x86_rdmsr(VMX_MSR_EPT_VPID_CAP);
	fc = x86_rdmsr(X86_MSR_FEATURE_CONTROL);
	cap = vmx_caps.ept_cap;
	print_msrs(fc);

	add(&s, "VMX present");
	if ((fc & FC_LOCKED) && !(fc & FC_VMX_OUTSIDE_SMX)) {
		add(&s, ", disabled by firmware (IA32_FEATURE_CONTROL locked)");
		return;
	}
	if (!(vmx_caps.proc2 & VMX_PROC2_EPT)) {
		add(&s, ", no EPT");
		return;
	}
	describe_ept(&s, cap);
	if ((vmx_caps.proc2 & VMX_PROC2_VPID) && (cap & VPID_CAP_INVVPID))
		add(&s, ", VPID");
	if (vmx_caps.proc2 & VMX_PROC2_UNRESTRICTED)
		add(&s, ", unrestricted guest");

	/* The stage-2 engine builds 4-level write-back tables and flushes them with INVEPT. */
	ept_ok = (cap & EPT_CAP_WALK4) && (cap & EPT_CAP_WB) && (cap & EPT_CAP_INVEPT) &&
		 (cap & (EPT_CAP_INVEPT_SINGLE | EPT_CAP_INVEPT_ALL));
	vmx_caps.usable = ept_ok && VMX_BASIC_MEMTYPE(vmx_caps.basic) == VMX_MEMTYPE_WB;
	info->supported = vmx_caps.usable;
}
