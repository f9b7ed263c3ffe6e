/* SPDX-License-Identifier: MIT */
/* The register frame riscv_trap_entry saves on the interrupted stack; shared with the assembly. */
#ifndef RISCV64_TRAP_H
#define RISCV64_TRAP_H

/* Byte offsets: x0..x31 (x0's slot is unused, x2 holds sp before the trap), then the CSRs. */
#define RISCV_TF_X(n)	 ((n) * 8)
#define RISCV_TF_SEPC	 (32 * 8)
#define RISCV_TF_SSTATUS (33 * 8)
#define RISCV_TF_SCAUSE	 (34 * 8)
#define RISCV_TF_STVAL	 (35 * 8)
#define RISCV_TF_SIZE	 (36 * 8) /* a multiple of 16: the psABI's stack alignment */

#ifndef __ASSEMBLY__
#include <stddef.h>
#include <stdint.h>

struct riscv_trap_frame {
	uint64_t x[32];
	uint64_t sepc;
	uint64_t sstatus;
	uint64_t scause;
	uint64_t stval;
};

_Static_assert(offsetof(struct riscv_trap_frame, sepc) == RISCV_TF_SEPC, "frame layout");
_Static_assert(offsetof(struct riscv_trap_frame, stval) == RISCV_TF_STVAL, "frame layout");
_Static_assert(sizeof(struct riscv_trap_frame) == RISCV_TF_SIZE, "frame layout");

/* Called by riscv_trap_entry for every trap taken in HS-mode; the frame is written back. */
void riscv_trap_handler(struct riscv_trap_frame *tf);
#endif

#endif
