// SPDX-License-Identifier: MIT
/* Trap decoding for the aarch64 backend (pure C; see a64/decode.h, which has the short decoders
 * the exit path inlines). */
#include <a64/decode.h>

/* Load/store register classes, general-purpose registers (V = 0): mask, value. */
#define LDST_CLASS_MASK	   0x3f000000u /* includes V (bit 26): general registers only */
#define LDST_UNSIGNED	   0x39000000u /* size 111 0 01 opc imm12 Rn Rt */
#define LDST_OTHER	   0x38000000u /* size 111 0 00 opc ... */
#define LDST_OTHER_FORM	   0x00200c00u /* bit 21 and bits 11:10 select the form below */
#define LDST_FORM_UNSCALED 0x00000000u
#define LDST_FORM_POST	   0x00000400u
#define LDST_FORM_PRE	   0x00000c00u
#define LDST_FORM_REG	   0x00200800u
#define LDST_REG_OPTION1   0x00004000u /* register offset: option<1>, set in every allocated one */

bool a64_decode_ldst(uint32_t insn, uint64_t ipa, const uint64_t *x, struct vcpu_exit *exit,
		     struct a64_writeback *wb)
{
	unsigned size = insn >> 30, opc = (insn >> 22) & 3u;
	unsigned rt = insn & 31u, rn = (insn >> 5) & 31u;
	uint32_t form = insn & LDST_OTHER_FORM;
	bool writeback = false;

	wb->valid = false;
	if ((insn & LDST_CLASS_MASK) == LDST_OTHER) {
		if (form == LDST_FORM_POST || form == LDST_FORM_PRE)
			writeback = true;
		else if (form != LDST_FORM_UNSCALED && form != LDST_FORM_REG)
			return false; /* unprivileged forms and atomics */
		else if (form == LDST_FORM_REG && !(insn & LDST_REG_OPTION1))
			return false; /* extend option with option<1> = 0: unallocated */
	} else if ((insn & LDST_CLASS_MASK) != LDST_UNSIGNED) {
		return false;
	}
	/* opc 10 with size 11 is PRFM, opc 11 with size 1x has no load form. */
	if ((opc == 2 && size == 3) || (opc == 3 && size >= 2))
		return false;
	if (writeback) {
		int64_t imm9 = (int64_t)((insn >> 12) & 0x1ffu);

		/* SP as base, or the loaded register as base, are left to the injected abort. */
		if (rn == 31 || (opc != 0 && rn == rt))
			return false;
		if (imm9 & 0x100)
			imm9 -= 0x200;
		wb->valid = true;
		wb->reg = (uint8_t)rn;
		wb->value = x[rn] + (uint64_t)imm9;
	}
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(ipa);
	exit->mmio.width = (uint8_t)(1u << size);
	exit->mmio.write = opc == 0;
	exit->mmio.sign_extend = opc >= 2;
	exit->mmio.reg = (uint8_t)rt;
	/* Zero-extending loads of 1-4 bytes write a W register; opc 11 sign-extends into W. */
	exit->mmio.reg_width = (size == 3 || opc == 2) ? 8 : 4;
	exit->mmio.data = opc == 0 ? a64_decode_xreg(x, rt) : 0;
	return true;
}

enum a64_dabt_kind a64_decode_dabt(const struct a64_dabt *ab, a64_fetch_fn fetch, void *ctx,
				   struct vcpu_exit *exit, struct a64_writeback *wb)
{
	uint64_t esr = ab->esr;
	bool trans = A64_FSC_TYPE(esr) == A64_FSC_TRANS;
	uint32_t insn;

	wb->valid = false;
	if ((esr & A64_DABT_CM) && trans)
		return A64_DABT_SKIP;
	if (trans && !(esr & A64_DABT_S1PTW)) {
		if (esr & A64_DABT_ISV) {
			a64_decode_dabt_isv(esr, ab->ipa, ab->x, exit);
			return A64_DABT_MMIO;
		}
		if (!(ab->pstate & A64_PSTATE_NRW) && fetch(ctx, &insn) &&
		    a64_decode_ldst(insn, ab->ipa, ab->x, exit, wb)) {
			if (exit->mmio.write == !!(esr & A64_DABT_WNR))
				return A64_DABT_MMIO;
			wb->valid = false;
		}
	}
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(ab->ipa);
	exit->fault.access = (esr & A64_DABT_WNR) && !(esr & A64_DABT_S1PTW) ? VCPU_ACCESS_WRITE
									     : VCPU_ACCESS_READ;
	exit->fault.pc = ab->pc;
	return A64_DABT_FAULT;
}
