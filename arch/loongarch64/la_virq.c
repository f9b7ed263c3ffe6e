// SPDX-License-Identifier: MIT
/*
 * Virtual interrupts of an LVZ guest: its ESTAT.IS lines. The timer (IS 11) comes from the guest
 * timer (la_vtimer.c), the IPI line (IS 12) from the emulated IPI block's status and enable
 * registers, and hardware lines HWI0..7 (IS 2..9) through GINTC.HWIS. Everything is moved into
 * the guest CSRs right before entry (flush), on the vCPU's own CPU.
 */
#include <hal/hal.h>
#include <vm/vm.h>

#include "la_hw.h"
#include "la_internal.h"
#include "la_vcpu.h"

static int la_virq_vm_init(struct vm *vm)
{
	(void)vm;
	return PV_OK;
}

static void la_virq_vm_destroy(struct vm *vm)
{
	(void)vm;
}

static int la_virq_vcpu_init(struct vcpu *vcpu)
{
	(void)vcpu;
	return PV_OK;
}

static int la_virq_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	struct la_vcpu *v;

	if (!target)
		target = &vm->vcpus[0];
	if (irq >= 8)
		return -PV_EINVAL;
	v = target->arch;
	if (level)
		__atomic_fetch_or(&v->hw_lines, 1u << irq, __ATOMIC_SEQ_CST);
	else
		__atomic_fetch_and(&v->hw_lines, ~(1u << irq), __ATOMIC_SEQ_CST);
	if (target->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(target->pcpu);
	return PV_OK;
}

static int la_virq_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	(void)from;
	la_vipi_raise(to->arch, irq);
	return PV_OK;
}

/* The guest's IS lines as they would be at entry. */
static uint64_t la_virq_lines(const struct la_vcpu *v, uint64_t now)
{
	uint64_t is = v->exit_estat & LA_ESTAT_IS_MASK;
	uint32_t ipi = __atomic_load_n(&v->ipi.status, __ATOMIC_SEQ_CST) & v->ipi.en;

	is &= ~(1ULL << LA_IRQ_IPI);
	if (ipi)
		is |= 1ULL << LA_IRQ_IPI;
	if (la_vtimer_expired(v, now))
		is |= 1ULL << LA_IRQ_TIMER;
	is |= (uint64_t)__atomic_load_n(&v->hw_lines, __ATOMIC_SEQ_CST) << LA_IRQ_HWI0;
	return is;
}

/* Like the hardware's idle: any enabled line ends it, whatever CRMD.IE says. */
static bool la_virq_pending(struct vcpu *vcpu)
{
	const struct la_vcpu *v = vcpu->arch;

	return (la_virq_lines(v, hal_cpu.timer_now()) & v->exit_ecfg & LA_ECFG_LIE_MASK) != 0;
}

static void la_virq_flush(struct vcpu *vcpu)
{
	struct la_vcpu *v = vcpu->arch;
	uint64_t estat;
	uint32_t hw;

	if (!v->space)
		return;
	/* First: an IPI that arrives after this is pending at entry and makes the guest exit. */
	la_host_irq_ack();
	la_vcpu_load(v);
	la_vtimer_enter(v);
	estat = la_hw_gcsr_read(LA_GCSR_ESTAT) & ~(1ULL << LA_IRQ_IPI);
	if (__atomic_load_n(&v->ipi.status, __ATOMIC_SEQ_CST) & v->ipi.en)
		estat |= 1ULL << LA_IRQ_IPI;
	la_hw_gcsr_write(LA_GCSR_ESTAT, estat);
	hw = __atomic_load_n(&v->hw_lines, __ATOMIC_SEQ_CST);
	la_hw_csr_write(LA_CSR_GINTC, hw & 0xff);
}

static void la_virq_sync(struct vcpu *vcpu)
{
	(void)vcpu; /* la_vcpu_run already read the guest's ESTAT and ECFG at the exit */
}

const struct virq_ops la_virq_ops = {
	.name = "loongarch64 LVZ (guest ESTAT, GINTC)",
	.vm_init = la_virq_vm_init,
	.vm_destroy = la_virq_vm_destroy,
	.vcpu_init = la_virq_vcpu_init,
	.set_line = la_virq_set_line,
	.send_ipi = la_virq_send_ipi,
	.pending = la_virq_pending,
	.flush = la_virq_flush,
	.sync = la_virq_sync,
};
