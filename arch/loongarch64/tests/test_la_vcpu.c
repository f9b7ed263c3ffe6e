// SPDX-License-Identifier: MIT
/*
 * The loongarch64 vCPU state switch on mocked CSRs: which guest CSRs are saved and restored and
 * in what order, what a CPU does when it changes vCPU (save, restore, guest ID, TLB
 * invalidation), and the guest timer kept across exits.
 */
#include <arch/loongarch.h>
#include <pv_test.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "la_internal.h"
#include "la_mock.h"
#include "la_vcpu.h"

/* Every guest CSR the backend must switch, written from the manual's CSR table independently of
 * la_gcsr.c: CRMD..EENTRY, TLB CSRs, ASID, page walk, STLBPS, RVACFG, CPUID, SAVE0..15, TID,
 * TCFG, TVAL, CNTC, ESTAT, LLBCTL, TLB-refill CSRs, DMW0..3. */
static const unsigned want_gcsrs[] = {
	0x0,  0x1,  0x2,  0x3,	0x4,  0x5,  0x6,  0x7,	0x8,  0xc,   0x10,  0x11,  0x12,  0x13,
	0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x30, 0x31,  0x32,  0x33,  0x34,  0x35,
	0x36, 0x37, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,  0x40,  0x41,  0x42,  0x43,
	0x60, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f, 0x180, 0x181, 0x182, 0x183,
};

static int setup(void **state)
{
	(void)state;
	fake_reset();
	la_mock_reset();
	la_gid_reset();
	return 0;
}

static void test_gcsr_set(void **state)
{
	(void)state;
	assert_int_equal(LA_GCSR_COUNT, PV_ARRAY_SIZE(want_gcsrs));
	for (unsigned w = 0; w < PV_ARRAY_SIZE(want_gcsrs); w++) {
		unsigned hits = 0;

		for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
			hits += la_gcsr_numbers[i] == want_gcsrs[w];
		assert_int_equal(hits, 1);
	}
	/* TICLR is an action, not state: switching it would acknowledge the guest's timer. */
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		assert_int_not_equal(la_gcsr_numbers[i], 0x44);
}

static void test_gcsr_save(void **state)
{
	uint64_t file[LA_GCSR_COUNT];

	(void)state;
	for (unsigned n = 0; n < LA_MOCK_CSRS; n++)
		la_mock.gcsr[n] = 0xabc0000ULL + n;
	memset(file, 0, sizeof(file));
	la_gcsr_save(file);
	assert_int_equal(la_mock.nlog, LA_GCSR_COUNT);
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0, true), 0);
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++) {
		assert_int_equal(file[i], 0xabc0000ULL + la_gcsr_numbers[i]);
		assert_int_equal(la_mock_count(LM_GCSR_RD, la_gcsr_numbers[i], false), 1);
	}
	assert_int_equal(file[LA_G_ESTAT], 0xabc0005ULL);
	assert_int_equal(file[LA_G_CPUID], 0xabc0020ULL);
}

static void test_gcsr_restore_order(void **state)
{
	uint64_t file[LA_GCSR_COUNT];
	unsigned n = LA_GCSR_COUNT;

	(void)state;
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		file[i] = 0x5000ULL + i;
	la_gcsr_restore(file);
	assert_int_equal(la_mock.nlog, n);
	assert_int_equal(la_mock_count(LM_GCSR_RD, 0, true), 0);
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++) {
		assert_int_equal(la_mock.gcsr[la_gcsr_numbers[i]],
				 (0x5000ULL + i) | (i == LA_G_LLBCTL ? 2 : 0));
		assert_int_equal(la_mock_count(LM_GCSR_WR, la_gcsr_numbers[i], false), 1);
	}
	/* LLBCTL.WCLLB: the incoming vCPU finds no LL/SC bit another vCPU left; KLO is kept. */
	file[LA_G_LLBCTL] = 0x5; /* ROLLB (read-only) and KLO as saved */
	la_gcsr_restore(file);
	assert_int_equal(la_mock.gcsr[0x60], 0x7);
	file[LA_G_LLBCTL] = 0;
	la_gcsr_restore(file);
	assert_int_equal(la_mock.gcsr[0x60], 0x2);
	/* The timer's configuration, then its count, then ESTAT: writing TCFG reloads TVAL and
	 * may change ESTAT.TI, so the pending lines go in last. */
	assert_int_equal(la_mock.log[n - 3].num, 0x41);
	assert_int_equal(la_mock.log[n - 2].num, 0x42);
	assert_int_equal(la_mock.log[n - 1].num, 0x5);
}

