// SPDX-License-Identifier: MIT
/* Syndrome and instruction decoding of the aarch64 backend against the Arm ARM encodings. */
#include "pv_test.h"

#include <a64/decode.h>
#include <vm/hypercall.h>

static uint64_t regs[31];

static void reset_regs(void)
{
	for (unsigned i = 0; i < 31; i++)
		regs[i] = 0x1000 + i;
}

/* ESR for an EC 0x24 abort with ISV: SAS, SSE, SRT, SF, WnR, DFSC translation level 3. */
static uint64_t dabt_esr(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	return (0x24ULL << 26) | PV_BIT(25) | A64_DABT_ISV | ((uint64_t)sas << 22) |
	       (sse ? A64_DABT_SSE : 0) | ((uint64_t)srt << 16) | (sf ? A64_DABT_SF : 0) |
	       (wnr ? A64_DABT_WNR : 0) | 0x07u;
}

static void test_ipa_from_hpfar_and_far(void **state)
{
	(void)state;
	/* HPFAR.FIPA holds IPA[47:12] at bits 43:4. */
	assert_int_equal(a64_abort_ipa(0x0b00000ULL << 4 >> 12 << 4, 0xffff000000000123ULL),
			 0x0b000123ULL);
	assert_int_equal(a64_abort_ipa(0x81000ULL << 4, 0x81000008ULL), 0x81000008ULL);
}

static void test_isv_store_and_loads(void **state)
{
	struct vcpu_exit e = { 0 };
	(void)state;
	reset_regs();

	a64_decode_dabt_isv(dabt_esr(2, false, 5, false, true), 0x9000000, regs, &e);
	assert_int_equal(e.kind, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.width, 4);
	assert_true(e.mmio.write);
	assert_int_equal(e.mmio.reg, 5);
	assert_int_equal(e.mmio.data, 0x1005);

	/* LDRSB x7: 1 byte, sign-extended into a 64-bit register. */
	a64_decode_dabt_isv(dabt_esr(0, true, 7, true, false), 0x9000010, regs, &e);
	assert_false(e.mmio.write);
	assert_true(e.mmio.sign_extend);
	assert_int_equal(e.mmio.width, 1);
	assert_int_equal(e.mmio.reg_width, 8);

	/* LDRSH w3: sign-extended into a W register. */
	a64_decode_dabt_isv(dabt_esr(1, true, 3, false, false), 0x9000010, regs, &e);
	assert_int_equal(e.mmio.width, 2);
	assert_int_equal(e.mmio.reg_width, 4);

	/* STR xzr stores zero, whatever x31 would be elsewhere. */
	a64_decode_dabt_isv(dabt_esr(3, false, 31, true, true), 0x9000000, regs, &e);
	assert_int_equal(e.mmio.width, 8);
	assert_int_equal(e.mmio.data, 0);
}

