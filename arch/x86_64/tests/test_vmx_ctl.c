// SPDX-License-Identifier: MIT
/* VMX capability checks and control computation from capability MSR values. */
#include "pv_test.h"
#include "vmx_ctl.h"

#define CAP(must, may) (((uint64_t)(may) << 32) | (uint32_t)(must))

/* Values of a Haswell-class CPU model with unrestricted guest (read from an emulator). */
static struct vmx_cap_msrs haswell(void)
{
	return (struct vmx_cap_msrs){
		.basic = 0x00d810000000002bULL,
		.misc = 0x00000000000401e5ULL,
		.pin = CAP(0x16, 0x7f),
		.proc = CAP(0x04006172, 0xfff9fffe),
		.proc2 = CAP(0, 0x47fff),
		.exit = CAP(0x36dfb, 0x3fffff),
		.entry = CAP(0x11fb, 0xd3ff),
		.cr0_fixed0 = 0x80000021,
		.cr0_fixed1 = 0xffffffff,
		.cr4_fixed0 = 0x2000,
		.cr4_fixed1 = 0x3727ff,
		.ept_vpid = 0x00000f0106334141ULL,
	};
}

static void test_msr_choice(void **state)
{
	(void)state;
	assert_int_equal(vmx_ctl_msr(PV_BIT(55), 0x481), 0x48d);
	assert_int_equal(vmx_ctl_msr(PV_BIT(55), 0x482), 0x48e);
	assert_int_equal(vmx_ctl_msr(PV_BIT(55), 0x483), 0x48f);
	assert_int_equal(vmx_ctl_msr(PV_BIT(55), 0x484), 0x490);
	assert_int_equal(vmx_ctl_msr(0, 0x482), 0x482);
	/* the secondary controls have no "true" MSR */
	assert_int_equal(vmx_ctl_msr(PV_BIT(55), 0x48b), 0x48b);
}

static void test_compute_one(void **state)
{
	uint32_t out, missing;

	(void)state;
	/* forced bits come in, optional bits only where allowed */
	assert_int_equal(vmx_ctl_compute(CAP(0x11, 0xff), 0x2, 0x300, &out, &missing), PV_OK);
	assert_int_equal(out, 0x13);
	assert_int_equal(missing, 0);
	/* a required bit the CPU does not allow */
	assert_int_equal(vmx_ctl_compute(CAP(0, 0x0f), 0x30, 0, &out, &missing), -PV_ENOTSUP);
	assert_int_equal(missing, 0x30);
}

static void test_controls(void **state)
{
	struct vmx_cap_msrs caps = haswell();
	struct vmx_controls c;
	const char *what;
	uint32_t missing;

	(void)state;
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	assert_true(c.pin & VMX_PIN_EXT_INTR);
	assert_true(c.proc & VMX_PROC_HLT);
	assert_true(c.proc & VMX_PROC_UNCOND_IO);
	assert_true(c.proc & VMX_PROC_MSR_BITMAP);
	assert_true(c.proc & VMX_PROC_SECONDARY_ON);
	assert_false(c.proc & VMX_PROC_INTR_WINDOW);
	assert_int_equal(c.proc2 &
				 (VMX_PROC2_EPT_ON | VMX_PROC2_UNRESTRICTED_ON | VMX_PROC2_VPID_ON),
			 VMX_PROC2_EPT_ON | VMX_PROC2_UNRESTRICTED_ON | VMX_PROC2_VPID_ON);
	assert_true(c.vpid);
	assert_true(c.exit & VMX_EXIT_HOST_64);
	assert_true(c.exit & VMX_EXIT_ACK_INTR);
	assert_true(c.entry & VMX_ENTRY_LOAD_EFER);
	assert_false(c.entry & VMX_ENTRY_IA32E);
	/* MOV to and from CR8 exit: the guest never reaches the real local APIC's TPR */
	assert_true(c.proc & VMX_PROC_CR8_LOAD);
	assert_true(c.proc & VMX_PROC_CR8_STORE);
	/* the exits the backend emulates or answers with a fault */
	assert_true(c.proc & VMX_PROC_MOV_DR);
	assert_true(c.proc & VMX_PROC_MWAIT);
	assert_true(c.proc & VMX_PROC_MONITOR);
	assert_true(c.proc & VMX_PROC_RDPMC);
	/* PAT, DR7 and IA32_DEBUGCTL are switched by the VMCS */
	assert_int_equal(c.exit & (VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT | VMX_EXIT_SAVE_DEBUG),
			 VMX_EXIT_SAVE_PAT | VMX_EXIT_LOAD_PAT | VMX_EXIT_SAVE_DEBUG);
	assert_int_equal(c.entry & (VMX_ENTRY_LOAD_PAT | VMX_ENTRY_LOAD_DEBUG),
			 VMX_ENTRY_LOAD_PAT | VMX_ENTRY_LOAD_DEBUG);
	/* the optional instructions the CPU allows, and what the guest's CPUID is told */
	assert_true(c.proc2 & VMX_PROC2_INVPCID);
	assert_true(c.proc2 & VMX_PROC2_RDTSCP);
	assert_true(c.invpcid);
	assert_true(c.rdtscp);
	/* the forced bits of each MSR are set */
	assert_int_equal(c.proc & 0x04006172u, 0x04006172u);
	assert_int_equal(c.exit & 0x36dfbu, 0x36dfbu);
}

