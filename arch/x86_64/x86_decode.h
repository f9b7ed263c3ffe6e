/* SPDX-License-Identifier: MIT */
/*
 * Decoding of the instructions a guest uses for MMIO, for EPT-violation exits: the exit gives the
 * guest-physical address but neither the instruction's length nor its register, so the backend
 * reads the bytes at the guest's RIP and decodes them here. Pure C, host-tested.
 *
 * Accepted (64-bit and 32-bit protected mode, memory operands only):
 *   88 / 89 / 8A / 8B        MOV r/m,r and MOV r,r/m (8, 16, 32, 64 bits)
 *   C6 /0 ib, C7 /0 iw/id    MOV r/m,imm (the 64-bit form sign-extends its imm32)
 *   0F B6 / 0F B7            MOVZX r,r/m8 and r,r/m16
 *   0F BE / 0F BF            MOVSX r,r/m8 and r,r/m16
 *   63 (REX.W)               MOVSXD r64,r/m32 (without REX.W: a plain 32-bit load)
 * Prefixes: 66 (operand size), 67 (address size; 64-bit mode only), the segment overrides, and REX
 * in 64-bit mode right before the opcode. Anything else (LOCK, REP, string moves, register
 * operands, other opcodes) is refused: the access becomes a guest fault.
 */
#ifndef X86_DECODE_H
#define X86_DECODE_H

#include <pv/types.h>

#define X86_MAX_INSN_LEN 15

enum x86_cpu_mode {
	X86_MODE_32 = 0, /* protected mode, 32-bit code segment */
	X86_MODE_64,	 /* 64-bit mode */
};

struct x86_mmio_insn {
	uint8_t len;	   /* instruction length in bytes */
	uint8_t width;	   /* bytes accessed in memory: 1, 2, 4, 8 */
	bool write;	   /* store */
	bool sign_extend;  /* loads: MOVSX / MOVSXD */
	bool has_imm;	   /* stores of an immediate: imm holds the value */
	bool high8;	   /* the register is AH, CH, DH or BH (reg = 0..3 then) */
	uint8_t reg;	   /* general register: 0 = RAX ... 15 = R15 */
	uint8_t reg_width; /* bytes of the register operand */
	uint64_t imm;
};

/* Decodes @n bytes at @code (n may exceed the instruction). PV_OK, -PV_ENOTSUP for a form not in
 * the list above, -PV_EINVAL if the instruction needs more than @n bytes. */
int x86_decode_mmio(const uint8_t *code, size_t n, enum x86_cpu_mode mode,
		    struct x86_mmio_insn *out);

#endif
