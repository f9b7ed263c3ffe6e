/* SPDX-License-Identifier: MIT */
/*
 * Entry, secondary-vCPU entry and trap vector of the riscv64 guest suite. The hypervisor starts
 * every vCPU the RISC-V way: VS-mode, satp and interrupts off, a0 = hart id, a1 = boot argument
 * (the opaque value of SBI HSM hart_start for secondaries).
 */
#define G_STACK_SIZE 16384
#define G_MAX_CPUS   2 /* as glayer.h */
#define SSTATUS_FS_INITIAL 0x2000
#define SIE_SSIE_STIE	   0x22
#define G_CPU_STATE_SIZE   (45 * 8) /* struct g_cpu_state (glayer.h) */

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

/* Secondary vCPUs: a1 = the C function to run (g_cpu_start passes it as the opaque value).
 * The CPU state the vCPU starts with is kept first, untouched (cpustate.c checks it). */
	.text
	.globl g_secondary_start
g_secondary_start:
	li	t0, G_MAX_CPUS
	bgeu	a0, t0, 9f
	mv	s0, a1
	mv	s1, a0
	la	a0, g_start_state
	li	t0, G_CPU_STATE_SIZE
	mul	t0, t0, s1
	add	a0, a0, t0
	call	g_cpu_state_save
	csrw	sie, zero
	mv	a0, s1
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

/* A probe that reads CSR \csr: 1 if the read completed, 0 if it faulted. */
	.macro CSR_PROBE name, csr
	.globl \name
\name:
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	csrr	a0, \csr
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ret
	.endm

	/* hvip: the hypervisor's interrupt-injection CSR; VS-mode must never reach it. */
	CSR_PROBE g_probe_hvip, 0x645
	/* hgatp: only HS-mode sees the G-stage root. */
	CSR_PROBE g_probe_hgatp, 0x680
	/* stimecmp: present when the hypervisor gives the guest Sstc. */
	CSR_PROBE g_probe_stimecmp, 0x14d
	/* senvcfg: present on harts of privileged spec 1.12 and later. */
	CSR_PROBE g_probe_senvcfg, 0x10a
	/* cycle and instret: hidden by the hypervisor (they count other VMs too). */
	CSR_PROBE g_probe_cycle, 0xc00
	CSR_PROBE g_probe_instret, 0xc02

/* Whether a vector instruction completes with the guest's own sstatus.VS on: 1 if it did, 0 if it
 * was illegal. The hypervisor never gives guests the vector unit, whatever the hart has. */
	.globl g_probe_vector
g_probe_vector:
	li	t2, 1 << 9		/* sstatus.VS = Initial */
	csrs	sstatus, t2
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	.option push
	.option arch, +v
	vsetvli	a0, zero, e8, m1, ta, ma
	.option pop
	li	a0, 1
	j	2f
1:	li	a0, 0
2:	la	t1, g_recover
	sd	zero, 0(t1)
	li	t2, 3 << 9
	csrc	sstatus, t2
	ret
