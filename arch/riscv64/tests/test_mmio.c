// SPDX-License-Identifier: MIT
/*
 * The riscv64 MMIO exit's decisions (arch/riscv64/mmio.c): from a guest-page fault's report and
 * the trapping instruction (or the trap its read took) to the core's exit, a fault for the guest
 * or a stop. The instruction reads are scripted: each test says what the hart's read returns.
 */
#include "pv_test.h"

#include <riscv64/csr.h>
#include <riscv64/mmio.h>
#include <string.h>

#define INSN_LW_A0_A1	0x0005a503u /* lw a0,0(a1) */
#define INSN_LBU_T0_A1	0x0005c283u /* lbu t0,0(a1) */
#define INSN_SD_S1_A0	0x00953023u /* sd s1,0(a0) */
#define INSN_SB_ZERO_A0 0x00050023u /* sb zero,0(a0) */
#define INSN_C_LW	0x4188u	    /* c.lw a0,0(a1) */
#define INSN_FLW	0x00052507u /* flw fa0,0(a0) */
#define INSN_AMOADD	0x00b6252fu /* amoadd.w a0,a1,(a2) */

/* The scripted read of the instruction. */
static struct {
	unsigned calls;
	bool ok;
	uint32_t insn;
	struct riscv_gfault fault;
} rd;

static bool scripted_fetch(struct riscv_vcpu *vc, uint32_t *insn, struct riscv_gfault *fault)
{
	(void)vc;
	rd.calls++;
	if (!rd.ok) {
		*fault = rd.fault;
		return false;
	}
	*insn = rd.insn;
	return true;
}

static struct riscv_vcpu vc;
static struct vcpu_exit exit_;
static struct riscv_fetch_outcome out;

/* A load (or store) guest-page fault at guest-virtual 0xc0001003, guest-physical 0x10001003. */
static int setup(void **state)
{
	(void)state;
	memset(&vc, 0, sizeof(vc));
	memset(&exit_, 0xa5, sizeof(exit_));
	memset(&out, 0, sizeof(out));
	memset(&rd, 0, sizeof(rd));
	vc.pc = 0xc0000000;
	vc.stval = 0xc0001003;
	vc.htval = 0x10001003ULL >> 2;
	for (unsigned i = 1; i < 32; i++)
		vc.x[i] = 0x1111111111111111ULL * (i % 16);
	return 0;
}

static void fetch_returns(uint32_t insn)
{
	rd.ok = true;
	rd.insn = insn;
}

static void fetch_faults(uint64_t cause, uint64_t tval, uint64_t htval)
{
	rd.ok = false;
	rd.fault = (struct riscv_gfault){ cause, tval, htval };
}

static void assert_mmio(bool write, uint8_t width, bool sign, uint8_t reg, unsigned len)
{
	assert_int_equal(exit_.kind, VCPU_EXIT_MMIO);
	assert_int_equal(exit_.mmio.addr.raw, 0x10001003);
	assert_int_equal(exit_.mmio.write, write);
	assert_int_equal(exit_.mmio.width, width);
	assert_int_equal(exit_.mmio.sign_extend, sign);
	assert_int_equal(exit_.mmio.reg, reg);
	assert_int_equal(exit_.mmio.reg_width, 8);
	assert_int_equal(vc.exit_len, len);
}

static void assert_s2(uint64_t gpa_raw, uint8_t access)
{
	assert_int_equal(exit_.kind, VCPU_EXIT_S2_FAULT);
	assert_int_equal(exit_.fault.addr.raw, gpa_raw);
	assert_int_equal(exit_.fault.access, access);
	assert_int_equal(exit_.fault.pc, vc.pc);
}

/* ---- the verdict on a failed read, for every cause ---- */

static void test_verdict_every_cause(void **state)
{
	(void)state;
	for (uint64_t cause = 0; cause < 64; cause++) {
		struct riscv_gfault f = { cause, 0xc0000ffe, 0x2345678 };
		struct riscv_fetch_outcome o;

		riscv_fetch_verdict(&f, &o);
		print_message("cause %llu -> verdict %d\n", (unsigned long long)cause, o.verdict);
		switch (cause) {
		case EXC_INST_GUEST_PAGE_FAULT:
		case EXC_LOAD_GUEST_PAGE_FAULT:
		case EXC_STORE_GUEST_PAGE_FAULT:
			assert_int_equal(o.verdict, RISCV_FETCH_S2_FAULT);
			assert_int_equal(o.gpa, (0x2345678ULL << 2) | 2);
			break;
		case EXC_INST_PAGE_FAULT:
		case EXC_LOAD_PAGE_FAULT:
		case EXC_STORE_PAGE_FAULT:
			assert_int_equal(o.verdict, RISCV_FETCH_INJECT);
			assert_int_equal(o.cause, EXC_INST_PAGE_FAULT);
			break;
		case EXC_INST_ACCESS:
		case EXC_LOAD_ACCESS:
		case EXC_STORE_ACCESS:
			assert_int_equal(o.verdict, RISCV_FETCH_INJECT);
			assert_int_equal(o.cause, EXC_INST_ACCESS);
			break;
		default:
			/* Misaligned, illegal, breakpoints, calls, virtual instruction, reserved. */
			assert_int_equal(o.verdict, RISCV_FETCH_STOP);
			break;
		}
		assert_int_equal(o.tval, 0xc0000ffe);
		assert_int_equal(o.read_cause, cause);
	}
}

