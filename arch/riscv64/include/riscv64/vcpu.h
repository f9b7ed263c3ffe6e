/* SPDX-License-Identifier: MIT */
/*
 * Backend state of one riscv64 vCPU (vcpu->arch) and the per-hart bookkeeping of which vCPU's
 * VS-level state the hart currently holds. The layout up to RISCV_VC_HOST_END is shared with
 * vcpu_entry.S, which saves and restores the integer file on every entry and exit. The VS CSRs,
 * the FP file and hvip stay in the hart across exits and are only switched when the hart runs a
 * different vCPU (riscv_vcpu_load).
 */
#ifndef RISCV64_VCPU_H
#define RISCV64_VCPU_H

/* Byte offsets used by the assembly. */
#define RISCV_VC_X(n)	  ((n) * 8) /* guest x0..x31 (x0 unused) */
#define RISCV_VC_PC	  (32 * 8)  /* guest pc (sepc) */
#define RISCV_VC_HSTATUS  (33 * 8)  /* hstatus while the vCPU is loaded (riscv_vcpu_load) */
#define RISCV_VC_SSTATUS  (34 * 8)  /* sstatus.SPP: the guest's privilege (see riscv_vcpu_load) */
#define RISCV_VC_SCAUSE	  (35 * 8)  /* scause of the last exit (saved by the trap vector) */
#define RISCV_VC_STVAL	  (36 * 8)  /* stval, htval, htinst of the last exception exit */
#define RISCV_VC_HTVAL	  (37 * 8)  /* other than an ECALL, read by riscv_vcpu_run */
#define RISCV_VC_HTINST	  (38 * 8)
#define RISCV_VC_HOST(n)  ((39 + (n)) * 8) /* host ra, sp, gp, tp, s0..s11 */
#define RISCV_VC_HOST_END (55 * 8)
#define RISCV_VC_F(n)	  (RISCV_VC_HOST_END + (n) * 8) /* guest f0..f31 */
#define RISCV_VC_FCSR	  (RISCV_VC_HOST_END + 32 * 8)

#ifndef __ASSEMBLY__
#include <addrspace/s2.h>
#include <riscv64/csr.h>
#include <riscv64/insn.h>
#include <riscv64/rfence.h>
#include <stddef.h>
#include <vcpu/vcpu.h>

struct riscv_vcpu {
	uint64_t x[32];
	uint64_t pc;
	uint64_t hstatus;
	uint64_t sstatus;
	uint64_t scause, stval, htval, htinst;
	uint64_t host[16];
	uint64_t f[32];
	uint64_t fcsr;
	/* VS-level CSRs while the vCPU is not loaded on its hart. */
	uint64_t vsstatus, vsie, vstvec, vsscratch, vsepc, vscause, vstval, vsatp;
	uint64_t vstimecmp, hvip;
	/* S-level CSRs the H extension gives VS-mode unvirtualised (a VS-mode access reaches the
	 * hart's own register): switched like the VS CSRs (docs/riscv64.md, "CPU state"). */
	uint64_t senvcfg, scounteren;
	uint64_t hgatp;
	/* Set when the saved copy above is newer than what the hart holds (set_entry). */
	volatile bool reload;
	/* Virtual software interrupt requested by another vCPU, moved into hvip at entry. */
	volatile uint32_t ssip_pending;
	/* Remote fences asked for by other vCPUs (SBI RFENCE), done before the next entry. */
	struct riscv_rfence rfence;
	/* Set by an SBI HSM hart_suspend, cleared by the next WFI: a HALTED vCPU is "suspended". */
	volatile bool hsm_suspended;
	/* VS timer deadline when the hart has no Sstc, in host time (0: none). */
	uint64_t timer_deadline;
	/* The host time at which the VM's time started (its boot vCPU's first instruction): the
	 * guest reads time - time_start (htimedelta), and vstimecmp counts in that time. Set when
	 * the vCPU is loaded; the boot vCPU's fixes the VM's once (riscv_vm_time_start). */
	uint64_t time_start;
	bool time_started; /* boot vCPU only */
	/* Length of the instruction the current exit completes (pc advance). */
	unsigned exit_len;
	uint64_t hvip_eip; /* VSEIP as last written into hvip */
	/* This vCPU's context output in the VM's vPLIC (riscv_virq_vcpu_init). */
	const volatile bool *plic_out;
	/* riscv_vcpu_run's arguments, kept here across the guest's run so that the C code around
	 * riscv_guest_enter needs no callee-saved registers of its own. */
	struct vcpu *vcpu;
	struct vcpu_exit *exit;
	/* The last MMIO instruction riscv_decode_mem accepted and what it said (0: none yet). */
	uint32_t mem_insn;
	struct riscv_mem_insn mem_decoded;
	/* riscv_guest_sync runs: s0-s11 are the hart's, not in x[] (get_reg/set_reg refuse them). */
	bool regs_partial;
	/* riscv_guest_sync handled the exit it declined to go on from: run() reports none. */
	bool handled;
	/* riscv_guest_sync decoded the exit into *exit and left it to run(). */
	bool decoded;
};

