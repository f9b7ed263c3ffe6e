// SPDX-License-Identifier: MIT
/*
 * Guest entry and the decoding of every trap out of VS-mode into the core's exits: SBI calls,
 * guest-page faults (MMIO, decoded from the trapping instruction fetched with HLVX since
 * htinst may be zero), virtual-instruction exceptions (WFI), host interrupts. Exceptions the
 * guest caused and can handle itself are reflected into it as the hardware would deliver them.
 * The two frequent exits, the Polyvisor hypercall and MMIO, take short paths without stack
 * frames (riscv_vcpu_run, riscv_exit_mmio); everything else is out of line.
 */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <pv/fmt.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/gaccess.h>
#include <riscv64/insn.h>
#include <riscv64/mmio.h>
#include <riscv64/plic.h>
#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <vm/exit_step.h>
#include <vm/vm.h>

#ifdef CONFIG_RISCV_VTIMER_BACKSTOP
#define RISCV_VTIMER_BACKSTOP 1
#else
#define RISCV_VTIMER_BACKSTOP 0
#endif

#define RISCV_INSN_WFI 0x10500073u

/* Reads the instruction at @pc with @hu / @wu (hypervisor loads of a halfword / word): one word
 * at a 4-byte aligned pc, where the two bytes after a compressed instruction are on the same
 * page and in the same naturally aligned word, else one or two halfwords (a 32-bit instruction
 * there may straddle two pages). */
static inline __attribute__((always_inline)) bool riscv_fetch_with(uint64_t pc, uint32_t *insn,
								   bool (*hu)(uint64_t, uint64_t *),
								   bool (*wu)(uint64_t, uint64_t *))
{
	uint64_t lo, hi = 0;

	if ((pc & 3u) == 0) {
		if (!wu(pc, &lo))
			return false;
		hi = lo >> 16;
	} else {
		if (!hu(pc, &lo))
			return false;
		if ((lo & 3u) == 3u && !hu(pc + 2, &hi))
			return false;
	}
	*insn = (uint32_t)(lo & 0xffffu) | (uint32_t)((hi & 0xffffu) << 16);
	return true;
}

/* HLVX: the read the H extension provides for this, with execute permission. */
static inline __attribute__((always_inline)) bool riscv_fetch_hlvx(uint64_t pc, uint32_t *insn)
{
	return riscv_fetch_with(pc, insn, riscv_hlvx_hu, riscv_hlvx_wu);
}

/* riscv_fetch_fn for the hardware. When HLVX faults, the instruction is read once more with HLV
 * and sstatus.MXR set (executable pages readable, at both stages): QEMU 7.2's HLVX checks read
 * instead of execute permission, so it faults on a page the guest maps execute-only although the
 * guest just ran the instruction from there. The read can still fault (the guest changed its
 * mapping since the trap): HLVX's trap is the one reported. Afterwards hstatus.SPV and
 * sstatus.SPP may be wrong for the guest (riscv_guest_mode_restore). */
static bool riscv_fetch_guest(struct riscv_vcpu *vc, uint32_t *insn, struct riscv_gfault *fault)
{
	bool ok;

	if (riscv_fetch_hlvx(vc->pc, insn))
		return true;
	*fault = riscv_this_cpu()->fault;
	csr_set(CSR_SSTATUS, SSTATUS_MXR);
	ok = riscv_fetch_with(vc->pc, insn, riscv_hlv_hu, riscv_hlv_wu);
	csr_clear(CSR_SSTATUS, SSTATUS_MXR);
	return ok;
}

/* What the next entry needs after a read of guest memory may have faulted (fixup.h): V = 1 and
 * the guest's privilege. */
static void riscv_guest_mode_restore(const struct riscv_vcpu *vc)
{
	csr_set(CSR_HSTATUS, HSTATUS_SPV);
	if (vc->sstatus & SSTATUS_SPP)
		csr_set(CSR_SSTATUS, SSTATUS_SPP);
	else
		csr_clear(CSR_SSTATUS, SSTATUS_SPP);
}

/* The trap report, read before anything here can take an HS-mode trap (reading the
 * instruction) and overwrite it: stval is the guest-virtual address or the instruction bits,
 * htval/htinst describe guest-page faults, sstatus.SPP is the guest's privilege (riscv_reflect). */
static inline void riscv_read_trap_csrs(struct riscv_vcpu *vc)
{
	csr_read(CSR_STVAL, vc->stval);
	csr_read(CSR_HTVAL, vc->htval);
	csr_read(CSR_HTINST, vc->htinst);
	csr_read(CSR_SSTATUS, vc->sstatus);
}

static int riscv_reflect(struct riscv_vcpu *vc, uint64_t cause, uint64_t tval);

/* The instruction behind an exit could not be read (riscv_fetch_verdict): the guest gets the
 * fault a re-run would give it, or, when there is none to give or it cannot take it, its VM
 * stops with a line that says why. */
static __attribute__((noinline)) void riscv_fetch_failed(struct riscv_vcpu *vc,
							 struct vcpu_exit *exit,
							 const struct riscv_fetch_outcome *o)
{
	uint64_t pc = vc->pc; /* riscv_reflect moves it to the guest's vector */
	char reason[96];

	exit->kind = VCPU_EXIT_NONE;
	if (o->verdict == RISCV_FETCH_INJECT && riscv_reflect(vc, o->cause, o->tval) == PV_OK) {
		/* Said, not silent, and rate-limited, like the core's injected faults. */
		if (vm_log_allowed(vc->vcpu->vm))
			hal_printf("vm %s: vcpu %u: the instruction at pc 0x%llx cannot be read "
				   "(0x%llx): instruction %s fault injected\n",
				   vc->vcpu->vm->name, vc->vcpu->id, (unsigned long long)pc,
				   (unsigned long long)o->tval,
				   o->cause == EXC_INST_PAGE_FAULT ? "page" : "access");
		return;
	}
	pv_snprintf(reason, sizeof(reason),
		    "vcpu %u: reading the instruction at pc 0x%llx faulted (cause %llu at 0x%llx)",
		    vc->vcpu->id, (unsigned long long)pc, (unsigned long long)o->read_cause,
		    (unsigned long long)o->tval);
	vm_stop(vc->vcpu->vm, -PV_EFAULT, reason);
}

/* A load or store guest-page fault the short path below could not finish: in full (mmio.c). */
static __attribute__((noinline)) void riscv_exit_mmio_slow(struct riscv_vcpu *vc,
							   struct vcpu_exit *exit, bool store)
{
	struct riscv_fetch_outcome o;
	bool done = riscv_mmio_exit_slow(vc, exit, store, riscv_fetch_guest, &o);

	riscv_guest_mode_restore(vc);
	if (!done)
		riscv_fetch_failed(vc, exit, &o);
}

/* A load or store guest-page fault: an access to an emulated device (or to nothing, which the
 * core finds out). The usual case, no htinst (QEMU leaves it zero) and the same instruction as
 * the last decoded one, is finished here without a call; anything else, a faulting read of the
 * instruction included, takes the full path, which also puts the guest's mode back. */
static __attribute__((noinline)) void riscv_exit_mmio(struct riscv_vcpu *vc, struct vcpu_exit *exit,
						      bool store)
{
	uint32_t insn;

	riscv_read_trap_csrs(vc);
	if (vc->htinst == 0 && riscv_fetch_hlvx(vc->pc, &insn) &&
	    riscv_mmio_memo_hit(vc, insn, store)) {
		riscv_exit_mmio_fill(vc, exit, store, &vc->mem_decoded, vc->mem_decoded.len);
		return;
	}
	riscv_exit_mmio_slow(vc, exit, store);
}

