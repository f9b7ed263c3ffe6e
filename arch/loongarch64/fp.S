/* SPDX-License-Identifier: MIT */
/*
 * Copies of a vCPU's FP / vector registers, FCC0..7 and FCSR0 between the CPU and a struct la_fp
 * (layout in la_ctx.h). The only FP and vector instructions in the hypervisor: la_fp_switch turns
 * the root's EUEN units on around them. a1 = LA_FP_SCALAR, LA_FP_LSX or LA_FP_LASX: the widest
 * registers the CPU has (fN is the low half of vrN, vrN the low half of xrN).
 */
#include "la_ctx.h"

#define LA_FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31

	.text

/* void la_fp_hw_save(struct la_fp *fp, unsigned width) */
	.globl	la_fp_hw_save
la_fp_hw_save:
	li.d	$t0, LA_FP_LASX
	beq	$a1, $t0, 3f
	li.d	$t0, LA_FP_LSX
	beq	$a1, $t0, 2f
	.irp	n, LA_FREGS
	fst.d	$f\n, $a0, LA_FP_VREG(\n)
	.endr
	b	4f
2:	.irp	n, LA_FREGS
	vst	$vr\n, $a0, LA_FP_VREG(\n)
	.endr
	b	4f
3:	.irp	n, LA_FREGS
	xvst	$xr\n, $a0, LA_FP_VREG(\n)
	.endr
4:	movcf2gr $t0, $fcc0
	.irp	n, 1, 2, 3, 4, 5, 6, 7
	movcf2gr $t1, $fcc\n
	bstrins.d $t0, $t1, 8 * \n + 7, 8 * \n
	.endr
	st.d	$t0, $a0, LA_FP_FCC
	movfcsr2gr $t0, $fcsr0
	st.w	$t0, $a0, LA_FP_FCSR
	jr	$ra

/* void la_fp_hw_restore(const struct la_fp *fp, unsigned width) */
	.globl	la_fp_hw_restore
la_fp_hw_restore:
	li.d	$t0, LA_FP_LASX
	beq	$a1, $t0, 3f
	li.d	$t0, LA_FP_LSX
	beq	$a1, $t0, 2f
	.irp	n, LA_FREGS
	fld.d	$f\n, $a0, LA_FP_VREG(\n)
	.endr
	b	4f
2:	.irp	n, LA_FREGS
	vld	$vr\n, $a0, LA_FP_VREG(\n)
	.endr
	b	4f
3:	.irp	n, LA_FREGS
	xvld	$xr\n, $a0, LA_FP_VREG(\n)
	.endr
4:	ld.d	$t0, $a0, LA_FP_FCC
	movgr2cf $fcc0, $t0
	.irp	n, 1, 2, 3, 4, 5, 6, 7
	srli.d	$t1, $t0, 8 * \n
	movgr2cf $fcc\n, $t1
	.endr
	/* Last, though nothing here computes: FCSR0's enables only matter to arithmetic. */
	ld.w	$t0, $a0, LA_FP_FCSR
	movgr2fcsr $fcsr0, $t0
	jr	$ra
