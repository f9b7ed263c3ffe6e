// SPDX-License-Identifier: MIT
/* The SBI implementation guests see (arch/riscv64/vsbi.c), on a fake-backend VM. */
#include "pv_test.h"

#include "vm_fixture.h"

#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <string.h>
#include <vm/hypercall.h>

static struct vm vm;
static uint64_t x[32];

/* What the hooks were asked to do. */
static unsigned timer_calls, ipi_calls, fence_calls;
static uint64_t timer_deadline;
static unsigned ipi_to[8], fence_to[8], fence_what;

void riscv_vsbi_set_timer(struct vcpu *vcpu, uint64_t deadline)
{
	assert_ptr_equal(vcpu, &vm.vcpus[0]);
	timer_calls++;
	timer_deadline = deadline;
}

void riscv_vsbi_send_ipi(struct vcpu *from, struct vcpu *to)
{
	assert_ptr_equal(from, &vm.vcpus[0]);
	ipi_calls++;
	ipi_to[to->id]++;
}

void riscv_vsbi_remote_fence(struct vcpu *from, struct vcpu *const *to, unsigned n, unsigned what)
{
	(void)from;
	fence_calls++;
	for (unsigned i = 0; i < n; i++)
		fence_to[to[i]->id]++;
	fence_what |= what;
}

/* The suspension the backend was told about. */
static unsigned suspend_calls;
static bool suspend_non_retentive, suspended[2];
static uint64_t suspend_addr;

void riscv_vsbi_suspend(struct vcpu *vcpu, bool non_retentive, uint64_t resume_addr)
{
	suspend_calls++;
	suspend_non_retentive = non_retentive;
	suspend_addr = resume_addr;
	suspended[vcpu->id] = true;
}

bool riscv_vsbi_suspended(const struct vcpu *vcpu)
{
	return suspended[vcpu->id];
}

static int setup(void **state)
{
	if (fix_setup(state))
		return -1;
	fix_config.guest_cpu_id[0] = 0;
	fix_config.guest_cpu_id[1] = 1;
	fix_vm_start(&vm);
	memset(x, 0, sizeof(x));
	timer_calls = ipi_calls = fence_calls = fence_what = suspend_calls = 0;
	suspended[0] = suspended[1] = suspend_non_retentive = false;
	suspend_addr = 0;
	memset(ipi_to, 0, sizeof(ipi_to));
	memset(fence_to, 0, sizeof(fence_to));
	return 0;
}

static int teardown(void **state)
{
	vm_destroy(&vm);
	return fix_teardown(state);
}

/* One ECALL of vCPU 0 with a7 = @eid, a6 = @fid and a0..a2. */
static struct vcpu_exit call(uint64_t eid, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct vcpu_exit exit;

	memset(&exit, 0xa5, sizeof(exit));
	x[VSBI_A7] = eid;
	x[VSBI_A6] = fid;
	x[10] = a0;
	x[11] = a1;
	x[12] = a2;
	riscv_vsbi_call(&vm.vcpus[0], x, &exit);
	return exit;
}

static void assert_answered(struct vcpu_exit e, int64_t error, uint64_t value)
{
	assert_int_equal(e.kind, VCPU_EXIT_NONE);
	assert_int_equal((int64_t)x[10], error);
	assert_int_equal(x[11], value);
}

