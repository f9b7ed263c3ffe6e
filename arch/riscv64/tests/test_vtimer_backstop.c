// SPDX-License-Identifier: MIT
/*
 * The backstop for a guest's own timer (riscv64/vtimer_backstop.h): the hypervisor's timer goes
 * off a little after the guest's deadline, so that a VS timer interrupt the emulator lost (its
 * request withdrawn while the timer stayed pending) is taken anyway.
 */
#include "pv_test.h"

#include <riscv64/vtimer_backstop.h>

#define SLACK 10000u /* 1 ms of a 10 MHz timebase */

/* The stall this exists for: the guest's tick is due, was never taken, and nothing else will
 * interrupt the guest. The hypervisor must still look again, a slack from now. */
static void test_a_due_timer_not_taken_gets_a_backstop(void **state)
{
	(void)state;
	assert_int_equal(riscv_vtimer_backstop(5000, 9000, SLACK), 5000 + SLACK);
	assert_int_equal(riscv_vtimer_backstop(5000, 5000 + SLACK, SLACK), 5000 + 2 * SLACK);
	assert_int_equal(riscv_vtimer_backstop(5000, 5000 + 3 * SLACK + 1, SLACK),
			 5000 + 4 * SLACK);
}

static void test_a_future_deadline_is_backed_a_slack_after_it(void **state)
{
	(void)state;
	assert_int_equal(riscv_vtimer_backstop(50000, 9000, SLACK), 50000 + SLACK);
}

/* A guest whose interrupts stay off with its tick due is looked at once a slack: the backstop
 * stays put while exits come faster than that (it is neither reprogrammed at each one nor
 * pushed away by them), and is always ahead of the time. */
static void test_a_passed_backstop_stays_put_within_its_window(void **state)
{
	(void)state;
	uint64_t first = riscv_vtimer_backstop(1000, 1000 + SLACK + 5, SLACK);

	assert_true(first > 1000 + SLACK + 5);
	for (uint64_t now = 1000 + SLACK + 5; now < first; now += 997)
		assert_int_equal(riscv_vtimer_backstop(1000, now, SLACK), first);
	assert_int_equal(riscv_vtimer_backstop(1000, first, SLACK), first + SLACK);
}

static void test_no_timer_no_backstop(void **state)
{
	(void)state;
	assert_int_equal(riscv_vtimer_backstop(UINT64_MAX, 9000, SLACK), 0);
	/* Beyond any host time (a saturated conversion): nothing to back. */
	assert_int_equal(riscv_vtimer_backstop(UINT64_MAX - 5, 9000, SLACK), 0);
	/* A timebase slower than the slack's unit gives no slack: no backstop, never a deadline of
	 * "now" that would fire at every entry. */
	assert_int_equal(riscv_vtimer_backstop(5000, 9000, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_due_timer_not_taken_gets_a_backstop),
		cmocka_unit_test(test_a_future_deadline_is_backed_a_slack_after_it),
		cmocka_unit_test(test_a_passed_backstop_stays_put_within_its_window),
		cmocka_unit_test(test_no_timer_no_backstop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
