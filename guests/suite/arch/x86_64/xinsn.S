/* SPDX-License-Identifier: MIT */
/*
 * Instructions for the x86_64-specific checks (xchecks.c), each a function of one argument (RDI)
 * that may fault, run through g_x_try, which catches the fault: g_trap sends #UD, #GP and #PF to
 * the landing below while g_recover_rip is set. Results go through g_x_val.
 */
	.text
	.code64

/* int g_x_try(void (*fn)(uint64_t), uint64_t arg): -1 if fn(arg) returned, else the vector of
 * the fault it raised. */
	.globl g_x_try
g_x_try:
	push %rbx
	mov %rsp, g_recover_rsp(%rip)
	lea 1f(%rip), %rax
	mov %rax, g_recover_rip(%rip)
	mov %rdi, %rax
	mov %rsi, %rdi
	call *%rax
	movq $0, g_recover_rip(%rip)
	mov $-1, %eax
	pop %rbx
	ret
1:	movq $0, g_recover_rip(%rip)
	mov g_recover_vector(%rip), %eax
	pop %rbx
	ret

	.macro fn name
	.globl \name
	.type \name, @function
\name:
	.endm

/* MSR @rdi into g_x_val / g_x_val into MSR @rdi. */
fn g_x_rdmsr
	mov %edi, %ecx
	rdmsr
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, g_x_val(%rip)
	ret
fn g_x_wrmsr
	mov %edi, %ecx
	mov g_x_val(%rip), %rax
	mov %rax, %rdx
	shr $32, %rdx
	wrmsr
	ret

/* INVEPT / INVVPID / INVPCID of type 2 (all contexts) with a zeroed 16-byte descriptor. */
	.macro inv_all name, insn
fn \name
	sub $24, %rsp
	movq $0, (%rsp)
	movq $0, 8(%rsp)
	mov $2, %eax
	\insn (%rsp), %rax
	add $24, %rsp
	ret
	.endm

/* Instructions a guest of Polyvisor does not have (or whose effect is nil: INVD). */
	inv_all g_x_invept, invept
	inv_all g_x_invvpid, invvpid
fn g_x_vmxon
	sub $24, %rsp
	movq $0, (%rsp)
	vmxon (%rsp)
	add $24, %rsp
	ret
fn g_x_monitor
	lea g_x_val(%rip), %rax
	xor %ecx, %ecx
	xor %edx, %edx
	monitor
	ret
fn g_x_mwait
	xor %eax, %eax
	xor %ecx, %ecx
	mwait
	ret
fn g_x_rdpmc
	xor %ecx, %ecx
	rdpmc
	ret
fn g_x_getsec
	xor %eax, %eax
	getsec
	ret
fn g_x_xsetbv
	xor %ecx, %ecx
	mov $1, %eax
	xor %edx, %edx
	xsetbv
	ret
fn g_x_invd
	invd
	ret

/* Instructions CPUID may offer: TSC_AUX into g_x_val; INVPCID all-contexts. */
fn g_x_rdtscp
	rdtscp
	mov %rcx, g_x_val(%rip)
	ret
fn g_x_rdpid
	rdpid %rax
	mov %rax, g_x_val(%rip)
	ret
	inv_all g_x_invpcid, invpcid

/* Control and debug registers from @rdi. */
fn g_x_set_cr4
	mov %rdi, %cr4
	ret
fn g_x_set_cr8
	mov %rdi, %cr8
	ret
fn g_x_set_dr7
	mov %rdi, %dr7
	ret

/* SYSCALL to g_x_sys_entry (LSTAR), which records RCX, R11 and the RFLAGS it runs with, and
 * returns to RCX with R11's flags, still at CPL 0. */
fn g_x_syscall
	syscall
	.globl g_x_syscall_ret
g_x_syscall_ret:
	ret
fn g_x_sys_entry
	mov %rcx, g_x_sys_rcx(%rip)
	mov %r11, g_x_sys_r11(%rip)
	pushfq
	popq g_x_sys_flags(%rip)
	push %r11
	popfq
	jmp *%rcx
