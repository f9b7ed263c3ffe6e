// SPDX-License-Identifier: MIT
/*
 * The guest suite (see docs/guest-suite.md): one bare-metal guest, arch-neutral here, that checks
 * what a hypervisor must provide and prints one line per check. The arch layer (garch.h) does the
 * parts that need particular instructions.
 */
#include <devices/testdev.h>
#include <guest/garch.h>
#include <pv/fmt.h>
#include <vm/hypercall.h>

#include "suite.h"

static unsigned g_passed, g_failed;

static void g_sink(char c, void *ctx)
{
	(void)ctx;
	g_putc(c);
}

void g_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pv_vformat(g_sink, NULL, fmt, ap);
	va_end(ap);
}

void g_pass(const char *name)
{
	g_passed++;
	g_printf("PASS %s\n", name);
}

void g_fail(const char *name, const char *fmt, ...)
{
	va_list ap;
	g_failed++;
	g_printf("FAIL %s: ", name);
	va_start(ap, fmt);
	pv_vformat(g_sink, NULL, fmt, ap);
	va_end(ap);
	g_printf("\n");
}

/* ---- console: output really goes through trapped, emulated accesses ---- */
static void check_console(void)
{
	static const char line[] = "console: this line is written one trapped access at a time\n";
	uint64_t before, after;
	int64_t r = g_hcall(PV_HC_DEVICE_EXITS, g_layout.console_addr, g_layout.console_space, 0,
			    &before);

	/* The VM's own accesses to its UART, as the hypervisor counted them. */
	if (r != 0) {
		g_fail("console", "DEVICE_EXITS of the UART at 0x%llx returned %lld",
		       (unsigned long long)g_layout.console_addr, (long long)r);
		return;
	}
	g_printf("%s", line);
	g_hcall(PV_HC_DEVICE_EXITS, g_layout.console_addr, g_layout.console_space, 0, &after);
	if (after - before < sizeof(line) - 1)
		g_fail("console", "%llu UART accesses trapped for %u bytes",
		       (unsigned long long)(after - before), (unsigned)(sizeof(line) - 1));
	else
		g_pass("console");
}

static void check_privilege(void)
{
	char why[96] = "";
	if (g_privilege(why, sizeof(why))) {
		g_printf("privilege: %s\n", why);
		g_pass("privilege");
	} else {
		g_fail("privilege", "%s", why);
	}
}

static void check_hypercall(void)
{
	uint64_t v = 0;
	int64_t r = g_hcall(PV_HC_VERSION, 0, 0, 0, &v);

	if (r != 0 || v != PV_HC_ABI_VERSION) {
		g_fail("hypercall", "VERSION returned %lld, 0x%llx", (long long)r,
		       (unsigned long long)v);
		return;
	}
	r = g_hcall(PV_HC_ECHO, 0x0123456789abcdefULL, 0, 0, &v);
	if (r != 0 || v != 0x0123456789abcdefULL) {
		g_fail("hypercall", "ECHO returned %lld, 0x%llx", (long long)r,
		       (unsigned long long)v);
		return;
	}
	r = g_hcall(0x7777, 0, 0, 0, &v);
	if (r != g_layout.hc_err_unknown) {
		g_fail("hypercall", "unknown number returned %lld, expected %lld", (long long)r,
		       (long long)g_layout.hc_err_unknown);
		return;
	}
	g_pass("hypercall");
}

static bool mmio_expect(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return true;
	g_fail("mmio", "%s: got 0x%llx, expected 0x%llx", what, (unsigned long long)got,
	       (unsigned long long)want);
	return false;
}

static void check_mmio(void)
{
	uint64_t td = g_layout.testdev_base;
	uint64_t pat = TESTDEV_PATTERN;
	bool ok = mmio_expect("ID", g_load(td + TESTDEV_REG_ID, 4, false), TESTDEV_ID);

	for (unsigned w = 1; ok && w <= 8; w *= 2) {
		uint64_t mask = w == 8 ? ~0ULL : (1ULL << (8 * w)) - 1;
		uint64_t value = 0xf1e2d3c4b5a69788ULL & mask;
		uint64_t lane = pat >> (8 * (8 - w)) & mask; /* the pattern's top w bytes */
		uint64_t sext = (lane >> (8 * w - 1)) & 1 && w < 8 ? lane | ~mask : lane;

		g_store(td + TESTDEV_REG_SCRATCH, 8, 0);
		g_store(td + TESTDEV_REG_SCRATCH + 8 - w, w, value);
		ok = mmio_expect("scratch store/load",
				 g_load(td + TESTDEV_REG_SCRATCH + 8 - w, w, false), value) &&
		     mmio_expect("scratch 8-byte view", g_load(td + TESTDEV_REG_SCRATCH, 8, false),
				 value << (8 * (8 - w))) &&
		     mmio_expect("zero-extending load",
				 g_load(td + TESTDEV_REG_PATTERN + 8 - w, w, false), lane) &&
		     mmio_expect("sign-extending load",
				 g_load(td + TESTDEV_REG_PATTERN + 8 - w, w, true), sext);
	}
	if (ok)
		g_pass("mmio");
}

