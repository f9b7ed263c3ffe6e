// SPDX-License-Identifier: MIT
/* The guest's identification, debug and auxiliary-control registers (a64/sysreg_emul.h). */
#include <a64/decode.h>
#include <a64/sysreg_emul.h>

#define F(shift) (0xfULL << (shift))

/*
 * The fields of each identification register a guest sees as the hardware has them; every other
 * field reads as zero ("not implemented"), so a feature the hypervisor does not switch is hidden
 * by default, including ones newer than this table. AArch32 registers (CRm 1-3) describe what an
 * AArch32 EL0 task of the guest may use.
 */
static const struct {
	uint8_t crm, op2;
	uint64_t keep;
} a64_id_keep[] = {
	/* ID_PFR0: not AMU (23:20), RAS (31:28). ID_PFR1: not Virtualization, Virt_frac. */
	{ 1, 0, 0xffffffffULL & ~(F(20) | F(28)) },
	{ 1, 1, 0xffffffffULL & ~(F(12) | F(20)) },
	/* ID_DFR0: the CP14 debug interfaces only (no memory-mapped debug, trace, PMU). */
	{ 1, 2, F(0) | F(4) },
	{ 1, 4, 0xffffffffULL }, /* ID_MMFR0..3 */
	{ 1, 5, 0xffffffffULL },
	{ 1, 6, 0xffffffffULL },
	{ 1, 7, 0xffffffffULL },
	{ 2, 0, 0xffffffffULL }, /* ID_ISAR0..5, ID_MMFR4, ID_ISAR6 */
	{ 2, 1, 0xffffffffULL },
	{ 2, 2, 0xffffffffULL },
	{ 2, 3, 0xffffffffULL },
	{ 2, 4, 0xffffffffULL },
	{ 2, 5, 0xffffffffULL },
	{ 2, 6, 0xffffffffULL },
	{ 2, 7, 0xffffffffULL },
	{ 3, 0, 0xffffffffULL }, /* MVFR0..2 */
	{ 3, 1, 0xffffffffULL },
	{ 3, 2, 0xffffffffULL },
	{ 3, 4, F(0) | F(4) },	 /* ID_PFR2: CSV3, SSBS (not RAS_frac) */
	{ 3, 6, 0xffffffffULL }, /* ID_MMFR5 */
	/* ID_AA64PFR0: EL0, EL1, EL3, FP, AdvSIMD, GIC, DIT, CSV2, CSV3 (not EL2, RAS, SVE, SEL2,
	 * MPAM, AMU, RME). */
	{ 4, 0, F(0) | F(4) | F(12) | F(16) | F(20) | F(24) | F(48) | F(56) | F(60) },
	{ 4, 1, F(0) | F(4) }, /* ID_AA64PFR1: BT, SSBS (not MTE, SME, RAS_frac, ...) */
	/* ID_AA64ISAR0: all but TME. */
	{ 6, 0, ~F(24) },
	/* ID_AA64ISAR1: DPB, JSCVT, FCMA, LRCPC, FRINTTS, SB, SPECRES, BF16, DGH, I8MM (not
	 * pointer authentication APA/API/GPA/GPI, XS, LS64). */
	{ 6, 1, F(0) | F(12) | F(16) | F(20) | F(32) | F(36) | F(40) | F(44) | F(48) | F(52) },
	{ 6, 2, F(4) | F(28) }, /* ID_AA64ISAR2: RPRES, CLRBHB (not WFxT, pointer auth, MOPS) */
	/* ID_AA64MMFR0: all but FGT and ECV (EL2 features). */
	{ 7, 0, ~(F(56) | F(60)) },
	/* ID_AA64MMFR1: HAFDBS, HPDS, PAN, SpecSEI, ETS, AFP, nTLBPA (not VMIDBits, VH, LO, XNX,
	 * TWED, HCX, TIDCP1, CMOW). */
	{ 7, 1, F(0) | F(12) | F(20) | F(24) | F(36) | F(44) | F(48) },
	/* ID_AA64MMFR2: all but NV, FWB and EVT (EL2 features). */
	{ 7, 2, ~(F(24) | F(40) | F(56)) },
};

/* @v with its unsigned field at @shift limited to @max. */
static uint64_t cap(uint64_t v, unsigned shift, unsigned max)
{
	if (A64_ID_FIELD(v, shift) <= max)
		return v;
	return (v & ~F(shift)) | ((uint64_t)max << shift);
}

static unsigned parange_of(unsigned bits)
{
	static const uint8_t sizes[] = { 32, 36, 40, 42, 44, 48, 52 };
	unsigned code = 0;

	for (unsigned i = 0; i < PV_ARRAY_SIZE(sizes); i++)
		if (sizes[i] <= bits)
			code = i;
	return code;
}