static void test_ldst_instructions_without_syndrome(void **state)
{
	struct vcpu_exit e = { 0 };
	struct a64_writeback wb;
	(void)state;
	reset_regs();

	/* str w1, [x2], #4 (post-index): 0xb8004441 */
	assert_true(a64_decode_ldst(0xb8004441u, 0x100, regs, &e, &wb));
	assert_true(e.mmio.write);
	assert_int_equal(e.mmio.width, 4);
	assert_int_equal(e.mmio.data, 0x1001);
	assert_true(wb.valid);
	assert_int_equal(wb.reg, 2);
	assert_int_equal(wb.value, 0x1002 + 4);

	/* ldr x3, [x4, #-8]! (pre-index): 0xf85f8c83 */
	assert_true(a64_decode_ldst(0xf85f8c83u, 0x100, regs, &e, &wb));
	assert_false(e.mmio.write);
	assert_int_equal(e.mmio.width, 8);
	assert_int_equal(e.mmio.reg, 3);
	assert_true(wb.valid);
	assert_int_equal(wb.value, 0x1004 - 8);

	/* ldrsh w5, [x6, #2] (unsigned offset): 0x79c004c5 */
	assert_true(a64_decode_ldst(0x79c004c5u, 0x100, regs, &e, &wb));
	assert_true(e.mmio.sign_extend);
	assert_int_equal(e.mmio.reg_width, 4);
	assert_int_equal(e.mmio.width, 2);
	assert_false(wb.valid);

	/* ldrsb x0, [x1] : 0x39800020 ; ldrb w0, [x1, x2] : 0x38626820 */
	assert_true(a64_decode_ldst(0x39800020u, 0x100, regs, &e, &wb));
	assert_int_equal(e.mmio.reg_width, 8);
	assert_true(a64_decode_ldst(0x38626820u, 0x100, regs, &e, &wb));
	assert_false(e.mmio.sign_extend);
	assert_int_equal(e.mmio.width, 1);

	/* Refused: ldp x0, x1, [x2]; a SIMD ldr q0; write-back of SP; ldr x2, [x2], #8. */
	assert_false(a64_decode_ldst(0xa9400440u, 0x100, regs, &e, &wb));
	assert_false(a64_decode_ldst(0x3dc00000u, 0x100, regs, &e, &wb));
	assert_false(a64_decode_ldst(0xf84087e0u, 0x100, regs, &e, &wb));
	assert_false(a64_decode_ldst(0xf8408442u, 0x100, regs, &e, &wb));
	/* prfm pldl1keep, [x0] is not an access to emulate. */
	assert_false(a64_decode_ldst(0xf9800000u, 0x100, regs, &e, &wb));
	/* Register offset with option<1> = 0 (UXTB, UXTH, SXTB, SXTH) is unallocated, not a load
	 * (found by fuzzing against the Arm ARM): ldrb w0, [x1, w2, uxtw] is 0x38624820, the same
	 * with option 001 is 0x38622820. */
	assert_true(a64_decode_ldst(0x38624820u, 0x100, regs, &e, &wb));
	assert_false(a64_decode_ldst(0x38622820u, 0x100, regs, &e, &wb));
	assert_false(a64_decode_ldst(0x38ef2860u, 0x100, regs, &e, &wb));
}

static void test_sysreg_icc_sgi1r_write(void **state)
{
	struct vcpu_exit e = { 0 };
	(void)state;
	reset_regs();
	/* msr ICC_SGI1R_EL1, x9: Op0 3, Op2 5, Op1 0, CRn 12, Rt 9, CRm 11, direction write. */
	uint64_t iss = (3u << 20) | (5u << 17) | (0u << 14) | (12u << 10) | (9u << 5) | (11u << 1);
	a64_decode_sysreg((0x18ULL << 26) | iss, regs, &e);
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	assert_int_equal(e.sysreg.id, A64_SYSREG_ID(3, 0, 12, 11, 5));
	assert_true(e.sysreg.write);
	assert_int_equal(e.sysreg.data, 0x1009);
	a64_decode_sysreg((0x18ULL << 26) | iss | 1u, regs, &e);
	assert_false(e.sysreg.write);
	assert_int_equal(e.sysreg.reg, 9);
}

static void test_hvc_function_ids(void **state)
{
	struct vcpu_exit e = { 0 };
	(void)state;
	reset_regs();
	regs[0] = 0xc6000000u | PV_HC_ECHO;
	assert_true(a64_decode_hvc(regs, &e));
	assert_int_equal(e.kind, VCPU_EXIT_HYPERCALL);
	assert_int_equal(e.hcall.nr, PV_HC_ECHO);
	assert_int_equal(e.hcall.args[0], 0x1001);
	assert_int_equal(e.hcall.args[5], 0x1006);
	regs[0] = 0xffffffff00000000ULL | 0xc6007777u; /* upper half ignored (w0) */
	assert_true(a64_decode_hvc(regs, &e));
	assert_int_equal(e.hcall.nr, 0x7777);
	regs[0] = 0x84000000u; /* PSCI, not ours */
	assert_false(a64_decode_hvc(regs, &e));
}

