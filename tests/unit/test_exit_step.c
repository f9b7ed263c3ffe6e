// SPDX-License-Identifier: MIT
/*
 * One exit step for every path: the same scripted exits, played once through the run loop and
 * once through a backend fast entry (the fake backend's run() handing exits to fast_entry below,
 * which handles them with the core's vm_exit_step, as aarch64's and x86_64's run() do), must end
 * the same way: the same VM and vCPU
 * state, exit counts, completions, guest registers, injected faults, interrupt flushes and console.
 */
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>
#include <vm/exit_step.h>
#include <vm/hypercall.h>
#include <vm/run.h>

#define DEV_BASE  0x09000000ULL
#define NO_DEVICE 0x0a000000ULL

/* Every kind but ENTRY_FAIL (the fake's "script ran out"), and aarch64's choice. */
#define FAST_ALL   (~0u & ~(1u << VCPU_EXIT_ENTRY_FAIL))
#define FAST_A64   ((1u << VCPU_EXIT_HYPERCALL) | (1u << VCPU_EXIT_MMIO) | (1u << VCPU_EXIT_SYSREG))
#define MAX_SCRIPT 16

static struct vm vm;
static uint32_t fast_kinds; /* the exit kinds fast_entry takes */

/* A backend's fast path: the exits it takes go through vm_exit_step and the guest is entered
 * again; any other goes back to the run loop, and so does a VCPU_EXIT_NONE when the step says the
 * vCPU may not go on. */
static bool fast_entry(struct vcpu *v, struct vcpu_exit *exit)
{
	if ((unsigned)exit->kind >= 32 || !(fast_kinds & (1u << exit->kind)))
		return false;
	if (vm_exit_step(v, exit, vm_exit_virq_sync, vm_exit_virq_flush, vm_exit_complete))
		return true;
	exit->kind = VCPU_EXIT_NONE;
	return false;
}

static int dev_read(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		    uint64_t *value)
{
	(void)dev;
	(void)vcpu;
	*value = 0x1122334455667788ULL + off + width;
	return PV_OK;
}

static int dev_write(struct vdev *dev, struct vcpu *vcpu, uint64_t off, unsigned width,
		     uint64_t value)
{
	(void)dev;
	(void)vcpu;
	(void)width;
	(void)value;
	return off == 0xfc ? -PV_EFAULT : PV_OK;
}

static const struct vdev_ops dev_ops = { dev_read, dev_write };
static struct vdev dev = { "test-dev", VDEV_SPACE_MMIO, DEV_BASE, 0x100, &dev_ops, NULL, 0 };
static struct vdev port = { "test-port", VDEV_SPACE_PIO, 0x3f8, 8, &dev_ops, NULL, 0 };
static struct vdev sysreg = { "test-sysreg", VDEV_SPACE_SYSREG, 0x1234, 1, &dev_ops, NULL, 0 };

struct scenario {
	struct vcpu_exit exits[MAX_SCRIPT];
	size_t n;
	bool irq_pending;	 /* a HALT finds an interrupt waiting */
	bool inject_fault_fails; /* a bad access stops the VM */
};

/* How a played script ended. */
struct outcome {
	enum vm_state vm_state;
	int64_t exit_code;
	enum vcpu_state vcpu_state;
	uint64_t exit_count[VCPU_EXIT_KIND_COUNT]; /* but NONE: see play() */
	uint64_t pc, regs[FAKE_NREGS];
	unsigned script_pos, ncompleted, nfaults, nflush;
	enum vcpu_exit_kind completed[FAKE_MAX_RECORDS];
	char log[2048];
};

static struct vcpu_exit hcall(uint64_t nr, uint64_t arg)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };
	e.hcall.nr = nr;
	e.hcall.args[0] = arg;
	return e;
}

static struct vcpu_exit mmio(bool write, uint64_t addr)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_MMIO };
	e.mmio.addr = gpa(addr);
	e.mmio.write = write;
	e.mmio.width = 4;
	e.mmio.reg_width = 8;
	e.mmio.reg = 7;
	e.mmio.data = 0x5a5a;
	return e;
}

static struct vcpu_exit simple(enum vcpu_exit_kind kind)
{
	return (struct vcpu_exit){ .kind = kind };
}

/* Plays @s on a fresh VM, with the exit kinds @kinds handled by the fast entry. */
static void play(const struct scenario *s, uint32_t kinds, struct outcome *o)
{
	struct vcpu *v;
	struct fake_vcpu *f;
	uint64_t exits = 0;

	assert_int_equal(fix_setup(NULL), 0);
	fix_vm_start(&vm);
	assert_int_equal(vdev_register(&vm, &dev), PV_OK);
	assert_int_equal(vdev_register(&vm, &port), PV_OK);
	assert_int_equal(vdev_register(&vm, &sysreg), PV_OK);
	v = &vm.vcpus[0];
	f = fake_vcpu(v);
	for (size_t i = 0; i < s->n; i++)
		fake_script(v, s->exits[i]);
	fake_virq_set_pending(v, s->irq_pending);
	fake_hw.inject_fault_fails = s->inject_fault_fails;
	fast_kinds = kinds;
	fake_hw.fast_entry = kinds ? fast_entry : NULL;
	fake_hw.log_len = 0;
	fake_hw.log[0] = '\0';

	vm_run_vcpu(v);

	memset(o, 0, sizeof(*o));
	o->vm_state = vm.state;
	o->exit_code = vm.exit_code;
	o->vcpu_state = v->state;
	memcpy(o->exit_count, v->exit_count, sizeof(o->exit_count));
	/* Every exit is read back once, the fast entry's VCPU_EXIT_NONE that hands a leaving vCPU
	 * back to the run loop included; that one exists on the fast entry only. */
	for (unsigned k = 0; k < VCPU_EXIT_KIND_COUNT; k++)
		exits += v->exit_count[k];
	assert_int_equal(fake_hw.nsync, exits);
	o->exit_count[VCPU_EXIT_NONE] = 0;
	o->pc = f->pc;
	memcpy(o->regs, f->regs, sizeof(o->regs));
	o->script_pos = f->script_pos;
	o->ncompleted = f->ncompleted;
	for (unsigned i = 0; i < f->ncompleted; i++)
		o->completed[i] = f->completed[i].kind;
	o->nfaults = f->nfaults;
	o->nflush = fake_hw.nflush;
	strncpy(o->log, fake_hw.log, sizeof(o->log) - 1);

	vm_destroy(&vm);
	fix_teardown(NULL);
}

