// SPDX-License-Identifier: MIT
/*
 * The aarch64 guest's identification, debug and auxiliary registers and the EL2 traps derived from
 * the hardware, with the identification values QEMU 7.2 reports for -cpu cortex-a57 and -cpu max.
 */
#include "pv_test.h"

#include <a64/decode.h>
#include <a64/sysreg_emul.h>

#define FIELD(v, shift) A64_ID_FIELD(v, shift)

/* QEMU 7.2, -cpu cortex-a57 and -cpu max (pauth-impdef=on), read at EL2. */
static struct a64_hw_ids a57, max;

static int setup(void **state)
{
	(void)state;
	a57 = (struct a64_hw_ids){ .pmu_counters = 6 };
	A64_IDREG(&a57, 4, 0) = 0x1000222ULL;
	A64_IDREG(&a57, 5, 0) = 0x10305106ULL;
	A64_IDREG(&a57, 6, 0) = 0x11120ULL;
	A64_IDREG(&a57, 7, 0) = 0x1124ULL;
	A64_IDREG(&a57, 1, 0) = 0x131ULL;
	A64_IDREG(&a57, 1, 1) = 0x10011001ULL;
	A64_IDREG(&a57, 1, 2) = 0x3010006ULL;
	max = (struct a64_hw_ids){ .pmu_counters = 6 };
	A64_IDREG(&max, 4, 0) = 0x1201001121110222ULL;
	A64_IDREG(&max, 4, 1) = 0x1000021ULL;
	A64_IDREG(&max, 4, 4) = 0x110110100110021ULL;
	A64_IDREG(&max, 4, 5) = 0x80f100fd00000000ULL;
	A64_IDREG(&max, 5, 0) = 0x10305609ULL;
	A64_IDREG(&max, 6, 0) = 0x1221111110212120ULL;
	A64_IDREG(&max, 6, 1) = 0x11111110211102ULL;
	A64_IDREG(&max, 7, 0) = 0x32310201126ULL;
	A64_IDREG(&max, 7, 1) = 0x11010211122ULL;
	A64_IDREG(&max, 7, 2) = 0x1021011010011011ULL;
	A64_IDREG(&max, 1, 0) = 0x11020131ULL;
	A64_IDREG(&max, 1, 2) = 0x6010009ULL;
	A64_IDREG(&max, 3, 4) = 0x11ULL;
	return 0;
}

static void test_ids_cortex_a57(void **state)
{
	struct a64_id_view v;
	(void)state;
	a64_id_view_init(&v, &a57, 40);
	/* EL0 AArch64+AArch32, EL1 AArch64 only, no EL2 for the guest, GICv3 system registers. */
	assert_int_equal(v.id[3][0], 0x1000012ULL);
	/* ARMv8.0 debug, 2 breakpoints, 2 watchpoints, no PMU, no Double Lock. */
	assert_int_equal(v.id[4][0], 0xf000101006ULL);
	assert_int_equal(FIELD(v.id[4][0], A64_DFR0_PMUVER), 0);
	assert_int_equal(v.id[5][0], 0x11120ULL); /* the instructions, as they are */
	assert_int_equal(v.id[6][0], 0x1122ULL);  /* 44-bit PA: the guest's is 40 bits */
	/* AArch32: no PMU nor trace in ID_DFR0, no virtualization in ID_PFR1. */
	assert_int_equal(v.id[0][2], 0x6ULL);
	assert_int_equal(v.id[0][1], 0x10010001ULL);
	/* Unallocated encodings read as zero. */
	assert_int_equal(v.id[3][3], 0);
	assert_int_equal(v.id[6][7], 0);
}

