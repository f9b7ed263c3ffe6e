/* SPDX-License-Identifier: MIT */
/*
 * int g_context_check(unsigned exits): fills x5-x30 and v0-v31 (both halves) with patterns, then
 * makes @exits exits, alternating an ECHO hypercall (x0, x1 carry it; x4 counts down and is the
 * echoed value) and a test-device MMIO read (x2 address, w3 result), and after each checks the
 * results and every pattern register, and SP. Returns 0 or the first changed register + 1
 * (x0-x30: 0-30, SP: 31, v0-v31: 32-63).
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
	stp	x29, x30, [sp, #-160]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	ldr	x1, =g_ctx_sp
	mov	x2, sp
	str	x2, [x1]
	mov	w4, w0
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
	cbz	x4, .Lctx_done
	movz	x0, #0xc600, lsl #16		/* ECHO: SMCCC id 0xc6000001 */
	movk	x0, #1
	mov	x1, x4
	hvc	#0
	fail_unless_eq x0, xzr, 1
	fail_unless_eq x1, x4, 2
	check_all
	sub	x4, x4, #1
	cbz	x4, .Lctx_done
	ldr	x2, =G_TESTDEV
	ldr	w3, [x2]
	movz	w0, #G_TESTDEV_ID_HI, lsl #16
	movk	w0, #G_TESTDEV_ID_LO
	fail_unless_eq w3, w0, 4
	ldr	x0, =G_TESTDEV
	fail_unless_eq x2, x0, 3
	check_all
	sub	x4, x4, #1
	b	.Lctx_loop
.Lctx_done:
	mov	x0, #0
.Lctx_out:
	ldr	x1, =g_ctx_sp
	ldr	x1, [x1]
	mov	sp, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	ldp	x29, x30, [sp], #160
	ret
	.ltorg

	.bss
	.balign	8
g_ctx_sp:
	.quad	0
