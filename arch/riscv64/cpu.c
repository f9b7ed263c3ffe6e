// SPDX-License-Identifier: MIT
/* hal_cpu for riscv64: hart numbering, the time CSR, the supervisor timer, IPIs through SBI. */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/irq.h>
#include <riscv64/plic.h>
#include <riscv64/sbi.h>

static unsigned riscv_cpu_id(void)
{
	return riscv_this_cpu()->index;
}

static uint64_t riscv_timer_now(void)
{
	uint64_t t;

	__asm__ __volatile__("rdtime %0" : "=r"(t));
	return t;
}

static uint64_t riscv_timer_freq(void)
{
	return riscv_info.timebase_hz;
}

static void riscv_timer_arm(uint64_t deadline)
{
	/* A deadline the counter never reaches is how both interfaces express "disarmed". */
	uint64_t when = deadline ? deadline : UINT64_MAX;

	if (riscv_info.sstc) {
		csr_write(CSR_STIMECMP, when);
		return;
	}
	if (sbi_call(SBI_EXT_TIME, 0, when, 0, 0, 0, 0, 0).error == SBI_ERR_NOT_SUPPORTED)
		sbi_call(SBI_EXT_LEGACY_SET_TIMER, 0, when, 0, 0, 0, 0, 0);
}

static void riscv_ipi_send(unsigned cpu)
{
	uint64_t hartid;
	struct sbi_ret r;

	if (cpu >= riscv_ncpus)
		hal_panic("IPI to cpu %u, only %u known", cpu, riscv_ncpus);
	hartid = riscv_cpus[cpu].hartid;
	/* IPI extension: a one-bit hart mask based at the target's hart id. */
	r = sbi_call(SBI_EXT_IPI, 0, 1, hartid, 0, 0, 0, 0);
	if (r.error == SBI_ERR_NOT_SUPPORTED && hartid < 64) {
		/* SBI v0.1 firmware takes a pointer to the mask; memory is identity-mapped. */
		unsigned long mask = 1UL << hartid;
		sbi_call(SBI_EXT_LEGACY_SEND_IPI, 0, (unsigned long)(uintptr_t)&mask, 0, 0, 0, 0,
			 0);
	} else if (r.error != SBI_SUCCESS) {
		hal_panic("SBI send_ipi to hart %llu failed: %ld", (unsigned long long)hartid,
			  r.error);
	}
}

static int riscv_cpu_start(unsigned cpu)
{
	struct riscv_cpu *target;
	struct sbi_ret r;

	if (cpu == 0 || cpu >= riscv_ncpus) {
		hal_printf("cpu %u: no such secondary hart (%u known)\n", cpu, riscv_ncpus);
		return -PV_EINVAL;
	}
	target = &riscv_cpus[cpu];
	/* The new hart reads its struct riscv_cpu before it takes any lock: publish it first. */
	__asm__ __volatile__("fence rw, rw" ::: "memory");
	r = sbi_call(SBI_EXT_HSM, SBI_HSM_HART_START, target->hartid,
		     (unsigned long)(uintptr_t)riscv_secondary_entry,
		     (unsigned long)(uintptr_t)target, 0, 0, 0);
	if (r.error != SBI_SUCCESS) {
		hal_printf("cpu %u: SBI hart_start of hart %llu failed: error %ld\n", cpu,
			   (unsigned long long)target->hartid, r.error);
		return r.error == SBI_ERR_NOT_SUPPORTED ? -PV_ENOTSUP : -PV_EBUSY;
	}
	return PV_OK;
}

static void riscv_tlb_flush_all(void)
{
	__asm__ __volatile__("sfence.vma zero, zero" ::: "memory");
}

/*
 * RISC-V keeps harts' caches coherent with each other and with the page-table walker for main
 * memory, and QEMU's virt machine has no non-coherent bus master: there is nothing to clean.
 * (Boards with non-coherent DMA would use Zicbom's cbo.flush here.) The fence still orders the
 * caller's stores before whatever it does next with the buffer.
 */
static void riscv_dcache_clean_inval(void *va, size_t len)
{
	(void)va;
	(void)len;
	__asm__ __volatile__("fence rw, rw" ::: "memory");
}

/* Interrupts stay masked (sstatus.SIE clear): a pending one ends the wait and is handled here.
 * The timer's stays pending until its compare value moves: hv_timer_fired moves it. */
static void riscv_wait_for_interrupt(void)
{
	uint64_t sip;

	__asm__ __volatile__("wfi" ::: "memory");
	csr_read(CSR_SIP, sip);
	if (sip & SIP_STIP)
		hv_timer_fired();
	/* A kick's work is done by whoever woke up; left pending, every later wfi returns at once. */
	if (sip & SIP_SSIP)
		csr_clear(CSR_SIP, SIP_SSIP);
	/* Interrupts stay off in HS-mode: a device's is handled here, after the wait. */
	if (sip & SIP_SEIP)
		riscv_plic_handle();
}

void riscv_timer_init(void)
{
	uint64_t cmp;
	bool trapped;

	/* stimecmp traps unless the CPU has Sstc and the firmware opened it (menvcfg.STCE), so a
	 * read that does not trap is the whole answer; the ISA string alone is not enough. */
	RISCV_CSR_TRY_READ(CSR_STIMECMP, cmp, trapped);
	(void)cmp;
	riscv_info.sstc = !trapped;
	riscv_timer_arm(0);
}

const struct hal_cpu_ops hal_cpu = {
	.arch_name = "riscv64",
	.cpu_id = riscv_cpu_id,
	.timer_now = riscv_timer_now,
	.timer_freq = riscv_timer_freq,
	.timer_arm = riscv_timer_arm,
	.ipi_send = riscv_ipi_send,
	.tlb_flush_all = riscv_tlb_flush_all,
	.dcache_clean_inval = riscv_dcache_clean_inval,
	.cpu_start = riscv_cpu_start,
	.wait_for_interrupt = riscv_wait_for_interrupt,
	.irq_enable = riscv_irq_enable,
};
