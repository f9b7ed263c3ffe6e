/* SPDX-License-Identifier: MIT */
/*
 * Decoding of the guest instruction behind a load or store guest-page fault. The H extension
 * reports the guest-physical address (htval) but, on implementations that leave htinst at zero,
 * not what the instruction wanted: width, sign extension, which register. Pure C, host-tested.
 */
#ifndef RISCV64_INSN_H
#define RISCV64_INSN_H

#include <stdbool.h>
#include <stdint.h>

struct riscv_mem_insn {
	bool store;
	bool sign_extend; /* loads: lb lh lw c.lw c.lwsp */
	uint8_t width;	  /* bytes: 1, 2, 4, 8 */
	uint8_t reg;	  /* loads: rd; stores: rs2 (integer register number) */
	uint8_t len;	  /* instruction length in bytes: 2 or 4 */
};

/* Length of the instruction whose low 16 bits are @low: 2 (compressed) or 4. */
static inline unsigned riscv_insn_len(uint32_t low)
{
	return (low & 3u) == 3u ? 4u : 2u;
}

/* Decodes @insn (a 16-bit instruction in the low half when compressed) as an integer load or
 * store. Returns false for anything else: FP loads and stores, atomics, other opcodes. */
bool riscv_decode_mem(uint32_t insn, struct riscv_mem_insn *out);

/* Turns an htinst value into the instruction to decode. A transformed instruction (bit 0 set)
 * is a 32-bit encoding whose bit 1 says whether the original was 32-bit (1) or compressed (0);
 * its address field is zero, which the decoder does not need. Returns false when @htinst
 * carries nothing usable (zero, or a pseudoinstruction for an implicit access). */
static inline bool riscv_htinst_insn(uint64_t htinst, uint32_t *insn, unsigned *len)
{
	uint32_t v = (uint32_t)htinst;

	if (!(v & 1u) || (htinst >> 32) != 0)
		return false;
	*len = (v & 2u) ? 4u : 2u;
	*insn = v | 2u;
	return true;
}

#endif
