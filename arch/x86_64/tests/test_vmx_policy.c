// SPDX-License-Identifier: MIT
/* Exit-qualification decoding, the guest's CPUID and the MSR allow-list. */
#include <string.h>

#include "pv_test.h"
#include "vmx_policy.h"

#include <vcpu/exit.h>

static void test_io_qual(void **state)
{
	struct vmx_io_qual io;

	(void)state;
	/* out %al,$0x3f8: size 0 (1 byte), direction 0 (out), port in 31:16 */
	vmx_decode_io_qual(0x03f80000, &io);
	assert_int_equal(io.port, 0x3f8);
	assert_int_equal(io.width, 1);
	assert_false(io.in);
	assert_false(io.string);
	/* inl (%dx): size 3, in, operand in DX (bit 6) */
	vmx_decode_io_qual(0x0cfc004b, &io);
	assert_int_equal(io.port, 0xcfc);
	assert_int_equal(io.width, 4);
	assert_true(io.in);
	/* rep outsw */
	vmx_decode_io_qual(0x00800031, &io);
	assert_int_equal(io.width, 2);
	assert_true(io.string);
	assert_true(io.rep);
}

static void test_ept_qual(void **state)
{
	(void)state;
	assert_int_equal(vmx_ept_access(0x181), VCPU_ACCESS_READ);
	assert_int_equal(vmx_ept_access(0x182), VCPU_ACCESS_WRITE);
	assert_int_equal(vmx_ept_access(0x183), VCPU_ACCESS_WRITE); /* read-modify-write */
	assert_int_equal(vmx_ept_access(0x184), VCPU_ACCESS_EXEC);
}

static void test_cr_qual(void **state)
{
	unsigned cr, gpr;

	(void)state;
	/* mov %rbx,%cr4: CR 4, type 0, register 3 */
	assert_true(vmx_decode_cr_write(0x304, &cr, &gpr));
	assert_int_equal(cr, 4);
	assert_int_equal(gpr, 3);
	/* mov %cr0,%rax (type 1), CLTS (type 2), LMSW (type 3) */
	assert_false(vmx_decode_cr_write(0x010, &cr, &gpr));
	assert_false(vmx_decode_cr_write(0x020, &cr, &gpr));
	assert_false(vmx_decode_cr_write(0x030, &cr, &gpr));
}

static const struct cpuid_ctx ctx = {
	.apic_id = 1, .nvcpus = 2, .tsc_khz = 100000, .max_leaf = 0x16
};

static void test_cpuid(void **state)
{
	struct x86_cpuid host = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };
	struct x86_cpuid r;
	char sig[13];

	(void)state;
	r = vmx_cpuid_policy(1, 0, host, &ctx);
	assert_false(r.ecx & PV_BIT(5));  /* VMX */
	assert_false(r.ecx & PV_BIT(26)); /* XSAVE */
	assert_false(r.ecx & PV_BIT(28)); /* AVX */
	assert_true(r.ecx & PV_BIT(21));  /* x2APIC */
	assert_true(r.ecx & PV_BIT(24));  /* TSC deadline */
	assert_true(r.ecx & PV_BIT(31));  /* hypervisor */
	assert_int_equal(r.ebx >> 24, 1);
	assert_int_equal((r.ebx >> 16) & 0xff, 2);
	assert_false(r.edx & PV_BIT(12)); /* MTRR */

	r = vmx_cpuid_policy(0x40000000, 0, host, &ctx);
	assert_int_equal(r.eax, 0x40000010);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	assert_string_equal(sig, PV_CPUID_SIGNATURE);
	r = vmx_cpuid_policy(0x40000010, 0, host, &ctx);
	assert_int_equal(r.eax, 100000);
	r = vmx_cpuid_policy(0x40000005, 0, host, &ctx);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);

	/* leaves beyond the host's maximum, XSAVE's leaf: zero */
	r = vmx_cpuid_policy(0x20, 0, host, &ctx);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = vmx_cpuid_policy(0xd, 0, host, &ctx);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = vmx_cpuid_policy(0xb, 0, host, &ctx);
	assert_int_equal(r.edx, 1);
	/* extended leaves pass through */
	r = vmx_cpuid_policy(0x80000001, 0, host, &ctx);
	assert_int_equal(r.edx, 0xffffffff);
}

static void test_msr_policy(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(vmx_msr_policy(0x830, true, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(0x80b, true, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(X86_MSR_TSC_DEADLINE, false, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(X86_MSR_APIC_BASE, false, true, &v), VMX_MSR_FIXED);
	assert_int_equal(v, 0xfee00d00);
	assert_int_equal(vmx_msr_policy(X86_MSR_APIC_BASE, false, false, &v), VMX_MSR_FIXED);
	assert_int_equal(v, 0xfee00c00);
	assert_int_equal(vmx_msr_policy(X86_MSR_APIC_BASE, true, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_PAT, false, true, &v), VMX_MSR_FIXED);
	assert_int_equal(vmx_msr_policy(X86_MSR_PAT, true, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_MISC_ENABLE, true, true, &v), VMX_MSR_FIXED);
	/* VMX capability, feature control, TSC write, machine check, unknown: #GP */
	assert_int_equal(vmx_msr_policy(0x480, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_FEATURE_CONTROL, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_TSC, true, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0x179, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0xdeadbeef, false, true, &v), VMX_MSR_DENY);
	/* the bitmap's pass-through list holds only state the VMCS switches */
	for (const uint32_t *m = vmx_msr_passthrough; *m; m++)
		assert_true(*m == X86_MSR_EFER || *m == X86_MSR_FS_BASE || *m == X86_MSR_GS_BASE ||
			    (*m >= X86_MSR_SYSENTER_CS && *m <= X86_MSR_SYSENTER_EIP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_qual),	   cmocka_unit_test(test_ept_qual),
		cmocka_unit_test(test_cr_qual),	   cmocka_unit_test(test_cpuid),
		cmocka_unit_test(test_msr_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
