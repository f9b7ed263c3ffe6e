// SPDX-License-Identifier: MIT
/*
 * Physical GICv3 driver for the hypervisor. The hypervisor's own interrupts are private (an SGI
 * for IPIs, the EL2 timer, the maintenance interrupt and the guest's virtual timer); SPIs stay
 * disabled unless a VM owns them (passthrough, a64/vgic_pt.h) or the core asks for one
 * (hal_cpu.irq_enable: the console UART, routed to the CPU that asked and handed to the core's
 * hv_device_irq). EOImode 1 splits the priority drop (ICC_EOIR1_EL1) from the deactivation
 * (ICC_DIR_EL1), so that a passed-through interrupt stays active until its guest deactivates it.
 * The registers are reached through the identity map (Device memory outside RAM).
 */
#include <a64/cpu.h>
#include <a64/gic.h>
#include <a64/sysreg.h>
#include <a64/vgic_hw.h>
#include <a64/vgic_pt.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <pv/spinlock.h>

#define GICD_CTLR	      0x0000u
#define GICD_CTLR_RWP	      PV_BIT(31)
#define GICD_CTLR_ARE	      PV_BIT(4)
#define GICD_CTLR_GRP1	      PV_BIT(1)
#define GICD_TYPER	      0x0004u
#define GICD_IGROUPR(n)	      (0x0080u + 4u * (n))
#define GICD_ISENABLER(n)     (0x0100u + 4u * (n))
#define GICD_ICENABLER(n)     (0x0180u + 4u * (n))
#define GICD_ICACTIVER(n)     (0x0380u + 4u * (n))
#define GICD_IPRIORITYR(n)    (0x0400u + (n))
#define GICD_ICFGR(n)	      (0x0c00u + 4u * (n))
#define GICD_IROUTER(n)	      (0x6000u + 8u * (n))
#define GICR_FRAME	      0x20000u
#define GICR_TYPER	      0x0008u
#define GICR_TYPER_LAST	      PV_BIT(4)
#define GICR_WAKER	      0x0014u
#define GICR_WAKER_SLEEP      PV_BIT(1)
#define GICR_WAKER_ASLEEP     PV_BIT(2)
#define GICR_SGI	      0x10000u
#define GICR_IGROUPR0	      (GICR_SGI + 0x0080u)
#define GICR_ISENABLER0	      (GICR_SGI + 0x0100u)
#define GICR_ICENABLER0	      (GICR_SGI + 0x0180u)
#define GICR_IPRIORITYR(n)    (GICR_SGI + 0x0400u + (n))
#define A64_GIC_PRIO	      0xa0u
#define A64_GIC_SPURIOUS      1020u
#define A64_GIC_MAX_POLLS     1000000u
#define A64_GIC_MAX_SPI_WORDS 32u /* INTIDs up to 1019 */

/* Each CPU's redistributor, found by affinity at a64_gic_cpu_init. */
static uintptr_t a64_gicr[CONFIG_MAX_CPUS];
/* Shared interrupts the core enabled (hal_cpu.irq_enable): handed to hv_device_irq. */
static uint32_t a64_gic_device[A64_GIC_MAX_SPI_WORDS];

/* Read-modify-writes of distributor registers several CPUs change (groups, triggers). */
static pv_spinlock_t a64_gicd_lock = PV_SPINLOCK_INIT;

static inline uint32_t mmio_r32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline uint64_t mmio_r64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void mmio_w32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline void mmio_w8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static inline void mmio_w64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

static bool a64_gic_wait(uintptr_t reg, uint32_t bit)
{
	for (unsigned i = 0; i < A64_GIC_MAX_POLLS; i++)
		if (!(mmio_r32(reg) & bit))
			return true;
	return false;
}

void a64_gic_init(void)
{
	uintptr_t d = CONFIG_AARCH64_GICD_BASE;
	unsigned lines = ((mmio_r32(d + GICD_TYPER) & 0x1fu) + 1u) * 32u;

	/* No SPI belongs to the hypervisor until the core or a VM asks for one. */
	for (unsigned n = 1; n < lines / 32u; n++)
		mmio_w32(d + GICD_ICENABLER(n), ~0u);
	mmio_w32(d + GICD_CTLR, mmio_r32(d + GICD_CTLR) | GICD_CTLR_ARE | GICD_CTLR_GRP1);
	if (!a64_gic_wait(d + GICD_CTLR, (uint32_t)GICD_CTLR_RWP))
		hal_printf("gic: distributor did not finish its register write\n");
}

/* The redistributor whose affinity is the calling CPU's, or 0. */
static uintptr_t a64_gic_find_redist(void)
{
	uint64_t mpidr = a64_read_mpidr_el1();
	uint32_t aff = (uint32_t)((mpidr & 0xffffffULL) | ((mpidr >> 8) & 0xff000000ULL));
	uintptr_t r = CONFIG_AARCH64_GICR_BASE;

	for (unsigned i = 0; i < 64; i++, r += GICR_FRAME) {
		uint64_t typer = mmio_r64(r + GICR_TYPER);

		if ((uint32_t)(typer >> 32) == aff)
			return r;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

int a64_gic_cpu_init(void)
{
	unsigned cpu = a64_cpu_index();
	uintptr_t r;
	static const unsigned used[] = { A64_IRQ_IPI, A64_IRQ_MAINTENANCE, A64_IRQ_HYP_TIMER,
					 A64_IRQ_VTIMER };
	uint32_t enable = 0;

	if (!a64_gic_sysreg) {
		hal_printf("cpu %u: no GICv3 system-register interface\n", cpu);
		return -PV_ENOTSUP;
	}
	/* Each CPU enables its own system-register interface (ICC_SRE_EL2 is per CPU). */
	a64_write_icc_sre_el2(a64_read_icc_sre_el2() | ICC_SRE_SRE | ICC_SRE_ENABLE);
	a64_isb();
	r = a64_gic_find_redist();
	if (!r) {
		hal_printf("cpu %u: no GICv3 redistributor matches its affinity\n", cpu);
		return -PV_ENOTSUP;
	}
	a64_gicr[cpu] = r;
	mmio_w32(r + GICR_WAKER, mmio_r32(r + GICR_WAKER) & ~(uint32_t)GICR_WAKER_SLEEP);
	if (!a64_gic_wait(r + GICR_WAKER, (uint32_t)GICR_WAKER_ASLEEP)) {
		hal_printf("cpu %u: GICv3 redistributor does not wake up\n", cpu);
		return -PV_ENOTSUP;
	}
	mmio_w32(r + GICR_ICENABLER0, ~0u);
	mmio_w32(r + GICR_IGROUPR0, ~0u);
	for (unsigned i = 0; i < PV_ARRAY_SIZE(used); i++) {
		mmio_w8(r + GICR_IPRIORITYR(used[i]), A64_GIC_PRIO);
		enable |= 1u << used[i];
	}
	mmio_w32(r + GICR_ISENABLER0, enable);

	a64_write_icc_pmr_el1(0xff);
	a64_write_icc_bpr1_el1(0);
	/* EOImode 1: EOIR drops the priority, DIR deactivates (a64_gic_handle_irqs). */
	a64_write_icc_ctlr_el1(ICC_CTLR_EOIMODE);
	a64_write_icc_igrpen1_el1(1);
	a64_isb();
	return PV_OK;
}

void a64_gic_ppi_enable(unsigned irq, bool on)
{
	uintptr_t r = a64_gicr[a64_cpu_index()];

	if (r)
		mmio_w32(r + (on ? GICR_ISENABLER0 : GICR_ICENABLER0), 1u << (irq & 31u));
}

unsigned a64_gic_lines(void)
{
	unsigned lines = ((mmio_r32(CONFIG_AARCH64_GICD_BASE + GICD_TYPER) & 0x1fu) + 1u) * 32u;

	return lines > A64_GIC_MAX_INTID + 1 ? A64_GIC_MAX_INTID + 1 : lines;
}

void a64_gic_spi_enable(unsigned intid, bool on)
{
	uintptr_t d = CONFIG_AARCH64_GICD_BASE;

	mmio_w32(d + (on ? GICD_ISENABLER(intid / 32u) : GICD_ICENABLER(intid / 32u)),
		 1u << (intid % 32u));
	if (!on && !a64_gic_wait(d + GICD_CTLR, (uint32_t)GICD_CTLR_RWP))
		hal_printf("gic: disabling SPI %u did not finish\n", intid);
}

void a64_gic_spi_deactivate(unsigned intid)
{
	mmio_w32(CONFIG_AARCH64_GICD_BASE + GICD_ICACTIVER(intid / 32u), 1u << (intid % 32u));
}

void a64_gic_spi_route(unsigned intid, unsigned cpu)
{
	mmio_w64(CONFIG_AARCH64_GICD_BASE + GICD_IROUTER(intid), a64_pt_irouter(cpu));
}

void a64_gic_spi_setup(unsigned intid, unsigned cpu)
{
	uintptr_t d = CONFIG_AARCH64_GICD_BASE;

	a64_gic_spi_enable(intid, false);
	pv_spin_lock(&a64_gicd_lock);
	mmio_w32(d + GICD_IGROUPR(intid / 32u),
		 mmio_r32(d + GICD_IGROUPR(intid / 32u)) | 1u << (intid % 32u));
	pv_spin_unlock(&a64_gicd_lock);
	mmio_w8(d + GICD_IPRIORITYR(intid), A64_GIC_PRIO);
	a64_gic_spi_route(intid, cpu);
	a64_gic_spi_enable(intid, true);
}

void a64_gic_spi_config(unsigned intid, bool edge)
{
	uintptr_t reg = CONFIG_AARCH64_GICD_BASE + GICD_ICFGR(intid / 16u);
	uint32_t bit = 2u << (2u * (intid % 16u));
	bool enabled =
		mmio_r32(CONFIG_AARCH64_GICD_BASE + GICD_ISENABLER(intid / 32u)) >> (intid % 32u) &
		1u;

	/* Changing an enabled interrupt's trigger is UNPREDICTABLE: off, change, on again. */
	if (enabled)
		a64_gic_spi_enable(intid, false);
	pv_spin_lock(&a64_gicd_lock);
	mmio_w32(reg, edge ? mmio_r32(reg) | bit : mmio_r32(reg) & ~bit);
	pv_spin_unlock(&a64_gicd_lock);
	if (enabled)
		a64_gic_spi_enable(intid, true);
}

/*
 * A shared interrupt for the core, routed to the calling CPU: group 1, level-sensitive (a UART
 * holds its line while it has data), the hypervisor's priority. Private interrupts are the
 * backend's own and cannot be asked for.
 */
int a64_gic_irq_enable(unsigned irq)
{
	uint32_t bit = 1u << (irq % 32u);

	if (irq < 32u || irq >= a64_gic_lines())
		return -PV_EINVAL;
	a64_gic_spi_enable(irq, false);
	a64_gic_spi_config(irq, false);
	__atomic_or_fetch(&a64_gic_device[irq / 32u], bit, __ATOMIC_RELEASE);
	a64_gic_spi_setup(irq, a64_cpu_index());
	return PV_OK;
}

static bool a64_gic_is_device(unsigned irq)
{
	return irq < 32u * A64_GIC_MAX_SPI_WORDS &&
	       (__atomic_load_n(&a64_gic_device[irq / 32u], __ATOMIC_ACQUIRE) >> (irq % 32u) & 1u);
}

/* An interrupt nobody asked for: disable it rather than see it again forever. */
static void a64_gic_unexpected(unsigned irq)
{
	hal_printf("cpu %u: unexpected interrupt %u, disabled\n", a64_cpu_index(), irq);
	if (irq < 32)
		a64_gic_ppi_enable(irq, false);
	else
		mmio_w32(CONFIG_AARCH64_GICD_BASE + GICD_ICENABLER(irq / 32u), 1u << (irq % 32u));
}

void a64_gic_handle_irqs(void)
{
	for (;;) {
		uint64_t iar = a64_read_icc_iar1_el1();
		unsigned irq = (unsigned)(iar & 0xffffffu);

		if (irq >= A64_GIC_SPURIOUS)
			return;
		/* A VM's device: priority dropped, left active for the guest to deactivate. */
		if (irq >= 32 && a64_vgic_pt_fired(irq)) {
			a64_write_icc_eoir1_el1(iar);
			continue;
		}
		switch (irq) {
		case A64_IRQ_IPI:
			break; /* its work is done by whoever wakes up */
		case A64_IRQ_MAINTENANCE:
			a64_vgic_maintenance();
			break;
		case A64_IRQ_HYP_TIMER:
			/* The scheduler's slice or wake-up: the core programs the next deadline. */
			hv_timer_fired();
			break;
		case A64_IRQ_VTIMER:
			a64_vgic_vtimer_fired();
			break;
		default:
			if (a64_gic_is_device(irq))
				hv_device_irq(irq);
			else
				a64_gic_unexpected(irq);
			break;
		}
		a64_write_icc_eoir1_el1(iar);
		a64_write_icc_dir_el1(iar);
	}
}