/*
 * Waits for one interrupt and takes it. Called with interrupts masked, so that an interrupt
 * arriving after the caller checked its condition stays pending and ends the wait at once instead
 * of being taken (and missed) just before it; it is then taken in the short unmasked window.
 */
void g_wait_irq_masked(void)
{
	g_wait_for_irq();
	g_irq_on();
	g_irq_off();
}

/* ---- timer ---- */
#define TIMER_TICKS 10
static volatile uint64_t g_tick_at[TIMER_TICKS + 1];
static volatile uint64_t g_tick_due[TIMER_TICKS + 1]; /* the deadline each interrupt answers */
static volatile unsigned g_ticks;
static volatile uint64_t g_period, g_deadline;
static volatile bool g_timer_running;

/* Periodic timer from one-shot deadlines: each next deadline is the previous one plus the period,
 * so handler latency does not accumulate. */
static void timer_start(uint64_t period)
{
	g_period = period;
	g_ticks = 0;
	g_timer_running = true;
	g_deadline = g_counter() + period;
	g_timer_arm(g_deadline);
}

void g_timer_oneshot(uint64_t deadline)
{
	g_timer_running = false;
	g_deadline = deadline;
	g_timer_arm(deadline);
}

static void timer_stop(void)
{
	g_timer_running = false;
	g_timer_arm(0);
}

void g_on_timer(uint64_t now)
{
	unsigned n = g_ticks;

	if (n <= TIMER_TICKS) {
		g_tick_at[n] = now;
		g_tick_due[n] = g_deadline;
	}
	g_ticks = n + 1;
	g_bench_on_timer(now, g_deadline);
	if (g_timer_running) {
		g_deadline += g_period;
		g_timer_arm(g_deadline);
	} else {
		g_timer_arm(0);
	}
}

static void check_timer(void)
{
	uint64_t freq = g_counter_freq();
	uint64_t limit = g_counter() + freq; /* give up after a second of guest time */

	timer_start(freq / 100); /* 10 ms */
	while (g_ticks < TIMER_TICKS + 1 && g_counter() < limit)
		g_wait_irq_masked();
	timer_stop();
	if (g_ticks < TIMER_TICKS + 1) {
		g_fail("timer", "%u of %u interrupts in 1 s", g_ticks, TIMER_TICKS + 1);
		return;
	}
	/* Exact whatever the clock: the counter reached the deadline before the interrupt came. */
	for (unsigned i = 0; i <= TIMER_TICKS; i++)
		if (g_tick_at[i] < g_tick_due[i]) {
			g_fail("timer", "interrupt %u came %llu ticks before its deadline", i,
			       (unsigned long long)(g_tick_due[i] - g_tick_at[i]));
			return;
		}
#ifdef CONFIG_GUEST_SUITE_WALL_CLOCK
	{
		uint64_t late = 0;

		for (unsigned i = 0; i <= TIMER_TICKS; i++)
			if (g_tick_at[i] - g_tick_due[i] > late)
				late = g_tick_at[i] - g_tick_due[i];
		g_printf("timer: %u interrupts, none early, latest %llu ticks late (wall clock)\n",
			 TIMER_TICKS + 1, (unsigned long long)late);
	}
#else
	for (unsigned i = 1; i <= TIMER_TICKS; i++) {
		uint64_t d = g_tick_at[i] - g_tick_at[i - 1];
		if (d < g_period - g_period / 10 || d > g_period + g_period / 10) {
			g_fail("timer", "period %u took %llu ticks, programmed %llu", i,
			       (unsigned long long)d, (unsigned long long)g_period);
			return;
		}
	}
#endif
	g_pass("timer");
}

/* ---- smp ---- */
#define SMP_ROUNDS 1000
static volatile uint64_t g_smp_counter;
static volatile unsigned g_ipis_seen[2];
static volatile bool g_second_up, g_second_done;

void g_on_ipi(void)
{
	unsigned cpu = g_cpu_id();
	if (cpu < 2)
		g_ipis_seen[cpu]++;
}

static void smp_second(void)
{
	g_second_up = true;
	for (unsigned i = 0; i < SMP_ROUNDS; i++)
		g_atomic_add(&g_smp_counter, 1);
	g_ipi_send(0);
	while (g_ipis_seen[1] == 0)
		g_wait_irq_masked();
	g_second_done = true;
	g_cpu_stop();
}

