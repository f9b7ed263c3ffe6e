/* SPDX-License-Identifier: MIT */
/*
 * System-register access and the register fields the aarch64 backend uses. Registers the
 * assembler might not know by name under -march=armv8-a (GICv3 CPU interface) are spelt by
 * their S<op0>_<op1>_C<n>_C<m>_<op2> encoding so gas and clang accept the same source.
 */
#ifndef A64_SYSREG_H
#define A64_SYSREG_H

#include <pv/types.h>

#define A64_SYSREG_RO(name, enc)                                                                   \
	static inline uint64_t a64_read_##name(void)                                               \
	{                                                                                          \
		uint64_t v;                                                                        \
		__asm__ volatile("mrs %0, " #enc : "=r"(v));                                       \
		return v;                                                                          \
	}

/* Writes carry a memory clobber: many of these registers change how memory is translated. */
#define A64_SYSREG_RW(name, enc)                                                                   \
	A64_SYSREG_RO(name, enc)                                                                   \
	static inline void a64_write_##name(uint64_t v)                                            \
	{                                                                                          \
		__asm__ volatile("msr " #enc ", %0" : : "r"(v) : "memory");                        \
	}

A64_SYSREG_RO(currentel, CurrentEL)
A64_SYSREG_RO(mpidr_el1, mpidr_el1)
A64_SYSREG_RO(ctr_el0, ctr_el0)
A64_SYSREG_RO(cntfrq_el0, cntfrq_el0)
A64_SYSREG_RO(id_aa64pfr0_el1, id_aa64pfr0_el1)
A64_SYSREG_RO(id_aa64mmfr0_el1, id_aa64mmfr0_el1)
A64_SYSREG_RO(id_aa64mmfr1_el1, id_aa64mmfr1_el1)
A64_SYSREG_RO(esr_el2, esr_el2)
A64_SYSREG_RO(far_el2, far_el2)
A64_SYSREG_RO(ich_vtr_el2, S3_4_C12_C11_1)

A64_SYSREG_RW(hcr_el2, hcr_el2)
A64_SYSREG_RW(elr_el2, elr_el2)
A64_SYSREG_RW(spsr_el2, spsr_el2)
A64_SYSREG_RW(vbar_el2, vbar_el2)
A64_SYSREG_RW(vttbr_el2, vttbr_el2)
A64_SYSREG_RW(vtcr_el2, vtcr_el2)
A64_SYSREG_RW(sctlr_el2, sctlr_el2)
A64_SYSREG_RW(tcr_el2, tcr_el2)
A64_SYSREG_RW(mair_el2, mair_el2)
A64_SYSREG_RW(ttbr0_el2, ttbr0_el2)
A64_SYSREG_RW(cntvoff_el2, cntvoff_el2)
A64_SYSREG_RW(cnthp_ctl_el2, cnthp_ctl_el2)
A64_SYSREG_RW(cnthp_cval_el2, cnthp_cval_el2)
A64_SYSREG_RW(icc_sre_el2, S3_4_C12_C9_5)
A64_SYSREG_RW(ich_hcr_el2, S3_4_C12_C11_0)
A64_SYSREG_RW(icc_sgi1r_el1, S3_0_C12_C11_5)

/* Physical GICv3 CPU interface (EL2 reaches the physical one even with HCR_EL2.IMO set). */
A64_SYSREG_RW(icc_iar1_el1, S3_0_C12_C12_0)
A64_SYSREG_RW(icc_eoir1_el1, S3_0_C12_C12_1)
A64_SYSREG_RW(icc_dir_el1, S3_0_C12_C11_1)
A64_SYSREG_RW(icc_pmr_el1, S3_0_C4_C6_0)
A64_SYSREG_RW(icc_bpr1_el1, S3_0_C12_C12_3)
A64_SYSREG_RW(icc_ctlr_el1, S3_0_C12_C12_4)
A64_SYSREG_RW(icc_igrpen1_el1, S3_0_C12_C12_7)

/* GICv3 virtual CPU interface control (EL2). */
A64_SYSREG_RW(ich_vmcr_el2, S3_4_C12_C11_7)
A64_SYSREG_RO(ich_misr_el2, S3_4_C12_C11_2)
A64_SYSREG_RO(ich_eisr_el2, S3_4_C12_C11_3)
A64_SYSREG_RO(ich_elrsr_el2, S3_4_C12_C11_5)

/* Guest-facing EL2 controls. */
A64_SYSREG_RW(vmpidr_el2, vmpidr_el2)
A64_SYSREG_RW(cptr_el2, cptr_el2)
A64_SYSREG_RW(cnthctl_el2, cnthctl_el2)
A64_SYSREG_RW(mdcr_el2, mdcr_el2)
A64_SYSREG_RO(hpfar_el2, hpfar_el2)
A64_SYSREG_RW(vpidr_el2, vpidr_el2)
A64_SYSREG_RO(midr_el1, midr_el1)
A64_SYSREG_RO(pmcr_el0, pmcr_el0)

/* Registers of optional features, by encoding (the assembler may not know their names). */
A64_SYSREG_RW(tpidr2_el0, S3_3_C13_C0_5) /* SME */
A64_SYSREG_RW(vdisr_el2, S3_4_C12_C1_1)	 /* RAS */
A64_SYSREG_RW(vsesr_el2, S3_4_C5_C2_3)	 /* RAS */

/* The EL1 state a guest owns; loaded while its vCPU is the one on the CPU. */
A64_SYSREG_RW(sctlr_el1, sctlr_el1)
A64_SYSREG_RW(ttbr0_el1, ttbr0_el1)
A64_SYSREG_RW(ttbr1_el1, ttbr1_el1)
A64_SYSREG_RW(tcr_el1, tcr_el1)
A64_SYSREG_RW(mair_el1, mair_el1)
A64_SYSREG_RW(amair_el1, amair_el1)
A64_SYSREG_RW(vbar_el1, vbar_el1)
A64_SYSREG_RW(contextidr_el1, contextidr_el1)
A64_SYSREG_RW(tpidr_el0, tpidr_el0)
A64_SYSREG_RW(tpidrro_el0, tpidrro_el0)
A64_SYSREG_RW(tpidr_el1, tpidr_el1)
A64_SYSREG_RW(cpacr_el1, cpacr_el1)
A64_SYSREG_RW(esr_el1, esr_el1)
A64_SYSREG_RW(far_el1, far_el1)
A64_SYSREG_RW(afsr0_el1, afsr0_el1)
A64_SYSREG_RW(afsr1_el1, afsr1_el1)
A64_SYSREG_RW(par_el1, par_el1)
A64_SYSREG_RW(cntkctl_el1, cntkctl_el1)
A64_SYSREG_RW(csselr_el1, csselr_el1)
A64_SYSREG_RW(mdscr_el1, mdscr_el1)
A64_SYSREG_RW(sp_el0, sp_el0)
A64_SYSREG_RW(sp_el1, sp_el1)
A64_SYSREG_RW(elr_el1, elr_el1)
A64_SYSREG_RW(spsr_el1, spsr_el1)
A64_SYSREG_RW(cntv_ctl_el0, cntv_ctl_el0)
A64_SYSREG_RW(cntv_cval_el0, cntv_cval_el0)

static inline void a64_isb(void)
{
	__asm__ volatile("isb" : : : "memory");
}

/* The counter is read speculatively unless an ISB orders it after earlier instructions. */
static inline uint64_t a64_read_cntpct(void)
{
	uint64_t v;

	__asm__ volatile("isb\n\tmrs %0, cntpct_el0" : "=r"(v) : : "memory");
	return v;
}

static inline unsigned a64_current_el(void)
{
	return (unsigned)(a64_read_currentel() >> 2) & 3u;
}

/* Extracts the 4-bit ID register field starting at bit @shift. */
static inline unsigned a64_id_field(uint64_t reg, unsigned shift)
{
	return (unsigned)(reg >> shift) & 0xfu;
}

/* MPIDR_EL1 affinity fields. */
#define MPIDR_AFF0(m) ((unsigned)(m) & 0xffu)

/* ID register fields. */
#define ID_AA64PFR0_GIC_SHIFT	    24 /* 0: no GIC system registers, 1: GICv3/4, 3: GICv4.1 */
#define ID_AA64MMFR0_PARANGE_SHIFT  0  /* 0..6: 32, 36, 40, 42, 44, 48, 52 bits */
#define ID_AA64MMFR1_VMIDBITS_SHIFT 4  /* 0: 8 bits, 2: 16 bits */

/* HCR_EL2. */
#define HCR_VM	   PV_BIT(0)
#define HCR_SWIO   PV_BIT(1)
#define HCR_FMO	   PV_BIT(3)
#define HCR_IMO	   PV_BIT(4)
#define HCR_AMO	   PV_BIT(5)
#define HCR_FB	   PV_BIT(9)
#define HCR_BSU_IS (1ULL << 10)
#define HCR_VSE	   PV_BIT(8)
#define HCR_TWI	   PV_BIT(13)
#define HCR_TSC	   PV_BIT(19)
#define HCR_RW	   PV_BIT(31)

/* SCTLR_EL2 (HCR_EL2.E2H == 0). */
#define SCTLR_EL2_M    PV_BIT(0)
#define SCTLR_EL2_C    PV_BIT(2)
#define SCTLR_EL2_SA   PV_BIT(3)
#define SCTLR_EL2_I    PV_BIT(12)
#define SCTLR_EL2_RES1 0x30c50830ULL

/* TCR_EL2 (HCR_EL2.E2H == 0). */
#define TCR_EL2_RES1	 (PV_BIT(31) | PV_BIT(23))
#define TCR_T0SZ(bits)	 (64ULL - (bits))
#define TCR_IRGN0_WBWA	 (1ULL << 8)
#define TCR_ORGN0_WBWA	 (1ULL << 10)
#define TCR_SH0_INNER	 (3ULL << 12)
#define TCR_TG0_4K	 (0ULL << 14)
#define TCR_EL2_PS_SHIFT 16

/* VTCR_EL2 / VTTBR_EL2. */
#define VTCR_VS		 PV_BIT(19)
#define VTTBR_VMID_SHIFT 48

/* ICC_SRE_EL2: system-register interface for EL2, and EL1 may enable its own. */
#define ICC_SRE_SRE    PV_BIT(0)
#define ICC_SRE_ENABLE PV_BIT(3)

/* ICH_VTR_EL2. */
#define ICH_VTR_LISTREGS(v) (((unsigned)(v) & 0x1fu) + 1u)

/* CNTHP_CTL_EL2. */
#define CNTHP_CTL_ENABLE PV_BIT(0)

/* ICH_HCR_EL2 / ICH_MISR_EL2 / ICH_LR<n>_EL2. */
#define ICH_HCR_EN	    PV_BIT(0)
#define ICH_HCR_UIE	    PV_BIT(1)
#define ICH_MISR_EOI	    PV_BIT(0)
#define ICH_LR_STATE_SHIFT  62
#define ICH_LR_PENDING	    (1ULL << 62)
#define ICH_LR_ACTIVE	    (2ULL << 62)
#define ICH_LR_GROUP1	    PV_BIT(60)
#define ICH_LR_PRIO_SHIFT   48
#define ICH_LR_EOI	    PV_BIT(41)
#define ICH_LR_HW	    PV_BIT(61) /* a physical interrupt, deactivated with the virtual one */
#define ICH_LR_PINTID_SHIFT 32	       /* its INTID in bits 41:32 when HW is set */

/* ICC_CTLR_EL1: EOIR only drops the priority; ICC_DIR_EL1 (or a HW list register) deactivates. */
#define ICC_CTLR_EOIMODE PV_BIT(1)

/* CNTHCTL_EL2 (E2H == 0): EL1 may read the physical counter, not use the physical timer. */
#define CNTHCTL_EL1PCTEN PV_BIT(0)

/* ESR_ELx. */
#define ESR_EC(esr)  ((unsigned)((esr) >> 26) & 0x3fu)
#define ESR_ISS(esr) ((uint32_t)(esr) & 0x1ffffffu)
#define ESR_IL	     PV_BIT(25)

#endif
