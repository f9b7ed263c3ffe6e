// SPDX-License-Identifier: MIT
/*
 * The riscv64 layer's `cpu-state` check: a vCPU starts with clean CPU state, whatever ran on its
 * hart before. start.S saves every secondary vCPU's state as it starts (g_start_state). The check
 * looks at vCPU 1's start by the smp check (in vm1 that hart, hart 3, ran the "bad" VM first,
 * which filled the same state on its way in: g_arch_main), then starts vCPU 1 once to fill
 * everything with values of its own and once more to see none of them come back. It also checks
 * that the hart's cycle and instret counters, which count other VMs and the hypervisor too, are
 * hidden and the vector unit unusable, even where the hart has one (docs/riscv64.md, "CPU state").
 */
#include <guest/garch.h>

#include "glayer.h"
#include "suite.h"

#define SSTATUS_GUEST_BITS 0xc6122ULL /* SIE SPIE SPP FS SUM MXR */
#define HSM_STOPPED	   1

struct g_cpu_state g_start_state[G_MAX_CPUS];
/* What the fill left in vCPU 1, read back: a register that kept none of it proves nothing. */
static struct g_cpu_state g_filled;

static const char *const g_state_names[13] = {
	"sstatus", "sie",  "sip",	 "stvec",   "sscratch", "sepc", "scause",
	"stval",   "satp", "scounteren", "senvcfg", "stimecmp", "fcsr",
};

/* The value a vCPU starts with (the RISC-V boot convention and the hypervisor's reset). */
static uint64_t reset_value(unsigned i)
{
	if (i == 0)
		return 0; /* compared through SSTATUS_GUEST_BITS */
	if (i == 9)
		return 0x2; /* scounteren.TM: user mode reads time, as SBI firmware leaves it */
	if (i == 11)
		return g_sstc ? UINT64_MAX : 0;
	return 0;
}

static uint64_t word(const struct g_cpu_state *s, unsigned i)
{
	const uint64_t *w = (const uint64_t *)s;

	return i == 0 ? w[0] & SSTATUS_GUEST_BITS : w[i];
}

/* Whether @s is as a vCPU starts; if not, fails the check naming the first piece that differs. */
static bool state_clean(const char *when, const struct g_cpu_state *s)
{
	for (unsigned i = 0; i < 13; i++) {
		if (word(s, i) != reset_value(i)) {
			g_fail("cpu-state", "%s: %s is 0x%llx", when, g_state_names[i],
			       (unsigned long long)word(s, i));
			return false;
		}
	}
	for (unsigned i = 0; i < 32; i++) {
		if (s->f[i] != 0) {
			g_fail("cpu-state", "%s: f%u is 0x%llx", when, i,
			       (unsigned long long)s->f[i]);
			return false;
		}
	}
	return true;
}

static void fill_entry(void)
{
	g_cpu_state_fill(g_identity_satp());
	g_cpu_state_save(&g_filled);
}

static void nothing_entry(void)
{
}

/* Starts vCPU 1 at @entry and waits (a second of guest time at most) until it has stopped. */
static bool run_cpu1(void (*entry)(void))
{
	uint64_t limit;
	int err = g_cpu_start(1, entry);

	if (err != 0) {
		g_fail("cpu-state", "starting vCPU 1 failed (%d)", err);
		return false;
	}
	/* Idle between looks (a 1 ms timer ends each wait), as a guest should: the emulator
	 * then lets the other harts run. */
	limit = g_counter() + g_counter_freq();
	while (g_cpu_status(1) != HSM_STOPPED) {
		if (g_counter() > limit) {
			g_fail("cpu-state", "vCPU 1 did not stop (status %ld)", g_cpu_status(1));
			return false;
		}
		g_timer_oneshot(g_counter() + g_counter_freq() / 1000);
		g_wait_irq_masked();
	}
	g_timer_arm(0);
	return true;
}

void g_check_cpu_state(void)
{
	unsigned kept = 0;

	if (g_probe_cycle() || g_probe_instret()) {
		g_fail("cpu-state", "the hart's %s counter is readable",
		       g_probe_cycle() ? "cycle" : "instret");
		return;
	}
	if (g_probe_vector()) {
		g_fail("cpu-state", "vector instructions work: the vector unit was left on");
		return;
	}
	if (!state_clean("vCPU 1's first start", &g_start_state[1]))
		return;
	if (!run_cpu1(fill_entry) || !run_cpu1(nothing_entry))
		return;
	for (unsigned i = 0; i < 13; i++)
		kept += word(&g_filled, i) != reset_value(i);
	if (!state_clean("vCPU 1's restart", &g_start_state[1]))
		return;
	g_printf("cpu-state: clean starts; %u of 13 CSRs and the FP file took the fill; "
		 "cycle, instret hidden; no vector unit\n",
		 kept);
	g_pass("cpu-state");
}