/* Delivers exception @cause with @tval to the guest the way the hardware would have: vsepc,
 * vscause, vstval, vsstatus.SPP/SPIE/SIE, then the guest's trap vector (exceptions always go to
 * its base). Refuses (-PV_ENOTSUP) when the fault is the vector itself: the guest cannot take it.
 * Context: the vCPU's hart, VS state loaded. */
static int riscv_reflect(struct riscv_vcpu *vc, uint64_t cause, uint64_t tval)
{
	uint64_t vstvec, vsstatus, base, spie;

	csr_read(CSR_VSTVEC, vstvec);
	base = vstvec & ~3ULL;
	if (base == vc->pc)
		return -PV_ENOTSUP;
	csr_read(CSR_VSSTATUS, vsstatus);
	spie = (vsstatus & SSTATUS_SIE) ? SSTATUS_SPIE : 0;
	vsstatus &= ~(SSTATUS_SPP | SSTATUS_SPIE | SSTATUS_SIE);
	vsstatus |= spie | (vc->sstatus & SSTATUS_SPP);
	csr_write(CSR_VSSTATUS, vsstatus);
	csr_write(CSR_VSCAUSE, cause);
	csr_write(CSR_VSTVAL, tval);
	csr_write(CSR_VSEPC, vc->pc);
	vc->pc = base;
	/* The handler runs in VS-mode; sstatus.SPP is what the next sret uses (vcpu.c). */
	vc->sstatus |= SSTATUS_SPP;
	csr_set(CSR_SSTATUS, SSTATUS_SPP);
	return PV_OK;
}

/* Host interrupts: an IPI (a kick from another hart), the timer of the no-Sstc fallback, or a
 * device interrupt: one a VM owns, or the core's (the console UART), both through the PLIC. They
 * only make the vCPU leave the guest; the run loop then looks at the new state. */
static void riscv_exit_irq(uint64_t code, struct vcpu_exit *exit)
{
	exit->kind = VCPU_EXIT_IRQ;
	exit->irq.irq = (uint32_t)code;
	if (code == IRQ_S_SOFT) {
		csr_clear(CSR_SIP, SIP_SSIP);
	} else if (code == IRQ_S_TIMER) {
		hv_timer_fired(); /* the next deadline of the CPU's timer users, if any */
	} else if (code == IRQ_S_EXT) {
		riscv_plic_handle();
	}
}

static void riscv_exit_virtual_inst(struct riscv_vcpu *vc, struct vcpu_exit *exit)
{
	uint32_t insn = (uint32_t)vc->stval;

	/* stval holds the instruction bits where the hart reports them; read it otherwise. */
	if (insn == 0) {
		struct riscv_gfault f;
		struct riscv_fetch_outcome o;
		bool ok = riscv_fetch_guest(vc, &insn, &f);

		riscv_guest_mode_restore(vc);
		if (!ok) {
			if (!riscv_fetch_fault_exit(vc, exit, &f, &o))
				riscv_fetch_failed(vc, exit, &o);
			return;
		}
	}
	if (insn == RISCV_INSN_WFI) {
		vc->hsm_suspended = false;
		vc->exit_len = 4;
		exit->kind = VCPU_EXIT_HALT;
		return;
	}
	/* Any other hypervisor-only instruction or CSR: illegal as far as the guest knows. */
	if (riscv_reflect(vc, EXC_ILLEGAL_INST, insn) != PV_OK)
		riscv_exit_s2_fault(vc, exit, VCPU_ACCESS_EXEC);
}

void riscv_vsbi_suspend(struct vcpu *vcpu, bool non_retentive, uint64_t resume_addr)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	vc->hsm_suspended = true;
	if (!non_retentive)
		return;
	/* Set now: the guest runs none of its code before the suspension ends. */
	vc->pc = resume_addr;
	vc->exit_len = 0;
	csr_write(CSR_VSATP, 0);
	csr_clear(CSR_VSSTATUS, SSTATUS_SIE);
}

