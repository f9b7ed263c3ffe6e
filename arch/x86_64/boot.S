/* SPDX-License-Identifier: MIT */
/*
 * Multiboot2 entry. The loader starts us in 32-bit protected mode with paging off, EAX = the
 * multiboot2 magic, EBX = the physical address of its information structure, no stack, no GDT
 * or IDT we may rely on. This file gets the boot CPU into 64-bit mode on an identity map of the
 * first 4 GiB and calls x86_boot_main(magic, mbi); everything else is done in C.
 */

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0
#define MB2_BOOT_MAGIC 0x36d76289

#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80
#define BOOT_IDMAP_GIB 4

#define CR0_PE (1 << 0)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_NW (1 << 29)
#define CR0_CD (1 << 30)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)
#define EFLAGS_ID (1 << 21)
#define CPUID_EXT_LM (1 << 29)

/* Must lie in the first 32 KiB of the file, 8-byte aligned: the linker script puts it first. */
	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long MB2_ARCH_I386
	.long mb2_header_end - mb2_header
	.long 0x100000000 - (MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	/* end tag: type 0, flags 0, size 8 */
	.short 0
	.short 0
	.long 8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl _start
	.type _start, @function
_start:
	cli
	cld
	/* ESI keeps the information pointer (CPUID clobbers EBX), EBP the magic, until C. */
	mov %eax, %ebp
	mov %ebx, %esi
	/* A stack for the checks below: the boot CPU's stack (in .bss, not yet cleared). */
	mov $(__pv_stacks_start + CONFIG_BOOT_STACK_SIZE), %esp

	cmp $MB2_BOOT_MAGIC, %ebp
	jne .Lno_multiboot2

	/* CPUID exists if EFLAGS.ID can be toggled; long mode is CPUID 0x80000001 EDX bit 29. */
	pushfl
	pop %eax
	mov %eax, %ecx
	xor $EFLAGS_ID, %eax
	push %eax
	popfl
	pushfl
	pop %eax
	push %ecx
	popfl
	cmp %eax, %ecx
	je .Lno_long_mode
	mov $0x80000000, %eax
	cpuid
	cmp $0x80000001, %eax
	jb .Lno_long_mode
	mov $0x80000001, %eax
	cpuid
	test $CPUID_EXT_LM, %edx
	jz .Lno_long_mode

	/* Clear .bss first: the page tables and stacks live there. */
	mov $__pv_bss_start, %edi
	mov $__pv_bss_end, %ecx
	sub %edi, %ecx
	shr $2, %ecx
	xor %eax, %eax
	rep stosl

	/* PML4[0] -> PDPT; PDPT[0..3] -> the first four page directories (paging.c owns them). */
	mov $(x86_pdpt + PTE_P + PTE_RW), %eax
	mov %eax, x86_pml4
	mov $(x86_pd + PTE_P + PTE_RW), %eax
	xor %ecx, %ecx
1:	mov %eax, x86_pdpt(, %ecx, 8)
	add $4096, %eax
	inc %ecx
	cmp $BOOT_IDMAP_GIB, %ecx
	jb 1b

	/* 2048 entries of 2 MiB: entry i maps i << 21, which fits in the low dword below 4 GiB. */
	xor %ecx, %ecx
2:	mov %ecx, %eax
	shl $21, %eax
	or $(PTE_P + PTE_RW + PTE_PS), %eax
	mov %eax, x86_pd(, %ecx, 8)
	inc %ecx
	cmp $(BOOT_IDMAP_GIB * 512), %ecx
	jb 2b

	/* PAE, then the tables, then EFER.LME, then paging: the order long mode requires. */
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $x86_pml4, %eax
	mov %eax, %cr3
	mov $EFER_MSR, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	/* NE because VMX requires it (IA32_VMX_CR0_FIXED0); CD and NW clear: caches on. */
	mov %cr0, %eax
	and $~(CR0_CD | CR0_NW), %eax
	or $(CR0_PG | CR0_WP | CR0_NE | CR0_PE), %eax
	mov %eax, %cr0

	lgdt x86_gdt_ptr
	ljmp $0x08, $.Llong_mode

/* Before long mode there is no console driver: say what went wrong on COM1 directly, then stop. */
.Lno_multiboot2:
	mov $.Lmsg_no_mb2, %esi
	jmp .Learly_fail
.Lno_long_mode:
	mov $.Lmsg_no_lm, %esi
.Learly_fail:
#ifdef CONFIG_PLATFORM_UART_BASE
	mov $(CONFIG_PLATFORM_UART_BASE + 5), %dx
3:	in %dx, %al
	test $0x20, %al
	jz 3b
	lodsb
	test %al, %al
	jz 4f
	mov $CONFIG_PLATFORM_UART_BASE, %dx
	out %al, %dx
	jmp .Learly_fail
#endif
4:	cli
	hlt
	jmp 4b

	.code64
.Llong_mode:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $(__pv_stacks_start + CONFIG_BOOT_STACK_SIZE), %rsp
	/* Arguments as 32-bit moves: the upper halves are undefined after the mode switch. */
	mov %ebp, %edi
	mov %esi, %esi
	xor %ebp, %ebp
	call x86_boot_main
5:	cli
	hlt
	jmp 5b
	.size _start, . - _start

	.section .rodata.boot, "a"
.Lmsg_no_mb2:
	.asciz "Polyvisor: not started by a multiboot2 loader; halting\r\n"
.Lmsg_no_lm:
	.asciz "Polyvisor: this CPU has no 64-bit long mode; halting\r\n"

/*
 * GDT: null, 64-bit code (0x08), data (0x10), then one 16-byte TSS descriptor per CPU from 0x18,
 * written by x86_trap_init_cpu. Writable because LTR sets the TSS busy bit in it.
 */
	.section .data.boot, "aw"
	.balign 16
	.globl x86_gdt
x86_gdt:
	.quad 0
	.quad 0x00af9a000000ffff
	.quad 0x00cf92000000ffff
	.fill 2 * CONFIG_MAX_CPUS, 8, 0
x86_gdt_end:

	.balign 8
	.globl x86_gdt_ptr
x86_gdt_ptr:
	.short x86_gdt_end - x86_gdt - 1
	.quad x86_gdt
