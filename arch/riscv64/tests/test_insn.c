// SPDX-License-Identifier: MIT
/* The MMIO instruction decoder: every integer load/store form, compressed ones included, with
 * encodings taken from the assembler's output for the instruction named beside each. */
#include "pv_test.h"

#include <riscv64/insn.h>

struct insn_case {
	const char *text;
	uint32_t insn;
	bool store, sign;
	uint8_t width, reg, len;
};

static const struct insn_case insn_cases[] = {
	{ "lb a0,0(a1)", 0x00058503, false, true, 1, 10, 4 },
	{ "lh t0,4(s0)", 0x00441283, false, true, 2, 5, 4 },
	{ "lw a5,-8(sp)", 0xff812783, false, true, 4, 15, 4 },
	{ "ld s11,16(a0)", 0x01053d83, false, false, 8, 27, 4 },
	{ "lbu ra,0(sp)", 0x00014083, false, false, 1, 1, 4 },
	{ "lhu a2,2(a3)", 0x0026d603, false, false, 2, 12, 4 },
	{ "lwu t6,0(t5)", 0x000f6f83, false, false, 4, 31, 4 },
	{ "lw zero,0(a0)", 0x00052003, false, true, 4, 0, 4 },
	{ "sb a0,0(a1)", 0x00a58023, true, false, 1, 10, 4 },
	{ "sh t1,6(a2)", 0x00661323, true, false, 2, 6, 4 },
	{ "sw s1,-4(s0)", 0xfe942e23, true, false, 4, 9, 4 },
	{ "sd ra,8(sp)", 0x00113423, true, false, 8, 1, 4 },
	{ "c.lw a0,0(a1)", 0x4188, false, true, 4, 10, 2 },
	{ "c.ld s1,8(a5)", 0x6784, false, false, 8, 9, 2 },
	{ "c.sw a2,4(a3)", 0xc2d0, true, false, 4, 12, 2 },
	{ "c.sd s0,16(a4)", 0xeb00, true, false, 8, 8, 2 },
	{ "c.lwsp ra,12(sp)", 0x40b2, false, true, 4, 1, 2 },
	{ "c.ldsp t6,24(sp)", 0x6fe2, false, false, 8, 31, 2 },
	{ "c.swsp s5,4(sp)", 0xc256, true, false, 4, 21, 2 },
	{ "c.sdsp a7,32(sp)", 0xf046, true, false, 8, 17, 2 },
	{ "c.sdsp ra,8(sp)", 0xe406, true, false, 8, 1, 2 },
};

static void test_every_form(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(insn_cases) / sizeof(insn_cases[0]); i++) {
		const struct insn_case *c = &insn_cases[i];
		struct riscv_mem_insn m = { 0 };

		print_message("%s\n", c->text);
		assert_true(riscv_decode_mem(c->insn, &m));
		assert_int_equal(m.store, c->store);
		assert_int_equal(m.sign_extend, c->sign);
		assert_int_equal(m.width, c->width);
		assert_int_equal(m.reg, c->reg);
		assert_int_equal(m.len, c->len);
		assert_int_equal(riscv_insn_len(c->insn & 0xffff), c->len);
	}
}

/* The upper half of a fetched compressed instruction is the next instruction: it must not
 * change the result. */
static void test_compressed_ignores_upper_half(void **state)
{
	struct riscv_mem_insn m = { 0 };

	(void)state;
	assert_true(riscv_decode_mem(0xdead0000u | 0x4188u, &m));
	assert_int_equal(m.len, 2);
	assert_int_equal(m.reg, 10);
	assert_int_equal(m.width, 4);
}

static void test_refused_forms(void **state)
{
	static const uint32_t refused[] = {
		0x00052507, /* flw fa0,0(a0) */
		0x00b5b027, /* fsd fa1,0(a1) */
		0x00b6252f, /* amoadd.w a0,a1,(a2) */
		0x2588,	    /* c.fld fa0,8(a1) */
		0xa588,	    /* c.fsd fa0,8(a1) */
		0x0000,	    /* illegal (all zero) */
		0x4002,	    /* c.lwsp with rd = x0: reserved */
		0x00007003, /* load funct3 7: reserved */
		0x00004023, /* store funct3 4: not RV64 */
		0x10500073, /* wfi */
		0x0001,	    /* c.nop (quadrant 1) */
	};
	struct riscv_mem_insn m;

	(void)state;
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++)
		assert_false(riscv_decode_mem(refused[i], &m));
}

static void test_htinst(void **state)
{
	uint32_t insn = 0;
	unsigned len = 0;

	(void)state;
	assert_false(riscv_htinst_insn(0, &insn, &len));
	/* Pseudoinstructions of implicit accesses have bit 0 clear. */
	assert_false(riscv_htinst_insn(0x00003000, &insn, &len));
	/* Transformed lw a0,0(a1) from a 32-bit original (bit 1 set). */
	assert_true(riscv_htinst_insn(0x0005a503, &insn, &len));
	assert_int_equal(len, 4);
	assert_int_equal(insn, 0x0005a503);
	/* The same from a compressed original: bit 1 clear, length 2. */
	assert_true(riscv_htinst_insn(0x0005a501, &insn, &len));
	assert_int_equal(len, 2);
	assert_int_equal(insn, 0x0005a503);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_form),
		cmocka_unit_test(test_compressed_ignores_upper_half),
		cmocka_unit_test(test_refused_forms),
		cmocka_unit_test(test_htinst),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
