// SPDX-License-Identifier: MIT
/*
 * Decoder of the integer loads and stores a guest may aim at an emulated device (LoongArch
 * Reference Manual vol. 1, "Basic Integer Instructions"): the 12-bit-offset forms, the indexed
 * forms and the 14-bit-offset pointer forms. Atomics, LL/SC, bound-checked and FP forms are not
 * device accesses here: the caller treats them as faults.
 */
#include "la_vcpu.h"

struct la_ldst_op {
	uint32_t opcode;
	uint8_t width;
	bool store;
	bool sign_extend;
};

/* Bits 31:22 of the 12-bit-offset forms (ld.b .. ld.wu). */
static const struct la_ldst_op la_ldst_si12[] = {
	{ 0x0a0, 1, false, true },  { 0x0a1, 2, false, true },	{ 0x0a2, 4, false, true },
	{ 0x0a3, 8, false, true },  { 0x0a4, 1, true, false },	{ 0x0a5, 2, true, false },
	{ 0x0a6, 4, true, false },  { 0x0a7, 8, true, false },	{ 0x0a8, 1, false, false },
	{ 0x0a9, 2, false, false }, { 0x0aa, 4, false, false },
};

/* Bits 31:15 of the indexed forms (ldx.b .. ldx.wu). */
static const struct la_ldst_op la_ldst_x[] = {
	{ 0x7000, 1, false, true },  { 0x7008, 2, false, true },  { 0x7010, 4, false, true },
	{ 0x7018, 8, false, true },  { 0x7020, 1, true, false },  { 0x7028, 2, true, false },
	{ 0x7030, 4, true, false },  { 0x7038, 8, true, false },  { 0x7040, 1, false, false },
	{ 0x7048, 2, false, false }, { 0x7050, 4, false, false },
};

/* Bits 31:24 of the pointer forms (ldptr.w, stptr.w, ldptr.d, stptr.d). */
static const struct la_ldst_op la_ldst_ptr[] = {
	{ 0x24, 4, false, true },
	{ 0x25, 4, true, false },
	{ 0x26, 8, false, true },
	{ 0x27, 8, true, false },
};

static bool la_ldst_match(const struct la_ldst_op *ops, size_t n, uint32_t opcode, uint32_t insn,
			  struct la_ldst *out)
{
	for (size_t i = 0; i < n; i++) {
		if (ops[i].opcode != opcode)
			continue;
		out->width = ops[i].width;
		out->store = ops[i].store;
		out->sign_extend = ops[i].sign_extend;
		out->rd = (uint8_t)(insn & 0x1f);
		return true;
	}
	return false;
}

bool la_ldst_decode(uint32_t insn, struct la_ldst *out)
{
	return la_ldst_match(la_ldst_si12, PV_ARRAY_SIZE(la_ldst_si12), insn >> 22, insn, out) ||
	       la_ldst_match(la_ldst_x, PV_ARRAY_SIZE(la_ldst_x), insn >> 15, insn, out) ||
	       la_ldst_match(la_ldst_ptr, PV_ARRAY_SIZE(la_ldst_ptr), insn >> 24, insn, out);
}
