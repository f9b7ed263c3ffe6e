/* SPDX-License-Identifier: MIT */
/*
 * Entry of the x86_64 guest suite. Polyvisor starts a vCPU in 32-bit protected mode, flat
 * segments, paging off, interrupts masked, EDI = the boot argument (docs/x86_64.md). The boot
 * vCPU clears .bss and builds an identity map of the low 4 GiB with 2 MiB pages; every vCPU then
 * enables long mode on it and calls C: g_main(boot argument) on the boot vCPU, g_ap_main() on
 * another vCPU, which enters at g_ap_start32 with EDI = its CPU index: from the start-up
 * trampoline below (INIT-SIPI-SIPI), or directly with the CPU_ON hypercall.
 */
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_OSFXSR (1 << 9)
#define CR4_OSXMMEXCPT (1 << 10)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define PTE_P_RW 0x3
#define PTE_PS 0x80
#define STACK_SIZE 16384
#define SIPI_BASE 0x8000 /* G_SIPI_PAGE in garch.c: the start-up page, vector 0x08 */
#define MSR_X2APIC_ID 0x802

	.section .text.entry, "ax"
	.code32
	.globl g_start32
g_start32:
	mov %edi, %ebp
	mov $__g_bss_start, %edi
	mov $__g_bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	/* PML4[0] -> PDPT, PDPT[0..3] -> four page directories of 512 2 MiB pages each. */
	mov $(g_pdpt + PTE_P_RW), %eax
	mov %eax, g_pml4
	mov $(g_pd + PTE_P_RW), %eax
	xor %ecx, %ecx
1:	mov %eax, g_pdpt(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $4, %ecx
	jb 1b
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P_RW + PTE_PS), %eax
	mov %eax, g_pd(, %ecx, 8)
	inc %ecx
	cmp $2048, %ecx
	jb 2b

	mov $(g_stacks + STACK_SIZE), %esp
	xor %edi, %edi
	jmp g_long_mode

	.globl g_ap_start32
g_ap_start32:
	mov %edi, %ebp
	/* Stack of vCPU n: g_stacks + (n + 1) * STACK_SIZE. */
	lea 1(%edi), %eax
	imul $STACK_SIZE, %eax
	add $g_stacks, %eax
	mov %eax, %esp
	mov $1, %edi

/* EDI: 0 boot vCPU, 1 other; EBP: the argument; ESP: the stack. */
g_long_mode:
	lgdt g_gdt_ptr
	mov %cr4, %eax
	or $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	mov %eax, %cr4
	mov $g_pml4, %eax
	mov %eax, %cr3
	mov $EFER_MSR, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $CR0_PG, %eax
	mov %eax, %cr0
	ljmp $0x08, $g_start64

	.code64
g_start64:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov %edi, %eax
	mov %ebp, %edi
	test %eax, %eax
	jnz 3f
	call g_boot_main
	jmp 4f
3:	call g_ap_main
4:	cli
	hlt
	jmp 4b

/*
 * The start-up trampoline. The boot vCPU copies g_sipi_start..g_sipi_end to SIPI_BASE (guest
 * RAM below 1 MiB) and sends INIT, SIPI, SIPI with vector SIPI_BASE >> 12: the vCPU starts here
 * in real mode with CS = SIPI_BASE >> 4, IP 0. It records CS and CR0 as it found them (for the
 * smp check's line), enters 32-bit protected mode on a GDT of its own, reads its x2APIC id (the
 * vCPU index in this guest) and joins the CPU_ON path at g_ap_start32, which enables long mode
 * and gives it its stack. Position-dependent on SIPI_BASE; only the copy runs.
 */
	.section .rodata
	.balign 16
	.globl g_sipi_start
	.code16
