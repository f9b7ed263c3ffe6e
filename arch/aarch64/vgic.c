// SPDX-License-Identifier: MIT
/*
 * vGICv3, hardware side: virq_ops for the core, the list registers of the CPU's virtual
 * interface, the guest's virtual timer routed through it, and SGIs between vCPUs (the guest's
 * ICC_SGI1R_EL1 writes trap to EL2 while HCR_EL2.IMO is set). The guest's distributor and
 * redistributors are emulated in vgic_mmio.c.
 *
 * Virtual timer: the physical PPI 27 fires while the guest's CNTV is loaded; the hypervisor masks
 * it at its redistributor, injects virtual INTID 27 with an EOI maintenance request and holds it
 * (a64_vgic_hw_fired). The PPI is unmasked as soon as virtual INTID 27 is neither pending nor in a
 * list register, whichever way it left: deactivated by the guest, cleared through GICR_ICPENDR0,
 * or dropped because the guest cancelled its timer (a64_vgic_hw_release). A level that is still
 * high then fires again. Loading a vCPU unmasks the PPI and holds nothing.
 */
#include <a64/cpu.h>
#include <a64/gic.h>
#include <a64/sysreg.h>
#include <a64/vcpu.h>
#include <a64/vgic_hw.h>
#include <a64/vgic_mmio.h>
#include <a64/vgic_pt.h>
#include <hal/hal.h>
#include <vm/vm.h>

#define A64_CNTV_ENABLE	 PV_BIT(0)
#define A64_CNTV_IMASK	 PV_BIT(1)
#define A64_CNTV_ISTATUS PV_BIT(2)

