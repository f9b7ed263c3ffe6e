// SPDX-License-Identifier: MIT
/* The run loop and exit dispatch, driven by scripted exits of the fake backend. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>
#include <vm/hypercall.h>
#include <vm/run.h>

#define DEV_BASE 0x09000000ULL

static struct vm vm;
static uint64_t dev_last_write;
static unsigned dev_last_width;
static uint64_t dev_read_value;

static int dev_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		    uint64_t *value)
{
	(void)dev;
	(void)vcpu;
	(void)off;
	dev_last_width = width;
	*value = dev_read_value; /* deliberately wider than asked: the core must mask */
	return PV_OK;
}

static int dev_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t value)
{
	(void)dev;
	(void)vcpu;
	dev_last_width = width;
	dev_last_write = value + off;
	return off == 0xfc ? -PV_EFAULT : PV_OK;
}

static const struct vdev_ops dev_ops = { dev_read, dev_write };
static struct vdev dev = { "test-dev", VDEV_SPACE_MMIO, DEV_BASE, 0x100, &dev_ops, NULL, 0 };
static struct vdev port = { "test-port", VDEV_SPACE_PIO, 0x3f8, 8, &dev_ops, NULL, 0 };
static struct vdev sysreg = { "test-sysreg", VDEV_SPACE_SYSREG, 0x1234, 1, &dev_ops, NULL, 0 };

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_vm_start(&vm);
	assert_int_equal(vdev_register(&vm, &dev), PV_OK);
	assert_int_equal(vdev_register(&vm, &port), PV_OK);
	assert_int_equal(vdev_register(&vm, &sysreg), PV_OK);
	dev.accesses = port.accesses = sysreg.accesses = 0;
	dev_read_value = 0x8877665544332281ULL;
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

static struct vcpu *boot(void)
{
	return &vm.vcpus[0];
}

static struct vcpu_exit mmio(bool write, unsigned width, bool sext, unsigned reg_width,
			     uint64_t data, uint64_t addr)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	e.mmio.addr = gpa(addr);
	e.mmio.write = write;
	e.mmio.width = (uint8_t)width;
	e.mmio.sign_extend = sext;
	e.mmio.reg_width = (uint8_t)reg_width;
	e.mmio.reg = 5;
	e.mmio.data = data;
	return e;
}

static struct vcpu_exit simple(enum vcpu_exit_kind kind)
{
	return (struct vcpu_exit){ .kind = kind };
}

static void test_power_off_ends_the_loop(void **state)
{
	(void)state;
	struct vcpu_exit hc = { .kind = VCPU_EXIT_HYPERCALL };
	hc.hcall.nr = PV_HC_VERSION;
	fake_script(boot(), hc);
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(fake_vcpu(boot())->regs[0], 0);
	assert_int_equal(fake_vcpu(boot())->regs[1], PV_HC_ABI_VERSION);
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(boot()->state, VCPU_STOPPED);
	assert_true(fake_log_contains("vm vm0: stopped: guest powered off (code 0)"));
	assert_int_equal(boot()->exit_count[VCPU_EXIT_HYPERCALL], 1);
	assert_int_equal(boot()->exit_count[VCPU_EXIT_SYSTEM_OFF], 1);
}

static uint64_t device_exits(uint64_t addr, uint64_t which, int64_t *ret)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };

	e.hcall.nr = PV_HC_DEVICE_EXITS;
	e.hcall.args[0] = addr;
	e.hcall.args[1] = which;
	assert_true(vm_hypercall(&vm.vcpus[1], &e));
	*ret = e.hcall.ret;
	return e.hcall.value;
}

/* DEVICE_EXITS counts, per device, the accesses that reached it, whichever vCPU made them (the
 * guest suite's console check asks for its UART's). */