static struct la_vcpu va, vb;

static void vcpus_init(void)
{
	memset(&va, 0, sizeof(va));
	memset(&vb, 0, sizeof(vb));
	va.gid = 1;
	vb.gid = 2;
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++) {
		va.gcsr[i] = 0xa000ULL + i;
		vb.gcsr[i] = 0xb000ULL + i;
	}
	va.gcsr_stale = vb.gcsr_stale = true; /* as set_entry leaves them */
}

static void vcpus_fini(void)
{
	la_vcpu_unload(&va);
	la_vcpu_unload(&vb);
}

/* The log entries of one switch to @v: restore, GSTAT, GTLBC, invtlb of its guest ID. */
static void assert_switched_to(const struct la_vcpu *v, uint64_t base)
{
	int gstat = la_mock_find(LM_CSR_WR, LA_CSR_GSTAT, 0);
	int gtlbc = la_mock_find(LM_CSR_WR, LA_CSR_GTLBC, 0);
	int inv = la_mock_find(LM_INVTLB, 0, 0);
	int estat = la_mock_find(LM_GCSR_WR, 0x5, 0);

	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		assert_int_equal(la_mock.gcsr[la_gcsr_numbers[i]],
				 (base + i) | (i == LA_G_LLBCTL ? 2 : 0));
	assert_true(gstat > estat && gtlbc > estat && inv > gstat && inv > gtlbc);
	assert_int_equal(la_mock.log[gstat].value, LA_GSTAT_PGM | (uint64_t)v->gid << 16);
	assert_int_equal(la_mock.log[gtlbc].value & 0xff0000ULL, (uint64_t)v->gid << 16);
	assert_true(la_mock.log[gtlbc].value & LA_GTLBC_USETGID);
	assert_int_equal(la_mock.log[inv].value, (uint64_t)v->gid << 16);
	assert_int_equal(la_mock_count(LM_INVTLB, 0, true), 1);
}

static void test_load_switch(void **state)
{
	(void)state;
	vcpus_init();
	la_mock.csr[LA_CSR_GTLBC] = LA_GTLBC_TOTI | 0x3f | 0x7f0000ULL; /* other fields kept */
	la_vcpu_load(&va);
	assert_int_equal(la_mock_count(LM_GCSR_RD, 0, true), 0); /* nothing to save yet */
	assert_switched_to(&va, 0xa000);
	assert_int_equal(la_mock.csr[LA_CSR_GTLBC] & ~0xff0000ULL,
			 LA_GTLBC_TOTI | 0x3f | LA_GTLBC_USETGID);
	assert_false(va.gcsr_stale);

	/* The same vCPU again (exit and re-entry): nothing is touched. */
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_int_equal(la_mock.nlog, 0);

	/* The guest changed its CSRs in the CPU; B takes the CPU over: A's file is saved first. */
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		la_mock.gcsr[la_gcsr_numbers[i]] = 0xc000ULL + i;
	la_mock.nlog = 0;
	la_vcpu_load(&vb);
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		assert_int_equal(va.gcsr[i], 0xc000ULL + i);
	assert_true(la_mock_find(LM_GCSR_RD, 0x5, 0) < la_mock_find(LM_GCSR_WR, 0x0, 0));
	assert_switched_to(&vb, 0xb000);

	/* Back to A: its saved file returns, and its guest ID's TLB entries are invalidated. */
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_switched_to(&va, 0xc000);
	vcpus_fini();
}