static void assert_same_end(const struct scenario *s)
{
	struct outcome loop, fast, a64;

	play(s, 0, &loop);
	play(s, FAST_ALL, &fast);
	play(s, FAST_A64, &a64);
	assert_string_equal(loop.log, fast.log);
	assert_string_equal(loop.log, a64.log);
	assert_memory_equal(&loop, &fast, sizeof(loop));
	assert_memory_equal(&loop, &a64, sizeof(loop));
}

static void test_everyday_exits_end_the_same(void **state)
{
	(void)state;
	struct scenario s = { .irq_pending = true };
	struct vcpu_exit e;
	size_t n = 0;

	s.exits[n++] = hcall(PV_HC_VERSION, 0);
	s.exits[n++] = hcall(PV_HC_ECHO, 0x77);
	s.exits[n++] = mmio(false, DEV_BASE + 8);
	s.exits[n++] = mmio(true, DEV_BASE + 0x10);
	e = simple(VCPU_EXIT_SYSREG);
	e.sysreg.id = 0x1234;
	e.sysreg.reg = 9;
	s.exits[n++] = e;
	e = simple(VCPU_EXIT_PIO);
	e.pio.port = 0x3f9;
	e.pio.width = 1;
	s.exits[n++] = e;
	s.exits[n++] = mmio(false, NO_DEVICE);	    /* fault injected */
	s.exits[n++] = mmio(true, DEV_BASE + 0xfc); /* the device refuses: fault injected */
	s.exits[n++] = simple(VCPU_EXIT_HALT);	    /* an interrupt waits: goes on */
	s.exits[n++] = hcall(PV_HC_PUTCHAR, 'x');
	s.exits[n++] = hcall(PV_HC_PUTCHAR, '\n');
	s.exits[n++] = hcall(0x7777, 0); /* unknown */
	s.exits[n++] = hcall(PV_HC_DEVICE_EXITS, 0);
	s.exits[n++] = simple(VCPU_EXIT_SYSTEM_OFF);
	s.exits[n++] = hcall(PV_HC_VERSION, 0); /* never reached */
	s.n = n;
	assert_same_end(&s);

	/* And it is the end the run loop is known for. */
	struct outcome o;
	play(&s, FAST_A64, &o);
	assert_int_equal(o.vm_state, VM_STOPPED);
	assert_int_equal(o.vcpu_state, VCPU_STOPPED);
	assert_int_equal(o.exit_count[VCPU_EXIT_HYPERCALL], 6);
	assert_int_equal(o.exit_count[VCPU_EXIT_MMIO], 4);
	assert_int_equal(o.nfaults, 2);
	assert_int_equal(o.regs[1], 6); /* DEVICE_EXITS: 4 MMIO, 1 port, 1 sysreg */
	assert_int_equal(o.script_pos, n - 1);
	/* One flush before the first entry and one after each exit that went on. */
	assert_int_equal(o.nflush, n - 1);
	assert_non_null(strstr(o.log, "guest powered off"));
}

static void test_a_hypercall_that_stops_the_vm_ends_the_same(void **state)
{
	(void)state;
	struct scenario s = { 0 };

	s.exits[s.n++] = hcall(PV_HC_VERSION, 0);
	s.exits[s.n++] = hcall(PV_HC_VM_STOP, 5);
	s.exits[s.n++] = hcall(PV_HC_VERSION, 0); /* never reached */
	assert_same_end(&s);

	struct outcome o;
	play(&s, FAST_ALL, &o);
	assert_int_equal(o.vm_state, VM_STOPPED);
	assert_int_equal(o.exit_code, 5);
	assert_int_equal(o.ncompleted, 1); /* the stopping call is not completed */
	assert_int_equal(o.nflush, 2);
}

static void test_a_vcpu_that_stops_or_cannot_take_a_fault_ends_the_same(void **state)
{
	(void)state;
	struct scenario down = { 0 }, fault = { .inject_fault_fails = true };

	down.exits[down.n++] = mmio(false, DEV_BASE);
	down.exits[down.n++] = simple(VCPU_EXIT_CPU_DOWN);
	down.exits[down.n++] = mmio(false, DEV_BASE); /* never reached */
	assert_same_end(&down);

	fault.exits[fault.n++] = hcall(PV_HC_ECHO, 1);
	fault.exits[fault.n++] = mmio(false, NO_DEVICE); /* no fault can be injected: VM stops */
	fault.exits[fault.n++] = hcall(PV_HC_ECHO, 2);	 /* never reached */
	assert_same_end(&fault);

	struct outcome o;
	play(&fault, FAST_A64, &o);
	assert_int_equal(o.vm_state, VM_STOPPED);
	assert_int_equal(o.exit_code, -PV_EFAULT);
	assert_int_equal(o.regs[1], 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_everyday_exits_end_the_same),
		cmocka_unit_test(test_a_hypercall_that_stops_the_vm_ends_the_same),
		cmocka_unit_test(test_a_vcpu_that_stops_or_cannot_take_a_fault_ends_the_same),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