/* ---- decoding through a successful read ---- */

static void test_load_is_emulated(void **state)
{
	(void)state;
	fetch_returns(INSN_LW_A0_A1);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_mmio(false, 4, true, 10, 4);
	assert_int_equal(exit_.mmio.data, 0);
	assert_int_equal(rd.calls, 1);
	/* Remembered for the short path. */
	assert_true(riscv_mmio_memo_hit(&vc, INSN_LW_A0_A1, false));
	assert_false(riscv_mmio_memo_hit(&vc, INSN_LW_A0_A1, true));
}

static void test_store_carries_its_register(void **state)
{
	(void)state;
	fetch_returns(INSN_SD_S1_A0);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, true, scripted_fetch, &out));
	assert_mmio(true, 8, false, 9, 4);
	assert_int_equal(exit_.mmio.data, vc.x[9]);

	setup(state);
	fetch_returns(INSN_SB_ZERO_A0);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, true, scripted_fetch, &out));
	assert_mmio(true, 1, false, 0, 4);
	assert_int_equal(exit_.mmio.data, 0); /* x0, whatever the array holds */
}

/* A compressed load: the upper half of the read is the next instruction and must not matter. */
static void test_compressed_load(void **state)
{
	(void)state;
	fetch_returns(0xdead0000u | INSN_C_LW);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_mmio(false, 4, true, 10, 2);
}

/* An instruction that is no integer load or store, or goes the other way than the trap says
 * (rewritten by another vCPU between the trap and the read): never emulated. */
static void test_refused_instructions(void **state)
{
	static const struct {
		uint32_t insn;
		bool store; /* what the trap said */
	} refused[] = {
		{ INSN_FLW, false },	 { INSN_AMOADD, true },	   { 0, false },
		{ INSN_LW_A0_A1, true }, { INSN_SD_S1_A0, false }, { INSN_C_LW, true },
		{ 0x00007003u, false }, /* load funct3 7: reserved */
	};

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		setup(state);
		fetch_returns(refused[i].insn);
		assert_true(
			riscv_mmio_exit_slow(&vc, &exit_, refused[i].store, scripted_fetch, &out));
		assert_s2(0x10001003, refused[i].store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
	}
}

/* The memo is used only for the same bits in the same direction. */
static void test_memo(void **state)
{
	(void)state;
	vc.mem_insn = INSN_LW_A0_A1;
	vc.mem_decoded = (struct riscv_mem_insn){ .store = false, .width = 2, .reg = 7, .len = 4 };
	fetch_returns(INSN_LW_A0_A1);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_mmio(false, 2, false, 7, 4); /* the remembered result, not a fresh decode */

	setup(state);
	vc.mem_insn = INSN_LW_A0_A1;
	vc.mem_decoded = (struct riscv_mem_insn){ .store = false, .width = 4, .reg = 10, .len = 4 };
	fetch_returns(INSN_LBU_T0_A1);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_mmio(false, 1, false, 5, 4);
	assert_int_equal(vc.mem_insn, INSN_LBU_T0_A1);

	/* A refused instruction does not replace what is remembered. */
	setup(state);
	vc.mem_insn = INSN_LW_A0_A1;
	vc.mem_decoded = (struct riscv_mem_insn){ .store = false, .width = 4, .reg = 10, .len = 4 };
	fetch_returns(INSN_FLW);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_int_equal(exit_.kind, VCPU_EXIT_S2_FAULT);
	assert_int_equal(vc.mem_insn, INSN_LW_A0_A1);
	assert_false(riscv_mmio_memo_hit(&vc, 0, false));
}

/* ---- htinst ---- */

