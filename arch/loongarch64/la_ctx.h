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
#define LA_CTX_SIZE	 (LA_CTX_HOST + LA_CTX_HOST_REGS * 8)

/* What la_guest_enter returns: which entry the exit came through. */
#define LA_ENTRY_EXCEPTION 0 /* EENTRY: exceptions and interrupts taken from guest mode */
#define LA_ENTRY_REFILL	   1 /* TLBRENTRY: a GPA with no TLB entry */

#endif
