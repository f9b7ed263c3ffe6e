/* SPDX-License-Identifier: MIT */
/*
 * Exception and TLB-refill entries, and guest entry.
 *
 * The hypervisor never takes an exception on purpose: it runs with interrupts off and maps
 * nothing in the TLB. So an exception is either an exit from guest mode (CSR SAVE1 holds the
 * running guest's context, set by la_guest_enter just before ertn) or a hypervisor bug, which is
 * reported by la_trap_report().
 *
 * An exit stores the guest's general registers and PC in its context, clears SAVE1 and returns
 * from la_guest_enter (whose callee-saved registers the context kept) to the vCPU's C code with
 * the entry it came through. Both entries need 4 KiB alignment (EENTRY and TLBRENTRY ignore bits
 * 11:0). The refill entry starts in DA mode; it turns mapped mode back on before touching memory
 * so that everything is accessed through the same cached window as in C.
 */
#include <arch/loongarch.h>

#include "la_ctx.h"

#define LA_FRAME_REGS 32
#define LA_FRAME_SIZE (LA_FRAME_REGS * 8)

/* Saves r1..r31 at \base + 8 * n, except sp (r3) and \skip. */
.macro la_save_gprs base, skip
	.irp	n, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23
	.if	\n != \skip
	st.d	$r\n, \base, 8 * \n
	.endif
	.endr
	.irp	n, 24, 25, 26, 27, 28, 29, 30, 31
	st.d	$r\n, \base, 8 * \n
	.endr
.endm

/* The hypervisor's own fault: frame on the exception stack (sp), interrupted sp in SAVE0. */
.macro la_report kind
	addi.d	$sp, $sp, -LA_FRAME_SIZE
	la_save_gprs $sp, 0
	csrrd	$t0, LA_CSR_SAVE0
	st.d	$t0, $sp, 8 * 3
	st.d	$zero, $sp, 0
	move	$a0, $sp
	li.d	$a1, \kind
	bl	la_trap_report
1:	idle	0
	b	1b
.endm

	.section .text.trap, "ax"

	.balign	4096
	.globl	la_exc_entry
la_exc_entry:
	csrwr	$sp, LA_CSR_SAVE0	/* sp = exception stack top, SAVE0 = interrupted sp */
	st.d	$t0, $sp, -8
	csrrd	$t0, LA_CSR_SAVE1
	bnez	$t0, .Lexc_guest
	ld.d	$t0, $sp, -8
	la_report 0
.Lexc_guest:	/* From guest mode: t0 = the guest's context. */
	la_save_gprs $t0, 12
	rdtime.d $t1, $zero
	st.d	$t1, $t0, LA_CTX_EXIT_TIME
	ld.d	$t1, $sp, -8
	st.d	$t1, $t0, LA_CTX_GPR(12)
	csrrd	$t1, LA_CSR_SAVE0
	st.d	$t1, $t0, LA_CTX_GPR(3)
	csrwr	$sp, LA_CSR_SAVE0	/* SAVE0 = exception stack top again */
	csrrd	$t1, LA_CSR_ERA
	st.d	$t1, $t0, LA_CTX_PC
	li.d	$a0, LA_ENTRY_EXCEPTION
	b	la_guest_exit

	.balign	4096
	.globl	la_tlbr_entry
la_tlbr_entry:
	csrwr	$t0, LA_CSR_SAVE2
	li.d	$t0, LA_CRMD_PG | LA_CRMD_DATF_CC | LA_CRMD_DATM_SUC
	csrwr	$t0, LA_CSR_CRMD
	csrrd	$t0, LA_CSR_SAVE1
	bnez	$t0, .Ltlbr_guest
	csrrd	$t0, LA_CSR_SAVE2
	csrwr	$sp, LA_CSR_SAVE0
	la_report 1
.Ltlbr_guest:
	la_save_gprs $t0, 12
	rdtime.d $t1, $zero
	st.d	$t1, $t0, LA_CTX_EXIT_TIME
	st.d	$sp, $t0, LA_CTX_GPR(3)
	csrrd	$t1, LA_CSR_SAVE2
	st.d	$t1, $t0, LA_CTX_GPR(12)
	/* TLBRERA: PC in bits 63:2, bit 0 says "in a refill"; clearing it makes the next ertn
	 * and tlbfill the ordinary ones. */
	csrrd	$t1, LA_CSR_TLBRERA
	bstrins.d $t1, $zero, 1, 0
	st.d	$t1, $t0, LA_CTX_PC
	csrwr	$zero, LA_CSR_TLBRERA
	li.d	$a0, LA_ENTRY_REFILL
	b	la_guest_exit

/* t0 = context, a0 = entry kind: back into la_guest_enter's caller. The root's FP / vector
 * units go off again (la_fp_euen): the soft-float hypervisor never uses them, and an FP
 * instruction in it must trap rather than change the guest's registers. */
la_guest_exit:
	csrwr	$zero, LA_CSR_SAVE1
	csrwr	$zero, LA_CSR_EUEN
	ld.d	$ra, $t0, LA_CTX_HOST + 0 * 8
	ld.d	$sp, $t0, LA_CTX_HOST + 1 * 8
	ld.d	$tp, $t0, LA_CTX_HOST + 2 * 8
	ld.d	$r21, $t0, LA_CTX_HOST + 3 * 8
	ld.d	$fp, $t0, LA_CTX_HOST + 4 * 8
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8
	ld.d	$s\n, $t0, LA_CTX_HOST + (5 + \n) * 8
	.endr
	jr	$ra

/*
 * unsigned la_guest_enter(struct la_vcpu_ctx *ctx): runs the guest until its next exit; returns
 * LA_ENTRY_*. The caller has loaded the guest CSRs and set GSTAT.PGM (ertn enters guest mode);
 * interrupts are off. PRMD.PIE makes the hypervisor's own interrupts exit the guest.
 */
	.section .text, "ax"
	.globl	la_guest_enter
la_guest_enter:
	st.d	$ra, $a0, LA_CTX_HOST + 0 * 8
	st.d	$sp, $a0, LA_CTX_HOST + 1 * 8
	st.d	$tp, $a0, LA_CTX_HOST + 2 * 8
	st.d	$r21, $a0, LA_CTX_HOST + 3 * 8
	st.d	$fp, $a0, LA_CTX_HOST + 4 * 8
	.irp	n, 0, 1, 2, 3, 4, 5, 6, 7, 8
	st.d	$s\n, $a0, LA_CTX_HOST + (5 + \n) * 8
	.endr
	ld.d	$t0, $a0, LA_CTX_PC
	csrwr	$t0, LA_CSR_ERA
	li.d	$t0, LA_PRMD_PIE
	csrwr	$t0, LA_CSR_PRMD
	move	$t0, $a0
	csrwr	$t0, LA_CSR_SAVE1
	/* The root's units the guest's FP / vector instructions need (la_fp.c). */
	la.pcrel $t0, la_fp_euen
	ld.d	$t0, $t0, 0
	csrwr	$t0, LA_CSR_EUEN
	.irp	n, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22
	ld.d	$r\n, $a0, 8 * \n
	.endr
	.irp	n, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld.d	$r\n, $a0, 8 * \n
	.endr
	ld.d	$a0, $a0, 8 * 4
	ertn