static void test_device_exits_per_device(void **state)
{
	(void)state;
	int64_t ret;

	for (unsigned i = 0; i < 3; i++)
		fake_script(boot(), mmio(i == 1, 4, false, 8, 7, DEV_BASE + 4 * i));
	fake_script(boot(), mmio(false, 4, false, 8, 0, DEV_BASE + 0x100)); /* no device there */
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(device_exits(DEV_BASE + 0xff, 1 + VDEV_SPACE_MMIO, &ret), 3);
	assert_int_equal(ret, PV_HC_OK);
	assert_int_equal(device_exits(0x3f8, 1 + VDEV_SPACE_PIO, &ret), 0);
	assert_int_equal(ret, PV_HC_OK);
	assert_int_equal(device_exits(0x1234, 1 + VDEV_SPACE_SYSREG, &ret), 0);
	assert_int_equal(ret, PV_HC_OK);
	(void)device_exits(DEV_BASE, 1 + VDEV_SPACE_PIO, &ret);
	assert_int_equal(ret, PV_HC_EINVAL);
	/* The VM's count asked from vCPU 1 includes vCPU 0's exits, the unclaimed one too. */
	assert_int_equal(device_exits(0, 0, &ret), 4);
	assert_int_equal(ret, PV_HC_OK);
}

static void test_mmio_loads_mask_and_sign_extend(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(boot());
	struct {
		unsigned width, reg_width;
		bool sext;
		uint64_t expect;
	} cases[] = {
		{ 1, 8, false, 0x81 },
		{ 1, 8, true, 0xffffffffffffff81ULL },
		{ 1, 4, true, 0xffffff81ULL },
		{ 2, 8, true, 0x2281 },
		{ 4, 8, true, 0x44332281 },
		{ 4, 8, false, 0x44332281 },
		{ 8, 8, false, 0x8877665544332281ULL },
		{ 8, 8, true, 0x8877665544332281ULL },
	};
	for (size_t i = 0; i < PV_ARRAY_SIZE(cases); i++)
		fake_script(boot(), mmio(false, cases[i].width, cases[i].sext, cases[i].reg_width,
					 0, DEV_BASE + 8));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(f->ncompleted, PV_ARRAY_SIZE(cases));
	for (size_t i = 0; i < PV_ARRAY_SIZE(cases); i++)
		assert_int_equal(f->completed[i].mmio.data, cases[i].expect);
	assert_int_equal(f->regs[5], cases[PV_ARRAY_SIZE(cases) - 1].expect);
	assert_int_equal(f->pc, FIX_RAM_GPA + 0x1000 + 4 * PV_ARRAY_SIZE(cases));
}

static void test_mmio_store_is_masked_to_width(void **state)
{
	(void)state;
	fake_script(boot(), mmio(true, 2, false, 8, 0xabcdef12ULL, DEV_BASE + 0x10));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(dev_last_width, 2);
	assert_int_equal(dev_last_write, 0xef12 + 0x10);
}

static void test_unclaimed_mmio_injects_a_fault(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(boot());
	fake_script(boot(), mmio(false, 4, false, 8, 0, 0x0a000000));	   /* no device */
	fake_script(boot(), mmio(false, 4, false, 8, 0, DEV_BASE + 0xfe)); /* straddles the end */
	fake_script(boot(), mmio(false, 3, false, 8, 0, DEV_BASE));	   /* impossible width */
	fake_script(boot(), mmio(true, 4, false, 8, 0, DEV_BASE + 0xfc));  /* device refuses */
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(f->nfaults, 4);
	assert_int_equal(f->faults[0].mmio.addr.raw, 0x0a000000);
	assert_int_equal(f->ncompleted, 0); /* a faulted access is not completed */
	assert_true(fake_log_contains("guest powered off"));
}

/* Each injected fault is logged, but a guest probing in a loop gets ten lines, then one a second,
 * and the next line says how many were left out. */
