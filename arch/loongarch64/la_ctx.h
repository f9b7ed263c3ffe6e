/* SPDX-License-Identifier: MIT */
/*
 * Layout of a vCPU's register context as guest.S sees it (byte offsets into struct la_vcpu_ctx,
 * checked against the C structure in la_vcpu.h). Usable from assembly and C.
 */
#ifndef ARCH_LOONGARCH64_LA_CTX_H
#define ARCH_LOONGARCH64_LA_CTX_H

#define LA_CTX_GPR(n)	 ((n) * 8) /* guest r0..r31 (r0 is never loaded) */
#define LA_CTX_PC	 (32 * 8)  /* guest PC: where ertn resumes, where the exit happened */
#define LA_CTX_HOST	 (33 * 8)  /* hypervisor ra, sp, tp, r21, fp, s0..s8 across the guest run */
#define LA_CTX_HOST_REGS 14
/* The counter when an exit reached trap.S: the guest timer stopped then (la_vtimer.c). */
#define LA_CTX_EXIT_TIME (LA_CTX_HOST + LA_CTX_HOST_REGS * 8)
#define LA_CTX_SIZE	 (LA_CTX_EXIT_TIME + 8)

/*
 * Layout of a vCPU's FP / vector state as fp.S sees it (struct la_fp in la_vcpu.h): each of the
 * 32 registers gets 32 bytes, LASX's width; scalar FP and LSX use the low 8 and 16 bytes. FCC0..7
 * go one per byte (bit 0 of byte n is FCCn) and FCSR0 in a 32-bit word.
 */
#define LA_FP_VREG(n) ((n) * 32)
#define LA_FP_FCC     (32 * 32)
#define LA_FP_FCSR    (LA_FP_FCC + 8)
#define LA_FP_SIZE    (LA_FP_FCSR + 8)

/* How much of that state the CPU has, so how much a switch moves (la_fp_width). */
#define LA_FP_NONE   0 /* no double-precision FP: nothing to switch, FP hidden from guests */
#define LA_FP_SCALAR 1 /* f0..f31 (64 bits) */
#define LA_FP_LSX    2 /* vr0..vr31 (128 bits) */
#define LA_FP_LASX   3 /* xr0..xr31 (256 bits) */

/* What la_guest_enter returns: which entry the exit came through. */
#define LA_ENTRY_EXCEPTION 0 /* EENTRY: exceptions and interrupts taken from guest mode */
#define LA_ENTRY_REFILL	   1 /* TLBRENTRY: a GPA with no TLB entry */

#endif
