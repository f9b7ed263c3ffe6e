/* SPDX-License-Identifier: MIT */
/*
 * LoongArch64 control registers, IOCSR registers and CPUCFG fields the backend uses, with thin
 * accessors. Numbers follow the LoongArch Reference Manual volume 1; the LVZ (virtualization)
 * registers follow what Linux's KVM port uses, since Loongson has not published that volume.
 * Usable from assembly (numbers only) and C.
 */
#ifndef ARCH_LOONGARCH_H
#define ARCH_LOONGARCH_H

/* Control and status registers (csrrd / csrwr / csrxchg numbers). */
#define LA_CSR_CRMD	 0x0
#define LA_CSR_PRMD	 0x1
#define LA_CSR_EUEN	 0x2
#define LA_CSR_ECFG	 0x4
#define LA_CSR_ESTAT	 0x5
#define LA_CSR_ERA	 0x6
#define LA_CSR_BADV	 0x7
#define LA_CSR_BADI	 0x8
#define LA_CSR_EENTRY	 0xc
#define LA_CSR_TLBIDX	 0x10
#define LA_CSR_TLBEHI	 0x11
#define LA_CSR_TLBELO0	 0x12
#define LA_CSR_TLBELO1	 0x13
#define LA_CSR_GTLBC	 0x15 /* LVZ: guest TLB control */
#define LA_CSR_ASID	 0x18
#define LA_CSR_CPUID	 0x20
#define LA_CSR_PRCFG1	 0x21
#define LA_CSR_STLBPS	 0x1e
#define LA_CSR_SAVE0	 0x30 /* scratch: this CPU's exception stack top */
#define LA_CSR_SAVE1	 0x31 /* scratch: the running guest's context, 0 in the hypervisor */
#define LA_CSR_SAVE2	 0x32 /* scratch: t0 while the TLB-refill entry gets going */
#define LA_CSR_TCFG	 0x41
#define LA_CSR_TVAL	 0x42
#define LA_CSR_TICLR	 0x44
#define LA_CSR_GSTAT	 0x50 /* LVZ: guest status */
#define LA_CSR_GCFG	 0x51 /* LVZ: guest configuration */
#define LA_CSR_GINTC	 0x52 /* LVZ: guest interrupt control */
#define LA_CSR_GCNTC	 0x53 /* LVZ: what guests' stable counter adds to the root's */
#define LA_CSR_LLBCTL	 0x60
#define LA_CSR_TLBRENTRY 0x88
#define LA_CSR_TLBRBADV	 0x89
#define LA_CSR_TLBRERA	 0x8a
#define LA_CSR_TLBRPRMD	 0x8f
#define LA_CSR_DMW0	 0x180
#define LA_CSR_DMW1	 0x181

/* CRMD: privilege level, address translation mode and the DA-mode memory types. */
#define LA_CRMD_PLV_MASK 0x3
#define LA_CRMD_IE	 (1 << 2)
#define LA_CRMD_DA	 (1 << 3)
#define LA_CRMD_PG	 (1 << 4)
#define LA_CRMD_DATF_CC	 (1 << 5) /* instruction fetches in DA mode: coherent cached */
#define LA_CRMD_DATM_SUC (0 << 7) /* loads/stores in DA mode: strongly-ordered uncached */

/* DMW: PLV0 may use the window; MAT memory type; VSEG = VA bits 63:60 the window answers. */
#define LA_DMW_PLV0	  0x1
#define LA_DMW_MAT_SUC	  (0 << 4)
#define LA_DMW_MAT_CC	  (1 << 4)
#define LA_DMW_VSEG_SHIFT 60

/*
 * The hypervisor runs in mapped mode with two direct-mapped windows and no TLB mappings of its own:
 * VSEG 0 maps RAM cached at its physical address (the core relies on that identity map), VSEG 8
 * maps the same physical space strongly-ordered uncached for device registers.
 */
#define LA_CACHED_VSEG	 0x0
#define LA_UNCACHED_VSEG 0x8

/* Address at which the hypervisor reaches device registers at physical @pa (a constant). */
#define LA_MMIO(pa) ((uintptr_t)(((uint64_t)LA_UNCACHED_VSEG << LA_DMW_VSEG_SHIFT) | (pa)))

