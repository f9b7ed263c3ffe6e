// SPDX-License-Identifier: MIT
/* The software-switched guest state (vmx_lazy.h) on a fake register file: what one vCPU writes is
 * never seen by another on the same CPU, nor the values the CPU held before any guest ran. */
#include <string.h>

#include "pv_test.h"
#include "vmx_lazy.h"
#include "vmx_policy.h"

/* One CPU's registers. */
static struct vmx_lazy cpu_regs;
static unsigned saves, loads;

static void fake_save(struct vmx_lazy *s, unsigned nmsrs)
{
	memcpy(s->fx, cpu_regs.fx, sizeof(s->fx));
	memcpy(s->msr, cpu_regs.msr, nmsrs * sizeof(s->msr[0]));
	memcpy(s->dr, cpu_regs.dr, sizeof(s->dr));
	s->dr6 = cpu_regs.dr6;
	saves++;
}

static void fake_load(const struct vmx_lazy *s, unsigned nmsrs)
{
	memcpy(cpu_regs.fx, s->fx, sizeof(s->fx));
	memcpy(cpu_regs.msr, s->msr, nmsrs * sizeof(s->msr[0]));
	memcpy(cpu_regs.dr, s->dr, sizeof(s->dr));
	cpu_regs.dr6 = s->dr6;
	loads++;
}

static const struct vmx_lazy_hw fake_hw_ops = { .save = fake_save, .load = fake_load };

/* What a guest running on the CPU does: writes every register with its own pattern. */
static void guest_writes(uint64_t pattern)
{
	memset(cpu_regs.fx, (int)(pattern & 0xff), sizeof(cpu_regs.fx));
	for (unsigned i = 0; i < VMX_LAZY_MSRS; i++)
		cpu_regs.msr[i] = pattern + i;
	for (unsigned i = 0; i < 4; i++)
		cpu_regs.dr[i] = pattern + 0x10 + i;
	cpu_regs.dr6 = pattern + 0x20;
}

/* Nothing in the CPU's registers comes from @pattern. */
static void assert_no_trace(uint64_t pattern)
{
	assert_false(cpu_regs.fx[100] == (uint8_t)(pattern & 0xff));
	for (unsigned i = 0; i < VMX_LAZY_MSRS; i++)
		assert_int_not_equal(cpu_regs.msr[i], pattern + i);
	for (unsigned i = 0; i < 4; i++)
		assert_int_not_equal(cpu_regs.dr[i], pattern + 0x10 + i);
	assert_int_not_equal(cpu_regs.dr6, pattern + 0x20);
}

static int setup(void **state)
{
	(void)state;
	memset(&cpu_regs, 0, sizeof(cpu_regs));
	saves = loads = 0;
	return 0;
}

static void test_reset_values(void **state)
{
	struct vmx_lazy s;

	(void)state;
	memset(&s, 0xee, sizeof(s));
	vmx_lazy_reset(&s);
	assert_int_equal(s.fx[0] | s.fx[1] << 8, 0x37f); /* FCW */
	assert_int_equal(s.fx[24] | s.fx[25] << 8 | s.fx[26] << 16 | s.fx[27] << 24, 0x1f80);
	for (unsigned i = 32; i < sizeof(s.fx); i++)
		assert_int_equal(s.fx[i], 0);
	for (unsigned i = 0; i < VMX_LAZY_MSRS; i++)
		assert_int_equal(s.msr[i], 0);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(s.dr[i], 0);
	assert_int_equal(s.dr6, 0xffff0ff0);
}

/* The MSRs switched are the syscall ones, IA32_KERNEL_GS_BASE and IA32_TSC_AUX (last). */
static void test_msr_list(void **state)
{
	static const uint32_t want[VMX_LAZY_MSRS] = { 0xc0000081, 0xc0000082, 0xc0000083,
						      0xc0000084, 0xc0000102, 0xc0000103 };

	(void)state;
	for (unsigned i = 0; i < VMX_LAZY_MSRS; i++)
		assert_int_equal(vmx_lazy_msrs[i], want[i]);
	assert_int_equal(vmx_lazy_msrs[VMX_LAZY_TSC_AUX], X86_MSR_TSC_AUX);
	assert_int_equal(vmx_lazy_msrs[VMX_LAZY_KERNEL_GS], X86_MSR_KERNEL_GS);
}

