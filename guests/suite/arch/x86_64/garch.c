// SPDX-License-Identifier: MIT
/*
 * The guest suite's x86_64 layer (garch.h): VMCALL hypercalls, COM1 console by port I/O, x2APIC
 * timer (TSC-deadline mode) and IPIs through MSRs, vCPU start with INIT-SIPI-SIPI through the
 * x2APIC's ICR (real-mode trampoline in entry.S, copied to the start-up page below 1 MiB), #GP
 * recovery for the isolation probes.
 */
#include <devices/testdev.h>
#include <guest/garch.h>
#include <pv/fmt.h>
#include <vm/hypercall.h>

#include "../../suite.h"
#include "x86_guest.h"

#define COM1		 0x3f8u
#define TESTDEV_GPA	 0xf0000000ULL
#define LAPIC_MMIO	 0xfee00000ULL
#define HOST_RAM_SIZE	 0x20000000ULL /* the board's 512 MiB */
#define VEC_IPI		 0x41u
#define VEC_SPURIOUS	 0xffu
#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_X2APIC_EOI	 0x80bu
#define MSR_X2APIC_ICR	 0x830u
#define MSR_X2APIC_LVT_T 0x832u
#define LVT_TSC_DEADLINE (2u << 17)
#define CPUID_HV_BASE	 0x40000000u
#define CPUID_HV_TIMING	 0x40000010u
#define RFLAGS_IF	 (1u << 9)
#define MAX_CPUS	 2
/* The start-up page: guest RAM below 1 MiB (the board's second RAM region, 0x8000-0x17fff). A
 * Start-Up IPI with vector V starts a vCPU at V << 12; entry.S's SIPI_BASE matches. */
#define G_SIPI_PAGE	 0x8000u
#define ICR_INIT	 (5u << 8)
#define ICR_STARTUP	 (6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)

const struct g_layout g_layout = {
	.ram_base = CONFIG_GUEST_RAM_BASE,
	.ram_size = CONFIG_GUEST_RAM_SIZE,
	.testdev_base = TESTDEV_GPA,
	.console_addr = COM1,
	.console_space = G_SPACE_PORT,
	.host_ram_base = 0,
	.host_ram_size = HOST_RAM_SIZE,
	.hv_irqchip_name = "the xAPIC page at 0xfee00000",
	.hv_irqchip_addr = LAPIC_MMIO,
	.hc_err_unknown = PV_HC_ENOSYS,
};

/* What the stubs in entry.S push, lowest address first. */
struct g_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8, rdi, rsi, rbp, rbx, rdx, rcx, rax;
	uint64_t vector, error, rip, cs, rflags, rsp, ss;
};

struct g_idt_gate {
	uint16_t off_lo, sel;
	uint8_t ist, type;
	uint16_t off_mid;
	uint32_t off_hi, reserved;
} __attribute__((packed));

struct g_percpu {
	unsigned id;
};

extern char g_stub_0[], g_stub_1[], g_stub_2[], g_stub_3[], g_stub_4[], g_stub_5[], g_stub_6[],
	g_stub_7[], g_stub_8[], g_stub_9[], g_stub_10[], g_stub_11[], g_stub_12[], g_stub_13[],
	g_stub_14[], g_stub_16[], g_stub_17[], g_stub_18[], g_stub_19[], g_stub_20[], g_stub_21[],
	g_stub_0x41[], g_stub_0xff[], g_stub_timer[];
int g_probe(int kind, uint64_t addr);
void g_trap(struct g_frame *f);
void g_boot_main(uint64_t arg);
void g_ap_main(uint64_t cpu);
int g_context_loop(unsigned exits, uint64_t mmio_addr);

volatile uint64_t g_timer_entry_tsc;
volatile uint64_t g_recover_rip, g_recover_rsp;
volatile uint32_t g_recover_vector;
static struct g_idt_gate g_idt[256] __attribute__((aligned(16)));
static struct g_percpu g_cpus[MAX_CPUS];
static void (*volatile g_ap_entry)(void);
static volatile bool g_ap_up;
static uint64_t g_tsc_hz;

static void idt_set(unsigned vector, const char *stub)
{
	uint64_t a = (uint64_t)(uintptr_t)stub;

	g_idt[vector] =
		(struct g_idt_gate){ (uint16_t)a,	  0x08, 0, 0x8e, (uint16_t)(a >> 16),
				     (uint32_t)(a >> 32), 0 };
}

static void idt_build(void)
{
	static char *const exc[22] = { g_stub_0,  g_stub_1,  g_stub_2,	g_stub_3,  g_stub_4,
				       g_stub_5,  g_stub_6,  g_stub_7,	g_stub_8,  g_stub_9,
				       g_stub_10, g_stub_11, g_stub_12, g_stub_13, g_stub_14,
				       NULL,	  g_stub_16, g_stub_17, g_stub_18, g_stub_19,
				       g_stub_20, g_stub_21 };

	for (unsigned v = 0; v < 22; v++)
		if (exc[v])
			idt_set(v, exc[v]);
	idt_set(VEC_TIMER, g_stub_timer);
	idt_set(VEC_IPI, g_stub_0x41);
	idt_set(VEC_SPURIOUS, g_stub_0xff);
}

