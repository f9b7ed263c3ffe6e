/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own GICv3: distributor set-up, each CPU's redistributor and CPU interface, and
 * the interrupts the hypervisor takes. The hypervisor runs with PSTATE.I set at EL2: interrupts
 * reach it either as an exit from a guest (HCR_EL2.IMO routes them to EL2) or by polling after
 * WFI; both end in a64_gic_handle_irqs().
 */
#ifndef A64_GIC_H
#define A64_GIC_H

#include <pv/types.h>

#define A64_IRQ_IPI	    0u	/* SGI: wake or kick another CPU */
#define A64_IRQ_MAINTENANCE 25u /* PPI: virtual CPU interface maintenance */
#define A64_IRQ_HYP_TIMER   26u /* PPI: EL2 physical timer (CNTHP) */
#define A64_IRQ_VTIMER	    27u /* PPI: EL1 virtual timer, owned by the guest on this CPU */

/* Distributor: affinity routing and group 1 on. Boot CPU, once, before any CPU's a64_gic_cpu_init. */
void a64_gic_init(void);

/* The calling CPU's redistributor (woken, PPIs/SGIs configured) and CPU interface (system
 * registers, priority mask, group 1 on). Returns -PV_ENOTSUP with a log line when the CPU has no
 * redistributor or no system-register interface. Context: each CPU, IRQs masked. */
int a64_gic_cpu_init(void);

/* Enables or disables private interrupt @irq (< 32) at the calling CPU's redistributor. */
void a64_gic_ppi_enable(unsigned irq, bool on);

/* Shared interrupts a VM owns (passthrough, a64/vgic_pt.h). a64_gic_lines: INTIDs the
 * distributor has. a64_gic_spi_setup: group 1, the hypervisor's priority, routed to physical CPU
 * @cpu, enabled. The others enable or disable it, deactivate it (GICD_ICACTIVER, from any CPU),
 * route it to physical CPU @cpu, set its trigger. Context: any CPU; never block beyond the
 * distributor's register-write wait. */
unsigned a64_gic_lines(void);
void a64_gic_spi_setup(unsigned intid, unsigned cpu);
void a64_gic_spi_enable(unsigned intid, bool on);
void a64_gic_spi_deactivate(unsigned intid);
void a64_gic_spi_route(unsigned intid, unsigned cpu);
void a64_gic_spi_config(unsigned intid, bool edge);
/* Routes shared interrupt @irq to the calling CPU and enables it for the core (hal_cpu.irq_enable).
 * -PV_EINVAL for a private or missing interrupt id. Context: the CPU to take it, IRQs masked. */
int a64_gic_irq_enable(unsigned irq);

/* Acknowledges and handles every interrupt pending for the calling CPU. Context: IRQs masked. */
void a64_gic_handle_irqs(void);

#endif
