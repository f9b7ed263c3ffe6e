// SPDX-License-Identifier: MIT
/* Exit-qualification decoding, the guest's CPUID and the MSR allow-list. */
#include <string.h>

#include "pv_test.h"
#include "vmx_ctl.h"
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
	/* mov %cr8,%r9 (type 1) and mov %rdx,%cr8 */
	assert_true(vmx_decode_cr_read(0x918, &cr, &gpr));
	assert_int_equal(cr, 8);
	assert_int_equal(gpr, 9);
	assert_false(vmx_decode_cr_read(0x208, &cr, &gpr));
	assert_true(vmx_decode_cr_write(0x208, &cr, &gpr));
	assert_int_equal(cr, 8);
	assert_int_equal(gpr, 2);
}

static const struct cpuid_ctx ctx = {
	.apic_id = 1,
	.nvcpus = 2,
	.tsc_khz = 100000,
	.max_leaf = 0x16,
	.max_ext_leaf = 0x80000008,
	.rdtscp = true,
	.invpcid = true,
};

static const struct x86_cpuid all_ones = { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff };

static void test_cpuid(void **state)
{
	struct x86_cpuid r;
	char sig[13];

	(void)state;
	r = vmx_cpuid_policy(1, 0, all_ones, &ctx);
	assert_false(r.ecx & PV_BIT(3));  /* MONITOR: MONITOR and MWAIT raise #UD */
	assert_false(r.ecx & PV_BIT(5));  /* VMX */
	assert_false(r.ecx & PV_BIT(26)); /* XSAVE */
	assert_false(r.ecx & PV_BIT(28)); /* AVX */
	assert_true(r.ecx & PV_BIT(21));  /* x2APIC */
	assert_true(r.ecx & PV_BIT(24));  /* TSC deadline */
	assert_true(r.ecx & PV_BIT(31));  /* hypervisor */
	assert_int_equal(r.ebx >> 24, 1);
	assert_int_equal((r.ebx >> 16) & 0xff, 2);
	assert_false(r.edx & PV_BIT(12)); /* MTRR */
	assert_false(r.edx & PV_BIT(7));  /* MCE */
	assert_false(r.edx & PV_BIT(21)); /* debug store */
	assert_true(r.edx & PV_BIT(16));  /* PAT: switched by the VMCS */
	/* exactly the allow-list: SSE3 PCLMULQDQ SSSE3 CX16 PCID SSE4.1 SSE4.2 MOVBE POPCNT
	 * AES RDRAND, plus what is emulated */
	assert_int_equal(r.ecx, 0xc3fa2203u);
	assert_int_equal(r.edx, 0x1f8bab7fu);

	r = vmx_cpuid_policy(0x40000000, 0, all_ones, &ctx);
	assert_int_equal(r.eax, 0x40000010);
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	sig[12] = '\0';
	assert_string_equal(sig, PV_CPUID_SIGNATURE);
	r = vmx_cpuid_policy(0x40000010, 0, all_ones, &ctx);
	assert_int_equal(r.eax, 100000);
	r = vmx_cpuid_policy(0x40000005, 0, all_ones, &ctx);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);

	/* leaves beyond the host's maximum, and those of hidden features: zero */
	static const uint32_t zero_leaves[] = { 0x20, 3,    5,		6,	    9,
						0xa,  0xd,  0xf,	0x10,	    0x12,
						0x14, 0x1f, 0x80000005, 0x80000009, 0x8000001f };
	for (unsigned i = 0; i < sizeof(zero_leaves) / sizeof(zero_leaves[0]); i++) {
		r = vmx_cpuid_policy(zero_leaves[i], 0, all_ones, &ctx);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	}
	/* leaf 0x15: the TSC rate as 1 kHz * tsc_khz / 1, even past the host's highest leaf */
	r = vmx_cpuid_policy(0x15, 0, all_ones, &ctx);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx, 100000);
	assert_int_equal(r.ecx, 1000);
	assert_int_equal(r.edx, 0);
	{
		struct cpuid_ctx old = ctx;
		old.max_leaf = 0xd;
		r = vmx_cpuid_policy(0, 0, all_ones, &old);
		assert_int_equal(r.eax, 0x15);
		r = vmx_cpuid_policy(0x15, 0, all_ones, &old);
		assert_int_equal(r.ebx, 100000);
		r = vmx_cpuid_policy(0x10, 0, all_ones, &old);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
		r = vmx_cpuid_policy(0x16, 0, all_ones, &old);
		assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
		old.tsc_khz = 0;
		r = vmx_cpuid_policy(0, 0, all_ones, &old);
		assert_int_equal(r.eax, 0xd);
	}
	r = vmx_cpuid_policy(0, 0, all_ones, &ctx);
	assert_int_equal(r.eax, 0x16);
	/* informational leaves pass through */
	r = vmx_cpuid_policy(4, 0, all_ones, &ctx);
	assert_int_equal(r.eax & r.ebx & r.ecx & r.edx, 0xffffffff);
}

