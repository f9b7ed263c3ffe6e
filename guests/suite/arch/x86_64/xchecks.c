// SPDX-License-Identifier: MIT
/*
 * Checks only x86_64 has (docs/x86_64.md, "Guest-visible CPU state"), run by the boot vCPU after
 * the common ones (g_arch_checks), each printing PASS or FAIL like them:
 *  x86-cr8     MOV to CR8 reaches the emulated local APIC's TPR, not the real one: with CR8 = 15
 *              the guest takes no interrupt, yet the hypervisor still gets its timer interrupt
 *              (the guest's timer vector is requested while the guest spins), and CR8 = 0 lets
 *              the vector in;
 *  x86-msr     STAR, LSTAR, CSTAR, SFMASK, IA32_KERNEL_GS_BASE, IA32_TSC_AUX and IA32_PAT start
 *              at their reset values, read back what is written, SWAPGS swaps, SYSCALL works;
 *  x86-debug   DR0-DR3, DR6, DR7 (and DR4/DR5 as aliases) are the vCPU's own, a data breakpoint
 *              fires, a reserved DR7 bit raises #GP;
 *  x86-insn    INVEPT, INVVPID, VMXON, GETSEC, MONITOR, MWAIT, XSETBV raise #UD, RDPMC #GP,
 *              INVD completes: no exit stops the VM;
 *  x86-cpuid   what CPUID offers works (RDTSCP, RDPID, INVPCID), what it hides is absent
 *              (MONITOR, XSAVE, PKU: their CR4 bits raise #GP), leaf 0xb is the VM's topology;
 *  x86-state   (reported once vCPU 1 is up) vCPU 1 starts with every piece of that state at
 *              its reset value. On the board's layout vCPU 1 of vm1 shares its physical CPU
 *              with the VM "bad", which ran first there and left values in all of it
 *              (g_x86_plant) before it was stopped.
 */
#include <guest/garch.h>
#include <pv/fmt.h>

#include "../../suite.h"
#include "x86_guest.h"

#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_X2APIC_TPR	 0x808u
#define MSR_X2APIC_IRR2	 0x822u /* IRR bits 64-95: the timer's vector 0x40 is bit 0 */
#define MSR_EFER	 0xc0000080u
#define MSR_STAR	 0xc0000081u
#define MSR_LSTAR	 0xc0000082u
#define MSR_CSTAR	 0xc0000083u
#define MSR_SFMASK	 0xc0000084u
#define MSR_KERNEL_GS	 0xc0000102u
#define MSR_TSC_AUX	 0xc0000103u
#define MSR_PAT		 0x277u
#define EFER_SCE	 0x1u
#define PAT_RESET	 0x0007040600070406ULL
#define DR6_RESET	 0xffff0ff0ULL
#define DR7_RESET	 0x400ULL
#define CR4_OSXSAVE	 (1ULL << 18)
#define CR4_PKE		 (1ULL << 22)
#define RFLAGS_IF	 0x200u
#define VEC_UD		 6
#define VEC_GP		 13
#define NOFAULT		 (-1)
#define MXCSR_RESET	 0x1f80u

typedef void (*g_x_fn)(uint64_t);
int g_x_try(g_x_fn fn, uint64_t arg);
void g_x_rdmsr(uint64_t msr);
void g_x_wrmsr(uint64_t msr);
void g_x_invept(uint64_t), g_x_invvpid(uint64_t), g_x_vmxon(uint64_t), g_x_monitor(uint64_t),
	g_x_mwait(uint64_t), g_x_rdpmc(uint64_t), g_x_getsec(uint64_t), g_x_xsetbv(uint64_t),
	g_x_invd(uint64_t), g_x_rdtscp(uint64_t), g_x_rdpid(uint64_t), g_x_invpcid(uint64_t),
	g_x_set_cr4(uint64_t), g_x_set_cr8(uint64_t), g_x_set_dr7(uint64_t), g_x_syscall(uint64_t),
	g_x_sys_entry(void);
