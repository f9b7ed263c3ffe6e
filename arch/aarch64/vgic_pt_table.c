// SPDX-License-Identifier: MIT
/* Passed-through interrupts' table and routing (a64/vgic_pt.h): pure code, host-tested. */
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <a64/vgic_pt.h>
#include <vm/vm.h>

int a64_pt_table_add(struct a64_pt_table *t, unsigned nlines, uint32_t pintid, struct vm *vm,
		     uint32_t vintid)
{
	if (pintid < 32 || pintid >= nlines || pintid > A64_GIC_MAX_INTID || vintid < 32 ||
	    vintid >= A64_VGIC_NR_IRQ || !vm)
		return -PV_EINVAL;
	for (unsigned i = 0; i < t->n; i++) {
		if (t->r[i].pintid == pintid)
			return -PV_EBUSY;
		if (t->r[i].vm == vm && t->r[i].vintid == vintid)
			return -PV_EBUSY;
	}
	if (t->n >= A64_PT_MAX_ROUTES)
		return -PV_ENOMEM;
	t->r[t->n++] = (struct a64_pt_route){ pintid, vintid, vm };
	return PV_OK;
}

bool a64_pt_table_find(const struct a64_pt_table *t, uint32_t pintid, struct a64_pt_route *out)
{
	for (unsigned i = 0; i < t->n; i++)
		if (t->r[i].pintid == pintid) {
			*out = t->r[i];
			return true;
		}
	return false;
}

unsigned a64_pt_table_take(struct a64_pt_table *t, const struct vm *vm, uint32_t *pintids,
			   unsigned max)
{
	unsigned taken = 0, kept = 0;

	for (unsigned i = 0; i < t->n; i++) {
		if (t->r[i].vm == vm && taken < max) {
			pintids[taken++] = t->r[i].pintid;
			continue;
		}
		t->r[kept++] = t->r[i];
	}
	t->n = kept;
	return taken;
}

struct vcpu *a64_pt_target(struct vm *vm, uint32_t vintid)
{
	struct vcpu *v = a64_vgic_mmio_route(vm, vintid);

	return v ? v : &vm->vcpus[0];
}

uint64_t a64_pt_irouter(unsigned cpu)
{
	return cpu & 0xffu;
}
