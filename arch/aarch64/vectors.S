/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vector table. Every entry saves the interrupted register state into a
 * struct a64_regs on the current stack and hands it to a64_exception() with the entry's index
 * (group * 4 + type; see exception.c), which reports and panics: the hypervisor itself never takes
 * an exception it expects. Exceptions from a lower EL are guest exits (see guest.S): while a guest
 * runs, SP_EL2 points at its vCPU context (struct a64_vcpu), so these entries store the guest's
 * registers there directly.
 */
#include <a64/vcpu_offsets.h>

#define A64_REGS_SIZE	288	/* sizeof(struct a64_regs), a multiple of 16 */

.macro	a64_vector index
	.balign	0x80
	sub	sp, sp, #A64_REGS_SIZE
	stp	x0, x1, [sp, #0]
	mov	x1, #\index
	b	a64_vector_common
.endm

/*
 * The guest registers a C function may change: x0-x18 (and x19 with it, to keep pairs), x29 and
 * x30. x20-x28 are callee-saved under the C ABI: they stay live in the CPU while the exit is
 * handled in C, and only a64_guest_exit_slow (guest.S) stores them.
 */
.macro	a64_guest_save_caller
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x29, x30, [sp, #232]
.endm

/* An exception from the guest that always leaves to a64_vcpu_run. */
.macro	a64_guest_vector index
	.balign	0x80
	a64_guest_save_caller
	mov	x0, sp
	mov	x1, #\index
	b	a64_guest_exit_slow
.endm

/*
 * A synchronous exception from an AArch64 guest: a64_guest_sync handles hypercalls and emulated
 * accesses on the hypervisor stack and returns the context to re-enter, or NULL for the full
 * exit path (x0 is then reloaded from TPIDR_EL2, which holds the running context). PC and PSTATE
 * stay in ELR_EL2 and SPSR_EL2: a64_guest_sync reads them when it needs them and writes back
 * what it changed.
 */
.macro	a64_guest_sync_vector index
	.balign	0x80
	a64_guest_save_caller
	mov	x0, sp
	ldr	x1, [x0, #A64_CTX_HOST_SP]
	mov	sp, x1
	bl	a64_guest_sync
	cbnz	x0, a64_guest_resume
	mrs	x0, tpidr_el2
	mov	x1, #\index
	b	a64_guest_exit_slow
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
	a64_guest_sync_vector 8	/* lower EL, AArch64: sync */
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