extern char g_x_syscall_ret[];

volatile uint64_t g_x_val;
volatile uint64_t g_x_sys_rcx, g_x_sys_r11, g_x_sys_flags;

/* The MSRs switched per vCPU by software, their reset values and a value each for the checks:
 * canonical addresses where the CPU demands them, 32 bits for SFMASK and TSC_AUX. */
static const struct {
	uint32_t msr;
	const char *name;
	uint64_t reset, pattern, plant;
} x_msrs[] = {
	{ MSR_STAR, "STAR", 0, 0x0023001000080000ULL, 0x1111222233334444ULL },
	{ MSR_LSTAR, "LSTAR", 0, 0xffff800012345000ULL, 0xffff8000badbad00ULL },
	{ MSR_CSTAR, "CSTAR", 0, 0x00007fff12340000ULL, 0x00007fffbadbad00ULL },
	{ MSR_SFMASK, "SFMASK", 0, 0x47700u, 0x3f7d5u },
	{ MSR_KERNEL_GS, "KERNEL_GS_BASE", 0, 0xffff888000001000ULL, 0xffff8880badbad00ULL },
	{ MSR_TSC_AUX, "TSC_AUX", 0, 0x1234u, 0xbadu },
	{ MSR_PAT, "PAT", PAT_RESET, 0x0007010600070106ULL, 0x0000000000000000ULL },
};
#define X_MSRS	    (sizeof(x_msrs) / sizeof(x_msrs[0]))
#define X_TSC_AUX   5u
#define PLANT_DR(n) (0xdead0000ULL + 0x100u * (n))
#define PLANT_DR7   0x000d0403ULL /* L0, G0 + write breakpoint, 8 bytes, at PLANT_DR(0) */
#define PLANT_DR6   0xffff0ff1ULL /* B0 */
#define PLANT_CR8   15u
#define PLANT_MXCSR 0x7f80u /* rounding toward zero */

static bool has_rdtscp(void)
{
	uint32_t r[4];

	cpuid(0x80000001u, r);
	return r[3] & (1u << 27);
}

/* MSR @i of x_msrs exists for this guest (TSC_AUX only with RDTSCP). */
static bool x_msr_offered(unsigned i)
{
	return i != X_TSC_AUX || has_rdtscp();
}

static int try_rdmsr(uint32_t msr, uint64_t *value)
{
	int v = g_x_try(g_x_rdmsr, msr);

	*value = g_x_val;
	return v;
}

static int try_wrmsr(uint32_t msr, uint64_t value)
{
	g_x_val = value;
	return g_x_try(g_x_wrmsr, msr);
}

static uint64_t read_cr8(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr8, %0" : "=r"(v));
	return v;
}

static uint64_t read_dr(unsigned n)
{
	uint64_t v = 0;

	switch (n) {
	case 0:
		__asm__ volatile("mov %%dr0, %0" : "=r"(v));
		break;
	case 1:
		__asm__ volatile("mov %%dr1, %0" : "=r"(v));
		break;
	case 2:
		__asm__ volatile("mov %%dr2, %0" : "=r"(v));
		break;
	case 3:
		__asm__ volatile("mov %%dr3, %0" : "=r"(v));
		break;
	case 4:
		__asm__ volatile("mov %%dr4, %0" : "=r"(v));
		break;
	case 5:
		__asm__ volatile("mov %%dr5, %0" : "=r"(v));
		break;
	case 6:
		__asm__ volatile("mov %%dr6, %0" : "=r"(v));
		break;
	default:
		__asm__ volatile("mov %%dr7, %0" : "=r"(v));
		break;
	}
	return v;
}

static void write_dr(unsigned n, uint64_t v)
{
	switch (n) {
	case 0:
		__asm__ volatile("mov %0, %%dr0" : : "r"(v));
		break;
	case 1:
		__asm__ volatile("mov %0, %%dr1" : : "r"(v));
		break;
	case 2:
		__asm__ volatile("mov %0, %%dr2" : : "r"(v));
		break;
	case 3:
		__asm__ volatile("mov %0, %%dr3" : : "r"(v));
		break;
	case 6:
		__asm__ volatile("mov %0, %%dr6" : : "r"(v));
		break;
	default:
		__asm__ volatile("mov %0, %%dr7" : : "r"(v));
		break;
	}
}