/* PRMD: what ertn restores into CRMD (previous PLV, previous IE). */
#define LA_PRMD_PIE (1 << 2)

/* EUEN: which extended units (FP, 128-bit LSX, 256-bit LASX, LBT) may be used. */
#define LA_EUEN_FPE  (1u << 0)
#define LA_EUEN_SXE  (1u << 1)
#define LA_EUEN_ASXE (1u << 2)

/* ECFG.LIE: the interrupt lines that may interrupt (and wake idle). */
#define LA_ECFG_LIE_MASK 0x1fff

/* TLBIDX: page size of the entry tlbfill writes (bits 29:24), "no entry" bit 31. */
#define LA_TLBIDX_PS_SHIFT 24
#define LA_TLBIDX_NE	   (1u << 31)

/* ESTAT: pending interrupt lines, exception code and sub-code. */
#define LA_ESTAT_IS_MASK     0x1fff
#define LA_ESTAT_IS_TIMER    (1 << 11)
#define LA_ESTAT_IS_IPI	     (1 << 12)
#define LA_ESTAT_ECODE_SHIFT 16
#define LA_ESTAT_ECODE_MASK  0x3f
#define LA_ESTAT_ESUB_SHIFT  22
#define LA_ESTAT_ESUB_MASK   0x1ff

/* TCFG: one-shot / periodic countdown; InitVal sits in bits n-1:2, so it is a multiple of 4. */
#define LA_TCFG_EN	 0x1
#define LA_TCFG_PERIODIC 0x2
#define LA_TICLR_CLR	 0x1

/* PRCFG1.TimerBits holds the countdown width minus one. */
#define LA_PRCFG1_TIMERBITS_SHIFT 4
#define LA_PRCFG1_TIMERBITS_MASK  0xff

#define LA_CPUID_COREID_MASK 0x1ff

/* CPUCFG words and fields. */
#define LA_CPUCFG1		1
#define LA_CPUCFG1_PALEN_SHIFT	4  /* PALEN - 1 */
#define LA_CPUCFG1_VALEN_SHIFT	12 /* VALEN - 1 */
#define LA_CPUCFG1_LEN_MASK	0xff
#define LA_CPUCFG2		2
#define LA_CPUCFG2_FP		(1u << 0)
#define LA_CPUCFG2_FP_DP	(1u << 2)
#define LA_CPUCFG2_FP_ALL	0x3fu /* FP, FP_SP, FP_DP, FP_VER */
#define LA_CPUCFG2_LSX		(1u << 6)
#define LA_CPUCFG2_LASX		(1u << 7)
#define LA_CPUCFG2_LBT_ALL	(7u << 18) /* LBT for x86, ARM, MIPS */
#define LA_CPUCFG2_LVZ		(1u << 10)
#define LA_CPUCFG2_LVZVER_SHIFT 11
#define LA_CPUCFG2_LVZVER_MASK	0x7
#define LA_CPUCFG4		4 /* constant-timer crystal frequency in Hz */
#define LA_CPUCFG5		5 /* bits 15:0 multiplier, 31:16 divider of that frequency */

/* LVZ: GSTAT.GID is the guest ID the root uses for guest TLB operations and invtlb. */
#define LA_GSTAT_PGM	      (1u << 1) /* ertn enters guest mode; set by exits from it */
#define LA_GSTAT_GID_SHIFT    16
#define LA_GSTAT_GID_MASK     0xffu
#define LA_GSTAT_GIDBIT_SHIFT 4
#define LA_GSTAT_GIDBIT_MASK  0x3f

/* LVZ: GCFG. Each "...P" bit is read-only and says whether the control next to it exists. */
#define LA_GCFG_MATP_GUEST  (1u << 0)
#define LA_GCFG_MATP_ROOT   (1u << 1)
#define LA_GCFG_MATP_NEST   (1u << 2)
#define LA_GCFG_MATC_SHIFT  4
#define LA_GCFG_MATC_ROOT   (1u << LA_GCFG_MATC_SHIFT) /* memory type from the GPA mapping */
#define LA_GCFG_SITP	    (1u << 6)
#define LA_GCFG_TITP	    (1u << 8)
#define LA_GCFG_TOEP	    (1u << 10)
#define LA_GCFG_TOPP	    (1u << 12)
#define LA_GCFG_TORUP	    (1u << 14)
#define LA_GCFG_GCIP_ALL    (1u << 16)
#define LA_GCFG_GCIP_HIT    (1u << 17)
#define LA_GCFG_GCIP_SECURE (1u << 18)
#define LA_GCFG_GCI_SECURE  (2u << 20) /* guest cache ops other than hit/index invalidate trap */

