// SPDX-License-Identifier: MIT
/* VMCLEAR / VMPTRLD and the failure report of VMREAD / VMWRITE (vmcs.h). VMCLEAR and VMPTRLD read
 * the flags with SETcc inside the asm (vmx.h). */
#include <hal/hal.h>

#include "vmcs.h"
#include "vmx.h"

void vmcs_access_failed(uint32_t field, bool write, bool valid)
{
	uint64_t error = 0;

	/* VMfailValid leaves the reason in the VM-instruction error field; read it with a plain
	 * VMREAD so that a second failure cannot recurse. */
	if (valid)
		__asm__ volatile("vmread %[f], %[v]"
				 : [v] "=r"(error)
				 : [f] "r"((uint64_t)VMCS_VM_INSTR_ERROR)
				 : "cc");
	hal_panic("vmx: %s of VMCS field 0x%x failed (%s, VM-instruction error %llu)",
		  write ? "VMWRITE" : "VMREAD", field, valid ? "VMfailValid" : "VMfailInvalid",
		  (unsigned long long)error);
}

void vmcs_access_failed_here(uint32_t field, bool write)
{
	uint64_t current = ~0ULL;

	__asm__ volatile("vmptrst %[p]" : [p] "=m"(current));
	vmcs_access_failed(field, write, current != ~0ULL);
}

int vmcs_clear(uint64_t pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmclear %[pa]; setc %[cf]; setz %[zf]"
			 : [cf] "=qm"(cf), [zf] "=qm"(zf)
			 : [pa] "m"(pa)
			 : "cc", "memory");
	if (vmx_flags_result(cf, zf) == VMX_OK)
		return PV_OK;
	hal_printf("vmx: VMCLEAR of 0x%llx failed\n", (unsigned long long)pa);
	return -PV_EINVAL;
}

int vmcs_load(uint64_t pa)
{
	uint8_t cf, zf;

	__asm__ volatile("vmptrld %[pa]; setc %[cf]; setz %[zf]"
			 : [cf] "=qm"(cf), [zf] "=qm"(zf)
			 : [pa] "m"(pa)
			 : "cc", "memory");
	if (vmx_flags_result(cf, zf) == VMX_OK)
		return PV_OK;
	hal_printf("vmx: VMPTRLD of 0x%llx failed\n", (unsigned long long)pa);
	return -PV_EINVAL;
}