/* ID_AA64DFR0_EL1 of the emulated debug: ARMv8.0 debug, A64_DBG_BRPS breakpoints and watchpoints
 * (one of them context-aware), no Double Lock, no PMU, statistical profiling or trace. */
#define A64_GUEST_DFR0                                                                             \
	(6ULL | ((uint64_t)(A64_DBG_BRPS - 1) << 12) | ((uint64_t)(A64_DBG_BRPS - 1) << 20) |      \
	 (0xfULL << 36))

uint64_t a64_id_sanitize(unsigned crm, unsigned op2, uint64_t hw, unsigned ipa_bits)
{
	uint64_t v = 0;

	if (crm == 5 && op2 == 0)
		return A64_GUEST_DFR0;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(a64_id_keep); i++)
		if (a64_id_keep[i].crm == crm && a64_id_keep[i].op2 == op2)
			v = hw & a64_id_keep[i].keep;
	/* ID_PFR0.CSV2 2 and ID_AA64PFR0.CSV2 2 mean SCXTNUM, which is not offered; ID_DFR0:
	 * ARMv8.0 debug, as emulated; ID_AA64PFR0: EL1 is AArch64 only (HCR_EL2.RW), the vGIC is a
	 * GICv3; ID_AA64MMFR0: the guest's physical addresses are the stage-2 input range. */
	if (crm == 1 && op2 == 0)
		v = cap(v, 16, 1);
	else if (crm == 1 && op2 == 2)
		v = cap(v, 0, 6);
	else if (crm == 4 && op2 == 0)
		v = cap(cap(cap(v, 4, 1), 24, 1), 56, 1);
	else if (crm == 7 && op2 == 0)
		v = cap(v, 0, parange_of(ipa_bits));
	return v;
}

