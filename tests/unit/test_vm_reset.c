// SPDX-License-Identifier: MIT
/* Restarting a VM while others run (vm/vm_reset.c). */
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>
#include <vm/hypercall.h>
#include <vm/run.h>
#include <vm/sched.h>

static struct vm_config cfg_b;
static struct vm *a, *b;

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	return fix_sched_two(&cfg_b, NULL, &a, &b);
}

static int teardown(void **state)
{
	return fix_sched_teardown(state);
}

/* vm0 as if it ran for a while: both vCPUs up, RAM written, exits counted. */
static void run_a(void)
{
	static const char junk[] = "the old guest's data";

	a->state = VM_RUNNING;
	a->vcpus[0].state = VCPU_RUNNING;
	a->vcpus[1].state = VCPU_RUNNING;
	a->vcpus[0].exit_count[VCPU_EXIT_MMIO] = 7;
	assert_int_equal(vm_write_guest(a, gpa(FIX_RAM_GPA + 0x8000), junk, sizeof(junk)), PV_OK);
	assert_int_equal(vm_write_guest(a, gpa(FIX_RAM_GPA + 0x1000), "XXXX", 4), PV_OK);
	b->state = VM_RUNNING;
	b->vcpus[0].state = VCPU_RUNNING;
}

/* The vCPUs leave their run loops, as vm_run_vcpu does when it sees the VM down. */
static void vcpus_leave(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i].state == VCPU_RUNNING || vm->vcpus[i].state == VCPU_HALTED)
			assert_int_equal(vcpu_set_state(&vm->vcpus[i], VCPU_STOPPED), PV_OK);
}

static void work_on(unsigned cpu)
{
	fake_hw.current_cpu = cpu;
	vm_reset_work(cpu);
	fake_hw.current_cpu = 0;
}

static void test_restart_resets_each_vcpu_on_its_cpu_then_reloads(void **state)
{
	(void)state;
	char buf[sizeof(fix_image)], zero[32] = { 0 }, ram[32];

	run_a();
	fake_hw.current_cpu = 3; /* asked from another CPU (the console's) */
	assert_int_equal(vm_restart(a, "test"), PV_OK);
	fake_hw.current_cpu = 0;
	assert_int_equal(a->state, VM_RESETTING);
	assert_true(fake_log_contains("vm vm0: restarting: test\n"));
	assert_true(fake_hw.ipis[0] >= 1 && fake_hw.ipis[1] >= 1); /* both vCPUs kicked */
	assert_false(sched_all_stopped());

	/* Nothing happens while a vCPU still runs. */
	work_on(0);
	work_on(1);
	assert_int_equal(fake_hw.reset_calls, 0);
	vcpus_leave(a);
	/* CPU 1 resets vCPU 1 and tells CPU 0 (the boot vCPU's); nothing is reloaded yet. */
	unsigned kicks = fake_hw.ipis[0];
	work_on(1);
	assert_int_equal(fake_vcpu(&a->vcpus[1])->resets, 1);
	assert_int_equal(fake_vcpu(&a->vcpus[1])->reset_on_cpu, 1);
	assert_int_equal(fake_hw.ipis[0], kicks + 1);
	assert_int_equal(a->state, VM_RESETTING);
	work_on(1); /* done once per restart */
	assert_int_equal(fake_vcpu(&a->vcpus[1])->resets, 1);
	/* CPU 0 resets vCPU 0 and reloads the VM. */
	work_on(0);
	assert_int_equal(fake_vcpu(&a->vcpus[0])->resets, 1);
	assert_int_equal(fake_vcpu(&a->vcpus[0])->reset_on_cpu, 0);
	assert_int_equal(a->state, VM_READY);
	assert_int_equal(a->restarts, 1);
	assert_true(fake_log_contains("vm vm0: restarted (1)\n"));
	/* RAM cleared, image back from its pristine copy, boot vCPU ready. */
	assert_int_equal(vm_read_guest(a, gpa(FIX_RAM_GPA + 0x8000), ram, sizeof(ram)), PV_OK);
	assert_memory_equal(ram, zero, sizeof(ram));
	assert_int_equal(vm_read_guest(a, gpa(FIX_RAM_GPA + 0x1000), buf, sizeof(buf)), PV_OK);
	assert_memory_equal(buf, fix_image, sizeof(fix_image));
	assert_int_equal(a->vcpus[0].state, VCPU_READY);
	assert_int_equal(fake_vcpu(&a->vcpus[0])->entry.raw, FIX_RAM_GPA + 0x1000);
	assert_int_equal(a->vcpus[1].state, VCPU_STOPPED); /* waits for the guest's CPU_ON */
	assert_int_equal(a->vcpus[0].exit_count[VCPU_EXIT_MMIO], 0);
	/* The other VM was not touched. */
	assert_int_equal(b->state, VM_RUNNING);
	assert_int_equal(b->vcpus[0].state, VCPU_RUNNING);
	assert_int_equal(fake_vcpu(&b->vcpus[0])->resets, 0);
	/* A second restart works the same way. */
	assert_int_equal(vm_restart(a, "again"), PV_OK);
	work_on(1);
	work_on(0);
	assert_int_equal(a->restarts, 2);
	assert_int_equal(a->state, VM_READY);
}

