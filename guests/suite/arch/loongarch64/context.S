/* SPDX-License-Identifier: MIT */
/*
 * int g_context_asm(unsigned exits, uint64_t testdev_pattern_reg): fills every general register
 * the exits do not use and every FP register with a pattern of its own, makes @exits exits
 * (odd: HVCL echo, even: a test-device load) and checks every register after each one. Returns 0,
 * or the number of the first register found changed plus 1 (FP register n counts as 32 + n).
 * Registers with a role in the loop: sp, a0/a1 (the echo's operands, checked), a7 (the number),
 * t0 count, t1 address, t2/t3 scratch.
 */
#define PAT(n)	(0x5aa5c33c96690000 + (n) * 0x0101)
#define FPAT(n) (0x3cc3a55a69960000 + (n) * 0x0203)
#define ECHO_VALUE 0x0123456789abcdef
#define TESTDEV_PATTERN 0x8899aabbccddeeff

#define G_REGS 1, 2, 6, 7, 8, 9, 10, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
#define G_FREGS 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31

	.text
	.globl	g_context_asm
g_context_asm:
	addi.d	$sp, $sp, -128
	st.d	$ra, $sp, 0
	st.d	$tp, $sp, 8
	.irp	n, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	st.d	$r\n, $sp, 8 * (\n - 19)
	.endr
	move	$t0, $a0
	move	$t1, $a1
	.irp	n, G_REGS
	li.d	$r\n, PAT(\n)
	.endr
	.irp	n, G_FREGS
	li.d	$t3, FPAT(\n)
	movgr2fr.d $f\n, $t3
	.endr
.Lloop:
	beqz	$t0, .Lok
	andi	$t3, $t0, 1
	beqz	$t3, .Lmmio
	li.d	$a7, 1
	li.d	$a0, ECHO_VALUE
	hvcl	0
	bnez	$a0, .Lfail4
	li.d	$t3, ECHO_VALUE
	bne	$a1, $t3, .Lfail5
	b	.Lcheck
.Lmmio:
	ld.d	$t2, $t1, 0
	li.d	$t3, TESTDEV_PATTERN
	bne	$t2, $t3, .Lfail14
.Lcheck:
	.irp	n, G_REGS
	li.d	$t3, PAT(\n)
	bne	$r\n, $t3, .Lfail\n
	.endr
	.irp	n, G_FREGS
	movfr2gr.d $t3, $f\n
	li.d	$t2, FPAT(\n)
	bne	$t3, $t2, .Lffail\n
	.endr
	addi.d	$t0, $t0, -1
	b	.Lloop
.Lok:
	li.d	$a0, 0
	b	.Lout
	.irp	n, 4, 5, 14, G_REGS
.Lfail\n:
	li.d	$a0, \n + 1
	b	.Lout
	.endr
	.irp	n, G_FREGS
.Lffail\n:
	li.d	$a0, 32 + \n + 1
	b	.Lout
	.endr
.Lout:
	ld.d	$ra, $sp, 0
	ld.d	$tp, $sp, 8
	.irp	n, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	ld.d	$r\n, $sp, 8 * (\n - 19)
	.endr
	addi.d	$sp, $sp, 128
	jr	$ra
