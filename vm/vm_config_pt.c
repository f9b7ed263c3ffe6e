// SPDX-License-Identifier: MIT
/*
 * Checks of one VM's passed-through devices and identity RAM (vm/vm_config.h): windows whole pages
 * on both sides; the guest's window clear of its RAM, devices and the backend's own ranges; the
 * host's window and identity RAM clear of the devices the hypervisor drives itself; interrupt
 * lines the backend can forward, given once.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <irq/vdev_model.h>
#include <pv/fmt.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_config.h>

static bool meet(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

static uint64_t pt_page(void)
{
	return arch_vm_desc.ram_align ? arch_vm_desc.ram_align : HAL_PAGE_SIZE;
}

/* A host range against the devices the hypervisor drives itself. */
static int pt_check_host(const char *name, const char *what, uint64_t base, uint64_t size,
			 struct vm_err *err)
{
	struct arch_vm_range own[ARCH_VM_MAX_RANGES];
	unsigned n = arch_vm_desc.host_ranges ? arch_vm_desc.host_ranges(own) : 0;

	for (unsigned i = 0; i < n; i++)
		if (meet(base, size, own[i].base, own[i].size))
			return vm_err_set(err, name,
					  "%s overlaps the hypervisor's own %s at host 0x%llx",
					  what, own[i].what, (unsigned long long)own[i].base);
	return PV_OK;
}

/* Window @r of passed-through device @p: aligned, and its guest side clear of everything else
 * the VM has. */
static int pt_check_window(const struct vm_config *cfg, unsigned p, unsigned r, const char *name,
			   struct vm_err *err)
{
	const struct vm_pt_config *pt = &cfg->pt[p];
	const struct vm_pt_reg *w = &pt->regs[r];
	struct arch_vm_range ranges[ARCH_VM_MAX_RANGES];
	unsigned nranges = arch_vm_desc.guest_ranges ? arch_vm_desc.guest_ranges(cfg, ranges) : 0;
	uint64_t page = pt_page();

	if (w->size == 0 || !PV_IS_ALIGNED(w->gpa.raw, page) || !PV_IS_ALIGNED(w->hpa.raw, page) ||
	    !PV_IS_ALIGNED(w->size, page) || w->gpa.raw + w->size < w->gpa.raw ||
	    w->hpa.raw + w->size < w->hpa.raw)
		return vm_err_set(
			err, name,
			"%s: window %u (guest 0x%llx, host 0x%llx, 0x%llx bytes) is empty, "
			"wraps or is not whole pages of 0x%llx: stage 2 maps pages",
			pt->node, r, (unsigned long long)w->gpa.raw, (unsigned long long)w->hpa.raw,
			(unsigned long long)w->size, (unsigned long long)page);
	for (unsigned m = 0; m < cfg->nmem; m++)
		if (meet(w->gpa.raw, w->size, cfg->mem[m].gpa.raw, cfg->mem[m].size))
			return vm_err_set(err, name, "%s overlaps RAM region %u", pt->node, m);
	for (unsigned d = 0; d < cfg->ndevs; d++)
		if (cfg->devs[d].space == VDEV_SPACE_MMIO &&
		    meet(w->gpa.raw, w->size, cfg->devs[d].base, vdev_model_window(&cfg->devs[d])))
			return vm_err_set(err, name, "%s overlaps device %s", pt->node,
					  cfg->devs[d].node);
	for (unsigned i = 0; i < nranges; i++)
		if (meet(w->gpa.raw, w->size, ranges[i].base, ranges[i].size))
			return vm_err_set(err, name, "%s overlaps the %s at 0x%llx", pt->node,
					  ranges[i].what, (unsigned long long)ranges[i].base);
	for (unsigned q = 0; q <= p; q++)
		for (unsigned s = 0; s < (q == p ? r : cfg->pt[q].nregs); s++) {
			const struct vm_pt_reg *o = &cfg->pt[q].regs[s];

			if (meet(w->gpa.raw, w->size, o->gpa.raw, o->size) ||
			    meet(w->hpa.raw, w->size, o->hpa.raw, o->size))
				return vm_err_set(err, name, "%s and %s overlap", cfg->pt[q].node,
						  pt->node);
		}
	return pt_check_host(name, pt->node, w->hpa.raw, w->size, err);
}

