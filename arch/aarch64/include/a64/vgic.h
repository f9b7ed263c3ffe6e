/* SPDX-License-Identifier: MIT */
/*
 * vGICv3 state and list-register logic. Each vCPU sees 32 private interrupts (SGIs 0-15, PPIs
 * 16-31) and the VM's A64_VGIC_NR_SPI shared ones (32 and up), kept as bitmaps indexed by INTID.
 * An interrupt is either waiting in .pending or sits in a list register (.in_lr); the guest's
 * acknowledge and deactivation happen in the list registers without the hypervisor.
 *
 * A passed-through device's interrupt (.hw_fwd) is a physical SPI the hypervisor acknowledged and
 * left active: its list register carries the hardware bit and the physical INTID, so the guest's
 * deactivation deactivates the physical interrupt too, with no exit, and the device can interrupt
 * again only then.
 *
 * The functions here are pure (list registers passed as arrays), so the host tests run them; the
 * hardware side (vgic.c) reads and writes ICH_LR<n>_EL2 around them.
 */
#ifndef A64_VGIC_H
#define A64_VGIC_H

#include <pv/types.h>

#define A64_VGIC_NR_SPI 32u
#define A64_VGIC_NR_IRQ (32u + A64_VGIC_NR_SPI)
#define A64_VGIC_MAX_LR 16u

struct a64_vgic_cpu {
	uint64_t pending; /* waiting for a list register */
	uint64_t
		enabled; /* private: this vCPU's redistributor; shared: mirror of the distributor */
	uint64_t group1; /* group of each INTID, as the guest set it */
	uint64_t notify; /* INTIDs whose deactivation the hypervisor must see (EOI maintenance) */
	uint64_t in_lr;	 /* INTIDs held by a list register */
	uint64_t active; /* INTIDs active in a list register when last read back */
	/* INTIDs whose physical source (a level: the guest's timer) the hypervisor masked while the
	 * virtual one is pending or in a list register; unmasked as soon as it is neither. */
	uint64_t hw_held;
	/* Passed-through INTIDs whose physical interrupt is active, owed a deactivation by the
	 * virtual one (pending or in a list register with the hardware bit); hw_drop: those the
	 * guest cleared before taking them, whose physical interrupt the hardware side deactivates
	 * (a64_vgic_recheck). */
	uint64_t hw_fwd;
	uint64_t hw_drop;
	uint16_t pintid[A64_VGIC_NR_SPI]; /* physical INTID of each passed-through SPI, 0: none */
	uint8_t prio[A64_VGIC_NR_IRQ];
	uint32_t icfgr[2];   /* SGI/PPI trigger configuration, kept for read-back */
	uint32_t waker;	     /* GICR_WAKER.ProcessorSleep as the guest left it */
	unsigned nr_lr;	     /* implemented list registers */
	uint16_t lr_used;    /* list registers holding an interrupt */
	uint16_t lr_pending; /* of those, the ones still pending (not yet acknowledged) */
	uint32_t lr_intid[A64_VGIC_MAX_LR];
	bool underflow; /* interrupts wait for a list register: ask for a maintenance interrupt */
	/* Saved while another vCPU owns the CPU's interface. */
	uint64_t lr_saved[A64_VGIC_MAX_LR];
	uint64_t vmcr, ap0r[4], ap1r[4];
};

/* Builds a pending list-register value for @intid. */
uint64_t a64_vgic_lr_value(const struct a64_vgic_cpu *c, unsigned intid);

/*
 * Moves the highest-priority pending, enabled interrupts into free list registers: writes their
 * values into @lr (indexed like the hardware) and returns the mask of list registers written.
 * Sets c->underflow when interrupts are left waiting. Caller holds the vCPU's virq lock.
 */
unsigned a64_vgic_fill(struct a64_vgic_cpu *c, uint64_t *lr);

