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
#include <riscv64/vtimer_backstop.h>
#include <vm/vm.h>

void riscv_virq_kick(struct vcpu *vcpu)
{
	enum vcpu_state st = __atomic_load_n(&vcpu->state, __ATOMIC_ACQUIRE);

	/* Order the caller's request flag before the interrupt the target reacts to. */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (vcpu->pcpu != hal_cpu.cpu_id() && (st == VCPU_RUNNING || st == VCPU_HALTED))
		hal_cpu.ipi_send(vcpu->pcpu);
}

/* Only supervisor-level contexts reach a vCPU (VPLIC_S_CTX). */
void vplic_notify(struct vm *vm, unsigned ctx)
{
	if ((ctx & 1u) && ctx / 2u < vm->nvcpus)
		riscv_virq_kick(&vm->vcpus[ctx / 2u]);
}

void riscv_vsbi_send_ipi(struct vcpu *from, struct vcpu *to)
{
	(void)from;
	__atomic_store_n(&riscv_vcpu(to)->ssip_pending, 1, __ATOMIC_RELEASE);
	riscv_virq_kick(to);
}

/* While a remote fence waits: a pause hint (Zihintpause's "pause", an ordinary fence on harts
 * without it). */
static void riscv_rfence_relax(void *ctx)
{
	(void)ctx;
	__asm__ __volatile__(".4byte 0x0100000f" ::: "memory");
}

void riscv_vsbi_remote_fence(struct vcpu *from, struct vcpu *const *to, unsigned n, unsigned what)
{
	struct riscv_rfence *t[VM_MAX_VCPUS];

	(void)from;
	if (n > VM_MAX_VCPUS)
		n = VM_MAX_VCPUS;
	for (unsigned i = 0; i < n; i++) {
		t[i] = &riscv_vcpu(to[i])->rfence;
		riscv_rfence_ask(t[i], what);
		riscv_virq_kick(to[i]);
	}
	riscv_rfence_wait(t, n, riscv_rfence_relax, NULL);
}

void riscv_vsbi_set_timer(struct vcpu *vcpu, uint64_t deadline)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (riscv_info.sstc) {
		csr_write(CSR_VSTIMECMP, deadline);
		return;
	}
	/* A new deadline withdraws the interrupt of the old one (as writing stimecmp would). The
	 * guest counts in its VM's time; 0 means "none" here, so a deadline at the VM's first tick
	 * (long passed) becomes 1. */
	deadline = riscv_host_time(vc, deadline);
	vc->timer_deadline = deadline ? deadline : 1;
	csr_clear(CSR_HVIP, HVIP_VSTIP);
}