void a64_id_view_init(struct a64_id_view *view, const struct a64_hw_ids *hw, unsigned ipa_bits)
{
	for (unsigned crm = 1; crm <= 7; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			view->id[crm - 1][op2] =
				a64_id_sanitize(crm, op2, hw->id[crm - 1][op2], ipa_bits);
}

void a64_el2_traps_init(struct a64_el2_traps *t, const struct a64_hw_ids *hw)
{
	uint64_t pfr0 = A64_IDREG(hw, 4, 0), pfr1 = A64_IDREG(hw, 4, 1);
	uint64_t dfr0 = A64_IDREG(hw, 5, 0), mmfr1 = A64_IDREG(hw, 7, 1);
	unsigned pmuver = A64_ID_FIELD(dfr0, A64_DFR0_PMUVER);

	/* Identification, auxiliary control and IMPLEMENTATION DEFINED registers trap. */
	t->hcr = HCR_TID3 | HCR_TACR | HCR_TIDCP;
	if (A64_ID_FIELD(mmfr1, A64_MMFR1_LO))
		t->hcr |= HCR_TLOR;
	if (A64_ID_FIELD(pfr0, A64_PFR0_RAS))
		t->hcr |= HCR_TERR;
	/* Every PMU and debug register access traps; the guest never reaches the hardware's. */
	t->mdcr = MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA;
	t->pmu = pmuver != 0 && pmuver != 0xf;
	if (t->pmu) {
		/* HPMN = N: no counter is reserved to EL2 (HPME stays 0). */
		t->mdcr |= hw->pmu_counters & 0x1fu;
		if (pmuver >= 4) /* PMUv3p1: event counters never count at EL2 */
			t->mdcr |= MDCR_HPMD;
		if (pmuver >= 6) /* PMUv3p5: nor does the cycle counter */
			t->mdcr |= MDCR_HCCD;
	}
	if (A64_ID_FIELD(dfr0, A64_DFR0_PMSVER)) /* E2PB stays 0: the profiling buffer is EL2's */
		t->mdcr |= MDCR_TPMS;
	if (A64_ID_FIELD(dfr0, A64_DFR0_TRACEFILT))
		t->mdcr |= MDCR_TTRF;
	t->cptr = A64_CPTR_RES1 | CPTR_TTA;
	if (A64_ID_FIELD(pfr0, A64_PFR0_AMU))
		t->cptr |= CPTR_TAM;
	t->tpidr2 = A64_ID_FIELD(pfr1, A64_PFR1_SME) != 0;
	t->vdisr = A64_ID_FIELD(pfr0, A64_PFR0_RAS) != 0;
}

void a64_dbg_reset(struct a64_dbg_state *d)
{
	*d = (struct a64_dbg_state){ .os_locked = true };
}

/* Writable bits: DBGBCR (BT, LBN, SSC, HMC, BAS, PMC, E), DBGWCR (MASK, WT, LBN, SSC, HMC, BAS,
 * LSC, PAC, E), MDSCR_EL1 (SS, TDCC, KDE, MDE), MDCCINT_EL1 (RX, TX). */
#define DBGBCR_MASK  0x00ffe1e7ULL
#define DBGWCR_MASK  0x1f1fffffULL
#define MDSCR_MASK   0x0000b001ULL
#define MDSCR_TDCC   PV_BIT(12)
#define MDCCINT_MASK 0x60000000ULL
#define OSLSR_OSLM_2 0x8u /* OSLM = 0b10: the OS lock is implemented */
#define AUTH_NS_DIS  0xau /* non-secure invasive and non-invasive debug: implemented, disabled */

/* A register that holds what the guest writes (under @mask) and reads it back. */
static enum a64_sysreg_result rw(uint64_t *reg, uint64_t mask, bool write, uint64_t *value)
{
	if (write)
		*reg = *value & mask;
	else
		*value = *reg;
	return A64_SR_DONE;
}

/* Read-only (@ro) or write-only registers: the other direction is undefined. */
static enum a64_sysreg_result ro(uint64_t v, bool write, uint64_t *value)
{
	if (write)
		return A64_SR_UNDEF;
	*value = v;
	return A64_SR_DONE;
}

/* Breakpoint and watchpoint registers: op0 2, op1 0, CRn 0, CRm n, op2 4..7. */
static enum a64_sysreg_result dbg_bpwp(struct a64_dbg_state *d, unsigned n, unsigned op2,
				       bool write, uint64_t *value)
{
	if (n >= A64_DBG_BRPS)
		return A64_SR_UNDEF;
	switch (op2) {
	case 4:
		return rw(&d->bvr[n], ~0ULL, write, value);
	case 5:
		return rw(&d->bcr[n], DBGBCR_MASK, write, value);
	case 6:
		return rw(&d->wvr[n], ~3ULL, write, value);
	default:
		return rw(&d->wcr[n], DBGWCR_MASK, write, value);
	}
}

/* The debug communications channel, from EL0 or EL1: nobody is at its other end. */
static enum a64_sysreg_result dbg_dcc(const struct a64_dbg_state *d, bool el0, bool ro_reg,
				      bool write, uint64_t *value)
{
	if (el0 && (d->mdscr & MDSCR_TDCC))
		return A64_SR_EL1;
	if (ro_reg && write)
		return A64_SR_UNDEF;
	if (!write)
		*value = 0;
	return A64_SR_DONE;
}

static enum a64_sysreg_result a64_debug_emulate(struct a64_dbg_state *d, uint32_t id, bool write,
						bool el0, uint64_t *value)
{
	uint64_t oslsr = OSLSR_OSLM_2 | (d->os_locked ? 2u : 0u);

	if (id == A64_SYSREG_ID(2, 3, 0, 1, 0)) /* MDCCSR_EL0: nothing to send or receive */
		return dbg_dcc(d, el0, true, write, value);
	if (id == A64_SYSREG_ID(2, 3, 0, 4, 0) || id == A64_SYSREG_ID(2, 3, 0, 5, 0))
		return dbg_dcc(d, el0, false, write, value); /* DBGDTR_EL0, DBGDTRRX/TX_EL0 */
	if (el0)
		return A64_SR_UNDEF; /* the rest are EL1 registers */
	if ((id & ~(uint32_t)A64_SYSREG_ID(0, 0, 0, 15, 3)) == A64_SYSREG_ID(2, 0, 0, 0, 4))
		return dbg_bpwp(d, (id >> 3) & 15u, id & 7u, write, value);
	switch (id) {
	case A64_SYSREG_ID(2, 0, 0, 2, 2): /* MDSCR_EL1 */
		return rw(&d->mdscr, MDSCR_MASK, write, value);
	case A64_SYSREG_ID(2, 0, 0, 2, 0): /* MDCCINT_EL1 */
		return rw(&d->mdccint, MDCCINT_MASK, write, value);
	case A64_SYSREG_ID(2, 0, 0, 6, 2): /* OSECCR_EL1 */
		return rw(&d->oseccr, 0xffffffffULL, write, value);
	case A64_SYSREG_ID(2, 0, 1, 4, 4): /* DBGPRCR_EL1: CORENPDRQ */
		return rw(&d->dbgprcr, 1u, write, value);
	case A64_SYSREG_ID(2, 0, 0, 0, 2): /* OSDTRRX_EL1, OSDTRTX_EL1: the DCC, nobody there */
	case A64_SYSREG_ID(2, 0, 0, 3, 2):
	case A64_SYSREG_ID(2, 0, 1, 3, 4): /* OSDLR_EL1: no Double Lock, RAZ/WI */
		if (!write)
			*value = 0;
		return A64_SR_DONE;
	case A64_SYSREG_ID(2, 0, 1, 0, 0): /* MDRAR_EL1: no memory-mapped debug */
		return ro(0, write, value);
	case A64_SYSREG_ID(2, 0, 1, 1, 4): /* OSLSR_EL1 */
		return ro(oslsr, write, value);
	case A64_SYSREG_ID(2, 0, 7, 14, 6): /* DBGAUTHSTATUS_EL1 */
		return ro(AUTH_NS_DIS, write, value);
	case A64_SYSREG_ID(2, 0, 1, 0, 4): /* OSLAR_EL1: write-only */
		if (!write)
			return A64_SR_UNDEF;
		d->os_locked = *value & 1u;
		return A64_SR_DONE;
	case A64_SYSREG_ID(2, 0, 7, 8, 6): /* DBGCLAIMSET_EL1: reads which tags exist */
		if (write)
			d->claim |= (uint8_t)*value;
		else
			*value = 0xff;
		return A64_SR_DONE;
	case A64_SYSREG_ID(2, 0, 7, 9, 6): /* DBGCLAIMCLR_EL1: reads the tags */
		if (write)
			d->claim &= (uint8_t)~*value;
		else
			*value = d->claim;
		return A64_SR_DONE;
	default:
		return A64_SR_UNDEF; /* trace (CPTR_EL2.TTA) or not implemented */
	}
}

/*
 * Registers of what the guest's identification registers hide, which EL2 traps: undefined, as on
 * a CPU without the feature (the core never sees them, so a VM that stops on bad accesses is not
 * stopped for a feature probe).
 */
bool a64_sysreg_hidden(uint32_t id)
{
	unsigned op0 = id >> 14, op1 = (id >> 11) & 7u, crn = (id >> 7) & 15u;
	unsigned crm = (id >> 3) & 15u, op2 = id & 7u;

	if (op0 != 3)
		return false;
	switch (crn) {
	case 1: /* TRFCR_EL1 (trace filter); RGSR_EL1, GCR_EL1 (MTE) */
		return op1 == 0 && ((crm == 2 && op2 == 1) || (crm == 0 && (op2 == 5 || op2 == 6)));
	case 2: /* pointer authentication keys */
		return op1 == 0 && crm >= 1 && crm <= 3;
	case 5: /* RAS error records; TFSR_EL1, TFSRE0_EL1 (MTE) */
		return op1 == 0 && ((crm >= 3 && crm <= 5) || (crm == 6 && op2 <= 1));
	case 9: /* PMU; statistical profiling and its buffer */
		return crm >= 12 || (op1 == 0 && (crm == 9 || crm == 10));
	case 10: /* LORegions, MPAM */
		return op1 == 0 && (crm == 4 || crm == 5);
	case 11: /* IMPLEMENTATION DEFINED (HCR_EL2.TIDCP) */
	case 15:
		return true;
	case 13: /* SCXTNUM_EL1/EL0 (HCR_EL2.EnSCXT); AMU */
		return (crm == 0 && op2 == 7) || (op1 == 3 && crm != 0);
	case 14: /* EL1 physical timer (CNTHCTL_EL2); PMU event counters and PMCCFILTR_EL0 */
		return op1 == 3 && (crm == 2 || crm >= 8);
	default:
		return false;
	}
}

enum a64_sysreg_result a64_sysreg_emulate(struct a64_dbg_state *d, const struct a64_id_view *ids,
					  uint32_t id, bool write, bool el0, uint64_t *value)
{
	unsigned op0 = id >> 14, crm = (id >> 3) & 15u;

	if (op0 == 2)
		return a64_debug_emulate(d, id, write, el0, value);
	/* op0 3, op1 0, CRn 0, CRm 1..7: the identification registers. */
	if ((id & ~(uint32_t)A64_SYSREG_ID(0, 0, 0, 15, 7)) == A64_SYSREG_ID(3, 0, 0, 0, 0) &&
	    crm >= 1 && crm <= 7)
		return ro(ids->id[crm - 1][id & 7u], write, value);
	if (id == A64_SYSREG_ID(3, 0, 1, 0, 1)) { /* ACTLR_EL1: nothing to control */
		if (!write)
			*value = 0;
		return A64_SR_DONE;
	}
	return a64_sysreg_hidden(id) ? A64_SR_UNDEF : A64_SR_CORE;
}
