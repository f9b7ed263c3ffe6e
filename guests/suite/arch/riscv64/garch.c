// SPDX-License-Identifier: MIT
/*
 * The guest suite's riscv64 layer: a VS-mode guest with satp off. Console: the emulated NS16550;
 * hypercalls: the Polyvisor SBI extension; timer: stimecmp (Sstc, virtualised as vstimecmp) or
 * SBI set_timer; CPUs and IPIs: SBI HSM and IPI.
 */
#include <devices/testdev.h>
#include <guest/garch.h>
#include <pv/fmt.h>
#include <vm/hypercall.h>

#include "glayer.h"
#include "suite.h"

/* Where the board puts the guest's devices (platforms/qemu-virt-riscv64/vms.c). */
#define G_UART_BASE	0x10000000ULL
#define G_TESTDEV_BASE	0x10001000ULL
#define G_HOST_RAM_BASE 0x80000000ULL
#define G_HOST_RAM_SIZE 0x80000000ULL /* the board runs with 2 GiB */
#define G_TIMEBASE_HZ	10000000ULL   /* QEMU virt's timebase-frequency */

#define SBI_EXT_TIME	  0x54494d45
#define SBI_EXT_IPI	  0x735049
#define SBI_EXT_HSM	  0x48534d
#define SBI_EXT_BASE	  0x10
#define SBI_EXT_POLYVISOR 0x0a005056
#define SBI_ERR_NOT_SUPP  (-2)

#define UART_LSR_THRE 0x20

#define G_VPLIC_BASE	     CONFIG_RISCV_GUEST_PLIC_BASE
#define G_VPLIC_ENABLE(c, s) (G_VPLIC_BASE + 0x2000 + 0x80 * (c) + 4 * ((s) / 32))
#define G_VPLIC_THRESHOLD(c) (G_VPLIC_BASE + 0x200000 + 0x1000 * (c))
#define G_VPLIC_CLAIM(c)     (G_VPLIC_THRESHOLD(c) + 4)
/* Hart n's supervisor-level context: 2n + 1, as on QEMU's virt board (devices/vplic.h). */
#define G_VPLIC_S_CTX(n) (2u * (n) + 1u)
#define G_SIE_SEIE	 (1u << 9)
#define G_IRQ_UART	 10u /* the NS16550's line in the console descriptions */

const struct g_layout g_layout = {
	.ram_base = CONFIG_GUEST_RAM_BASE,
	.ram_size = CONFIG_GUEST_RAM_SIZE,
	.testdev_base = G_TESTDEV_BASE,
	.console_addr = G_UART_BASE,
	.console_space = G_SPACE_MMIO,
	.host_ram_base = G_HOST_RAM_BASE,
	.host_ram_size = G_HOST_RAM_SIZE,
	.hv_irqchip_name = "hvip/hgatp",
	.hv_irqchip_addr = 0,
	/* vms/vblk-passthru.dts: QEMU's own disk on its last virtio-mmio transport, passed
	 * through at its host address with PLIC source 8; the hypervisor's virtio-blk, source 2. */
	.vblk = { { 0x10008000ULL, 8 }, { 0x10002000ULL, 2 } },
	.hc_err_unknown = SBI_ERR_NOT_SUPP,
};

volatile uint64_t g_recover;
volatile uint64_t g_fault_cause, g_fault_tval;
bool g_sstc, g_senvcfg;

/* start.S */
void g_secondary_start(void);
int g_probe_load(uint64_t addr);
int g_probe_store(uint64_t addr);
int g_probe_exec(uint64_t addr);
int g_probe_hvip(void);
int g_probe_hgatp(void);
int g_probe_stimecmp(void);
int g_probe_senvcfg(void);
/* Called from start.S only. */
void g_trap(void);
void g_arch_main(uint64_t boot_arg) __attribute__((noreturn));

struct g_sbiret {
	int64_t error;
	uint64_t value;
};

static struct g_sbiret g_sbi(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = fid;
	register uint64_t r7 __asm__("a7") = ext;

	__asm__ __volatile__("ecall" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	return (struct g_sbiret){ (int64_t)r0, r1 };
}

#define g_csr_read(csr, out) __asm__ __volatile__("csrr %0, " #csr : "=r"(out) : : "memory")
#define g_csr_write(csr, v)  __asm__ __volatile__("csrw " #csr ", %0" : : "r"(v) : "memory")

void g_putc(char c)
{
	volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)G_UART_BASE;

	if (c == '\n')
		g_putc('\r');
	while (!(uart[5] & UART_LSR_THRE))
		;
	uart[0] = (uint8_t)c;
}

