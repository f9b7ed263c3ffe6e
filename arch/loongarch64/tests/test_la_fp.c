// SPDX-License-Identifier: MIT
/*
 * FP / vector state of vCPUs sharing a CPU, on mocked registers: the outgoing vCPU's registers,
 * FCC and FCSR0 are saved and the incoming one's restored when the CPU changes vCPU, nothing
 * moves when the same vCPU re-enters, the root's EUEN units are on only for the copy, and guests
 * see only the units that are switched.
 */
#include <arch/loongarch.h>
#include <pv_test.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "la_internal.h"
#include "la_mock.h"
#include "la_vcpu.h"

#define LA_EUEN_ALL (LA_EUEN_FPE | LA_EUEN_SXE | LA_EUEN_ASXE)

static struct la_vcpu va, vb;

/* Every lane of every register, FCC and FCSR0 different per owner (@tag) and position. */
static void fp_fill(struct la_fp *fp, uint64_t tag)
{
	for (unsigned n = 0; n < 32; n++)
		for (unsigned l = 0; l < 4; l++)
			fp->vreg[n][l] = tag << 32 | (uint64_t)n << 8 | l;
	fp->fcc = 0x0101000100000101ULL ^ tag;
	fp->fcsr = (uint32_t)(0x300 | tag);
}

static void assert_fp_equal(const struct la_fp *a, const struct la_fp *b, unsigned lanes)
{
	for (unsigned n = 0; n < 32; n++)
		for (unsigned l = 0; l < lanes; l++)
			assert_int_equal(a->vreg[n][l], b->vreg[n][l]);
	assert_int_equal(a->fcc, b->fcc);
	assert_int_equal(a->fcsr, b->fcsr);
}

static void probe(uint32_t cfg2)
{
	la_mock.cpucfg[2] = cfg2;
	la_fp_probe();
}

static int setup(void **state)
{
	(void)state;
	fake_reset();
	la_mock_reset();
	la_gid_reset();
	memset(&va, 0, sizeof(va));
	memset(&vb, 0, sizeof(vb));
	va.gid = 1;
	vb.gid = 2;
	fp_fill(&va.fp, 0xa);
	fp_fill(&vb.fp, 0xb);
	va.gcsr_stale = vb.gcsr_stale = true; /* as set_entry leaves them */
	probe(LA_CPUCFG2_FP | LA_CPUCFG2_FP_DP | LA_CPUCFG2_LSX | LA_CPUCFG2_LASX);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	la_vcpu_unload(&va);
	la_vcpu_unload(&vb);
	return 0;
}

/* The FP accesses of one switch: EUEN on, [save @out,] restore @in, EUEN off, in that order. */
static void assert_fp_switch(const struct la_vcpu *out, const struct la_vcpu *in)
{
	int on = la_mock_find(LM_CSR_WR, LA_CSR_EUEN, 0);
	int save = out ? la_mock_find(LM_FP_SAVE, LA_FP_LASX, 0) : -1;
	int restore = la_mock_find(LM_FP_RESTORE, LA_FP_LASX, 0);
	int off = on >= 0 ? la_mock_find(LM_CSR_WR, LA_CSR_EUEN, (unsigned)on + 1) : -1;

	assert_true(on >= 0 && restore > on && off > restore);
	assert_int_equal(la_mock.log[on].value, LA_EUEN_ALL);
	assert_int_equal(la_mock.log[off].value, 0);
	assert_int_equal(la_mock.csr[LA_CSR_EUEN], 0);
	assert_int_equal(la_mock.log[restore].value, (uint64_t)(uintptr_t)&in->fp);
	assert_int_equal(la_mock_count(LM_FP_RESTORE, 0, true), 1);
	assert_int_equal(la_mock_count(LM_CSR_WR, LA_CSR_EUEN, false), 2);
	if (out) {
		assert_true(save > on && save < restore);
		assert_int_equal(la_mock.log[save].value, (uint64_t)(uintptr_t)&out->fp);
		assert_int_equal(la_mock_count(LM_FP_SAVE, 0, true), 1);
	} else {
		assert_int_equal(la_mock_count(LM_FP_SAVE, 0, true), 0);
	}
}

static void test_fp_switch(void **state)
{
	struct la_fp guest_a, want_b;

	(void)state;
	fp_fill(&la_mock.fp, 0xdead); /* whatever the CPU held: nobody's */
	want_b = vb.fp;

	/* First vCPU on the CPU: nothing to save, its registers are loaded. */
	la_vcpu_load(&va);
	assert_fp_switch(NULL, &va);
	assert_fp_equal(&la_mock.fp, &va.fp, 4);

	/* A runs and changes its registers; an exit and re-entry of A moves nothing. */
	fp_fill(&la_mock.fp, 0xa2);
	guest_a = la_mock.fp;
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_int_equal(la_mock.nlog, 0);
	assert_fp_equal(&la_mock.fp, &guest_a, 4);

	/* B takes the CPU: A's live registers are saved, B's loaded; B's copy is not written. */
	la_mock.nlog = 0;
	la_vcpu_load(&vb);
	assert_fp_switch(&va, &vb);
	assert_fp_equal(&va.fp, &guest_a, 4);
	assert_fp_equal(&la_mock.fp, &want_b, 4);
	assert_fp_equal(&vb.fp, &want_b, 4);

	/* B changes its registers, A comes back: B saved, A's own values return, not B's. */
	fp_fill(&la_mock.fp, 0xb2);
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_fp_switch(&vb, &va);
	assert_fp_equal(&la_mock.fp, &guest_a, 4);
	fp_fill(&want_b, 0xb2);
	assert_fp_equal(&vb.fp, &want_b, 4);
}

