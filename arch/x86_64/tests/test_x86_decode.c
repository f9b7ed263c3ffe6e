// SPDX-License-Identifier: MIT
/* The MMIO instruction decoder: every accepted form, prefixes, widths, refusals. Encodings from
 * the SDM's opcode tables, written out by hand. */
#include "pv_test.h"
#include "x86_decode.h"

#define DECODE(mode, ...)                                                                          \
	({                                                                                         \
		static const uint8_t code_[] = { __VA_ARGS__ };                                    \
		int r_ = x86_decode_mmio(code_, sizeof(code_), mode, &insn);                       \
		r_;                                                                                \
	})

static struct x86_mmio_insn insn;

static void check(unsigned len, unsigned width, bool write, bool sign, unsigned reg,
		  unsigned reg_width)
{
	assert_int_equal(insn.len, len);
	assert_int_equal(insn.width, width);
	assert_int_equal(insn.write, write);
	assert_int_equal(insn.sign_extend, sign);
	assert_int_equal(insn.reg, reg);
	assert_int_equal(insn.reg_width, reg_width);
}

static void test_mov_loads(void **state)
{
	(void)state;
	/* mov (%rdi),%eax */
	assert_int_equal(DECODE(X86_MODE_64, 0x8b, 0x07), PV_OK);
	check(2, 4, false, false, 0, 4);
	/* mov (%rdi),%rax */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0x8b, 0x07), PV_OK);
	check(3, 8, false, false, 0, 8);
	/* mov (%rdi),%r9w: 66 REX.R */
	assert_int_equal(DECODE(X86_MODE_64, 0x66, 0x44, 0x8b, 0x0f), PV_OK);
	check(4, 2, false, false, 9, 2);
	/* mov 0x10(%rax),%cl */
	assert_int_equal(DECODE(X86_MODE_64, 0x8a, 0x48, 0x10), PV_OK);
	check(3, 1, false, false, 1, 1);
	assert_false(insn.high8);
	/* mov (%rax),%ah: no REX, reg 4 = AH */
	assert_int_equal(DECODE(X86_MODE_64, 0x8a, 0x20), PV_OK);
	check(2, 1, false, false, 0, 1);
	assert_true(insn.high8);
	/* mov (%rax),%spl: REX makes reg 4 SPL */
	assert_int_equal(DECODE(X86_MODE_64, 0x40, 0x8a, 0x20), PV_OK);
	check(3, 1, false, false, 4, 1);
	assert_false(insn.high8);
}

static void test_mov_stores(void **state)
{
	(void)state;
	/* mov %esi,(%rdi) */
	assert_int_equal(DECODE(X86_MODE_64, 0x89, 0x37), PV_OK);
	check(2, 4, true, false, 6, 4);
	/* mov %sil,(%rdi): REX 40 */
	assert_int_equal(DECODE(X86_MODE_64, 0x40, 0x88, 0x37), PV_OK);
	check(3, 1, true, false, 6, 1);
	/* mov %r15,0x12345678(%rip) */
	assert_int_equal(DECODE(X86_MODE_64, 0x4c, 0x89, 0x3d, 0x78, 0x56, 0x34, 0x12), PV_OK);
	check(7, 8, true, false, 15, 8);
	/* mov %dx,(%rax,%rbx,4) with SIB */
	assert_int_equal(DECODE(X86_MODE_64, 0x66, 0x89, 0x14, 0x98), PV_OK);
	check(4, 2, true, false, 2, 2);
	/* mov %eax,0x100(,%rcx,8): SIB with no base, disp32 */
	assert_int_equal(DECODE(X86_MODE_64, 0x89, 0x04, 0xcd, 0x00, 0x01, 0x00, 0x00), PV_OK);
	check(7, 4, true, false, 0, 4);
	/* mov %bh,-8(%rbp) */
	assert_int_equal(DECODE(X86_MODE_64, 0x88, 0x7d, 0xf8), PV_OK);
	check(3, 1, true, false, 3, 1);
	assert_true(insn.high8);
}

static void test_mov_immediates(void **state)
{
	(void)state;
	/* movb $0x5a,(%rsi) */
	assert_int_equal(DECODE(X86_MODE_64, 0xc6, 0x06, 0x5a), PV_OK);
	check(3, 1, true, false, 0, 1);
	assert_true(insn.has_imm);
	assert_int_equal(insn.imm, 0x5a);
	/* movw $0xbeef,4(%rdi) */
	assert_int_equal(DECODE(X86_MODE_64, 0x66, 0xc7, 0x47, 0x04, 0xef, 0xbe), PV_OK);
	check(6, 2, true, false, 0, 2);
	assert_int_equal(insn.imm, 0xbeef);
	/* movl $0x12345678,(%rdi) */
	assert_int_equal(DECODE(X86_MODE_64, 0xc7, 0x07, 0x78, 0x56, 0x34, 0x12), PV_OK);
	check(6, 4, true, false, 0, 4);
	assert_int_equal(insn.imm, 0x12345678);
	/* movq $-2,(%rdi): imm32 sign-extended */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0xc7, 0x07, 0xfe, 0xff, 0xff, 0xff), PV_OK);
	check(7, 8, true, false, 0, 8);
	assert_int_equal(insn.imm, 0xfffffffffffffffeULL);
	/* C7 /1 is not MOV */
	assert_int_equal(DECODE(X86_MODE_64, 0xc7, 0x0f, 0, 0, 0, 0), -PV_ENOTSUP);
}

