/* SPDX-License-Identifier: MIT */
/* The core's device interrupts through the machine's PLIC (arch/riscv64/irq.c). */
#ifndef RISCV64_IRQ_H
#define RISCV64_IRQ_H

#include <pv/types.h>

/* hal_cpu.irq_enable: PLIC source @irq to this hart's supervisor context, and sie.SEIE on.
 * -PV_EINVAL for a source the PLIC does not have. Context: the hart to take it, IRQs off. */
int riscv_irq_enable(unsigned irq);

/* riscv_plic_handle claimed @src: true when the core enabled it (handed to hv_device_irq; the
 * caller completes it). Context: the claiming hart, IRQs off, no lock held. */
bool riscv_irq_fired(uint32_t src);

#endif