/* The UART interrupt g_ext_irq claimed and left uncompleted: its level stays up until the byte is
 * read, so completing it earlier would only bring it back at once. */
static volatile uint32_t g_uart_claimed;

int g_getc(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)G_UART_BASE;
	int c = -1;

	if (uart[5] & 0x01u) /* LSR.DR */
		c = uart[0];
	if (g_uart_claimed) {
		g_store(G_VPLIC_CLAIM(G_VPLIC_S_CTX(g_cpu_id())), 4, g_uart_claimed); /* complete */
		g_uart_claimed = 0;
	}
	return c;
}

/* The NS16550's received-data interrupt, its vPLIC source enabled for this vCPU's context: a
 * typed byte ends g_wait_for_irq. */
bool g_input_irq_on(void)
{
	volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)G_UART_BASE;

	uart[2] = 0x01u; /* FCR: FIFOs on */
	uart[1] = 0x01u; /* IER: received data available */
	return g_dev_irq_enable(G_IRQ_UART);
}

int64_t g_hcall(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	struct g_sbiret r = g_sbi(SBI_EXT_POLYVISOR, nr, a0, a1, a2);

	*value = r.value;
	return r.error;
}

int64_t g_hcall_noop(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t *value)
{
	register uint64_t r0 __asm__("a0") = a0;
	register uint64_t r1 __asm__("a1") = a1;
	register uint64_t r2 __asm__("a2") = a2;
	register uint64_t r6 __asm__("a6") = nr;
	register uint64_t r7 __asm__("a7") = SBI_EXT_POLYVISOR;

	__asm__ __volatile__("nop" : "+r"(r0), "+r"(r1) : "r"(r2), "r"(r6), "r"(r7) : "memory");
	*value = r1;
	return (int64_t)r0;
}

bool g_privilege(char *why, size_t len)
{
	struct g_sbiret impl = g_sbi(SBI_EXT_BASE, 1, 0, 0, 0);

	/* On bare metal this hart has the H extension and S-mode reads hgatp; in VS-mode the
	 * read is a virtual-instruction exception, which the guest sees as illegal. */
	if (g_probe_hgatp()) {
		pv_snprintf(why, len, "hgatp is readable: running in HS-mode");
		return false;
	}
	pv_snprintf(why, len, "hgatp traps (cause %llu), SBI impl 0x%llx",
		    (unsigned long long)g_fault_cause, (unsigned long long)impl.value);
	return g_fault_cause == 2;
}

