// SPDX-License-Identifier: MIT
/*
 * Virtual interrupts of riscv64 guests. The hardware does most of it: hideleg hands VS software,
 * timer and external interrupts straight to the guest, vstimecmp (Sstc) raises the timer one
 * with no hypervisor involvement, and hvip injects the other two. What remains here: IPIs
 * between vCPUs (a flag the target's hart moves into hvip.VSSIP before it enters the guest), the
 * emulated PLIC's output (hvip.VSEIP), the timer where Sstc is missing (hvip.VSTIP from a host
 * timer) and kicking a vCPU's hart so it notices.
 */
#include <devices/vplic.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <riscv64/backend.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/plic.h>
#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <vm/vm.h>

void riscv_virq_kick(struct vcpu *vcpu)
{
	enum vcpu_state st = __atomic_load_n(&vcpu->state, __ATOMIC_ACQUIRE);

	/* Order the caller's request flag before the interrupt the target reacts to. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vcpu->pcpu != hal_cpu.cpu_id() && (st == VCPU_RUNNING || st == VCPU_HALTED))
		hal_cpu.ipi_send(vcpu->pcpu);
}

void vplic_notify(struct vm *vm, unsigned ctx)
{
	if (ctx < vm->nvcpus)
		riscv_virq_kick(&vm->vcpus[ctx]);
}

void riscv_vsbi_send_ipi(struct vcpu *from, struct vcpu *to)
{
	(void)from;
	__atomic_store_n(&riscv_vcpu(to)->ssip_pending, 1, __ATOMIC_RELEASE);
	riscv_virq_kick(to);
}

void riscv_vsbi_remote_fence(struct vcpu *from, struct vcpu *to, unsigned what)
{
	(void)from;
	__atomic_fetch_or(&riscv_vcpu(to)->fence_pending, what, __ATOMIC_ACQ_REL);
	riscv_virq_kick(to);
}

void riscv_vsbi_set_timer(struct vcpu *vcpu, uint64_t deadline)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (riscv_info.sstc) {
		csr_write(CSR_VSTIMECMP, deadline);
		return;
	}
	/* A new deadline withdraws the interrupt of the old one (as writing stimecmp would). */
	vc->timer_deadline = deadline;
	csr_clear(CSR_HVIP, HVIP_VSTIP);
}

static int riscv_virq_vm_init(struct vm *vm)
{
	vm->virq = vplic_create(vm, CONFIG_RISCV_GUEST_PLIC_BASE, vm->nvcpus);
	if (!vm->virq) {
		hal_printf("vm %s: no room for the emulated PLIC\n", vm->name);
		return -PV_ENOMEM;
	}
	return PV_OK;
}

static void riscv_virq_vm_destroy(struct vm *vm)
{
	vm->virq = NULL; /* the vPLIC lives in the VM's device arena */
}

static const volatile bool riscv_no_plic_output;

/* Where the entry path finds the vCPU's vPLIC output (vplic_output without the lookups). The
 * vPLIC exists by now (vm_init runs first) and its context count never changes. */
static int riscv_virq_vcpu_init(struct vcpu *vcpu)
{
	struct vplic *p = vcpu->vm->virq;

	riscv_vcpu(vcpu)->plic_out =
		p && vcpu->id < p->nctx ? &p->out[vcpu->id] : &riscv_no_plic_output;
	return PV_OK;
}

/* PLIC sources are shared: the guest routes them with its enable bits, so @target is unused. */
static int riscv_virq_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	(void)target;
	return vm->virq ? vplic_set_line(vm->virq, irq, level) : -PV_EINVAL;
}

static int riscv_virq_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	if (irq != IRQ_S_SOFT)
		return -PV_EINVAL;
	riscv_vsbi_send_ipi(from, to);
	return PV_OK;
}

/* The host time at which the vCPU's timer fires (htimedelta is 0: guest time is host time), 0 if
 * none is armed: vstimecmp (Sstc; live in the CSR while the vCPU is loaded here), or the no-Sstc
 * fallback's deadline. */
