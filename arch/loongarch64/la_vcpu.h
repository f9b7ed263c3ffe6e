/* SPDX-License-Identifier: MIT */
/*
 * The loongarch64 vCPU backend's state and the pieces it is built from. Each piece that does not
 * need the hardware (GCSR save order, exit decoding, load/store decoding, GSPR emulation, guest-ID
 * allocation, the GPA refill) lives in its own file and is unit-tested on the host with la_hw.h's
 * accessors mocked.
 */
#ifndef ARCH_LOONGARCH64_LA_VCPU_H
#define ARCH_LOONGARCH64_LA_VCPU_H

#include <addrspace/s2.h>
#include <vcpu/vcpu.h>

#include "la_ctx.h"

#ifndef CONFIG_MAX_CPUS
#define CONFIG_MAX_CPUS 8
#endif

/* The guest CSRs a vCPU owns, saved and restored with gcsrrd / gcsrwr. */
enum la_gcsr_index {
	LA_G_CRMD,
	LA_G_PRMD,
	LA_G_EUEN,
	LA_G_MISC,
	LA_G_ECFG,
	LA_G_ERA,
	LA_G_BADV,
	LA_G_BADI,
	LA_G_EENTRY,
	LA_G_TLBIDX,
	LA_G_TLBEHI,
	LA_G_TLBELO0,
	LA_G_TLBELO1,
	LA_G_ASID,
	LA_G_PGDL,
	LA_G_PGDH,
	LA_G_PWCL,
	LA_G_PWCH,
	LA_G_STLBPS,
	LA_G_RVACFG,
	LA_G_CPUID,
	LA_G_SAVE0,
	LA_G_SAVE15 = LA_G_SAVE0 + 15,
	LA_G_TID,
	LA_G_CNTC,
	LA_G_LLBCTL,
	LA_G_TLBRENTRY,
	LA_G_TLBRBADV,
	LA_G_TLBRERA,
	LA_G_TLBRSAVE,
	LA_G_TLBRELO0,
	LA_G_TLBRELO1,
	LA_G_TLBREHI,
	LA_G_TLBRPRMD,
	LA_G_DMW0,
	LA_G_DMW3 = LA_G_DMW0 + 3,
	/* Restored last, in this order: the timer's configuration, then its count, then the
	 * pending interrupts (writing TCFG may change ESTAT.TI). */
	LA_G_TCFG,
	LA_G_TVAL,
	LA_G_ESTAT,
	LA_GCSR_COUNT
};

/* Guest CSR numbers (the architecture's CSR numbers, as the guest sees them). */
#define LA_GCSR_CRMD   0x0
#define LA_GCSR_PRMD   0x1
#define LA_GCSR_EUEN   0x2
#define LA_GCSR_ECFG   0x4
#define LA_GCSR_ESTAT  0x5
#define LA_GCSR_ERA    0x6
#define LA_GCSR_BADV   0x7
#define LA_GCSR_BADI   0x8
#define LA_GCSR_EENTRY 0xc
#define LA_GCSR_CPUID  0x20
#define LA_GCSR_TCFG   0x41
#define LA_GCSR_TVAL   0x42

/* The CSR number of each la_gcsr_index entry. */
extern const uint16_t la_gcsr_numbers[LA_GCSR_COUNT];

/* Copies the guest CSR file between the hardware and @gcsr. Context: the vCPU's CPU, IRQs off. */
void la_gcsr_save(uint64_t gcsr[LA_GCSR_COUNT]);
void la_gcsr_restore(const uint64_t gcsr[LA_GCSR_COUNT]);

struct la_vcpu_ctx {
	uint64_t gpr[32];
	uint64_t pc;
	uint64_t host[LA_CTX_HOST_REGS];
	uint64_t exit_time; /* the counter when the last exit reached trap.S */
};

/* A vCPU's FP / vector registers, FCC0..7 and FCSR0 (layout: la_ctx.h's LA_FP_*). */
struct la_fp {
	uint64_t vreg[32][4]; /* register n, 64-bit lanes 0..3; scalar FP is lane 0 */
	uint64_t fcc;	      /* byte n: FCCn */
	uint32_t fcsr;
	uint32_t pad;
};

/*
 * FP / vector state (la_fp.c). la_fp_probe reads CPUCFG2 once on the boot CPU (every CPU of a
 * board is the same core): la_fp_width says how much state a switch moves and la_fp_euen which
 * root EUEN units the guest runs with (trap.S). The hypervisor itself runs with root EUEN 0, so a
 * stray FP instruction in it traps instead of changing a guest's registers.
 */
extern unsigned la_fp_width;
extern uint64_t la_fp_euen;
void la_fp_probe(void);
/* CPUCFG word 2 as a guest sees it: only the units the hypervisor switches (never LBT, whose
 * registers it does not switch). */
