/* SPDX-License-Identifier: MIT */
/*
 * Entry, secondary-vCPU entry and trap vector of the riscv64 guest suite. The hypervisor starts
 * every vCPU the RISC-V way: VS-mode, satp and interrupts off, a0 = hart id, a1 = boot argument
 * (the opaque value of SBI HSM hart_start for secondaries).
 */
#define G_STACK_SIZE 16384
#define G_MAX_CPUS   2
#define SSTATUS_FS_INITIAL 0x2000
#define SIE_SSIE_STIE	   0x22

	.option norelax
	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	sie, zero
	li	t0, G_MAX_CPUS
	bgeu	a0, t0, 9f
	mv	s0, a1
	call	g_setup_cpu
	la	t0, __g_bss_start
	la	t1, __g_bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:	mv	a0, s0
	call	g_arch_main
9:	wfi
	j	9b

/* Secondary vCPUs: a1 = the C function to run (g_cpu_start passes it as the opaque value). */
	.text
	.globl g_secondary_start
g_secondary_start:
	csrw	sie, zero
	li	t0, G_MAX_CPUS
	bgeu	a0, t0, 9f
	mv	s0, a1
	call	g_setup_cpu
	jalr	s0
	call	g_cpu_stop
9:	wfi
	j	9b

/* Per-vCPU set-up for hart a0: stack, tp = hart id, vector, FP on, timer and software
 * interrupts enabled in sie (sstatus.SIE stays clear until g_irq_on). Returns with the new sp. */
g_setup_cpu:
	mv	t2, ra
	addi	t0, a0, 1
	li	t1, G_STACK_SIZE
	mul	t0, t0, t1
	la	sp, __g_stacks
	add	sp, sp, t0
	mv	tp, a0
	la	t0, g_trap_vector
	csrw	stvec, t0
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	fscsr	zero
	li	t0, SIE_SSIE_STIE
	csrs	sie, t0
	jr	t2

/* Traps: the caller-saved integer registers go on the stack (the C handler keeps the rest and
 * never touches FP), g_trap decides, sret resumes at whatever sepc it left. */
	.balign 4
	.globl g_trap_vector
g_trap_vector:
	addi	sp, sp, -128
	sd	ra, 0(sp)
	sd	t0, 8(sp)
	sd	t1, 16(sp)
	sd	t2, 24(sp)
	sd	a0, 32(sp)
	sd	a1, 40(sp)
	sd	a2, 48(sp)
	sd	a3, 56(sp)
	sd	a4, 64(sp)
	sd	a5, 72(sp)
	sd	a6, 80(sp)
	sd	a7, 88(sp)
	sd	t3, 96(sp)
	sd	t4, 104(sp)
	sd	t5, 112(sp)
	sd	t6, 120(sp)
	call	g_trap
	ld	ra, 0(sp)
	ld	t0, 8(sp)
	ld	t1, 16(sp)
	ld	t2, 24(sp)
	ld	a0, 32(sp)
	ld	a1, 40(sp)
	ld	a2, 48(sp)
	ld	a3, 56(sp)
	ld	a4, 64(sp)
	ld	a5, 72(sp)
	ld	a6, 80(sp)
	ld	a7, 88(sp)
	ld	t3, 96(sp)
	ld	t4, 104(sp)
	ld	t5, 112(sp)
	ld	t6, 120(sp)
	addi	sp, sp, 128
	sret

/*
 * Probes for the isolation check: one access that may fault. g_trap resumes a faulting probe at
 * g_recover (then cleared) with g_faulted set. Each returns 1 if the access completed, 0 if not.
 */
	.globl g_probe_load
g_probe_load:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	ld	a0, 0(a0)
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret

	.globl g_probe_store
g_probe_store:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	sd	zero, 0(a0)
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret

	/* A jump to the address: if anything runs there and returns, the fetch completed. */
	.globl g_probe_exec
g_probe_exec:
	addi	sp, sp, -16
	sd	ra, 0(sp)
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	jalr	a0
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ld	ra, 0(sp)
	addi	sp, sp, 16
	ret

	/* hvip (0x645): the hypervisor's interrupt-injection CSR; VS-mode must never reach it. */
	.globl g_probe_hvip
g_probe_hvip:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	csrr	a0, 0x645
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret

	/* hgatp (0x680): only HS-mode sees the G-stage root. */
	.globl g_probe_hgatp
g_probe_hgatp:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	csrr	a0, 0x680
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret

	/* stimecmp (0x14d): present when the hypervisor gives the guest Sstc. */
	.globl g_probe_stimecmp
g_probe_stimecmp:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	csrr	a0, 0x14d
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret
