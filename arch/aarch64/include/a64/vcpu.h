/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 vCPU's backend state (vcpu->arch). The first fields are laid out for guest.S, which
 * saves the guest's registers there on every exit; the rest is only touched from C.
 *
 * The guest's EL1 system registers, FP/SIMD registers, virtual timer and virtual CPU interface
 * stay in the hardware from one exit to the next: the hypervisor at EL2 uses none of them. They
 * are saved only when another vCPU is loaded on the same physical CPU (a64_vcpu_load). Its debug
 * registers never reach the hardware: every access traps (vcpu_state.c, docs/aarch64.md).
 */
#ifndef A64_VCPU_H
#define A64_VCPU_H

#include <a64/cpu.h>
#include <a64/sysreg_emul.h>
#include <a64/vcpu_offsets.h>
#include <a64/vgic.h>
#include <addrspace/s2.h>
#include <pv/types.h>

struct vcpu;

struct a64_el1_state {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, cpacr, esr, far, afsr0, afsr1, par;
	uint64_t cntkctl, csselr, sp_el0, sp_el1, elr, spsr;
	uint64_t cntv_ctl, cntv_cval;
	uint64_t tpidr2; /* SME's TPIDR2_EL0, on CPUs that have it */
	uint64_t vdisr;	 /* RAS: VDISR_EL2, the guest's DISR_EL1 (HCR_EL2.AMO), if present */
};

struct a64_fp_state {
	_Alignas(16) uint64_t q[64]; /* v0..v31, low half first */
	uint64_t fpsr, fpcr;
};

struct a64_vcpu {
	uint64_t x[31];
	uint64_t pc;	 /* ELR_EL2 */
	uint64_t pstate; /* SPSR_EL2 */
	uint64_t host_sp;
	uint64_t esr, far, hpfar;
	uint64_t vector; /* vectors.S entry the exit came through */

	struct vcpu *vcpu;
	struct a64_el1_state el1;
	struct a64_dbg_state dbg;
	struct a64_fp_state fp;
	struct a64_vgic_cpu vgic;
	uint64_t vmpidr, cntvoff, vttbr;
	bool counter_started; /* boot vCPU only: the VM's cntvoff is fixed (a64_vm_cntvoff) */
	hpa_t frame;
	bool reload; /* set_entry changed the saved state: load it even if this vCPU is loaded */

	/* How complete() finishes the trapped instruction. */
	uint8_t pc_step; /* bytes to add to the PC */
	bool psci;	 /* CPU_UP came from PSCI: map the result to PSCI codes */
	bool wb;	 /* load/store with base write-back decoded by hand */
	uint8_t wb_reg;
	uint64_t wb_value;

	/* a64_guest_sync: x20-x28 are live in the CPU, not in x[] (it is handling an exit). */
	bool regs_partial;
	/* a64_guest_sync handled the exit but the core must see the vCPU: run() returns NONE. */
	bool handled;
};

_Static_assert(offsetof(struct a64_vcpu, pc) == A64_CTX_PC, "guest.S: pc");
_Static_assert(offsetof(struct a64_vcpu, host_sp) == A64_CTX_HOST_SP, "guest.S: host_sp");
_Static_assert(offsetof(struct a64_vcpu, esr) == A64_CTX_ESR, "guest.S: esr");
_Static_assert(offsetof(struct a64_vcpu, hpfar) == A64_CTX_HPFAR, "guest.S: hpfar");

/* Enters the guest whose registers are in @ctx; returns the vectors.S index of the exit that
 * a64_guest_sync did not take. */
uint64_t a64_guest_enter(struct a64_vcpu *ctx);

/*
 * Called by the synchronous guest vector (vectors.S) on the hypervisor stack, with x0-x19, x29,
 * x30, PC and PSTATE of the guest saved in @a and x20-x28 still in the CPU: handles a hypercall,
 * MMIO or system-register exit through the core (vm_handle_exit) and returns @a to re-enter the
 * guest at once, or NULL for the full exit path back to a64_vcpu_run. Context: the vCPU's CPU,
 * IRQs masked.
 */