/* ---- the data-abort path: a64_decode_dabt with a scripted instruction fetch ---- */
static struct {
	bool ok;
	uint32_t insn;
	unsigned calls;
} fetch;

static bool fetch_insn(void *ctx, uint32_t *insn)
{
	assert_ptr_equal(ctx, &fetch);
	fetch.calls++;
	*insn = fetch.insn;
	return fetch.ok;
}

/* EC 0x24, IL set, no syndrome, translation fault level 3, WnR as given. */
static uint64_t dabt_nosyndrome(bool wnr)
{
	return (0x24ULL << 26) | ESR_IL | (wnr ? A64_DABT_WNR : 0) | 0x07u;
}

static enum a64_dabt_kind decode(uint64_t esr, uint64_t pstate, bool fetch_ok, uint32_t insn,
				 struct vcpu_exit *e, struct a64_writeback *wb)
{
	const struct a64_dabt ab = {
		.esr = esr, .ipa = 0x0b000010ULL, .pc = 0x80001000ULL, .pstate = pstate, .x = regs
	};

	fetch.ok = fetch_ok;
	fetch.insn = insn;
	fetch.calls = 0;
	*e = (struct vcpu_exit){ .kind = VCPU_EXIT_NONE };
	return a64_decode_dabt(&ab, fetch_insn, &fetch, e, wb);
}

static void test_dabt_with_syndrome(void **state)
{
	struct vcpu_exit e;
	struct a64_writeback wb = { .valid = true };
	(void)state;
	reset_regs();

	assert_int_equal(decode(dabt_esr(2, false, 5, false, true), 0x3c5, true, 0, &e, &wb),
			 A64_DABT_MMIO);
	assert_int_equal(e.kind, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.addr.raw, 0x0b000010ULL);
	assert_true(e.mmio.write);
	assert_int_equal(e.mmio.data, 0x1005);
	assert_false(wb.valid);
	assert_int_equal(fetch.calls, 0);
	/* AArch32 EL0 (a user task of the guest) with a valid syndrome is emulated the same way. */
	assert_int_equal(
		decode(dabt_esr(1, false, 3, false, false) & ~ESR_IL, 0x10, true, 0, &e, &wb),
		A64_DABT_MMIO);
	assert_int_equal(e.mmio.width, 2);
}

static void test_dabt_instruction_fetch(void **state)
{
	struct vcpu_exit e;
	struct a64_writeback wb;
	(void)state;
	reset_regs();

	/* str w1, [x2], #4 and the syndrome says write: emulated, with its write-back. */
	assert_int_equal(decode(dabt_nosyndrome(true), 0x3c5, true, 0xb8004441u, &e, &wb),
			 A64_DABT_MMIO);
	assert_int_equal(fetch.calls, 1);
	assert_true(e.mmio.write);
	assert_int_equal(e.mmio.addr.raw, 0x0b000010ULL);
	assert_int_equal(e.mmio.data, 0x1001);
	assert_true(wb.valid);
	assert_int_equal(wb.reg, 2);
	/* ldr x3, [x4, #-8]! and the syndrome says read. */
	assert_int_equal(decode(dabt_nosyndrome(false), 0x3c5, true, 0xf85f8c83u, &e, &wb),
			 A64_DABT_MMIO);
	assert_false(e.mmio.write);
	assert_true(wb.valid);
}

