// SPDX-License-Identifier: MIT
/*
 * The guest's constant timer across exits. While the vCPU is out of guest mode its countdown is
 * kept as an absolute deadline on the shared counter, and the remaining count is written back
 * into TVAL as the last step before entry (la_vtimer_load): an LVZ implementation may stop the
 * guest timer in root mode (the TCG LVZ model does), and whatever time passes between computing
 * a count and entering would otherwise be added to the guest's period at every exit.
 * If the deadline passed while the vCPU was out, the timer interrupt is raised in the guest
 * ESTAT instead, and a one-shot timer is turned off as the hardware would have done.
 *
 * Where the timer stops in root mode it stopped at the exit, not when the backend reads TVAL:
 * the deadline is counted from the counter trap.S read on the way out, plus one tick because
 * TVAL is the whole ticks left and the expiry lies within the next one. Counting from later
 * would move the deadline by the exit's own duration each time; rounding down could end the
 * period a tick early.
 *
 * A countdown never exceeds what TCFG.InitVal programmed, so a larger TVAL at the exit means the
 * count went past zero. A one-shot timer's count does that once it fired (the manual: TVAL then
 * reads as all ones); the hardware latched its interrupt in ESTAT.TI then, which the guest may
 * already have taken, so nothing is left to time. A value wider than the timer itself
 * (PRCFG1.TimerBits) is not a count at all: the TCG model returns the negative distance to an
 * expiry whose interrupt it has not delivered yet and then cancels that delivery with the exit.
 * Such a timer expired at the exit and its interrupt is raised at the next entry; taken as a
 * count, it would put the deadline 2^60 ticks away and the interrupt would never come.
 */
#include "la_hw.h"
#include "la_vcpu.h"

#define LA_TCFG_INITVAL_MASK (~3ULL)

uint64_t la_vtimer_width_mask = ~0ULL;
bool la_vtimer_stops_in_root;

void la_vtimer_exit(struct la_vcpu *v)
{
	uint64_t tcfg = la_hw_gcsr_read(LA_GCSR_TCFG);
	uint64_t now, tval;

	v->timer_deadline = 0;
	if (!(tcfg & LA_TCFG_EN))
		return;
	now = la_vtimer_stops_in_root ? v->ctx.exit_time : la_hw_rdtime();
	tval = la_hw_gcsr_read(LA_GCSR_TVAL);
	if (tval <= (tcfg & LA_TCFG_INITVAL_MASK))
		v->timer_deadline = now + tval + (la_vtimer_stops_in_root ? 1 : 0);
	else if ((tcfg & LA_TCFG_PERIODIC) || tval > la_vtimer_width_mask)
		v->timer_deadline = now; /* expired, its interrupt not raised yet */
}

bool la_vtimer_expired(const struct la_vcpu *v, uint64_t now)
{
	return v->timer_deadline && now >= v->timer_deadline;
}

/* The deadline kept since the vCPU's last exit (la_vtimer_exit); a masked line would leave the
 * vCPU idle past it. */
uint64_t la_vtimer_wake_deadline(struct vcpu *vcpu)
{
	const struct la_vcpu *v = vcpu->arch;

	if (!(v->exit_ecfg & (1ULL << LA_IRQ_TIMER)))
		return 0;
	return v->timer_deadline;
}

void la_vtimer_enter(struct la_vcpu *v)
{
	uint64_t now, tcfg;

	if (!v->timer_deadline)
		return;
	tcfg = la_hw_gcsr_read(LA_GCSR_TCFG);
	v->timer_max = tcfg & LA_TCFG_INITVAL_MASK;
	now = la_hw_rdtime();
	if (!la_vtimer_expired(v, now))
		return; /* la_vtimer_load writes TVAL from the deadline */
	if (tcfg & LA_TCFG_PERIODIC) {
		uint64_t period = tcfg & LA_TCFG_INITVAL_MASK;
		uint64_t late = now - v->timer_deadline;

		v->timer_deadline = period ? now + period - late % period : 0;
	} else {
		la_hw_gcsr_write(LA_GCSR_TCFG, tcfg & ~(uint64_t)LA_TCFG_EN);
		v->timer_deadline = 0;
	}
	la_hw_gcsr_write(LA_GCSR_ESTAT, la_hw_gcsr_read(LA_GCSR_ESTAT) | (1ULL << LA_IRQ_TIMER));
}

/* At least 1: a TVAL of 0 means "reload" to the TCG model and "fire now" to the hardware. At
 * most TCFG.InitVal: a larger count would read as past zero at the next exit. */
void la_vtimer_load(struct la_vcpu *v)
{
	uint64_t now, count;

	if (!v->timer_deadline)
		return;
	now = la_hw_rdtime();
	count = v->timer_deadline > now ? v->timer_deadline - now : 1;
	if (count > v->timer_max)
		count = v->timer_max ? v->timer_max : 1;
	la_hw_gcsr_write(LA_GCSR_TVAL, count);
}
