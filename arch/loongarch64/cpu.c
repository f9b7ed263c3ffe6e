// SPDX-License-Identifier: MIT
/* hal_cpu for LoongArch64: CPU number, constant timer, IPIs, TLB and cache maintenance. */
#include <arch/loongarch.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>

#include "la_internal.h"

static unsigned la_cpu_id(void)
{
	/* CoreID as the platform numbers cores; QEMU's virt machine numbers them from 0. */
	return (unsigned)(la_csr_read(LA_CSR_CPUID) & LA_CPUID_COREID_MASK);
}

static uint64_t la_timer_now(void)
{
	return la_rdtime();
}

/* The stable counter and the countdown timer both tick at CPUCFG4 * CPUCFG5.MUL / CPUCFG5.DIV. */
static uint64_t la_timer_freq(void)
{
	uint64_t base = la_cpucfg(LA_CPUCFG4);
	uint32_t cfg5 = la_cpucfg(LA_CPUCFG5);
	uint64_t mul = cfg5 & 0xffffu;
	uint64_t div = cfg5 >> 16;

	if (div == 0)
		return 0;
	return base * mul / div;
}

/*
 * The countdown's width as a mask. PRCFG1.TimerBits gives it, but QEMU 7.2 reads the whole
 * register as 0; below 32 bits it cannot be a real width, so assume the smallest plausible.
 */
uint64_t la_timer_width_mask(void)
{
	uint64_t field = la_csr_read(LA_CSR_PRCFG1) >> LA_PRCFG1_TIMERBITS_SHIFT;
	unsigned bits = (unsigned)(field & LA_PRCFG1_TIMERBITS_MASK) + 1;

	if (bits < 32)
		bits = 32;
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

/* Largest countdown TCFG.InitVal holds (its two low bits are the mode bits). */
static uint64_t la_timer_max(void)
{
	return la_timer_width_mask() & ~3ULL;
}

static void la_timer_arm(uint64_t deadline)
{
	uint64_t max = la_timer_max();
	uint64_t now, delta;

	/* Drop an expiry of the previous deadline before arming the next one. */
	la_csr_write(LA_CSR_TCFG, 0);
	la_csr_write(LA_CSR_TICLR, LA_TICLR_CLR);
	if (!deadline)
		return;

	/* The timer counts down a relative value whose two low bits are the mode bits. */
	now = la_rdtime();
	delta = deadline > now ? deadline - now : 0;
	delta = PV_ALIGN_UP(delta, 4);
	if (delta == 0)
		delta = 4;
	if (delta > max)
		delta = max;
	la_csr_write(LA_CSR_TCFG, delta | LA_TCFG_EN);
}

/*
 * IPI vector 0 of the target's IOCSR IPI block: the write sets bit 0 of the target core's
 * IPI_STATUS, which raises interrupt line IS[12] there once its IPI_EN bit 0 is set. IPI_SEND
 * bit 31 (wait for completion) stays clear: the write is posted.
 */
static void la_ipi_send(unsigned cpu)
{
	la_iocsr_write32(LA_IOCSR_IPI_SEND, (uint32_t)cpu << LA_IPI_SEND_CPU_SHIFT);
}

static void la_tlb_flush_all(void)
{
	__asm__ volatile("invtlb %0, $zero, $zero" : : "i"(LA_INVTLB_ALL) : "memory");
}

/*
 * LoongArch keeps caches coherent in hardware, between cores and with DMA, for the
 * coherent-cached memory type all RAM uses here: nothing needs cleaning. What callers need is
 * ordering: dbar 0 makes earlier stores visible before anything later, and ibar 0 makes them
 * visible to this core's instruction fetch. A CPU that runs code another CPU wrote must execute
 * ibar 0 itself.
 */
static void la_dcache_clean_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
	__builtin_loongarch_dbar(0);
	__builtin_loongarch_ibar(0);
}

/*
 * The hypervisor runs with CRMD.IE clear, so its interrupts are never taken in root mode: they
 * end an idle (ECFG.LIE enables their lines) or make a guest exit (PRMD.PIE at guest entry), and
 * are acknowledged here. Whoever waited re-checks what it waited for.
 */
void la_host_irq_ack(void)
{
	uint64_t is = la_csr_read(LA_CSR_ESTAT) & LA_ESTAT_IS_MASK;

	if (is & LA_ESTAT_IS_IPI)
		la_iocsr_write32(LA_IOCSR_IPI_CLEAR, la_iocsr_read32(LA_IOCSR_IPI_STATUS));
	if (is & LA_ESTAT_IS_TIMER) {
		la_csr_write(LA_CSR_TICLR, LA_TICLR_CLR);
		hv_timer_fired(); /* the next deadline of the CPU's timer users (hal/hv_timer.h) */
	}
}

static void la_wait_for_interrupt(void)
{
	__asm__ volatile("idle 0" : : : "memory");
	la_host_irq_ack();
}

/*
 * Secondary CPUs wait in head.S's la_mailbox_wait: write la_secondary_start into their mailbox 0
 * through MAIL_SEND (32 bits at a time, high word first so the waiter never sees half an
 * address), then wake them with an IPI.
 */
static int la_cpu_start(unsigned cpu)
{
	uint64_t entry = (uint64_t)(uintptr_t)la_secondary_start;
	uint64_t target = (uint64_t)cpu << LA_IPI_SEND_CPU_SHIFT;

	if (cpu >= CONFIG_MAX_CPUS) {
		hal_printf("loongarch64: cpu %u: beyond CONFIG_MAX_CPUS\n", cpu);
		return -PV_EINVAL;
	}
	__builtin_loongarch_dbar(0);
	for (int word = 1; word >= 0; word--)
		__builtin_loongarch_iocsrwr_d((entry >> (32 * word)) << LA_MAIL_SEND_DATA_SHIFT |
						      target |
						      ((uint64_t)word << LA_MAIL_SEND_WORD_SHIFT),
					      LA_IOCSR_MAIL_SEND);
	la_iocsr_write32(LA_IOCSR_IPI_SEND, (uint32_t)target);
	return PV_OK;
}

void la_secondary_main(unsigned cpu)
{
	hv_secondary_main(cpu);
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "loongarch64",
	.cpu_id = la_cpu_id,
	.timer_now = la_timer_now,
	.timer_freq = la_timer_freq,
	.timer_arm = la_timer_arm,
	.ipi_send = la_ipi_send,
	.tlb_flush_all = la_tlb_flush_all,
	.dcache_clean_inval = la_dcache_clean_inval,
	.cpu_start = la_cpu_start,
	.wait_for_interrupt = la_wait_for_interrupt,
};