static void test_ids_max_hide_what_is_not_switched(void **state)
{
	struct a64_id_view v;
	uint64_t pfr0, isar1, mmfr1;
	(void)state;
	a64_id_view_init(&v, &max, 40);
	pfr0 = v.id[3][0];
	assert_int_equal(FIELD(pfr0, 32), 0); /* SVE */
	assert_int_equal(FIELD(pfr0, 28), 0); /* RAS */
	assert_int_equal(FIELD(pfr0, 8), 0);  /* EL2 */
	assert_int_equal(FIELD(pfr0, 4), 1);  /* EL1: AArch64 only */
	assert_int_equal(FIELD(pfr0, 0), 2);  /* EL0: AArch32 tasks possible */
	assert_int_equal(FIELD(pfr0, 56), 1); /* CSV2 without SCXTNUM */
	assert_int_equal(FIELD(pfr0, 16), 1); /* FP and AdvSIMD kept, with half precision */
	assert_int_equal(FIELD(pfr0, 20), 1);
	assert_int_equal(FIELD(pfr0, 48), 1);  /* DIT */
	assert_int_equal(v.id[3][1], 0x21ULL); /* BT, SSBS; no SME */
	assert_int_equal(v.id[3][4], 0);       /* ZFR0 */
	assert_int_equal(v.id[3][5], 0);       /* SMFR0 */
	isar1 = v.id[5][1];
	assert_int_equal(FIELD(isar1, 4) | FIELD(isar1, 8) | FIELD(isar1, 24) | FIELD(isar1, 28),
			 0);
	assert_int_equal(FIELD(isar1, 20), 2); /* LRCPC kept */
	assert_int_equal(v.id[5][0], 0x1221111110212120ULL);
	assert_int_equal(FIELD(v.id[6][0], 0), 2); /* 52-bit PA hardware, 40-bit guest */
	mmfr1 = v.id[6][1];
	assert_int_equal(FIELD(mmfr1, A64_MMFR1_LO), 0);
	assert_int_equal(FIELD(mmfr1, 4) | FIELD(mmfr1, 8) | FIELD(mmfr1, 40),
			 0);			       /* VMID, VH, HCX */
	assert_int_equal(FIELD(mmfr1, 0), 2);	       /* HAFDBS */
	assert_int_equal(FIELD(mmfr1, 20), 2);	       /* PAN */
	assert_int_equal(v.id[4][0], 0xf000101006ULL); /* v8.4 debug and PMUv3p5 hidden */
	assert_int_equal(v.id[0][2], 0x6ULL);
	assert_int_equal(FIELD(v.id[0][0], 28), 0); /* ID_PFR0.RAS */
	assert_int_equal(FIELD(v.id[0][0], 16), 1); /* ID_PFR0.CSV2 capped */
	assert_int_equal(v.id[2][4], 0x11ULL);	    /* ID_PFR2: CSV3, SSBS */
}

static void test_el2_traps(void **state)
{
	struct a64_el2_traps t;
	(void)state;
	a64_el2_traps_init(&t, &a57);
	assert_int_equal(t.hcr, HCR_TID3 | HCR_TACR | HCR_TIDCP);
	/* PMUv3 (v8.0): every access traps, all 6 counters EL1's, no EL2-only counting bits. */
	assert_int_equal(t.mdcr, MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA | 6u);
	assert_int_equal(t.cptr, A64_CPTR_RES1 | CPTR_TTA);
	assert_true(t.pmu);
	assert_false(t.tpidr2);
	assert_false(t.vdisr);

	a64_el2_traps_init(&t, &max);
	assert_int_equal(t.hcr, HCR_TID3 | HCR_TACR | HCR_TIDCP | HCR_TLOR | HCR_TERR);
	/* PMUv3p5: EL2 counts nothing, cycle counter included. */
	assert_int_equal(t.mdcr, MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA |
					 MDCR_HPMD | MDCR_HCCD | 6u);
	assert_true(t.tpidr2);
	assert_true(t.vdisr);

	/* No PMU: no HPMN; statistical profiling, trace filter and AMU are trapped if present. */
	A64_IDREG(&a57, 5, 0) = (A64_IDREG(&a57, 5, 0) & ~(0xfULL << A64_DFR0_PMUVER)) |
				(1ULL << A64_DFR0_PMSVER) | (1ULL << A64_DFR0_TRACEFILT);
	A64_IDREG(&a57, 4, 0) |= 1ULL << A64_PFR0_AMU;
	a64_el2_traps_init(&t, &a57);
	assert_false(t.pmu);
	assert_int_equal(t.mdcr, MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA |
					 MDCR_TPMS | MDCR_TTRF);
	assert_int_equal(t.cptr, A64_CPTR_RES1 | CPTR_TTA | CPTR_TAM);
}

