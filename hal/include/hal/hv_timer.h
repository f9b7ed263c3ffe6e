/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor timer of each physical CPU, shared by its users: a backend that emulates the
 * loaded vCPU's timer with it, and the scheduler (time slices, wake-ups of vCPUs that idle off
 * their CPU). Each user sets its own deadline; the CPU's timer is programmed for the earliest.
 * Deadlines are hal_cpu.timer_now() values; 0 means none.
 */
#ifndef HAL_HV_TIMER_H
#define HAL_HV_TIMER_H

#include <pv/types.h>

enum hv_timer_slot {
	HV_TIMER_GUEST = 0, /* the backend: the loaded vCPU's emulated timer */
	HV_TIMER_SCHED,	    /* the scheduler */
	HV_TIMER_SLOTS
};

/* Sets @slot's deadline on the calling CPU and reprograms its timer.
 * Context: the CPU whose timer it is, IRQs off; never blocks. */
void hv_timer_set(enum hv_timer_slot slot, uint64_t deadline);

/* @slot's deadline on the calling CPU (0: none). Context: as hv_timer_set. */
uint64_t hv_timer_get(enum hv_timer_slot slot);

/* The earliest deadline of the calling CPU's users (0: none). A backend may also bound a guest's
 * run by it with a mechanism of its own that needs no interrupt (a hardware timer that ends the guest's run).
 * Context: as hv_timer_set. */
uint64_t hv_timer_next(void);

/* The backend's timer interrupt handler calls this (instead of stopping the timer): deadlines
 * that have passed are dropped, as their owners compare the time themselves, and the timer is
 * programmed for the next one, or stopped. Context: the interrupted CPU, IRQs off. */
void hv_timer_fired(void);

#endif
