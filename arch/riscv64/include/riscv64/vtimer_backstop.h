/* SPDX-License-Identifier: MIT */
/*
 * A backstop for a guest's own timer (Sstc: vstimecmp raises the VS timer interrupt with no
 * hypervisor involvement).
 *
 * QEMU 7.2 can lose that interrupt. It keeps the Sstc VS timer in a flag of its own, outside mip,
 * and whenever a hart's mip changes (the guest clearing its software interrupt, the hypervisor
 * clearing its IPI, the firmware posting one) it samples that flag before it takes its big lock,
 * then sets or withdraws the hart's interrupt request from what it sampled. When the guest's
 * timer fires in that window (under load the hart waits for the lock that the timer callback
 * holds), the request is withdrawn although the timer stays pending: the guest never takes it
 * until the hart's interrupt state changes again. Seen live: SMP Linux stalled at boot, one vCPU
 * spinning on jiffies, the other, whose tick moves them, spinning with its timer pending and
 * enabled (mip.VSTIP, vsie.STIE, sstatus.SIE) but not taken, even single-stepped with interrupts
 * on; a write of its hvip (a change of mip) made it take the tick at once.
 *
 * So while a guest runs with a timer armed, the hypervisor's own timer is set a little after the
 * guest's deadline: the hart exits then, and the exit and re-entry raise the request again. A
 * guest that took its tick in time costs one exit per tick; a lost tick is late by the slack.
 */
#ifndef RISCV64_VTIMER_BACKSTOP_H
#define RISCV64_VTIMER_BACKSTOP_H

#include <pv/types.h>

/* The slack, as a fraction of a second: 1 ms. */
#define RISCV_VTIMER_SLACK_HZ 1000u

/* The host time of the backstop for a guest timer due at host time @due (UINT64_MAX: not armed,
 * or beyond any host time), seen at host time @now: @slack after the deadline; once that has
 * passed too (the guest may keep its interrupts off), the end of the current slack-long window
 * after it. It never moves within a window, so that exits coming faster than the slack neither
 * reprogram the timer each time nor keep pushing the backstop away. 0: none. Pure (host-tested). */
static inline uint64_t riscv_vtimer_backstop(uint64_t due, uint64_t now, uint64_t slack)
{
	uint64_t windows;

	if (due == UINT64_MAX || !slack || due > UINT64_MAX - slack)
		return 0;
	if (due + slack > now)
		return due + slack;
	windows = (now - due) / slack + 1;
	if (windows > (UINT64_MAX - due) / slack)
		return 0;
	return due + windows * slack;
}

#endif