static struct a64_id_view view;

static enum a64_sysreg_result acc(struct a64_dbg_state *d, uint32_t id, bool write, bool el0,
				  uint64_t *value)
{
	return a64_sysreg_emulate(d, &view, id, write, el0, value);
}

static uint64_t rd(struct a64_dbg_state *d, uint32_t id)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(acc(d, id, false, false, &v), A64_SR_DONE);
	return v;
}

static void wr(struct a64_dbg_state *d, uint32_t id, uint64_t v)
{
	assert_int_equal(acc(d, id, true, false, &v), A64_SR_DONE);
}

#define DBGBVR(n)	A64_SYSREG_ID(2, 0, 0, n, 4)
#define DBGBCR(n)	A64_SYSREG_ID(2, 0, 0, n, 5)
#define DBGWVR(n)	A64_SYSREG_ID(2, 0, 0, n, 6)
#define DBGWCR(n)	A64_SYSREG_ID(2, 0, 0, n, 7)
#define MDSCR_EL1	A64_SYSREG_ID(2, 0, 0, 2, 2)
#define OSLAR_EL1	A64_SYSREG_ID(2, 0, 1, 0, 4)
#define OSLSR_EL1	A64_SYSREG_ID(2, 0, 1, 1, 4)
#define MDCCSR_EL0	A64_SYSREG_ID(2, 3, 0, 1, 0)
#define DBGDTR_EL0	A64_SYSREG_ID(2, 3, 0, 4, 0)
#define DBGCLAIMSET_EL1 A64_SYSREG_ID(2, 0, 7, 8, 6)
#define DBGCLAIMCLR_EL1 A64_SYSREG_ID(2, 0, 7, 9, 6)
#define ID_AA64DFR0_EL1 A64_SYSREG_ID(3, 0, 0, 5, 0)
#define ID_AA64PFR0_EL1 A64_SYSREG_ID(3, 0, 0, 4, 0)

static void test_debug_registers_are_per_vcpu(void **state)
{
	struct a64_dbg_state a, b;
	(void)state;
	a64_dbg_reset(&a);
	a64_dbg_reset(&b);
	/* What one vCPU writes it reads back; the other vCPU still sees its reset values. */
	wr(&a, DBGBVR(0), 0xffff000012345678ULL);
	wr(&a, DBGBCR(1), 0xffffffffULL);
	wr(&a, DBGWVR(1), 0x4000000fULL);
	wr(&a, DBGWCR(0), 0xffffffffULL);
	wr(&a, MDSCR_EL1, 0xffffffffULL);
	assert_int_equal(rd(&a, DBGBVR(0)), 0xffff000012345678ULL);
	assert_int_equal(rd(&a, DBGBCR(1)), 0x00ffe1e7ULL);
	assert_int_equal(rd(&a, DBGWVR(1)), 0x4000000cULL);
	assert_int_equal(rd(&a, DBGWCR(0)), 0x1f1fffffULL);
	assert_int_equal(rd(&a, MDSCR_EL1), 0xb001ULL);
	assert_int_equal(rd(&b, DBGBVR(0)), 0);
	assert_int_equal(rd(&b, DBGBCR(1)), 0);
	assert_int_equal(rd(&b, MDSCR_EL1), 0);
	/* Only the breakpoints and watchpoints ID_AA64DFR0_EL1 offers exist. */
	{
		uint64_t v = 1;
		assert_int_equal(acc(&a, DBGBVR(2), true, false, &v), A64_SR_UNDEF);
		assert_int_equal(acc(&a, DBGWCR(5), false, false, &v), A64_SR_UNDEF);
	}
}

