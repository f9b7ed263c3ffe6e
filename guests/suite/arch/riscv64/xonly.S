/* SPDX-License-Identifier: MIT */
/*
 * Code for the execute-only MMIO check (xonly.c). The two pages of .text.xonly are mapped a
 * second time, execute-only (X = 1, R = 0), by the guest's own Sv39 tables; the stubs below run
 * from that alias and make device accesses, so the hypervisor has to read each trapping
 * instruction through a translation that does not allow reading it. Every stub takes the device
 * address in a0, returns what it loaded in a0 (stores: the stored value), and ends with a 32-bit
 * jalr so that each stub's own instruction bits are all that matter.
 */
	.option norelax
	.option push
	.option norvc
	.section .text.xonly, "ax"
	.balign 4096
	.globl g_xonly_page
g_xonly_page:

	/* Nothing but a return: running it caches the translation of this page. */
	.globl g_xonly_ret
g_xonly_ret:
	jalr	zero, 0(ra)

	/* A 32-bit load at a 4-byte aligned pc. */
	.globl g_xonly_lw
g_xonly_lw:
	lw	a0, 0(a0)
	jalr	zero, 0(ra)

	/* A 32-bit load at a pc that is 2 mod 4 (the instruction straddles two words). */
	.balign 4
	.2byte	0x0001		/* c.nop, never executed */
	.globl g_xonly_lw_odd
g_xonly_lw_odd:
	lw	a0, 0(a0)
	jalr	zero, 0(ra)

	/* A compressed load at a pc that is 2 mod 4. */
	.balign 4
	.2byte	0x0001
	.globl g_xonly_clw
g_xonly_clw:
	.option rvc
	c.lw	a0, 0(a0)
	.option norvc
	jalr	zero, 0(ra)

	/* A 64-bit store of the constant below, then the value back in a0. */
	.balign 4
	.globl g_xonly_sd
g_xonly_sd:
	li	t0, 0x5856
	sd	t0, 0(a0)
	mv	a0, t0
	jalr	zero, 0(ra)

	/* A 32-bit load whose second half is on the next (also execute-only) page. */
	.balign 4096
	.skip	4096 - 2
	.globl g_xonly_lw_cross
g_xonly_lw_cross:
	lw	a0, 0(a0)
	jalr	zero, 0(ra)
	.balign 4096
	.globl g_xonly_end
g_xonly_end:
	.option pop

/*
 * uint64_t g_xonly_call(uint64_t va, uint64_t dev): runs the stub at @va with a0 = @dev. A fault
 * resumes at 1: (g_trap), which returns ~0 with the cause in g_fault_cause.
 */
	.text
	.globl g_xonly_call
g_xonly_call:
	addi	sp, sp, -16
	sd	ra, 0(sp)
	la	t0, 1f
	la	t1, g_recover
	sd	t0, 0(t1)
	mv	t2, a0
	mv	a0, a1
	jalr	t2
	j	2f
1:	li	a0, -1
2:	la	t1, g_recover
	sd	zero, 0(t1)
	ld	ra, 0(sp)
	addi	sp, sp, 16
	ret
