/* SPDX-License-Identifier: MIT */
/*
 * int g_context_loop(unsigned exits, uint64_t mmio_addr)
 *
 * Fills RBX, RBP, RSI, R8-R15 and both halves of XMM0-XMM15 with distinct patterns, then makes
 * @exits exits, alternately a VERSION hypercall and a 4-byte MMIO read of the test device's ID
 * register into EAX, and checks every register after each one: VMCALL returns in RAX and RDX and
 * must leave RCX and RDI (argument registers) as they were; the MMIO read fills RAX (upper half
 * zero) and must leave RCX, RDX and RDI (the address) alone. MXCSR gets one of two patterns
 * before each exit and is checked after it; RSP is compared with its value at the start. The
 * count of exits left lives on the stack. The upper halves of the YMM registers do not exist for
 * the guest: CPUID hides AVX and XSAVE and CR4.OSXSAVE raises #GP (the x86-cpuid check).
 * Returns 0, or 1 + the number of the first register found changed (x86 numbering for the
 * general registers, 16 + n for XMMn, 32 for MXCSR).
 */
#define PAT(n) (0x5ca1ab1e00000000 + (n) * 0x0101010101)
#define TESTDEV_ID 0x50565444
#define HC_ABI_VERSION 0x00010000
/* Every exception masked (nothing can trap), rounding, flush-to-zero and flags vary. */
#define MXCSR_A 0xffbf /* FZ, RC 3, masks, every flag */
#define MXCSR_B 0x3f95 /* RC 1, masks, PE, UE, ZE, IE */

/* The frame below the saved registers. */
#define F_LEFT	 0  /* exits still to do */
#define F_ADDR	 8  /* the MMIO address */
#define F_RAX	 16 /* RAX as the exit left it */
#define F_MXCSR	 24 /* MXCSR as the exit left it */
#define F_SAVED	 28 /* the caller's MXCSR */
#define F_MXNEXT 32 /* the pattern loaded before the exit */
#define FRAME	 40

.macro	fail_unless_eq pat, reg, code
	movabs	$\pat, %rax
	cmp	%rax, \reg
	mov	$(\code + 1), %edx
	jne	9f
.endm

	.text
	.code64
	.globl g_context_loop
g_context_loop:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	sub	$FRAME, %rsp
	mov	%rsp, g_ctx_rsp(%rip)
	mov	%edi, %eax
	mov	%rax, F_LEFT(%rsp)
	mov	%rsi, F_ADDR(%rsp)
	stmxcsr	F_SAVED(%rsp)

	.irp r, 3,5,6,8,9,10,11,12,13,14,15
	movabs $PAT(\r), %rax
	.if \r == 3
	mov %rax, %rbx
	.elseif \r == 5
	mov %rax, %rbp
	.elseif \r == 6
	mov %rax, %rsi
	.else
	mov %rax, %r\r
	.endif
	.endr
	.irp x, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movabs $PAT(16 + \x), %rax
	movq %rax, %xmm\x
	movabs $PAT(48 + \x), %rax
	pinsrq $1, %rax, %xmm\x
	.endr

1:	cmpq	$0, F_LEFT(%rsp)
	je	8f
	testq	$1, F_LEFT(%rsp)
	jz	2f
	/* MMIO read: RCX, RDX keep their patterns, RDI the address. */
	movl	$MXCSR_B, F_MXNEXT(%rsp)
	ldmxcsr	F_MXNEXT(%rsp)
	movabs	$PAT(1), %rcx
	movabs	$PAT(2), %rdx
	mov	F_ADDR(%rsp), %rdi
	movabs	$PAT(0), %rax
	mov	(%rdi), %eax
	mov	%rax, F_RAX(%rsp)
	stmxcsr	F_MXCSR(%rsp)
	fail_unless_eq PAT(2), %rdx, 2
	fail_unless_eq PAT(1), %rcx, 1
	mov	F_ADDR(%rsp), %rax
	cmp	%rax, %rdi
	mov	$(7 + 1), %edx
	jne	9f
	fail_unless_eq TESTDEV_ID, F_RAX(%rsp), 0
	jmp	3f
	/* VERSION (RAX = 0): results in RAX and RDX; RCX and RDI are arguments, kept. */
2:	movl	$MXCSR_A, F_MXNEXT(%rsp)
	ldmxcsr	F_MXNEXT(%rsp)
	movabs	$PAT(1), %rcx
	movabs	$PAT(7), %rdi
	movabs	$PAT(2), %rdx
	xor	%eax, %eax
	vmcall
	mov	%rax, F_RAX(%rsp)
	stmxcsr	F_MXCSR(%rsp)
	fail_unless_eq HC_ABI_VERSION, %rdx, 2
	fail_unless_eq PAT(1), %rcx, 1
	fail_unless_eq PAT(7), %rdi, 7
	fail_unless_eq 0, F_RAX(%rsp), 0
3:	mov	F_MXCSR(%rsp), %eax
	cmp	F_MXNEXT(%rsp), %eax
	mov	$(32 + 1), %edx
	jne	9f
	cmp	g_ctx_rsp(%rip), %rsp
	mov	$(4 + 1), %edx
	jne	9f
	.irp r, 3,5,6,8,9,10,11,12,13,14,15
	movabs $PAT(\r), %rax
	.if \r == 3
	cmp %rax, %rbx
	.elseif \r == 5
	cmp %rax, %rbp
	.elseif \r == 6
	cmp %rax, %rsi
	.else
	cmp %rax, %r\r
	.endif
	mov $(\r + 1), %edx
	jne 9f
	.endr
	.irp x, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	movq %xmm\x, %rdx
	movabs $PAT(16 + \x), %rax
	cmp %rax, %rdx
	mov $(16 + \x + 1), %edx
	jne 9f
	pextrq $1, %xmm\x, %rdx
	movabs $PAT(48 + \x), %rax
	cmp %rax, %rdx
	mov $(16 + \x + 1), %edx
	jne 9f
	.endr
	decq	F_LEFT(%rsp)
	jmp	1b
8:	xor	%edx, %edx
9:	mov	g_ctx_rsp(%rip), %rsp
	ldmxcsr	F_SAVED(%rsp)
	mov	%edx, %eax
	add	$FRAME, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.bss
	.balign	8
g_ctx_rsp:
	.quad	0
