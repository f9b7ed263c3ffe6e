// SPDX-License-Identifier: MIT
/*
 * The aarch64 layer's own checks (docs/aarch64.md, "Clean per-VM CPU state"):
 *
 * cpustate: what the guest may not see or use is hidden and traps (no PMU, no SVE, SME, pointer
 *   authentication or MTE, only the architected minimum of debug, no IMPLEMENTATION DEFINED
 *   registers), the debug registers it has are its own, and every vCPU found them at reset when
 *   it started, although the VMs of this board run one after the other on shared CPUs and each
 *   vCPU leaves its own values behind (g_cpustate_start).
 * vtimer: clearing the timer interrupt's pending state while the hypervisor holds the physical
 *   timer masked for it must not wedge the timer: the next expiry still interrupts, and wakes WFI.
 *
 * And a mode of its own (g_arch_mode): a guest whose exception vectors are not in its RAM.
 */
#include <guest/garch.h>
#include <pv/fmt.h>
#include <pv/types.h>

#include "glayer.h"
#include "suite.h"

#define F(v, shift) ((unsigned)((v) >> (shift)) & 0xfu)

/* What each vCPU plants in its debug and PMU registers (breakpoints and watchpoints disabled). */
#define G_PLANT_BVR  0x0000ffffc0de0000ULL
#define G_PLANT_BCR  0x1e0u /* BAS, E = 0 */
#define G_PLANT_WVR  0x0000ffffbeef0000ULL
#define G_PLANT_WCR  0x1fe0u	  /* BAS, E = 0 */
#define G_PMU_NSH    (1ULL << 27) /* PMEVTYPER<n>/PMCCFILTR: count at EL2 too */
#define G_PMU_CYCLES 0x11u

/* What a vCPU found at its start: non-zero debug or PMU state it did not write. */
struct g_found {
	bool started;
	uint64_t dbg;	   /* or of DBGBVR0, DBGBCR0, DBGWVR0, DBGWCR0, MDSCR_EL1 */
	bool pmu_readable; /* a PMU register read did not fault */
	uint64_t pmu;	   /* or of what the PMU reads returned */
};
static struct g_found g_found[2];

void g_cpustate_start(void)
{
	struct g_found *f = &g_found[g_cpu_id() & 1u];
	uint64_t v = 0;

	f->dbg = G_SYSREG_READ(dbgbvr0_el1) | G_SYSREG_READ(dbgbcr0_el1) |
		 G_SYSREG_READ(dbgwvr0_el1) | G_SYSREG_READ(dbgwcr0_el1) | G_SYSREG_READ(mdscr_el1);
	f->pmu_readable = false;
	f->pmu = 0;
	if (G_TRY_READ(pmccfiltr_el0, v)) {
		f->pmu_readable = true;
		f->pmu |= v;
	}
	if (G_TRY_READ(S3_3_C14_C12_0, v)) { /* PMEVTYPER0_EL0 */
		f->pmu_readable = true;
		f->pmu |= v;
	}
	if (G_TRY_READ(pmcntenset_el0, v)) {
		f->pmu_readable = true;
		f->pmu |= v;
	}
	/* Leave something behind for whoever runs on this CPU next. */
	G_SYSREG_WRITE(dbgbvr0_el1, G_PLANT_BVR);
	G_SYSREG_WRITE(dbgbcr0_el1, G_PLANT_BCR);
	G_SYSREG_WRITE(dbgwvr0_el1, G_PLANT_WVR);
	G_SYSREG_WRITE(dbgwcr0_el1, G_PLANT_WCR);
	(void)G_TRY_WRITE(pmccfiltr_el0, G_PMU_NSH);
	(void)G_TRY_WRITE(S3_3_C14_C12_0, G_PMU_NSH | G_PMU_CYCLES);
	(void)G_TRY_WRITE(pmcntenset_el0, 1ULL << 31);
	__asm__ volatile("isb" : : : "memory");
	f->started = true;
}

