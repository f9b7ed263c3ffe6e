/* SPDX-License-Identifier: MIT */
/*
 * Guest entry and exit. a64_guest_enter keeps the hypervisor's callee-saved registers on its own
 * stack, records that stack in the vCPU context and erets into the guest. While the guest runs,
 * SP_EL2 points at its context (TPIDR_EL2 too), so an exception from the guest stores the guest's
 * registers there without a scratch register (vectors.S).
 *
 * Two ways out. The synchronous vector stores only what C code may change (x0-x19, x29, x30;
 * x20-x28 are callee-saved, so every C function returns them as it found them, and PC and PSTATE
 * stay in ELR_EL2/SPSR_EL2, which only a later exception could change) and calls
 * a64_guest_sync on the hypervisor stack, below a64_guest_enter's frame; when that handled the exit
 * it returns the context and a64_guest_resume erets straight back, restoring the same registers.
 * Everything else (and a synchronous exit a64_guest_sync declines) goes through
 * a64_guest_exit_slow, which completes the saved state (x20-x28, syndrome registers) and returns
 * from a64_guest_enter with the vector index.
 */
#include <a64/vcpu_offsets.h>

	.text
	.global a64_guest_enter
	.type a64_guest_enter, %function
a64_guest_enter:
	stp	x29, x30, [sp, #-96]!
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	mov	x1, sp
	str	x1, [x0, #A64_CTX_HOST_SP]
	msr	tpidr_el2, x0
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldr	x28, [x0, #224]
	ldp	x1, x2, [x0, #A64_CTX_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	/* fall through */
	.size a64_guest_enter, . - a64_guest_enter

/* x0: the context; x20-x28, ELR_EL2 and SPSR_EL2 already hold the guest's values. */
	.global a64_guest_resume
	.type a64_guest_resume, %function
a64_guest_resume:
	mov	sp, x0
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x29, x30, [x0, #232]
	ldp	x0, x1, [x0, #0]
	eret
	.size a64_guest_resume, . - a64_guest_resume

/*
 * x0: the context, x1: the vector index; x0-x19, x29 and x30 are saved, x20-x28 still hold the
 * guest's values. SP is the context or, after a64_guest_sync, the hypervisor stack.
 */
	.global a64_guest_exit_slow
	.type a64_guest_exit_slow, %function
a64_guest_exit_slow:
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	str	x28, [x0, #224]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #A64_CTX_PC]
	mrs	x2, esr_el2
	mrs	x3, far_el2
	stp	x2, x3, [x0, #A64_CTX_ESR]
	mrs	x2, hpfar_el2
	stp	x2, x1, [x0, #A64_CTX_HPFAR]
	ldr	x2, [x0, #A64_CTX_HOST_SP]
	mov	sp, x2
	mov	x0, x1
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret
	.size a64_guest_exit_slow, . - a64_guest_exit_slow

/* The guest's FP/SIMD registers; the hypervisor itself is built without them. */
	.arch	armv8-a+fp+simd
	.global a64_fp_save
	.type a64_fp_save, %function
a64_fp_save:
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #512
	stp	x1, x2, [x0]
	ret
	.size a64_fp_save, . - a64_fp_save

	.global a64_fp_restore
	.type a64_fp_restore, %function
a64_fp_restore:
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	add	x0, x0, #512
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret
	.size a64_fp_restore, . - a64_fp_restore