static uint64_t read_cr4(void)
{
	uint64_t v;

	__asm__ volatile("mov %%cr4, %0" : "=r"(v));
	return v;
}

/* ---- x86-cr8 ---- */
static void check_cr8(void)
{
	uint64_t freq = g_counter_freq(), deadline, tpr, irr, seen;

	__asm__ volatile("cli");
	g_x_set_cr8(PLANT_CR8);
	tpr = rdmsr(MSR_X2APIC_TPR);
	if (tpr != 0xf0 || read_cr8() != 15) {
		g_x_set_cr8(0);
		g_fail("x86-cr8", "after CR8 = 15: TPR 0x%llx, CR8 %llu (the real TPR was written)",
		       (unsigned long long)tpr, (unsigned long long)read_cr8());
		return;
	}
	/* The timer in 1 ms; the guest spins 5 ms longer with interrupts on and no exit of its
	 * own: only the hypervisor's timer interrupt (which CR8 must not block) moves the
	 * expired deadline into IRR. */
	seen = g_timer_entry_tsc;
	deadline = g_counter() + freq / 1000;
	wrmsr(MSR_TSC_DEADLINE, deadline);
	__asm__ volatile("sti");
	while (g_counter() < deadline + freq / 200)
		;
	irr = rdmsr(MSR_X2APIC_IRR2);
	if (g_timer_entry_tsc != seen) {
		g_x_set_cr8(0);
		__asm__ volatile("cli");
		g_fail("x86-cr8", "the timer interrupt was taken with CR8 = 15");
		return;
	}
	g_x_set_cr8(0);
	__asm__ volatile("nop; cli");
	if (!(irr & 1)) {
		g_fail("x86-cr8", "the hypervisor's timer interrupt did not arrive with CR8 = 15");
		return;
	}
	if (g_timer_entry_tsc == seen) {
		g_fail("x86-cr8", "the timer interrupt was not taken after CR8 = 0");
		return;
	}
	g_pass("x86-cr8");
}

/* ---- x86-msr ---- */
static bool check_msr_values(void)
{
	for (unsigned i = 0; i < X_MSRS; i++) {
		uint64_t v = 0;
		int fault;

		if (!x_msr_offered(i))
			continue;
		fault = try_rdmsr(x_msrs[i].msr, &v);
		if (fault != NOFAULT || v != x_msrs[i].reset) {
			g_fail("x86-msr", "%s reads 0x%llx (fault %d), reset value 0x%llx",
			       x_msrs[i].name, (unsigned long long)v, fault,
			       (unsigned long long)x_msrs[i].reset);
			return false;
		}
		fault = try_wrmsr(x_msrs[i].msr, x_msrs[i].pattern);
		if (fault == NOFAULT)
			fault = try_rdmsr(x_msrs[i].msr, &v);
		if (fault != NOFAULT || v != x_msrs[i].pattern) {
			g_fail("x86-msr", "%s: wrote 0x%llx, read 0x%llx (fault %d)",
			       x_msrs[i].name, (unsigned long long)x_msrs[i].pattern,
			       (unsigned long long)v, fault);
			return false;
		}
	}
	return true;
}

/* SWAPGS exchanges GS.base with IA32_KERNEL_GS_BASE (interrupts off: GS holds the vCPU id). */
static bool check_swapgs(void)
{
	uint64_t gs = rdmsr(MSR_GS_BASE), a, b;

	wrmsr(MSR_KERNEL_GS, 0xffff888000002000ULL);
	__asm__ volatile("swapgs");
	a = rdmsr(MSR_GS_BASE);
	b = rdmsr(MSR_KERNEL_GS);
	__asm__ volatile("swapgs");
	if (a != 0xffff888000002000ULL || b != gs || rdmsr(MSR_GS_BASE) != gs) {
		g_fail("x86-msr", "SWAPGS: GS.base 0x%llx, KERNEL_GS_BASE 0x%llx",
		       (unsigned long long)a, (unsigned long long)b);
		return false;
	}
	return true;
}