static void test_fp_restart(void **state)
{
	(void)state;
	la_vcpu_load(&va);
	fp_fill(&la_mock.fp, 0xa2);

	/* set_entry cleared A's state: the CPU's copy is older and is not saved over it. */
	memset(&va.fp, 0, sizeof(va.fp));
	va.gcsr_stale = true;
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	assert_fp_switch(NULL, &va);
	assert_int_equal(la_mock.fp.vreg[31][3], 0);
	assert_int_equal(la_mock.fp.fcsr, 0);

	/* A stale vCPU that loses the CPU is not saved either. */
	va.gcsr_stale = true;
	la_mock.nlog = 0;
	la_vcpu_load(&vb);
	assert_fp_switch(NULL, &vb);
	assert_int_equal(va.fp.vreg[0][0], 0);
}

/* Narrower units move only their lanes, with only their EUEN bits; no FP moves nothing. */
static void test_fp_widths(void **state)
{
	struct la_fp hw;

	(void)state;
	probe(LA_CPUCFG2_FP | LA_CPUCFG2_FP_DP | LA_CPUCFG2_LSX);
	assert_int_equal(la_fp_width, LA_FP_LSX);
	assert_int_equal(la_fp_euen, LA_EUEN_FPE | LA_EUEN_SXE);
	fp_fill(&la_mock.fp, 0xdead);
	hw = la_mock.fp;
	la_vcpu_load(&va);
	assert_int_equal(la_mock_find(LM_FP_RESTORE, LA_FP_LSX, 0) >= 0, 1);
	assert_int_equal(la_mock.log[la_mock_find(LM_CSR_WR, LA_CSR_EUEN, 0)].value,
			 LA_EUEN_FPE | LA_EUEN_SXE);
	for (unsigned n = 0; n < 32; n++) {
		assert_int_equal(la_mock.fp.vreg[n][1], va.fp.vreg[n][1]);
		assert_int_equal(la_mock.fp.vreg[n][2], hw.vreg[n][2]);
	}
	teardown(state);

	probe(LA_CPUCFG2_FP | LA_CPUCFG2_FP_DP);
	assert_int_equal(la_fp_width, LA_FP_SCALAR);
	assert_int_equal(la_fp_euen, LA_EUEN_FPE);
	la_mock.nlog = 0;
	la_vcpu_load(&vb);
	assert_true(la_mock_find(LM_FP_RESTORE, LA_FP_SCALAR, 0) >= 0);
	assert_int_equal(la_mock.fp.vreg[5][0], vb.fp.vreg[5][0]);
	assert_int_not_equal(la_mock.fp.vreg[5][1], vb.fp.vreg[5][1]);
	teardown(state);

	/* Single precision only, or no FP: nothing is switched, root EUEN is never touched. */
	probe(LA_CPUCFG2_FP);
	assert_int_equal(la_fp_width, LA_FP_NONE);
	assert_int_equal(la_fp_euen, 0);
	la_mock.nlog = 0;
	la_vcpu_load(&va);
	la_vcpu_load(&vb);
	assert_int_equal(la_mock_count(LM_FP_SAVE, 0, true), 0);
	assert_int_equal(la_mock_count(LM_FP_RESTORE, 0, true), 0);
	assert_int_equal(la_mock_count(LM_CSR_WR, LA_CSR_EUEN, false), 0);
}

/* A guest is offered exactly the units whose registers are switched, and never LBT. */
static void test_fp_guest_cpucfg2(void **state)
{
	uint32_t all = 0xffffffffu;

	(void)state;
	assert_int_equal(la_fp_guest_cpucfg2(all), all & ~LA_CPUCFG2_LBT_ALL);
	probe(LA_CPUCFG2_FP | LA_CPUCFG2_FP_DP | LA_CPUCFG2_LSX);
	assert_int_equal(la_fp_guest_cpucfg2(all), all & ~(LA_CPUCFG2_LBT_ALL | LA_CPUCFG2_LASX));
	probe(LA_CPUCFG2_FP | LA_CPUCFG2_FP_DP);
	assert_int_equal(la_fp_guest_cpucfg2(all),
			 all & ~(LA_CPUCFG2_LBT_ALL | LA_CPUCFG2_LASX | LA_CPUCFG2_LSX));
	probe(LA_CPUCFG2_FP);
	assert_int_equal(la_fp_guest_cpucfg2(all), all & ~(LA_CPUCFG2_LBT_ALL | LA_CPUCFG2_LASX |
							   LA_CPUCFG2_LSX | LA_CPUCFG2_FP_ALL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fp_switch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_restart, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_widths, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fp_guest_cpucfg2, setup, teardown),
	};

	return cmocka_run_group_tests_name("la_fp", tests, NULL, NULL);
}