struct a64_vcpu *a64_guest_sync(struct a64_vcpu *a);
void a64_fp_save(struct a64_fp_state *fp);
void a64_fp_restore(const struct a64_fp_state *fp);

/* Decodes the synchronous trap saved in @a into @exit, handling in place what the core does not
 * need to see (trap.c). Context: the vCPU's CPU, right after the exit. */
struct vcpu_exit;
void a64_vcpu_trap(struct a64_vcpu *a, struct vcpu_exit *exit);

/* Traps of MRS/MSR (EC 0x18): emulated here (vcpu_state.c) or an exit for the core's devices. */
void a64_trap_sysreg(struct a64_vcpu *a, struct vcpu_exit *exit);

/* Hands the guest the synchronous exception @esr at its EL1 vectors with @exit made NONE, or
 * stops its VM when even that cannot be delivered (a64_inject_sync). */
void a64_trap_inject(struct a64_vcpu *a, struct vcpu_exit *exit, uint64_t esr);

/* Hands the guest a synchronous exception at its EL1 vectors for the trapped instruction: an
 * external abort on the access (data or, for @exec, instruction), an undefined instruction, or
 * the exception with syndrome @esr. false, with one log line and nothing changed, when the
 * trapped instruction is that vector entry itself (the guest could never take it: the caller
 * stops the VM). Context: the vCPU's CPU, its state loaded. */
bool a64_inject_abort(struct a64_vcpu *a, bool write, bool exec);
bool a64_inject_undef(struct a64_vcpu *a);
bool a64_inject_sync(struct a64_vcpu *a, uint64_t esr);

/*
 * HCR_EL2 with no guest loaded: EL1 is AArch64; physical IRQ, FIQ and SError go to EL2 so a guest
 * can never mask the hypervisor's interrupts; guest SMCs (PSCI) trap to EL2; guest TLB and
 * instruction-cache maintenance is broadcast (FB) and its barriers act inner-shareable (BSU), as
 * a vCPU may move between CPUs; set/way invalidation is upgraded to clean+invalidate so a guest
 * cannot discard dirty lines that are not its own.
 */
#define A64_HCR_HOST                                                                               \
	(HCR_RW | HCR_SWIO | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TSC)
/* While a guest is loaded: also stage 2, WFI traps (an idle vCPU gives its CPU back), and the
 * traps a64_state_probe chose (identification, auxiliary, IMPLEMENTATION DEFINED registers...). */
extern uint64_t a64_hcr_guest;
/* ICH_AP0R<n>_EL2 / ICH_AP1R<n>_EL2 the CPU interface implements (1, 2 or 4). */
extern unsigned a64_ich_ap_regs;

/* Reads the boot CPU's identification registers once: the guest's view of them and the EL2 trap
 * configuration (@ipa_bits: the stage-2 input size, the guest's physical address size). Context:
 * vcpu_ops.probe, before any cpu_enable. */
void a64_state_probe(unsigned ipa_bits);
/* Sets the calling CPU's MDCR_EL2, CPTR_EL2 and VPIDR_EL2 and quiesces its PMU and debug
 * hardware. Context: vcpu_ops.cpu_enable. */
void a64_state_cpu_enable(void);
/* Makes @a's state the calling CPU's @cpu (saving the previous vCPU's). Context: the vCPU's CPU,
 * IRQs masked, guest not running. */
void a64_vcpu_load(struct a64_vcpu *a, unsigned cpu);
/* Takes @a's state off CPU @cpu if that CPU holds it (its timer stopped, its list registers
 * emptied), and forgets it there. Context: CPU @cpu, IRQs masked, guest not running. */
void a64_vcpu_unload(struct a64_vcpu *a, unsigned cpu);

/* The vCPU whose state each physical CPU holds (vcpu_state.c), or NULL. */
extern struct a64_vcpu *a64_loaded[CONFIG_MAX_CPUS];

/* The vCPU whose state the calling physical CPU holds, or NULL. */
static inline struct a64_vcpu *a64_loaded_vcpu(void)
{
	return a64_loaded[a64_cpu_index()];
}

#endif
