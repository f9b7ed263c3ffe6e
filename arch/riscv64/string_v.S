/* SPDX-License-Identifier: MIT */
/*
 * memcpy and memset with the vector extension, where the harts have it (riscv_string_vector, set
 * at boot from the device tree): loading a VM's images and clearing its RAM are the hypervisor's
 * largest copies, and without paired loads and stores the scalar loop cannot go below one
 * instruction per four bytes. Short ones, and harts without V, take lib/string.c's loops.
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
	lla	t0, riscv_string_vector
	lbu	t0, 0(t0)
	beqz	t0, pv_memcpy_scalar
	mv	a3, a0			/* the return value */
1:	li	t1, VEC_CHUNK		/* this chunk's bytes: at most VEC_CHUNK */
	bgeu	a2, t1, 3f
	mv	t1, a2
3:	sub	a2, a2, t1
	csrrci	t2, sstatus, SSTATUS_SIE
	li	t3, SSTATUS_VS_INITIAL
	csrs	sstatus, t3
2:	vsetvli	t0, t1, e8, m8, ta, ma
	vle8.v	v0, (a1)
	vse8.v	v0, (a0)
	add	a1, a1, t0
	add	a0, a0, t0
	sub	t1, t1, t0
	bnez	t1, 2b
	vsetvli	t0, zero, e8, m8, ta, ma
	vmv.v.i	v0, 0
	li	t3, SSTATUS_VS
	csrc	sstatus, t3
	andi	t2, t2, SSTATUS_SIE
	csrs	sstatus, t2
	bnez	a2, 1b
	mv	a0, a3
	ret
	.size memcpy, . - memcpy

/* void *memset(void *s, int c, size_t n) */
	.globl memset
	.type memset, @function
memset:
	li	t0, VEC_MIN
	bltu	a2, t0, pv_memset_scalar
	lla	t0, riscv_string_vector
	lbu	t0, 0(t0)
	beqz	t0, pv_memset_scalar
	mv	a3, a0
1:	li	t1, VEC_CHUNK
	bgeu	a2, t1, 3f
	mv	t1, a2
3:	sub	a2, a2, t1
	csrrci	t2, sstatus, SSTATUS_SIE
	li	t3, SSTATUS_VS_INITIAL
	csrs	sstatus, t3
	vsetvli	t0, zero, e8, m8, ta, ma
	vmv.v.x	v0, a1
2:	vsetvli	t0, t1, e8, m8, ta, ma
	vse8.v	v0, (a0)
	add	a0, a0, t0
	sub	t1, t1, t0
	bnez	t1, 2b
	vsetvli	t0, zero, e8, m8, ta, ma
	vmv.v.i	v0, 0
	li	t3, SSTATUS_VS
	csrc	sstatus, t3
	andi	t2, t2, SSTATUS_SIE
	csrs	sstatus, t2
	bnez	a2, 1b
	mv	a0, a3
	ret
	.size memset, . - memset