/*
 * Takes back list registers the guest has finished with, given their current values in @lr (only
 * the ones in c->lr_used are read). A passed-through interrupt that left its list register was
 * deactivated by the hardware with it: it leaves c->hw_fwd unless it is pending again. Returns the mask of INTIDs in c->notify that were deactivated
 * (they leave c->notify) and stores in *@freed the list registers that became free (the caller
 * clears them in hardware). Caller holds the vCPU's virq lock.
 */
uint64_t a64_vgic_retire(struct a64_vgic_cpu *c, const uint64_t *lr, unsigned *freed);

/*
 * The physical source of @intid fired for this vCPU and the hardware side masked it: the virtual
 * interrupt becomes pending (unless a list register holds it already: the same level, not a second
 * interrupt), is held, and asks for EOI maintenance. Caller holds the vCPU's virq lock. Inline:
 * it is on the timer interrupt's path.
 */
static inline void a64_vgic_hw_fired(struct a64_vgic_cpu *c, unsigned intid)
{
	uint64_t bit = 1ULL << (intid & 63u);

	c->hw_held |= bit;
	c->notify |= bit;
	if (!(c->in_lr & bit)) /* other CPUs set pending bits without the lock */
		__atomic_or_fetch(&c->pending, bit, __ATOMIC_RELEASE);
}

/* Held INTIDs that are neither pending nor in a list register, however they left (deactivated,
 * cleared by the guest through GICR_ICPENDR0, dropped because the source fell). */
static inline uint64_t a64_vgic_hw_releasable(const struct a64_vgic_cpu *c)
{
	return c->hw_held & ~(c->pending | c->in_lr);
}

/* Takes a64_vgic_hw_releasable() out of hw_held (and notify) and returns it: the caller unmasks
 * those physical sources. Caller holds the vCPU's virq lock. */
static inline uint64_t a64_vgic_hw_release(struct a64_vgic_cpu *c)
{
	uint64_t done = a64_vgic_hw_releasable(c);

	c->hw_held &= ~done;
	c->notify &= ~done;
	return done;
}

/* The physical source of passed-through @intid fired and the hardware side acknowledged it (and
 * left it active): the virtual interrupt becomes pending and owes the physical one its
 * deactivation. Caller holds the vCPU's virq lock. */
static inline void a64_vgic_pt_pend(struct a64_vgic_cpu *c, unsigned intid)
{
	uint64_t bit = 1ULL << (intid & 63u);

	c->hw_fwd |= bit;
	__atomic_or_fetch(&c->pending, bit, __ATOMIC_RELEASE);
}

/* Passed-through INTIDs of @bits the guest cleared while they were pending (not yet in a list
 * register): they leave hw_fwd for hw_drop, whose physical interrupts the hardware side
 * deactivates. Caller holds the vCPU's virq lock, before clearing them from pending. */
static inline void a64_vgic_pt_clear(struct a64_vgic_cpu *c, uint64_t bits)
{
	uint64_t dropped = bits & c->hw_fwd & c->pending & ~c->in_lr;

	c->hw_fwd &= ~dropped;
	c->hw_drop |= dropped;
}

/* Whether virq_ops.sync / .flush (vgic.c) have anything to do: their own early checks, which the
 * exit fast path (vcpu.c) makes inline to save the call when they have not. */
static inline bool a64_vgic_sync_needed(const struct a64_vgic_cpu *c)
{
	/* Nothing held (the usual case): no need to look at what is pending. */
	return c->lr_used || (c->hw_held && a64_vgic_hw_releasable(c));
}

static inline bool a64_vgic_flush_needed(const struct a64_vgic_cpu *c)
{
	return (__atomic_load_n(&c->pending, __ATOMIC_ACQUIRE) & c->enabled) ||
	       (c->hw_held && a64_vgic_hw_releasable(c));
}

/* Whether the vCPU has an interrupt to take: pending and enabled, or pending in a list register. */
bool a64_vgic_has_pending(const struct a64_vgic_cpu *c);

/* Resets @c to a redistributor's reset state with @nr_lr list registers. */
void a64_vgic_cpu_reset(struct a64_vgic_cpu *c, unsigned nr_lr);

#endif
