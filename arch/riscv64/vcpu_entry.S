/* SPDX-License-Identifier: MIT */
/*
 * World switch between the hypervisor (HS-mode) and a guest (VS-mode). riscv_guest_enter saves
 * the host's callee-saved registers in the vCPU, points stvec at riscv_guest_exit and sscratch at
 * the vCPU, loads the guest's integer file and returns into the guest with sret (hstatus.SPV = 1).
 * Every trap taken while the guest runs lands in riscv_guest_exit, which saves the guest's
 * integer file and the trap CSRs and returns to riscv_guest_enter's caller. The hypervisor never
 * uses FP, so the FP file is only switched between vCPUs (riscv_fp_save / riscv_fp_restore).
 */
#include <riscv64/csr.h>
#include <riscv64/vcpu.h>

	.section .text.vcpu_entry, "ax"
	.balign 4
	.globl riscv_guest_enter
riscv_guest_enter:
	sd	ra, RISCV_VC_HOST(0)(a0)
	sd	sp, RISCV_VC_HOST(1)(a0)
	sd	gp, RISCV_VC_HOST(2)(a0)
	sd	tp, RISCV_VC_HOST(3)(a0)
	sd	s0, RISCV_VC_HOST(4)(a0)
	sd	s1, RISCV_VC_HOST(5)(a0)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	sd	s\n, RISCV_VC_HOST(4 + \n)(a0)
	.endr
	csrw	sscratch, a0
	la	t0, riscv_guest_exit
	csrw	stvec, t0
	ld	t0, RISCV_VC_PC(a0)
	csrw	sepc, t0
	ld	t0, RISCV_VC_HSTATUS(a0)
	csrw	CSR_HSTATUS, t0
	ld	t0, RISCV_VC_SSTATUS(a0)
	csrw	sstatus, t0
	ld	x1, RISCV_VC_X(1)(a0)
	.irp n, 2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, RISCV_VC_X(\n)(a0)
	.endr
	ld	a0, RISCV_VC_X(10)(a0)
	sret

	/* stvec needs 4-byte alignment (direct mode). */
	.balign 4
	.globl riscv_guest_exit
riscv_guest_exit:
	csrrw	a0, sscratch, a0
	sd	x1, RISCV_VC_X(1)(a0)
	.irp n, 2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, RISCV_VC_X(\n)(a0)
	.endr
	csrr	t0, sscratch
	sd	t0, RISCV_VC_X(10)(a0)
	csrr	t0, sepc
	sd	t0, RISCV_VC_PC(a0)
	csrr	t0, sstatus
	sd	t0, RISCV_VC_SSTATUS(a0)
	csrr	t0, scause
	sd	t0, RISCV_VC_SCAUSE(a0)
	csrr	t0, stval
	sd	t0, RISCV_VC_STVAL(a0)
	csrr	t0, CSR_HTVAL
	sd	t0, RISCV_VC_HTVAL(a0)
	csrr	t0, CSR_HTINST
	sd	t0, RISCV_VC_HTINST(a0)
	la	t0, riscv_trap_entry
	csrw	stvec, t0
	ld	ra, RISCV_VC_HOST(0)(a0)
	ld	sp, RISCV_VC_HOST(1)(a0)
	ld	gp, RISCV_VC_HOST(2)(a0)
	ld	tp, RISCV_VC_HOST(3)(a0)
	ld	s0, RISCV_VC_HOST(4)(a0)
	ld	s1, RISCV_VC_HOST(5)(a0)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	ld	s\n, RISCV_VC_HOST(4 + \n)(a0)
	.endr
	ret

	/* Only this file touches the FP file; sstatus.FS is kept non-Off by cpu_enable. */
	.option push
	.option arch, +d
	.globl riscv_fp_save
riscv_fp_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, RISCV_VC_F(\n)(a0)
	.endr
	frcsr	t0
	sd	t0, RISCV_VC_FCSR(a0)
	ret

	.globl riscv_fp_restore
riscv_fp_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, RISCV_VC_F(\n)(a0)
	.endr
	ld	t0, RISCV_VC_FCSR(a0)
	fscsr	t0
	ret
	.option pop