static void test_load_restart(void **state)
{
	(void)state;
	vcpus_init();
	la_vcpu_load(&va);
	/* set_entry re-initialised A's file: the CPU's copy is older, so it is not saved over it. */
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		va.gcsr[i] = 0xd000ULL + i;
	va.gcsr_stale = true;
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_int_equal(la_mock_count(LM_GCSR_RD, 0, true), 0);
	assert_switched_to(&va, 0xd000);

	/* A stale vCPU that loses the CPU is not saved either. */
	vb.gcsr_stale = true;
	la_vcpu_load(&vb);
	va.gcsr_stale = true;
	for (unsigned i = 0; i < LA_GCSR_COUNT; i++)
		vb.gcsr[i] = 0xe000ULL + i;
	vb.gcsr_stale = true;
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_int_equal(la_mock_count(LM_GCSR_RD, 0, true), 0);
	assert_int_equal(vb.gcsr[0], 0xe000ULL);
	vcpus_fini();
}

static void test_load_per_cpu(void **state)
{
	(void)state;
	vcpus_init();
	fake_hw.current_cpu = 0;
	la_vcpu_load(&va);
	fake_hw.current_cpu = 1;
	la_mock.nlog = 0;
	la_vcpu_load(&vb);
	/* CPU 1 held nobody: A, loaded on CPU 0, is not saved from CPU 1's registers. */
	assert_int_equal(la_mock_count(LM_GCSR_RD, 0, true), 0);
	assert_switched_to(&vb, 0xb000);
	fake_hw.current_cpu = 0;
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_int_equal(la_mock.nlog, 0);
	/* Destroying A forgets it: the next load on CPU 0 restores again. */
	la_vcpu_unload(&va);
	la_vcpu_load(&va);
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0, true), LA_GCSR_COUNT);
	vcpus_fini();
}

static void test_vtimer_exit(void **state)
{
	struct la_vcpu v = { 0 };

	(void)state;
	la_mock.now = 1000;
	la_mock.gcsr[0x41] = 4000 | LA_TCFG_EN;
	la_mock.gcsr[0x42] = 2500;
	la_vtimer_exit(&v);
	assert_int_equal(v.timer_deadline, 3500);
	assert_false(la_vtimer_expired(&v, 3499));
	assert_true(la_vtimer_expired(&v, 3500));
	la_mock.gcsr[0x41] = 4000; /* disabled */
	la_vtimer_exit(&v);
	assert_int_equal(v.timer_deadline, 0);
	assert_false(la_vtimer_expired(&v, ~0ULL));
}

/* A vCPU idling off its CPU wakes at its timer's deadline, if the guest enables the timer's
 * line (else la_virq_pending never says true for it). */
static void test_vtimer_wake_deadline(void **state)
{
	struct la_vcpu v = { 0 };
	struct vcpu vcpu = { .arch = &v };

	(void)state;
	la_mock.now = 1000;
	la_mock.gcsr[0x41] = 4000 | LA_TCFG_EN;
	la_mock.gcsr[0x42] = 2500;
	la_vtimer_exit(&v);
	v.exit_ecfg = 1ULL << LA_IRQ_TIMER;
	assert_int_equal(la_vtimer_wake_deadline(&vcpu), 3500);
	v.exit_ecfg = LA_ECFG_LIE_MASK & ~(1ULL << LA_IRQ_TIMER);
	assert_int_equal(la_vtimer_wake_deadline(&vcpu), 0);
	v.exit_ecfg = 1ULL << LA_IRQ_TIMER;
	la_mock.gcsr[0x41] = 4000; /* disabled */
	la_vtimer_exit(&v);
	assert_int_equal(la_vtimer_wake_deadline(&vcpu), 0);
}