static void test_base(void **state)
{
	(void)state;
	/* SBI 2.0: what Linux needs before it uses DBCN (and earlycon=sbi through it). */
	assert_answered(call(VSBI_EXT_BASE, 0, 0, 0, 0), 0, 0x02000000);
	assert_answered(call(VSBI_EXT_BASE, 1, 0, 0, 0), 0, VSBI_IMPL_ID);
	assert_answered(call(VSBI_EXT_BASE, 3, VSBI_EXT_HSM, 0, 0), 0, 1);
	assert_answered(call(VSBI_EXT_BASE, 3, VSBI_EXT_POLYVISOR, 0, 0), 0, 1);
	assert_answered(call(VSBI_EXT_BASE, 3, 0x12345678, 0, 0), 0, 0);
	/* Extensions not implemented are not advertised: PMU, SUSP, CPPC, STA, the legacy
	 * clear_ipi and remote fences. */
	assert_answered(call(VSBI_EXT_BASE, 3, 0x504d55, 0, 0), 0, 0);
	assert_answered(call(VSBI_EXT_BASE, 3, 0x53555350, 0, 0), 0, 0);
	assert_answered(call(VSBI_EXT_BASE, 3, 0x43505043, 0, 0), 0, 0);
	assert_answered(call(VSBI_EXT_BASE, 3, 0x535441, 0, 0), 0, 0);
	for (uint64_t eid = 3; eid <= 7; eid++)
		if (eid != VSBI_EXT_LEGACY_SEND_IPI)
			assert_answered(call(VSBI_EXT_BASE, 3, eid, 0, 0), 0, 0);
	assert_answered(call(0x504d55, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_answered(call(0x53555350, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_answered(call(VSBI_EXT_BASE, 4, 0, 0, 0), 0, 0);
	assert_answered(call(VSBI_EXT_BASE, 99, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_answered(call(0x11111111, 0, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
}

static void test_hypercall_extension(void **state)
{
	struct vcpu_exit e;

	(void)state;
	x[13] = 4;
	x[14] = 5;
	x[15] = 6;
	e = call(VSBI_EXT_POLYVISOR, PV_HC_ECHO, 1, 2, 3);
	assert_int_equal(e.kind, VCPU_EXIT_HYPERCALL);
	assert_int_equal(e.hcall.nr, PV_HC_ECHO);
	for (unsigned i = 0; i < 6; i++)
		assert_int_equal(e.hcall.args[i], i + 1);
	e.hcall.ret = PV_HC_OK;
	e.hcall.value = 0x1234;
	riscv_vsbi_complete(&e, x);
	assert_int_equal(x[10], 0);
	assert_int_equal(x[11], 0x1234);
	/* docs/hypercalls.md: the errors as SBI errors. */
	assert_int_equal(riscv_vsbi_hc_error(PV_HC_ENOSYS), -2);
	assert_int_equal(riscv_vsbi_hc_error(PV_HC_EINVAL), -3);
	assert_int_equal(riscv_vsbi_hc_error(PV_HC_EDENIED), -4);
	assert_int_equal(riscv_vsbi_hc_error(PV_HC_EALREADY), -7);
	assert_int_equal(riscv_vsbi_hc_error(-99), -1);
	assert_int_equal(riscv_vsbi_hc_error(7), 7);
}

static void test_time(void **state)
{
	(void)state;
	assert_answered(call(VSBI_EXT_TIME, 0, 0x123456789, 0, 0), 0, 0);
	assert_int_equal(timer_calls, 1);
	assert_int_equal(timer_deadline, 0x123456789);
	assert_answered(call(VSBI_EXT_TIME, 1, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	/* Legacy set_timer: one result in a0. */
	call(VSBI_EXT_LEGACY_SET_TIMER, 0, 77, 0, 0);
	assert_int_equal(x[10], 0);
	assert_int_equal(timer_calls, 2);
	assert_int_equal(timer_deadline, 77);
}

static void test_ipi(void **state)
{
	(void)state;
	assert_answered(call(VSBI_EXT_IPI, 0, 0x2, 0, 0), 0, 0);
	assert_int_equal(ipi_to[1], 1);
	assert_int_equal(ipi_to[0], 0);
	/* hart_mask_base = -1: every hart. */
	assert_answered(call(VSBI_EXT_IPI, 0, 0, UINT64_MAX, 0), 0, 0);
	assert_int_equal(ipi_to[0], 1);
	assert_int_equal(ipi_to[1], 2);
	/* Base 1, bit 0: hart 1. */
	assert_answered(call(VSBI_EXT_IPI, 0, 0x1, 1, 0), 0, 0);
	assert_int_equal(ipi_to[1], 3);
	/* A hart the VM does not have: nothing sent at all. */
	ipi_calls = 0;
	assert_answered(call(VSBI_EXT_IPI, 0, 0x5, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_int_equal(ipi_calls, 0);
}

static void test_legacy_ipi_reads_the_mask_from_guest_memory(void **state)
{
	uint64_t mask = 0x3;

	(void)state;
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + 0x8000), &mask, 8), PV_OK);
	call(VSBI_EXT_LEGACY_SEND_IPI, 0, FIX_RAM_GPA + 0x8000, 0, 0);
	assert_int_equal(x[10], 0);
	assert_int_equal(ipi_to[0], 1);
	assert_int_equal(ipi_to[1], 1);
	call(VSBI_EXT_LEGACY_SEND_IPI, 0, 0x10, 0, 0);
	assert_int_equal((int64_t)x[10], VSBI_ERR_INVALID_ADDR);
}

static void test_rfence(void **state)
{
	(void)state;
	/* One request for the whole mask: the backend waits for all targets at once. */
	assert_answered(call(VSBI_EXT_RFENCE, 0, 0x3, 0, 0), 0, 0);
	assert_int_equal(fence_calls, 1);
	assert_int_equal(fence_to[0], 1);
	assert_int_equal(fence_to[1], 1);
	assert_int_equal(fence_what, RISCV_FENCE_I);
	assert_answered(call(VSBI_EXT_RFENCE, 1, 0x2, 0, 0), 0, 0);
	assert_int_equal(fence_to[1], 2);
	assert_int_equal(fence_what, RISCV_FENCE_I | RISCV_FENCE_VVMA);
	/* hfence.*: the guest has no H extension. */
	assert_answered(call(VSBI_EXT_RFENCE, 3, 0x1, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	/* The ASID form, and every hart; a hart it does not have: nothing asked of anyone. */
	assert_answered(call(VSBI_EXT_RFENCE, 2, 0, UINT64_MAX, 0), 0, 0);
	assert_int_equal(fence_to[0], 2);
	assert_int_equal(fence_to[1], 3);
	fence_calls = 0;
	assert_answered(call(VSBI_EXT_RFENCE, 1, 0x6, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_int_equal(fence_calls, 0);
}

static void test_hsm(void **state)
{
	struct vcpu_exit e;

	(void)state;
	e = call(VSBI_EXT_HSM, 0, 1, FIX_RAM_GPA + 0x2000, 0xabc);
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	assert_int_equal(e.cpu_up.target, 1);
	assert_int_equal(e.cpu_up.entry, FIX_RAM_GPA + 0x2000);
	assert_int_equal(e.cpu_up.arg, 0xabc);
	e.cpu_up.ret = PV_HC_EALREADY;
	riscv_vsbi_complete(&e, x);
	assert_int_equal((int64_t)x[10], VSBI_ERR_ALREADY_AVAIL);
	e.cpu_up.ret = PV_HC_EINVAL;
	riscv_vsbi_complete(&e, x);
	assert_int_equal((int64_t)x[10], VSBI_ERR_INVALID_PARAM);
	e.cpu_up.ret = PV_HC_OK;
	riscv_vsbi_complete(&e, x);
	assert_int_equal(x[10], 0);

	/* A start address outside RAM is INVALID_ADDR (SBI 1.0, hart_start), not INVALID_PARAM:
	 * found by fuzzing against the specification. An unknown hart is still INVALID_PARAM. */
	assert_answered(call(VSBI_EXT_HSM, 0, 1, 0x1000, 0), VSBI_ERR_INVALID_ADDR, 0);
	assert_answered(call(VSBI_EXT_HSM, 0, 1, FIX_RAM_GPA + FIX_RAM_SIZE, 0),
			VSBI_ERR_INVALID_ADDR, 0);
	assert_int_equal(call(VSBI_EXT_HSM, 0, 7, 0x1000, 0).kind, VCPU_EXIT_CPU_UP);

	assert_int_equal(call(VSBI_EXT_HSM, 1, 0, 0, 0).kind, VCPU_EXIT_CPU_DOWN);

	/* Statuses follow the vCPU lifecycle: vCPU 0 is ready (start pending), 1 never started. */
	assert_answered(call(VSBI_EXT_HSM, 2, 0, 0, 0), 0, VSBI_HSM_START_PENDING);
	assert_answered(call(VSBI_EXT_HSM, 2, 1, 0, 0), 0, VSBI_HSM_STOPPED);
	vm.vcpus[1].state = VCPU_RUNNING;
	assert_answered(call(VSBI_EXT_HSM, 2, 1, 0, 0), 0, VSBI_HSM_STARTED);
	vm.vcpus[1].state = VCPU_HALTED;
	assert_answered(call(VSBI_EXT_HSM, 2, 1, 0, 0), 0, VSBI_HSM_STARTED);
	assert_answered(call(VSBI_EXT_HSM, 2, 7, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_HSM, 9, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
}

/* hart_suspend: the default retentive and non-retentive types idle like WFI; reserved types are
 * invalid, platform-specific ones not supported, and a resume address outside RAM is refused. */
static void test_hsm_suspend(void **state)
{
	struct vcpu_exit e;

	(void)state;
	e = call(VSBI_EXT_HSM, 3, VSBI_SUSPEND_RETENTIVE, 0, 0);
	assert_int_equal(e.kind, VCPU_EXIT_HALT);
	assert_int_equal(x[10], 0); /* what the guest sees when it continues after the ECALL */
	assert_int_equal(suspend_calls, 1);
	assert_false(suspend_non_retentive);

	/* Suspended shows only while the vCPU idles; running it is started. */
	vm.vcpus[0].state = VCPU_HALTED;
	assert_answered(call(VSBI_EXT_HSM, 2, 0, 0, 0), 0, VSBI_HSM_SUSPENDED);
	vm.vcpus[0].state = VCPU_RUNNING;
	assert_answered(call(VSBI_EXT_HSM, 2, 0, 0, 0), 0, VSBI_HSM_STARTED);

	e = call(VSBI_EXT_HSM, 3, VSBI_SUSPEND_NON_RETENTIVE, FIX_RAM_GPA + 0x4000, 0x5a5a);
	assert_int_equal(e.kind, VCPU_EXIT_HALT);
	assert_int_equal(suspend_calls, 2);
	assert_true(suspend_non_retentive);
	assert_int_equal(suspend_addr, FIX_RAM_GPA + 0x4000);
	assert_int_equal(x[10], vm.vcpus[0].guest_cpu_id); /* a0 = hart id, a1 = opaque */
	assert_int_equal(x[11], 0x5a5a);

	suspend_calls = 0;
	assert_answered(call(VSBI_EXT_HSM, 3, VSBI_SUSPEND_NON_RETENTIVE, 0x1000, 0),
			VSBI_ERR_INVALID_ADDR, 0);
	assert_answered(call(VSBI_EXT_HSM, 3, 1, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_HSM, 3, 0x0fffffff, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_HSM, 3, 0x80000001, FIX_RAM_GPA, 0), VSBI_ERR_INVALID_PARAM,
			0);
	assert_answered(call(VSBI_EXT_HSM, 3, 0x100000000ULL, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_HSM, 3, 0x10000000, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_answered(call(VSBI_EXT_HSM, 3, 0x90000000, FIX_RAM_GPA, 0), VSBI_ERR_NOT_SUPPORTED,
			0);
	assert_int_equal(suspend_calls, 0);
}

static void test_srst(void **state)
{
	(void)state;
	assert_int_equal(call(VSBI_EXT_SRST, 0, 0, 0, 0).kind, VCPU_EXIT_SYSTEM_OFF);
	assert_int_equal(call(VSBI_EXT_SRST, 0, 1, 0, 0).kind, VCPU_EXIT_SYSTEM_RESET);
	assert_int_equal(call(VSBI_EXT_SRST, 0, 2, 0, 0).kind, VCPU_EXIT_SYSTEM_RESET);
	assert_answered(call(VSBI_EXT_SRST, 0, 9, 0, 0), VSBI_ERR_INVALID_PARAM, 0);
	/* Reasons: none (0) and system failure (1); reserved ones are invalid. Vendor types are
	 * valid but there are none. */
	assert_int_equal(call(VSBI_EXT_SRST, 0, 0, 1, 0).kind, VCPU_EXIT_SYSTEM_OFF);
	assert_int_equal(call(VSBI_EXT_SRST, 0, 0, 0xe0000000, 0).kind, VCPU_EXIT_SYSTEM_OFF);
	assert_answered(call(VSBI_EXT_SRST, 0, 0, 2, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_SRST, 0, 0, 0x100000000ULL, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_SRST, 0, 0xf0000000, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_answered(call(VSBI_EXT_SRST, 1, 0, 0, 0), VSBI_ERR_NOT_SUPPORTED, 0);
	assert_int_equal(call(VSBI_EXT_LEGACY_SHUTDOWN, 0, 0, 0, 0).kind, VCPU_EXIT_SYSTEM_OFF);
}

static void test_console(void **state)
{
	static const char msg[] = "hello from dbcn\n";

	(void)state;
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + 0x9000), msg, sizeof(msg) - 1),
			 PV_OK);
	assert_answered(call(VSBI_EXT_DBCN, 0, sizeof(msg) - 1, FIX_RAM_GPA + 0x9000, 0), 0,
			sizeof(msg) - 1);
	assert_true(fake_log_contains("[vm0] hello from dbcn\n"));
	/* A long write is cut at 64 bytes per call (one exit's worth); the guest loops. */
	{
		char line[101];

		memset(line, 'x', 99);
		line[99] = '\n';
		line[100] = '\0';
		assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + 0xa000), line, 100), PV_OK);
		assert_answered(call(VSBI_EXT_DBCN, 0, 4096, FIX_RAM_GPA + 0xa000, 0), 0, 64);
		assert_false(fake_log_contains("xxx\n"));
		assert_answered(call(VSBI_EXT_DBCN, 0, 36, FIX_RAM_GPA + 0xa000 + 64, 0), 0, 36);
		assert_true(
			fake_log_contains("[vm0] xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
					  "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"));
	}
	/* Outside guest RAM, or above 4 GiB through base_hi. */
	assert_answered(call(VSBI_EXT_DBCN, 0, 4, 0x1000, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_DBCN, 0, 4, FIX_RAM_GPA, 1), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_DBCN, 1, 4, FIX_RAM_GPA, 0), 0, 0);
	assert_answered(call(VSBI_EXT_DBCN, 2, 'o', 0, 0), 0, 0);
	call(VSBI_EXT_LEGACY_PUTCHAR, 0, 'k', 0, 0);
	assert_int_equal(x[10], 0);
	call(VSBI_EXT_LEGACY_PUTCHAR, 0, '\n', 0, 0);
	assert_true(fake_log_contains("[vm0] ok\n"));
	call(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);
	assert_int_equal((int64_t)x[10], -1);
}

/* Typed input through the SBI: the legacy getchar and DBCN console_read. */
static void test_console_input(void **state)
{
	char got[8] = { 0 };

	(void)state;
	vm_console_input(&vm, (const uint8_t *)"ab\xe9xyz", 6);
	call(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);
	assert_int_equal(x[10], 'a');
	call(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);
	assert_int_equal(x[10], 'b');
	call(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);
	assert_int_equal(x[10], 0xe9); /* a byte, not a negative number */
	/* A bad buffer takes nothing from the console. */
	assert_answered(call(VSBI_EXT_DBCN, 1, 8, 0x1000, 0), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_DBCN, 1, 8, FIX_RAM_GPA, 1), VSBI_ERR_INVALID_PARAM, 0);
	assert_answered(call(VSBI_EXT_DBCN, 1, 2, FIX_RAM_GPA + 0x9000, 0), 0, 2);
	assert_answered(call(VSBI_EXT_DBCN, 1, 8, FIX_RAM_GPA + 0x9002, 0), 0, 1);
	assert_int_equal(vm_read_guest(&vm, gpa(FIX_RAM_GPA + 0x9000), got, 3), PV_OK);
	assert_string_equal(got, "xyz");
	assert_answered(call(VSBI_EXT_DBCN, 1, 8, FIX_RAM_GPA + 0x9000, 0), 0, 0);
	/* An empty read shows the prompt the guest printed before it. */
	call(VSBI_EXT_LEGACY_PUTCHAR, 0, '>', 0, 0);
	assert_false(fake_log_contains("[vm0] >"));
	call(VSBI_EXT_LEGACY_GETCHAR, 0, 0, 0, 0);
	assert_int_equal((int64_t)x[10], -1);
	assert_true(fake_log_contains("[vm0] >"));
}

/* A guest writing without end through DBCN is taken a ring at a time: each call copies and
 * prints a bounded amount, and the guest continues with the rest. */
static void test_console_write_is_bounded(void **state)
{
	static char big[4096];
	uint64_t off = 0, calls = 0;

	(void)state;
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = i % 80 == 79 ? '\n' : 'x';
	assert_int_equal(vm_write_guest(&vm, gpa(FIX_RAM_GPA + 0x10000), big, sizeof(big)), PV_OK);
	while (off < sizeof(big)) {
		call(VSBI_EXT_DBCN, 0, sizeof(big) - off, FIX_RAM_GPA + 0x10000 + off, 0);
		assert_int_equal(x[10], 0);
		assert_true(x[11] > 0 && x[11] <= VM_CONSOLE_PIECE);
		off += x[11];
		calls++;
	}
	assert_true(calls > 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_base, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hypercall_extension, setup, teardown),
		cmocka_unit_test_setup_teardown(test_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ipi, setup, teardown),
		cmocka_unit_test_setup_teardown(test_legacy_ipi_reads_the_mask_from_guest_memory,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rfence, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hsm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hsm_suspend, setup, teardown),
		cmocka_unit_test_setup_teardown(test_srst, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_input, setup, teardown),
		cmocka_unit_test_setup_teardown(test_console_write_is_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
