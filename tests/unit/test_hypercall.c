// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <string.h>

#include <vm/hypercall.h>

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

static struct vcpu_exit call(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct vcpu_exit e = { .kind = VCPU_EXIT_HYPERCALL };
	e.hcall.nr = nr;
	e.hcall.args[0] = a0;
	e.hcall.args[1] = a1;
	e.hcall.args[2] = a2;
	e.hcall.ret = 12345; /* stale values must be overwritten */
	e.hcall.value = 999;
	return e;
}

static void test_version_and_echo(void **state)
{
	(void)state;
	struct vcpu_exit e = call(PV_HC_VERSION, 0, 0, 0);
	assert_true(vm_hypercall(&vm.vcpus[0], &e));
	assert_int_equal(e.hcall.ret, PV_HC_OK);
	assert_int_equal(e.hcall.value, PV_HC_ABI_VERSION);

	e = call(PV_HC_ECHO, 0xfeedfacecafebeefULL, 0, 0);
	assert_true(vm_hypercall(&vm.vcpus[0], &e));
	assert_int_equal(e.hcall.ret, PV_HC_OK);
	assert_int_equal(e.hcall.value, 0xfeedfacecafebeefULL);
}

static void test_unknown_number_is_enosys(void **state)
{
	(void)state;
	uint64_t numbers[] = { PV_HC_COUNT, 0x1000, ~0ULL };
	for (size_t i = 0; i < PV_ARRAY_SIZE(numbers); i++) {
		struct vcpu_exit e = call(numbers[i], 0, 0, 0);
		assert_true(vm_hypercall(&vm.vcpus[0], &e));
		assert_int_equal(e.hcall.ret, PV_HC_ENOSYS);
		assert_int_equal(e.hcall.value, 0);
	}
}

static void test_putchar_goes_to_the_vm_console(void **state)
{
	(void)state;
	const char *s = "hi\n";
	for (; *s; s++) {
		struct vcpu_exit e = call(PV_HC_PUTCHAR, 0x100 | (unsigned char)*s, 0, 0);
		assert_true(vm_hypercall(&vm.vcpus[0], &e));
		assert_int_equal(e.hcall.ret, PV_HC_OK);
	}
	assert_true(fake_log_contains("[vm0] hi\n"));
}

static void console_puts(const char *s)
{
	for (; *s; s++)
		vm_console_putc(&vm, *s);
}

/* A guest's escape sequences and other control characters reach the console as text. */
static void test_console_shows_control_characters(void **state)
{
	(void)state;
	console_puts("\x1b[2J\x1b]0;owned\x07\tok\x7f\r\n");
	assert_true(fake_log_contains("[vm0] ^[[2J^[]0;owned^G\tok^?\n"));
	assert_null(memchr(fake_hw.log, 0x1b, fake_hw.log_len));
	/* A long line is cut, never past the buffer, and a caret pair is never split. */
	for (int i = 0; i < 3 * VM_CONSOLE_LINE; i++)
		vm_console_putc(&vm, i % 7 ? 'x' : '\x01');
	vm_console_putc(&vm, '\n');
	assert_null(strstr(fake_hw.log, "^\n"));
}

static void test_vm_stop(void **state)
{
	(void)state;
	struct vcpu_exit e = call(PV_HC_VM_STOP, 42, 0, 0);
	assert_false(vm_hypercall(&vm.vcpus[0], &e));
	assert_int_equal(vm.state, VM_STOPPED);
	assert_int_equal(vm.exit_code, 42);
	assert_true(fake_log_contains("vm vm0: stopped: vcpu 0 asked to stop (code 42)"));
}

static void test_cpu_on(void **state)
{
	(void)state;
	struct vcpu_exit e = call(PV_HC_CPU_ON, 0x100, FIX_RAM_GPA + 0x4000, 5);
	assert_true(vm_hypercall(&vm.vcpus[0], &e));
	assert_int_equal(e.hcall.ret, PV_HC_OK);
	assert_int_equal(vm.vcpus[1].state, VCPU_READY);
	e = call(PV_HC_CPU_ON, 0x100, FIX_RAM_GPA + 0x4000, 5);
	assert_true(vm_hypercall(&vm.vcpus[0], &e));
	assert_int_equal(e.hcall.ret, PV_HC_EALREADY);
}

static void test_device_exits_counts_emulated_accesses(void **state)
{
	(void)state;
	struct vcpu *v = &vm.vcpus[0];
	v->exit_count[VCPU_EXIT_MMIO] = 5;
	v->exit_count[VCPU_EXIT_PIO] = 2;
	v->exit_count[VCPU_EXIT_SYSREG] = 1;
	v->exit_count[VCPU_EXIT_HYPERCALL] = 100;    /* not a device access */
	vm.vcpus[1].exit_count[VCPU_EXIT_MMIO] = 10; /* the VM's, not only the caller's */
	struct vcpu_exit e = call(PV_HC_DEVICE_EXITS, 0, 0, 0);
	assert_true(vm_hypercall(v, &e));
	assert_int_equal(e.hcall.ret, PV_HC_OK);
	assert_int_equal(e.hcall.value, 18);
	/* One device's count: an unknown space or a place without a device is refused. */
	e = call(PV_HC_DEVICE_EXITS, 0x1000, 1 + VDEV_SPACE_COUNT, 0);
	assert_true(vm_hypercall(v, &e));
	assert_int_equal(e.hcall.ret, PV_HC_EINVAL);
	e = call(PV_HC_DEVICE_EXITS, 0x1000, 1 + VDEV_SPACE_MMIO, 0);
	assert_true(vm_hypercall(v, &e));
	assert_int_equal(e.hcall.ret, PV_HC_EINVAL);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_version_and_echo),
		T(test_unknown_number_is_enosys),
		T(test_putchar_goes_to_the_vm_console),
		T(test_console_shows_control_characters),
		T(test_vm_stop),
		T(test_cpu_on),
		T(test_device_exits_counts_emulated_accesses),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
