/* SPDX-License-Identifier: MIT */
/* Declarations shared by the loongarch64 backend's own files; nothing outside arch/ uses them. */
#ifndef ARCH_LOONGARCH64_LA_INTERNAL_H
#define ARCH_LOONGARCH64_LA_INTERNAL_H

#include <addrspace/s2.h>
#include <irq/virq_ops.h>
#include <vcpu/vcpu_ops.h>

/* What trap.S saved: general register n in regs[n] (regs[0] is 0, regs[3] the interrupted sp). */
struct la_trap_frame {
	uint64_t regs[32];
};

enum {
	LA_TRAP_EXCEPTION = 0,	/* entered through EENTRY */
	LA_TRAP_TLB_REFILL = 1, /* entered through TLBRENTRY */
};

/* Called by trap.S; prints the cause and panics. */
PV_NORETURN void la_trap_report(const struct la_trap_frame *frame, unsigned long kind);

/* Called by head.S on the boot CPU with the C runtime ready; a0..a2 as the loader left them. */
PV_NORETURN void la_boot_main(uint64_t a0, uint64_t a1, uint64_t a2);

/* The constant timer's countdown width as a mask of ones (cpu.c). */
uint64_t la_timer_width_mask(void);

/* Acknowledges the hypervisor's pending timer and IPI interrupts (cpu.c). */
void la_host_irq_ack(void);

/* head.S: where a secondary CPU starts; la_secondary_main is its C entry. */
void la_secondary_start(void);
PV_NORETURN void la_secondary_main(unsigned cpu);

/* trap.S: runs the guest of @ctx until its next exit; returns LA_ENTRY_*. */
struct la_vcpu_ctx;
unsigned la_guest_enter(struct la_vcpu_ctx *ctx);

/* Makes @v's guest CSRs and guest ID the CPU's (la_load.c). Context: @v's CPU, IRQs off. */
struct la_vcpu;
void la_vcpu_load(struct la_vcpu *v);
/* Forgets @v on every CPU that holds it (its destruction). */
void la_vcpu_unload(const struct la_vcpu *v);

/* Guest IDs this CPU's LVZ offers (GSTAT.GIDBIT), set by the probe. */
extern unsigned la_gid_max;

/* LVZ probe and per-CPU enable (lvz.c). */
void la_lvz_probe(struct vcpu_hw_info *info);
int la_lvz_cpu_enable(void);
void la_lvz_cpu_disable(void);

extern const struct vcpu_ops la_vcpu_ops;
extern const struct virq_ops la_virq_ops;
extern const struct s2_tlb_ops la_s2_tlb_ops;

#endif
