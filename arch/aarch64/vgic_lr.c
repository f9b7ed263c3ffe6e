// SPDX-License-Identifier: MIT
/* List-register bookkeeping of the vGICv3 (pure C: also built into the host tests). */
#include <a64/sysreg.h>
#include <a64/vgic.h>

void a64_vgic_cpu_reset(struct a64_vgic_cpu *c, unsigned nr_lr)
{
	*c = (struct a64_vgic_cpu){
		.nr_lr = nr_lr > A64_VGIC_MAX_LR ? A64_VGIC_MAX_LR : nr_lr,
		.waker = 2u, /* ProcessorSleep: the guest wakes its redistributor itself */
	};
	/* PPIs are level-sensitive at reset, SGIs edge (read-only), as GICR_ICFGR<n> says. */
	c->icfgr[0] = 0xaaaaaaaau;
}

uint64_t a64_vgic_lr_value(const struct a64_vgic_cpu *c, unsigned intid)
{
	uint64_t v = ICH_LR_PENDING | ((uint64_t)c->prio[intid] << ICH_LR_PRIO_SHIFT) | intid;

	if (c->group1 >> intid & 1)
		v |= ICH_LR_GROUP1;
	if ((c->hw_fwd >> intid & 1) && intid >= 32 && c->pintid[intid - 32])
		return v | ICH_LR_HW | (uint64_t)c->pintid[intid - 32] << ICH_LR_PINTID_SHIFT;
	if (c->notify >> intid & 1)
		v |= ICH_LR_EOI;
	return v;
}

/* The waiting interrupt the guest would take first: lowest priority value, then lowest INTID. */
static int a64_vgic_best(const struct a64_vgic_cpu *c)
{
	uint64_t cand = c->pending & c->enabled & ~c->in_lr;
	int best = -1;

	while (cand) {
		unsigned i = (unsigned)__builtin_ctzll(cand);

		cand &= cand - 1;
		if (best < 0 || c->prio[i] < c->prio[best])
			best = (int)i;
	}
	return best;
}

unsigned a64_vgic_fill(struct a64_vgic_cpu *c, uint64_t *lr)
{
	unsigned written = 0;

	for (unsigned n = 0; n < c->nr_lr; n++) {
		int intid;

		if (c->lr_used >> n & 1)
			continue;
		if (!(c->pending & c->enabled & ~c->in_lr))
			break; /* nothing left to place */
		intid = a64_vgic_best(c);
		if (intid < 0)
			break;
		lr[n] = a64_vgic_lr_value(c, (unsigned)intid);
		c->lr_intid[n] = (uint32_t)intid;
		c->lr_used |= (uint16_t)(1u << n);
		c->lr_pending |= (uint16_t)(1u << n);
		c->in_lr |= 1ULL << intid;
		c->pending &= ~(1ULL << intid);
		written |= 1u << n;
	}
	/* Some interrupt a64_vgic_best would still pick: the list registers are all taken. */
	c->underflow = (c->pending & c->enabled & ~c->in_lr) != 0;
	return written;
}

uint64_t a64_vgic_retire(struct a64_vgic_cpu *c, const uint64_t *lr, unsigned *freed)
{
	uint64_t done = 0;
	unsigned used = c->lr_used;

	*freed = 0;
	c->lr_pending = 0;
	c->active = 0;
	while (used) {
		unsigned n = (unsigned)__builtin_ctz(used);
		unsigned state = (unsigned)(lr[n] >> ICH_LR_STATE_SHIFT);
		uint64_t bit = 1ULL << c->lr_intid[n];

		used &= used - 1;
		if (state & 1u)
			c->lr_pending |= (uint16_t)(1u << n);
		if (state & 2u)
			c->active |= bit;
		if (state)
			continue;
		c->lr_used &= (uint16_t)~(1u << n);
		c->in_lr &= ~bit;
		if ((lr[n] & ICH_LR_HW) && !(c->pending & bit))
			c->hw_fwd &= ~bit;
		done |= c->notify & bit;
		c->notify &= ~bit;
		*freed |= 1u << n;
	}
	return done;
}

bool a64_vgic_has_pending(const struct a64_vgic_cpu *c)
{
	return (c->pending & c->enabled) || c->lr_pending;
}