static void test_injected_faults_are_logged_at_a_limited_rate(void **state)
{
	(void)state;
	unsigned lines = 0;
	const char *p;

	for (int i = 0; i < 25; i++)
		fake_script(boot(),
			    mmio(false, 4, false, 8, 0, 0x0a000000 + 0x10ULL * (unsigned)i));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	fake_hw.log_len = 0;
	fake_hw.log[0] = '\0';
	vm_run_vcpu(boot());
	assert_int_equal(fake_vcpu(boot())->nfaults, 25);
	for (p = fake_hw.log; (p = strstr(p, "fault injected")); p++)
		lines++;
	assert_int_equal(lines, VM_LOG_BURST);
	assert_true(fake_log_contains("vm vm0: vcpu 0: bad mmio read at 0xa000000 (pc 0x"));
	assert_false(fake_log_contains("at 0xa0000a0 "));
	/* Three seconds later: three more lines may go out, after the count of those left out. */
	fake_hw.now += 3000000;
	assert_true(vm_log_allowed(&vm));
	assert_true(fake_log_contains("vm vm0: 15 messages about it were not printed"));
}

static void test_bad_access_stops_the_vm_when_no_fault_can_be_injected(void **state)
{
	(void)state;
	struct vcpu_exit fault = { .kind = VCPU_EXIT_S2_FAULT };
	fault.fault.addr = gpa(0x80000000);
	fault.fault.access = VCPU_ACCESS_EXEC;
	fake_hw.inject_fault_fails = true;
	fake_script(boot(), fault);
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF)); /* never reached */
	vm_run_vcpu(boot());
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(vm.exit_code, -PV_EFAULT);
	assert_true(fake_log_contains("vm vm0: stopped: vcpu 0: bad access exec at 0x80000000"));
	assert_int_equal(boot()->exit_count[VCPU_EXIT_SYSTEM_OFF], 0);
}

static void test_stop_on_bad_access_policy(void **state)
{
	(void)state;
	fix_config.stop_on_bad_access = true;
	fake_script(boot(), mmio(true, 8, false, 8, 1, 0x0b000000));
	vm_run_vcpu(boot());
	assert_int_equal(fake_vcpu(boot())->nfaults, 0);
	assert_true(fake_log_contains("bad mmio write at 0xb000000"));
	assert_int_equal(vm.state, VM_STOPPED);
}

static void test_port_and_sysreg_accesses(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(boot());
	struct vcpu_exit pio = { .kind = VCPU_EXIT_PIO };
	pio.pio.port = 0x3fd;
	pio.pio.width = 1;
	fake_script(boot(), pio);
	pio.pio.width = 8; /* no such port width */
	fake_script(boot(), pio);
	struct vcpu_exit sr = { .kind = VCPU_EXIT_SYSREG };
	sr.sysreg.id = 0x1234;
	sr.sysreg.reg = 7;
	fake_script(boot(), sr);
	sr.sysreg.id = 0x9999; /* unknown register */
	fake_script(boot(), sr);
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(f->ncompleted, 2);
	assert_int_equal(f->completed[0].pio.data, 0x81);
	assert_int_equal(f->regs[7], 0x8877665544332281ULL);
	assert_int_equal(f->nfaults, 2);
	assert_int_equal(f->faults[0].kind, VCPU_EXIT_PIO);
	assert_int_equal(f->faults[1].kind, VCPU_EXIT_SYSREG);
}

/* Under "unclaimed-ports = float", a port no device serves reads all ones at its width and drops
 * writes, counted and logged; a bad width and a device's own refusal still fault. */