/* Per vCPU: IDT, its id behind GS, the local APIC on with the timer in TSC-deadline mode. */
static void cpu_init(unsigned id)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr = { sizeof(g_idt) - 1, (uint64_t)(uintptr_t)g_idt };

	__asm__ volatile("lidt %0" : : "m"(idtr));
	g_cpus[id].id = id;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)&g_cpus[id]);
	wrmsr(MSR_X2APIC_SVR, 0x100u | VEC_SPURIOUS);
	wrmsr(MSR_X2APIC_LVT_T, LVT_TSC_DEADLINE | VEC_TIMER);
}

void g_boot_main(uint64_t arg)
{
	idt_build();
	cpu_init(0);
	if (arg == G_MODE_BAD)
		g_x86_plant();
	g_main(arg);
}

void g_ap_main(uint64_t cpu)
{
	cpu_init((unsigned)cpu);
	g_x86_ap_record();
	g_ap_up = true;
	g_ap_entry();
	g_cpu_stop();
}

static void eoi(void)
{
	wrmsr(MSR_X2APIC_EOI, 0);
}

void g_trap(struct g_frame *f)
{
	switch (f->vector) {
	case VEC_TIMER:
		eoi();
		g_on_timer(g_timer_entry_tsc);
		return;
	case VEC_IPI:
		eoi();
		g_on_ipi();
		return;
	case VEC_SPURIOUS:
		return;
	case 1:
		g_x86_on_debug();
		return;
	case 6:
	case 13:
	case 14:
		if (g_recover_rip) {
			f->rip = g_recover_rip;
			f->rsp = g_recover_rsp;
			g_recover_rip = 0;
			g_recover_vector = (uint32_t)f->vector;
			return;
		}
		break;
	default:
		break;
	}
	g_printf("FAIL guest: exception %llu (error 0x%llx) at rip 0x%llx\n",
		 (unsigned long long)f->vector, (unsigned long long)f->error,
		 (unsigned long long)f->rip);
	g_hcall(PV_HC_VM_STOP, 99, 0, 0, NULL);
	for (;;)
		__asm__ volatile("cli; hlt");
}

void g_putc(char c)
{
	__asm__ volatile("outb %0, %1" : : "a"((uint8_t)c), "Nd"((uint16_t)COM1) : "memory");
}

static uint8_t g_inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port) : "memory");
	return v;
}

int g_getc(void)
{
	if (!(g_inb(COM1 + 5) & 0x01u)) /* LSR.DR */
		return -1;
	return g_inb(COM1);
}

bool g_input_irq_on(void)
{
	return false; /* the layer does not take external interrupts: it polls */
}

int64_t g_hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	uint64_t ret, val;

	__asm__ volatile("vmcall"
			 : "=a"(ret), "=d"(val)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
			 : "rcx", "r8", "r9", "memory");
	if (value)
		*value = val;
	return (int64_t)ret;
}

int64_t g_hcall_noop(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	uint64_t ret, val;

	/* Three bytes, as long as VMCALL. */
	__asm__ volatile("nopl (%%rax)"
			 : "=a"(ret), "=d"(val)
			 : "a"(nr), "D"(a0), "S"(a1), "d"(a2)
			 : "rcx", "r8", "r9", "memory");
	if (value)
		*value = val;
	return (int64_t)ret;
}

bool g_privilege(char *why, size_t len)
{
	uint32_t r[4];
	uint64_t v = 0;
	char sig[13];

	cpuid(1, r);
	if (!(r[2] & (1u << 31))) {
		pv_snprintf(why, len, "CPUID.1:ECX.hypervisor is clear");
		return false;
	}
	cpuid(CPUID_HV_BASE, r);
	for (unsigned i = 0; i < 12; i++)
		sig[i] = (char)(r[1 + i / 4] >> (8 * (i % 4)));
	sig[12] = '\0';
	/* On bare metal VMCALL raises #UD; only VMX non-root operation turns it into an exit. */
	if (g_hcall(PV_HC_VERSION, 0, 0, 0, &v) != 0 || v != PV_HC_ABI_VERSION) {
		pv_snprintf(why, len, "VMCALL did not reach the hypervisor");
		return false;
	}
	pv_snprintf(why, len, "VMX non-root: CPUID hypervisor bit, leaf 0x40000000 '%s', VMCALL",
		    sig);
	return true;
}