static uint64_t riscv_timer_deadline(struct vcpu *vcpu, bool loaded)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t cmp = vc->vstimecmp;

	if (vc->timer_deadline)
		return vc->timer_deadline;
	if (loaded && riscv_info.sstc)
		csr_read(CSR_VSTIMECMP, cmp);
	return cmp == UINT64_MAX ? 0 : cmp;
}

uint64_t riscv_virq_wake_deadline(struct vcpu *vcpu)
{
	return riscv_timer_deadline(vcpu, riscv_vcpu_is_loaded(vcpu));
}

/* Whether the vCPU has an interrupt it enabled (vsie) pending: ends a HALT, and makes a vCPU that
 * idles off its hart runnable. Its timer is compared by hand: vsip does not show a pending Sstc
 * timer on some implementations (QEMU 7.2), and a vCPU off its hart has no live VS state. */
static bool riscv_virq_pending(struct vcpu *vcpu)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	bool loaded = riscv_vcpu_is_loaded(vcpu);
	uint64_t vsie = vc->vsie, vsip = 0, deadline;

	if (loaded) {
		csr_read(CSR_VSIE, vsie);
		csr_read(CSR_VSIP, vsip);
	}
	if (vsip & vsie)
		return true;
	deadline = riscv_timer_deadline(vcpu, loaded);
	if (deadline && hal_cpu.timer_now() >= deadline && (vsie & SIP_STIP))
		return true;
	if (vc->ssip_pending && (vsie & SIP_SSIP))
		return true;
	return vplic_output(vcpu->vm->virq, vcpu->id) && (vsie & SIP_SEIP);
}

/* The no-Sstc timer: VSTIP once the deadline passed, else a host timer that makes the hart exit
 * (or leave its idle wait) at the deadline. */
static void riscv_virq_timer_fallback(struct riscv_vcpu *vc)
{
	if (hal_cpu.timer_now() >= vc->timer_deadline) {
		vc->timer_deadline = 0;
		csr_set(CSR_HVIP, HVIP_VSTIP);
		return;
	}
	hv_timer_set(HV_TIMER_GUEST, vc->timer_deadline);
}

static __attribute__((noinline)) void riscv_virq_flush_work(struct vcpu *vcpu)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t eip;

	riscv_vcpu_load(vcpu);
	if (vc->ssip_pending && __atomic_exchange_n(&vc->ssip_pending, 0, __ATOMIC_ACQ_REL))
		csr_set(CSR_HVIP, HVIP_VSSIP);
	eip = vplic_output(vcpu->vm->virq, vcpu->id) ? HVIP_VSEIP : 0;
	if (eip != vc->hvip_eip) {
		if (eip)
			csr_set(CSR_HVIP, HVIP_VSEIP);
		else
			csr_clear(CSR_HVIP, HVIP_VSEIP);
		vc->hvip_eip = eip;
	}
	if (vc->timer_deadline)
		riscv_virq_timer_fallback(vc);
}

/* Before every entry. Usually nothing changed since the last one: the check for that is a leaf
 * function, the work out of line. When there is nothing to move into hvip the vCPU need not be
 * loaded here: hvip and hvip_eip describe the vCPU's hvip whether it is live in the hart or
 * saved in vc->hvip, and riscv_vcpu_run loads the vCPU before it enters. */
void riscv_virq_flush(struct vcpu *vcpu)
{
	const struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t eip = *vc->plic_out ? HVIP_VSEIP : 0;

	if (__builtin_expect(vc->ssip_pending || eip != vc->hvip_eip || vc->timer_deadline, 0))
		riscv_virq_flush_work(vcpu);
}

const struct virq_ops riscv_virq_ops = {
	.name = "riscv-plic",
	.vm_init = riscv_virq_vm_init,
	.vm_destroy = riscv_virq_vm_destroy,
	.vcpu_init = riscv_virq_vcpu_init,
	.set_line = riscv_virq_set_line,
	.send_ipi = riscv_virq_send_ipi,
	.pending = riscv_virq_pending,
	.flush = riscv_virq_flush,
	.sync = riscv_virq_sync,
	.pt_attach = riscv_pt_attach,
	.pt_release = riscv_pt_release,
};