_Static_assert(offsetof(struct riscv_vcpu, pc) == RISCV_VC_PC, "vcpu layout");
_Static_assert(offsetof(struct riscv_vcpu, sstatus) == RISCV_VC_SSTATUS, "vcpu layout");
_Static_assert(offsetof(struct riscv_vcpu, htinst) == RISCV_VC_HTINST, "vcpu layout");
_Static_assert(offsetof(struct riscv_vcpu, host) == RISCV_VC_HOST(0), "vcpu layout");
_Static_assert(offsetof(struct riscv_vcpu, f) == RISCV_VC_F(0), "vcpu layout");
_Static_assert(offsetof(struct riscv_vcpu, fcsr) == RISCV_VC_FCSR, "vcpu layout");

static inline struct riscv_vcpu *riscv_vcpu(const struct vcpu *v)
{
	return v->arch;
}

/* Registers the trap vector leaves in the hart while riscv_guest_sync runs: s0, s1, s2-s11. */
static inline bool riscv_reg_in_hart(unsigned n)
{
	return n == 8 || n == 9 || n - 18u <= 9u;
}

/* Enters the guest with @vc's registers; returns at the next trap riscv_guest_sync does not handle
 * (or, with @vc->handled set, after it handled one the vCPU may not go on from) with the guest's
 * integer registers, pc and scause saved in @vc, and returns @vc. Context: IRQs off, @vc loaded on the hart
 * (riscv_vcpu_load), whose gp and tp it holds in host[2] and host[3]. */
struct riscv_vcpu *riscv_guest_enter(struct riscv_vcpu *vc); /* returns @vc */
/* FP file of the hart to / from @vc (vcpu_entry.S). */
void riscv_fp_save(struct riscv_vcpu *vc);
void riscv_fp_restore(const struct riscv_vcpu *vc);

/* hext.c: the probe and per-hart enable of the vcpu_ops table, and what they found. */
struct vcpu_hw_info;
void riscv_h_probe(struct vcpu_hw_info *info);
int riscv_h_cpu_enable(void);
void riscv_h_cpu_disable(void);
unsigned riscv_h_vmid_bits(void);

/* vcpu.c: makes @vc's VS-level state the hart's (saving whatever vCPU the hart held). */
void riscv_vcpu_load(struct vcpu *vcpu);
/* Whether @vcpu's VS-level state is the one live in the current hart. */
bool riscv_vcpu_is_loaded(const struct vcpu *vcpu);

/* vexit.c: the trap-to-exit half of the vcpu_ops table. */
void riscv_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit);
/* Called by the trap vector with the guest's s0-s11 still in the hart: handles a hypercall or an
 * MMIO access and returns @vc to enter the guest again, or NULL for the full exit. */
struct riscv_vcpu *riscv_guest_sync(struct riscv_vcpu *vc);
void riscv_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit);
int riscv_vcpu_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit);

/* virq.c, with Sstc, before a full entry: the hypervisor's timer set a little after the guest's
 * own deadline (riscv64/vtimer_backstop.h). Returns @vc. Context: the vCPU's hart, @vc loaded
 * there, IRQs off; never blocks. */
struct riscv_vcpu *riscv_virq_backstop(struct riscv_vcpu *vc);
/* virq.c: interrupt state moved into hvip right before entry (virq_ops.flush). */
void riscv_virq_flush(struct vcpu *vcpu);
/* Its work, when riscv_virq_flush_needed says there is some. */
void riscv_virq_flush_work(struct vcpu *vcpu);

/* Usually nothing changed since the last entry: no IPI to deliver, the emulated PLIC's output as
 * hvip has it, no timer to emulate. Inline: the exit fast paths check without a call. */
static inline bool riscv_virq_flush_needed(const struct riscv_vcpu *vc)
{
	uint64_t eip = *vc->plic_out ? HVIP_VSEIP : 0;

	return __builtin_expect(vc->ssip_pending || eip != vc->hvip_eip || vc->timer_deadline, 0);
}

/* riscv_virq_flush for vm_exit_step, with its check inline. */
static inline void riscv_exit_virq_flush(struct vcpu *vcpu)
{
	if (riscv_virq_flush_needed(vcpu->arch))
		riscv_virq_flush_work(vcpu);
}
/* virq_ops.sync: hvip is the hardware's own record, nothing to read back after an exit. */
static inline void riscv_virq_sync(struct vcpu *vcpu)
{
	(void)vcpu;
}

/* Host time @host as the vCPU's guest reads it, and a guest time as host time (saturating at
 * UINT64_MAX, which no deadline reaches). */
static inline uint64_t riscv_guest_time(const struct riscv_vcpu *vc, uint64_t host)
{
	return host - vc->time_start;
}

static inline uint64_t riscv_host_time(const struct riscv_vcpu *vc, uint64_t guest)
{
	return guest > UINT64_MAX - vc->time_start ? UINT64_MAX : guest + vc->time_start;
}

/* vcpu_ops.wake_deadline (see there). */
uint64_t riscv_virq_wake_deadline(struct vcpu *vcpu);
/* Makes the hart running @vcpu notice new interrupt state (a host IPI unless it is this one). */
void riscv_virq_kick(struct vcpu *vcpu);
#endif

#endif