uint64_t g_load(uint64_t addr, unsigned width, bool sign)
{
	uint64_t v = 0;

	switch (width * 2 + sign) {
	case 2:
		__asm__ __volatile__("lbu %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 3:
		__asm__ __volatile__("lb %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 4:
		__asm__ __volatile__("lhu %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 5:
		__asm__ __volatile__("lh %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 8:
		__asm__ __volatile__("lwu %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	case 9:
		__asm__ __volatile__("lw %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	default:
		__asm__ __volatile__("ld %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
		break;
	}
	return v;
}

void g_store(uint64_t addr, unsigned width, uint64_t value)
{
	switch (width) {
	case 1:
		__asm__ __volatile__("sb %0, 0(%1)" : : "r"(value), "r"(addr) : "memory");
		break;
	case 2:
		__asm__ __volatile__("sh %0, 0(%1)" : : "r"(value), "r"(addr) : "memory");
		break;
	case 4:
		__asm__ __volatile__("sw %0, 0(%1)" : : "r"(value), "r"(addr) : "memory");
		break;
	default:
		__asm__ __volatile__("sd %0, 0(%1)" : : "r"(value), "r"(addr) : "memory");
		break;
	}
}

uint64_t g_counter(void)
{
	uint64_t t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

uint64_t g_counter_freq(void)
{
	return G_TIMEBASE_HZ;
}

void g_irq_on(void)
{
	__asm__ __volatile__("csrsi sstatus, 2" ::: "memory");
}

void g_irq_off(void)
{
	__asm__ __volatile__("csrci sstatus, 2" ::: "memory");
}

void g_wait_for_irq(void)
{
	__asm__ __volatile__("wfi" ::: "memory");
}

void g_timer_arm(uint64_t deadline)
{
	uint64_t when = deadline ? deadline : UINT64_MAX;

	if (g_sstc)
		g_csr_write(0x14d, when);
	else
		(void)g_sbi(SBI_EXT_TIME, 0, when, 0, 0);
}

unsigned g_cpu_id(void)
{
	uint64_t id;

	__asm__ __volatile__("mv %0, tp" : "=r"(id));
	return (unsigned)id;
}

int g_cpu_start(unsigned cpu, void (*entry)(void))
{
	struct g_sbiret r = g_sbi(SBI_EXT_HSM, 0, cpu, (uint64_t)(uintptr_t)g_secondary_start,
				  (uint64_t)(uintptr_t)entry);
	return (int)r.error;
}

void g_cpu_stop(void)
{
	(void)g_sbi(SBI_EXT_HSM, 1, 0, 0, 0);
	for (;;)
		g_wait_for_irq();
}

long g_cpu_status(unsigned cpu)
{
	struct g_sbiret r = g_sbi(SBI_EXT_HSM, 2, cpu, 0, 0);

	return r.error ? -1 : (long)r.value;
}

void g_ipi_send(unsigned cpu)
{
	(void)g_sbi(SBI_EXT_IPI, 0, 1ULL << cpu, 0, 0);
}

bool g_try_access(enum g_access kind, uint64_t addr)
{
	switch (kind) {
	case G_READ:
		return g_probe_load(addr) != 0;
	case G_WRITE:
		return g_probe_store(addr) != 0;
	default:
		return g_probe_exec(addr) != 0;
	}
}

bool g_try_hv_irqchip(void)
{
	return g_probe_hvip() != 0 || g_probe_hgatp() != 0;
}

uint64_t g_atomic_add(volatile uint64_t *p, uint64_t v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

static void g_stop_unexpected(uint64_t cause, uint64_t tval, uint64_t epc)
{
	uint64_t ignored;

	g_printf("FAIL trap: unexpected exception %llu at pc 0x%llx (tval 0x%llx)\n",
		 (unsigned long long)cause, (unsigned long long)epc, (unsigned long long)tval);
	g_hcall(PV_HC_VM_STOP, 1, 0, 0, &ignored);
	for (;;)
		g_wait_for_irq();
}

bool g_dev_irq_enable(unsigned line)
{
	unsigned ctx = G_VPLIC_S_CTX(g_cpu_id());

	if (line == 0 || line >= 64)
		return false;
	g_store(G_VPLIC_BASE + 4 * line, 4, 1); /* priority 1 */
	g_store(G_VPLIC_ENABLE(ctx, line), 4,
		g_load(G_VPLIC_ENABLE(ctx, line), 4, false) | 1u << (line % 32));
	g_store(G_VPLIC_THRESHOLD(ctx), 4, 0);
	__asm__ __volatile__("csrs sie, %0" : : "r"(G_SIE_SEIE) : "memory");
	return true;
}

/* Supervisor external interrupts: every source the vPLIC has for this vCPU, claimed, handled,
 * completed; the console UART's is completed by g_getc once its byte is read. */
static void g_ext_irq(uint64_t now)
{
	unsigned ctx = G_VPLIC_S_CTX(g_cpu_id());
	uint64_t src;

	while ((src = g_load(G_VPLIC_CLAIM(ctx), 4, false)) != 0) {
		if (src == G_IRQ_UART && g_uart_claimed == 0) {
			g_uart_claimed = G_IRQ_UART; /* g_getc completes it */
			continue;
		}
		g_on_dev_irq((unsigned)src, now);
		g_store(G_VPLIC_CLAIM(ctx), 4, src);
		now = g_counter();
	}
}

void g_trap(void)
{
	uint64_t cause, tval, epc, now = g_counter();

	g_csr_read(scause, cause);
	if (cause >> 63) {
		switch (cause & 0xff) {
		case 5: /* supervisor timer: disarm, then let the suite re-arm */
			g_timer_arm(0);
			g_on_timer(now);
			return;
		case 1: /* supervisor software: an IPI */
			__asm__ __volatile__("csrci sip, 2" ::: "memory");
			g_on_ipi();
			return;
		case 9: /* supervisor external: the vPLIC */
			g_ext_irq(now);
			return;
		default:
			return;
		}
	}
	g_csr_read(stval, tval);
	g_csr_read(sepc, epc);
	if (g_recover) {
		g_fault_cause = cause;
		g_fault_tval = tval;
		g_csr_write(sepc, g_recover);
		return;
	}
	g_stop_unexpected(cause, tval, epc);
}

void g_arch_checks(void)
{
	g_check_xonly_mmio();
	g_check_cpu_state();
}

void g_arch_main(uint64_t boot_arg)
{
	g_sstc = g_probe_stimecmp() != 0;
	g_senvcfg = g_probe_senvcfg() != 0;
	/* The "bad" VM shares its hart with another VM's vCPU: what it leaves behind there is
	 * what that vCPU's cpu-state check must not see. */
	if (boot_arg == G_MODE_BAD)
		g_cpu_state_fill(g_identity_satp());
	g_timer_arm(0);
	g_main(boot_arg);
}
