// SPDX-License-Identifier: MIT
/* The per-CPU timer multiplexer (hal/hv_timer.h). */
#include <hal/hal.h>
#include <hal/hv_timer.h>

static uint64_t hv_deadlines[CONFIG_MAX_CPUS][HV_TIMER_SLOTS];

static uint64_t hv_timer_earliest(const uint64_t *slots)
{
	uint64_t next = 0;

	for (unsigned s = 0; s < HV_TIMER_SLOTS; s++)
		if (slots[s] && (!next || slots[s] < next))
			next = slots[s];
	return next;
}

static void hv_timer_program(uint64_t *slots)
{
	hal_cpu.timer_arm(hv_timer_earliest(slots));
}

uint64_t hv_timer_next(void)
{
	return hv_timer_earliest(hv_deadlines[hal_cpu.cpu_id()]);
}

void hv_timer_set(enum hv_timer_slot slot, uint64_t deadline)
{
	uint64_t *slots = hv_deadlines[hal_cpu.cpu_id()];

	if ((unsigned)slot >= HV_TIMER_SLOTS || slots[slot] == deadline)
		return;
	slots[slot] = deadline;
	hv_timer_program(slots);
}

uint64_t hv_timer_get(enum hv_timer_slot slot)
{
	return (unsigned)slot < HV_TIMER_SLOTS ? hv_deadlines[hal_cpu.cpu_id()][slot] : 0;
}

void hv_timer_fired(void)
{
	uint64_t *slots = hv_deadlines[hal_cpu.cpu_id()];
	uint64_t now = hal_cpu.timer_now();

	for (unsigned s = 0; s < HV_TIMER_SLOTS; s++)
		if (slots[s] && slots[s] <= now)
			slots[s] = 0;
	hv_timer_program(slots);
}
