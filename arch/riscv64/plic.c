// SPDX-License-Identifier: MIT
/* The machine's PLIC (riscv64/plic.h). */
#include <hal/hal.h>
#include <libfdt.h>
#include <pv/spinlock.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/irq.h>
#include <riscv64/plic.h>
#include <vm/vm_pt.h>

#define PLIC_PRIORITY(s)  (4u * (s))
#define PLIC_ENABLE(c, s) (0x2000u + 0x80u * (c) + 4u * ((s) / 32u))
#define PLIC_THRESHOLD(c) (0x200000u + 0x1000u * (c))
#define PLIC_CLAIM(c)	  (PLIC_THRESHOLD(c) + 4u)
#define PLIC_MAX_SOURCES  1023u
#define PLIC_MAX_CONTEXTS 15872u
#define PLIC_NO_CONTEXT	  (-1)

static struct {
	uintptr_t base;
	uint32_t nsources;
	int sctx[CONFIG_MAX_CPUS]; /* each CPU's supervisor context, PLIC_NO_CONTEXT if none */
} riscv_plic;

/* Enable bits are words several harts change. */
static pv_spinlock_t riscv_plic_lock = PV_SPINLOCK_INIT;

static inline uint32_t plic_r32(uint32_t off)
{
	return *(volatile uint32_t *)(riscv_plic.base + off);
}

static inline void plic_w32(uint32_t off, uint32_t v)
{
	*(volatile uint32_t *)(riscv_plic.base + off) = v;
}

/* The CPU (riscv_cpus index) whose hart has interrupt-controller node @intc, or -1. */
static int plic_cpu_of(const void *dtb, int intc)
{
	int cpu = intc < 0 ? -1 : fdt_parent_offset(dtb, intc), len;
	const fdt32_t *reg = cpu < 0 ? NULL : fdt_getprop(dtb, cpu, "reg", &len);
	uint64_t hartid;

	if (!reg || (len != 4 && len != 8))
		return -1;
	hartid = len == 4 ? fdt32_to_cpu(reg[0])
			  : (uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1]);
	for (unsigned i = 0; i < riscv_ncpus; i++)
		if (riscv_cpus[i].hartid == hartid)
			return (int)i;
	return -1;
}

void riscv_plic_scan(const void *dtb)
{
	int node = fdt_node_offset_by_compatible(dtb, -1, "riscv,plic0"), len;
	const fdt32_t *ctxs, *ndev;
	uint64_t base, size;

	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++)
		riscv_plic.sctx[i] = PLIC_NO_CONTEXT;
	if (node < 0)
		node = fdt_node_offset_by_compatible(dtb, -1, "sifive,plic-1.0.0");
	if (node < 0 || vm_fdt_host_reg(dtb, node, &base, &size, 1) != 1)
		return;
	ndev = fdt_getprop(dtb, node, "riscv,ndev", &len);
	ctxs = fdt_getprop(dtb, node, "interrupts-extended", &len);
	if (!ndev || !ctxs || len % 8)
		return;
	/* Context i is the pair (hart's interrupt controller, cause) at i: cause 9 is the
	 * hart's supervisor external interrupt. */
	for (int i = 0; i < len / 8 && i < (int)PLIC_MAX_CONTEXTS; i++) {
		int intc = fdt_node_offset_by_phandle(dtb, fdt32_to_cpu(ctxs[2 * i]));
		int cpu = plic_cpu_of(dtb, intc);

		if (cpu >= 0 && fdt32_to_cpu(ctxs[2 * i + 1]) == IRQ_S_EXT)
			riscv_plic.sctx[cpu] = i;
	}
	riscv_plic.base = (uintptr_t)base;
	riscv_plic.nsources =
		fdt32_to_cpu(*ndev) > PLIC_MAX_SOURCES ? PLIC_MAX_SOURCES : fdt32_to_cpu(*ndev);
}

uint32_t riscv_plic_sources(void)
{
	return riscv_plic.base ? riscv_plic.nsources : 0;
}

void riscv_plic_cpu_init(void)
{
	int ctx = riscv_plic.base ? riscv_plic.sctx[riscv_this_cpu()->index] : PLIC_NO_CONTEXT;

	if (ctx == PLIC_NO_CONTEXT)
		return;
	for (uint32_t w = 0; w <= riscv_plic.nsources / 32; w++)
		plic_w32(PLIC_ENABLE((uint32_t)ctx, 32 * w), 0);
	plic_w32(PLIC_THRESHOLD((uint32_t)ctx), 0);
	csr_set(CSR_SIE, SIP_SEIP);
}

void riscv_plic_priority(uint32_t src, uint32_t prio)
{
	if (riscv_plic.base && src && src <= riscv_plic.nsources)
		plic_w32(PLIC_PRIORITY(src), prio);
}

void riscv_plic_route(uint32_t src, unsigned cpu)
{
	if (!riscv_plic.base || !src || src > riscv_plic.nsources)
		return;
	pv_spin_lock(&riscv_plic_lock);
	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++) {
		int ctx = riscv_plic.sctx[i];
		uint32_t off, bit = 1u << (src % 32u);

		if (ctx == PLIC_NO_CONTEXT)
			continue;
		off = PLIC_ENABLE((uint32_t)ctx, src);
		plic_w32(off, i == cpu ? plic_r32(off) | bit : plic_r32(off) & ~bit);
	}
	pv_spin_unlock(&riscv_plic_lock);
}

void riscv_plic_complete(uint32_t src, unsigned ctx)
{
	if (riscv_plic.base)
		plic_w32(PLIC_CLAIM(ctx), src);
}

void riscv_plic_handle(void)
{
	int ctx = riscv_plic.base ? riscv_plic.sctx[riscv_this_cpu()->index] : PLIC_NO_CONTEXT;
	uint32_t src;

	if (ctx == PLIC_NO_CONTEXT)
		return;
	while ((src = plic_r32(PLIC_CLAIM((uint32_t)ctx))) != 0) {
		if (riscv_pt_fired(src, (unsigned)ctx))
			continue;
		if (riscv_irq_fired(src)) {
			plic_w32(PLIC_CLAIM((uint32_t)ctx), src);
			continue;
		}
		/* A source nobody owns: off for good rather than seen again forever. */
		hal_printf("cpu %u: unexpected PLIC source %u, disabled\n", riscv_this_cpu()->index,
			   src);
		riscv_plic_route(src, CONFIG_MAX_CPUS);
		plic_w32(PLIC_CLAIM((uint32_t)ctx), src);
	}
}
