/* SPDX-License-Identifier: MIT */
/* What the riscv64 layer's files share: the fault-recovery state of start.S and garch.c. */
#ifndef GUEST_RISCV64_GLAYER_H
#define GUEST_RISCV64_GLAYER_H

#include <stdint.h>

/* Where g_trap resumes a faulting probe (0: a fault is unexpected); start.S and xonly.S set it. */
extern volatile uint64_t g_recover;
/* scause and stval of the last fault g_trap recovered from. */
extern volatile uint64_t g_fault_cause, g_fault_tval;

#endif