static bool check_syscall(void)
{
	uint64_t efer = rdmsr(MSR_EFER);
	int fault;

	wrmsr(MSR_EFER, efer & ~(uint64_t)EFER_SCE);
	fault = g_x_try(g_x_syscall, 0);
	if (fault != VEC_UD) {
		g_fail("x86-msr", "SYSCALL with EFER.SCE clear: fault %d, not #UD", fault);
		return false;
	}
	wrmsr(MSR_STAR, 0x0010000800000000ULL); /* SYSCALL CS 0x08, SS 0x10 */
	wrmsr(MSR_LSTAR, (uint64_t)(uintptr_t)g_x_sys_entry);
	wrmsr(MSR_SFMASK, RFLAGS_IF);
	wrmsr(MSR_EFER, efer | EFER_SCE);
	__asm__ volatile("sti");
	fault = g_x_try(g_x_syscall, 0);
	__asm__ volatile("cli");
	wrmsr(MSR_EFER, efer);
	if (fault != NOFAULT || g_x_sys_rcx != (uint64_t)(uintptr_t)g_x_syscall_ret ||
	    !(g_x_sys_r11 & RFLAGS_IF) || (g_x_sys_flags & RFLAGS_IF)) {
		g_fail("x86-msr",
		       "SYSCALL: fault %d, RCX 0x%llx, R11 0x%llx, RFLAGS in the entry 0x%llx",
		       fault, (unsigned long long)g_x_sys_rcx, (unsigned long long)g_x_sys_r11,
		       (unsigned long long)g_x_sys_flags);
		return false;
	}
	return true;
}

static void check_msr(void)
{
	__asm__ volatile("cli");
	if (check_msr_values() && check_swapgs() && check_syscall())
		g_pass("x86-msr");
}

/* ---- x86-debug ---- */
static volatile uint64_t g_x_watch;
static volatile unsigned g_x_db_count;
static volatile uint64_t g_x_db_dr6;

void g_x86_on_debug(void)
{
	g_x_db_count++;
	g_x_db_dr6 = read_dr(6);
	write_dr(7, DR7_RESET);
}

static void check_debug(void)
{
	static const uint64_t pat[4] = { 0x1000, 0xffff800000002000ULL, 0x7fffffff3000ULL, 0x4008 };
	int fault;

	if (read_dr(6) != DR6_RESET || read_dr(7) != DR7_RESET) {
		g_fail("x86-debug", "DR6 0x%llx, DR7 0x%llx at start",
		       (unsigned long long)read_dr(6), (unsigned long long)read_dr(7));
		return;
	}
	for (unsigned i = 0; i < 4; i++)
		write_dr(i, pat[i]);
	for (unsigned i = 0; i < 4; i++) {
		if (read_dr(i) != pat[i]) {
			g_fail("x86-debug", "DR%u reads 0x%llx, wrote 0x%llx", i,
			       (unsigned long long)read_dr(i), (unsigned long long)pat[i]);
			return;
		}
	}
	/* CR4.DE is clear: DR4 and DR5 are DR6 and DR7 */
	if (read_dr(4) != read_dr(6) || read_dr(5) != read_dr(7)) {
		g_fail("x86-debug", "DR4/DR5 do not alias DR6/DR7");
		return;
	}
	fault = g_x_try(g_x_set_dr7, 1ULL << 32);
	if (fault != VEC_GP || read_dr(7) != DR7_RESET) {
		g_fail("x86-debug", "DR7 bit 32 set: fault %d, DR7 0x%llx", fault,
		       (unsigned long long)read_dr(7));
		return;
	}
	/* A write breakpoint on g_x_watch: the #DB handler counts it and disarms DR7. */
	write_dr(0, (uint64_t)(uintptr_t)&g_x_watch);
	write_dr(6, DR6_RESET);
	write_dr(7, DR7_RESET | 0x1u | 1u << 16 | 3u << 18);
	g_x_watch = 1;
	write_dr(7, DR7_RESET);
	if (g_x_db_count != 1 || !(g_x_db_dr6 & 1)) {
		g_fail("x86-debug", "data breakpoint: %u #DB, DR6 0x%llx", g_x_db_count,
		       (unsigned long long)g_x_db_dr6);
		return;
	}
	for (unsigned i = 0; i < 4; i++)
		write_dr(i, 0);
	write_dr(6, DR6_RESET);
	g_pass("x86-debug");
}