static void test_unclaimed_ports_float(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(boot());
	struct vcpu_exit pio = { .kind = VCPU_EXIT_PIO };

	fix_config.float_ports = true;
	pio.pio.port = 0xcfc;
	pio.pio.width = 2;
	pio.pio.data = 0x1234;
	fake_script(boot(), pio);
	pio.pio.port = 0xcf8;
	pio.pio.width = 4;
	pio.pio.write = true;
	fake_script(boot(), pio);
	pio.pio.port = 0xffff; /* a dword from the last port: still no device */
	pio.pio.write = false;
	fake_script(boot(), pio);
	pio.pio.width = 3;
	fake_script(boot(), pio);
	pio.pio.port = 0x3fd; /* the UART: served as before */
	pio.pio.width = 1;
	fake_script(boot(), pio);
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(f->ncompleted, 4);
	assert_int_equal(f->completed[0].pio.data, 0xffff);
	assert_int_equal(f->completed[2].pio.data, 0xffffffffULL);
	assert_int_equal(f->completed[3].pio.data, 0x81);
	assert_int_equal(f->nfaults, 1);
	assert_int_equal(vm.ports_floated, 3);
	assert_true(fake_log_contains("vm vm0: vcpu 0: port 0xcfc read as all ones (2 bytes): no "
				      "device (1 so far)"));
	assert_true(fake_log_contains("port 0xcf8 write dropped (4 bytes)"));
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(vm.exit_code, 0);
}

static void test_halt_waits_only_without_pending_interrupt(void **state)
{
	(void)state;
	fake_script(boot(), simple(VCPU_EXIT_HALT));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(fake_hw.waits, 1);
	assert_int_equal(fake_vcpu(boot())->ncompleted, 1);
}

static void test_halt_with_pending_interrupt_does_not_wait(void **state)
{
	(void)state;
	fake_virq_set_pending(boot(), true);
	fake_script(boot(), simple(VCPU_EXIT_HALT));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(fake_hw.waits, 0);
	assert_int_equal(fake_vcpu(boot())->ncompleted, 1);
}

static struct vcpu_exit cpu_up(uint64_t target, uint64_t entry)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_CPU_UP };
	e.cpu_up.target = target;
	e.cpu_up.entry = entry;
	e.cpu_up.arg = 0x77;
	return e;
}

static void test_cpu_up_and_down(void **state)
{
	(void)state;
	struct fake_vcpu *f = fake_vcpu(boot());
	struct vcpu *second = &vm.vcpus[1];

	fake_script(boot(), cpu_up(0x100, FIX_RAM_GPA + 0x2000));
	fake_script(boot(), cpu_up(0x100, FIX_RAM_GPA + 0x2000)); /* already started */
	fake_script(boot(), cpu_up(0x200, FIX_RAM_GPA + 0x2000)); /* no such vCPU */
	fake_script(boot(), cpu_up(0x0, 0x10));			  /* entry outside RAM */
	fake_script(boot(), simple(VCPU_EXIT_CPU_DOWN));
	vm_run_vcpu(boot());
	assert_int_equal(f->completed[0].cpu_up.ret, PV_HC_OK);
	assert_int_equal(f->completed[1].cpu_up.ret, PV_HC_EALREADY);
	assert_int_equal(f->completed[2].cpu_up.ret, PV_HC_EINVAL);
	assert_int_equal(f->completed[3].cpu_up.ret, PV_HC_EINVAL);
	assert_int_equal(second->state, VCPU_READY);
	assert_int_equal(fake_vcpu(second)->pc, FIX_RAM_GPA + 0x2000);
	assert_int_equal(fake_vcpu(second)->regs[0], 0x77);
	assert_int_equal(fake_hw.ipis[1], 1);
	/* CPU_DOWN stops the vCPU, not the VM. */
	assert_int_equal(boot()->state, VCPU_STOPPED);
	assert_int_not_equal(vm.state, VM_STOPPED);
	/* A stopped vCPU can be started again. */
	assert_int_equal(vm_cpu_up(&vm, 0x0, gpa(FIX_RAM_GPA), 0), PV_HC_OK);
	assert_int_equal(boot()->state, VCPU_READY);
}

static void test_entry_failure_and_exhausted_script_stop_the_vm(void **state)
{
	(void)state;
	struct vcpu_exit e = simple(VCPU_EXIT_ENTRY_FAIL);
	e.entry_fail.reason = 33;
	fake_script(boot(), e);
	vm_run_vcpu(boot());
	assert_true(fake_log_contains("entry failed (reason 0x21"));
	assert_int_equal(vm.state, VM_STOPPED);
}