bool riscv_vsbi_suspended(const struct vcpu *vcpu)
{
	return riscv_vcpu(vcpu)->hsm_suspended;
}

/* Remote fences other vCPUs asked for (riscv64/rfence.h), right before an entry. */
static __attribute__((noinline)) struct riscv_vcpu *riscv_do_fences(struct riscv_vcpu *vc,
								    uint32_t f)
{
	if (f & RISCV_FENCE_I)
		__asm__ __volatile__("fence.i" ::: "memory");
	if (f & RISCV_FENCE_VVMA)
		__asm__ __volatile__(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory");
	return vc;
}

/* Every exit but the Polyvisor hypercall and MMIO: out of line, so the hypercall path stays short. */
static __attribute__((noinline)) void riscv_vcpu_decode(struct vcpu *vcpu, struct riscv_vcpu *vc,
							struct vcpu_exit *exit, uint64_t cause)
{
	uint64_t code = cause & SCAUSE_CODE_MASK;

	if (cause & SCAUSE_INTERRUPT) {
		riscv_exit_irq(code, exit);
		return;
	}
	if (code == EXC_ECALL_VS) {
		vc->exit_len = 4;
		riscv_vsbi_call(vcpu, vc->x, exit);
		if (exit->kind == VCPU_EXIT_NONE)
			vc->pc += 4;
		return;
	}
	riscv_read_trap_csrs(vc);
	switch (code) {
	case EXC_INST_GUEST_PAGE_FAULT:
		riscv_exit_s2_fault(vc, exit, VCPU_ACCESS_EXEC);
		return;
	case EXC_VIRTUAL_INST:
		riscv_exit_virtual_inst(vc, exit);
		return;
	default:
		/* Illegal instructions, misaligned or PMP-refused accesses: the guest's own faults,
		 * handed back to it unchanged. One it cannot take stops the VM. */
		exit->kind = VCPU_EXIT_NONE;
		if (riscv_reflect(vc, code, vc->stval) != PV_OK)
			riscv_exit_s2_fault(vc, exit, VCPU_ACCESS_EXEC);
		return;
	}
}

/* The vCPU's state into the hart, when it is not there. Returns @vc so that the caller keeps
 * nothing live across the call. */
static __attribute__((noinline)) struct riscv_vcpu *riscv_vcpu_prepare(struct riscv_vcpu *vc)
{
	riscv_vcpu_load(vc->vcpu);
	return vc;
}

static void riscv_exit_complete(struct vcpu *vcpu, const struct vcpu_exit *exit);

/* Whether the vCPU's state must be (re)loaded into the hart, or remote fences are due, before
 * the next entry (riscv_vcpu_prepare). */
static inline bool riscv_vcpu_unprepared(const struct riscv_vcpu *vc)
{
	return riscv_this_cpu()->loaded != vc->vcpu || vc->reload ||
	       __atomic_load_n(&vc->rfence.pending, __ATOMIC_RELAXED);
}

/* Decodes the two frequent exits, the Polyvisor hypercall and MMIO, into @exit; false for any
 * other, and for an MMIO exit that became something else (a fault to reflect, a stop). */
static inline __attribute__((always_inline)) bool riscv_exit_hot(struct riscv_vcpu *vc,
								 struct vcpu_exit *exit)
{
	if (__builtin_expect(vc->decoded, 0)) {
		/* riscv_guest_sync decoded it while s0-s11 were still the hart's: a store's value
		 * is read again now that they are saved. */
		vc->decoded = false;
		if (exit->kind == VCPU_EXIT_MMIO && exit->mmio.write && exit->mmio.reg)
			exit->mmio.data = vc->x[exit->mmio.reg];
		return exit->kind == VCPU_EXIT_MMIO;
	}
	/* The Polyvisor hypercall: decoded by the SBI layer's own helper, answered by the core. */
	if (vc->scause == EXC_ECALL_VS && vc->x[VSBI_A7] == VSBI_EXT_POLYVISOR) {
		vc->exit_len = 4;
		riscv_vsbi_hcall(vc->x, exit);
		return true;
	}
	if (vc->scause == EXC_LOAD_GUEST_PAGE_FAULT || vc->scause == EXC_STORE_GUEST_PAGE_FAULT) {
		riscv_exit_mmio(vc, exit, vc->scause == EXC_STORE_GUEST_PAGE_FAULT);
		return exit->kind == VCPU_EXIT_MMIO;
	}
	return false;
}

/* Whether riscv_guest_sync already handled the exit: then there is none to report. */
static inline bool riscv_exit_handled(struct riscv_vcpu *vc, struct vcpu_exit *exit)
{
	if (__builtin_expect(!vc->handled, 1))
		return false;
	vc->handled = false;
	exit->kind = VCPU_EXIT_NONE;
	return true;
}

/* Any exit riscv_exit_hot declined: decoded for the run loop, unless it was an MMIO exit that
 * riscv_exit_mmio already turned into another. */
static inline void riscv_exit_cold(struct riscv_vcpu *vc, struct vcpu_exit *exit)
{
	if (vc->scause != EXC_LOAD_GUEST_PAGE_FAULT && vc->scause != EXC_STORE_GUEST_PAGE_FAULT)
		riscv_vcpu_decode(vc->vcpu, vc, exit, vc->scause);
}

/* The hot exits' loop: each goes through the core's vm_exit_step and the guest is entered again
 * without returning to the run loop, until an exit that is not hot (decoded here for the run
 * loop) or a vCPU that may not go on (a VCPU_EXIT_NONE exit). Out of line: its registers are
 * not saved on the way of the other exits. */
static __attribute__((noinline)) void riscv_vcpu_run_hot(struct riscv_vcpu *vc,
							 struct vcpu_exit *exit)
{
	uint32_t fences;

	do {
		if (!vm_exit_step(vc->vcpu, exit, riscv_virq_sync, riscv_exit_virq_flush,
				  riscv_exit_complete)) {
			exit->kind = VCPU_EXIT_NONE;
			return;
		}
		/* As the run loop leaves it: riscv_vsbi_call answers some calls in place and says so
		 * by leaving the kind as it found it. */
		exit->kind = VCPU_EXIT_NONE;
		if (__builtin_expect(riscv_vcpu_unprepared(vc), 0))
			vc = riscv_vcpu_prepare(vc);
		fences = riscv_rfence_enter(&vc->rfence);
		if (__builtin_expect(fences != 0, 0))
			vc = riscv_do_fences(vc, fences);
		vc = riscv_guest_enter(vc);
		riscv_rfence_exit(&vc->rfence);
		exit = vc->exit;
		if (riscv_exit_handled(vc, exit))
			return;
	} while (riscv_exit_hot(vc, exit));
	riscv_exit_cold(vc, exit);
}

/*
 * The short way through an exit (vcpu_entry.S): a Polyvisor hypercall, or an MMIO access whose
 * register is not one the vector left in the hart, goes through the core's vm_exit_step right
 * here and the guest is entered again without the host's registers being restored. Anything else
 * goes the full way (riscv_vcpu_run): declined with nothing changed, declined after decoding
 * (vc->decoded), or, when the vCPU may not go on or its state must be loaded first, handled and
 * reported as no exit (vc->handled).
 */
struct riscv_vcpu *riscv_guest_sync(struct riscv_vcpu *vc)
{
	struct vcpu_exit *exit = vc->exit;
	bool go_on;

	if (vc->scause == EXC_ECALL_VS && vc->x[VSBI_A7] == VSBI_EXT_POLYVISOR) {
		vc->exit_len = 4;
		riscv_vsbi_hcall(vc->x, exit);
	} else if (vc->scause == EXC_LOAD_GUEST_PAGE_FAULT ||
		   vc->scause == EXC_STORE_GUEST_PAGE_FAULT) {
		/* Decoded once, here: reading the instruction may fault in HS-mode, which overwrites
		 * the trap registers. An exit that cannot go on here is left decoded in the run
		 * loop's exit (vc->decoded). */
		riscv_exit_mmio(vc, exit, vc->scause == EXC_STORE_GUEST_PAGE_FAULT);
		if (exit->kind != VCPU_EXIT_MMIO || riscv_reg_in_hart(exit->mmio.reg)) {
			vc->decoded = true;
			return NULL;
		}
	} else {
		return NULL;
	}
	vc->regs_partial = true;
	go_on = vm_exit_step(vc->vcpu, exit, riscv_virq_sync, riscv_exit_virq_flush,
			     riscv_exit_complete);
	vc->regs_partial = false;
	if (!go_on || riscv_vcpu_unprepared(vc)) {
		vc->handled = true;
		return NULL;
	}
	exit->kind = VCPU_EXIT_NONE; /* as the run loop leaves it before an entry */
	return vc;
}

void riscv_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint32_t fences;

	vc->vcpu = vcpu;
	vc->exit = exit;
	if (__builtin_expect(riscv_vcpu_unprepared(vc), 0))
		vc = riscv_vcpu_prepare(vc);
	/* Every exit that is not a hot one comes through here, the backstop's own among them. */
	if (RISCV_VTIMER_BACKSTOP && riscv_info.sstc)
		vc = riscv_virq_backstop(vc);
	fences = riscv_rfence_enter(&vc->rfence);
	if (__builtin_expect(fences != 0, 0))
		vc = riscv_do_fences(vc, fences);
	vc = riscv_guest_enter(vc);
	riscv_rfence_exit(&vc->rfence);
	exit = vc->exit;
	if (riscv_exit_handled(vc, exit))
		return;
	if (riscv_exit_hot(vc, exit))
		riscv_vcpu_run_hot(vc, exit);
	else
		riscv_exit_cold(vc, exit);
}

