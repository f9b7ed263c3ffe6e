/* SPDX-License-Identifier: MIT */
/*
 * G-stage TLB fences (H extension). Encoded with .insn so that assemblers without "h" in their
 * -march accept them: HFENCE.GVMA is SYSTEM (0x73), funct3 0, funct7 0x31, rd x0.
 * rs1 = x0 means every guest-physical address, rs2 = x0 every VMID. Only valid when the hart has
 * the H extension; each fence acts on the calling hart and also orders its earlier page-table
 * stores before later G-stage walks.
 */
#ifndef RISCV64_HFENCE_H
#define RISCV64_HFENCE_H

#include <pv/types.h>

static inline void riscv_hfence_gvma_all(void)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x31, x0, x0, x0" ::: "memory");
}

static inline void riscv_hfence_gvma_vmid(uint64_t vmid)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x31, x0, x0, %0" : : "r"(vmid) : "memory");
}

/* The instruction takes the guest-physical address shifted right by 2. */
static inline void riscv_hfence_gvma_gpa_vmid(uint64_t gpa_raw, uint64_t vmid)
{
	__asm__ __volatile__(".insn r 0x73, 0, 0x31, x0, %0, %1"
			     :
			     : "r"(gpa_raw >> 2), "r"(vmid)
			     : "memory");
}

#endif