static void test_cpuid_leaf7_ext(void **state)
{
	struct cpuid_ctx c = ctx;
	struct x86_cpuid r;

	(void)state;
	r = vmx_cpuid_policy(7, 0, all_ones, &c);
	assert_int_equal(r.eax, 0);	  /* no further subleaves */
	assert_true(r.ebx & PV_BIT(10));  /* INVPCID, its control on */
	assert_false(r.ebx & PV_BIT(4));  /* HLE */
	assert_false(r.ebx & PV_BIT(5));  /* AVX2 */
	assert_false(r.ebx & PV_BIT(11)); /* RTM */
	assert_false(r.ebx & PV_BIT(14)); /* MPX */
	assert_false(r.ebx & PV_BIT(16)); /* AVX-512 */
	assert_false(r.ebx & PV_BIT(25)); /* Intel PT */
	assert_true(r.ecx & PV_BIT(22));  /* RDPID, with RDTSCP */
	assert_false(r.ecx & PV_BIT(3));  /* PKU */
	assert_false(r.ecx & PV_BIT(5));  /* WAITPKG */
	assert_false(r.ecx & PV_BIT(16)); /* LA57 */
	assert_false(r.edx & PV_BIT(26)); /* IBRS: IA32_SPEC_CTRL is not offered */
	assert_false(r.edx & PV_BIT(29)); /* IA32_ARCH_CAPABILITIES */
	r = vmx_cpuid_policy(7, 1, all_ones, &c);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
	r = vmx_cpuid_policy(0x80000001, 0, all_ones, &c);
	assert_int_equal(r.ecx, 0x121u);
	assert_int_equal(r.edx, 0x2c100800u); /* SYSCALL NX 1G-pages RDTSCP LM */
	r = vmx_cpuid_policy(0x80000000, 0, all_ones, &c);
	assert_int_equal(r.eax, 0x80000008u);
	r = vmx_cpuid_policy(0x80000007, 0, all_ones, &c);
	assert_int_equal(r.edx, PV_BIT(8));
	/* the features whose control is off are not offered */
	c.rdtscp = false;
	c.invpcid = false;
	r = vmx_cpuid_policy(7, 0, all_ones, &c);
	assert_false(r.ebx & PV_BIT(10));
	assert_false(r.ecx & PV_BIT(22));
	r = vmx_cpuid_policy(0x80000001, 0, all_ones, &c);
	assert_false(r.edx & PV_BIT(27));
	/* extended leaves above the host's maximum */
	c.max_ext_leaf = 0x80000004;
	r = vmx_cpuid_policy(0x80000006, 0, all_ones, &c);
	assert_int_equal(r.eax | r.ebx | r.ecx | r.edx, 0);
}

/* Leaf 0xb: the VM's own topology, not the host's. */
static void test_cpuid_topology(void **state)
{
	struct cpuid_ctx c = ctx;
	struct x86_cpuid r;

	(void)state;
	r = vmx_cpuid_policy(0xb, 0, all_ones, &c);
	assert_int_equal(r.eax, 0);
	assert_int_equal(r.ebx, 1);
	assert_int_equal(r.ecx, 0x100);
	assert_int_equal(r.edx, 1);
	r = vmx_cpuid_policy(0xb, 1, all_ones, &c);
	assert_int_equal(r.eax, 1);
	assert_int_equal(r.ebx, 2);
	assert_int_equal(r.ecx, 0x201);
	c.nvcpus = 5;
	r = vmx_cpuid_policy(0xb, 1, all_ones, &c);
	assert_int_equal(r.eax, 3);
	assert_int_equal(r.ebx, 5);
	r = vmx_cpuid_policy(0xb, 2, all_ones, &c);
	assert_int_equal(r.eax | r.ebx, 0);
	assert_int_equal(r.ecx, 2);
}

/* Every CR4 bit the guest may set belongs to a feature its CPUID offers, and the CR4 bits of the
 * hidden features are refused: the two policies agree. */
