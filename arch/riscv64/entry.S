/* SPDX-License-Identifier: MIT */
/*
 * Image entry. OpenSBI jumps here in HS-mode with the MMU off, a0 = hart id, a1 = DTB address.
 * Only the hart that won OpenSBI's boot lottery arrives; the others wait in the firmware (HSM).
 */
#include <riscv64/trap.h>

	.section .text.entry, "ax"
	.globl _start
_start:
	csrw	sie, zero
	csrci	sstatus, 2		/* SIE: no interrupts until the core asks for them */
	/* VS Off: the firmware may leave the vector unit on, and with it on in HS-mode a guest
	 * could use it too, registers unswitched between VMs (string_v.S turns it on briefly). */
	li	t0, 3 << 9
	csrc	sstatus, t0

	/* The boot hart always takes stack and per-CPU slot 0, whatever its hart id. */
	la	sp, __pv_stacks_start
	li	t0, CONFIG_BOOT_STACK_SIZE
	add	sp, sp, t0

	la	t0, __bss_start
	la	t1, __bss_end
1:	bgeu	t0, t1, 2f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	1b
2:
	la	tp, riscv_cpus
	csrw	sscratch, zero		/* zero: the vector's "trap taken in HS-mode" */
	la	t0, riscv_trap_vector
	csrw	stvec, t0
	/* a0 and a1 still hold what the firmware passed. */
	call	riscv_boot_main
3:	wfi
	j	3b

/*
 * Secondary harts, started by hal_cpu.cpu_start through SBI HSM hart_start: HS-mode, MMU off,
 * a0 = hart id, a1 = the opaque value, here the hart's struct riscv_cpu (index is its first
 * member). CPU n takes stack slot n.
 */
	.globl riscv_secondary_entry
riscv_secondary_entry:
	csrw	sie, zero
	csrci	sstatus, 2
	li	t0, 3 << 9		/* VS Off, as on the boot hart */
	csrc	sstatus, t0
	mv	tp, a1
	lwu	t0, 0(tp)
	addi	t0, t0, 1
	li	t1, CONFIG_BOOT_STACK_SIZE
	mul	t0, t0, t1
	la	sp, __pv_stacks_start
	add	sp, sp, t0
	csrw	sscratch, zero		/* zero: the vector's "trap taken in HS-mode" */
	la	t0, riscv_trap_vector
	csrw	stvec, t0
	mv	a0, tp
	call	riscv_secondary_main
4:	wfi
	j	4b