/* The computation refuses @caps, naming the field and the bits the CPU lacks. */
static void expect_missing(const struct vmx_cap_msrs *caps, const char *field, uint32_t bits)
{
	struct vmx_controls c;
	const char *what;
	uint32_t missing;

	assert_int_equal(vmx_controls_compute(caps, &c, &what, &missing), -PV_ENOTSUP);
	assert_string_equal(what, field);
	assert_int_equal(missing, bits);
}

static void test_controls_missing(void **state)
{
	struct vmx_cap_msrs caps = haswell();
	struct vmx_controls c;
	const char *what;
	uint32_t missing;

	(void)state;
	caps.proc2 = CAP(0, 0x2); /* EPT, but no unrestricted guest */
	expect_missing(&caps, "secondary processor-based", VMX_PROC2_UNRESTRICTED_ON);
	caps = haswell();
	caps.exit = CAP(0, 0x3fffff & ~(uint32_t)VMX_EXIT_LOAD_EFER);
	expect_missing(&caps, "VM-exit", VMX_EXIT_LOAD_EFER);
	caps = haswell();
	caps.misc &= ~VMX_MISC_STORE_LMA;
	expect_missing(&caps, "IA32_VMX_MISC (LMA saved on exit)", (uint32_t)VMX_MISC_STORE_LMA);
	/* no CR8 exiting: a guest would set the real TPR */
	caps = haswell();
	caps.proc = CAP(0x04006172, 0xfff9fffe & ~(uint32_t)VMX_PROC_CR8_LOAD);
	expect_missing(&caps, "processor-based", VMX_PROC_CR8_LOAD);
	/* no PAT loading at entry */
	caps = haswell();
	caps.entry = CAP(0x11fb, 0xd3ff & ~(uint32_t)VMX_ENTRY_LOAD_PAT);
	expect_missing(&caps, "VM-entry", VMX_ENTRY_LOAD_PAT);

	/* without INVPCID and RDTSCP the guest is told it has neither */
	caps = haswell();
	caps.proc2 = CAP(0, 0x47fff & ~(uint32_t)(VMX_PROC2_INVPCID | VMX_PROC2_RDTSCP));
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	assert_false(c.invpcid);
	assert_false(c.rdtscp);
	/* VPID allowed but no INVVPID: not used */
	caps = haswell();
	caps.ept_vpid &= ~PV_BIT(32);
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	assert_false(c.vpid);
	assert_false(c.proc2 & VMX_PROC2_VPID_ON);
}

static void test_cr_fixed(void **state)
{
	struct vmx_cap_msrs caps = haswell();
	struct vmx_controls c;
	const char *what;
	uint32_t missing;

	(void)state;
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	/* PE and PG stay the guest's (unrestricted guest); NE is forced and owned */
	assert_int_equal(vmx_guest_cr0(&c, 0x11), 0x31);
	assert_int_equal(vmx_guest_cr0(&c, 0x80000011), 0x80000031);
	assert_int_equal(vmx_cr0_owned(&c), 0x20);
	/* VMXE forced; bits FIXED1 does not allow are cleared and owned */
	assert_int_equal(vmx_guest_cr4(&c, 0x620), 0x2620);
	assert_int_equal(vmx_guest_cr4(&c, PV_BIT(23) | 0x20), 0x2020);
	assert_true(vmx_cr4_owned(&c) & 0x2000);
	assert_true(vmx_cr4_owned(&c) & PV_BIT(23));
	assert_false(vmx_cr4_owned(&c) & 0x20);
}

/* CR4: the bits of features the guest has are its own; setting any other bit raises #GP. */
static void test_cr4_policy(void **state)
{
	struct vmx_cap_msrs caps = haswell();
	struct vmx_controls c;
	const char *what;
	uint32_t missing;
	const uint64_t linux_like = 0x20 | 0x80 | 0x200 | 0x400 | PV_BIT(16) | PV_BIT(17) |
				    PV_BIT(20) | PV_BIT(21); /* PAE PGE OSFXSR OSXMMEXCPT ... */

	(void)state;
	caps.cr4_fixed1 = 0x3727ff | PV_BIT(18) | PV_BIT(22) | PV_BIT(12) | PV_BIT(11);
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	assert_true(vmx_cr4_allowed(&c, linux_like));
	assert_false(vmx_cr4_owned(&c) & linux_like);
	/* features hidden from the guest, though the CPU has them */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(18))); /* OSXSAVE: XCR0 is not switched */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(22))); /* PKE: PKRU is not switched */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(12))); /* LA57 */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(6)));  /* MCE */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(13))); /* VMXE */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(14))); /* SMXE */
	assert_false(vmx_cr4_allowed(&c, PV_BIT(40))); /* reserved */
	assert_true((vmx_cr4_owned(&c) & (PV_BIT(18) | PV_BIT(22) | PV_BIT(40))) ==
		    (PV_BIT(18) | PV_BIT(22) | PV_BIT(40)));
	/* UMIP is the guest's where the CPU has it, refused where it does not */
	assert_true(vmx_cr4_allowed(&c, PV_BIT(11)));
	caps.cr4_fixed1 &= ~PV_BIT(11);
	assert_int_equal(vmx_controls_compute(&caps, &c, &what, &missing), PV_OK);
	assert_false(vmx_cr4_allowed(&c, PV_BIT(11)));
	assert_true(vmx_cr4_owned(&c) & PV_BIT(11));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_msr_choice), cmocka_unit_test(test_compute_one),
		cmocka_unit_test(test_controls),   cmocka_unit_test(test_controls_missing),
		cmocka_unit_test(test_cr_fixed),   cmocka_unit_test(test_cr4_policy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
