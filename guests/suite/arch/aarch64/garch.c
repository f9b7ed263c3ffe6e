// SPDX-License-Identifier: MIT
/*
 * The guest suite's aarch64 layer: PL011 console, HVC hypercalls, PSCI through SMC, the virtual
 * timer and SGIs through the GICv3 the hypervisor emulates (distributor and redistributors as
 * MMIO, the CPU interface as system registers).
 */
#include <devices/testdev.h>
#include <guest/garch.h>

#include "glayer.h"

#define G_PSCI_CPU_ON  0xc4000003ULL
#define G_PSCI_CPU_OFF 0x84000002ULL
#define G_HC_FID       0xc6000000ULL

const struct g_layout g_layout = {
	.ram_base = CONFIG_GUEST_RAM_BASE,
	.ram_size = CONFIG_GUEST_RAM_SIZE,
	.testdev_base = G_TESTDEV,
	.console_addr = G_UART,
	.console_space = G_SPACE_MMIO,
	.host_ram_base = 0x40000000ULL, /* QEMU virt RAM, 2 GiB as run.sh starts it */
	.host_ram_size = 0x80000000ULL,
	/* The host's ITS: a guest reaching it could send any LPI to any physical CPU. */
	.hv_irqchip_name = "the host's GICv3 ITS (GITS_CTLR, GITS_TRANSLATER)",
	/* Past the guest's two emulated redistributors: where the host's third one sits. */
	.hv_irqchip_addr = G_GICR + 2 * 0x20000ULL,
	.hc_err_unknown = -1, /* SMCCC NOT_SUPPORTED */
	/* vms/passthru-bench.dts: QEMU's own disk on its last virtio-mmio transport, passed
	 * through at its host address with SPI 16; the hypervisor's virtio-blk, SPI 17. */
	.vblk = { { 0x0a003e00ULL, 16 }, { 0x0a000000ULL, 17 } },
};

volatile uint64_t g_probe_resume;
volatile uint32_t g_probe_faulted;

bool g_probe(unsigned kind, uint64_t addr);
void g_gic_cpu_init(void);
void g_irq(uint64_t now);
void g_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
	__attribute__((noreturn));

void g_putc(char c)
{
	/* Wait while the transmit FIFO is full (UARTFR.TXFF), as a driver would. */
	while (g_r32(G_UART + 0x18) & 0x20u)
		;
	g_w32(G_UART, (uint8_t)c);
}

int g_getc(void)
{
	if (g_r32(G_UART + 0x18) & 0x10u) /* UARTFR.RXFE */
		return -1;
	return (int)(g_r32(G_UART) & 0xffu);
}

/* The PL011's receive and receive-timeout interrupts, SPI 1 enabled at the distributor (routed to
 * vCPU 0 by default, group 1). */
bool g_input_irq_on(void)
{
	g_w32(G_UART + 0x2c, 0x70u);  /* LCR_H: 8 bits, FIFOs on */
	g_w32(G_UART + 0x30, 0x301u); /* CR: UART, transmit and receive on */
	g_w32(G_UART + 0x38, 0x50u);  /* IMSC: RX and RT */
	g_w32(G_GICD + 0x80 + 4 * (G_IRQ_UART / 32), 1u << (G_IRQ_UART % 32)); /* group 1 */
	*(volatile uint8_t *)(uintptr_t)(G_GICD + 0x400 + G_IRQ_UART) = 0x80;
	g_w32(G_GICD + 0x100 + 4 * (G_IRQ_UART / 32), 1u << (G_IRQ_UART % 32)); /* enable */
	return true;
}

int64_t g_hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	register uint64_t x0 __asm__("x0") = G_HC_FID | nr;
	register uint64_t x1 __asm__("x1") = a0;
	register uint64_t x2 __asm__("x2") = a1;
	register uint64_t x3 __asm__("x3") = a2;

	__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	*value = x1;
	return (int64_t)x0;
}

