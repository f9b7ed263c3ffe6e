// SPDX-License-Identifier: MIT
/* What the host's device tree says the hypervisor keeps (vm/vm_pt.h). */
#include <libfdt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_pt.h>

static uint64_t cells_value(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

int vm_fdt_host_reg(const void *fdt, int node, uint64_t *addr, uint64_t *size, int max)
{
	int parent = fdt_parent_offset(fdt, node);
	int len, acells, scells, stride, n;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);

	if (!reg)
		return 0;
	if (parent < 0)
		return -1;
	acells = fdt_address_cells(fdt, parent);
	scells = fdt_size_cells(fdt, parent);
	if (acells < 1 || acells > 2 || scells < 0 || scells > 2)
		return -1;
	/* Every bus on the way up must map its children's addresses one to one ("ranges;"). */
	for (int p = parent; p > 0; p = fdt_parent_offset(fdt, p)) {
		int rlen;

		if (!fdt_getprop(fdt, p, "ranges", &rlen) || rlen != 0)
			return -1;
	}
	stride = 4 * (acells + scells);
	if (len == 0 || len % stride)
		return -1;
	n = len / stride;
	for (int i = 0; i < n && i < max; i++) {
		const fdt32_t *c = reg + i * (acells + scells);

		addr[i] = cells_value(c, acells);
		size[i] = cells_value(c + acells, scells);
	}
	return n < max ? n : max;
}

static void host_add_node(const void *fdt, int node, struct vm_pt_host *own)
{
	uint64_t addr[VM_PT_HOST_MAX], size[VM_PT_HOST_MAX];
	int n = vm_fdt_host_reg(fdt, node, addr, size, VM_PT_HOST_MAX);
	const char *name = fdt_get_name(fdt, node, NULL);

	for (int i = 0; i < n && own->nranges < VM_PT_HOST_MAX; i++)
		own->ranges[own->nranges++] =
			(struct vm_pt_host_range){ name ? name : "?", addr[i], size[i] };
}

int vm_fdt_host_irq_cells(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = n ? fdt_parent_offset(fdt, n) : -1) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", &len);

		if (ph && len == 4) {
			int intc = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(*ph));
			const fdt32_t *cells =
				intc < 0 ? NULL : fdt_getprop(fdt, intc, "#interrupt-cells", &len);
			uint32_t v = cells && len == 4 ? fdt32_to_cpu(*cells) : 0;

			return v >= 1 && v <= 4 ? (int)v : -1;
		}
	}
	return -1;
}

/* The console's interrupt lines (a controller whose specifiers the backend reads). */
static void host_add_lines(const void *fdt, int node, struct vm_pt_host *own)
{
	int len, n = vm_fdt_host_irq_cells(fdt, node);
	const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);

	if (!irqs || n < 0 || !arch_vm_desc.fdt_host_irq)
		return;
	for (int i = 0; (i + 1) * n * 4 <= len; i++) {
		uint32_t spec[4], line;

		for (int c = 0; c < n; c++)
			spec[c] = fdt32_to_cpu(irqs[i * n + c]);
		if (arch_vm_desc.fdt_host_irq(spec, (unsigned)n, &line) == PV_OK &&
		    own->nlines < VM_PT_HOST_MAX)
			own->lines[own->nlines++] = line;
	}
}

static int host_console(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const char *path = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, "stdout-path", &len);
	int plen;

	if (!path || len < 2 || path[len - 1] != '\0')
		return -1;
	/* "serial0:115200n8": an alias, options after the colon. */
	plen = (int)(strchr(path, ':') ? (size_t)(strchr(path, ':') - path) : strlen(path));
	return fdt_path_offset_namelen(fdt, path, plen);
}

void vm_pt_host_scan(const void *fdt, struct vm_pt_host *own)
{
	int console = host_console(fdt);

	memset(own, 0, sizeof(*own));
	if (console >= 0) {
		host_add_node(fdt, console, own);
		host_add_lines(fdt, console, own);
	}
	for (int node = fdt_next_node(fdt, 0, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		bool keep = fdt_getprop(fdt, node, "interrupt-controller", NULL) ||
			    fdt_getprop(fdt, node, "msi-controller", NULL);

		for (const char *const *c = arch_vm_desc.host_compatibles; !keep && c && *c; c++)
			keep = fdt_node_check_compatible(fdt, node, *c) == 0;
		if (keep && node != console)
			host_add_node(fdt, node, own);
	}
}

int vm_pt_host_check(const struct vm_config *cfg, const struct vm_pt_host *own, struct vm_err *err)
{
	for (unsigned p = 0; p < cfg->npt; p++) {
		const struct vm_pt_config *pt = &cfg->pt[p];

		for (unsigned r = 0; r < pt->nregs; r++)
			for (unsigned i = 0; i < own->nranges; i++) {
				uint64_t a = pt->regs[r].hpa.raw, s = pt->regs[r].size;

				if (a < own->ranges[i].base + own->ranges[i].size &&
				    own->ranges[i].base < a + s)
					return vm_err_set(err, cfg->name,
							  "%s: host 0x%llx-0x%llx overlaps %s, "
							  "which the hypervisor drives",
							  pt->node, (unsigned long long)a,
							  (unsigned long long)(a + s - 1),
							  own->ranges[i].what);
			}
		for (unsigned l = 0; l < pt->nirqs; l++)
			for (unsigned i = 0; i < own->nlines; i++)
				if (pt->irqs[l].host == own->lines[i])
					return vm_err_set(
						err, cfg->name,
						"%s: physical line %u is the hypervisor's "
						"console's",
						pt->node, own->lines[i]);
	}
	return PV_OK;
}
