// SPDX-License-Identifier: MIT
/*
 * vCPU state transitions made by two CPUs at once, built with ThreadSanitizer (not ASan): it
 * reports any unsynchronised access to the state, whether or not the two threads happened to
 * overlap in time, and exactly one of two CPUs making the same transition may succeed.
 */
#define _POSIX_C_SOURCE 200809L /* pthread barriers */
#include "pv_test.h"

#include <pthread.h>
#include <vcpu/vcpu.h>

/* Two CPUs make the same transition at once: exactly one of them may succeed, every time. */
#define RACE_ROUNDS 2000

static struct vcpu race_vcpu;
static pthread_barrier_t race_start, race_end;
static unsigned race_wins[RACE_ROUNDS];

static void *race_thread(void *arg)
{
	(void)arg;
	for (unsigned r = 0; r < RACE_ROUNDS; r++) {
		pthread_barrier_wait(&race_start);
		if (vcpu_set_state(&race_vcpu, VCPU_RUNNING) == PV_OK)
			__atomic_fetch_add(&race_wins[r], 1, __ATOMIC_RELAXED);
		pthread_barrier_wait(&race_end);
	}
	return NULL;
}

static void test_concurrent_transitions_are_atomic(void **state)
{
	(void)state;
	pthread_t t[2];

	pthread_barrier_init(&race_start, NULL, 3);
	pthread_barrier_init(&race_end, NULL, 3);
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, race_thread, NULL);
	for (unsigned r = 0; r < RACE_ROUNDS; r++) {
		race_vcpu.state = VCPU_READY;
		pthread_barrier_wait(&race_start);
		pthread_barrier_wait(&race_end);
		if (race_wins[r] != 1)
			fail_msg("round %u: %u CPUs made READY -> RUNNING", r, race_wins[r]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&race_start);
	pthread_barrier_destroy(&race_end);
	/* vcpu_transition only from the state named. */
	race_vcpu.state = VCPU_STOPPED;
	assert_int_equal(vcpu_transition(&race_vcpu, VCPU_CREATED, VCPU_READY), -PV_EBUSY);
	assert_int_equal(vcpu_transition(&race_vcpu, VCPU_STOPPED, VCPU_READY), PV_OK);
	assert_int_equal(race_vcpu.state, VCPU_READY);
	assert_int_equal(vcpu_transition(&race_vcpu, VCPU_READY, VCPU_HALTED), -PV_EBUSY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_concurrent_transitions_are_atomic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