/*
 * A count past zero. The TCG model of LVZ computes TVAL at the exit as (expiry - now) / 10 ns in
 * unsigned arithmetic and then cancels the timer: a one-shot timer that reached zero just before
 * the exit, its interrupt not yet delivered, reads as about 2^64 / 10. Taken as a count, that put
 * the deadline 2^60 ticks away: the interrupt was lost and an idling vCPU never woke up.
 */
static void test_vtimer_past_zero(void **state)
{
	struct la_vcpu v = { 0 };

	(void)state;
	la_vtimer_width_mask = (1ULL << 48) - 1;
	la_mock.now = 50000;
	la_mock.gcsr[0x41] = 4 | LA_TCFG_EN;
	la_mock.gcsr[0x42] = (0ULL - 70) / 10; /* expired 70 ns before the exit */
	la_vtimer_exit(&v);
	assert_true(la_vtimer_expired(&v, la_mock.now));
	la_vtimer_enter(&v);
	assert_int_equal(la_mock.gcsr[0x5], 1ULL << 11);
	assert_int_equal(la_mock.gcsr[0x41], 4); /* one-shot: off, as after its expiry */
	assert_int_equal(v.timer_deadline, 0);

	/* The same for a periodic timer: due now, reloaded at entry. */
	la_mock.gcsr[0x5] = 0;
	la_mock.gcsr[0x41] = 4000 | LA_TCFG_EN | LA_TCFG_PERIODIC;
	la_mock.gcsr[0x42] = (0ULL - 70) / 10;
	la_vtimer_exit(&v);
	assert_true(la_vtimer_expired(&v, la_mock.now));
	la_vtimer_enter(&v);
	assert_int_equal(la_mock.gcsr[0x5], 1ULL << 11);
	assert_int_equal(v.timer_deadline, la_mock.now + 4000);

	/* The hardware: a one-shot timer that fired reads all ones in its width, and its interrupt
	 * was latched then (the guest may have taken it): nothing to time, no second interrupt. */
	la_mock.gcsr[0x5] = 0;
	la_mock.gcsr[0x41] = 4000 | LA_TCFG_EN;
	la_mock.gcsr[0x42] = (1ULL << 48) - 1;
	la_vtimer_exit(&v);
	assert_int_equal(v.timer_deadline, 0);
	la_vtimer_enter(&v);
	assert_int_equal(la_mock.gcsr[0x5], 0);
	la_vtimer_width_mask = ~0ULL;
}

static void test_vtimer_enter(void **state)
{
	struct la_vcpu v = { 0 };
	int tcfg, estat;

	(void)state;
	/* Not yet due: nothing changes; the remaining count is loaded into TVAL last. */
	la_mock.gcsr[0x41] = 8000 | LA_TCFG_EN;
	v.timer_deadline = 5000;
	la_mock.now = 4000;
	la_vtimer_enter(&v);
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0, true), 0);
	la_mock.now = 4100; /* the time the entry took counts */
	la_vtimer_load(&v);
	assert_int_equal(la_mock.gcsr[0x42], 900);
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0, true), 1);
	/* Due by the time of the load: 1, never 0 (reload / fire now), never more than InitVal. */
	la_mock.now = 5000;
	la_vtimer_load(&v);
	assert_int_equal(la_mock.gcsr[0x42], 1);
	v.timer_deadline = 20000;
	la_vtimer_load(&v);
	assert_int_equal(la_mock.gcsr[0x42], 8000);
	v.timer_deadline = 5000;

	/* A one-shot timer that expired while the vCPU was out: off, then TI pending. */
	la_mock.nlog = 0;
	la_mock.now = 6000;
	la_mock.gcsr[0x5] = 1ULL << 2;
	la_vtimer_enter(&v);
	tcfg = la_mock_find(LM_GCSR_WR, 0x41, 0);
	estat = la_mock_find(LM_GCSR_WR, 0x5, 0);
	assert_true(tcfg >= 0 && estat > tcfg);
	assert_int_equal(la_mock.gcsr[0x41], 8000);
	assert_int_equal(la_mock.gcsr[0x5], (1ULL << 2) | (1ULL << 11));
	assert_int_equal(v.timer_deadline, 0);
	la_mock.nlog = 0;
	la_vtimer_load(&v);
	assert_int_equal(la_mock.nlog, 0);

	/* A periodic one 300 ticks late: the next period's remainder, deadline moved, TI set. */
	la_mock.nlog = 0;
	la_mock.gcsr[0x5] = 0;
	la_mock.gcsr[0x41] = 1000 | LA_TCFG_EN | LA_TCFG_PERIODIC;
	v.timer_deadline = 5700;
	la_mock.now = 6000;
	la_vtimer_enter(&v);
	assert_int_equal(v.timer_deadline, 6700);
	assert_int_equal(la_mock.gcsr[0x5], 1ULL << 11);
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0x41, false), 0);
	la_vtimer_load(&v);
	assert_int_equal(la_mock.gcsr[0x42], 700);

	/* No deadline: no access at all. */
	la_mock.nlog = 0;
	v.timer_deadline = 0;
	la_vtimer_enter(&v);
	la_vtimer_load(&v);
	assert_int_equal(la_mock.nlog, 0);
}

