/* SPDX-License-Identifier: MIT */
/*
 * World switch between the hypervisor (HS-mode) and a guest (VS-mode), and the hart's one trap
 * vector (stvec never changes after boot).
 *
 * sscratch tells the vector where a trap came from: it holds the running vCPU's struct
 * riscv_vcpu while a guest runs and zero while the hypervisor runs (boot code zeroes it before
 * it installs the vector). Nothing between riscv_guest_enter's write of sscratch and its sret
 * can trap (loads from the vCPU, interrupts off), nor anything in the exit path before
 * sscratch is zeroed again, so a zero after the swap always means an HS-mode trap.
 *
 * riscv_guest_enter saves the host's callee-saved registers in the vCPU, loads the guest's
 * integer file and returns into the guest with sret. A trap out of the guest saves the guest's
 * caller-saved registers, sp, gp, tp, sepc and scause and calls riscv_guest_sync (vexit.c) on
 * the hypervisor stack, with the guest's s0-s11 still in the hart: it handles a hypercall or an
 * MMIO access there and the guest is entered again (riscv_guest_resume), or it declines and the
 * full exit saves s0-s11 too, restores the host's registers and returns to riscv_guest_enter's
 * caller. What the exit does not save, and why that is right:
 *  - stval, htval, htinst, sstatus: read in C (riscv_vcpu_run) only for the exits that use
 *    them, before anything else could trap in HS-mode and overwrite them;
 *  - host gp and tp: the psABI never lets compiled code change them, and boot code sets them
 *    once per hart, so riscv_vcpu_load stores them in the vCPU when it makes the vCPU the
 *    hart's (vCPUs never move between harts);
 *  - hstatus and sstatus.SPP are not rewritten per entry: see riscv_vcpu_load (vcpu.c).
 * The hypervisor never uses FP, so the FP file is only switched between vCPUs
 * (riscv_fp_save / riscv_fp_restore).
 */
#include <riscv64/csr.h>
#include <riscv64/vcpu.h>

	.section .text.vcpu_entry, "ax"
	.balign 4
	.globl riscv_guest_enter
riscv_guest_enter:
	sd	ra, RISCV_VC_HOST(0)(a0)
	sd	sp, RISCV_VC_HOST(1)(a0)
	sd	s0, RISCV_VC_HOST(4)(a0)
	sd	s1, RISCV_VC_HOST(5)(a0)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	sd	s\n, RISCV_VC_HOST(4 + \n)(a0)
	.endr
	csrw	sscratch, a0
	ld	t0, RISCV_VC_PC(a0)
	csrw	sepc, t0
	ld	x1, RISCV_VC_X(1)(a0)
	.irp n, 2,3,4,5,6,7,8,9,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, RISCV_VC_X(\n)(a0)
	.endr
	ld	a0, RISCV_VC_X(10)(a0)
	sret

	/* stvec needs 4-byte alignment (direct mode). */
	.balign 4
	.globl riscv_trap_vector
riscv_trap_vector:
	csrrw	a0, sscratch, a0
	beqz	a0, 1f
	/* What C code may change (the caller-saved registers) and sp, gp, tp; s0-s11 stay live in
	 * the hart while riscv_guest_sync runs, as every C function preserves them. */
	.irp n, 1,2,3,4,5,6,7,11,12,13,14,15,16,17,28,29,30,31
	sd	x\n, RISCV_VC_X(\n)(a0)
	.endr
	csrrw	t0, sscratch, zero
	sd	t0, RISCV_VC_X(10)(a0)
	csrr	t0, sepc
	sd	t0, RISCV_VC_PC(a0)
	csrr	t0, scause
	sd	t0, RISCV_VC_SCAUSE(a0)
	ld	sp, RISCV_VC_HOST(1)(a0)
	ld	gp, RISCV_VC_HOST(2)(a0)
	ld	tp, RISCV_VC_HOST(3)(a0)
	/* riscv_guest_sync on the hypervisor stack, below riscv_guest_enter's caller: the vCPU to
	 * enter again, or zero for the full exit. */
	addi	sp, sp, -16
	sd	a0, 0(sp)
	call	riscv_guest_sync
	ld	t0, 0(sp)
	addi	sp, sp, 16
	bnez	a0, riscv_guest_resume
	mv	a0, t0
	/* The full exit: the rest of the guest's registers, then the host's. */
	sd	s0, RISCV_VC_X(8)(a0)
	sd	s1, RISCV_VC_X(9)(a0)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	sd	s\n, RISCV_VC_X(16 + \n)(a0)
	.endr
	ld	ra, RISCV_VC_HOST(0)(a0)
	ld	s0, RISCV_VC_HOST(4)(a0)
	ld	s1, RISCV_VC_HOST(5)(a0)
	.irp n, 2,3,4,5,6,7,8,9,10,11
	ld	s\n, RISCV_VC_HOST(4 + \n)(a0)
	.endr
	ret				/* a0: the vCPU, riscv_guest_enter's result */

	/* a0: the vCPU riscv_guest_sync handled an exit of; s0-s11 still hold the guest's. */
riscv_guest_resume:
	csrw	sscratch, a0
	ld	t0, RISCV_VC_PC(a0)
	csrw	sepc, t0
	.irp n, 1,2,3,4,5,6,7,11,12,13,14,15,16,17,28,29,30,31
	ld	x\n, RISCV_VC_X(\n)(a0)
	.endr
	ld	a0, RISCV_VC_X(10)(a0)
	sret
	/* A trap taken by the hypervisor itself: give a0 and sscratch (zero) back. */
1:	csrrw	a0, sscratch, a0
	j	riscv_trap_entry

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