/* ---- x86-insn ---- */
static void check_insn(void)
{
	static const struct {
		const char *name;
		g_x_fn fn;
		int fault;
	} insns[] = {
		{ "INVEPT", g_x_invept, VEC_UD },   { "INVVPID", g_x_invvpid, VEC_UD },
		{ "VMXON", g_x_vmxon, VEC_UD },	    { "GETSEC", g_x_getsec, VEC_UD },
		{ "MONITOR", g_x_monitor, VEC_UD }, { "MWAIT", g_x_mwait, VEC_UD },
		{ "XSETBV", g_x_xsetbv, VEC_UD },   { "RDPMC", g_x_rdpmc, VEC_GP },
		{ "INVD", g_x_invd, NOFAULT },
	};

	for (unsigned i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		int fault = g_x_try(insns[i].fn, 0);

		if (fault != insns[i].fault) {
			g_fail("x86-insn", "%s: fault %d, expected %d", insns[i].name, fault,
			       insns[i].fault);
			return;
		}
	}
	g_printf("x86-insn: INVEPT INVVPID VMXON GETSEC MONITOR MWAIT XSETBV #UD, RDPMC #GP, "
		 "INVD done\n");
	g_pass("x86-insn");
}

/* ---- x86-cpuid ---- */
/* An instruction works exactly when CPUID offers it. */
static bool offered_works(const char *name, bool offered, g_x_fn fn)
{
	int fault = g_x_try(fn, 0);

	if (offered ? fault == NOFAULT : fault == VEC_UD)
		return true;
	g_fail("x86-cpuid", "%s %s by CPUID, fault %d", name, offered ? "offered" : "hidden",
	       fault);
	return false;
}

static bool cr4_refused(const char *name, uint64_t bit)
{
	uint64_t cr4 = read_cr4();
	int fault = g_x_try(g_x_set_cr4, cr4 | bit);

	if (fault == VEC_GP && read_cr4() == cr4)
		return true;
	g_fail("x86-cpuid", "CR4.%s (hidden feature): fault %d, CR4 0x%llx", name, fault,
	       (unsigned long long)read_cr4());
	g_x_try(g_x_set_cr4, cr4);
	return false;
}

static void check_cpuid(void)
{
	uint32_t l1[4], l5[4], l7[4], l81[4], lb[4];

	cpuid(1, l1);
	cpuid(5, l5);
	cpuid_sub(7, 0, l7);
	cpuid(0x80000001u, l81);
	cpuid_sub(0xb, 1, lb);
	if (l1[2] & (1u << 3) || (l5[0] | l5[1] | l5[2] | l5[3])) {
		g_fail("x86-cpuid", "MONITOR/MWAIT offered (leaf 1 ECX 0x%x, leaf 5 EAX 0x%x)",
		       l1[2], l5[0]);
		return;
	}
	if (l1[2] & (1u << 26) || l7[2] & (1u << 3)) {
		g_fail("x86-cpuid", "XSAVE or PKU offered");
		return;
	}
	if (lb[1] != 2) {
		g_fail("x86-cpuid", "leaf 0xb: %u logical processors in the package, the VM has 2",
		       lb[1]);
		return;
	}
	(void)try_wrmsr(MSR_TSC_AUX, 0);
	if (!offered_works("RDTSCP", l81[3] & (1u << 27), g_x_rdtscp) ||
	    !offered_works("RDPID", l7[2] & (1u << 22), g_x_rdpid) ||
	    !offered_works("INVPCID", l7[1] & (1u << 10), g_x_invpcid) ||
	    !cr4_refused("OSXSAVE", CR4_OSXSAVE) || !cr4_refused("PKE", CR4_PKE))
		return;
	g_printf("x86-cpuid: RDTSCP %s, RDPID %s, INVPCID %s; MONITOR, XSAVE, PKU hidden\n",
		 l81[3] & (1u << 27) ? "works" : "hidden", l7[2] & (1u << 22) ? "works" : "hidden",
		 l7[1] & (1u << 10) ? "works" : "hidden");
	g_pass("x86-cpuid");
}

