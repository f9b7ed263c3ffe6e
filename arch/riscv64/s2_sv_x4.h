/* SPDX-License-Identifier: MIT */
/*
 * RISC-V G-stage (guest-physical to host-physical) tables of the H extension:
 *   s2_format_sv39x4: 3 levels, 41-bit GPA, 16 KiB root (2048 entries), leaves 1G/2M/4K.
 *   s2_format_sv48x4: 4 levels, 50-bit GPA, 16 KiB root, leaves 512G/1G/2M/4K.
 * Without Svpbmt a PTE has no memory-type bits, so a device mapping cannot be told from RAM
 * once written: leaf_attr reports S2_MEM_NORMAL for every leaf (PMAs decide cacheability).
 */
#ifndef ARCH_RISCV64_S2_SV_X4_H
#define ARCH_RISCV64_S2_SV_X4_H

#include <addrspace/s2_format.h>

/* PTE bits (privileged spec, "Sv39: Page-Based 39-bit Virtual-Memory System" and
 * "Two-Stage Address Translation"). */
#define RISCV_PTE_V	    PV_BIT(0)
#define RISCV_PTE_R	    PV_BIT(1)
#define RISCV_PTE_W	    PV_BIT(2)
#define RISCV_PTE_X	    PV_BIT(3)
#define RISCV_PTE_U	    PV_BIT(4)
#define RISCV_PTE_G	    PV_BIT(5)
#define RISCV_PTE_A	    PV_BIT(6)
#define RISCV_PTE_D	    PV_BIT(7)
#define RISCV_PTE_PPN_SHIFT 10
#define RISCV_PTE_PPN_MASK  PV_MASK(53, 10)

/* hgatp.MODE values and field positions. */
#define S2_HGATP_MODE_SV39X4 8ULL
#define S2_HGATP_MODE_SV48X4 9ULL
#define S2_HGATP_MODE_SHIFT  60
#define S2_HGATP_VMID_SHIFT  44
#define S2_HGATP_VMID_MASK   0x3fffULL

extern const struct s2_format s2_format_sv39x4;
extern const struct s2_format s2_format_sv48x4;

/* hgatp value selecting @fmt's mode, @vmid (truncated to 14 bits) and the root at @root
 * (16 KiB aligned). Returns 0 (Bare) when @fmt is neither format above. */
uint64_t s2_sv_x4_hgatp(const struct s2_format *fmt, uint16_t vmid, hpa_t root);

#endif
