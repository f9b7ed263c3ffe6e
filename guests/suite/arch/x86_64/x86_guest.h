/* SPDX-License-Identifier: MIT */
/* Shared by the files of the guest suite's x86_64 layer: MSR and CPUID access, and the checks
 * only this architecture has (xchecks.c). */
#ifndef GUEST_X86_GUEST_H
#define GUEST_X86_GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define VEC_TIMER      0x40u
#define MSR_GS_BASE    0xc0000101u
#define MSR_X2APIC_SVR 0x80fu

static inline void wrmsr(uint32_t msr, uint64_t v)
{
	__asm__ volatile("wrmsr"
			 :
			 : "c"(msr), "a"((uint32_t)v), "d"((uint32_t)(v >> 32))
			 : "memory");
}

static inline uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return (uint64_t)hi << 32 | lo;
}

static inline void cpuid_sub(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(subleaf));
}

static inline void cpuid(uint32_t leaf, uint32_t r[4])
{
	cpuid_sub(leaf, 0, r);
}

/* garch.c: g_trap's recovery (xinsn.S's g_x_try lands there), and the vector it recovered from. */
extern volatile uint64_t g_recover_rip, g_recover_rsp;
extern volatile uint32_t g_recover_vector;
extern volatile uint64_t g_timer_entry_tsc;

/* xchecks.c */
/* Mode bad: values in every piece of per-vCPU state, left behind when the VM is stopped. */
void g_x86_plant(void);
/* On a started vCPU, first thing: records whether its state is the reset state. */
void g_x86_ap_record(void);
/* On the boot vCPU once the other one is up: reports that record as the check x86-state. */
void g_x86_ap_report(void);
/* A #DB taken (g_trap): a breakpoint of the debug check. */
void g_x86_on_debug(void);

#endif
