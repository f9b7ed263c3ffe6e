// SPDX-License-Identifier: MIT
/*
 * Load/store decoding for MMIO emulation (unprivileged spec, "RV32I Base", "RV64I" and the "C"
 * chapter's quadrant tables). Only integer forms are accepted: an FP or atomic access to a device
 * has no sensible emulation here and becomes a fault for the guest.
 */
#include <riscv64/insn.h>

#define OPC_LOAD  0x03u
#define OPC_STORE 0x23u

static uint32_t bits(uint32_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((1u << (hi - lo + 1)) - 1u);
}

static bool decode32(uint32_t insn, struct riscv_mem_insn *out)
{
	uint32_t funct3 = bits(insn, 14, 12);

	out->len = 4;
	switch (insn & 0x7fu) {
	case OPC_LOAD:
		/* funct3: 0 lb, 1 lh, 2 lw, 3 ld, 4 lbu, 5 lhu, 6 lwu; bit 2 = unsigned. */
		if (funct3 == 7)
			return false;
		out->store = false;
		out->width = (uint8_t)(1u << (funct3 & 3u));
		out->sign_extend = !(funct3 & 4u) && funct3 != 3;
		out->reg = (uint8_t)bits(insn, 11, 7);
		return true;
	case OPC_STORE:
		if (funct3 > 3)
			return false;
		out->store = true;
		out->width = (uint8_t)(1u << funct3);
		out->sign_extend = false;
		out->reg = (uint8_t)bits(insn, 24, 20);
		return true;
	default:
		return false;
	}
}

/* The compressed forms that reach memory through an integer register. */
static bool decode16(uint32_t insn, struct riscv_mem_insn *out)
{
	uint32_t funct3 = bits(insn, 15, 13);
	uint32_t quadrant = insn & 3u;

	out->len = 2;
	out->sign_extend = false;
	if (quadrant == 0) {
		/* c.lw 010, c.ld 011, c.sw 110, c.sd 111; rd'/rs2' in bits 4:2 name x8..x15. */
		uint8_t reg = (uint8_t)(8u + bits(insn, 4, 2));
		switch (funct3) {
		case 2:
		case 3:
			out->store = false;
			break;
		case 6:
		case 7:
			out->store = true;
			break;
		default:
			return false; /* c.addi4spn, c.fld, c.fsd, reserved */
		}
		out->width = (funct3 & 1u) ? 8 : 4;
		out->sign_extend = !out->store && out->width == 4;
		out->reg = reg;
		return true;
	}
	if (quadrant == 2) {
		/* c.lwsp 010, c.ldsp 011 (rd in 11:7, rd != 0); c.swsp 110, c.sdsp 111 (rs2 6:2). */
		switch (funct3) {
		case 2:
		case 3:
			out->store = false;
			out->reg = (uint8_t)bits(insn, 11, 7);
			if (out->reg == 0)
				return false; /* reserved encodings */
			break;
		case 6:
		case 7:
			out->store = true;
			out->reg = (uint8_t)bits(insn, 6, 2);
			break;
		default:
			return false;
		}
		out->width = (funct3 & 1u) ? 8 : 4;
		out->sign_extend = !out->store && out->width == 4;
		return true;
	}
	return false;
}

bool riscv_decode_mem(uint32_t insn, struct riscv_mem_insn *out)
{
	if (riscv_insn_len(insn) == 4)
		return decode32(insn, out);
	return decode16(insn & 0xffffu, out);
}
