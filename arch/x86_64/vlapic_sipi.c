// SPDX-License-Identifier: MIT
/*
 * INIT and Start-Up IPIs of the emulated local APIC (the protocol is described in vlapic.c): the
 * wait-for-SIPI state an INIT puts a vCPU in, and the Start-Up IPI that becomes the core's CPU_UP
 * exit.
 */
#include <vm/vm.h>

#include "vlapic.h"

/* INIT to @to: wait-for-SIPI if it is not running (the VM lock orders this with vm_cpu_up). */
static void init_one(struct vcpu *from, struct vcpu *to)
{
	struct vlapic *l = vlapic_of(to);
	enum vcpu_state state;

	if (to == from)
		return;
	pv_spin_lock(&to->vm->lock);
	state = __atomic_load_n(&to->state, __ATOMIC_ACQUIRE);
	/* A start already claimed by a Start-Up IPI is left to finish. */
	if ((state == VCPU_CREATED || state == VCPU_STOPPED) &&
	    !(atomic_load_explicit(&l->sipi, memory_order_acquire) & VLAPIC_SIPI_START)) {
		vlapic_reset(l);
		atomic_store_explicit(&l->sipi, VLAPIC_SIPI_WAIT, memory_order_release);
	}
	pv_spin_unlock(&to->vm->lock);
}

int vlapic_icr_init(struct vcpu *vcpu, uint64_t value)
{
	struct vm *vm = vcpu->vm;
	struct vcpu *target;

	/* De-assert is a no-op on current processors; INIT to self is not a valid shorthand. */
	if (!(value & ICR_LEVEL_ASSERT))
		return PV_OK;
	switch (ICR_SHORTHAND(value)) {
	case ICR_DEST_OTHERS:
		for (unsigned i = 0; i < vm->nvcpus; i++)
			init_one(vcpu, &vm->vcpus[i]);
		return PV_OK;
	case ICR_DEST_ONE:
		/* The broadcast id reaches every vCPU; INIT to the sender is ignored anyway. */
		if ((uint32_t)(value >> 32) == ICR_BROADCAST_ID) {
			for (unsigned i = 0; i < vm->nvcpus; i++)
				init_one(vcpu, &vm->vcpus[i]);
			return PV_OK;
		}
		target = vm_find_vcpu(vm, value >> 32);
		if (target)
			init_one(vcpu, target);
		return PV_OK;
	default:
		return PV_OK;
	}
}

/* WAIT -> START | vector, for one sender only. */
static bool sipi_claim(struct vcpu *from, struct vcpu *to, unsigned vector)
{
	uint32_t expected = VLAPIC_SIPI_WAIT;

	if (to == from || !to->virq)
		return false;
	return atomic_compare_exchange_strong_explicit(&vlapic_of(to)->sipi, &expected,
						       VLAPIC_SIPI_START | vector,
						       memory_order_acq_rel, memory_order_acquire);
}

bool vlapic_sipi_exit(struct vcpu *from, uint64_t icr, struct vcpu_exit *exit)
{
	struct vm *vm = from->vm;
	unsigned vector = icr & 0xffu;
	struct vcpu *to = NULL;

	if (ICR_MODE(icr) != ICR_MODE_STARTUP || (icr & ICR_LOGICAL))
		return false;
	if (ICR_SHORTHAND(icr) == ICR_DEST_ONE && (uint32_t)(icr >> 32) != ICR_BROADCAST_ID) {
		to = vm_find_vcpu(vm, icr >> 32);
		if (to && !sipi_claim(from, to, vector))
			to = NULL;
	} else if (ICR_SHORTHAND(icr) == ICR_DEST_OTHERS || ICR_SHORTHAND(icr) == ICR_DEST_ONE) {
		/* All but self, or the broadcast id (the sender is never started by its own SIPI). */
		for (unsigned i = 0; i < vm->nvcpus && !to; i++)
			if (sipi_claim(from, &vm->vcpus[i], vector))
				to = &vm->vcpus[i];
	}
	if (!to)
		return false;
	exit->kind = VCPU_EXIT_CPU_UP;
	exit->cpu_up.target = to->guest_cpu_id;
	exit->cpu_up.entry = (uint64_t)vector << 12;
	exit->cpu_up.arg = 0;
	exit->cpu_up.ret = 0;
	return true;
}

bool vlapic_sipi_take(struct vcpu *vcpu, uint64_t entry)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint32_t s;

	if (!l)
		return false;
	s = atomic_exchange_explicit(&l->sipi, 0, memory_order_acq_rel);
	return (s & VLAPIC_SIPI_START) && (uint64_t)(s & 0xffu) << 12 == entry;
}

void vlapic_sipi_done(struct vcpu *from, const struct vcpu_exit *exit)
{
	struct vcpu *to;
	uint32_t s;

	if (exit->cpu_up.ret == 0)
		return;
	to = vm_find_vcpu(from->vm, exit->cpu_up.target);
	if (!to || !to->virq)
		return;
	/* The core refused the start: the Start-Up IPI is spent, the vCPU no longer waits. */
	s = atomic_load_explicit(&vlapic_of(to)->sipi, memory_order_acquire);
	if (s & VLAPIC_SIPI_START)
		atomic_compare_exchange_strong_explicit(&vlapic_of(to)->sipi, &s, 0,
							memory_order_acq_rel, memory_order_acquire);
}
