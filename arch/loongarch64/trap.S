/* SPDX-License-Identifier: MIT */
/*
 * Exception and TLB-refill entries. Nothing is handled yet: both save the general registers into
 * a frame and hand it to la_trap_report(), which prints the cause and panics.
 *
 * Both entries switch to this CPU's exception stack, whose top CSR SAVE0 holds, with one csrwr
 * that also parks the interrupted sp in SAVE0: a fault caused by a blown or corrupt stack is then
 * still reported. Both need 4 KiB alignment (EENTRY and TLBRENTRY ignore bits 11:0).
 * The TLB-refill entry runs in DA mode (the hardware clears PG); because the hypervisor's windows
 * are an identity map, the same addresses work there.
 */
#include <arch/loongarch.h>

#define LA_FRAME_REGS 32
#define LA_FRAME_SIZE (LA_FRAME_REGS * 8)

/* Saves r1..r31 at sp + 8 * n (slot 3 receives the interrupted sp afterwards). */
.macro la_save_gprs
	st.d	$r1, $sp, 8 * 1
	st.d	$r2, $sp, 8 * 2
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17
	st.d	$r\n, $sp, 8 * \n
	.endr
	.irp	n, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
	st.d	$r\n, $sp, 8 * \n
	.endr
.endm

.macro la_trap_entry name, kind
	.balign	4096
	.globl	\name
\name:
	csrwr	$sp, LA_CSR_SAVE0
	addi.d	$sp, $sp, -LA_FRAME_SIZE
	la_save_gprs
	csrrd	$t0, LA_CSR_SAVE0
	st.d	$t0, $sp, 8 * 3
	st.d	$zero, $sp, 0
	move	$a0, $sp
	li.d	$a1, \kind
	bl	la_trap_report
1:	idle	0
	b	1b
.endm

	.section .text.trap, "ax"
	la_trap_entry la_exc_entry, 0
	la_trap_entry la_tlbr_entry, 1