static void test_os_lock_claim_and_dcc(void **state)
{
	struct a64_dbg_state d;
	uint64_t v = 0;
	(void)state;
	a64_dbg_reset(&d);
	/* Locked at reset; OSLAR_EL1 is write-only, OSLSR_EL1 read-only. */
	assert_int_equal(rd(&d, OSLSR_EL1), 0xaULL);
	wr(&d, OSLAR_EL1, 0);
	assert_int_equal(rd(&d, OSLSR_EL1), 0x8ULL);
	assert_int_equal(acc(&d, OSLAR_EL1, false, false, &v), A64_SR_UNDEF);
	assert_int_equal(acc(&d, OSLSR_EL1, true, false, &v), A64_SR_UNDEF);
	/* Claim tags: set and clear; CLAIMSET reads the implemented ones. */
	wr(&d, DBGCLAIMSET_EL1, 0x15);
	wr(&d, DBGCLAIMCLR_EL1, 0x04);
	assert_int_equal(rd(&d, DBGCLAIMCLR_EL1), 0x11);
	assert_int_equal(rd(&d, DBGCLAIMSET_EL1), 0xff);
	/* The DCC: empty, from EL1 and from EL0 until the guest sets MDSCR_EL1.TDCC. */
	wr(&d, DBGDTR_EL0, 0x55);
	assert_int_equal(rd(&d, MDCCSR_EL0), 0);
	assert_int_equal(acc(&d, MDCCSR_EL0, false, true, &v), A64_SR_DONE);
	wr(&d, MDSCR_EL1, PV_BIT(12));
	assert_int_equal(acc(&d, MDCCSR_EL0, false, true, &v), A64_SR_EL1);
	assert_int_equal(acc(&d, DBGDTR_EL0, true, true, &v), A64_SR_EL1);
	assert_int_equal(acc(&d, MDCCSR_EL0, true, false, &v), A64_SR_UNDEF);
	/* Other debug registers are EL1's; unknown ones (trace) are undefined. */
	assert_int_equal(acc(&d, MDSCR_EL1, false, true, &v), A64_SR_UNDEF);
	assert_int_equal(acc(&d, A64_SYSREG_ID(2, 1, 0, 1, 0), false, false, &v), A64_SR_UNDEF);
	assert_int_equal(rd(&d, A64_SYSREG_ID(2, 0, 1, 0, 0)), 0); /* MDRAR_EL1 */
	wr(&d, A64_SYSREG_ID(2, 0, 1, 3, 4), 1);		   /* OSDLR_EL1: RAZ/WI */
	assert_int_equal(rd(&d, A64_SYSREG_ID(2, 0, 1, 3, 4)), 0);
}

static void test_id_and_other_registers(void **state)
{
	struct a64_dbg_state d;
	uint64_t v = 0;
	(void)state;
	a64_dbg_reset(&d);
	a64_id_view_init(&view, &max, 40);
	assert_int_equal(rd(&d, ID_AA64DFR0_EL1), 0xf000101006ULL);
	assert_int_equal(rd(&d, ID_AA64PFR0_EL1), view.id[3][0]);
	assert_int_equal(rd(&d, A64_SYSREG_ID(3, 0, 0, 7, 7)), 0);
	assert_int_equal(acc(&d, ID_AA64PFR0_EL1, true, false, &v), A64_SR_UNDEF);
	/* ACTLR_EL1: RAZ/WI. */
	wr(&d, A64_SYSREG_ID(3, 0, 1, 0, 1), ~0ULL);
	assert_int_equal(rd(&d, A64_SYSREG_ID(3, 0, 1, 0, 1)), 0);
	/* MIDR (not trapped) and the GIC's registers are the core's. */
	assert_int_equal(acc(&d, A64_SYSREG_ID(3, 0, 0, 0, 0), false, false, &v), A64_SR_CORE);
	assert_int_equal(acc(&d, A64_SYSREG_ID(3, 0, 12, 11, 5), true, false, &v), A64_SR_CORE);
	assert_int_equal(acc(&d, A64_SYSREG_ID(3, 0, 12, 12, 0), false, false, &v), A64_SR_CORE);
	/* Timers the guest owns, TPIDR2_EL0, DISR_EL1 are not hidden. */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 3, 14, 3, 1))); /* CNTV_CTL_EL0 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 3, 14, 0, 2))); /* CNTVCT_EL0 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 3, 13, 0, 5))); /* TPIDR2_EL0 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 0, 12, 1, 1))); /* DISR_EL1 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 0, 1, 0, 0)));	/* SCTLR_EL1 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 0, 2, 0, 0)));	/* TTBR0_EL1 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 0, 5, 2, 0)));	/* ESR_EL1 */
	assert_false(a64_sysreg_hidden(A64_SYSREG_ID(3, 0, 13, 0, 4))); /* TPIDR_EL1 */
}