/* LVZ: GTLBC. */
#define LA_GTLBC_USETGID    (1u << 12) /* root TLB instructions act on the guest ID in TGID */
#define LA_GTLBC_TOTI	    (1u << 13) /* guest TLB instructions trap to the root */
#define LA_GTLBC_TGID_SHIFT 16	       /* the guest ID root TLB instructions use (bits 23:16) */

/* IOCSR: identification registers (what Linux's cpu_probe reads). */
#define LA_IOCSR_FEATURES 0x8
#define LA_IOCSR_VENDOR	  0x10	     /* 8 ASCII bytes */
#define LA_IOCSR_CPUNAME  0x20	     /* 8 ASCII bytes */
#define LA_IOCSRF_CSRIPI  (1u << 4)  /* the IPI block is reached through IOCSR */
#define LA_IOCSRF_VM	  (1u << 11) /* running in a virtual machine */

/* IOCSR: the per-core IPI block (Loongson IPI, as QEMU's loongarch_ipi models it). */
#define LA_IOCSR_IPI_STATUS	0x1000
#define LA_IOCSR_IPI_EN		0x1004
#define LA_IOCSR_IPI_CLEAR	0x100c
#define LA_IOCSR_IPI_SET	0x1008
#define LA_IOCSR_IPI_MBUF0	0x1020 /* mailboxes: 4 x 64 bits, 0x1020..0x103f */
#define LA_IOCSR_IPI_SEND	0x1040
#define LA_IOCSR_MAIL_SEND	0x1048 /* writes 32 bits of another core's mailbox */
#define LA_MAIL_SEND_WORD_SHIFT 2      /* which 32-bit word of the mailboxes (bits 4:2) */
#define LA_MAIL_SEND_DATA_SHIFT 32
#define LA_IPI_SEND_CPU_SHIFT	16
#define LA_IPI_SEND_VECTOR_MASK 0x1f

/* invtlb operations (rj: ASID or guest ID in GSTAT position; rk: address). */
#define LA_INVTLB_ALL	   0x0	/* every entry, global or not */
#define LA_INVTLB_ALLGID   0x12 /* every guest-tagged entry, whatever its guest ID */
#define LA_INVTLB_GID_ALL  0x15 /* every entry tagged with the guest ID in rj */
#define LA_INVTLB_GID_ADDR 0x16 /* GPA->HPA entries of the guest ID in rj covering rk */

/* Size of the per-CPU stack the exception entries switch to (see trap.S). */
#define LA_EXC_STACK_SIZE 4096

#if !defined(__ASSEMBLY__) && !defined(PV_HOST_TEST)
#include <stdbool.h>
#include <stdint.h>

/* The register number must be a constant: it is encoded in the instruction. */
#define la_csr_read(csr)	    ((uint64_t)__builtin_loongarch_csrrd_d(csr))
#define la_csr_write(csr, val)	    ((void)__builtin_loongarch_csrwr_d((unsigned long)(val), (csr)))
#define la_iocsr_read32(addr)	    ((uint32_t)__builtin_loongarch_iocsrrd_w(addr))
#define la_iocsr_read64(addr)	    ((uint64_t)__builtin_loongarch_iocsrrd_d(addr))
#define la_iocsr_write32(addr, val) __builtin_loongarch_iocsrwr_w((unsigned int)(val), (addr))

static inline uint32_t la_cpucfg(uint32_t word)
{
	return (uint32_t)__builtin_loongarch_cpucfg(word);
}

static inline uint64_t la_rdtime(void)
{
	uint64_t t;
	uint64_t id;

	__asm__ volatile("rdtime.d %0, %1" : "=r"(t), "=r"(id));
	(void)id;
	return t;
}

/* Whether the CPU implements LVZ: every LVZ register access depends on this. */
static inline bool la_has_lvz(void)
{
	return (la_cpucfg(LA_CPUCFG2) & LA_CPUCFG2_LVZ) != 0;
}

#endif /* C on the target */

#endif
