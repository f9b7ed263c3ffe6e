// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <stdio.h>

#include <vm/console.h>
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

/* The boot CPU waits in the loop to power the machine off even when no vCPU is pinned to it:
 * the VM's stop wakes it too, or it would sleep on with every VM stopped. */
static void test_stop_wakes_the_boot_cpu_without_vcpus(void **state)
{
	(void)state;
	const struct vm_config *cfgs[] = { &cfg1 };
	assert_int_equal(sched_create_vms(cfgs, 1, &fix_pool), 1);
	assert_int_equal(sched_cpu_mask(), 0xc);
	script_stop(sched_vm(0), 0);
	fake_hw.on_wait = run_cpu2;
	sched_run_cpu(0);
	assert_true(sched_all_stopped());
	assert_int_equal(fake_hw.ipis[0], 1);
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

/* Two single-vCPU VMs sharing CPU 0, and a third with CPU 1 to itself. */
static struct vm_config share_a, share_b, alone;

static struct vcpu *vcpu_of(unsigned vm_index)
{
	return &sched_vm(vm_index)->vcpus[0];
}

static void create_sharing_vms(bool shared)
{
	const struct vm_config *cfgs[] = { &share_a, &share_b, &alone };

	share_a = fix_config;
	share_a.name = "a";
	share_a.nvcpus = 1;
	share_a.shared_cpus = shared;
	share_b = share_a;
	share_b.name = "b";
	alone = share_a;
	alone.name = "alone";
	alone.pcpu[0] = 1;
	alone.shared_cpus = false;
	assert_int_equal(sched_create_vms(cfgs, 3, &fix_pool), 3);
	/* CPU 0's loop ends when every VM has: the one on CPU 1 is only there to be left alone. */
	if (shared)
		vm_stop(sched_vm(2), 0, "not in this test");
}

static struct vcpu_exit irq_exit(void)
{
	return (struct vcpu_exit){ .kind = VCPU_EXIT_IRQ };
}

/* A vCPU that never gives its CPU back (interrupt exits only: a guest spinning with its own
 * interrupts masked) still loses it at the end of each slice to the vCPU sharing the CPU. */
static void test_shared_cpu_is_time_sliced(void **state)
{
	(void)state;
	unsigned switches = 0, a_runs = 0;

	create_sharing_vms(true);
	for (int i = 0; i < 40; i++)
		fake_script(vcpu_of(0), irq_exit());
	script_stop(sched_vm(0), 0);
	for (int i = 0; i < 6; i++)
		fake_script(vcpu_of(1), irq_exit());
	script_stop(sched_vm(1), 0);
	fake_hw.run_ticks = 1500; /* a slice (4000 us at 1 MHz) is over at the third exit */
	sched_run_cpu(0);
	assert_int_equal(sched_vm(0)->state, VM_STOPPED);
	assert_int_equal(sched_vm(1)->state, VM_STOPPED);
	for (unsigned i = 1; i < fake_hw.nran; i++)
		switches += fake_hw.ran[i] != fake_hw.ran[i - 1];
	for (unsigned i = 0; i < fake_hw.nran; i++)
		a_runs += fake_hw.ran[i] == vcpu_of(0);
	/* b got the CPU after a's first slice, not after a finished. */
	assert_ptr_equal(fake_hw.ran[0], vcpu_of(0));
	assert_ptr_equal(fake_hw.ran[3], vcpu_of(1));
	assert_true(switches >= 3);
	assert_int_equal(a_runs, 41);
	/* The scheduler armed the hypervisor timer for the slices. */
	assert_true(fake_hw.timer_armed == 0 || fake_hw.timer_armed > 4000);
}

/* A vCPU with its CPU to itself gets no slice: interrupt exits never make it leave. */
static void test_exclusive_cpu_is_not_sliced(void **state)
{
	(void)state;
	create_sharing_vms(false);
	fake_hw.current_cpu = 1;
	fake_hw.run_ticks = 100000;
	for (int i = 0; i < 10; i++)
		fake_script(vcpu_of(2), irq_exit());
	script_stop(sched_vm(2), 0);
	fake_hw.on_wait = NULL;
	vm_stop(sched_vm(0), 0, "not in this test");
	vm_stop(sched_vm(1), 0, "not in this test");
	sched_run_cpu(1); /* returns once every VM stopped */
	fake_hw.current_cpu = 0;
	assert_int_equal(sched_vm(2)->state, VM_STOPPED);
	assert_int_equal(fake_vcpu(vcpu_of(2))->script_pos, 11);
	for (unsigned i = 0; i < fake_hw.nran; i++)
		assert_ptr_equal(fake_hw.ran[i], vcpu_of(2));
}

static void wake_a_when_b_runs(struct vcpu *v)
{
	if (v == vcpu_of(1))
		fake_vcpu(vcpu_of(0))->irq_pending = true;
}

/* A vCPU that idles gives the CPU to the other at once, and runs again when an interrupt is
 * pending for it, after its wait instruction. */
static void test_idle_vcpu_yields_and_wakes(void **state)
{
	(void)state;
	create_sharing_vms(true);
	fake_script(vcpu_of(0), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	script_stop(sched_vm(0), 7);
	fake_script(vcpu_of(1), irq_exit());
	script_stop(sched_vm(1), 8);
	fake_hw.on_run = wake_a_when_b_runs;
	sched_run_cpu(0);
	assert_int_equal(sched_vm(0)->exit_code, 7);
	assert_int_equal(sched_vm(1)->exit_code, 8);
	assert_ptr_equal(fake_hw.ran[0], vcpu_of(0)); /* halts */
	assert_ptr_equal(fake_hw.ran[1], vcpu_of(1)); /* runs at once, wakes a */
	assert_int_equal(fake_hw.waits, 0);	      /* nobody waited with work to do */
	/* The wait instruction completed before a gave the CPU away. */
	assert_int_equal(fake_vcpu(vcpu_of(0))->completed[0].kind, VCPU_EXIT_HALT);
}

static uint64_t wait_deadline;

/* The CPU sleeps: the first time until a's timer (the earliest armed), which makes a pending;
 * the next time (b alone left, with no timer) until an interrupt for b arrives. */
static void timer_fires(void)
{
	if (!fake_vcpu(vcpu_of(0))->irq_pending) {
		wait_deadline = fake_hw.timer_armed;
		fake_hw.now = fake_hw.timer_armed;
		fake_vcpu(vcpu_of(0))->irq_pending = true;
	} else {
		fake_vcpu(vcpu_of(1))->irq_pending = true;
	}
}

/* When every vCPU of a CPU idles, the CPU sleeps until the earliest of their own timers. */
static void test_all_idle_sleep_until_the_first_timer(void **state)
{
	(void)state;
	create_sharing_vms(true);
	fake_script(vcpu_of(0), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	script_stop(sched_vm(0), 0);
	fake_script(vcpu_of(1), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	fake_vcpu(vcpu_of(0))->wake_at = 900000;
	fake_vcpu(vcpu_of(1))->wake_at = 0; /* no timer armed */
	fake_hw.on_wait = timer_fires;
	fake_hw.on_run = NULL;
	/* a halts and yields to b. b halts with nobody runnable and waits in place, loaded, its own
	 * timer being the hardware's: the CPU's scheduler timer is for a, at a's deadline. */
	fake_script(vcpu_of(1), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	script_stop(sched_vm(1), 0);
	sched_run_cpu(0);
	assert_int_equal(sched_vm(0)->state, VM_STOPPED);
	assert_int_equal(sched_vm(1)->state, VM_STOPPED);
	assert_true(fake_hw.waits >= 2);
	assert_int_equal(wait_deadline, 900000);
	/* b waited in place, but shares its CPU: its idles keep exiting. */
	assert_int_equal(fake_vcpu(vcpu_of(1))->idle_calls, 0);
}

/* A vCPU alone on its CPU, its VM's only one, that waited in place once with nothing left to
 * show: its next idles wait in the guest. Output held by its console makes them exit again
 * (the held line is shown at the idle exit), and a VM restart starts with exits. */
static void test_alone_vcpu_idles_in_the_guest(void **state)
{
	(void)state;
	struct fake_vcpu *f;

	create_sharing_vms(false);
	vm_stop(sched_vm(0), 0, "not in this test");
	vm_stop(sched_vm(1), 0, "not in this test");
	f = fake_vcpu(vcpu_of(2));
	fake_script(vcpu_of(2), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	fake_script(vcpu_of(2), (struct vcpu_exit){ .kind = VCPU_EXIT_HALT });
	script_stop(sched_vm(2), 0);
	fake_hw.current_cpu = 1;
	fake_hw.on_wait = NULL;
	sched_run_cpu(1);
	fake_hw.current_cpu = 0;
	assert_int_equal(fake_hw.waits, 2);
	assert_int_equal(f->idle_calls, 1); /* told once */
	assert_true(f->idle_in_guest);
	assert_true(vcpu_of(2)->idle_in_guest);

	/* A prompt without its line end: held until the guest idles, so idles exit again. The
	 * guest writes it from an exit, on its vCPU's CPU. */
	fake_hw.current_cpu = 1;
	assert_int_equal(vm_console_write(sched_vm(2), "$ ", 2), 2);
	assert_int_equal(f->idle_calls, 2);
	assert_false(f->idle_in_guest);
	assert_false(vcpu_of(2)->idle_in_guest);
	assert_int_equal(vm_console_write(sched_vm(2), "x", 1), 1);
	fake_hw.current_cpu = 0;
	assert_int_equal(f->idle_calls, 2); /* no change, not told again */
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
		T(test_stop_wakes_the_boot_cpu_without_vcpus),
		T(test_vm_that_cannot_be_created_is_left_out),
		T(test_too_many_vms),
		T(test_no_vm_means_all_stopped),
		T(test_shared_cpu_is_time_sliced),
		T(test_exclusive_cpu_is_not_sliced),
		T(test_idle_vcpu_yields_and_wakes),
		T(test_all_idle_sleep_until_the_first_timer),
		T(test_alone_vcpu_idles_in_the_guest),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
