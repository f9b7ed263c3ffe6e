/* SPDX-License-Identifier: MIT */
/* Register state saved by the EL2 exception vectors (vectors.S lays it out by these offsets). */
#ifndef A64_REGS_H
#define A64_REGS_H

#include <pv/types.h>

struct a64_regs {
	uint64_t x[31]; /* x0..x30 */
	uint64_t sp;	/* stack pointer before the exception */
	uint64_t elr;
	uint64_t spsr;
	uint64_t esr;
	uint64_t far;
};

_Static_assert(sizeof(struct a64_regs) == 288, "vectors.S assumes 288 bytes");
_Static_assert(offsetof(struct a64_regs, elr) == 256, "vectors.S stores ELR_EL2 at 256");
_Static_assert(offsetof(struct a64_regs, far) == 280, "vectors.S stores FAR_EL2 at 280");

/* Called by the vectors with the saved state and the entry index (group * 4 + type). */
void a64_exception(struct a64_regs *regs, unsigned vector);

#endif
