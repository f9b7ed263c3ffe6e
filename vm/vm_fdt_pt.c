// SPDX-License-Identifier: MIT
/*
 * Guest device-tree nodes of passed-through devices (vm/vm_fdt.h): copied from the host's device
 * tree with their registers and interrupts translated into the VM's, or given by the description.
 * A host node's properties that point at other host nodes (clocks, resets, pin control, GPIOs,
 * IOMMUs, power domains, regulators) are left out: the guest has none of those nodes.
 */
#include <libfdt.h>
#include <pv/fmt.h>
#include <stdarg.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>
#include <vm/vm_pt.h>

/* Properties written here, not copied. */
static const char *const pt_rewritten[] = { "reg",     "interrupts",	"interrupt-parent",
					    "phandle", "linux,phandle", NULL };
/* Properties that hold host phandles, whole names... */
static const char *const pt_phandle_props[] = { "clocks",
						"clock-names",
						"assigned-clocks",
						"assigned-clock-parents",
						"assigned-clock-rates",
						"resets",
						"reset-names",
						"power-domains",
						"power-domain-names",
						"iommus",
						"iommu-map",
						"iommu-map-mask",
						"msi-parent",
						"msi-map",
						"msi-map-mask",
						"dmas",
						"dma-names",
						"gpios",
						NULL };
/* ... and by their ends or starts. */
static const char *const pt_phandle_suffixes[] = { "-gpios", "-gpio", "-supply", NULL };

static bool in_list(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return true;
	return false;
}

static bool ends_with(const char *name, const char *const *suffixes)
{
	size_t len = strlen(name);

	for (; *suffixes; suffixes++) {
		size_t n = strlen(*suffixes);
		if (len > n && strcmp(name + len - n, *suffixes) == 0)
			return true;
	}
	return false;
}

static bool pt_prop_copied(const char *name)
{
	return !in_list(name, pt_rewritten) && !in_list(name, pt_phandle_props) &&
	       !ends_with(name, pt_phandle_suffixes) && strncmp(name, "pinctrl-", 8) != 0;
}

/* Where host-physical [addr, addr + size) is in the guest: inside one window of @pt. */
static bool pt_to_guest(const struct vm_pt_config *pt, uint64_t addr, uint64_t size, uint64_t *out)
{
	for (unsigned r = 0; r < pt->nregs; r++) {
		const struct vm_pt_reg *w = &pt->regs[r];

		if (addr >= w->hpa.raw && size <= w->size && addr - w->hpa.raw <= w->size - size) {
			*out = w->gpa.raw + (addr - w->hpa.raw);
			return true;
		}
	}
	return false;
}

static bool pt_in_guest(const struct vm_pt_config *pt, uint64_t addr, uint64_t size)
{
	for (unsigned r = 0; r < pt->nregs; r++) {
		const struct vm_pt_reg *w = &pt->regs[r];

		if (addr >= w->gpa.raw && size <= w->size && addr - w->gpa.raw <= w->size - size)
			return true;
	}
	return false;
}

struct pt_out {
	void *fdt;
	int node;
	const struct vm_pt_config *pt;
	struct vm_err *err;
	const char *vm;
};