static void check_smp(void)
{
	uint64_t freq = g_counter_freq(), limit;
	int err = g_cpu_start(1, smp_second);

	if (err) {
		g_fail("smp", "starting vCPU 1 failed (%d)", err);
		return;
	}
	limit = g_counter() + 2 * freq;
	for (unsigned i = 0; i < SMP_ROUNDS; i++)
		g_atomic_add(&g_smp_counter, 1);
	while (g_ipis_seen[0] == 0 && g_counter() < limit)
		g_wait_irq_masked();
	g_ipi_send(1);
	while (!g_second_done && g_counter() < limit)
		;
	if (!g_second_up)
		g_fail("smp", "vCPU 1 never ran");
	else if (!g_ipis_seen[0] || !g_second_done)
		g_fail("smp", "IPIs: vCPU 0 got %u, vCPU 1 %s", g_ipis_seen[0],
		       g_second_done ? "got its" : "did not finish");
	else if (g_smp_counter != 2 * SMP_ROUNDS)
		g_fail("smp", "shared counter is %llu, expected %u",
		       (unsigned long long)g_smp_counter, 2 * SMP_ROUNDS);
	else
		g_pass("smp");
}

/* ---- sharing (G_MODE_SHARE) ---- */
static void share_second(void)
{
	g_second_up = true;
	g_second_done = true;
	g_cpu_stop();
}

/* vCPU 1 shares its physical CPU with another VM's vCPU that spins with its interrupts masked
 * (G_MODE_SPIN) for longer than this waits: started once the spinner spins (50 ms after boot),
 * vCPU 1 runs within 0.2 s only if the hypervisor takes the CPU away from the spinner. vCPU 0 idles meanwhile, woken by its timer (an emulator that
 * counts instructions runs its timers only while some CPU idles). */
static void check_sharing(void)
{
	uint64_t freq = g_counter_freq(), limit;
	int err;

	/* First let the spinner get going (its VM may boot after this one). */
	timer_start(freq / 100);
	limit = g_counter() + freq / 20;
	while (g_counter() < limit)
		g_wait_irq_masked();
	/* The deadline counts from before the start: starting takes the spinner's CPU too. */
	limit = g_counter() + freq / 5;
	err = g_cpu_start(1, share_second);
	while (!err && !g_second_done && g_counter() < limit)
		g_wait_irq_masked();
	timer_stop();
	if (err)
		g_fail("sharing", "starting vCPU 1 failed (%d)", err);
	else if (!g_second_done || g_counter() > limit)
		g_fail("sharing", "vCPU 1 did not run in 0.2 s while another VM spun on its CPU");
	else
		g_pass("sharing");
}

/* ---- context ---- */
static void check_context(void)
{
	uint64_t freq = g_counter_freq();
	int bad;

	/* Timer interrupts keep coming while the exits run. */
	g_irq_on();
	timer_start(freq / 1000);
	bad = g_context_check(100000);
	timer_stop();
	g_irq_off();
	if (bad)
		g_fail("context", "register %d lost its pattern", bad - 1);
	else if (g_ticks == 0)
		g_fail("context", "no timer interrupt arrived during the exits");
	else {
		g_printf("context: 100000 exits, %u timer interrupts\n", g_ticks);
		g_pass("context");
	}
}

/* ---- memory ---- */
static uint64_t g_vm_tag; /* the boot argument's VM tag (modes.h) */

/* Differs per VM: two VMs sharing host frames would overwrite each other's pattern. */
static uint64_t mem_word(uint64_t addr)
{
	return (addr ^ g_vm_tag << 40) * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a5a5a5a5aULL;
}

static uint64_t mem_start(void)
{
	return ((uint64_t)(uintptr_t)__g_image_end + 4095) & ~4095ULL;
}

static void memory_fill(void)
{
	for (uint64_t a = mem_start(); a < g_layout.ram_base + g_layout.ram_size; a += 8)
		*(volatile uint64_t *)(uintptr_t)a = mem_word(a);
}

static void check_memory(void)
{
	for (uint64_t a = mem_start(); a < g_layout.ram_base + g_layout.ram_size; a += 8) {
		if (*(volatile uint64_t *)(uintptr_t)a != mem_word(a)) {
			g_fail("memory", "word at 0x%llx changed", (unsigned long long)a);
			return;
		}
	}
	g_printf("memory: %llu KiB checked, pattern of VM tag %llu\n",
		 (unsigned long long)((g_layout.ram_base + g_layout.ram_size - mem_start()) >> 10),
		 (unsigned long long)g_vm_tag);
	g_pass("memory");
}

/* ---- isolation ---- */
static bool in_ram(uint64_t a)
{
	return a >= g_layout.ram_base && a - g_layout.ram_base < g_layout.ram_size;
}

