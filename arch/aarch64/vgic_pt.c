// SPDX-License-Identifier: MIT
/*
 * Passed-through interrupts, hardware side (a64/vgic_pt.h): the table of owned physical SPIs, their
 * distributor set-up and routing, and their delivery to the vCPU the guest routes them to.
 */
#include <a64/gic.h>
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <a64/vgic_pt.h>
#include <hal/hal.h>
#include <pv/spinlock.h>
#include <vm/vm.h>

static struct a64_pt_table a64_pt;
static pv_spinlock_t a64_pt_lock = PV_SPINLOCK_INIT;

/* Physical INTID of @vm's passed-through @vintid, 0 if it is none. */
static uint32_t a64_pt_pintid(struct vm *vm, uint32_t vintid)
{
	const struct a64_vgic_cpu *c = vm->nvcpus ? vm->vcpus[0].virq : NULL;

	if (!c || vintid < 32 || vintid >= A64_VGIC_NR_IRQ)
		return 0;
	return c->pintid[vintid - 32];
}

int a64_vgic_pt_attach(struct vm *vm, uint32_t host, uint32_t guest)
{
	uint32_t pintid = 32 + host;
	int err;

	if (host > A64_GIC_MAX_INTID - 32)
		return -PV_EINVAL;
	pv_spin_lock(&a64_pt_lock);
	err = a64_pt_table_add(&a64_pt, a64_gic_lines(), pintid, vm, guest);
	pv_spin_unlock(&a64_pt_lock);
	if (err)
		return err;
	/* The VM does not run yet: its vCPUs' copies are written without their locks. */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct a64_vgic_cpu *c = vm->vcpus[i].virq;

		c->pintid[guest - 32] = (uint16_t)pintid;
	}
	a64_gic_spi_setup(pintid, a64_pt_target(vm, guest)->pcpu);
	return PV_OK;
}

void a64_vgic_pt_release(struct vm *vm)
{
	uint32_t pintids[A64_PT_MAX_ROUTES];
	unsigned n;

	pv_spin_lock(&a64_pt_lock);
	n = a64_pt_table_take(&a64_pt, vm, pintids, A64_PT_MAX_ROUTES);
	pv_spin_unlock(&a64_pt_lock);
	for (unsigned i = 0; i < n; i++) {
		a64_gic_spi_enable(pintids[i], false);
		a64_gic_spi_deactivate(pintids[i]);
	}
}

bool a64_vgic_pt_fired(uint32_t pintid)
{
	struct a64_pt_route r;
	struct vcpu *v;
	bool owned;

	pv_spin_lock(&a64_pt_lock);
	owned = a64_pt_table_find(&a64_pt, pintid, &r);
	pv_spin_unlock(&a64_pt_lock);
	if (!owned)
		return false;
	if (__atomic_load_n(&r.vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED) {
		/* Its release may be on its way on another CPU; nobody takes this one. */
		a64_gic_spi_enable(pintid, false);
		a64_gic_spi_deactivate(pintid);
		return true;
	}
	v = a64_pt_target(r.vm, r.vintid);
	pv_spin_lock(&v->virq_lock);
	a64_vgic_pt_pend(v->virq, r.vintid);
	pv_spin_unlock(&v->virq_lock);
	if (v->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(v->pcpu);
	return true;
}

void a64_vgic_pt_drop(struct vcpu *vcpu)
{
	struct a64_vgic_cpu *c = vcpu->virq;
	uint64_t drop;

	pv_spin_lock(&vcpu->virq_lock);
	drop = c->hw_drop;
	c->hw_drop = 0;
	pv_spin_unlock(&vcpu->virq_lock);
	while (drop) {
		unsigned intid = (unsigned)__builtin_ctzll(drop);

		drop &= drop - 1;
		if (intid >= 32 && c->pintid[intid - 32])
			a64_gic_spi_deactivate(c->pintid[intid - 32]);
	}
}

void a64_vgic_pt_route(struct vm *vm, uint32_t intid)
{
	uint32_t pintid = a64_pt_pintid(vm, intid);

	if (pintid)
		a64_gic_spi_route(pintid, a64_pt_target(vm, intid)->pcpu);
}

void a64_vgic_pt_config(struct vm *vm, uint32_t first, uint32_t icfgr)
{
	for (unsigned k = 0; k < 16; k++) {
		uint32_t pintid = a64_pt_pintid(vm, first + k);

		if (pintid)
			a64_gic_spi_config(pintid, icfgr >> (2 * k + 1) & 1u);
	}
}
