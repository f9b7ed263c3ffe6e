// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <stdio.h>

#include <vm/hypercall.h>
#include <vm/sched.h>

static struct vm_config cfg0, cfg1;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	sched_reset();
	cfg0 = fix_config;
	cfg1 = fix_config;
	cfg1.name = "vm1";
	cfg1.pcpu[0] = 2;
	cfg1.pcpu[1] = 3;
	return 0;
}

static int teardown(void **state)
{
	for (unsigned i = 0; i < sched_vm_count(); i++)
		vm_destroy(sched_vm(i));
	sched_reset();
	return fix_teardown(state);
}

static void script_stop(struct vm *vm, uint64_t code)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };
	e.hcall.nr = PV_HC_VM_STOP;
	e.hcall.args[0] = code;
	fake_script(&vm->vcpus[0], e);
}

static void run_cpu2(void)
{
	fake_hw.on_wait = NULL;
	fake_hw.current_cpu = 2;
	sched_run_cpu(2);
	fake_hw.current_cpu = 0;
}

static void test_two_vms_run_on_their_cpus(void **state)
{
	(void)state;
	const struct vm_config *cfgs[] = { &cfg0, &cfg1 };
	assert_int_equal(sched_create_vms(cfgs, 2, &fix_pool), 2);
	assert_int_equal(sched_cpu_mask(), 0xf);
	assert_true(fake_log_contains("vm vm0: 2 vCPU(s), 1152 KiB RAM, ready"));
	script_stop(sched_vm(0), 0);
	script_stop(sched_vm(1), 3);

	/* CPU 0 runs vm0 to its stop, then idles until CPU 2 has run vm1 to its stop. */
	fake_hw.on_wait = run_cpu2;
	sched_run_cpu(0);
	assert_true(sched_all_stopped());
	assert_int_equal(fake_hw.waits, 1);
	assert_int_equal(sched_vm(0)->exit_code, 0);
	assert_int_equal(sched_vm(1)->exit_code, 3);
	assert_int_equal(fake_vcpu(&sched_vm(1)->vcpus[0])->script_pos, 1);
	/* Stopping a VM woke the other CPUs of the loop. */
	assert_true(fake_hw.ipis[2] >= 1);
}

static void test_vm_that_cannot_be_created_is_left_out(void **state)
{
	(void)state;
	struct vm_config bad = cfg1;
	const struct vm_config *cfgs[] = { &bad, &cfg0 };
	bad.name = "broken";
	bad.nvcpus = 0;
	assert_int_equal(sched_create_vms(cfgs, 2, &fix_pool), 1);
	assert_string_equal(sched_vm(0)->name, "vm0");
	assert_true(fake_log_contains("vm broken: bad configuration"));
	assert_int_equal(sched_cpu_mask(), 0x3);
	script_stop(sched_vm(0), 0);
	sched_run_cpu(0);
	assert_true(sched_all_stopped());
}

static void test_too_many_vms(void **state)
{
	(void)state;
	struct vm_config many[SCHED_MAX_VMS + 1];
	const struct vm_config *cfgs[SCHED_MAX_VMS + 1];
	static char names[SCHED_MAX_VMS + 1][8];
	char expect[64];
	for (unsigned i = 0; i <= SCHED_MAX_VMS; i++) {
		many[i] = cfg0;
		snprintf(names[i], sizeof(names[i]), "vm%u", i);
		many[i].name = names[i];
		many[i].mem[0].size = 0x20000;
		many[i].images[0].load = gpa(FIX_RAM_GPA);
		cfgs[i] = &many[i];
	}
	assert_int_equal(sched_create_vms(cfgs, SCHED_MAX_VMS + 1, &fix_pool), SCHED_MAX_VMS);
	snprintf(expect, sizeof(expect), "vm vm%u: not started: at most %u VMs", SCHED_MAX_VMS,
		 SCHED_MAX_VMS);
	assert_true(fake_log_contains(expect));
}

static void test_no_vm_means_all_stopped(void **state)
{
	(void)state;
	assert_true(sched_all_stopped());
	sched_run_cpu(0); /* returns at once */
	assert_int_equal(fake_hw.waits, 0);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_two_vms_run_on_their_cpus),
		T(test_vm_that_cannot_be_created_is_left_out),
		T(test_too_many_vms),
		T(test_no_vm_means_all_stopped),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
