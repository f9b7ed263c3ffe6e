/* SPDX-License-Identifier: MIT */
/*
 * The 256 interrupt and exception entry points. Each stub pushes a dummy error code where the CPU
 * pushes none, then the vector, so that every frame has the layout of struct x86_trap_frame, and
 * joins the common path, which saves the general registers and calls x86_trap().
 */

	.section .text.x86_traps, "ax"
	.code64
	.balign 16
	.globl x86_trap_stubs
x86_trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
1:
	/* #DF, #TS, #NP, #SS, #GP, #PF, #AC, #CP, #VC and #SX come with an error code. */
	.if (vec == 8) || ((vec >= 10) && (vec <= 14)) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	push $vec
	.else
	push $0
	push $vec
	.endif
	/* A jmp rel32 spelt out, so that no relaxation makes the stub's size unknown here. */
	.byte 0xe9
	.long x86_trap_common - (. + 4)
	/* idt.c finds stub n at x86_trap_stubs + 16 * n. */
	.if (. - 1b) > 16
	.error "interrupt stub longer than 16 bytes"
	.endif
	.set vec, vec + 1
	.endr

x86_trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	/* The frame is 22 quadwords above a 16-byte aligned boundary, so RSP is aligned here. */
	mov %rsp, %rdi
	cld
	call x86_trap
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp
	iretq