static void test_cpuid_matches_cr4(void **state)
{
	static const struct {
		unsigned cr4_bit;
		uint32_t leaf;
		unsigned reg; /* 1 ebx, 2 ecx, 3 edx */
		unsigned bit;
	} map[] = {
		{ 0, 1, 3, 1 },	  /* VME: VME */
		{ 1, 1, 3, 1 },	  /* PVI: VME */
		{ 2, 1, 3, 4 },	  /* TSD: TSC */
		{ 3, 1, 3, 2 },	  /* DE: DE */
		{ 4, 1, 3, 3 },	  /* PSE: PSE */
		{ 5, 1, 3, 6 },	  /* PAE: PAE */
		{ 6, 1, 3, 7 },	  /* MCE: MCE */
		{ 7, 1, 3, 13 },  /* PGE: PGE */
		{ 8, 1, 3, 4 },	  /* PCE: (RDPMC exits) */
		{ 9, 1, 3, 24 },  /* OSFXSR: FXSR */
		{ 10, 1, 3, 25 }, /* OSXMMEXCPT: SSE */
		{ 11, 7, 2, 2 },  /* UMIP: UMIP */
		{ 12, 7, 2, 16 }, /* LA57: LA57 */
		{ 13, 1, 2, 5 },  /* VMXE: VMX */
		{ 14, 1, 2, 6 },  /* SMXE: SMX */
		{ 16, 7, 1, 0 },  /* FSGSBASE: FSGSBASE */
		{ 17, 1, 2, 17 }, /* PCIDE: PCID */
		{ 18, 1, 2, 26 }, /* OSXSAVE: XSAVE */
		{ 20, 7, 1, 7 },  /* SMEP: SMEP */
		{ 21, 7, 1, 20 }, /* SMAP: SMAP */
		{ 22, 7, 2, 3 },  /* PKE: PKU */
		{ 23, 7, 3, 20 }, /* CET: CET_IBT */
		{ 24, 7, 2, 31 }, /* PKS: PKS */
	};
	struct vmx_controls c = { .cr4_fixed0 = PV_BIT(13), .cr4_fixed1 = ~0ULL };

	(void)state;
	for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		struct x86_cpuid r = vmx_cpuid_policy(map[i].leaf, 0, all_ones, &ctx);
		uint32_t word = map[i].reg == 1 ? r.ebx : map[i].reg == 2 ? r.ecx : r.edx;
		bool offered = word & PV_BIT(map[i].bit);
		bool allowed = vmx_cr4_allowed(&c, PV_BIT(map[i].cr4_bit));

		if (allowed && !offered)
			fail_msg("CR4 bit %u is the guest's but its feature is hidden",
				 map[i].cr4_bit);
		if (!allowed && offered && map[i].cr4_bit != 13)
			fail_msg("CR4 bit %u is refused but its feature is offered",
				 map[i].cr4_bit);
	}
}

static void test_exit_actions(void **state)
{
	(void)state;
	assert_int_equal(vmx_exit_action(50), VMX_ACT_UD); /* INVEPT */
	assert_int_equal(vmx_exit_action(53), VMX_ACT_UD); /* INVVPID */
	assert_int_equal(vmx_exit_action(39), VMX_ACT_UD); /* MONITOR */
	assert_int_equal(vmx_exit_action(36), VMX_ACT_UD); /* MWAIT */
	assert_int_equal(vmx_exit_action(11), VMX_ACT_UD); /* GETSEC */
	assert_int_equal(vmx_exit_action(55), VMX_ACT_UD); /* XSETBV */
	for (uint32_t r = 19; r <= 27; r++)		   /* VMCLEAR ... VMXON */
		assert_int_equal(vmx_exit_action(r), VMX_ACT_UD);
	assert_int_equal(vmx_exit_action(15), VMX_ACT_GP);   /* RDPMC */
	assert_int_equal(vmx_exit_action(13), VMX_ACT_SKIP); /* INVD */
	/* handled elsewhere, or a VM stop with a log line */
	assert_int_equal(vmx_exit_action(9), VMX_ACT_OTHER);  /* task switch */
	assert_int_equal(vmx_exit_action(29), VMX_ACT_OTHER); /* MOV DR: emulated */
	assert_int_equal(vmx_exit_action(49), VMX_ACT_OTHER); /* EPT misconfiguration */
	assert_int_equal(vmx_exit_action(0xffff), VMX_ACT_OTHER);
}