static int riscv_virq_vm_init(struct vm *vm)
{
	vm->virq = vplic_create(vm, CONFIG_RISCV_GUEST_PLIC_BASE, VPLIC_CTXS(vm->nvcpus));
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

	riscv_vcpu(vcpu)->plic_out = p && VPLIC_S_CTX(vcpu->id) < p->nctx
					     ? &p->out[VPLIC_S_CTX(vcpu->id)]
					     : &riscv_no_plic_output;
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

/* The vCPU's interrupt state as the hart would show it: live in the hart while the vCPU is
 * loaded there, else its saved copy. */
struct riscv_virq_view {
	uint64_t vsie, hvip, vstimecmp;
};

static void riscv_virq_view(const struct vcpu *vcpu, struct riscv_virq_view *v)
{
	const struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (!riscv_vcpu_is_loaded(vcpu) || vc->reload) {
		v->vsie = vc->vsie;
		v->hvip = vc->hvip;
		v->vstimecmp = vc->vstimecmp;
		return;
	}
	csr_read(CSR_VSIE, v->vsie);
	csr_read(CSR_HVIP, v->hvip);
	v->vstimecmp = UINT64_MAX;
	if (riscv_info.sstc)
		csr_read(CSR_VSTIMECMP, v->vstimecmp);
}

/* Whether the vCPU has an interrupt it enabled (vsie) pending: ends a HALT or an HSM suspend, and
 * makes a vCPU idling off its hart runnable. vsip is not read: QEMU 7.2 does not show a timer
 * raised by vstimecmp (Sstc) there, so each source is looked at itself: hvip (injected software,
 * timer and external interrupts), a requested IPI, the vPLIC's output, vstimecmp against the time,
 * and the no-Sstc deadline. Called on the vCPU's hart (the core's HALT path and scheduler). */
static bool riscv_virq_pending(struct vcpu *vcpu)
{
	const struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	struct riscv_virq_view v;
	uint64_t pend;

	riscv_virq_view(vcpu, &v);
	/* hvip's VS bits sit one above the S-level bits vsie uses. */
	pend = (v.hvip & (HVIP_VSSIP | HVIP_VSTIP | HVIP_VSEIP)) >> 1;
	if (__atomic_load_n(&vc->ssip_pending, __ATOMIC_ACQUIRE))
		pend |= SIP_SSIP;
	if (vplic_output(vcpu->vm->virq, VPLIC_S_CTX(vcpu->id)))
		pend |= SIP_SEIP;
	if (v.vsie & SIP_STIP) {
		uint64_t now = hal_cpu.timer_now();

		if (riscv_info.sstc ? riscv_guest_time(vc, now) >= v.vstimecmp
				    : vc->timer_deadline && now >= vc->timer_deadline)
			pend |= SIP_STIP;
	}
	return (pend & v.vsie) != 0;
}

/* Where the vCPU idles in place on its hart with Sstc, its own timer (VSTIP from vstimecmp, enabled
 * in hie) ends the hart's wait at the deadline; the scheduler's timer is then only a backstop, set
 * this long after it (20 us). Being a real deadline shortly after the wake, it also makes QEMU's
 * instruction-counting round robin, which gives each hart a turn as long as the time to the
 * machine's next timer deadline, run the woken hart soon instead of after the other harts' long
 * turns (the guest suite's timer check saw a 47 ms late tick without it). */
#define RISCV_WAKE_BACKSTOP_HZ 50000u

/* vcpu_ops.wake_deadline: when the vCPU's own timer makes riscv_virq_pending true (0: it cannot,
 * being disarmed or masked in vsie). */
uint64_t riscv_virq_wake_deadline(struct vcpu *vcpu)
{
	const struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	struct riscv_virq_view v;
	uint64_t d;

	riscv_virq_view(vcpu, &v);
	if (!(v.vsie & SIP_STIP))
		return 0;
	if (!riscv_info.sstc)
		return vc->timer_deadline;
	if (v.vstimecmp == UINT64_MAX)
		return 0;
	d = riscv_host_time(vc, v.vstimecmp);
	if (d == 0) /* 0 says "none": a deadline at 0 has passed already */
		d = 1;
	if (riscv_vcpu_is_loaded(vcpu) && !vc->reload &&
	    d <= UINT64_MAX - riscv_info.timebase_hz / RISCV_WAKE_BACKSTOP_HZ)
		d += riscv_info.timebase_hz / RISCV_WAKE_BACKSTOP_HZ;
	return d;
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

struct riscv_vcpu *riscv_virq_backstop(struct riscv_vcpu *vc)
{
	uint64_t cmp, now = hal_cpu.timer_now();

	csr_read(CSR_VSTIMECMP, cmp);
	hv_timer_set(HV_TIMER_GUEST,
		     riscv_vtimer_backstop(riscv_host_time(vc, cmp), now,
					   riscv_info.timebase_hz / RISCV_VTIMER_SLACK_HZ));
	return vc;
}

void riscv_virq_flush_work(struct vcpu *vcpu)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t eip;

	riscv_vcpu_load(vcpu);
	if (vc->ssip_pending && __atomic_exchange_n(&vc->ssip_pending, 0, __ATOMIC_ACQ_REL))
		csr_set(CSR_HVIP, HVIP_VSSIP);
	eip = vplic_output(vcpu->vm->virq, VPLIC_S_CTX(vcpu->id)) ? HVIP_VSEIP : 0;
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
	riscv_exit_virq_flush(vcpu);
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
