/* SPDX-License-Identifier: MIT */
/*
 * The guest's view of the CPU beyond its own EL1 registers (docs/aarch64.md, "Clean per-VM CPU
 * state"): the identification registers (HCR_EL2.TID3 traps them; the guest reads sanitized
 * copies that hide what is neither switched nor emulated), the self-hosted debug registers
 * (MDCR_EL2.TDA/TDOSA/TDRA trap them; each vCPU has its own inert copy), ACTLR_EL1 (TACR;
 * RAZ/WI), and the EL2 trap configuration that follows from what the hardware has. Pure functions
 * of their arguments, built into the host tests.
 */
#ifndef A64_SYSREG_EMUL_H
#define A64_SYSREG_EMUL_H

#include <pv/types.h>

/* What the hardware has, read once on the boot CPU (vcpu_state.c) and assumed of every CPU. */
struct a64_hw_ids {
	uint64_t id[7][8];     /* op0 3, op1 0, CRn 0, CRm 1..7 (index CRm - 1), op2 0..7 */
	unsigned pmu_counters; /* PMCR_EL0.N, when a PMU is implemented */
};

/* Fields of the identification registers the backend looks at. */
#define A64_ID_FIELD(v, shift)	 ((unsigned)((v) >> (shift)) & 0xfu)
#define A64_PFR0_RAS		 28
#define A64_PFR0_AMU		 44
#define A64_PFR1_SME		 24
#define A64_DFR0_PMUVER		 8
#define A64_DFR0_PMSVER		 32
#define A64_DFR0_TRACEFILT	 40
#define A64_MMFR1_LO		 16
#define A64_IDREG(ids, crm, op2) ((ids)->id[(crm) - 1][(op2)])

/* The guest's view of the identification space: ids[CRm - 1][op2]. */
struct a64_id_view {
	uint64_t id[7][8];
};

/*
 * What an identification register reads as to a guest, from the hardware's @hw value: the
 * features that are switched per vCPU or need nothing kept, the rest hidden (SVE, SME, pointer
 * authentication, MTE, AMU, MPAM, RAS, SPE, trace, PMU, EL2 features...), the debug features at
 * the architected minimum the emulation offers, PARange at most @ipa_bits. Unallocated encodings
 * read as zero.
 */
uint64_t a64_id_sanitize(unsigned crm, unsigned op2, uint64_t hw, unsigned ipa_bits);
void a64_id_view_init(struct a64_id_view *view, const struct a64_hw_ids *hw, unsigned ipa_bits);

/* The EL2 controls that keep a guest to the state it owns, and the optional state to switch. */
struct a64_el2_traps {
	uint64_t hcr;  /* bits or-ed into HCR_EL2 while a guest runs */
	uint64_t mdcr; /* MDCR_EL2 */
	uint64_t cptr; /* CPTR_EL2 */
	bool pmu;      /* a PMU to quiesce at cpu_enable */
	bool tpidr2;   /* TPIDR2_EL0 exists (SME) and is switched per vCPU */
	bool vdisr;    /* VDISR_EL2 (RAS) backs the guest's DISR_EL1: switched per vCPU */
};
void a64_el2_traps_init(struct a64_el2_traps *t, const struct a64_hw_ids *hw);

/* HCR_EL2 and MDCR_EL2 bits the backend uses beyond a64/sysreg.h's. */
#define HCR_TID3      PV_BIT(18)
#define HCR_TIDCP     PV_BIT(20)
#define HCR_TACR      PV_BIT(21)
#define HCR_TLOR      PV_BIT(35)
#define HCR_TERR      PV_BIT(36)
#define MDCR_TPMCR    PV_BIT(5)
#define MDCR_TPM      PV_BIT(6)
#define MDCR_TDA      PV_BIT(9)
#define MDCR_TDOSA    PV_BIT(10)
#define MDCR_TDRA     PV_BIT(11)
#define MDCR_TPMS     PV_BIT(14)
#define MDCR_HPMD     PV_BIT(17)
#define MDCR_TTRF     PV_BIT(19)
#define MDCR_HCCD     PV_BIT(23)
#define CPTR_TTA      PV_BIT(20)
#define CPTR_TAM      PV_BIT(30)
#define A64_CPTR_RES1 0x33ffULL /* includes TZ (bit 8) and TSM (bit 12): SVE and SME trap */

/* A vCPU's self-hosted debug registers: what the guest wrote, never loaded into the hardware. */
#define A64_DBG_BRPS 2u /* breakpoints and watchpoints offered: the architected minimum */
struct a64_dbg_state {
	uint64_t bvr[A64_DBG_BRPS], bcr[A64_DBG_BRPS], wvr[A64_DBG_BRPS], wcr[A64_DBG_BRPS];
	uint64_t mdscr, mdccint, oseccr, dbgprcr;
	uint8_t claim;
	bool os_locked;
};

/* A vCPU's debug registers at reset: the OS lock set, as after a cold reset. */
void a64_dbg_reset(struct a64_dbg_state *d);

/* Whether system register @id belongs to a feature the guest's identification registers hide
 * (PMU, AMU, statistical profiling, trace filter, LORegions, MPAM, RAS error records, pointer
 * authentication keys, MTE, SCXTNUM, the EL1 physical timer, IMPLEMENTATION DEFINED registers). */
bool a64_sysreg_hidden(uint32_t id);

enum a64_sysreg_result {
	A64_SR_CORE,  /* not the backend's: the core's devices (ICC_SGI1R_EL1...) or its fault */
	A64_SR_DONE,  /* emulated; a read's result is in *value; the instruction is complete */
	A64_SR_UNDEF, /* undefined to the guest (writes to read-only registers, absent ones) */
	A64_SR_EL1,   /* an EL0 access the guest's own MDSCR_EL1.TDCC traps to its EL1 */
};

/*
 * Emulates a trapped MRS/MSR of system register @id (A64_SYSREG_ID) by the vCPU whose debug
 * registers are @d: @write with *@value, or a read into *@value. @el0: the access came from EL0.
 * Registers of hidden features are undefined; the GIC's and unknown ones are the core's.
 */
enum a64_sysreg_result a64_sysreg_emulate(struct a64_dbg_state *d, const struct a64_id_view *ids,
					  uint32_t id, bool write, bool el0, uint64_t *value);

#endif