uint32_t la_fp_guest_cpucfg2(uint32_t host);
/* Saves the CPU's FP state into @out (unless NULL), then loads @in. Context: IRQs off, the
 * CPU's FP state belongs to the vCPU of @out (or to nobody). */
void la_fp_switch(struct la_fp *out, const struct la_fp *in);

/* Guest-visible IPI block of one vCPU (IOCSR 0x1000..0x104f, emulated). */
struct la_vipi {
	uint32_t status; /* pending vectors; other vCPUs set bits atomically */
	uint32_t en;
	uint64_t mailbox[4];
};

struct la_vcpu {
	struct la_vcpu_ctx ctx; /* first: guest.S addresses it through SAVE1 */
	uint64_t gcsr[LA_GCSR_COUNT];
	struct la_fp fp; /* saved only while another vCPU holds the CPU, like gcsr */
	bool gcsr_stale; /* gcsr and fp are newer than the CPU's: restore before entry */
	uint8_t gid;
	struct s2_space *space;
	struct vcpu *vcpu;
	struct la_vipi ipi;
	uint32_t hw_lines;	 /* HWI0..7 levels set through virq set_line */
	uint64_t timer_deadline; /* absolute counter value of the guest timer, 0 if off */
	uint64_t timer_max;	 /* TCFG.InitVal at the last entry: the largest count to load */
	uint32_t exit_badi;	 /* the instruction of the last exit (root BADI) */
	uint64_t exit_estat;	 /* guest ESTAT and ECFG at the last exit */
	uint64_t exit_ecfg;
};

/* What the exit entries left for the decoder: the root CSRs describing the exit. */
struct la_exit_info {
	unsigned entry; /* LA_ENTRY_* */
	uint64_t estat; /* root ESTAT */
	uint64_t badv;	/* root BADV (a GPA for page exceptions), TLBRBADV for refills */
	uint32_t badi;	/* the guest instruction at the PC */
};

/* What the backend does with an exit before (or instead of) the core. */
enum la_action {
	LA_ACT_CORE,	  /* the core handles *exit */
	LA_ACT_REFILL,	  /* install the GPA translation of info->badv, then resume */
	LA_ACT_HOST_IRQ,  /* a hypervisor interrupt: acknowledge it, resume */
	LA_ACT_EMULATED,  /* emulated by the backend (GSPR): the PC is advanced, resume */
	LA_ACT_GUEST_BUG, /* the guest cannot be resumed: *exit is an S2_FAULT-less stop */
};

/* Decodes an exit into *exit or an action; emulates GSPR instructions of @v (the running vCPU,
 * its guest CSRs loaded). Context: the vCPU's CPU, after la_guest_enter returned. */
enum la_action la_exit_decode(struct la_vcpu *v, const struct la_exit_info *info,
			      struct vcpu_exit *exit);

/* One decoded load or store (la_ldst.c). */
struct la_ldst {
	uint8_t width; /* bytes */
	bool store;
	bool sign_extend;
	uint8_t rd; /* data register */
};
bool la_ldst_decode(uint32_t insn, struct la_ldst *out);

/*
 * GSPR instructions (la_gspr.c): what LVZ hands to the root instead of running in the guest.
 * la_gspr_decode only classifies the instruction word; la_gspr_emulate carries it out for @v (its
 * guest CSRs loaded): the result, or the exception the guest gets for it. Both take whatever a
 * guest wrote, any word and any register values.
 */
enum la_gspr_kind {
	LA_GSPR_K_CPUCFG,
	LA_GSPR_K_IOCSR,
	LA_GSPR_K_IDLE,
	LA_GSPR_K_CSR,	 /* csrrd / csrwr / csrxchg */
	LA_GSPR_K_CACOP, /* cache maintenance */
	LA_GSPR_K_DBCL,	 /* enter debug mode */
	LA_GSPR_K_OTHER,
};
struct la_gspr_insn {
	enum la_gspr_kind kind;
	uint8_t rd, rj;
	uint8_t width; /* IOCSR: bytes */
	bool write;    /* IOCSR: a write; CSR: csrwr or csrxchg */
	uint16_t num;  /* CSR: its number; CACOP: its code */
};
void la_gspr_decode(uint32_t insn, struct la_gspr_insn *out);

enum la_gspr_result {
	LA_GSPR_DONE,	/* emulated (PC advanced), or an exception delivered to the guest */
	LA_GSPR_HALT,	/* idle: the core's HALT */
	LA_GSPR_IOCSR,	/* an IOCSR access nobody here serves: the core's SYSREG */
	LA_GSPR_CPU_UP, /* an IPI starts a vCPU that is off: the core's CPU_UP (la_vipi.c) */
	LA_GSPR_STOP,	/* the guest cannot take the exception it earned (no EENTRY) */
};
enum la_gspr_result la_gspr_emulate(struct la_vcpu *v, uint32_t insn, struct vcpu_exit *exit);

