/* SPDX-License-Identifier: MIT */
/*
 * g_context_check(exits): fills x1, x3..x29 and f0..f31 with per-register patterns and performs
 * @exits exits, alternating a Polyvisor ECHO hypercall (ecall) and a 32-bit load of the test
 * device's ID register (a trapped, emulated MMIO read), then checks every register. t5/t6 carry
 * the load's result and address, a0/a1/a6/a7 the hypercall's arguments and results: those are
 * checked against what the exit must leave in them. fcsr (rounding mode and flags) gets one of
 * two patterns before each exit and is checked after it. Returns 0, or the first changed
 * register's number plus one (x0..x31 = 0..31, f0..f31 = 32..63, fcsr = 64). sp holds the loop's
 * state.
 */
#define PAT(n)	  (0x5a5a000000000000 + ((n) << 40) + ((n) << 16) + (n))
#define FPAT(n)	  (0x3c3c000000000000 + ((n) << 40) + ((n) << 20) + (n))
#define PV_EID	  0x0a005056
#define HC_ECHO	  1
#define TESTDEV_ID 0x50565444
#define LAYOUT_TESTDEV 16 /* offsetof(struct g_layout, testdev_base) */

#define F_LEFT	  120 /* exits still to do */
#define F_DEV	  128 /* test device address */
#define F_PARITY  136 /* 1: next exit is the MMIO read */
#define F_T6	  144 /* t6 as the exit left it */
#define FRAME	  160

#define FCSR_A	  0x7f /* frm 3 (RUP), every flag */
#define FCSR_B	  0x4a /* frm 2 (RDN), DZ and UF */

	.option norelax
	.option arch, +d
	.text
	.globl g_context_check
g_context_check:
	addi	sp, sp, -FRAME
	sd	ra, 0(sp)
	sd	gp, 8(sp)
	sd	tp, 16(sp)
	sd	s0, 24(sp)
	sd	s1, 32(sp)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	sd	s\n, (40 + (\n - 2) * 8)(sp)
	.endr
	sd	a0, F_LEFT(sp)
	la	t0, g_layout
	ld	t0, LAYOUT_TESTDEV(t0)
	sd	t0, F_DEV(sp)
	sd	zero, F_PARITY(sp)
	li	a0, 0
	ld	t0, F_LEFT(sp)
	beqz	t0, .Ldone

	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	li	t0, FPAT(\n)
	fmv.d.x	f\n, t0
	.endr

.Lloop:
	ld	t5, F_PARITY(sp)
	xori	t5, t5, 1
	sd	t5, F_PARITY(sp)
	ld	t6, F_DEV(sp)
	li	t0, FCSR_A
	beqz	t5, 1f
	li	t0, FCSR_B
1:	csrw	fcsr, t0
	.irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	li	x\n, PAT(\n)
	.endr
	bnez	t5, .Lmmio

	/* ECHO(a0): a0 = 0, a1 = a0's pattern; every other register untouched. */
	li	a6, HC_ECHO
	li	a7, PV_EID
	li	t5, TESTDEV_ID
	ecall
	beqz	a0, 1f
	li	a0, 10 + 1
	j	.Lout
1:	li	a0, PAT(10)
	beq	a1, a0, 1f
	li	a0, 11 + 1
	j	.Lout
1:	li	a0, HC_ECHO
	beq	a6, a0, 1f
	li	a0, 16 + 1
	j	.Lout
1:	li	a0, PV_EID
	beq	a7, a0, 1f
	li	a0, 17 + 1
	j	.Lout
1:	li	a0, PAT(10)
	li	a1, PAT(11)
	li	a6, PAT(16)
	li	a7, PAT(17)
	j	.Lcheck

.Lmmio:
	lw	t5, 0(t6)

.Lcheck:
	sd	t6, F_T6(sp)
	li	t6, TESTDEV_ID
	beq	t5, t6, 1f
	li	a0, 30 + 1
	j	.Lout
1:	ld	t5, F_T6(sp)
	ld	t6, F_DEV(sp)
	beq	t5, t6, 1f
	li	a0, 31 + 1
	j	.Lout
1:
	.irp n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29
	li	t6, PAT(\n)
	beq	x\n, t6, 1f
	li	a0, \n + 1
	j	.Lout
1:
	.endr
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fmv.x.d	t5, f\n
	li	t6, FPAT(\n)
	beq	t5, t6, 1f
	li	a0, 32 + \n + 1
	j	.Lout
1:
	.endr
	csrr	t5, fcsr
	ld	t6, F_PARITY(sp)
	li	a0, FCSR_A
	beqz	t6, 1f
	li	a0, FCSR_B
1:	beq	t5, a0, 1f
	li	a0, 64 + 1
	j	.Lout
1:
	ld	t5, F_LEFT(sp)
	addi	t5, t5, -1
	sd	t5, F_LEFT(sp)
	bnez	t5, .Lloop
	li	a0, 0

.Lout:
.Ldone:
	csrw	fcsr, zero
	ld	ra, 0(sp)
	ld	gp, 8(sp)
	ld	tp, 16(sp)
	ld	s0, 24(sp)
	ld	s1, 32(sp)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	ld	s\n, (40 + (\n - 2) * 8)(sp)
	.endr
	addi	sp, sp, FRAME
	ret