static void test_hidden_features_are_undefined(void **state)
{
	static const uint32_t hidden[] = {
		A64_SYSREG_ID(3, 3, 9, 12, 0),	/* PMCR_EL0 */
		A64_SYSREG_ID(3, 3, 9, 13, 0),	/* PMCCNTR_EL0 */
		A64_SYSREG_ID(3, 3, 9, 14, 0),	/* PMUSERENR_EL0 */
		A64_SYSREG_ID(3, 0, 9, 14, 1),	/* PMINTENSET_EL1 */
		A64_SYSREG_ID(3, 0, 9, 14, 6),	/* PMMIR_EL1 */
		A64_SYSREG_ID(3, 3, 14, 8, 0),	/* PMEVCNTR0_EL0 */
		A64_SYSREG_ID(3, 3, 14, 12, 0), /* PMEVTYPER0_EL0 */
		A64_SYSREG_ID(3, 3, 14, 15, 7), /* PMCCFILTR_EL0 */
		A64_SYSREG_ID(3, 0, 9, 9, 0),	/* PMSCR_EL1 */
		A64_SYSREG_ID(3, 0, 9, 10, 0),	/* PMBLIMITR_EL1 */
		A64_SYSREG_ID(3, 3, 13, 2, 0),	/* AMCR_EL0 */
		A64_SYSREG_ID(3, 3, 13, 7, 7),	/* AMEVCNTR1<15>_EL0 */
		A64_SYSREG_ID(3, 3, 14, 2, 1),	/* CNTP_CTL_EL0 */
		A64_SYSREG_ID(3, 1, 11, 0, 2),	/* L2CTLR_EL1 (Cortex-A57) */
		A64_SYSREG_ID(3, 1, 15, 2, 0),	/* CPUACTLR_EL1 (Cortex-A57) */
		A64_SYSREG_ID(3, 0, 1, 2, 1),	/* TRFCR_EL1 */
		A64_SYSREG_ID(3, 0, 10, 4, 0),	/* LORSA_EL1 */
		A64_SYSREG_ID(3, 0, 10, 4, 7),	/* LORID_EL1 */
		A64_SYSREG_ID(3, 0, 10, 5, 0),	/* MPAM1_EL1 */
		A64_SYSREG_ID(3, 0, 5, 3, 0),	/* ERRIDR_EL1 */
		A64_SYSREG_ID(3, 0, 5, 5, 0),	/* ERXMISC0_EL1 */
		A64_SYSREG_ID(3, 0, 2, 1, 0),	/* APIAKeyLo_EL1 */
		A64_SYSREG_ID(3, 0, 2, 3, 1),	/* APGAKeyHi_EL1 */
		A64_SYSREG_ID(3, 0, 1, 0, 6),	/* GCR_EL1 */
		A64_SYSREG_ID(3, 0, 5, 6, 1),	/* TFSRE0_EL1 */
		A64_SYSREG_ID(3, 0, 13, 0, 7),	/* SCXTNUM_EL1 */
		A64_SYSREG_ID(3, 3, 13, 0, 7),	/* SCXTNUM_EL0 */
	};
	struct a64_dbg_state d;
	uint64_t v = 0;
	(void)state;
	a64_dbg_reset(&d);
	for (unsigned i = 0; i < PV_ARRAY_SIZE(hidden); i++) {
		assert_true(a64_sysreg_hidden(hidden[i]));
		assert_int_equal(acc(&d, hidden[i], false, false, &v), A64_SR_UNDEF);
		assert_int_equal(acc(&d, hidden[i], true, false, &v), A64_SR_UNDEF);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ids_cortex_a57, setup),
		cmocka_unit_test_setup(test_ids_max_hide_what_is_not_switched, setup),
		cmocka_unit_test_setup(test_el2_traps, setup),
		cmocka_unit_test_setup(test_debug_registers_are_per_vcpu, setup),
		cmocka_unit_test_setup(test_os_lock_claim_and_dcc, setup),
		cmocka_unit_test_setup(test_id_and_other_registers, setup),
		cmocka_unit_test_setup(test_hidden_features_are_undefined, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