/* Line @i of passed-through device @p: one the backend forwards, not another device's. */
static int pt_check_line(const struct vm_config *cfg, unsigned p, unsigned i, const char *name,
			 struct vm_err *err)
{
	const struct vm_pt_config *pt = &cfg->pt[p];
	const struct vm_pt_irq *l = &pt->irqs[i];

	if (!arch_vm_desc.fdt_host_irq || !arch_vm_desc.irq_line ||
	    (arch_backend.virq && !arch_backend.virq->pt_attach))
		return vm_err_set(err, name,
				  "%s: this architecture does not forward physical interrupts yet",
				  pt->node);
	if (l->guest > arch_vm_desc.max_irq_line)
		return vm_err_set(err, name, "%s: interrupt line %u (0 to %u allowed)", pt->node,
				  l->guest, arch_vm_desc.max_irq_line);
	if (l->host > arch_vm_desc.max_host_irq_line)
		return vm_err_set(err, name,
				  "%s: physical interrupt line %u (0 to %u may be given to a VM)",
				  pt->node, l->host, arch_vm_desc.max_host_irq_line);
	for (unsigned d = 0; d < cfg->ndevs; d++)
		if (cfg->devs[d].has_irq && cfg->devs[d].irq == l->guest)
			return vm_err_set(err, name, "%s and device %s share interrupt line %u",
					  pt->node, cfg->devs[d].node, l->guest);
	for (unsigned q = 0; q <= p; q++)
		for (unsigned j = 0; j < (q == p ? i : cfg->pt[q].nirqs); j++) {
			const struct vm_pt_irq *o = &cfg->pt[q].irqs[j];

			if (o->guest == l->guest)
				return vm_err_set(err, name, "%s and %s share interrupt line %u",
						  cfg->pt[q].node, pt->node, l->guest);
			if (o->host == l->host)
				return vm_err_set(err, name, "%s and %s both name physical line %u",
						  cfg->pt[q].node, pt->node, l->host);
		}
	return PV_OK;
}

int vm_config_check_pt(const struct vm_config *cfg, const char *name, struct vm_err *err)
{
	int rc;

	if (cfg->npt > VM_MAX_PT)
		return vm_err_set(err, name, "%u passed-through devices (at most %u)", cfg->npt,
				  VM_MAX_PT);
	for (unsigned p = 0; p < cfg->npt; p++) {
		const struct vm_pt_config *pt = &cfg->pt[p];

		if (!pt->node || !pt->node[0])
			return vm_err_set(err, name, "passed-through device %u has no name", p);
		if (pt->nregs == 0 || pt->nregs > VM_PT_MAX_REGS || pt->nirqs > VM_PT_MAX_IRQS)
			return vm_err_set(
				err, name, "%s: %u windows (1 to %u), %u lines (at most %u)",
				pt->node, pt->nregs, VM_PT_MAX_REGS, pt->nirqs, VM_PT_MAX_IRQS);
		for (unsigned r = 0; r < pt->nregs; r++) {
			rc = pt_check_window(cfg, p, r, name, err);
			if (rc)
				return rc;
		}
		for (unsigned i = 0; i < pt->nirqs; i++) {
			rc = pt_check_line(cfg, p, i, name, err);
			if (rc)
				return rc;
		}
	}
	for (unsigned m = 0; cfg->identity_ram && m < cfg->nmem; m++) {
		char what[40];

		pv_snprintf(what, sizeof(what), "identity RAM region %u", m);
		rc = pt_check_host(name, what, cfg->mem[m].gpa.raw, cfg->mem[m].size, err);
		for (unsigned p = 0; !rc && p < cfg->npt; p++)
			for (unsigned r = 0; r < cfg->pt[p].nregs; r++)
				if (meet(cfg->mem[m].gpa.raw, cfg->mem[m].size,
					 cfg->pt[p].regs[r].hpa.raw, cfg->pt[p].regs[r].size))
					return vm_err_set(err, name, "%s is the host memory of %s",
							  what, cfg->pt[p].node);
		if (rc)
			return rc;
	}
	return PV_OK;
}