/* The features nothing switches, and the PMU, read as absent; debug as emulated. */
static bool cpustate_ids(char *why, size_t len)
{
	uint64_t pfr0 = G_SYSREG_READ(id_aa64pfr0_el1), pfr1 = G_SYSREG_READ(S3_0_C0_C4_1);
	uint64_t dfr0 = G_SYSREG_READ(id_aa64dfr0_el1), isar1 = G_SYSREG_READ(id_aa64isar1_el1);
	uint64_t zfr0 = G_SYSREG_READ(S3_0_C0_C4_4);
	const char *bad = 0;

	if (F(pfr0, 32) || zfr0)
		bad = "SVE";
	else if (F(pfr1, 24))
		bad = "SME";
	else if (F(pfr1, 8))
		bad = "MTE";
	else if (F(isar1, 4) | F(isar1, 8) | F(isar1, 24) | F(isar1, 28))
		bad = "pointer authentication";
	else if (F(pfr0, 44))
		bad = "AMU";
	else if (F(pfr0, 8))
		bad = "EL2";
	else if (F(dfr0, 8))
		bad = "a PMU";
	else if (F(dfr0, 0) != 6 || F(dfr0, 12) != 1 || F(dfr0, 20) != 1)
		bad = "debug beyond ARMv8.0 with 2 breakpoints and 2 watchpoints";
	if (!bad)
		return true;
	pv_snprintf(why, len, "ID registers show %s (PFR0 0x%llx PFR1 0x%llx DFR0 0x%llx)", bad,
		    (unsigned long long)pfr0, (unsigned long long)pfr1, (unsigned long long)dfr0);
	return false;
}

/* The PMU is undefined, and so are breakpoints beyond the two offered. (IMPLEMENTATION DEFINED
 * registers trap on hardware through HCR_EL2.TIDCP, which QEMU 7.2 does not implement.) */
static bool cpustate_undefined(char *why, size_t len)
{
	uint64_t v = 0;
	const char *ok = 0;

	if (G_TRY_READ(pmcr_el0, v))
		ok = "PMCR_EL0 read";
	else if (G_TRY_WRITE(pmccfiltr_el0, G_PMU_NSH))
		ok = "PMCCFILTR_EL0 write";
	else if (G_TRY_READ(pmccntr_el0, v))
		ok = "PMCCNTR_EL0 read";
	else if (G_TRY_READ(pmuserenr_el0, v))
		ok = "PMUSERENR_EL0 read";
	else if (G_TRY_WRITE(dbgbvr2_el1, 1))
		ok = "DBGBVR2_EL1 write (2 breakpoints offered)";
	if (!ok)
		return true;
	pv_snprintf(why, len, "%s did not fault (0x%llx)", ok, (unsigned long long)v);
	return false;
}

/* Both vCPUs found reset values; this one reads back what it planted. */
static bool cpustate_debug(char *why, size_t len)
{
	uint64_t bvr = G_SYSREG_READ(dbgbvr0_el1), wcr = G_SYSREG_READ(dbgwcr0_el1), oslsr;

	for (unsigned i = 0; i < 2; i++) {
		const struct g_found *f = &g_found[i];

		if (!f->started) {
			pv_snprintf(why, len, "vCPU %u never started", i);
			return false;
		}
		if (f->dbg || f->pmu) {
			pv_snprintf(
				why, len,
				"vCPU %u started with debug 0x%llx, PMU 0x%llx (%s) it never wrote",
				i, (unsigned long long)f->dbg, (unsigned long long)f->pmu,
				f->pmu_readable ? "readable" : "not readable");
			return false;
		}
	}
	if (bvr != G_PLANT_BVR || wcr != G_PLANT_WCR) {
		pv_snprintf(why, len, "own debug registers read 0x%llx 0x%llx",
			    (unsigned long long)bvr, (unsigned long long)wcr);
		return false;
	}
	G_SYSREG_WRITE(oslar_el1, 1);
	oslsr = G_SYSREG_READ(oslsr_el1);
	G_SYSREG_WRITE(oslar_el1, 0);
	if (!(oslsr & 2u) || (G_SYSREG_READ(oslsr_el1) & 2u)) {
		pv_snprintf(why, len, "OS lock does not follow OSLAR_EL1 (OSLSR 0x%llx)",
			    (unsigned long long)oslsr);
		return false;
	}
	return true;
}

static void check_cpustate(void)
{
	bool (*const parts[])(char *, size_t) = { cpustate_ids, cpustate_undefined,
						  cpustate_debug };
	char why[3][128];
	unsigned failed = 0;

	for (unsigned i = 0; i < 3; i++)
		if (!parts[i](why[failed], sizeof(why[0])))
			failed++;
	if (!failed) {
		g_printf("cpustate: PMU, SVE, SME, PAuth, MTE hidden; debug per vCPU, both vCPUs "
			 "started clean\n");
		g_pass("cpustate");
	} else {
		g_fail("cpustate", "%s%s%s%s%s", why[0], failed > 1 ? "; " : "",
		       failed > 1 ? why[1] : "", failed > 2 ? "; " : "", failed > 2 ? why[2] : "");
	}
}

