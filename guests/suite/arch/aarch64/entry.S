/* SPDX-License-Identifier: MIT */
/*
 * Entry, exception vectors and fault probes of the aarch64 guest suite. The guest runs at EL1h
 * with its MMU off. x0 at entry: the boot argument (boot vCPU) or the C function a secondary
 * vCPU runs (PSCI CPU_ON context id).
 */
#define G_STACK_SIZE 16384

	.section .text.entry, "ax"
	.global _start
_start:
	mov	x19, x0
	ldr	x1, =__g_stacks + G_STACK_SIZE
	bl	g_cpu_setup
	ldr	x1, =__g_bss_start
	ldr	x2, =__g_bss_end
1:	cmp	x1, x2
	b.hs	2f
	str	xzr, [x1], #8
	b	1b
2:	bl	g_cpustate_start
	bl	g_gic_cpu_init
	mov	x0, x19
	bl	g_main
3:	wfi
	b	3b

/* Secondary vCPU: its own stack, then the C function in x0, which never returns. */
	.global g_secondary_entry
g_secondary_entry:
	mov	x19, x0
	ldr	x1, =__g_stacks + 2 * G_STACK_SIZE
	bl	g_cpu_setup
	bl	g_cpustate_start
	bl	g_gic_cpu_init
	blr	x19
4:	wfi
	b	4b

/* Per-vCPU EL1 state: stack (x1), vectors, FP/SIMD usable at EL1. Keeps x19. */
g_cpu_setup:
	mov	sp, x1
	adr	x2, g_vectors
	msr	vbar_el1, x2
	mov	x2, #(3 << 20)
	msr	cpacr_el1, x2
	isb
	ret
	.ltorg

/*
 * bool g_probe(unsigned kind, uint64_t addr): one read (0), write (1) or instruction fetch (2)
 * at addr; false when it faulted. The synchronous vector resumes a faulting probe at 9f.
 */
	.text
	.global g_probe
g_probe:
	stp	x29, x30, [sp, #-16]!
	adr	x2, 9f
	ldr	x3, =g_probe_resume
	ldr	x5, =g_probe_faulted
	str	wzr, [x5]
	str	x2, [x3]
	cmp	w0, #1
	b.lo	5f
	b.eq	6f
	blr	x1
	b	9f
5:	ldr	x6, [x1]
	b	9f
6:	str	x1, [x1]
9:	ldr	x3, =g_probe_resume
	str	xzr, [x3]
	ldr	x5, =g_probe_faulted
	ldr	w0, [x5]
	eor	w0, w0, #1
	ldp	x29, x30, [sp], #16
	ret

	.ltorg

/* ---- EL1 vectors ---- */
.macro	g_bad_vector index
	.balign	0x80
	mov	x0, #\index
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	g_unexpected
.endm

	.section .text.vectors, "ax"
	.balign	2048
g_vectors:
	g_bad_vector 0
	g_bad_vector 1
	g_bad_vector 2
	g_bad_vector 3
	/* current EL with SP_ELx: synchronous */
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	ldr	x0, =g_probe_resume
	ldr	x0, [x0]
	cbz	x0, 1f
	msr	elr_el1, x0
	ldr	x0, =g_probe_faulted
	mov	w1, #1
	str	w1, [x0]
	ldr	x0, =g_probe_resume
	str	xzr, [x0]
	ldp	x0, x1, [sp], #16
	eret
1:	ldp	x0, x1, [sp], #16
	mov	x0, #4
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	b	g_unexpected
	.ltorg
	/* current EL with SP_ELx: IRQ. The counter is read first: the benchmark's entry time. */
	.balign	0x80
	sub	sp, sp, #176
	stp	x0, x1, [sp, #0]
	mrs	x0, cntvct_el0
	b	g_irq_entry
	g_bad_vector 6
	g_bad_vector 7
	g_bad_vector 8
	g_bad_vector 9
	g_bad_vector 10
	g_bad_vector 11
	g_bad_vector 12
	g_bad_vector 13
	g_bad_vector 14
	g_bad_vector 15

	.text
g_irq_entry:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x29, [sp, #144]
	str	x30, [sp, #160]
	bl	g_irq
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x29, [sp, #144]
	ldr	x30, [sp, #160]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #176
	eret