void g_arch_checks(void)
{
	check_cr8();
	check_msr();
	check_debug();
	check_insn();
	check_cpuid();
}

/* ---- the state vCPU 1 finds, and what "bad" leaves behind ---- */
static volatile bool g_x_ap_done;
static char g_x_ap_why[96];

static uint32_t read_mxcsr(void)
{
	uint32_t v;

	__asm__ volatile("stmxcsr %0" : "=m"(v));
	return v;
}

void g_x86_plant(void)
{
	uint64_t gs = rdmsr(MSR_GS_BASE);
	uint32_t mxcsr = PLANT_MXCSR;

	/* CR8 first: on a hypervisor that let it reach the real TPR, the physical CPU would take
	 * no interrupt from here on, whatever stops this VM. */
	g_x_set_cr8(PLANT_CR8);
	__asm__ volatile("ldmxcsr %0" : : "m"(mxcsr));
	/* IA32_KERNEL_GS_BASE by SWAPGS, the others by WRMSR. */
	wrmsr(MSR_GS_BASE, x_msrs[4].plant);
	__asm__ volatile("swapgs");
	wrmsr(MSR_GS_BASE, gs);
	for (unsigned i = 0; i < X_MSRS; i++)
		if (x_msrs[i].msr != MSR_KERNEL_GS && x_msr_offered(i))
			wrmsr(x_msrs[i].msr, x_msrs[i].plant);
	for (unsigned i = 0; i < 4; i++)
		write_dr(i, PLANT_DR(i));
	write_dr(6, PLANT_DR6);
	write_dr(7, PLANT_DR7);
	g_printf("bad guest: left CR8 %llu, KERNEL_GS_BASE 0x%llx, DR7 0x%llx behind\n",
		 (unsigned long long)read_cr8(), (unsigned long long)rdmsr(MSR_KERNEL_GS),
		 (unsigned long long)read_dr(7));
}

void g_x86_ap_record(void)
{
	static const uint64_t dr_reset[8] = { 0, 0, 0, 0, 0, 0, DR6_RESET, DR7_RESET };
	const char *bad = NULL;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < X_MSRS && !bad; i++)
		if (x_msr_offered(i) &&
		    (try_rdmsr(x_msrs[i].msr, &v) != NOFAULT || v != x_msrs[i].reset))
			bad = x_msrs[i].name;
	for (unsigned n = 0; n < 8 && !bad; n++)
		if (n != 4 && n != 5 && (v = read_dr(n)) != dr_reset[n])
			bad = "a debug register";
	if (!bad && (v = read_cr8()) != 0)
		bad = "CR8";
	if (!bad && (v = read_mxcsr()) != MXCSR_RESET)
		bad = "MXCSR";
	if (bad)
		pv_snprintf(g_x_ap_why, sizeof(g_x_ap_why), "vCPU 1 found %s = 0x%llx", bad,
			    (unsigned long long)v);
	g_x_ap_done = true;
}

void g_x86_ap_report(void)
{
	if (!g_x_ap_done)
		g_fail("x86-state", "vCPU 1 did not record its state");
	else if (g_x_ap_why[0])
		g_fail("x86-state", "%s", g_x_ap_why);
	else
		g_pass("x86-state");
}
