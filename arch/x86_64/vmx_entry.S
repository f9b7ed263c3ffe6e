/* SPDX-License-Identifier: MIT */
/*
 * int vmx_enter(struct vmx_gprs *gprs, int launched)
 *
 * Loads the guest's general registers and CR2 (none of them is in the VMCS) and enters the guest
 * with VMLAUNCH or VMRESUME. The VM exit lands in vmx_exit_stub (HOST_RIP) on the stack pointer
 * written to HOST_RSP here, saves the guest's registers back and returns 0 from vmx_enter.
 * A failed entry returns at once: 1 for VMfailInvalid, 2 for VMfailValid (error in the VMCS).
 */
#define VMCS_HOST_RSP 0x6c14
#define G(n) (8 * (n))
#define G_CR2 (8 * 16)
#define G_HOST_RSP (8 * 17)

	.text
	.code64
	.globl vmx_enter
	.type vmx_enter, @function
vmx_enter:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	push %rdi
	/* HOST_RSP changes only when this call is made from another stack depth: VMWRITE it then
	 * (a VMCS set up afresh has host_rsp = 0, which no stack pointer equals). */
	cmp %rsp, G_HOST_RSP(%rdi)
	je 4f
	mov $VMCS_HOST_RSP, %eax
	vmwrite %rsp, %rax
	mov %rsp, G_HOST_RSP(%rdi)
4:
	mov G_CR2(%rdi), %rax
	mov %rax, %cr2
	/* MOVs leave the flags alone: the test decides between VMLAUNCH and VMRESUME. */
	test %esi, %esi
	mov G(0)(%rdi), %rax
	mov G(1)(%rdi), %rcx
	mov G(2)(%rdi), %rdx
	mov G(3)(%rdi), %rbx
	mov G(5)(%rdi), %rbp
	mov G(6)(%rdi), %rsi
	mov G(8)(%rdi), %r8
	mov G(9)(%rdi), %r9
	mov G(10)(%rdi), %r10
	mov G(11)(%rdi), %r11
	mov G(12)(%rdi), %r12
	mov G(13)(%rdi), %r13
	mov G(14)(%rdi), %r14
	mov G(15)(%rdi), %r15
	mov G(7)(%rdi), %rdi
	jz 1f
	vmresume
	jmp 2f
1:	vmlaunch
2:	/* Still here: the entry failed before loading guest state. */
	setc %al
	setz %cl
	movzbl %al, %eax
	movzbl %cl, %ecx
	add %ecx, %ecx
	or %ecx, %eax
	jmp 3f

	.globl vmx_exit_stub
vmx_exit_stub:
	push %rdi
	mov 8(%rsp), %rdi
	mov %rax, G(0)(%rdi)
	mov %rcx, G(1)(%rdi)
	mov %rdx, G(2)(%rdi)
	mov %rbx, G(3)(%rdi)
	mov %rbp, G(5)(%rdi)
	mov %rsi, G(6)(%rdi)
	mov %r8, G(8)(%rdi)
	mov %r9, G(9)(%rdi)
	mov %r10, G(10)(%rdi)
	mov %r11, G(11)(%rdi)
	mov %r12, G(12)(%rdi)
	mov %r13, G(13)(%rdi)
	mov %r14, G(14)(%rdi)
	mov %r15, G(15)(%rdi)
	pop %rax
	mov %rax, G(7)(%rdi)
	mov %cr2, %rax
	mov %rax, G_CR2(%rdi)
	xor %eax, %eax
3:	add $8, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret
	.size vmx_enter, . - vmx_enter