static void test_extending_loads(void **state)
{
	(void)state;
	/* movzbl (%rdi),%eax */
	assert_int_equal(DECODE(X86_MODE_64, 0x0f, 0xb6, 0x07), PV_OK);
	check(3, 1, false, false, 0, 4);
	/* movzwq (%rdi),%rax */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0x0f, 0xb7, 0x07), PV_OK);
	check(4, 2, false, false, 0, 8);
	/* movsbq (%rdi),%rax */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0x0f, 0xbe, 0x07), PV_OK);
	check(4, 1, false, true, 0, 8);
	/* movswl (%rdi),%r10d */
	assert_int_equal(DECODE(X86_MODE_64, 0x44, 0x0f, 0xbf, 0x17), PV_OK);
	check(4, 2, false, true, 10, 4);
	/* movsbw (%rdi),%ax */
	assert_int_equal(DECODE(X86_MODE_64, 0x66, 0x0f, 0xbe, 0x07), PV_OK);
	check(4, 1, false, true, 0, 2);
	/* movslq (%rdi),%rax: MOVSXD */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0x63, 0x07), PV_OK);
	check(3, 4, false, true, 0, 8);
	/* 63 without REX.W: a 32-bit load */
	assert_int_equal(DECODE(X86_MODE_64, 0x63, 0x07), PV_OK);
	check(2, 4, false, false, 0, 4);
}

static void test_prefixes(void **state)
{
	(void)state;
	/* fs-relative with address-size prefix: mov %fs:(%edi),%eax */
	assert_int_equal(DECODE(X86_MODE_64, 0x64, 0x67, 0x8b, 0x07), PV_OK);
	check(4, 4, false, false, 0, 4);
	/* a legacy prefix after REX: refused */
	assert_int_equal(DECODE(X86_MODE_64, 0x48, 0x66, 0x8b, 0x07), -PV_ENOTSUP);
	/* LOCK, REP: refused */
	assert_int_equal(DECODE(X86_MODE_64, 0xf0, 0x89, 0x07), -PV_ENOTSUP);
	assert_int_equal(DECODE(X86_MODE_64, 0xf3, 0xa5), -PV_ENOTSUP);
	/* only the last REX counts */
	assert_int_equal(DECODE(X86_MODE_64, 0x41, 0x48, 0x8b, 0x07), PV_OK);
	check(4, 8, false, false, 0, 8);
}

static void test_mode32(void **state)
{
	(void)state;
	/* In 32-bit mode 0x48 is DEC EAX, not REX. */
	assert_int_equal(DECODE(X86_MODE_32, 0x48, 0x8b, 0x07), -PV_ENOTSUP);
	/* mov (%edi),%eax and mov %ax,(%ebx) */
	assert_int_equal(DECODE(X86_MODE_32, 0x8b, 0x07), PV_OK);
	check(2, 4, false, false, 0, 4);
	assert_int_equal(DECODE(X86_MODE_32, 0x66, 0x89, 0x03), PV_OK);
	check(3, 2, true, false, 0, 2);
	/* 16-bit addressing, ARPL: refused */
	assert_int_equal(DECODE(X86_MODE_32, 0x67, 0x8b, 0x07), -PV_ENOTSUP);
	assert_int_equal(DECODE(X86_MODE_32, 0x63, 0x07), -PV_ENOTSUP);
}

static void test_refusals(void **state)
{
	(void)state;
	/* register operand: mov %eax,%ebx */
	assert_int_equal(DECODE(X86_MODE_64, 0x89, 0xc3), -PV_ENOTSUP);
	/* add (%rdi),%eax; movs; moffs form */
	assert_int_equal(DECODE(X86_MODE_64, 0x03, 0x07), -PV_ENOTSUP);
	assert_int_equal(DECODE(X86_MODE_64, 0xa5), -PV_ENOTSUP);
	assert_int_equal(DECODE(X86_MODE_64, 0xa1, 0, 0, 0, 0, 0, 0, 0, 0), -PV_ENOTSUP);
	/* 0F forms other than MOVZX/MOVSX */
	assert_int_equal(DECODE(X86_MODE_64, 0x0f, 0x10, 0x07), -PV_ENOTSUP);
	/* truncated: displacement or immediate missing */
	assert_int_equal(DECODE(X86_MODE_64, 0x8b, 0x87, 0x00, 0x01), -PV_EINVAL);
	assert_int_equal(DECODE(X86_MODE_64, 0xc7, 0x07, 0x78, 0x56), -PV_EINVAL);
	assert_int_equal(DECODE(X86_MODE_64, 0x66), -PV_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mov_loads),      cmocka_unit_test(test_mov_stores),
		cmocka_unit_test(test_mov_immediates), cmocka_unit_test(test_extending_loads),
		cmocka_unit_test(test_prefixes),       cmocka_unit_test(test_mode32),
		cmocka_unit_test(test_refusals),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
