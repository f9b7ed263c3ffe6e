/* SPDX-License-Identifier: MIT */
/*
 * Instructions the hypervisor runs knowing they may trap: reads of guest memory through the
 * guest's own translation (HLV, HLVX), which fault whenever the guest's page tables or G-stage say
 * no, and probes of CSRs that may not exist. Each such instruction has an entry in a table
 * (section .riscv_fixup: its address and where to resume). The HS-mode trap handler looks the
 * trapping pc up there: a listed instruction's trap, whatever its cause, is recorded in the hart's
 * struct riscv_cpu (fault) and execution resumes at the fixup; any other HS-mode trap is a bug and
 * panics. Nothing has to be set up or torn down around the instruction, so the guest's MMIO path
 * pays nothing for it.
 *
 * After a recovered trap, hstatus.SPV is 0 and sstatus.SPP is 0 (the handler's sret), whatever
 * the code around the instruction had there: code that re-enters a guest afterwards puts the
 * guest's values back.
 */
#ifndef RISCV64_FIXUP_H
#define RISCV64_FIXUP_H

#include <riscv64/csr.h>
#include <stdint.h>

struct riscv_fixup {
	uint64_t insn;	/* address of the instruction that may trap */
	uint64_t fixup; /* where the handler resumes when it did */
};

/* The trap a listed instruction took (riscv_cpu.fault). */
struct riscv_gfault {
	uint64_t cause; /* scause (an exception code) */
	uint64_t tval;	/* stval: the address that faulted, or the instruction bits */
	uint64_t htval; /* guest-physical address >> 2 for a guest-page fault, else 0 */
};

/*
 * Inline assembly for one instruction @insn that may trap, with the table entry for it. The
 * operand named "failed" (an early-clobber output) ends up 1 when it trapped, else 0; outputs of
 * @insn are undefined then. Local labels 90/91 are used, so @insn must not use them.
 */
#define RISCV_FIXUP_ASM(insn)                                                                      \
	"li %[failed], 1\n"                                                                        \
	"90: " insn "\n"                                                                           \
	"li %[failed], 0\n"                                                                        \
	"91:\n"                                                                                    \
	".pushsection .riscv_fixup, \"a\"\n"                                                       \
	".balign 8\n"                                                                              \
	".dword 90b, 91b\n"                                                                        \
	".popsection"

/* Reads CSR @csr into @out; @trapped (a bool lvalue) says whether the read trapped. */
#define RISCV_CSR_TRY_READ(csr, out, trapped)                                                      \
	do {                                                                                       \
		uint64_t f_;                                                                       \
		__asm__ __volatile__(RISCV_FIXUP_ASM("csrr %[v], " RISCV_STR(csr))                 \
				     : [v] "=r"(out), [failed] "=&r"(f_)                           \
				     :                                                             \
				     : "memory");                                                  \
		(trapped) = f_ != 0;                                                               \
	} while (0)

/* Writes @val to CSR @csr; @trapped says whether the write trapped. */
#define RISCV_CSR_TRY_WRITE(csr, val, trapped)                                                     \
	do {                                                                                       \
		uint64_t f_;                                                                       \
		__asm__ __volatile__(RISCV_FIXUP_ASM("csrw " RISCV_STR(csr) ", %[v]")              \
				     : [failed] "=&r"(f_)                                          \
				     : [v] "r"((uint64_t)(val))                                    \
				     : "memory");                                                  \
		(trapped) = f_ != 0;                                                               \
	} while (0)

/* Looks @pc up in the table; NULL if it is not a listed instruction. Context: any hart. */
const struct riscv_fixup *riscv_fixup_find(uint64_t pc);

#endif
