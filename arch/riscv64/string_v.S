/* SPDX-License-Identifier: MIT */
/*
 * memcpy with the vector extension, where the harts have it (riscv_string_vector, set at boot from
 * the device tree): loading a VM's images is the hypervisor's largest copy, and without paired
 * loads and stores the scalar loop cannot go below one instruction per four bytes. 64-bit
 * elements, so both ends must be 8-byte aligned (images are copied page by page); short or
 * unaligned copies, and harts without V, take lib/string.c's loop. memset stays scalar: QEMU
 * emulates vector stores an element at a time, so clearing a VM's RAM with them took longer in
 * wall-clock time than the copy saves.
 *
 * Guests never get the vector unit: sstatus.VS stays Off outside these loops (entry.S), so a
 * guest's vector instruction is illegal whatever its own vsstatus says, and the registers used
 * here are cleared before VS is turned off again, so no copied byte stays behind. Interrupts are
 * masked while VS is on (a handler's own memcpy would take the registers and turn VS off under
 * this one), a chunk at a time, so they wait for at most one chunk.
 */
#define SSTATUS_SIE	   2
#define SSTATUS_VS_INITIAL (1 << 9)
#define SSTATUS_VS	   (3 << 9)
#define VEC_MIN		   256	 /* below this, the scalar loop is as quick */
#define VEC_CHUNK	   65536 /* bytes per interrupts-masked stretch */

	.option arch, +v
	.text

/* void *memcpy(void *dst, const void *src, size_t n) */
	.globl memcpy
	.type memcpy, @function
memcpy:
	li	t0, VEC_MIN
	bltu	a2, t0, pv_memcpy_scalar
	or	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, pv_memcpy_scalar	/* 64-bit elements: both ends 8-byte aligned */
	lla	t0, riscv_string_vector
	lbu	t0, 0(t0)
	beqz	t0, pv_memcpy_scalar
	addi	sp, sp, -16
	sd	ra, 0(sp)
	sd	a0, 8(sp)		/* the return value */
	andi	a4, a2, 7		/* the tail, copied by the scalar loop */
	srli	a2, a2, 3		/* 8-byte elements */
1:	li	t1, VEC_CHUNK / 8	/* this chunk's elements: at most VEC_CHUNK bytes */
	bgeu	a2, t1, 3f
	mv	t1, a2
3:	sub	a2, a2, t1
	csrrci	t2, sstatus, SSTATUS_SIE
	li	t3, SSTATUS_VS_INITIAL
	csrs	sstatus, t3
2:	vsetvli	t0, t1, e64, m8, ta, ma
	vle64.v	v0, (a1)
	vse64.v	v0, (a0)
	slli	t4, t0, 3
	add	a1, a1, t4
	add	a0, a0, t4
	sub	t1, t1, t0
	bnez	t1, 2b
	vsetvli	t0, zero, e64, m8, ta, ma
	vmv.v.i	v0, 0
	li	t3, SSTATUS_VS
	csrc	sstatus, t3
	andi	t2, t2, SSTATUS_SIE
	csrs	sstatus, t2
	bnez	a2, 1b
	mv	a2, a4
	call	pv_memcpy_scalar
	ld	ra, 0(sp)
	ld	a0, 8(sp)
	addi	sp, sp, 16
	ret
	.size memcpy, . - memcpy
