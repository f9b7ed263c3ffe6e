// SPDX-License-Identifier: MIT
/*
 * The core's device interrupts on riscv64 (hal_cpu.irq_enable): sources of the machine's PLIC
 * (riscv64/plic.h) enabled for the supervisor-level context of the hart that asked, taken as
 * supervisor external interrupts. The hypervisor keeps sstatus.SIE clear: the interrupt arrives
 * as an exit while a guest runs (HS interrupts are always enabled below HS), or ends the idle
 * wait; riscv_plic_handle claims it in both cases and hands it here.
 */
#include <hal/hal.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/irq.h>
#include <riscv64/plic.h>

#define RISCV_IRQ_WORDS 32u /* PLIC sources 1..1023 */

static uint32_t riscv_device_irqs[RISCV_IRQ_WORDS];

int riscv_irq_enable(unsigned irq)
{
	if (irq == 0 || irq > riscv_plic_sources() || irq >= 32u * RISCV_IRQ_WORDS)
		return -PV_EINVAL;
	__atomic_or_fetch(&riscv_device_irqs[irq / 32u], 1u << (irq % 32u), __ATOMIC_RELEASE);
	riscv_plic_priority(irq, 1);
	riscv_plic_route(irq, riscv_this_cpu()->index);
	csr_set(CSR_SIE, SIP_SEIP);
	return PV_OK;
}

bool riscv_irq_fired(uint32_t src)
{
	if (src >= 32u * RISCV_IRQ_WORDS ||
	    !(__atomic_load_n(&riscv_device_irqs[src / 32u], __ATOMIC_ACQUIRE) >> (src % 32u) & 1u))
		return false;
	hv_device_irq(src);
	return true;
}
