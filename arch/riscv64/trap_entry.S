/* SPDX-License-Identifier: MIT */
/*
 * Trap vector for traps taken while the hypervisor itself runs in HS-mode (direct mode, so every
 * cause lands here). Saves the full integer file so the C handler can print it or skip a probed
 * instruction, then returns with sret.
 */
#include <riscv64/trap.h>

	.section .text.trap, "ax"
	.balign 4
	.globl riscv_trap_entry
riscv_trap_entry:
	addi	sp, sp, -RISCV_TF_SIZE
	sd	x1, RISCV_TF_X(1)(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, RISCV_TF_X(\n)(sp)
	.endr
	addi	t0, sp, RISCV_TF_SIZE
	sd	t0, RISCV_TF_X(2)(sp)
	csrr	t0, sepc
	sd	t0, RISCV_TF_SEPC(sp)
	csrr	t0, sstatus
	sd	t0, RISCV_TF_SSTATUS(sp)
	csrr	t0, scause
	sd	t0, RISCV_TF_SCAUSE(sp)
	csrr	t0, stval
	sd	t0, RISCV_TF_STVAL(sp)

	mv	a0, sp
	call	riscv_trap_handler

	ld	t0, RISCV_TF_SEPC(sp)
	csrw	sepc, t0
	ld	t0, RISCV_TF_SSTATUS(sp)
	csrw	sstatus, t0
	ld	x1, RISCV_TF_X(1)(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, RISCV_TF_X(\n)(sp)
	.endr
	addi	sp, sp, RISCV_TF_SIZE
	sret
