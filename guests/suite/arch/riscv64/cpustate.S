/* SPDX-License-Identifier: MIT */
/*
 * The CPU state a guest can write and read back, saved and filled for the cpu-state check
 * (cpustate.c). Both are leaf functions that use no stack: start.S saves a secondary vCPU's state
 * before it has one. Layout: struct g_cpu_state (glayer.h).
 */
#define SSTATUS_FS_INITIAL 0x2000
#define SSTATUS_SUM_MXR	   0xc0000 /* bits 18, 19 */
#define SIP_SSIP	   0x2
#define ST_F		   (13 * 8)

	.option norelax
	.option arch, +d
	.text

/* void g_cpu_state_save(struct g_cpu_state *dst): reads sstatus before it turns FP on to read
 * fcsr and the FP file; stimecmp and senvcfg only where the probes found them. */
	.globl g_cpu_state_save
g_cpu_state_save:
	csrr	t0, sstatus
	sd	t0, 0(a0)
	csrr	t0, sie
	sd	t0, 8(a0)
	csrr	t0, sip
	sd	t0, 16(a0)
	csrr	t0, stvec
	sd	t0, 24(a0)
	csrr	t0, sscratch
	sd	t0, 32(a0)
	csrr	t0, sepc
	sd	t0, 40(a0)
	csrr	t0, scause
	sd	t0, 48(a0)
	csrr	t0, stval
	sd	t0, 56(a0)
	csrr	t0, satp
	sd	t0, 64(a0)
	csrr	t0, scounteren
	sd	t0, 72(a0)
	li	t0, 0
	lbu	t1, g_senvcfg
	beqz	t1, 1f
	csrr	t0, 0x10a
1:	sd	t0, 80(a0)
	li	t0, 0
	lbu	t1, g_sstc
	beqz	t1, 2f
	csrr	t0, 0x14d
2:	sd	t0, 88(a0)
	li	t0, SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	frcsr	t0
	sd	t0, 96(a0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, ST_F + \n * 8(a0)
	.endr
	ret

/* void g_cpu_state_fill(uint64_t satp): writes a value of its own into each piece of that state
 * (satp: the caller's page table, which must map this code), leaving interrupts masked. The
 * pending software interrupt it sets is never taken: the vCPU stops next. */
	.globl g_cpu_state_fill
g_cpu_state_fill:
	li	t0, SSTATUS_SUM_MXR | SSTATUS_FS_INITIAL
	csrs	sstatus, t0
	li	t0, 0x222
	csrs	sie, t0
	li	t0, SIP_SSIP
	csrs	sip, t0
	la	t0, g_trap_vector
	csrw	stvec, t0
	li	t0, 0x5c5c5c5c5c5c5c5c
	csrw	sscratch, t0
	li	t0, 0x90a0b0c0
	csrw	sepc, t0
	li	t0, 13
	csrw	scause, t0
	li	t0, 0x7a7a7a7a
	csrw	stval, t0
	li	t0, -1
	csrw	scounteren, t0
	lbu	t1, g_senvcfg
	beqz	t1, 1f
	csrw	0x10a, t0
1:	lbu	t1, g_sstc
	beqz	t1, 2f
	li	t0, 0x7eadbeef00000000
	csrw	0x14d, t0
2:	li	t0, 0x60	/* rounding mode 3 (up), no flags */
	fscsr	t0
	li	t0, 0x3c3c3c3c00000000
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	addi	t0, t0, 1
	fmv.d.x	f\n, t0
	.endr
	csrw	satp, a0
	sfence.vma
	ret
