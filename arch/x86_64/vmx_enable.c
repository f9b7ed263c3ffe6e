// SPDX-License-Identifier: MIT
/*
 * Entering and leaving VMX root operation on the calling CPU (Intel SDM vol. 3, "Enabling and
 * entering VMX operation"):
 *  1. IA32_FEATURE_CONTROL must be locked with "VMX outside SMX" set. Firmware normally locks it;
 *     if it left the MSR unlocked, we set the bit and lock it ourselves. Locked without the bit,
 *     VMXON would #GP: refuse instead.
 *  2. CR0 and CR4 must respect IA32_VMX_CR{0,4}_FIXED{0,1} (bits forced to 1 / allowed to be 1),
 *     with CR4.VMXE set. Boot code already set CR0.NE; any other forced change is refused rather
 *     than made behind the rest of the hypervisor's back.
 *  3. VMXON takes the physical address of a zeroed, 4 KiB aligned region of the size
 *     IA32_VMX_BASIC gives, starting with the VMCS revision identifier.
 *  4. VMXON reports failure in the flags (vmx.h).
 */
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <x86/cpu.h>

#include "vmx.h"

struct vmx_cpu {
	bool on;
	hpa_t region;
};

static struct vmx_cpu vmx_cpus[CONFIG_MAX_CPUS];

static int lock_feature_control(unsigned cpu)
{
	uint64_t fc = x86_rdmsr(X86_MSR_FEATURE_CONTROL);

	if (!(fc & FC_LOCKED)) {
		x86_wrmsr(X86_MSR_FEATURE_CONTROL, fc | FC_VMX_OUTSIDE_SMX | FC_LOCKED);
		fc = x86_rdmsr(X86_MSR_FEATURE_CONTROL);
		hal_printf("vmx: cpu %u: locked IA32_FEATURE_CONTROL (now 0x%llx)\n", cpu,
			   (unsigned long long)fc);
	}
	if (!(fc & FC_LOCKED) || !(fc & FC_VMX_OUTSIDE_SMX)) {
		hal_printf("vmx: cpu %u: IA32_FEATURE_CONTROL 0x%llx forbids VMX outside SMX\n",
			   cpu, (unsigned long long)fc);
		return -PV_ENOTSUP;
	}
	return PV_OK;
}

/* @value adjusted to the fixed bits, or an error when a bit outside @may_set had to change. */
static int fix_cr(unsigned cpu, const char *name, uint64_t value, uint64_t fixed0, uint64_t fixed1,
		  uint64_t may_set, uint64_t *out)
{
	uint64_t want = (value | fixed0) & fixed1;
	uint64_t changed = want ^ value;

	if (changed & ~may_set) {
		hal_printf("vmx: cpu %u: %s 0x%llx cannot meet FIXED0 0x%llx / FIXED1 0x%llx\n",
			   cpu, name, (unsigned long long)value, (unsigned long long)fixed0,
			   (unsigned long long)fixed1);
		return -PV_ENOTSUP;
	}
	*out = want;
	return PV_OK;
}

static enum vmx_result vmxon(hpa_t region)
{
	uint64_t pa = region.raw;
	uint8_t cf, zf;

	__asm__ volatile("vmxon %[pa]; setc %[cf]; setz %[zf]"
			 : [cf] "=qm"(cf), [zf] "=qm"(zf)
			 : [pa] "m"(pa)
			 : "memory", "cc");
	return vmx_flags_result(cf, zf);
}

static enum vmx_result vmxoff(void)
{
	uint8_t cf, zf;

	__asm__ volatile("vmxoff; setc %[cf]; setz %[zf]"
			 : [cf] "=qm"(cf), [zf] "=qm"(zf)
			 :
			 : "memory", "cc");
	return vmx_flags_result(cf, zf);
}

int vmx_cpu_enable(void)
{
	unsigned cpu = hal_cpu.cpu_id();
	struct vmx_cpu *vc = &vmx_cpus[cpu];
	uint64_t basic, cr0, cr4;
	uint32_t *region;
	enum vmx_result res;
	hpa_t frame;
	int err;

	if (vc->on)
		return -PV_EBUSY;
	if (!(x86_cpuid(1, 0).ecx & CPUID1_ECX_VMX))
		return -PV_ENOTSUP;
	err = lock_feature_control(cpu);
	if (err)
		return err;

	basic = x86_rdmsr(VMX_MSR_BASIC);
	if (VMX_BASIC_REGION_SIZE(basic) > HAL_PAGE_SIZE) {
		hal_printf("vmx: cpu %u: VMXON region of %u bytes is larger than a page\n", cpu,
			   VMX_BASIC_REGION_SIZE(basic));
		return -PV_ENOTSUP;
	}
	err = fix_cr(cpu, "CR0", x86_read_cr0(), x86_rdmsr(VMX_MSR_CR0_FIXED0),
		     x86_rdmsr(VMX_MSR_CR0_FIXED1), X86_CR0_NE, &cr0);
	if (!err)
		err = fix_cr(cpu, "CR4", x86_read_cr4() | X86_CR4_VMXE,
			     x86_rdmsr(VMX_MSR_CR4_FIXED0), x86_rdmsr(VMX_MSR_CR4_FIXED1), 0, &cr4);
	if (err)
		return err;

	err = page_pool_alloc(&hal_pages, 0, &frame);
	if (err) {
		hal_printf("vmx: cpu %u: no frame for the VMXON region\n", cpu);
		return err;
	}
	if ((basic & VMX_BASIC_ADDR_32BIT) && frame.raw >= PV_GIB(4)) {
		hal_printf("vmx: cpu %u: VMXON region at 0x%llx is above 4 GiB\n", cpu,
			   (unsigned long long)frame.raw);
		page_pool_free(&hal_pages, frame, 0);
		return -PV_ENOTSUP;
	}
	region = page_pool_virt(&hal_pages, frame);
	region[0] = VMX_BASIC_REVISION(basic);

	x86_write_cr0(cr0);
	x86_write_cr4(cr4);
	res = vmxon(frame);
	if (res != VMX_OK) {
		/* VMfailInvalid: region address or revision rejected; VMfailValid: this CPU was
		 * already in VMX operation (not by us: vc->on was clear). */
		hal_printf("vmx: cpu %u: VMXON failed (%s)\n", cpu,
			   res == VMX_FAIL_VALID ? "VMfailValid" : "VMfailInvalid");
		if (res == VMX_FAIL_VALID)
			return -PV_EBUSY;
		x86_write_cr4(cr4 & ~X86_CR4_VMXE);
		page_pool_free(&hal_pages, frame, 0);
		return -PV_EINVAL;
	}
	vc->on = true;
	vc->region = frame;
	hal_printf("vmx: cpu %u: VMX root operation, VMXON region at 0x%llx, revision 0x%x\n", cpu,
		   (unsigned long long)frame.raw, VMX_BASIC_REVISION(basic));
	return PV_OK;
}

/* Also used on the reset path, so it accepts a CPU that never entered VMX operation. */
void vmx_cpu_disable(void)
{
	struct vmx_cpu *vc = &vmx_cpus[hal_cpu.cpu_id()];
	enum vmx_result res;

	if (!vc->on)
		return;
	res = vmxoff();
	if (res != VMX_OK) {
		hal_printf("vmx: VMXOFF failed (%s)\n",
			   res == VMX_FAIL_VALID ? "VMfailValid" : "VMfailInvalid");
		return;
	}
	x86_write_cr4(x86_read_cr4() & ~X86_CR4_VMXE);
	page_pool_free(&hal_pages, vc->region, 0);
	vc->on = false;
}