static void test_reset_and_invalid_exit_stop_the_vm(void **state)
{
	(void)state;
	/* A VM described with on-reset = "stop" stops at its guest's reset request. */
	fix_config.stop_on_reset = true;
	fake_script(boot(), simple(VCPU_EXIT_NONE));
	fake_script(boot(), simple(VCPU_EXIT_IRQ));
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_RESET));
	vm_run_vcpu(boot());
	assert_true(fake_log_contains("vm vm0: stopped: guest asked for a reset; its description "
				      "says to stop (on-reset)"));
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(fake_vcpu(boot())->ncompleted, 0);
	fix_config.stop_on_reset = false;

	struct vcpu_exit bogus = { .kind = VCPU_EXIT_KIND_COUNT };
	struct vm other;
	fix_config.name = "vm1";
	fix_vm_start(&other);
	fake_script(&other.vcpus[0], bogus);
	vm_run_vcpu(&other.vcpus[0]);
	assert_true(fake_log_contains("vm vm1: stopped: vcpu 0: backend returned invalid exit"));
	vm_destroy(&other);
}

static void test_stopped_vm_does_not_run(void **state)
{
	(void)state;
	vm_stop(&vm, 1, "stopped by the hypervisor");
	fake_script(boot(), simple(VCPU_EXIT_SYSTEM_OFF));
	vm_run_vcpu(boot());
	assert_int_equal(fake_vcpu(boot())->script_pos, 0);
	assert_int_equal(boot()->state, VCPU_STOPPED);
}

static void test_exit_inline_for_backends(void **state)
{
	(void)state;
	struct vcpu *v = boot();
	struct vcpu_exit hc = { .kind = VCPU_EXIT_HYPERCALL };

	assert_int_equal(vcpu_set_state(v, VCPU_RUNNING), PV_OK);
	hc.hcall.nr = PV_HC_ECHO;
	hc.hcall.args[0] = 42;
	assert_true(vm_exit_inline(v, &hc));
	assert_int_equal(fake_vcpu(v)->regs[1], 42); /* completed through the backend */
	assert_int_equal(v->exit_count[VCPU_EXIT_HYPERCALL], 1);

	struct vcpu_exit down = { .kind = VCPU_EXIT_CPU_DOWN };
	assert_false(vm_exit_inline(v, &down)); /* the vCPU stopped */
	assert_int_equal(v->state, VCPU_STOPPED);

	assert_int_equal(vcpu_set_state(v, VCPU_READY), PV_OK);
	assert_int_equal(vcpu_set_state(v, VCPU_RUNNING), PV_OK);
	hc.hcall.nr = PV_HC_VM_STOP;
	assert_false(vm_exit_inline(v, &hc)); /* the VM stopped */
	struct vcpu_exit none = { .kind = VCPU_EXIT_NONE };
	assert_false(vm_exit_inline(v, &none)); /* and stays stopped for a handled exit */
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_power_off_ends_the_loop),
		T(test_mmio_loads_mask_and_sign_extend),
		T(test_device_exits_per_device),
		T(test_mmio_store_is_masked_to_width),
		T(test_unclaimed_mmio_injects_a_fault),
		T(test_injected_faults_are_logged_at_a_limited_rate),
		T(test_bad_access_stops_the_vm_when_no_fault_can_be_injected),
		T(test_stop_on_bad_access_policy),
		T(test_port_and_sysreg_accesses),
		T(test_unclaimed_ports_float),
		T(test_halt_waits_only_without_pending_interrupt),
		T(test_halt_with_pending_interrupt_does_not_wait),
		T(test_cpu_up_and_down),
		T(test_entry_failure_and_exhausted_script_stop_the_vm),
		T(test_reset_and_invalid_exit_stop_the_vm),
		T(test_stopped_vm_does_not_run),
		T(test_exit_inline_for_backends),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