/* CPUCFG word @word as a guest sees it: only what the hypervisor gives guests (la_gspr.c). */
uint32_t la_cpucfg_guest(uint64_t word);

/* The IOCSR vendor (0x10) and CPU name (0x20) guests read: the host's, read once by the probe. */
extern uint64_t la_guest_vendor, la_guest_cpuname;

/* IOCSR addresses reach the core as SYSREG ids 0x80000000 | address, for addresses below
 * LA_IOCSR_LIMIT; a guest access above it gets IPE (docs/loongarch64.md). */
#define LA_IOCSR_LIMIT	      0x80000000ULL
#define LA_SYSREG_IOCSR(addr) (0x80000000u | (uint32_t)((addr) & (LA_IOCSR_LIMIT - 1)))

/* The emulated IPI block (la_vipi.c): true when @addr is one of its registers and the access was
 * served. An IPI that starts a vCPU that is off fills @exit (VCPU_EXIT_CPU_UP) for the core; @exit
 * is untouched otherwise. Context: the CPU running @v. */
bool la_vipi_access(struct la_vcpu *v, uint64_t addr, unsigned width, bool write, uint64_t *data,
		    struct vcpu_exit *exit);

/* Exception codes (ESTAT.Ecode) the backend decodes or delivers. */
enum {
	LA_EC_INT = 0x0,
	LA_EC_PIL = 0x1,
	LA_EC_PIS = 0x2,
	LA_EC_PIF = 0x3,
	LA_EC_PME = 0x4,
	LA_EC_PNR = 0x5,
	LA_EC_PNX = 0x6,
	LA_EC_PPI = 0x7,
	LA_EC_ADE = 0x8, /* sub-code 0 ADEF (fetch), 1 ADEM (data) */
	LA_EC_INE = 0xd,
	LA_EC_IPE = 0xe,
	LA_EC_FPD = 0xf,
	LA_EC_SXD = 0x10,
	LA_EC_ASXD = 0x11,
	LA_EC_BTD = 0x14,
	LA_EC_GSPR = 0x16,
	LA_EC_HVC = 0x17,
};

/* An exception for the guest (la_inject.c). */
struct la_exception {
	uint8_t ecode;
	uint16_t esub;
	bool has_badv, has_badi; /* whether the exception records BADV / BADI */
	uint64_t badv;
	uint32_t badi;
};
/* Delivers @ex to @v's guest; false if the guest has no exception entry (EENTRY 0). Context: @v's
 * CPU, its guest CSRs loaded. */
bool la_inject(struct la_vcpu *v, const struct la_exception *ex);
void la_vipi_raise(struct la_vcpu *target, uint32_t vector);

/* Guest IDs (la_gid.c): one per stage-2 space, 1..max; 0 is the root's. */
int la_gid_get(const struct s2_space *space, unsigned max_gid, uint8_t *gid);
void la_gid_put(const struct s2_space *space);
int la_gid_lookup(const struct s2_space *space, uint8_t *gid);
/* Whether @cpu must invalidate @gid's TLB entries before using it (a reused ID); clears it. */
bool la_gid_take_flush(uint8_t gid, unsigned cpu);
void la_gid_reset(void);

/* The GPA refill (la_refill.c): writes the TLB pair covering @gpa for @space (invalid halves
 * where nothing is mapped) and fills it with tlbfill. Context: the CPU of the exit. */
void la_refill(struct s2_space *space, uint64_t gpa);

/*
 * The guest timer across exits (la_vtimer.c). la_vtimer_width_mask: the largest count the timer
 * holds (PRCFG1.TimerBits ones); la_vtimer_stops_in_root: whether the guest timer stands still
 * while the CPU is in root mode. Both set by the probe. la_vtimer_exit right after an exit,
 * la_vtimer_enter before the entry: the vCPU's CPU, IRQs off, its guest CSRs loaded.
 */
extern uint64_t la_vtimer_width_mask;
extern bool la_vtimer_stops_in_root;
void la_vtimer_exit(struct la_vcpu *v);
void la_vtimer_enter(struct la_vcpu *v);
/* Loads the remaining count into TVAL: the last step before guest entry. */
void la_vtimer_load(struct la_vcpu *v);
bool la_vtimer_expired(const struct la_vcpu *v, uint64_t now);
/* vcpu_ops.wake_deadline: when the guest's timer makes an interrupt pending for a vCPU that idles
 * off its CPU (la_virq_pending says true from then on), in stable-counter ticks; 0 when its timer
 * is off or the guest masks the timer line (ECFG.LIE). Context: the vCPU's CPU, IRQs off. */
uint64_t la_vtimer_wake_deadline(struct vcpu *vcpu);

/* Interrupt lines of the guest ESTAT / ECFG. */
#define LA_IRQ_HWI0  2
#define LA_IRQ_TIMER 11
#define LA_IRQ_IPI   12

#endif