uint64_t g_load(uint64_t addr, unsigned width, bool sign)
{
	uint64_t v;
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (width) {
	case 1:
		if (sign)
			__asm__ volatile("movsbq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		else
			__asm__ volatile("movzbq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		return v;
	case 2:
		if (sign)
			__asm__ volatile("movswq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		else
			__asm__ volatile("movzwq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		return v;
	case 4:
		if (sign) {
			__asm__ volatile("movslq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		} else {
			uint32_t w;
			__asm__ volatile("movl (%1), %0" : "=r"(w) : "r"(p) : "memory");
			v = w;
		}
		return v;
	default:
		__asm__ volatile("movq (%1), %0" : "=r"(v) : "r"(p) : "memory");
		return v;
	}
}

void g_store(uint64_t addr, unsigned width, uint64_t value)
{
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (width) {
	case 1:
		__asm__ volatile("movb %b0, (%1)" : : "q"(value), "r"(p) : "memory");
		break;
	case 2:
		__asm__ volatile("movw %w0, (%1)" : : "r"(value), "r"(p) : "memory");
		break;
	case 4:
		__asm__ volatile("movl %k0, (%1)" : : "r"(value), "r"(p) : "memory");
		break;
	default:
		__asm__ volatile("movq %0, (%1)" : : "r"(value), "r"(p) : "memory");
		break;
	}
}

uint64_t g_counter(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

uint64_t g_counter_freq(void)
{
	if (!g_tsc_hz) {
		uint32_t r[4];
		cpuid(CPUID_HV_TIMING, r);
		g_tsc_hz = (uint64_t)r[0] * 1000u;
	}
	return g_tsc_hz;
}

void g_irq_on(void)
{
	__asm__ volatile("sti" : : : "memory");
}

void g_irq_off(void)
{
	__asm__ volatile("cli" : : : "memory");
}

void g_wait_for_irq(void)
{
	uint64_t flags;

	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	/* With interrupts masked, STI's one-instruction shadow keeps a pending one from being
	 * taken before HLT starts, so it ends HLT instead of being missed. */
	if (flags & RFLAGS_IF)
		__asm__ volatile("hlt" : : : "memory");
	else
		__asm__ volatile("sti; hlt; cli" : : : "memory");
}

void g_timer_arm(uint64_t deadline)
{
	wrmsr(MSR_TSC_DEADLINE, deadline);
}

unsigned g_cpu_id(void)
{
	unsigned id;

	__asm__ volatile("movl %%gs:0, %0" : "=r"(id));
	return id;
}

/* INIT-SIPI-SIPI (SDM vol. 3, "MP Initialization"): INIT puts the vCPU in wait-for-SIPI, the
 * first Start-Up IPI starts it at the trampoline, the second one finds it running and is ignored
 * (it is there for processors that missed the first). The SDM's delays (10 ms after INIT, 200 us
 * between the SIPIs) are for physical processors; the hypervisor acts on each ICR write before
 * the WRMSR completes, so none is needed. Returns once the vCPU reached C, or -2 after 1 s. */
int g_cpu_start(unsigned cpu, void (*entry)(void))
{
	extern const char g_sipi_start[];
	extern const uint32_t g_sipi_info[3]; /* size, offsets of the recorded CS and CR0 */
	volatile char *page = (volatile char *)(uintptr_t)G_SIPI_PAGE;
	uint64_t dest = (uint64_t)cpu << 32, limit;
	uint16_t cs;
	uint32_t cr0;

	if (cpu == 0 || cpu >= MAX_CPUS)
		return -1;
	g_ap_entry = entry;
	g_ap_up = false;
	for (uint32_t i = 0; i < g_sipi_info[0]; i++)
		page[i] = g_sipi_start[i];
	wrmsr(MSR_X2APIC_ICR, dest | ICR_INIT | ICR_LEVEL_ASSERT);
	wrmsr(MSR_X2APIC_ICR, dest | ICR_STARTUP | (G_SIPI_PAGE >> 12));
	wrmsr(MSR_X2APIC_ICR, dest | ICR_STARTUP | (G_SIPI_PAGE >> 12));
	limit = g_counter() + g_counter_freq();
	while (!g_ap_up)
		if (g_counter() > limit)
			return -2;
	cs = *(volatile uint16_t *)(uintptr_t)(G_SIPI_PAGE + g_sipi_info[1]);
	cr0 = *(volatile uint32_t *)(uintptr_t)(G_SIPI_PAGE + g_sipi_info[2]);
	g_printf("smp: vCPU %u started by INIT-SIPI-SIPI, vector 0x%02x: real mode at CS 0x%04x, "
		 "CR0 "
		 "0x%x\n",
		 cpu, G_SIPI_PAGE >> 12, cs, cr0);
	g_x86_ap_report();
	return 0;
}

void g_cpu_stop(void)
{
	/* x86 has no architectural "CPU off": the vCPU idles with interrupts masked until the VM
	 * stops. */
	for (;;)
		__asm__ volatile("cli; hlt" : : : "memory");
}

void g_ipi_send(unsigned cpu)
{
	wrmsr(MSR_X2APIC_ICR, (uint64_t)cpu << 32 | VEC_IPI);
}

bool g_try_access(enum g_access kind, uint64_t addr)
{
	return g_probe((int)kind, addr) != 0;
}

bool g_try_hv_irqchip(void)
{
	/* The local APIC's version register in the xAPIC page. */
	return g_probe(G_READ, LAPIC_MMIO + 0x30) != 0;
}

int g_context_check(unsigned exits)
{
	return g_context_loop(exits, g_layout.testdev_base + TESTDEV_REG_ID);
}

uint64_t g_atomic_add(volatile uint64_t *p, uint64_t v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}