/*
 * Where the guest timer stands still in root mode (the TCG model), it stopped at the exit, when
 * trap.S read the counter, not when the backend reads TVAL later: the deadline counts from the
 * exit, plus the tick TVAL's whole count leaves out. Counting from the later read, each exit
 * moved the deadline by its own length (a guest taking many exits saw its timer slow down), and
 * without the tick, the expiry could come a tick before the guest's deadline.
 */
static void test_vtimer_stops_in_root(void **state)
{
	struct la_vcpu v = { 0 };

	(void)state;
	la_vtimer_stops_in_root = true;
	v.ctx.exit_time = 1000;
	la_mock.now = 1300;
	la_mock.gcsr[0x41] = 4000 | LA_TCFG_EN;
	la_mock.gcsr[0x42] = 2500;
	la_vtimer_exit(&v);
	assert_int_equal(v.timer_deadline, 3501);

	/* A guest exiting every 100 ticks, each exit 40 ticks in the root: the model's timer runs
	 * 60 ticks per round; the deadline holds still and the timer loads the rest. */
	for (unsigned round = 0; round < 20; round++) {
		uint64_t enter = 1000 + 100 * round + 40, count;

		la_mock.now = enter;
		la_vtimer_enter(&v);
		la_vtimer_load(&v);
		count = la_mock.gcsr[0x42];
		v.ctx.exit_time = enter + 60;
		la_mock.gcsr[0x42] = count - 60; /* what the model holds at the exit */
		la_mock.now = v.ctx.exit_time + 40;
		la_vtimer_exit(&v);
		assert_true(v.timer_deadline >= 3501 && v.timer_deadline <= 3502 + round);
	}
	la_vtimer_stops_in_root = false;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_gcsr_set, setup),
		cmocka_unit_test_setup(test_gcsr_save, setup),
		cmocka_unit_test_setup(test_gcsr_restore_order, setup),
		cmocka_unit_test_setup(test_load_switch, setup),
		cmocka_unit_test_setup(test_load_restart, setup),
		cmocka_unit_test_setup(test_load_per_cpu, setup),
		cmocka_unit_test_setup(test_vtimer_exit, setup),
		cmocka_unit_test_setup(test_vtimer_wake_deadline, setup),
		cmocka_unit_test_setup(test_vtimer_enter, setup),
		cmocka_unit_test_setup(test_vtimer_past_zero, setup),
		cmocka_unit_test_setup(test_vtimer_stops_in_root, setup),
	};

	return cmocka_run_group_tests_name("la_vcpu", tests, NULL, NULL);
}