/* A transformed instruction is used as is: guest memory is not read. */
static void test_htinst_transformed(void **state)
{
	(void)state;
	/* sd s1,0(a0) with its address field cleared, bit 1 set: a 32-bit original. */
	vc.htinst = INSN_SD_S1_A0 & ~(0x1fu << 15);
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, true, scripted_fetch, &out));
	assert_int_equal(rd.calls, 0);
	assert_mmio(true, 8, false, 9, 4);

	/* Bit 1 clear: the original was compressed (c.sd), so the pc moves by 2. */
	setup(state);
	vc.htinst = (INSN_SD_S1_A0 & ~(0x1fu << 15)) & ~2u;
	assert_true(riscv_mmio_exit_slow(&vc, &exit_, true, scripted_fetch, &out));
	assert_int_equal(rd.calls, 0);
	assert_mmio(true, 8, false, 9, 2);
}

/* A pseudoinstruction: the guest's own page-table walk faulted, not its load or store. */
static void test_htinst_implicit_access(void **state)
{
	static const uint64_t pseudo[] = { 0x2000, 0x3000, 0x2020, 0x3020 };

	(void)state;
	for (size_t i = 0; i < sizeof(pseudo) / sizeof(pseudo[0]); i++) {
		setup(state);
		vc.htinst = pseudo[i];
		fetch_returns(INSN_LW_A0_A1);
		assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
		assert_int_equal(rd.calls, 0);
		assert_s2(0x10001003, VCPU_ACCESS_READ);
	}
}

/* ---- a read of the instruction that faults ---- */

/* The instruction's page is no guest RAM: an exec fault there for the core, and the guest is
 * told the faulting instruction address if the core injects it. */
static void test_read_guest_page_fault(void **state)
{
	static const uint64_t causes[] = { EXC_LOAD_GUEST_PAGE_FAULT, EXC_INST_GUEST_PAGE_FAULT };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		setup(state);
		fetch_faults(causes[i], 0xc0000ffe, 0x80000ffeULL >> 2);
		assert_true(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
		assert_s2(0x80000ffe, VCPU_ACCESS_EXEC);
		assert_int_equal(vc.stval, 0xc0000ffe);
	}
}

static void test_read_page_fault_is_injected(void **state)
{
	static const uint64_t causes[] = { EXC_LOAD_PAGE_FAULT, EXC_INST_PAGE_FAULT };

	(void)state;
	for (size_t i = 0; i < 2; i++) {
		setup(state);
		exit_.kind = VCPU_EXIT_HALT;
		fetch_faults(causes[i], 0xc0000002, 0);
		assert_false(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
		assert_int_equal(out.verdict, RISCV_FETCH_INJECT);
		assert_int_equal(out.cause, EXC_INST_PAGE_FAULT);
		assert_int_equal(out.tval, 0xc0000002);
		assert_int_equal(exit_.kind, VCPU_EXIT_HALT); /* untouched */
		assert_int_equal(vc.mem_insn, 0);
	}
}

/* What QEMU 7.2 reports for a VS-stage refusal of HLVX (the attack of an execute-only page). */
static void test_read_access_fault_is_injected(void **state)
{
	(void)state;
	fetch_faults(EXC_LOAD_ACCESS, 0xc0000000, 0x4000400);
	assert_false(riscv_mmio_exit_slow(&vc, &exit_, true, scripted_fetch, &out));
	assert_int_equal(out.verdict, RISCV_FETCH_INJECT);
	assert_int_equal(out.cause, EXC_INST_ACCESS);
	assert_int_equal(out.tval, 0xc0000000);
}

static void test_read_misaligned_stops(void **state)
{
	(void)state;
	fetch_faults(EXC_LOAD_MISALIGNED, 0xc0000001, 0);
	assert_false(riscv_mmio_exit_slow(&vc, &exit_, false, scripted_fetch, &out));
	assert_int_equal(out.verdict, RISCV_FETCH_STOP);
	assert_int_equal(out.tval, 0xc0000001);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_verdict_every_cause, setup),
		cmocka_unit_test_setup(test_load_is_emulated, setup),
		cmocka_unit_test_setup(test_store_carries_its_register, setup),
		cmocka_unit_test_setup(test_compressed_load, setup),
		cmocka_unit_test_setup(test_refused_instructions, setup),
		cmocka_unit_test_setup(test_memo, setup),
		cmocka_unit_test_setup(test_htinst_transformed, setup),
		cmocka_unit_test_setup(test_htinst_implicit_access, setup),
		cmocka_unit_test_setup(test_read_guest_page_fault, setup),
		cmocka_unit_test_setup(test_read_page_fault_is_injected, setup),
		cmocka_unit_test_setup(test_read_access_fault_is_injected, setup),
		cmocka_unit_test_setup(test_read_misaligned_stops, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
