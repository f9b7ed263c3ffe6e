// SPDX-License-Identifier: MIT
/* PSCI emulation for aarch64 guests, on the fake backend's two-vCPU VM (guest ids 0x0, 0x100). */
#include "pv_test.h"

#include "vm_fixture.h"

#include <a64/psci.h>
#include <vm/hypercall.h>
#include <vm/vm.h>

static struct vm vm;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_vm_start(&vm);
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static int64_t call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, struct vcpu_exit *e)
{
	uint64_t x[31] = { fid, a1, a2, a3 };

	*e = (struct vcpu_exit){ .kind = VCPU_EXIT_NONE };
	assert_false(a64_psci_call(&vm.vcpus[0], x, e));
	return (int64_t)x[0];
}

static void test_queries_answered_in_place(void **state)
{
	struct vcpu_exit e;
	(void)state;
	assert_int_equal(call(PSCI_VERSION, 0, 0, 0, &e), 0x10001);
	assert_int_equal(call(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0, &e), PSCI_RET_SUCCESS);
	assert_int_equal(call(PSCI_FEATURES, 0x8400000eu, 0, 0, &e), PSCI_RET_NOT_SUPPORTED);
	assert_int_equal(call(0x8400001fu, 0, 0, 0, &e), PSCI_RET_NOT_SUPPORTED);
	/* vCPU 0 is ready (its entry is set), vCPU 1 (id 0x100) was never started. */
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x0, 0, 0, &e), PSCI_AFFINITY_ON_PENDING);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x100, 0, 0, &e), PSCI_AFFINITY_OFF);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x200, 0, 0, &e), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(call(PSCI_AFFINITY_INFO_64, 0x100, 1, 0, &e), PSCI_RET_INVALID_PARAMS);
	assert_int_equal(e.kind, VCPU_EXIT_NONE);
	assert_true(a64_psci_is_call(PSCI_CPU_ON_64));
	assert_false(a64_psci_is_call(0xc6000000u));
}

static void test_lifecycle_calls_become_exits(void **state)
{
	uint64_t x[31] = { PSCI_CPU_ON_32, 0xffffffff00000100ULL, 0x40001000, 7 };
	struct vcpu_exit e = { 0 };
	(void)state;

	/* SMC32: only the low halves of the arguments count. */
	assert_true(a64_psci_call(&vm.vcpus[0], x, &e));
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	assert_int_equal(e.cpu_up.target, 0x100);
	assert_int_equal(e.cpu_up.entry, 0x40001000);
	assert_int_equal(e.cpu_up.arg, 7);
	x[0] = PSCI_CPU_OFF;
	assert_true(a64_psci_call(&vm.vcpus[0], x, &e));
	assert_int_equal(e.kind, VCPU_EXIT_CPU_DOWN);
	x[0] = PSCI_SYSTEM_OFF;
	assert_true(a64_psci_call(&vm.vcpus[0], x, &e));
	assert_int_equal(e.kind, VCPU_EXIT_SYSTEM_OFF);
	x[0] = PSCI_SYSTEM_RESET;
	assert_true(a64_psci_call(&vm.vcpus[0], x, &e));
	assert_int_equal(e.kind, VCPU_EXIT_SYSTEM_RESET);
}

static void test_cpu_on_results(void **state)
{
	(void)state;
	assert_int_equal(a64_psci_cpu_on_result(&vm, 0x100, PV_HC_OK), PSCI_RET_SUCCESS);
	assert_int_equal(a64_psci_cpu_on_result(&vm, 0x100, PV_HC_EALREADY), PSCI_RET_ALREADY_ON);
	/* Known CPU: the entry was refused; unknown CPU: the target was. */
	assert_int_equal(a64_psci_cpu_on_result(&vm, 0x100, PV_HC_EINVAL),
			 PSCI_RET_INVALID_ADDRESS);
	assert_int_equal(a64_psci_cpu_on_result(&vm, 0x300, PV_HC_EINVAL), PSCI_RET_INVALID_PARAMS);
	/* And through the core: starting vCPU 1 at an entry in RAM succeeds; until it runs, its
	 * start is pending (ON_PENDING, PSCI 1.1 CPU_ON; found by fuzzing against the
	 * specification), then it is ALREADY_ON. */
	assert_int_equal(
		a64_psci_cpu_on_result(&vm, 0x100, vm_cpu_up(&vm, 0x100, gpa(FIX_RAM_GPA), 0)),
		PSCI_RET_SUCCESS);
	assert_int_equal(
		a64_psci_cpu_on_result(&vm, 0x100, vm_cpu_up(&vm, 0x100, gpa(FIX_RAM_GPA), 0)),
		PSCI_RET_ON_PENDING);
	assert_int_equal(vcpu_set_state(&vm.vcpus[1], VCPU_RUNNING), PV_OK);
	assert_int_equal(
		a64_psci_cpu_on_result(&vm, 0x100, vm_cpu_up(&vm, 0x100, gpa(FIX_RAM_GPA), 0)),
		PSCI_RET_ALREADY_ON);
	assert_int_equal(vcpu_set_state(&vm.vcpus[1], VCPU_STOPPED), PV_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_queries_answered_in_place, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lifecycle_calls_become_exits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpu_on_results, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