static int pt_fail(const struct pt_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int pt_fail(const struct pt_out *o, const char *fmt, ...)
{
	char msg[240];
	va_list ap;

	va_start(ap, fmt);
	pv_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return vm_err_set(o->err, o->vm, "%s: %s", o->pt->node, msg);
}

static int pt_lib(int rc)
{
	return rc == -FDT_ERR_NOSPACE ? -PV_ENOMEM : -PV_EINVAL;
}

static int pt_lib_ok(int rc)
{
	return rc ? pt_lib(rc) : PV_OK;
}

/* "reg" of host node @src, translated into the guest's 2 + 2 cells: @out (64-bit values), @n
 * ranges (0 when it has none). */
static int pt_host_reg(const struct pt_out *o, const void *host, int src,
		       fdt64_t out[2 * VM_PT_MAX_REGS], int *n)
{
	uint64_t addr[VM_PT_MAX_REGS + 1], size[VM_PT_MAX_REGS + 1];
	int count = vm_fdt_host_reg(host, src, addr, size, VM_PT_MAX_REGS + 1);

	*n = 0;
	if (count < 0)
		return pt_fail(o, "host node's 'reg' is malformed, or a bus above it does not map "
				  "addresses one to one");
	if (count > VM_PT_MAX_REGS)
		return pt_fail(o, "host node has more than %u register ranges", VM_PT_MAX_REGS);
	for (int i = 0; i < count; i++) {
		uint64_t g;

		if (!pt_to_guest(o->pt, addr[i], size[i], &g))
			return pt_fail(o,
				       "host registers 0x%llx (0x%llx bytes) are outside its "
				       "windows ('host-reg')",
				       (unsigned long long)addr[i], (unsigned long long)size[i]);
		out[2 * i] = cpu_to_fdt64(g);
		out[2 * i + 1] = cpu_to_fdt64(size[i]);
	}
	*n = count;
	return PV_OK;
}

/* "interrupts" of host node @src: each host line one of the device's, as its guest line. */
static int pt_copy_irqs(const struct pt_out *o, const void *host, int src, uint32_t intc)
{
	int len, ncells, at = 0;
	const fdt32_t *irqs = fdt_getprop(host, src, "interrupts", &len);
	fdt32_t out[VM_PT_MAX_IRQS * 4];

	if (fdt_getprop(host, src, "interrupts-extended", NULL))
		return pt_fail(o, "host node uses 'interrupts-extended': give the guest's node "
				  "in the description");
	if (!irqs)
		return PV_OK;
	ncells = vm_fdt_host_irq_cells(host, src);
	if (ncells < 1 || ncells > 4 || len % (4 * ncells) || !arch_vm_desc.fdt_host_irq ||
	    !arch_vm_desc.fdt_guest_irq)
		return pt_fail(o, "host node's interrupts cannot be read");
	if (len / (4 * ncells) > VM_PT_MAX_IRQS)
		return pt_fail(o, "host node has more than %u interrupts", VM_PT_MAX_IRQS);
	for (int i = 0; i < len / (4 * ncells); i++) {
		uint32_t cells[4], gcells[4], line;
		unsigned k, n;

		for (int c = 0; c < ncells; c++)
			cells[c] = fdt32_to_cpu(irqs[i * ncells + c]);
		if (arch_vm_desc.fdt_host_irq(cells, (unsigned)ncells, &line))
			return pt_fail(o, "host interrupt %d names no line a VM may own", i);
		for (k = 0; k < o->pt->nirqs && o->pt->irqs[k].host != line; k++)
			;
		if (k == o->pt->nirqs)
			return pt_fail(o, "host interrupt line %u is not in its 'host-interrupts'",
				       line);
		n = arch_vm_desc.fdt_guest_irq(cells, (unsigned)ncells, o->pt->irqs[k].guest,
					       gcells);
		for (unsigned c = 0; c < n && c < 4; c++)
			out[at++] = cpu_to_fdt32(gcells[c]);
	}
	if (!intc)
		return PV_OK;
	return pt_lib_ok(fdt_setprop(o->fdt, o->node, "interrupts", out, at * 4));
}

/* Copies the properties of @src in @from into o->node: all but "reg" (@all, a node the description
 * gives), or those that point at no other host node. */
static int pt_copy_props(const struct pt_out *o, const void *from, int src, bool all)
{
	int prop;

	fdt_for_each_property_offset (prop, from, src) {
		const char *name;
		int len, rc;
		const void *val = fdt_getprop_by_offset(from, prop, &name, &len);

		if (!val)
			return pt_fail(o, "unreadable property");
		if (!all && !pt_prop_copied(name))
			continue;
		if (all && strcmp(name, "reg") == 0)
			continue;
		rc = pt_lib_ok(fdt_setprop(o->fdt, o->node, name, val, len));
		if (rc)
			return rc;
	}
	return PV_OK;
}

static uint64_t desc_value(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* Node @name@<addr> under the root, @name without the host's unit address. */
static int pt_add_node(struct pt_out *o, const char *host_name, uint64_t addr)
{
	char base[41], name[64];
	const char *at = strchr(host_name, '@');
	size_t len = at ? (size_t)(at - host_name) : strlen(host_name);

	if (len >= sizeof(base))
		len = sizeof(base) - 1;
	memcpy(base, host_name, len);
	base[len] = '\0';
	pv_snprintf(name, sizeof(name), "%s@%llx", base, (unsigned long long)addr);
	o->node = fdt_add_subnode(o->fdt, 0, name);
	if (o->node == -FDT_ERR_EXISTS)
		return pt_fail(o, "the guest's device tree has a node %s already", name);
	return o->node < 0 ? pt_lib(o->node) : PV_OK;
}

static int pt_from_host(struct pt_out *o, uint32_t intc, const void *host)
{
	int src = fdt_path_offset(host, o->pt->host_node);
	fdt64_t reg[2 * VM_PT_MAX_REGS];
	const char *name;
	int rc, n;

	if (src < 0)
		return pt_fail(o, "the host's device tree has no node %s", o->pt->host_node);
	name = fdt_get_name(host, src, NULL);
	rc = pt_host_reg(o, host, src, reg, &n);
	if (!rc)
		rc = pt_add_node(o, name ? name : "device",
				 n ? fdt64_to_cpu(reg[0]) : o->pt->regs[0].gpa.raw);
	if (!rc && n)
		rc = pt_lib_ok(fdt_setprop(o->fdt, o->node, "reg", reg, n * 16));
	if (!rc)
		rc = pt_copy_props(o, host, src, false);
	if (!rc)
		rc = pt_copy_irqs(o, host, src, intc);
	return rc;
}

/* The description's own node for the guest: as written, "reg" in the guest's cells and inside the
 * device's windows. */
static int pt_given(struct pt_out *o, int acells, int scells)
{
	const void *desc = o->pt->desc;
	int len, rc, n = 0;
	const char *name = fdt_get_name(desc, o->pt->given, NULL);
	const fdt32_t *reg = fdt_getprop(desc, o->pt->given, "reg", &len);
	fdt64_t out[2 * VM_PT_MAX_REGS];

	o->node = fdt_add_subnode(o->fdt, 0, name ? name : "device");
	if (o->node < 0)
		return o->node == -FDT_ERR_EXISTS
			       ? pt_fail(o, "the guest's device tree has a node %s already", name)
			       : pt_lib(o->node);
	rc = pt_copy_props(o, desc, o->pt->given, true);
	if (rc || !reg)
		return rc;
	if (len % (4 * (acells + scells)) || len / (4 * (acells + scells)) > VM_PT_MAX_REGS)
		return pt_fail(o, "its guest node's 'reg' is malformed or too long");
	for (const fdt32_t *p = reg; p < reg + len / 4; p += acells + scells, n++) {
		uint64_t addr = desc_value(p, acells), size = desc_value(p + acells, scells);

		if (!pt_in_guest(o->pt, addr, size))
			return pt_fail(o, "its guest node's registers 0x%llx are outside its 'reg'",
				       (unsigned long long)addr);
		out[2 * n] = cpu_to_fdt64(addr);
		out[2 * n + 1] = cpu_to_fdt64(size);
	}
	return pt_lib_ok(fdt_setprop(o->fdt, o->node, "reg", out, n * 16));
}

int vm_fdt_pt_nodes(void *fdt, const struct vm_config *cfg, uint32_t intc_phandle,
		    struct vm_err *err)
{
	for (unsigned p = 0; p < cfg->npt; p++) {
		struct pt_out o = { .fdt = fdt, .pt = &cfg->pt[p], .err = err, .vm = cfg->name };
		int rc = PV_OK;

		if (o.pt->host_node && cfg->host_fdt) {
			rc = pt_from_host(&o, intc_phandle, cfg->host_fdt);
		} else if (o.pt->given >= 0 && o.pt->desc) {
			int ac = fdt_address_cells(o.pt->desc, 0),
			    sc = fdt_size_cells(o.pt->desc, 0);

			/* As the description reader counts them: 2 when the root says nothing. */
			if (!fdt_getprop(o.pt->desc, 0, "#address-cells", NULL))
				ac = 2;
			if (!fdt_getprop(o.pt->desc, 0, "#size-cells", NULL))
				sc = 2;
			rc = pt_given(&o, ac, sc);
		}
		if (rc)
			return rc;
	}
	return PV_OK;
}

int vm_fdt_pt_check(const struct vm_config *cfg, struct vm_err *err)
{
	static uint8_t scratch[8192];
	int rc;

	if (!cfg->npt)
		return PV_OK;
	if (fdt_create_empty_tree(scratch, sizeof(scratch)))
		return vm_err_set(err, cfg->name, "no room to check passed-through nodes");
	rc = vm_fdt_pt_nodes(scratch, cfg, 1, err);
	if (rc == -PV_ENOMEM)
		return vm_err_set(err, cfg->name, "a passed-through node is too large");
	return rc;
}