static void test_dr_qual(void **state)
{
	struct vmx_dr_access a;
	uint64_t v;

	(void)state;
	/* mov %rax,%dr7: DR 7, direction 0 (to DR), register 0 */
	assert_int_equal(vmx_decode_dr(0x007, 0, &a), 0);
	assert_int_equal(a.dr, 7);
	assert_true(a.write);
	assert_int_equal(a.gpr, 0);
	/* mov %dr6,%r11: direction 1 */
	assert_int_equal(vmx_decode_dr(0xb16, 0, &a), 0);
	assert_int_equal(a.dr, 6);
	assert_false(a.write);
	assert_int_equal(a.gpr, 11);
	/* DR4 and DR5 are DR6 and DR7 unless CR4.DE, which makes them #UD */
	assert_int_equal(vmx_decode_dr(0x014, 0, &a), 0);
	assert_int_equal(a.dr, 6);
	assert_int_equal(vmx_decode_dr(0x005, 0, &a), 0);
	assert_int_equal(a.dr, 7);
	assert_int_equal(vmx_decode_dr(0x005, PV_BIT(3), &a), 6);
	assert_int_equal(vmx_decode_dr(0x002, PV_BIT(3), &a), 0);
	assert_int_equal(a.dr, 2);
	/* values: DR6 / DR7 above bit 31 are #GP; DR7's fixed bits; DR0-3 take any address */
	assert_false(vmx_dr_write_value(7, PV_BIT(32), &v));
	assert_false(vmx_dr_write_value(6, PV_BIT(63), &v));
	assert_true(vmx_dr_write_value(7, 0xffffffff, &v));
	assert_int_equal(v, 0xffff27ff);
	assert_true(vmx_dr_write_value(7, 0, &v));
	assert_int_equal(v, 0x400);
	assert_true(vmx_dr_write_value(0, 0xffff800000001000ULL, &v));
	assert_int_equal(v, 0xffff800000001000ULL);
	assert_true(vmx_dr_write_value(6, 0xffff0ff1, &v));
	assert_int_equal(v, 0xffff0ff1);
}

static void test_msr_policy(void **state)
{
	uint64_t v = 0;

	(void)state;
	assert_int_equal(vmx_msr_policy(0x830, true, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(0x80b, true, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(X86_MSR_TSC_DEADLINE, false, true, &v), VMX_MSR_DEVICE);
	/* IA32_APIC_BASE holds the vLAPIC's mode: the device answers (test_vlapic.c). */
	assert_int_equal(vmx_msr_policy(X86_MSR_APIC_BASE, false, true, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(X86_MSR_APIC_BASE, true, false, &v), VMX_MSR_DEVICE);
	assert_int_equal(vmx_msr_policy(X86_MSR_MISC_ENABLE, true, true, &v), VMX_MSR_FIXED);
	v = 1;
	assert_int_equal(vmx_msr_policy(0x8b, false, false, &v), VMX_MSR_FIXED);
	assert_int_equal(v, 0); /* microcode revision 0 */
	assert_int_equal(vmx_msr_policy(0x8b, true, false, &v), VMX_MSR_FIXED);
	/* VMX capability, feature control, TSC write, machine check, debug control, PMU,
	 * speculation control, TSC_AUX without RDTSCP (never passed through then), unknown: #GP */
	assert_int_equal(vmx_msr_policy(0x480, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_FEATURE_CONTROL, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_TSC, true, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0x179, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0x1d9, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0x38f, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0x48, true, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(X86_MSR_TSC_AUX, false, true, &v), VMX_MSR_DENY);
	assert_int_equal(vmx_msr_policy(0xdeadbeef, false, true, &v), VMX_MSR_DENY);
	/* the bitmap's pass-through list holds only state the VMCS switches */
	for (const uint32_t *m = vmx_msr_passthrough; *m; m++)
		assert_true(*m == X86_MSR_EFER || *m == X86_MSR_PAT || *m == X86_MSR_FS_BASE ||
			    *m == X86_MSR_GS_BASE ||
			    (*m >= X86_MSR_SYSENTER_CS && *m <= X86_MSR_SYSENTER_EIP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_io_qual),		  cmocka_unit_test(test_ept_qual),
		cmocka_unit_test(test_cr_qual),		  cmocka_unit_test(test_cpuid),
		cmocka_unit_test(test_cpuid_leaf7_ext),	  cmocka_unit_test(test_cpuid_topology),
		cmocka_unit_test(test_cpuid_matches_cr4), cmocka_unit_test(test_exit_actions),
		cmocka_unit_test(test_dr_qual),		  cmocka_unit_test(test_msr_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
