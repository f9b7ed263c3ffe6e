/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's reads of guest memory through the guest's own translation (H extension
 * hypervisor loads: VS-stage with the guest's vsatp, then G-stage, at the guest's privilege
 * hstatus.SPVP). Each may fault in HS-mode (guest-page fault, page fault, access fault,
 * misaligned, whatever the implementation reports): the fixup table (fixup.h) makes every such
 * fault return false here, with the trap in riscv_this_cpu()->fault. Context: the vCPU's hart,
 * IRQs off, the vCPU's VS state and hgatp loaded. After a fault, hstatus.SPV and sstatus.SPP are
 * no longer the guest's (fixup.h).
 */
#ifndef RISCV64_GACCESS_H
#define RISCV64_GACCESS_H

#include <riscv64/fixup.h>
#include <stdbool.h>
#include <stdint.h>

/* One hypervisor load: SYSTEM opcode, funct3 4, @funct7 selects the width, @rs2 the kind
 * (0: signed, 1: unsigned, 3: HLVX, which needs execute instead of read permission). */
#define RISCV_HLV_DEFINE(name, funct7, rs2)                                                        \
	static inline bool name(uint64_t gva, uint64_t *out)                                       \
	{                                                                                          \
		uint64_t v, failed;                                                                \
		__asm__ __volatile__(                                                              \
			RISCV_FIXUP_ASM(".insn r 0x73, 4, " #funct7 ", %[v], %[a], x" #rs2)        \
			: [v] "=r"(v), [failed] "=&r"(failed)                                      \
			: [a] "r"(gva)                                                             \
			: "memory");                                                               \
		*out = v;                                                                          \
		return failed == 0;                                                                \
	}

RISCV_HLV_DEFINE(riscv_hlvx_hu, 0x32, 3)
RISCV_HLV_DEFINE(riscv_hlvx_wu, 0x34, 3)
RISCV_HLV_DEFINE(riscv_hlv_hu, 0x32, 1)
RISCV_HLV_DEFINE(riscv_hlv_wu, 0x34, 1)

#endif