static __attribute__((noinline)) void riscv_vcpu_complete_other(struct riscv_vcpu *vc,
								const struct vcpu_exit *exit)
{
	switch (exit->kind) {
	case VCPU_EXIT_CPU_UP:
		riscv_vsbi_complete(exit, vc->x);
		break;
	case VCPU_EXIT_HALT:
		break;
	default:
		return;
	}
	vc->pc += vc->exit_len;
}

/* The two frequent kinds are handled without a call, so this stays a leaf function; inline in
 * riscv_vcpu_run's vm_exit_step. */
static inline void riscv_exit_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (exit->kind == VCPU_EXIT_HYPERCALL) {
		riscv_vsbi_hcall_complete(exit, vc->x);
	} else if (exit->kind == VCPU_EXIT_MMIO) {
		if (!exit->mmio.write && exit->mmio.reg != 0 && exit->mmio.reg < 32)
			vc->x[exit->mmio.reg] = exit->mmio.data;
	} else {
		riscv_vcpu_complete_other(vc, exit);
		return;
	}
	vc->pc += vc->exit_len;
}

void riscv_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	riscv_exit_complete(vcpu, exit);
}

int riscv_vcpu_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t cause;

	switch (exit->kind) {
	case VCPU_EXIT_MMIO:
		cause = exit->mmio.write ? EXC_STORE_ACCESS : EXC_LOAD_ACCESS;
		break;
	case VCPU_EXIT_S2_FAULT:
		if (exit->fault.access & VCPU_ACCESS_EXEC)
			cause = EXC_INST_ACCESS;
		else if (exit->fault.access & VCPU_ACCESS_WRITE)
			cause = EXC_STORE_ACCESS;
		else
			cause = EXC_LOAD_ACCESS;
		break;
	default:
		return -PV_ENOTSUP;
	}
	/* stval of a guest-page fault is the guest-virtual address, which is what the guest's own
	 * access fault reports. */
	return riscv_reflect(vc, cause, vc->stval);
}
