/* SPDX-License-Identifier: MIT */
/*
 * RISC-V control and status registers used by the backend. The hypervisor CSRs are named by number
 * because Debian's gcc-12 refuses "h" in -march, which also makes gas reject their symbolic names.
 */
#ifndef RISCV64_CSR_H
#define RISCV64_CSR_H

/* Supervisor CSRs. */
#define CSR_SSTATUS    0x100
#define CSR_SIE	       0x104
#define CSR_STVEC      0x105
#define CSR_SCOUNTEREN 0x106
#define CSR_SENVCFG    0x10a
#define CSR_SSCRATCH   0x140
#define CSR_SEPC       0x141
#define CSR_SCAUSE     0x142
#define CSR_STVAL      0x143
#define CSR_SIP	       0x144
#define CSR_STIMECMP   0x14d /* Sstc */
#define CSR_SATP       0x180
#define CSR_TIME       0xc01

/* Virtual supervisor CSRs (H extension): the guest's S-level state while V = 0. */
#define CSR_VSSTATUS  0x200
#define CSR_VSIE      0x204
#define CSR_VSTVEC    0x205
#define CSR_VSSCRATCH 0x240
#define CSR_VSEPC     0x241
#define CSR_VSCAUSE   0x242
#define CSR_VSTVAL    0x243
#define CSR_VSIP      0x244
#define CSR_VSTIMECMP 0x24d /* Sstc */
#define CSR_VSATP     0x280

/* Hypervisor CSRs (H extension). */
#define CSR_HSTATUS    0x600
#define CSR_HEDELEG    0x602
#define CSR_HIDELEG    0x603
#define CSR_HIE	       0x604
#define CSR_HTIMEDELTA 0x605
#define CSR_HCOUNTEREN 0x606
#define CSR_HGEIE      0x607
#define CSR_HENVCFG    0x60a
#define CSR_HTVAL      0x643
#define CSR_HIP	       0x644
#define CSR_HVIP       0x645
#define CSR_HTINST     0x64a
#define CSR_HGATP      0x680

/* sstatus */
#define SSTATUS_SIE	   (1ULL << 1)
#define SSTATUS_SPIE	   (1ULL << 5)
#define SSTATUS_SPP	   (1ULL << 8)
#define SSTATUS_FS	   (3ULL << 13)
#define SSTATUS_FS_INITIAL (1ULL << 13)
#define SSTATUS_MXR	   (1ULL << 19)

/* sip / sie / vsip / vsie bits (S-level positions) and hvip's VS bits. */
#define SIP_SSIP   (1ULL << IRQ_S_SOFT)
#define SIP_STIP   (1ULL << IRQ_S_TIMER)
#define SIP_SEIP   (1ULL << IRQ_S_EXT)
#define HVIP_VSSIP (1ULL << IRQ_VS_SOFT)
#define HVIP_VSTIP (1ULL << IRQ_VS_TIMER)
#define HVIP_VSEIP (1ULL << IRQ_VS_EXT)

/* scause: the top bit tells interrupts from exceptions. */
#define SCAUSE_INTERRUPT (1ULL << 63)
#define SCAUSE_CODE_MASK (~SCAUSE_INTERRUPT)

/* Exception codes (scause, hedeleg bit numbers). */
#define EXC_INST_MISALIGNED	   0
#define EXC_INST_ACCESS		   1
#define EXC_ILLEGAL_INST	   2
#define EXC_BREAKPOINT		   3
#define EXC_LOAD_MISALIGNED	   4
#define EXC_LOAD_ACCESS		   5
#define EXC_STORE_MISALIGNED	   6
#define EXC_STORE_ACCESS	   7
#define EXC_ECALL_U		   8
#define EXC_ECALL_S		   9
#define EXC_ECALL_VS		   10
#define EXC_ECALL_M		   11
#define EXC_INST_PAGE_FAULT	   12
#define EXC_LOAD_PAGE_FAULT	   13
#define EXC_STORE_PAGE_FAULT	   15
#define EXC_INST_GUEST_PAGE_FAULT  20
#define EXC_LOAD_GUEST_PAGE_FAULT  21
#define EXC_VIRTUAL_INST	   22
#define EXC_STORE_GUEST_PAGE_FAULT 23

/* Interrupt numbers (sip/sie/hideleg/hvip bit numbers). */
#define IRQ_S_SOFT   1
#define IRQ_VS_SOFT  2
#define IRQ_S_TIMER  5
#define IRQ_VS_TIMER 6
#define IRQ_S_EXT    9
#define IRQ_VS_EXT   10
#define IRQ_S_GEXT   12

/* hstatus */
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL_MASK  (3ULL << HSTATUS_VSXL_SHIFT)
#define HSTATUS_VTW	   (1ULL << 21)
#define HSTATUS_SPV	   (1ULL << 7)
#define HSTATUS_SPVP	   (1ULL << 8)

/* henvcfg */
#define HENVCFG_STCE (1ULL << 63)

/* hcounteren (and scounteren): cycle, time, instret */
#define HCOUNTEREN_CY (1ULL << 0)
#define HCOUNTEREN_TM (1ULL << 1)
#define SCOUNTEREN_TM (1ULL << 1)
#define HCOUNTEREN_IR (1ULL << 2)

/* hgatp (RV64): MODE[63:60], VMID[57:44], PPN[43:0] */
#define HGATP_MODE_SHIFT  60
#define HGATP_MODE_BARE	  0ULL
#define HGATP_MODE_SV39X4 8ULL
#define HGATP_MODE_SV48X4 9ULL
#define HGATP_MODE_SV57X4 10ULL
#define HGATP_VMID_SHIFT  44
#define HGATP_VMID_MASK	  (0x3fffULL << HGATP_VMID_SHIFT)
#define HGATP_PPN_MASK	  ((1ULL << 44) - 1)

#ifndef __ASSEMBLY__
#include <stdint.h>

/*
 * The CSR number is part of the instruction encoding, so it has to reach the assembler as a
 * literal: these are macros, not functions taking a number.
 */
#define RISCV_STR2(x) #x
#define RISCV_STR(x)  RISCV_STR2(x)

#define csr_read(csr, out) __asm__ __volatile__("csrr %0, " RISCV_STR(csr) : "=r"(out) : : "memory")

#define csr_write(csr, val)                                                                        \
	__asm__ __volatile__("csrw " RISCV_STR(csr) ", %0" : : "rK"((uint64_t)(val)) : "memory")

#define csr_set(csr, bits)                                                                         \
	__asm__ __volatile__("csrs " RISCV_STR(csr) ", %0" : : "rK"((uint64_t)(bits)) : "memory")

#define csr_clear(csr, bits)                                                                       \
	__asm__ __volatile__("csrc " RISCV_STR(csr) ", %0" : : "rK"((uint64_t)(bits)) : "memory")

#endif /* !__ASSEMBLY__ */

#endif
