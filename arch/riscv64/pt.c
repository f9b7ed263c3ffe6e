// SPDX-License-Identifier: MIT
/*
 * Passed-through interrupts on riscv64 (riscv64/plic.h, docs/devices.md): which physical PLIC
 * source is which VM's vPLIC source, and the claim each holds. A physical source is routed to the
 * hart of the vCPU whose context the guest enables it in; when it fires there the hypervisor
 * claims it, keeps the claim, and raises the guest's source; the guest's completion of what it
 * claimed completes the physical claim (vplic_hw_complete).
 */
#include <devices/vplic.h>
#include <hal/hal.h>
#include <pv/spinlock.h>
#include <riscv64/plic.h>
#include <vm/vm.h>

#define RISCV_PT_MAX	 32u
#define RISCV_PT_NOCLAIM (~0u)

struct riscv_pt_route {
	uint32_t host, guest;
	struct vm *vm;
	unsigned claimed; /* the context holding the physical claim, RISCV_PT_NOCLAIM if none */
};

static struct riscv_pt_route riscv_pt[RISCV_PT_MAX];
static unsigned riscv_npt;
static pv_spinlock_t riscv_pt_lock = PV_SPINLOCK_INIT;

/* The physical CPU of the vCPU whose vPLIC context the guest routes @guest to. */
static unsigned riscv_pt_cpu(struct vm *vm, uint32_t guest)
{
	unsigned v = vm->virq ? VPLIC_CTX_VCPU(vplic_route(vm->virq, guest)) : 0;

	return vm->vcpus[v < vm->nvcpus ? v : 0].pcpu;
}

int riscv_pt_attach(struct vm *vm, uint32_t host, uint32_t guest)
{
	int err = PV_OK;

	if (!vm->virq || host == 0 || host > riscv_plic_sources())
		return -PV_EINVAL;
	pv_spin_lock(&riscv_pt_lock);
	for (unsigned i = 0; i < riscv_npt && !err; i++)
		if (riscv_pt[i].host == host ||
		    (riscv_pt[i].vm == vm && riscv_pt[i].guest == guest))
			err = -PV_EBUSY;
	if (!err && riscv_npt >= RISCV_PT_MAX)
		err = -PV_ENOMEM;
	if (!err)
		riscv_pt[riscv_npt++] =
			(struct riscv_pt_route){ host, guest, vm, RISCV_PT_NOCLAIM };
	pv_spin_unlock(&riscv_pt_lock);
	if (err)
		return err;
	err = vplic_set_hw(vm->virq, guest, true);
	if (err)
		return err;
	riscv_plic_priority(host, 1);
	riscv_plic_route(host, riscv_pt_cpu(vm, guest));
	return PV_OK;
}

void riscv_pt_release(struct vm *vm)
{
	struct riscv_pt_route gone[RISCV_PT_MAX];
	unsigned n = 0, kept = 0;

	pv_spin_lock(&riscv_pt_lock);
	for (unsigned i = 0; i < riscv_npt; i++) {
		if (riscv_pt[i].vm == vm)
			gone[n++] = riscv_pt[i];
		else
			riscv_pt[kept++] = riscv_pt[i];
	}
	riscv_npt = kept;
	pv_spin_unlock(&riscv_pt_lock);
	for (unsigned i = 0; i < n; i++) {
		riscv_plic_route(gone[i].host, CONFIG_MAX_CPUS);
		riscv_plic_priority(gone[i].host, 0);
		if (gone[i].claimed != RISCV_PT_NOCLAIM)
			riscv_plic_complete(gone[i].host, gone[i].claimed);
	}
}

bool riscv_pt_fired(uint32_t src, unsigned ctx)
{
	struct riscv_pt_route r = { 0 };
	bool owned = false;

	pv_spin_lock(&riscv_pt_lock);
	for (unsigned i = 0; i < riscv_npt; i++)
		if (riscv_pt[i].host == src) {
			riscv_pt[i].claimed = ctx;
			r = riscv_pt[i];
			owned = true;
			break;
		}
	pv_spin_unlock(&riscv_pt_lock);
	if (!owned)
		return false;
	if (__atomic_load_n(&r.vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED) {
		/* Its release may be on its way on another hart; nobody takes this one. */
		riscv_plic_route(src, CONFIG_MAX_CPUS);
		riscv_plic_complete(src, ctx);
		return true;
	}
	(void)vplic_hw_raise(r.vm->virq, r.guest);
	return true;
}

void vplic_hw_complete(struct vm *vm, uint32_t src)
{
	uint32_t host = 0;
	unsigned ctx = RISCV_PT_NOCLAIM;

	pv_spin_lock(&riscv_pt_lock);
	for (unsigned i = 0; i < riscv_npt; i++)
		if (riscv_pt[i].vm == vm && riscv_pt[i].guest == src) {
			host = riscv_pt[i].host;
			ctx = riscv_pt[i].claimed;
			riscv_pt[i].claimed = RISCV_PT_NOCLAIM;
			break;
		}
	pv_spin_unlock(&riscv_pt_lock);
	if (ctx != RISCV_PT_NOCLAIM)
		riscv_plic_complete(host, ctx);
}

void vplic_hw_rerouted(struct vm *vm, uint32_t src)
{
	uint32_t host = 0;

	pv_spin_lock(&riscv_pt_lock);
	for (unsigned i = 0; i < riscv_npt; i++)
		if (riscv_pt[i].vm == vm && riscv_pt[i].guest == src)
			host = riscv_pt[i].host;
	pv_spin_unlock(&riscv_pt_lock);
	if (host)
		riscv_plic_route(host, riscv_pt_cpu(vm, src));
}
