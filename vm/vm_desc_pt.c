// SPDX-License-Identifier: MIT
/*
 * Passed-through devices in VM descriptions (docs/vm-descriptions.md, "Passthrough"): the
 * "passthrough@<n>" nodes, and what no single VM can check about them (a host range or a physical
 * interrupt line given to two VMs, identity RAM that meets another VM's).
 */
#include <libfdt.h>
#include <string.h>
#include <vm/vm_config.h>

#include "vm_desc_read.h"

static const char *const desc_pt_props[] = { "reg",	   "host-reg",
					     "interrupts", "host-interrupts",
					     "host-node",  NULL };

bool desc_is_pt(const char *name)
{
	return name && strncmp(name, "passthrough", 11) == 0 &&
	       (name[11] == '\0' || name[11] == '@');
}

/* A list of 32-bit cells; returns how many (at most @max), 0 when absent. */
static int desc_cells_list(struct desc_ctx *c, int node, const char *name, uint32_t *out, int max)
{
	int len;
	const fdt32_t *p = fdt_getprop(c->fdt, node, name, &len);

	if (!p)
		return 0;
	if (len == 0 || len % 4)
		return desc_fail(c, "'%s' must be a list of 32-bit cells", name);
	if (len / 4 > max)
		return desc_fail(c, "'%s' has %d lines, at most %d allowed", name, len / 4, max);
	for (int i = 0; i < len / 4; i++)
		out[i] = fdt32_to_cpu(p[i]);
	return len / 4;
}

static int desc_pt_regs(struct desc_ctx *c, int node, struct vm_pt_config *pt)
{
	uint64_t ga[VM_PT_MAX_REGS], gs[VM_PT_MAX_REGS], ha[VM_PT_MAX_REGS], hs[VM_PT_MAX_REGS];
	int n = desc_pairs(c, node, "reg", ga, gs, VM_PT_MAX_REGS);
	int h;

	if (n < 0)
		return n;
	if (n == 0)
		return desc_fail(c, "no 'reg': give the guest-physical window of the device");
	h = desc_pairs(c, node, "host-reg", ha, hs, VM_PT_MAX_REGS);
	if (h < 0)
		return h;
	if (h && h != n)
		return desc_fail(c, "'host-reg' needs one range per range of 'reg' (%d, not %d)", n,
				 h);
	for (int i = 0; i < n; i++) {
		if (h && hs[i] != gs[i])
			return desc_fail(c, "range %d: 'host-reg' size 0x%llx, 'reg' size 0x%llx",
					 i, (unsigned long long)hs[i], (unsigned long long)gs[i]);
		pt->regs[i] = (struct vm_pt_reg){ gpa(ga[i]), hpa(h ? ha[i] : ga[i]), gs[i] };
	}
	pt->nregs = (unsigned)n;
	return PV_OK;
}

static int desc_pt_irqs(struct desc_ctx *c, int node, struct vm_pt_config *pt)
{
	uint32_t g[VM_PT_MAX_IRQS], h[VM_PT_MAX_IRQS];
	int ng = desc_cells_list(c, node, "interrupts", g, VM_PT_MAX_IRQS);
	int nh = ng < 0 ? 0 : desc_cells_list(c, node, "host-interrupts", h, VM_PT_MAX_IRQS);

	if (ng < 0 || nh < 0)
		return -PV_EINVAL;
	if (ng != nh)
		return desc_fail(c,
				 "'host-interrupts' names the physical line of each entry of "
				 "'interrupts' (%d lines, %d physical)",
				 ng, nh);
	for (int i = 0; i < ng; i++)
		pt->irqs[i] = (struct vm_pt_irq){ .guest = g[i], .host = h[i] };
	pt->nirqs = (unsigned)ng;
	return PV_OK;
}