static void check_isolation(void)
{
	static const char *const kind[] = { "read", "write", "exec" };
	uint64_t step = 16ULL << 20;
	unsigned probes = 0;
	uint64_t targets[3] = { g_layout.ram_base + g_layout.ram_size, g_layout.ram_base - 8,
				g_layout.hv_irqchip_addr };

	for (unsigned t = 0; t < 3; t++) {
		if (!targets[t] || in_ram(targets[t]))
			continue;
		for (unsigned k = G_READ; k <= G_EXEC; k++, probes++) {
			if (g_try_access((enum g_access)k, targets[t])) {
				g_fail("isolation", "%s at 0x%llx succeeded", kind[k],
				       (unsigned long long)targets[t]);
				return;
			}
		}
	}
	/* Everywhere in host RAM outside our own: the hypervisor and the other VM are there. */
	for (uint64_t a = g_layout.host_ram_base;
	     a < g_layout.host_ram_base + g_layout.host_ram_size; a += step) {
		if (in_ram(a))
			continue;
		for (unsigned k = G_READ; k <= G_EXEC; k++, probes++) {
			if (g_try_access((enum g_access)k, a)) {
				g_fail("isolation", "%s at 0x%llx succeeded", kind[k],
				       (unsigned long long)a);
				return;
			}
		}
	}
	if (g_try_hv_irqchip()) {
		g_fail("isolation", "access to %s succeeded", g_layout.hv_irqchip_name);
		return;
	}
	g_printf("isolation: %u probes faulted, %s refused\n", probes, g_layout.hv_irqchip_name);
	g_pass("isolation");
}

/* For arch layers without checks or modes of their own (garch.h). */
__attribute__((weak)) void g_arch_checks(void)
{
}

__attribute__((weak)) bool g_dev_irq_enable(unsigned line)
{
	(void)line;
	return false;
}

__attribute__((weak)) void g_arch_mode(uint64_t boot_arg)
{
	(void)boot_arg;
}

/* G_MODE_TOUCH: a page this VM was not given, read and written. */
static void touch(uint64_t page)
{
	static const char *const what[] = { "read", "write" };
	static const enum g_access kind[] = { G_READ, G_WRITE };

	for (unsigned i = 0; i < 2; i++) {
		if (g_try_access(kind[i], page))
			g_fail("touch", "the %s at 0x%llx completed", what[i],
			       (unsigned long long)page);
		else
			g_printf("touch: %s at 0x%llx faulted\n", what[i],
				 (unsigned long long)page);
	}
}

static void run_suite(void)
{
	memory_fill();
	check_console();
	check_privilege();
	check_hypercall();
	check_mmio();
	check_timer();
	check_smp();
	check_context();
	check_isolation();
	g_arch_checks();
	check_memory();
	g_printf("guest-suite: %u passed, %u failed\n", g_passed, g_failed);
}

void g_main(uint64_t boot_arg)
{
	uint64_t ignored;

	g_vm_tag = (boot_arg & 0xffffffffULL) >> 12; /* G_MODE_SUITE's argument (modes.h) */
	g_printf("guest-suite: vCPU %u up, mode %llu, RAM 0x%llx-0x%llx\n", g_cpu_id(),
		 (unsigned long long)(boot_arg & G_MODE_MASK),
		 (unsigned long long)g_layout.ram_base,
		 (unsigned long long)(g_layout.ram_base + g_layout.ram_size - 1));
	switch (boot_arg & G_MODE_MASK) {
	case G_MODE_TOUCH:
		touch(boot_arg & ~(uint64_t)G_MODE_MASK);
		break;
	case G_MODE_BAD:
		g_printf("bad guest: writing outside guest RAM\n");
		g_store(g_layout.ram_base + g_layout.ram_size, 8, 0xbad);
		g_printf("FAIL bad guest: the write outside RAM completed\n");
		break;
	case G_MODE_BENCH:
		g_bench();
		break;
	case G_MODE_SHARE:
		check_sharing();
		g_printf("guest-suite: %u passed, %u failed\n", g_passed, g_failed);
		break;
	case G_MODE_SPIN: {
		uint64_t end = g_counter() + G_SPIN_MS * g_counter_freq() / 1000;

		g_irq_off();
		g_printf("spin: interrupts masked, spinning for %u ms\n", G_SPIN_MS);
		while (g_counter() < end)
			;
		g_printf("spin: done\n");
		break;
	}
	case G_MODE_VBLK_BENCH:
		g_vblk_bench();
		break;
	case G_MODE_ECHO:
	case G_MODE_ECHO_POLL:
		g_echo(boot_arg == G_MODE_ECHO_POLL);
	default:
		if ((boot_arg & G_MODE_MASK) >= G_MODE_ARCH)
			g_arch_mode(boot_arg);
		else
			run_suite();
		break;
	}
	g_hcall(PV_HC_VM_STOP, g_failed, 0, 0, &ignored);
	for (;;)
		g_wait_for_irq();
}
