/* SPDX-License-Identifier: MIT */
/*
 * int g_context_check(unsigned exits): fills x0-x30 and v0-v31 (both halves) with patterns, then
 * makes @exits exits, alternating an ECHO hypercall and a test-device MMIO read, and after each
 * checks every register: x0 and x1 carry the hypercall's results and x2-x4 must keep their
 * patterns across it; x2 holds the MMIO address, w3 receives the read (x3's upper half zero) and
 * x0, x1 and x4 must keep theirs. NZCV, FPCR and FPSR get one of two patterns before each exit
 * and are checked after it, as are SP and x5-x30, v0-v31. The count of exits left is in memory.
 * Returns 0 or the first changed register + 1 (x0-x30: 0-30, SP: 31, v0-v31: 32-63, NZCV: 64,
 * FPCR: 65, FPSR: 66).
 */
	.arch	armv8-a+fp+simd

#define G_TESTDEV 0x0b000000
#define G_TESTDEV_ID_HI 0x5056
#define G_TESTDEV_ID_LO 0x5444

/* The pattern of slot n in register r. */
.macro	pat r, n
	movz	\r, #(0xa500 + \n), lsl #48
	movk	\r, #(0x1234 + \n * 7), lsl #32
	movk	\r, #(0x0f0f ^ \n), lsl #16
	movk	\r, #(\n * 131)
.endm

.macro	fail_unless_eq a, b, code
	cmp	\a, \b
	b.eq	1f
	mov	x0, #\code
	b	.Lctx_out
1:
.endm

.macro	chkx n
	pat	x0, \n
	fail_unless_eq x\n, x0, (\n + 1)
.endm

.macro	chkv n
	pat	x1, (64 + 2 * \n)
	mov	x0, v\n\().d[0]
	fail_unless_eq x0, x1, (33 + \n)
	pat	x1, (65 + 2 * \n)
	mov	x0, v\n\().d[1]
	fail_unless_eq x0, x1, (33 + \n)
.endm

/* NZCV, FPCR, FPSR patterns (assembler symbols: the macros paste their names): two sets, so that a value left over from the exit before fails. */
	.equ	NZCV_A, 0xa0000000 /* N, C */
	.equ	NZCV_B, 0x50000000 /* Z, V */
	.equ	FPCR_A, 0x07c00000 /* AHP, DN, FZ, RMode 3 */
	.equ	FPCR_B, 0x01400000 /* FZ, RMode 1 */
	.equ	FPSR_A, 0x0800009f /* QC, IDC, IXC, UFC, OFC, DZC, IOC */
	.equ	FPSR_B, 0x00000015 /* IXC, OFC, IOC */

/* The frame: callee-saved registers at 0-159, what an exit left in x0, x1, NZCV, FPSR, FPCR at
 * 160-199, the caller's FPCR at 200. */
#define F_X0	160
#define F_NZCV	176
#define F_FPCR	192
#define F_SAVED 200
#define FRAME	208

.macro	set_flags set
	mov	x0, #(FPCR_\set & 0xffff)
	movk	x0, #(FPCR_\set >> 16), lsl #16
	msr	fpcr, x0
	mov	x0, #(FPSR_\set & 0xffff)
	movk	x0, #(FPSR_\set >> 16), lsl #16
	msr	fpsr, x0
	mov	x0, #NZCV_\set
	msr	nzcv, x0
.endm

/* Right after the exit, before anything changes the flags: keeps x0, x1, NZCV, FPSR, FPCR. */
.macro	capture
	stp	x0, x1, [sp, #F_X0]
	mrs	x0, nzcv
	mrs	x1, fpsr
	stp	x0, x1, [sp, #F_NZCV]
	mrs	x0, fpcr
	str	x0, [sp, #F_FPCR]
.endm

.macro	check_flags set
	ldp	x0, x1, [sp, #F_NZCV]
	mov	x2, #NZCV_\set
	fail_unless_eq x0, x2, 65
	mov	x2, #(FPSR_\set & 0xffff)
	movk	x2, #(FPSR_\set >> 16), lsl #16
	fail_unless_eq x1, x2, 67
	ldr	x0, [sp, #F_FPCR]
	mov	x2, #(FPCR_\set & 0xffff)
	movk	x2, #(FPCR_\set >> 16), lsl #16
	fail_unless_eq x0, x2, 66
.endm

/* One exit done: x1 = exits left. */
.macro	count_down
	ldr	x0, =g_ctx_left
	ldr	x1, [x0]
	sub	x1, x1, #1
	str	x1, [x0]
.endm

.macro	check_all
	.irp	n, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	chkx	\n
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	chkv	\n
	.endr
	mov	x0, sp
	ldr	x1, =g_ctx_sp
	ldr	x1, [x1]
	fail_unless_eq x0, x1, 32
.endm

	.text
	.global g_context_check
g_context_check:
	stp	x29, x30, [sp, #-FRAME]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mrs	x1, fpcr
	str	x1, [sp, #F_SAVED]
	ldr	x1, =g_ctx_sp
	mov	x2, sp
	str	x2, [x1]
	ldr	x1, =g_ctx_left
	str	x0, [x1]
	.irp	n, 5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
	pat	x\n, \n
	.endr
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	pat	x0, (64 + 2 * \n)
	mov	v\n\().d[0], x0
	pat	x0, (65 + 2 * \n)
	mov	v\n\().d[1], x0
	.endr
.Lctx_loop:
	ldr	x0, =g_ctx_left
	ldr	x1, [x0]
	cbz	x1, .Lctx_done
	/* ECHO of x1's pattern: SMCCC id 0xc6000001 in x0. */
	set_flags A
	pat	x1, 1
	pat	x2, 2
	pat	x3, 3
	pat	x4, 4
	movz	x0, #0xc600, lsl #16
	movk	x0, #1
	hvc	#0
	capture
	chkx	2
	chkx	3
	chkx	4
	ldp	x2, x3, [sp, #F_X0]
	fail_unless_eq x2, xzr, 1
	pat	x0, 1
	fail_unless_eq x3, x0, 2
	check_flags A
	check_all
	count_down
	cbz	x1, .Lctx_done
	/* A 4-byte read of the test device's ID register. */
	set_flags B
	pat	x0, 0
	pat	x1, 1
	ldr	x2, =G_TESTDEV
	pat	x3, 3
	pat	x4, 4
	ldr	w3, [x2]
	capture
	chkx	4
	ldr	x0, =G_TESTDEV
	fail_unless_eq x2, x0, 3
	movz	x0, #G_TESTDEV_ID_HI, lsl #16
	movk	x0, #G_TESTDEV_ID_LO
	fail_unless_eq x3, x0, 4
	ldp	x2, x3, [sp, #F_X0]
	pat	x0, 0
	fail_unless_eq x2, x0, 1
	pat	x0, 1
	fail_unless_eq x3, x0, 2
	check_flags B
	check_all
	count_down
	b	.Lctx_loop
.Lctx_done:
	mov	x0, #0
.Lctx_out:
	ldr	x1, =g_ctx_sp
	ldr	x1, [x1]
	mov	sp, x1
	ldr	x1, [sp, #F_SAVED]
	msr	fpcr, x1
	msr	fpsr, xzr
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	ldp	x29, x30, [sp], #FRAME
	ret
	.ltorg

	.bss
	.balign	8
g_ctx_sp:
	.quad	0
g_ctx_left:
	.quad	0
