/* SPDX-License-Identifier: MIT */
/*
 * int g_context_loop(unsigned exits, uint64_t mmio_addr)
 *
 * Fills RBX, RBP, RSI, R8-R15 and both halves of XMM0-XMM15 with distinct patterns, then makes
 * @exits exits, alternately a VERSION hypercall (VMCALL: RAX and RDX carry its results) and a
 * 4-byte MMIO read into EAX, and checks every pattern register after each one. RCX counts, RDI
 * holds the MMIO address, RSP the stack: a change to any of those derails the loop. Returns 0,
 * or 1 + the number of the first register found changed (x86 numbering for the general
 * registers, 16 + n for XMMn).
 */
#define PAT(n) (0x5ca1ab1e00000000 + (n) * 0x0101010101)

	.text
	.code64
	.globl g_context_loop
g_context_loop:
	push %rbx
	push %rbp
	push %r12
	push %r13
	push %r14
	push %r15
	mov %edi, %ecx
	mov %rsi, %rdi

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

1:	test $1, %ecx
	jz 2f
	mov (%rdi), %eax
	jmp 3f
2:	xor %eax, %eax
	vmcall
3:
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
	dec %ecx
	jnz 1b
	xor %edx, %edx
9:	mov %edx, %eax
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbp
	pop %rbx
	ret
