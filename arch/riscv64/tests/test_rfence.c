// SPDX-License-Identifier: MIT
/*
 * Remote fences with completion (riscv64/rfence.h): a caller returns only once every target has
 * taken its request in or is outside its guest, from where it fences before its next guest
 * instruction. The targets are played step by step by the wait's relax callback, so every
 * interleaving the tests pick is exact; a threaded test runs one against a live target.
 */
#include "pv_test.h"

#include <pthread.h>
#include <riscv64/rfence.h>
#include <sched.h>
#include <string.h>

/* A target vCPU as its hart would drive it: enter (fences done first), run, exit. */
struct target {
	struct riscv_rfence f;
	uint32_t done;	   /* fences the hart performed */
	unsigned steps;	   /* relax calls seen while the caller waited */
	unsigned exit_at;  /* the step at which it leaves the guest (0: never) */
	unsigned enter_at; /* the step at which it enters again (0: never) */
};

static void enter(struct target *t)
{
	t->done |= riscv_rfence_enter(&t->f);
}

/* One relax call of the caller: the targets take their next step. */
static void step(void *ctx)
{
	struct target **ts = ctx;

	for (; *ts; ts++) {
		struct target *t = *ts;

		t->steps++;
		assert_true(t->steps < 1000); /* the wait must end */
		if (t->steps == t->exit_at)
			riscv_rfence_exit(&t->f);
		if (t->steps == t->enter_at)
			enter(t);
	}
}

/* The caller's side of an SBI remote fence, as arch/riscv64/virq.c does it (the kick is the
 * target's exit_at step). */
static void remote_fence(struct target **ts, unsigned what)
{
	struct riscv_rfence *f[4];
	unsigned n = 0;

	for (struct target **t = ts; *t; t++) {
		f[n++] = &(*t)->f;
		riscv_rfence_ask(&(*t)->f, what);
	}
	riscv_rfence_wait(f, n, step, ts);
}

/* A target running guest code: the call waits until it exits, and it fences on its way back. */
static void test_waits_for_a_running_target(void **state)
{
	struct target t = { .exit_at = 5, .enter_at = 9 };
	struct target *ts[] = { &t, NULL };

	(void)state;
	enter(&t);
	remote_fence(ts, RISCV_FENCE_VVMA);
	assert_int_equal(t.steps, 5); /* not before the exit */
	assert_int_equal(t.done, 0);
	step(ts + 1); /* nothing: the caller returned */
	t.steps = 8;
	step(ts);
	assert_int_equal(t.done, RISCV_FENCE_VVMA); /* before its next guest instruction */
	assert_int_equal(t.f.pending, 0);
}

/* A target that exits and enters again between two looks of the caller: it took the request in
 * on its way, which is as good as having fenced. */
static void test_a_request_taken_in_on_entry_settles(void **state)
{
	struct target t = { .exit_at = 3, .enter_at = 3 };
	struct target *ts[] = { &t, NULL };

	(void)state;
	enter(&t);
	remote_fence(ts, RISCV_FENCE_I);
	assert_int_equal(t.steps, 3);
	assert_int_equal(t.done, RISCV_FENCE_I);
	assert_int_equal(t.f.in_guest, 1);
}

/* Idle, stopped or the caller itself: outside the guest, nothing to wait for; the request waits
 * for the next entry. */
static void test_a_target_outside_its_guest_settles_at_once(void **state)
{
	struct target t = { 0 };
	struct target *ts[] = { &t, NULL };

	(void)state;
	remote_fence(ts, RISCV_FENCE_I | RISCV_FENCE_VVMA);
	assert_int_equal(t.steps, 0);
	enter(&t);
	assert_int_equal(t.done, RISCV_FENCE_I | RISCV_FENCE_VVMA);
}

/* Several targets: the call returns when the last one has settled. */
static void test_waits_for_every_target(void **state)
{
	struct target a = { .exit_at = 2 }, b = { .exit_at = 7 }, c = { 0 };
	struct target *ts[] = { &a, &b, &c, NULL };

	(void)state;
	enter(&a);
	enter(&b);
	remote_fence(ts, RISCV_FENCE_VVMA);
	assert_int_equal(b.steps, 7);
	assert_int_equal(a.f.in_guest, 0);
	assert_int_equal(b.f.in_guest, 0);
	assert_int_equal(c.f.pending, RISCV_FENCE_VVMA);
}

/* Two requests before the target comes back: both are done at once. */
static void test_requests_accumulate(void **state)
{
	struct target t = { 0 };

	(void)state;
	riscv_rfence_ask(&t.f, RISCV_FENCE_I);
	riscv_rfence_ask(&t.f, RISCV_FENCE_VVMA);
	enter(&t);
	assert_int_equal(t.done, RISCV_FENCE_I | RISCV_FENCE_VVMA);
	t.done = 0;
	riscv_rfence_exit(&t.f);
	enter(&t);
	assert_int_equal(t.done, 0);
}

/* A live target on another thread, entering and leaving its "guest" as fast as it can: every
 * call ends (no lost wake-up between the two sides), and no request is lost: each one was taken
 * in on an entry or still waits for the next. */
static struct target live;
static volatile bool live_stop;
static volatile uint32_t live_rounds;

static void *live_target(void *arg)
{
	(void)arg;
	while (!live_stop) {
		uint32_t f = riscv_rfence_enter(&live.f);

		if (f)
			__atomic_fetch_or(&live.done, f, __ATOMIC_SEQ_CST);
		for (volatile int i = 0; i < 50; i++) /* guest code */
			;
		riscv_rfence_exit(&live.f);
		__atomic_fetch_add(&live_rounds, 1, __ATOMIC_SEQ_CST);
	}
	return NULL;
}

static void relax(void *ctx)
{
	(void)ctx;
	sched_yield();
}

static void test_live_target(void **state)
{
	struct riscv_rfence *f[1] = { &live.f };
	pthread_t th;

	(void)state;
	memset(&live, 0, sizeof(live));
	live_stop = false;
	assert_int_equal(pthread_create(&th, NULL, live_target, NULL), 0);
	for (unsigned i = 0; i < 2000; i++) {
		/* Asked while it runs guest code: the call must wait for it. */
		while (!__atomic_load_n(&live.f.in_guest, __ATOMIC_SEQ_CST))
			sched_yield();
		riscv_rfence_ask(&live.f, RISCV_FENCE_VVMA);
		riscv_rfence_wait(f, 1, relax, NULL);
	}
	live_stop = true;
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_true(live.done == RISCV_FENCE_VVMA || live.f.pending == RISCV_FENCE_VVMA);
	assert_true(live_rounds > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waits_for_a_running_target),
		cmocka_unit_test(test_a_request_taken_in_on_entry_settles),
		cmocka_unit_test(test_a_target_outside_its_guest_settles_at_once),
		cmocka_unit_test(test_waits_for_every_target),
		cmocka_unit_test(test_requests_accumulate),
		cmocka_unit_test(test_live_target),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
