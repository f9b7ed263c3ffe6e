/* SPDX-License-Identifier: MIT */
/*
 * Application-processor start. smp.c copies the code between x86_ap_tramp_start and
 * x86_ap_tramp_end to X86_AP_TRAMP_BASE (below 1 MiB, where a start-up IPI can point), fills in
 * its parameter block and sends INIT-SIPI-SIPI. The AP wakes in real mode at CS:IP = base:0,
 * switches to protected mode, then to long mode on the boot CPU's page tables, loads the
 * hypervisor's GDT and jumps to x86_ap_entry64 in the image, which calls x86_ap_main(cpu).
 * Everything before the jump runs from the copy, so addresses are computed from the base.
 */
#include "ap_boot.h"

#define CR0_PE (1 << 0)
#define CR0_NE (1 << 5)
#define CR0_WP (1 << 16)
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define EFER_MSR 0xc0000080
#define EFER_LME (1 << 8)

#define T(sym) (X86_AP_TRAMP_BASE + ((sym) - x86_ap_tramp_start))

	.section .rodata.ap_tramp, "a"
	.code16
	.globl x86_ap_tramp_start
x86_ap_tramp_start:
	cli
	cld
	xor %ax, %ax
	mov %ax, %ds
	lgdtl T(tramp_gdt_ptr)
	mov %cr0, %eax
	or $CR0_PE, %eax
	mov %eax, %cr0
	ljmpl $0x08, $T(tramp_pm32)

	.code32
tramp_pm32:
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %cr4, %eax
	or $CR4_PAE, %eax
	mov %eax, %cr4
	mov $x86_pml4, %eax
	mov %eax, %cr3
	mov $EFER_MSR, %ecx
	rdmsr
	or $EFER_LME, %eax
	wrmsr
	mov %cr0, %eax
	or $(CR0_PG | CR0_WP | CR0_NE), %eax
	mov %eax, %cr0
	ljmp $0x18, $T(tramp_lm)

	.code64
tramp_lm:
	/* The image lies below 4 GiB (identity map): its address fits a 32-bit immediate. */
	mov $x86_ap_entry64, %eax
	jmp *%rax

	.balign 8
tramp_gdt:
	.quad 0
	.quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
	.quad 0x00cf92000000ffff /* 0x10: data */
	.quad 0x00af9a000000ffff /* 0x18: 64-bit code */
tramp_gdt_ptr:
	.short tramp_gdt_ptr - tramp_gdt - 1
	.long T(tramp_gdt)

	.balign 8
	.globl x86_ap_tramp_params
x86_ap_tramp_params:
	.quad 0 /* X86_AP_PARAM_STACK: stack top */
	.quad 0 /* X86_AP_PARAM_CPU: CPU index */
	.globl x86_ap_tramp_end
x86_ap_tramp_end:

	.text
	.code64
	.globl x86_ap_entry64
x86_ap_entry64:
	lgdt x86_gdt_ptr
	mov $0x10, %eax
	mov %eax, %ds
	mov %eax, %es
	mov %eax, %ss
	mov %eax, %fs
	mov %eax, %gs
	mov $(X86_AP_TRAMP_BASE + X86_AP_PARAM_OFFSET), %ebx
	mov X86_AP_PARAM_STACK(%rbx), %rsp
	mov X86_AP_PARAM_CPU(%rbx), %rdi
	/* Reload CS from the image's GDT through a far return. */
	pushq $0x08
	lea 1f(%rip), %rax
	push %rax
	lretq
1:	xor %ebp, %ebp
	call x86_ap_main
2:	cli
	hlt
	jmp 2b