/* ---- vtimer ---- */
#define G_CNTV_ENABLE	 PV_BIT(0)
#define G_GICR_ISENABLER (G_GICR_SGI + 0x100)
#define G_GICR_ICENABLER (G_GICR_SGI + 0x180)
#define G_GICR_ISPENDR	 (G_GICR_SGI + 0x200)
#define G_GICR_ICPENDR	 (G_GICR_SGI + 0x280)

/* Until @deadline (counter): true once @addr reads @bit set. */
static bool wait_bit(uint64_t addr, uint32_t bit, uint64_t deadline)
{
	while (!(g_r32(addr) & bit))
		if (g_counter() > deadline)
			return false;
	return true;
}

/* The timer interrupt taken: the suite's handler disarms a one-shot timer (ENABLE clear). */
static bool timer_taken(void)
{
	return !(G_SYSREG_READ(cntv_ctl_el0) & G_CNTV_ENABLE);
}

/*
 * Has the timer fire while its interrupt is disabled (the hypervisor masks the physical timer for
 * this vCPU and makes the interrupt pending), clears it through GICR_ICPENDR0, arms the timer
 * again and enables the interrupt. Returns false with @why if the interrupt never became pending.
 */
static bool vtimer_clear_while_held(uint64_t rd, uint64_t freq, char *why, size_t len)
{
	uint32_t bit = 1u << G_IRQ_TIMER;

	g_w32(rd + G_GICR_ICENABLER, bit);
	g_timer_oneshot(g_counter() + freq / 10000);
	if (!wait_bit(rd + G_GICR_ISPENDR, bit, g_counter() + freq / 10)) {
		pv_snprintf(why, len, "the expired timer never showed pending");
		return false;
	}
	g_w32(rd + G_GICR_ICPENDR, bit);
	g_timer_oneshot(g_counter() + freq / 1000);
	g_w32(rd + G_GICR_ISENABLER, bit);
	return true;
}

static void check_vtimer(void)
{
	uint64_t freq = g_counter_freq(), rd = g_find_redist(), limit;
	char why[96];

	g_irq_off();
	if (!rd || !vtimer_clear_while_held(rd, freq, why, sizeof(why))) {
		g_timer_arm(0);
		g_fail("vtimer", "%s", rd ? why : "no redistributor");
		return;
	}
	/* Interrupts on, no WFI (it would never end if the timer were wedged): 100 ms at most. */
	limit = g_counter() + freq / 10;
	g_irq_on();
	while (!timer_taken() && g_counter() < limit)
		;
	g_irq_off();
	if (!timer_taken()) {
		g_timer_arm(0);
		g_fail("vtimer",
		       "no timer interrupt after clearing its pending state: timer wedged");
		return;
	}
	/* Again, now waiting in WFI. */
	if (!vtimer_clear_while_held(rd, freq, why, sizeof(why))) {
		g_timer_arm(0);
		g_fail("vtimer", "%s", why);
		return;
	}
	limit = g_counter() + freq / 10;
	while (!timer_taken() && g_counter() < limit)
		g_wait_irq_masked();
	if (!timer_taken()) {
		g_timer_arm(0);
		g_fail("vtimer", "WFI woke, the timer interrupt never came");
		return;
	}
	g_printf("vtimer: interrupt cleared while held, the timer still fires (WFI woke)\n");
	g_pass("vtimer");
}

void g_arch_checks(void)
{
	check_cpustate();
	check_vtimer();
}

/* ---- mode G_MODE_A64_VECTOR: a guest whose exception vectors are outside its RAM ---- */
#define G_MODE_A64_VECTOR G_MODE_ARCH
#define G_NOWHERE_VBAR	  0x1000ULL /* no RAM, no device: its entries cannot be fetched */
#define G_NOWHERE_DATA	  0x2000ULL

void g_arch_mode(uint64_t boot_arg)
{
	if (boot_arg != G_MODE_A64_VECTOR)
		return;
	/* The load faults; the abort's vector (VBAR_EL1 + 0x200) faults too, and so would every
	 * further abort: the hypervisor must stop this VM instead of looping. */
	g_printf("vector guest: exception vectors at 0x%llx, outside RAM; loading from 0x%llx\n",
		 (unsigned long long)G_NOWHERE_VBAR, (unsigned long long)G_NOWHERE_DATA);
	G_SYSREG_WRITE(vbar_el1, G_NOWHERE_VBAR);
	__asm__ volatile("isb" : : : "memory");
	(void)g_load(G_NOWHERE_DATA, 8, false);
	g_printf("FAIL vector guest: still running\n");
}
