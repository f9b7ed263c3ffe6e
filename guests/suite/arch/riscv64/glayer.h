/* SPDX-License-Identifier: MIT */
/* What the riscv64 layer's files share (start.S, cpustate.S, xonly.S and the C files). */
#ifndef GUEST_RISCV64_GLAYER_H
#define GUEST_RISCV64_GLAYER_H

#include <stdbool.h>
#include <stdint.h>

#define G_MAX_CPUS 2 /* as start.S */

/* Where g_trap resumes a faulting probe (0: a fault is unexpected); start.S and xonly.S set it. */
extern volatile uint64_t g_recover;
/* scause and stval of the last fault g_trap recovered from. */
extern volatile uint64_t g_fault_cause, g_fault_tval;

/* What g_arch_main's probes found: stimecmp (Sstc) and senvcfg are there. */
extern bool g_sstc, g_senvcfg;

/* start.S: reads one CSR each; 1 if the read completed, 0 if it faulted. */
int g_probe_cycle(void);
int g_probe_instret(void);
int g_probe_vector(void);

/* The CPU state a guest writes and reads back (cpustate.S; the assembly knows this layout). */
struct g_cpu_state {
	uint64_t sstatus, sie, sip, stvec, sscratch, sepc, scause, stval, satp, scounteren;
	uint64_t senvcfg, stimecmp, fcsr;
	uint64_t f[32];
};
_Static_assert(sizeof(struct g_cpu_state) == 45 * 8, "start.S and cpustate.S know the size");

/* Each secondary vCPU's state as it started (start.S). */
extern struct g_cpu_state g_start_state[G_MAX_CPUS];
void g_cpu_state_save(struct g_cpu_state *dst);
/* Writes a value of its own into every piece of that state; @satp turns paging on with a page
 * table that maps the caller (g_identity_satp). */
void g_cpu_state_fill(uint64_t satp);

/* xonly.c: a satp value for Sv39 page tables that map RAM and devices at their own addresses. */
uint64_t g_identity_satp(void);
/* SBI HSM hart_get_status of vCPU @cpu (0 started, 1 stopped, ...). */
long g_cpu_status(unsigned cpu);

/* The layer's checks (g_arch_checks). */
void g_check_xonly_mmio(void);
void g_check_cpu_state(void);

#endif