/* Two vCPUs of different VMs take turns on one CPU. */
static void test_two_vcpus_one_cpu(void **state)
{
	struct vmx_lazy a, b;
	struct vmx_lazy *owner = NULL;

	(void)state;
	vmx_lazy_reset(&a);
	vmx_lazy_reset(&b);
	/* the firmware's or the hypervisor's values are in the CPU before any guest */
	guest_writes(0x4044);
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_MSRS);
	assert_ptr_equal(owner, &a);
	assert_int_equal(saves, 0); /* nobody's to save */
	assert_no_trace(0x4044);
	assert_int_equal(cpu_regs.dr6, 0xffff0ff0);
	guest_writes(0xa0aa); /* A plants its values (SWAPGS, WRMSR, MOV DR, SSE) */
	/* A enters again: nothing moves */
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_MSRS);
	assert_int_equal(loads, 1);
	/* B: A's values are saved, B sees its own reset values */
	vmx_lazy_enter(&owner, &b, &fake_hw_ops, VMX_LAZY_MSRS);
	assert_ptr_equal(owner, &b);
	assert_no_trace(0xa0aa);
	assert_int_equal(cpu_regs.msr[VMX_LAZY_KERNEL_GS], 0);
	assert_int_equal(cpu_regs.msr[VMX_LAZY_LSTAR], 0);
	assert_int_equal(a.msr[VMX_LAZY_KERNEL_GS], 0xa0aa + VMX_LAZY_KERNEL_GS);
	guest_writes(0xb0bb);
	/* back to A: it finds its own values, none of B's */
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_MSRS);
	assert_no_trace(0xb0bb);
	for (unsigned i = 0; i < VMX_LAZY_MSRS; i++)
		assert_int_equal(cpu_regs.msr[i], 0xa0aa + i);
	assert_int_equal(cpu_regs.dr[3], 0xa0aa + 0x13);
	assert_int_equal(cpu_regs.fx[100], 0xaa);
	assert_int_equal(b.msr[VMX_LAZY_STAR], 0xb0bb);
	assert_int_equal(saves, 2);
	assert_int_equal(loads, 3);
}

/* A vCPU reset while it owns the CPU: its old values are neither kept nor saved over its image. */
static void test_reset_of_owner(void **state)
{
	struct vmx_lazy a, b;
	struct vmx_lazy *owner = NULL;

	(void)state;
	vmx_lazy_reset(&a);
	vmx_lazy_reset(&b);
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_MSRS);
	guest_writes(0xa0aa);
	vmx_lazy_reset(&a);
	vmx_lazy_forget(&owner, &a);
	assert_null(owner);
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_MSRS);
	assert_no_trace(0xa0aa);
	assert_int_equal(saves, 0);
	/* forgetting a vCPU that does not own the CPU changes nothing */
	vmx_lazy_forget(&owner, &b);
	assert_ptr_equal(owner, &a);
}

/* Without RDTSCP the CPU has no IA32_TSC_AUX: it is neither read nor written. */
static void test_without_tsc_aux(void **state)
{
	struct vmx_lazy a, b;
	struct vmx_lazy *owner = NULL;

	(void)state;
	vmx_lazy_reset(&a);
	vmx_lazy_reset(&b);
	cpu_regs.msr[VMX_LAZY_TSC_AUX] = 0x77;
	a.msr[VMX_LAZY_TSC_AUX] = 0x55;
	vmx_lazy_enter(&owner, &a, &fake_hw_ops, VMX_LAZY_TSC_AUX);
	assert_int_equal(cpu_regs.msr[VMX_LAZY_TSC_AUX], 0x77);
	assert_int_equal(cpu_regs.msr[VMX_LAZY_KERNEL_GS], 0);
	cpu_regs.msr[VMX_LAZY_KERNEL_GS] = 0x99;
	vmx_lazy_enter(&owner, &b, &fake_hw_ops, VMX_LAZY_TSC_AUX);
	assert_int_equal(a.msr[VMX_LAZY_KERNEL_GS], 0x99);
	assert_int_equal(a.msr[VMX_LAZY_TSC_AUX], 0x55);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_msr_list, setup),
		cmocka_unit_test_setup(test_two_vcpus_one_cpu, setup),
		cmocka_unit_test_setup(test_reset_of_owner, setup),
		cmocka_unit_test_setup(test_without_tsc_aux, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
