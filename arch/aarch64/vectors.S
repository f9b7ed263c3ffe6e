/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vector table. Every entry saves the interrupted register state into a
 * struct a64_regs on the current stack and hands it to a64_exception() with the entry's index
 * (group * 4 + type; see exception.c), which reports and panics: the hypervisor itself never takes
 * an exception it expects. Exceptions from a lower EL are guest exits (guest.S).
 */

#define A64_REGS_SIZE	288	/* sizeof(struct a64_regs), a multiple of 16 */

.macro	a64_vector index
	.balign	0x80
	sub	sp, sp, #A64_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	a64_vector_common
.endm

/* An exception from the guest: its x0/x1 go on the stack, the exit path saves the rest. */
.macro	a64_guest_vector index
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\index
	b	a64_guest_exit
.endm

	.section .text.vectors, "ax"
	.balign	2048
	.global	a64_el2_vectors
a64_el2_vectors:
	a64_vector 0		/* current EL, SP_EL0: sync */
	a64_vector 1		/* irq */
	a64_vector 2		/* fiq */
	a64_vector 3		/* serror */
	a64_vector 4		/* current EL, SP_EL2: sync */
	a64_vector 5
	a64_vector 6
	a64_vector 7
	a64_guest_vector 8		/* lower EL, AArch64: sync */
	a64_guest_vector 9
	a64_guest_vector 10
	a64_guest_vector 11
	a64_guest_vector 12		/* lower EL, AArch32: sync */
	a64_guest_vector 13
	a64_guest_vector 14
	a64_guest_vector 15

	.balign	0x80
a64_vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #A64_REGS_SIZE		/* stack pointer before the exception */
	stp	x30, x2, [sp, #240]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [sp, #272]
	/* a64_exception walks the interrupted code's frames from the saved x29 instead. */
	mov	x0, sp
	mov	x29, xzr
	bl	a64_exception
1:	wfe
	b	1b
