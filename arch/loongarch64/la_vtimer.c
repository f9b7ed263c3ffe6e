// SPDX-License-Identifier: MIT
/*
 * The guest's constant timer across exits. While the vCPU is out of guest mode its countdown is
 * kept as an absolute deadline on the shared counter: an LVZ implementation may stop the guest
 * timer in root mode (the TCG LVZ model does), so at entry the remaining count is written back,
 * or, if the deadline passed meanwhile, the timer interrupt is raised in the guest ESTAT and a
 * one-shot timer is turned off as the hardware would have done.
 */
#include "la_hw.h"
#include "la_vcpu.h"

#define LA_TCFG_INITVAL_MASK (~3ULL)

void la_vtimer_exit(struct la_vcpu *v)
{
	uint64_t tcfg = la_hw_gcsr_read(LA_GCSR_TCFG);

	v->timer_deadline = 0;
	if (tcfg & LA_TCFG_EN)
		v->timer_deadline = la_hw_rdtime() + la_hw_gcsr_read(LA_GCSR_TVAL);
}

bool la_vtimer_expired(const struct la_vcpu *v, uint64_t now)
{
	return v->timer_deadline && now >= v->timer_deadline;
}

void la_vtimer_enter(struct la_vcpu *v)
{
	uint64_t now, tcfg;

	if (!v->timer_deadline)
		return;
	now = la_hw_rdtime();
	if (!la_vtimer_expired(v, now)) {
		la_hw_gcsr_write(LA_GCSR_TVAL, v->timer_deadline - now);
		return;
	}
	tcfg = la_hw_gcsr_read(LA_GCSR_TCFG);
	if (tcfg & LA_TCFG_PERIODIC) {
		uint64_t period = tcfg & LA_TCFG_INITVAL_MASK;
		uint64_t late = now - v->timer_deadline;

		v->timer_deadline = period ? now + period - late % period : 0;
		la_hw_gcsr_write(LA_GCSR_TVAL, period ? v->timer_deadline - now : 0);
	} else {
		la_hw_gcsr_write(LA_GCSR_TCFG, tcfg & ~(uint64_t)LA_TCFG_EN);
		v->timer_deadline = 0;
	}
	la_hw_gcsr_write(LA_GCSR_ESTAT, la_hw_gcsr_read(LA_GCSR_ESTAT) | (1ULL << LA_IRQ_TIMER));
}