static void test_dabt_direction_must_match(void **state)
{
	struct vcpu_exit e;
	struct a64_writeback wb;
	(void)state;
	reset_regs();

	/* The trap was a write, the instruction now at the PC is a load (rewritten meanwhile):
	 * neither is emulated; the guest gets its abort for the write, without write-back. */
	assert_int_equal(decode(dabt_nosyndrome(true), 0x3c5, true, 0xf85f8c83u, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(e.kind, VCPU_EXIT_S2_FAULT);
	assert_int_equal(e.fault.access, VCPU_ACCESS_WRITE);
	assert_int_equal(e.fault.addr.raw, 0x0b000010ULL);
	assert_int_equal(e.fault.pc, 0x80001000ULL);
	assert_false(wb.valid);
	/* A read trap and a store at the PC. */
	assert_int_equal(decode(dabt_nosyndrome(false), 0x3c5, true, 0xb8004441u, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(e.fault.access, VCPU_ACCESS_READ);
	assert_false(wb.valid);
}

static void test_dabt_faults(void **state)
{
	struct vcpu_exit e;
	struct a64_writeback wb;
	(void)state;
	reset_regs();

	/* The instruction cannot be read (stage 1 or RAM), or is not one we emulate (ldp). */
	assert_int_equal(decode(dabt_nosyndrome(false), 0x3c5, false, 0xf85f8c83u, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(decode(dabt_nosyndrome(false), 0x3c5, true, 0xa9400440u, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(e.fault.access, VCPU_ACCESS_READ);
	/* AArch32 without a syndrome: its instruction is not A64, it is not fetched. */
	assert_int_equal(decode(dabt_nosyndrome(true), 0x10, true, 0xb8004441u, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(fetch.calls, 0);
	/* A stage-1 walk outside RAM is a read of the tables, whatever WnR says. */
	assert_int_equal(decode(dabt_nosyndrome(true) | A64_DABT_S1PTW, 0x3c5, true, 0, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(e.fault.access, VCPU_ACCESS_READ);
	assert_int_equal(fetch.calls, 0);
	/* A permission fault (FSC 0x0f) with a valid syndrome is not MMIO. */
	assert_int_equal(decode((dabt_esr(2, false, 5, false, true) & ~0x3fULL) | 0x0f, 0x3c5, true,
				0, &e, &wb),
			 A64_DABT_FAULT);
	assert_int_equal(e.fault.access, VCPU_ACCESS_WRITE);
	/* Cache maintenance where there is no RAM: skipped. */
	assert_int_equal(decode(dabt_nosyndrome(true) | A64_DABT_CM, 0x3c5, true, 0, &e, &wb),
			 A64_DABT_SKIP);
}

static void test_instruction_length_and_vectors(void **state)
{
	(void)state;
	/* ESR.IL: 0 for a 16-bit T32 instruction. */
	assert_int_equal(a64_insn_len(dabt_esr(2, false, 5, false, true)), 4);
	assert_int_equal(a64_insn_len(dabt_esr(2, false, 5, false, true) & ~ESR_IL), 2);
	assert_int_equal(a64_insn_len(0x01ULL << 26), 2);
	/* EL1h, EL1t, AArch64 EL0, AArch32 EL0. */
	assert_int_equal(a64_sync_vector(0x80000800ULL, 0x3c5), 0x80000a00ULL);
	assert_int_equal(a64_sync_vector(0x80000800ULL, 0x3c4), 0x80000800ULL);
	assert_int_equal(a64_sync_vector(0x80000800ULL, 0x0), 0x80000c00ULL);
	assert_int_equal(a64_sync_vector(0x80000800ULL, 0x10), 0x80000e00ULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipa_from_hpfar_and_far),
		cmocka_unit_test(test_isv_store_and_loads),
		cmocka_unit_test(test_ldst_instructions_without_syndrome),
		cmocka_unit_test(test_sysreg_icc_sgi1r_write),
		cmocka_unit_test(test_hvc_function_ids),
		cmocka_unit_test(test_dabt_with_syndrome),
		cmocka_unit_test(test_dabt_instruction_fetch),
		cmocka_unit_test(test_dabt_direction_must_match),
		cmocka_unit_test(test_dabt_faults),
		cmocka_unit_test(test_instruction_length_and_vectors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
