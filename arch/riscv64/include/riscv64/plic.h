/* SPDX-License-Identifier: MIT */
/*
 * The machine's PLIC as the hypervisor drives it: for sources VMs own (passthrough,
 * docs/devices.md) and the core's own device interrupts (the console UART, riscv64/irq.h). Its
 * address, source count and each hart's supervisor-level context come from the device tree.
 * A source a VM owns is enabled in exactly one context, the hart of the vCPU its guest routes it
 * to; the hart that claims it holds the claim until the guest completes it in its vPLIC
 * (devices/vplic.h), so the physical gateway and the guest's claim and completion stay in step.
 */
#ifndef RISCV64_PLIC_H
#define RISCV64_PLIC_H

#include <pv/types.h>

struct vm;

/* Reads the PLIC's node and the harts' contexts. Context: boot hart, after the harts are known. */
void riscv_plic_scan(const void *dtb);

/* This hart's context: threshold 0, nothing enabled, supervisor external interrupts on.
 * Context: each hart, in cpu_enable. */
void riscv_plic_cpu_init(void);

/* Sources are 1..riscv_plic_sources() (0 when there is no PLIC). */
uint32_t riscv_plic_sources(void);

/* Claims and handles every interrupt pending for this hart. Context: the hart, IRQs off. */
void riscv_plic_handle(void);

/* Passthrough (pt.c): virq_ops.pt_attach / pt_release; riscv_pt_fired: this hart claimed @src
 * in context @ctx: true when a VM owns it (raised in its vPLIC, the claim held). */
int riscv_pt_attach(struct vm *vm, uint32_t host, uint32_t guest);
void riscv_pt_release(struct vm *vm);
bool riscv_pt_fired(uint32_t src, unsigned ctx);

/* The PLIC's registers for pt.c: a source's priority; enabled in the context of CPU @cpu only
 * (cpu >= CONFIG_MAX_CPUS: in none); completing a claim made in context @ctx. */
void riscv_plic_priority(uint32_t src, uint32_t prio);
void riscv_plic_route(uint32_t src, unsigned cpu);
void riscv_plic_complete(uint32_t src, unsigned ctx);

#endif
