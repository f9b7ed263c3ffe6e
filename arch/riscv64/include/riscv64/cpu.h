/* SPDX-License-Identifier: MIT */
/*
 * Per-hart state of the riscv64 backend and what boot code learned from the device tree.
 * While hypervisor code runs, tp holds the address of the running hart's struct riscv_cpu; code
 * that enters a guest must restore it before calling back into C.
 */
#ifndef RISCV64_CPU_H
#define RISCV64_CPU_H

#include <pv/types.h>
#include <riscv64/fixup.h>

struct vcpu;

struct riscv_cpu {
	unsigned index;	 /* hal_cpu.cpu_id(): 0 is the boot hart */
	uint64_t hartid; /* the firmware's and the device tree's number for the hart */
	/* The last trap an instruction of the fixup table took (fixup.h); only the hart itself
	 * writes it (its trap handler) and reads it (the code at the fixup). */
	struct riscv_gfault fault;
	unsigned panic_depth; /* unexpected traps being reported */
	/* The vCPU whose VS-level state (VS CSRs, FP file, hvip) the hart holds, or NULL. Only
	 * the hart itself reads or writes it. */
	struct vcpu *loaded;
};

/* One entry per hart the device tree lists, boot hart first, at most CONFIG_MAX_CPUS. */
extern struct riscv_cpu riscv_cpus[CONFIG_MAX_CPUS];
extern unsigned riscv_ncpus;
/* Bit n: CPU n runs the hypervisor (remote fences go to these). */
extern volatile uint64_t riscv_cpus_online;

/* Device-tree facts read once by the boot hart. */
struct riscv_platform_info {
	uint64_t timebase_hz;  /* /cpus timebase-frequency */
	const char *boot_isa;  /* boot hart's riscv,isa string, or NULL */
	const char *boot_exts; /* boot hart's riscv,isa-extensions string list, or NULL */
	int boot_exts_len;     /* its length in bytes */
	const char *boot_mmu;  /* boot hart's mmu-type ("riscv,sv48"), or NULL */
	bool sstc;	       /* stimecmp usable from HS-mode (riscv_timer_init) */
	bool senvcfg;	       /* senvcfg exists (privileged spec 1.12; riscv_h_probe) */
};

extern struct riscv_platform_info riscv_info;
extern bool riscv_string_vector;

static inline struct riscv_cpu *riscv_this_cpu(void)
{
	struct riscv_cpu *cpu;

	__asm__ __volatile__("mv %0, tp" : "=r"(cpu));
	return cpu;
}

/* Whether the boot hart's ISA description names extension @ext: a single letter ("h") or a
 * multi-letter name ("sstc"), compared without regard to case. */
bool riscv_isa_has(const char *ext);

/* Finds out whether stimecmp is usable and disarms the calling hart's timer. Context: each hart
 * once at boot, IRQs off. */
void riscv_timer_init(void);

/* Entry points: assembly (entry.S, trap_entry.S) and the C code they call. */
void riscv_trap_entry(void);
void riscv_trap_vector(void); /* stvec: guest exits and HS-mode traps (vcpu_entry.S) */
void riscv_secondary_entry(void);
PV_NORETURN void riscv_boot_main(unsigned long hartid, const void *dtb);
PV_NORETURN void riscv_secondary_main(struct riscv_cpu *cpu);

#endif