g_sipi_start:
	cli
	cld
	mov %cs, %ax
	mov %ax, %ds
	mov %ax, g_sipi_seen_cs - g_sipi_start
	mov %cr0, %eax
	mov %eax, g_sipi_seen_cr0 - g_sipi_start
	lgdtl g_sipi_gdt_ptr - g_sipi_start
	and $~0x60000000, %eax /* caches on: CD and NW clear */
	or $1, %eax
	mov %eax, %cr0
	ljmpl $0x08, $(SIPI_BASE + g_sipi_32 - g_sipi_start)
	.code32
g_sipi_32:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $MSR_X2APIC_ID, %ecx
	rdmsr
	mov %eax, %edi
	mov $g_ap_start32, %eax
	jmp *%eax
	.balign 8
g_sipi_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
g_sipi_gdt_ptr:
	.short g_sipi_gdt_ptr - g_sipi_gdt - 1
	.long SIPI_BASE + g_sipi_gdt - g_sipi_start
	.balign 4
g_sipi_seen_cr0:
	.long 0
g_sipi_seen_cs:
	.short 0
g_sipi_end:
	.code64
	/* For C: the trampoline's size and where in it the recorded CS and CR0 are. */
	.balign 4
	.globl g_sipi_info
g_sipi_info:
	.long g_sipi_end - g_sipi_start
	.long g_sipi_seen_cs - g_sipi_start
	.long g_sipi_seen_cr0 - g_sipi_start

	.balign 8
g_gdt:
	.quad 0
	.quad 0x00af9a000000ffff /* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
g_gdt_end:
g_gdt_ptr:
	.short g_gdt_end - g_gdt - 1
	.quad g_gdt

	.section .bss
	.balign 4096
	.globl g_pml4
g_pml4:	.skip 4096
g_pdpt:	.skip 4096
g_pd:	.skip 4 * 4096
	.balign 16
	.globl g_stacks
g_stacks:
	.skip 2 * STACK_SIZE

/*
 * Interrupt and exception entry. Each stub pushes a dummy error code where the CPU pushes none,
 * then its vector; the common path saves the general registers and calls g_trap(frame). The
 * timer stub reads the TSC first, so that the handler's entry time excludes the register saves.
 */
	.text
	.macro stub vec, err
	.globl g_stub_\vec
g_stub_\vec:
	.if \err == 0
	push $0
	.endif
	push $\vec
	jmp g_trap_common
	.endm

	.irp v, 0,1,2,3,4,5,6,7,9,16,18,19,20,0x41,0xff
	stub \v, 0
	.endr
	.irp v, 8,10,11,12,13,14,17,21
	stub \v, 1
	.endr

	.globl g_stub_timer
g_stub_timer:
	push %rax
	push %rdx
	rdtsc
	shl $32, %rdx
	or %rdx, %rax
	mov %rax, g_timer_entry_tsc(%rip)
	pop %rdx
	pop %rax
	push $0
	push $0x40
	jmp g_trap_common

g_trap_common:
	push %rax
	push %rcx
	push %rdx
	push %rbx
	push %rbp
	push %rsi
	push %rdi
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, %rdi
	cld
	call g_trap
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rdi
	pop %rsi
	pop %rbp
	pop %rbx
	pop %rdx
	pop %rcx
	pop %rax
	add $16, %rsp
	iretq

/*
 * int g_probe(int kind, uint64_t addr): one read (0), byte write (1) or call (2) at @addr.
 * Returns 1 if it completed, 0 if it faulted: g_trap sends a #GP or #PF to the landing below
 * with the stack pointer of the call, while g_recover_rip is set.
 */
	.globl g_probe
g_probe:
	mov %rsp, g_recover_rsp(%rip)
	lea 9f(%rip), %rax
	mov %rax, g_recover_rip(%rip)
	cmp $1, %edi
	je 6f
	ja 7f
	mov (%rsi), %rax
	jmp 8f
6:	movb $0, (%rsi)
	jmp 8f
7:	call *%rsi
8:	movq $0, g_recover_rip(%rip)
	mov $1, %eax
	ret
9:	movq $0, g_recover_rip(%rip)
	xor %eax, %eax
	ret