/* One case of a switch over ICH_* registers S3_4_C12_<crm>_<op2>: reads or writes @v. */
#define A64_ICH_ACCESS(n, crm, op2)                                                                \
	case n:                                                                                    \
		if (write)                                                                         \
			__asm__ volatile("msr S3_4_C12_" #crm "_" #op2 ", %0" : : "r"(v));         \
		else                                                                               \
			__asm__ volatile("mrs %0, S3_4_C12_" #crm "_" #op2 : "=r"(v));             \
		break;

/* ICH_AP0R<n>_EL2 (CRm 8) and ICH_AP1R<n>_EL2 (CRm 9), n = 0..3: index 4 * group + n. */
static uint64_t a64_ap_access(unsigned i, bool write, uint64_t v)
{
	switch (i) {
		A64_ICH_ACCESS(0, C8, 0)
		A64_ICH_ACCESS(1, C8, 1)
		A64_ICH_ACCESS(2, C8, 2)
		A64_ICH_ACCESS(3, C8, 3)
		A64_ICH_ACCESS(4, C9, 0)
		A64_ICH_ACCESS(5, C9, 1)
		A64_ICH_ACCESS(6, C9, 2)
		A64_ICH_ACCESS(7, C9, 3)
	default:
		break;
	}
	return v;
}

/* ICH_LR<n>_EL2: C12 with CRm 12 holds 0-7, CRm 13 holds 8-15. */
static uint64_t a64_lr_access(unsigned n, bool write, uint64_t v)
{
	switch (n) {
		A64_ICH_ACCESS(0, C12, 0)
		A64_ICH_ACCESS(1, C12, 1)
		A64_ICH_ACCESS(2, C12, 2)
		A64_ICH_ACCESS(3, C12, 3)
		A64_ICH_ACCESS(4, C12, 4)
		A64_ICH_ACCESS(5, C12, 5)
		A64_ICH_ACCESS(6, C12, 6)
		A64_ICH_ACCESS(7, C12, 7)
		A64_ICH_ACCESS(8, C13, 0)
		A64_ICH_ACCESS(9, C13, 1)
		A64_ICH_ACCESS(10, C13, 2)
		A64_ICH_ACCESS(11, C13, 3)
		A64_ICH_ACCESS(12, C13, 4)
		A64_ICH_ACCESS(13, C13, 5)
		A64_ICH_ACCESS(14, C13, 6)
		A64_ICH_ACCESS(15, C13, 7)
	default:
		break;
	}
	return v;
}

static struct a64_vcpu *a64_vgic_owner(struct vcpu *vcpu)
{
	return vcpu->arch;
}

static bool a64_is_loaded(const struct a64_vcpu *a)
{
	return a64_loaded_vcpu() == a;
}

static void a64_vgic_kick(struct vcpu *vcpu)
{
	if (vcpu->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(vcpu->pcpu);
}

/* The guest's timer output right now: enabled, expired and not masked. */
static bool a64_vtimer_asserted(const struct a64_vcpu *a)
{
	uint64_t ctl = a64_is_loaded(a) ? a64_read_cntv_ctl_el0() : a->el1.cntv_ctl;

	return (ctl & (A64_CNTV_ENABLE | A64_CNTV_IMASK | A64_CNTV_ISTATUS)) ==
	       (A64_CNTV_ENABLE | A64_CNTV_ISTATUS);
}

/* The physical counter value at which the guest's timer fires, 0 if it is disarmed or masked (or
 * set so far ahead that the sum wraps: never). Its registers are the hardware's while @a is
 * loaded here; a vCPU put off its CPU has its timer only in software. */
static uint64_t a64_vtimer_deadline(const struct a64_vcpu *a)
{
	bool loaded = a64_is_loaded(a);
	uint64_t ctl = loaded ? a64_read_cntv_ctl_el0() : a->el1.cntv_ctl;
	uint64_t cval = loaded ? a64_read_cntv_cval_el0() : a->el1.cntv_cval;

	if ((ctl & (A64_CNTV_ENABLE | A64_CNTV_IMASK)) != A64_CNTV_ENABLE ||
	    cval > UINT64_MAX - a->cntvoff)
		return 0;
	return cval + a->cntvoff;
}

uint64_t a64_vtimer_wake_deadline(struct vcpu *vcpu)
{
	return a64_vtimer_deadline(vcpu->arch);
}

/* Unmasks the physical sources of the held INTIDs that are done. When @a is not loaded here its
 * load unmasks them anyway. Caller holds the virq lock. */
static void a64_vgic_release_hw(struct a64_vcpu *a, bool loaded)
{
	if (!a64_vgic_hw_releasable(&a->vgic))
		return;
	if ((a64_vgic_hw_release(&a->vgic) & PV_BIT(A64_IRQ_VTIMER)) && loaded)
		a64_gic_ppi_enable(A64_IRQ_VTIMER, true);
}

/* Takes back finished list registers, then releases what they held. Caller holds the virq lock;
 * @a is loaded on this CPU. */
static void a64_vgic_retire_hw(struct a64_vcpu *a)
{
	struct a64_vgic_cpu *c = &a->vgic;
	uint64_t lr[A64_VGIC_MAX_LR];
	unsigned used = c->lr_used, freed;

	while (used) {
		unsigned n = (unsigned)__builtin_ctz(used);
		used &= used - 1;
		lr[n] = a64_lr_access(n, false, 0);
	}
	(void)a64_vgic_retire(c, lr, &freed);
	while (freed) {
		unsigned n = (unsigned)__builtin_ctz(freed);
		freed &= freed - 1;
		(void)a64_lr_access(n, true, 0);
	}
	a64_vgic_release_hw(a, true);
}

void a64_vgic_flush(struct vcpu *vcpu)
{
	struct a64_vcpu *a = a64_vgic_owner(vcpu);
	struct a64_vgic_cpu *c = &a->vgic;
	uint64_t lr[A64_VGIC_MAX_LR];
	bool loaded;
	unsigned written;

	if (!(__atomic_load_n(&c->pending, __ATOMIC_ACQUIRE) & c->enabled)) {
		/* Another vCPU may have cleared a held interrupt and kicked this CPU (a64_vgic_recheck):
		 * no exit need follow before the guest waits for it again. */
		if (a64_vgic_hw_releasable(c)) {
			pv_spin_lock(&vcpu->virq_lock);
			a64_vgic_release_hw(a, a64_is_loaded(a));
			pv_spin_unlock(&vcpu->virq_lock);
		}
		return;
	}
	loaded = a64_is_loaded(a);
	pv_spin_lock(&vcpu->virq_lock);
	/* A timer interrupt the guest cancelled before taking it is no longer there. */
	if ((c->pending & PV_BIT(A64_IRQ_VTIMER)) && !a64_vtimer_asserted(a)) {
		__atomic_and_fetch(&c->pending, ~PV_BIT(A64_IRQ_VTIMER), __ATOMIC_RELAXED);
		a64_vgic_release_hw(a, loaded);
	}
	written = a64_vgic_fill(c, lr);
	while (written) {
		unsigned n = (unsigned)__builtin_ctz(written);
		written &= written - 1;
		if (loaded)
			(void)a64_lr_access(n, true, lr[n]);
		else
			c->lr_saved[n] = lr[n];
	}
	if (loaded)
		a64_write_ich_hcr_el2(ICH_HCR_EN | (c->underflow ? ICH_HCR_UIE : 0));
	pv_spin_unlock(&vcpu->virq_lock);
}

void a64_vgic_sync(struct vcpu *vcpu)
{
	struct a64_vcpu *a = a64_vgic_owner(vcpu);

	if (!a64_vgic_sync_needed(&a->vgic))
		return;
	pv_spin_lock(&vcpu->virq_lock);
	if (a->vgic.lr_used)
		a64_vgic_retire_hw(a);
	else
		a64_vgic_release_hw(a, a64_is_loaded(a));
	pv_spin_unlock(&vcpu->virq_lock);
}

void a64_vgic_load(struct a64_vcpu *a)
{
	struct a64_vgic_cpu *c = &a->vgic;

	for (unsigned n = 0; n < c->nr_lr; n++)
		(void)a64_lr_access(n, true, (c->lr_used >> n & 1) ? c->lr_saved[n] : 0);
	a64_write_ich_vmcr_el2(c->vmcr);
	for (unsigned n = 0; n < a64_ich_ap_regs; n++) {
		(void)a64_ap_access(n, true, c->ap0r[n]);
		(void)a64_ap_access(4 + n, true, c->ap1r[n]);
	}
	a64_write_ich_hcr_el2(ICH_HCR_EN | (c->underflow ? ICH_HCR_UIE : 0));
	/* Whatever the previous vCPU left masked, this one's timer starts unmasked: a level still
	 * high fires again and is held anew. */
	c->hw_held = 0;
	a64_gic_ppi_enable(A64_IRQ_VTIMER, true);
}

void a64_vgic_put(struct a64_vcpu *a)
{
	struct a64_vgic_cpu *c = &a->vgic;

	for (unsigned n = 0; n < c->nr_lr; n++) {
		if (c->lr_used >> n & 1)
			c->lr_saved[n] = a64_lr_access(n, false, 0);
		(void)a64_lr_access(n, true, 0);
	}
	c->vmcr = a64_read_ich_vmcr_el2();
	for (unsigned n = 0; n < a64_ich_ap_regs; n++) {
		c->ap0r[n] = a64_ap_access(n, false, 0);
		c->ap1r[n] = a64_ap_access(4 + n, false, 0);
	}
	a64_write_ich_hcr_el2(0);
}

void a64_vgic_maintenance(void)
{
	struct a64_vcpu *a = a64_loaded_vcpu();

	if (!a) {
		a64_write_ich_hcr_el2(0);
		return;
	}
	pv_spin_lock(&a->vcpu->virq_lock);
	a64_vgic_retire_hw(a);
	/* Underflow is asked for again by the next flush if interrupts still wait. */
	a64_write_ich_hcr_el2(ICH_HCR_EN);
	pv_spin_unlock(&a->vcpu->virq_lock);
}

void a64_vgic_vtimer_fired(void)
{
	struct a64_vcpu *a = a64_loaded_vcpu();

	a64_gic_ppi_enable(A64_IRQ_VTIMER, false);
	if (!a)
		return; /* unmasked again when a vCPU is loaded */
	pv_spin_lock(&a->vcpu->virq_lock);
	a64_vgic_hw_fired(&a->vgic, A64_IRQ_VTIMER);
	pv_spin_unlock(&a->vcpu->virq_lock);
}

void a64_vgic_recheck(struct vcpu *vcpu)
{
	struct a64_vcpu *a = a64_vgic_owner(vcpu);

	if (a->vgic.hw_drop)
		a64_vgic_pt_drop(vcpu);
	if (!a64_vgic_hw_releasable(&a->vgic))
		return;
	if (!a64_is_loaded(a)) {
		/* Its own CPU releases it at the next flush: make that CPU look. */
		a64_vgic_kick(vcpu);
		return;
	}
	pv_spin_lock(&vcpu->virq_lock);
	a64_vgic_release_hw(a, true);
	pv_spin_unlock(&vcpu->virq_lock);
}

/* Marks @intid pending; caller holds the virq lock. Then the caller kicks the vCPU's CPU. */
static void a64_vgic_mark(struct vcpu *vcpu, uint32_t intid)
{
	struct a64_vgic_cpu *c = vcpu->virq;

	__atomic_or_fetch(&c->pending, 1ULL << intid, __ATOMIC_RELEASE);
}

int a64_vgic_inject(struct vcpu *vcpu, uint32_t intid)
{
	if (intid >= A64_VGIC_NR_IRQ || !vcpu->virq)
		return -PV_EINVAL;
	a64_vgic_mark(vcpu, intid);
	a64_vgic_kick(vcpu);
	return PV_OK;
}

int a64_vgic_raise(struct vcpu *vcpu, uint32_t intid)
{
	int err;

	if (intid >= A64_VGIC_NR_IRQ || !vcpu->virq)
		return -PV_EINVAL;
	pv_spin_lock(&vcpu->virq_lock);
	err = a64_vgic_inject(vcpu, intid);
	pv_spin_unlock(&vcpu->virq_lock);
	return err;
}

static int a64_vgic_vcpu_init(struct vcpu *vcpu)
{
	struct a64_vcpu *a = vcpu->arch;

	a64_vgic_cpu_reset(&a->vgic, ICH_VTR_LISTREGS(a64_read_ich_vtr_el2()));
	vcpu->virq = &a->vgic;
	return PV_OK;
}

static int a64_vgic_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	/* Lines are taken as edges: a rising level makes the interrupt pending once. */
	if (!level)
		return PV_OK;
	if (irq < 32)
		return target ? a64_vgic_raise(target, irq) : -PV_EINVAL;
	target = a64_vgic_mmio_route(vm, irq);
	return target ? a64_vgic_raise(target, irq) : -PV_EINVAL;
}

static int a64_vgic_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	(void)from;
	return irq < 16 ? a64_vgic_raise(to, irq) : -PV_EINVAL;
}

/* Also for a vCPU idling off its CPU whose timer has fired since: its CNTV is not in the
 * hardware, so no PPI says so (the scheduler picks it, and its load brings the timer back). */
static bool a64_vgic_pending(struct vcpu *vcpu)
{
	const struct a64_vgic_cpu *c = vcpu->virq;
	const struct a64_vcpu *a = vcpu->arch;
	uint64_t d;

	if (!c)
		return false;
	if (a64_vgic_has_pending(c))
		return true;
	if (!a || a64_is_loaded(a))
		return false;
	d = a64_vtimer_deadline(a);
	return d && a64_read_cntpct() >= d;
}

const struct virq_ops a64_virq_ops = {
	.name = "vGICv3",
	.vm_init = a64_vgic_mmio_init,
	.vm_destroy = a64_vgic_mmio_destroy,
	.vcpu_init = a64_vgic_vcpu_init,
	.set_line = a64_vgic_set_line,
	.send_ipi = a64_vgic_send_ipi,
	.pending = a64_vgic_pending,
	.flush = a64_vgic_flush,
	.sync = a64_vgic_sync,
	.pt_attach = a64_vgic_pt_attach,
	.pt_release = a64_vgic_pt_release,
};
