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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipa_from_hpfar_and_far),
		cmocka_unit_test(test_isv_store_and_loads),
		cmocka_unit_test(test_ldst_instructions_without_syndrome),
		cmocka_unit_test(test_sysreg_icc_sgi1r_write),
		cmocka_unit_test(test_hvc_function_ids),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