int desc_passthrough(struct desc_ctx *c, int node, const char *name, struct vm_config *cfg)
{
	struct vm_pt_config *pt;
	int bad = 0, rc, child;

	if (cfg->npt >= VM_MAX_PT)
		return desc_fail(c, "at most %u passed-through devices per VM", VM_MAX_PT);
	rc = desc_only_props_of(c, node, (const char *const *const[]){ desc_pt_props }, 1);
	if (rc)
		return rc;
	pt = &cfg->pt[cfg->npt];
	*pt = (struct vm_pt_config){ .node = name, .desc = c->fdt, .given = -1 };
	rc = desc_pt_regs(c, node, pt);
	if (!rc)
		rc = desc_pt_irqs(c, node, pt);
	if (rc)
		return rc;
	pt->host_node = desc_string(c, node, "host-node", &bad);
	if (bad)
		return bad;
	if (pt->host_node && pt->host_node[0] != '/')
		return desc_fail(c, "'host-node' is a path in the host's device tree, from '/'");
	fdt_for_each_subnode (child, c->fdt, node) {
		if (pt->given >= 0)
			return desc_fail(c,
					 "one child node at most: the device's node for the guest");
		if (fdt_first_subnode(c->fdt, child) >= 0)
			return desc_fail(c, "the guest's node of a passed-through device has no "
					    "child nodes");
		pt->given = child;
	}
	if (pt->given >= 0 && pt->host_node)
		return desc_fail(c, "give the guest's node or 'host-node', not both");
	cfg->npt++;
	return PV_OK;
}

static bool ranges_meet(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

/* Identity RAM of @a against the host ranges of @b: its RAM, devices and firmware images. The
 * message is about VM @who. */
static int desc_check_identity(const char *who, const struct vm_config *a,
			       const struct vm_config *b, bool same, struct vm_err *err)
{
	for (unsigned m = 0; m < a->nmem; m++) {
		uint64_t base = a->mem[m].gpa.raw, size = a->mem[m].size;

		for (unsigned n = 0; !same && b->identity_ram && n < b->nmem; n++)
			if (ranges_meet(base, size, b->mem[n].gpa.raw, b->mem[n].size))
				return vm_err_set(err, who,
						  "VM %s's identity RAM region %u is also VM %s's "
						  "RAM region %u in host memory",
						  a->name, m, b->name, n);
		for (unsigned p = 0; p < b->npt; p++)
			for (unsigned r = 0; r < b->pt[p].nregs; r++)
				if (ranges_meet(base, size, b->pt[p].regs[r].hpa.raw,
						b->pt[p].regs[r].size))
					return vm_err_set(
						err, who,
						"VM %s's identity RAM region %u overlaps "
						"VM %s's passed-through %s in host memory",
						a->name, m, b->name, b->pt[p].node);
		for (unsigned i = 0; i < b->nimages; i++) {
			const struct vm_image_config *img = &b->images[i];

			if (img->firmware && ranges_meet(base, size, img->host_addr.raw, img->size))
				return vm_err_set(err, who,
						  "VM %s's identity RAM region %u overlaps VM %s's "
						  "image '%s' placed by the firmware",
						  a->name, m, b->name, img->node);
		}
		for (unsigned d = 0; d < b->ndevs; d++) {
			const struct vm_image_config *img = &b->devs[d].image;

			if (b->devs[d].has_image && img->firmware &&
			    ranges_meet(base, size, img->host_addr.raw, img->size))
				return vm_err_set(err, who,
						  "VM %s's identity RAM region %u overlaps VM %s's "
						  "disk '%s' placed by the firmware",
						  a->name, m, b->name, b->devs[d].node);
		}
	}
	return PV_OK;
}

int desc_check_pt_pair(const struct vm_config *a, const struct vm_config *b, bool same,
		       struct vm_err *err)
{
	int rc;

	for (unsigned x = 0; !same && x < a->npt; x++)
		for (unsigned y = 0; y < b->npt; y++) {
			const struct vm_pt_config *p = &a->pt[x], *q = &b->pt[y];

			for (unsigned i = 0; i < p->nregs; i++)
				for (unsigned j = 0; j < q->nregs; j++)
					if (ranges_meet(p->regs[i].hpa.raw, p->regs[i].size,
							q->regs[j].hpa.raw, q->regs[j].size))
						return vm_err_set(
							err, a->name,
							"host range 0x%llx of %s is also given to "
							"VM %s (%s): a device has one owner",
							(unsigned long long)p->regs[i].hpa.raw,
							p->node, b->name, q->node);
			for (unsigned i = 0; i < p->nirqs; i++)
				for (unsigned j = 0; j < q->nirqs; j++)
					if (p->irqs[i].host == q->irqs[j].host)
						return vm_err_set(
							err, a->name,
							"physical interrupt line %u of %s is also "
							"given to VM %s (%s)",
							p->irqs[i].host, p->node, b->name, q->node);
		}
	if (a->identity_ram) {
		rc = desc_check_identity(a->name, a, b, same, err);
		if (rc)
			return rc;
	}
	if (b->identity_ram && !same)
		return desc_check_identity(a->name, b, a, false, err);
	return PV_OK;
}