int64_t g_hcall_noop(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	register uint64_t x0 __asm__("x0") = G_HC_FID | nr;
	register uint64_t x1 __asm__("x1") = a0;
	register uint64_t x2 __asm__("x2") = a1;
	register uint64_t x3 __asm__("x3") = a2;

	__asm__ volatile("nop" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	*value = x1;
	return (int64_t)x0;
}

static int64_t g_smc(uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (int64_t)x0;
}

static void g_put_str(char *buf, size_t len, size_t *at, const char *s)
{
	while (*s && *at + 1 < len)
		buf[(*at)++] = *s++;
	buf[*at] = '\0';
}

static void g_put_hex(char *buf, size_t len, size_t *at, uint64_t v)
{
	char digits[19] = "0x";
	unsigned n = 0;

	for (int shift = 60; shift >= 0; shift -= 4) {
		unsigned d = (unsigned)(v >> shift) & 15u;
		if (d || n || shift == 0)
			digits[2 + n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
	}
	digits[2 + n] = '\0';
	g_put_str(buf, len, at, digits);
}

bool g_privilege(char *why, size_t len)
{
	uint64_t el = G_SYSREG_READ(CurrentEL) >> 2 & 3u;
	uint64_t mpidr = G_SYSREG_READ(mpidr_el1);
	uint64_t version = 0;
	bool hyp = g_hcall(0, 0, 0, 0, &version) == 0;
	size_t at = 0;

	/* EL1 below an EL2 that answers HVC, with the MPIDR the hypervisor chose for this vCPU. */
	g_put_str(why, len, &at, el == 1 ? "CurrentEL EL1" : "CurrentEL not EL1");
	g_put_str(why, len, &at, ", HVC answered by EL2 (ABI ");
	g_put_hex(why, len, &at, version);
	g_put_str(why, len, &at, "), MPIDR ");
	g_put_hex(why, len, &at, mpidr);
	g_put_str(why, len, &at, " from VMPIDR_EL2");
	return el == 1 && hyp;
}

uint64_t g_load(uint64_t addr, unsigned width, bool sign)
{
	uint64_t v = 0;
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (width) {
	case 1:
		if (sign)
			__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(p) : "memory");
		else
			__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
		break;
	case 2:
		if (sign)
			__asm__ volatile("ldrsh %0, [%1]" : "=r"(v) : "r"(p) : "memory");
		else
			__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
		break;
	case 4:
		if (sign)
			__asm__ volatile("ldrsw %0, [%1]" : "=r"(v) : "r"(p) : "memory");
		else
			__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(p) : "memory");
		break;
	default:
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(p) : "memory");
		break;
	}
	return v;
}

void g_store(uint64_t addr, unsigned width, uint64_t value)
{
	volatile void *p = (volatile void *)(uintptr_t)addr;

	switch (width) {
	case 1:
		__asm__ volatile("strb %w0, [%1]" : : "r"(value), "r"(p) : "memory");
		break;
	case 2:
		__asm__ volatile("strh %w0, [%1]" : : "r"(value), "r"(p) : "memory");
		break;
	case 4:
		__asm__ volatile("str %w0, [%1]" : : "r"(value), "r"(p) : "memory");
		break;
	default:
		__asm__ volatile("str %0, [%1]" : : "r"(value), "r"(p) : "memory");
		break;
	}
}

uint64_t g_counter(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntvct_el0" : "=r"(v) : : "memory");
	return v;
}

uint64_t g_counter_freq(void)
{
	return G_SYSREG_READ(cntfrq_el0);
}

void g_irq_on(void)
{
	__asm__ volatile("msr daifclr, #2" : : : "memory");
}

void g_irq_off(void)
{
	__asm__ volatile("msr daifset, #2" : : : "memory");
}

void g_wait_for_irq(void)
{
	__asm__ volatile("dsb sy\n\twfi" : : : "memory");
}

void g_timer_arm(uint64_t deadline)
{
	if (!deadline) {
		G_SYSREG_WRITE(cntv_ctl_el0, 0);
	} else {
		G_SYSREG_WRITE(cntv_cval_el0, deadline);
		G_SYSREG_WRITE(cntv_ctl_el0, 1);
	}
	__asm__ volatile("isb" : : : "memory");
}

unsigned g_cpu_id(void)
{
	return (unsigned)(G_SYSREG_READ(mpidr_el1) & 0xffu);
}

extern char g_secondary_entry[];

int g_cpu_start(unsigned cpu, void (*entry)(void))
{
	return (int)g_smc(G_PSCI_CPU_ON, cpu, (uintptr_t)g_secondary_entry, (uintptr_t)entry);
}