static void test_guest_reset_request_restarts_through_the_run_loop(void **state)
{
	(void)state;
	struct vcpu_exit e = { .kind = VCPU_EXIT_SYSTEM_RESET };

	fake_script(&a->vcpus[0], e);
	vm_run_vcpu(&a->vcpus[0]);
	assert_int_equal(a->state, VM_RESETTING);
	assert_int_equal(a->vcpus[0].state, VCPU_STOPPED);
	assert_true(fake_log_contains("vm vm0: restarting: the guest asked for a reset\n"));
	work_on(0);
	assert_int_equal(a->state, VM_RESETTING); /* vCPU 1 (never started) is CPU 1's */
	work_on(1);
	work_on(0);
	assert_int_equal(a->state, VM_READY);
}

static void test_nothing_starts_or_stops_a_vm_being_restarted(void **state)
{
	(void)state;
	run_a();
	assert_int_equal(vm_restart(a, "test"), PV_OK);
	assert_int_equal(vm_restart(a, "twice"), -PV_EBUSY);
	/* A sibling's CPU_ON after the restart began is refused. */
	vcpus_leave(a);
	assert_int_equal(vm_cpu_up(a, 0x100, gpa(FIX_RAM_GPA), 0), PV_HC_EDENIED);
	assert_int_equal(a->vcpus[1].state, VCPU_STOPPED);
	/* A stop meanwhile (a fault of a vCPU on its way out) does not cancel it. */
	vm_stop(a, 1, "late fault");
	assert_int_equal(a->state, VM_RESETTING);
	/* A vCPU started but not yet run does not run the old guest. */
	assert_int_equal(vm_restart(b, "b"), PV_OK);
	vcpus_leave(b);
	work_on(3);
	work_on(2);
	assert_int_equal(b->state, VM_READY);
	b->vcpus[1].state = VCPU_READY;
	b->vcpus[0].state = VCPU_HALTED; /* idle off its CPU (the scheduler gave it away) */
	assert_int_equal(vm_restart(b, "b again"), PV_OK);
	assert_int_equal(b->vcpus[1].state, VCPU_STOPPED);
	assert_int_equal(b->vcpus[0].state, VCPU_STOPPED);
}

static void test_a_stopped_vm_can_be_restarted(void **state)
{
	(void)state;
	vm_stop(a, 3, "it stopped");
	assert_int_equal(vm_restart(a, "from the shell"), PV_OK);
	work_on(1);
	work_on(0);
	assert_int_equal(a->state, VM_READY);
	assert_string_equal(a->stop_reason, "");
	assert_int_equal(a->exit_code, 0);
}

static void test_a_restart_that_cannot_finish_stops_the_vm(void **state)
{
	(void)state;
	assert_int_equal(vm_restart(a, "test"), PV_OK);
	fake_hw.virq_init_error = -PV_ENOMEM;
	work_on(1);
	work_on(0);
	assert_int_equal(a->state, VM_STOPPED);
	assert_true(fake_log_contains("vm vm0: stopped: restart failed: "));
	fake_hw.virq_init_error = 0;
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_restart_resets_each_vcpu_on_its_cpu_then_reloads),
		T(test_guest_reset_request_restarts_through_the_run_loop),
		T(test_nothing_starts_or_stops_a_vm_being_restarted),
		T(test_a_stopped_vm_can_be_restarted),
		T(test_a_restart_that_cannot_finish_stops_the_vm),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
