// SPDX-License-Identifier: MIT
/*
 * The riscv64 layer's own check, `xonly-mmio`: device accesses made by instructions on pages the
 * guest's own page tables map execute-only. To emulate such an access the hypervisor must read
 * the trapping instruction through the guest's translation, which allows execution but not
 * reading; a hypervisor that gets this wrong faults in HS-mode. The check turns on Sv39 with
 * identity maps of RAM and devices plus an execute-only alias of the stubs in xonly.S, runs each
 * stub from the alias, and expects the emulated access to complete as it would from ordinary code.
 *
 * Then the case where the hypervisor cannot read the instruction at all: the guest runs code from
 * a second alias (so that its translation is cached), removes that alias from its page table
 * without sfence.vma and runs a device load there. The hart may still run it from the stale
 * translation; the hypervisor's read walks the page table and faults, and the guest must get an
 * instruction fault at the alias: an access fault (1) from the hypervisor's verdict, or a page
 * fault (12) straight from the hart if it dropped the stale translation first.
 */
#include <devices/testdev.h>
#include <guest/garch.h>

#include "glayer.h"
#include "suite.h"

#define PTE_V	      (1ULL << 0)
#define PTE_R	      (1ULL << 1)
#define PTE_W	      (1ULL << 2)
#define PTE_X	      (1ULL << 3)
#define PTE_A	      (1ULL << 6)
#define PTE_D	      (1ULL << 7)
#define PTE_PPN_SHIFT 10
#define SATP_SV39     (8ULL << 60)
#define GIB	      (1ULL << 30)
#define XONLY_VA      (3 * GIB) /* the alias: root entry 3 */
#define STALE_SLOT    16	/* the second alias: this leaf entry */
#define STALE_VA      (XONLY_VA + STALE_SLOT * 4096ULL)

extern char g_xonly_page[], g_xonly_end[];
extern char g_xonly_ret[], g_xonly_lw[], g_xonly_lw_odd[], g_xonly_clw[], g_xonly_sd[],
	g_xonly_lw_cross[];
uint64_t g_xonly_call(uint64_t va, uint64_t dev);

static uint64_t g_pt_root[512] __attribute__((aligned(4096)));
static uint64_t g_pt_mid[512] __attribute__((aligned(4096)));
static uint64_t g_pt_leaf[512] __attribute__((aligned(4096)));

static uint64_t pte(uint64_t pa, uint64_t flags)
{
	return (pa >> 12) << PTE_PPN_SHIFT | flags | PTE_V;
}

static void xonly_map(void)
{
	uint64_t page = (uint64_t)(uintptr_t)g_xonly_page;
	uint64_t npages = ((uint64_t)(uintptr_t)g_xonly_end - page) >> 12;

	/* Identity gigapages: devices (0..1 GiB) read-write, RAM's gigapage read-write-execute. */
	g_pt_root[0] = pte(0, PTE_R | PTE_W | PTE_A | PTE_D);
	g_pt_root[g_layout.ram_base / GIB] =
		pte(g_layout.ram_base & ~(GIB - 1), PTE_R | PTE_W | PTE_X | PTE_A | PTE_D);
	g_pt_root[XONLY_VA / GIB] = pte((uint64_t)(uintptr_t)g_pt_mid, 0);
	g_pt_mid[0] = pte((uint64_t)(uintptr_t)g_pt_leaf, 0);
	for (uint64_t i = 0; i < npages; i++)
		g_pt_leaf[i] = pte(page + (i << 12), PTE_X | PTE_A);
}

/* @stub's address in the alias at @base (the stubs are separate symbols: no pointer
 * arithmetic between them). */
uint64_t g_identity_satp(void)
{
	xonly_map();
	return SATP_SV39 | ((uint64_t)(uintptr_t)g_pt_root >> 12);
}

static uint64_t xonly_va(uint64_t base, const char *stub)
{
	return base + ((uint64_t)(uintptr_t)stub - (uint64_t)(uintptr_t)g_xonly_page);
}

static void satp_set(uint64_t v)
{
	__asm__ __volatile__("csrw satp, %0\n\tsfence.vma" : : "r"(v) : "memory");
}

struct xonly_case {
	const char *what;
	const char *stub;
	uint64_t reg;
	uint64_t want;
};

static void xonly_stale(uint64_t td)
{
	uint64_t root = g_identity_satp();
	uint64_t page = (uint64_t)(uintptr_t)g_xonly_page;
	uint64_t va = xonly_va(STALE_VA, g_xonly_lw);
	uint64_t got, cause, tval;

	g_pt_leaf[STALE_SLOT] = pte(page, PTE_X | PTE_A);
	g_fault_cause = 0;
	satp_set(root);
	(void)g_xonly_call(xonly_va(STALE_VA, g_xonly_ret), 0);
	g_pt_leaf[STALE_SLOT] = 0;
	got = g_xonly_call(va, td + TESTDEV_REG_ID);
	satp_set(0);
	cause = g_fault_cause;
	tval = g_fault_tval;
	if (cause == 0) {
		g_fail("xonly-mmio", "the load from a removed mapping completed (0x%llx)",
		       (unsigned long long)got);
		return;
	}
	if ((cause != 1 && cause != 12) || tval != va) {
		g_fail("xonly-mmio",
		       "removed mapping: cause %llu at 0x%llx, expected 1 or 12 at 0x%llx",
		       (unsigned long long)cause, (unsigned long long)tval, (unsigned long long)va);
		return;
	}
	g_printf("xonly-mmio: 5 accesses emulated; removed mapping: instruction %s fault\n",
		 cause == 1 ? "access" : "page");
	g_pass("xonly-mmio");
}

void g_check_xonly_mmio(void)
{
	uint64_t td = g_layout.testdev_base, root = g_identity_satp();
	const struct xonly_case cases[] = {
		{ "lw", g_xonly_lw, TESTDEV_REG_ID, TESTDEV_ID },
		{ "lw at pc 2 mod 4", g_xonly_lw_odd, TESTDEV_REG_ID, TESTDEV_ID },
		{ "c.lw at pc 2 mod 4", g_xonly_clw, TESTDEV_REG_ID, TESTDEV_ID },
		{ "sd", g_xonly_sd, TESTDEV_REG_SCRATCH, 0x5856 },
		{ "lw across a page", g_xonly_lw_cross, TESTDEV_REG_ID, TESTDEV_ID },
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct xonly_case *c = &cases[i];
		uint64_t got;

		g_fault_cause = 0;
		satp_set(root);
		got = g_xonly_call(xonly_va(XONLY_VA, c->stub), td + c->reg);
		satp_set(0);
		if (g_fault_cause) {
			g_fail("xonly-mmio", "%s faulted (cause %llu)", c->what,
			       (unsigned long long)g_fault_cause);
			return;
		}
		if (got != c->want) {
			g_fail("xonly-mmio", "%s returned 0x%llx, expected 0x%llx", c->what,
			       (unsigned long long)got, (unsigned long long)c->want);
			return;
		}
	}
	if (g_load(td + TESTDEV_REG_SCRATCH, 8, false) != 0x5856) {
		g_fail("xonly-mmio", "the store did not reach the device");
		return;
	}
	xonly_stale(td);
}