void g_cpu_stop(void)
{
	g_irq_off();
	(void)g_smc(G_PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		g_wait_for_irq();
}

void g_ipi_send(unsigned cpu)
{
	/* ICC_SGI1R_EL1: INTID in bits 27:24, target list bit = Aff0 (Aff1..3 zero). */
	__asm__ volatile("dsb ishst" : : : "memory");
	G_SYSREG_WRITE(S3_0_C12_C11_5, ((uint64_t)G_IRQ_IPI << 24) | (1ULL << (cpu & 15u)));
	__asm__ volatile("isb" : : : "memory");
}

bool g_try_access(enum g_access kind, uint64_t addr)
{
	return g_probe((unsigned)kind, addr);
}

bool g_try_hv_irqchip(void)
{
	return g_probe(G_READ, G_HOST_ITS) || g_probe(G_WRITE, G_HOST_ITS + 0x10040);
}

uint64_t g_atomic_add(volatile uint64_t *p, uint64_t v)
{
	return __atomic_add_fetch(p, v, __ATOMIC_SEQ_CST);
}

uint64_t g_find_redist(void)
{
	uint64_t aff = G_SYSREG_READ(mpidr_el1) & 0xffffffULL;

	for (uint64_t r = G_GICR;; r += 0x20000) {
		uint64_t typer = *(volatile uint64_t *)(uintptr_t)(r + 0x8);
		if (typer >> 32 == aff)
			return r;
		if (typer & 0x10u)
			return 0;
	}
}

void g_gic_cpu_init(void)
{
	uint64_t r = g_find_redist();

	if (g_cpu_id() == 0)
		g_w32(G_GICD, 2u); /* EnableGrp1 (affinity routing is always on) */
	if (r) {
		g_w32(r + 0x14, g_r32(r + 0x14) & ~2u); /* GICR_WAKER: wake up */
		while (g_r32(r + 0x14) & 4u)
			;
		g_w32(r + 0x10000 + 0x80, ~0u); /* every SGI/PPI in group 1 */
		*(volatile uint8_t *)(uintptr_t)(r + 0x10000 + 0x400 + G_IRQ_IPI) = 0x80;
		*(volatile uint8_t *)(uintptr_t)(r + 0x10000 + 0x400 + G_IRQ_TIMER) = 0x80;
		g_w32(r + 0x10000 + 0x100, (1u << G_IRQ_IPI) | (1u << G_IRQ_TIMER));
	}
	G_SYSREG_WRITE(S3_0_C12_C12_5, G_SYSREG_READ(S3_0_C12_C12_5) | 1u); /* ICC_SRE_EL1.SRE */
	__asm__ volatile("isb" : : : "memory");
	G_SYSREG_WRITE(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1 */
	G_SYSREG_WRITE(S3_0_C12_C12_3, 0);  /* ICC_BPR1_EL1 */
	G_SYSREG_WRITE(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1 */
	__asm__ volatile("isb" : : : "memory");
}

bool g_dev_irq_enable(unsigned line)
{
	unsigned intid = 32 + line;

	if (line >= 32)
		return false;
	g_w32(G_GICD + 0x80 + 4 * (intid / 32),
	      g_r32(G_GICD + 0x80 + 4 * (intid / 32)) | 1u << (intid % 32)); /* group 1 */
	*(volatile uint8_t *)(uintptr_t)(G_GICD + 0x400 + intid) = 0x80;
	/* GICD_IROUTER: this vCPU's affinity. */
	*(volatile uint64_t *)(uintptr_t)(G_GICD + 0x6000 + 8 * intid) =
		G_SYSREG_READ(mpidr_el1) & 0xff00ffffffULL;
	g_w32(G_GICD + 0x100 + 4 * (intid / 32), 1u << (intid % 32)); /* ISENABLER */
	return true;
}

void g_irq(uint64_t now)
{
	for (;;) {
		uint64_t iar = G_SYSREG_READ(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
		unsigned intid = (unsigned)(iar & 0xffffffu);

		if (intid >= 1020)
			return;
		if (intid == G_IRQ_TIMER)
			g_on_timer(now);
		else if (intid == G_IRQ_IPI)
			g_on_ipi();
		else if (intid >= 32)
			g_on_dev_irq(intid - 32, now);
		G_SYSREG_WRITE(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1: drop and deactivate */
		/* A further interrupt taken in this loop entered the handler only now. */
		now = g_counter();
	}
}

static void g_hex_out(uint64_t v)
{
	char buf[24];
	size_t at = 0;

	g_put_hex(buf, sizeof(buf), &at, v);
	for (const char *s = buf; *s; s++)
		g_putc(*s);
}

void g_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	static const char msg[] = "FAIL guest: unexpected exception, vector ";
	uint64_t ignored;

	for (const char *s = msg; *s; s++)
		g_putc(*s);
	g_hex_out(vector);
	g_putc(' ');
	g_hex_out(esr);
	g_putc(' ');
	g_hex_out(elr);
	g_putc(' ');
	g_hex_out(far);
	g_putc('\n');
	g_hcall(2, 0xdead, 0, 0, &ignored);
	for (;;)
		g_wait_for_irq();
}
