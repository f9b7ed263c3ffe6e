// SPDX-License-Identifier: MIT
/*
 * Exceptions the backend hands to its guest, delivered as the hardware delivers them (LoongArch
 * Reference Manual vol. 1, "exception handling"): ERA the faulting PC, ESTAT's code and sub-code,
 * BADV and BADI where the exception records them, PRMD the previous PLV and IE, then CRMD at
 * PLV0 with interrupts off and the PC at the guest's exception entry (EENTRY, spaced by
 * ECFG.VS). A guest that has no entry (EENTRY 0) cannot take it; the caller stops the VM then.
 */
#include "la_hw.h"
#include "la_vcpu.h"

#define LA_CRMD_PLV_IE	     7ULL	       /* CRMD.PLV, CRMD.IE; PRMD.PPLV, PRMD.PIE */
#define LA_ESTAT_CODE_FIELDS (0x7fffULL << 16) /* Ecode and EsubCode */

bool la_inject(struct la_vcpu *v, const struct la_exception *ex)
{
	uint64_t eentry = la_hw_gcsr_read(LA_GCSR_EENTRY);
	uint64_t crmd = la_hw_gcsr_read(LA_GCSR_CRMD);
	uint64_t estat = la_hw_gcsr_read(LA_GCSR_ESTAT);
	unsigned vs = (unsigned)(la_hw_gcsr_read(LA_GCSR_ECFG) >> 16) & 7;
	uint64_t code = (uint64_t)(ex->ecode & 0x3f) | (uint64_t)(ex->esub & 0x1ff) << 6;

	if (!eentry)
		return false;
	la_hw_gcsr_write(LA_GCSR_ERA, v->ctx.pc);
	if (ex->has_badv)
		la_hw_gcsr_write(LA_GCSR_BADV, ex->badv);
	if (ex->has_badi)
		la_hw_gcsr_write(LA_GCSR_BADI, ex->badi);
	la_hw_gcsr_write(LA_GCSR_ESTAT, (estat & ~LA_ESTAT_CODE_FIELDS) | code << 16);
	la_hw_gcsr_write(LA_GCSR_PRMD, (la_hw_gcsr_read(LA_GCSR_PRMD) & ~LA_CRMD_PLV_IE) |
					       (crmd & LA_CRMD_PLV_IE));
	la_hw_gcsr_write(LA_GCSR_CRMD, crmd & ~LA_CRMD_PLV_IE);
	v->ctx.pc = eentry + (vs ? (uint64_t)(ex->ecode & 0x3f) << (vs + 2) : 0);
	return true;
}
