/* SPDX-License-Identifier: MIT */
/*
 * FP / vector state across vCPUs that share a physical CPU. The bad VM shares one with vm1's
 * vCPU 1: it fills every FP / vector register, FCC and FCSR0 before its bad write, and a vCPU
 * started by CPU_ON checks that it starts with all of them zero (the hypervisor resets them): a
 * hypervisor that did not switch FP state would hand vm1's vCPU 1 the bad VM's values.
 * The widest registers the vCPU has (CPUCFG2 LASX bit 7, LSX bit 6) are used.
 */
#define G_FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define G_FCCS	0, 1, 2, 3, 4, 5, 6, 7
#define DIRT(n) (0x0badf00d00000000 + (n) * 0x01010101)

	.text

/* t2 = 2 if LASX, 1 if LSX, 0 otherwise. Clobbers t3. */
.macro g_vec_width
	li.d	$t3, 2
	cpucfg	$t3, $t3
	andi	$t2, $t3, 0x80
	bnez	$t2, 1f
	andi	$t2, $t3, 0x40
	srli.d	$t2, $t2, 6
	b	2f
1:	li.d	$t2, 2
2:
.endm

/* void g_fp_dirty(void) */
	.globl	g_fp_dirty
g_fp_dirty:
	g_vec_width
	.irp	n, G_FREGS
	li.d	$t0, DIRT(\n)
	movgr2fr.d $f\n, $t0
	beqz	$t2, 3f
	vreplgr2vr.d $vr\n, $t0
	li.d	$t3, 1
	beq	$t2, $t3, 3f
	xvreplgr2vr.d $xr\n, $t0
3:
	.endr
	li.d	$t0, 1
	.irp	n, G_FCCS
	movgr2cf $fcc\n, $t0
	.endr
	li.d	$t0, 0x300		/* rounding mode: towards minus infinity */
	movgr2fcsr $fcsr0, $t0
	jr	$ra

/* int g_fp_check_clean(void): 0 if all zero, else 1 + register (32 + n: FCCn, 40: FCSR0). */
	.globl	g_fp_check_clean
g_fp_check_clean:
	g_vec_width
	.irp	n, G_FREGS
	movfr2gr.d $t0, $f\n
	beqz	$t2, 4f
	vpickve2gr.d $t1, $vr\n, 1
	or	$t0, $t0, $t1
	li.d	$t3, 1
	beq	$t2, $t3, 4f
	xvpickve2gr.d $t1, $xr\n, 2
	or	$t0, $t0, $t1
	xvpickve2gr.d $t1, $xr\n, 3
	or	$t0, $t0, $t1
4:	li.d	$a0, \n + 1
	bnez	$t0, 5f
	.endr
	.irp	n, G_FCCS
	movcf2gr $t0, $fcc\n
	li.d	$a0, 32 + \n + 1
	bnez	$t0, 5f
	.endr
	movfcsr2gr $t0, $fcsr0
	li.d	$a0, 41
	bnez	$t0, 5f
	li.d	$a0, 0
5:	jr	$ra
