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
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/insn.h>
#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <vm/vm.h>

#define RISCV_INSN_WFI 0x10500073u

/* HLVX.HU: a halfword of guest memory read with execute permission through the guest's own
 * translation (vsatp) and G-stage, as the guest's privilege (hstatus.SPVP). */
static inline uint64_t riscv_hlvx_hu(uint64_t gva)
{
	uint64_t v;

	__asm__ __volatile__(".insn r 0x73, 4, 0x32, %0, %1, x3" : "=r"(v) : "r"(gva) : "memory");
	return v;
}

/* HLVX.WU: the same for a word; only used at a 4-byte aligned address (never misaligned, never
 * across a page). */
static inline uint64_t riscv_hlvx_wu(uint64_t gva)
{
	uint64_t v;

	__asm__ __volatile__(".insn r 0x73, 4, 0x34, %0, %1, x3" : "=r"(v) : "r"(gva) : "memory");
	return v;
}

/* Fetches the guest instruction at @vc's pc. false if the fetch itself faulted (the guest
 * changed its mapping under our feet): the caller then treats the access as undecodable. At a
 * 4-byte aligned pc one word read covers both halves of any instruction (the two extra bytes of
 * a compressed one are on the same page and in the same 4-byte PMP granule, so the read cannot
 * fault where the fetch did not). */
static inline __attribute__((always_inline)) bool riscv_fetch_insn(struct riscv_vcpu *vc,
								   uint32_t *insn)
{
	uint64_t pc = vc->pc, lo, hi = 0;
	bool faulted;

	riscv_trap_recover_begin();
	if ((pc & 3u) == 0) {
		lo = riscv_hlvx_wu(pc);
		hi = lo >> 16;
	} else {
		lo = riscv_hlvx_hu(pc);
		if ((lo & 3u) == 3u)
			hi = riscv_hlvx_hu(pc + 2);
	}
	faulted = riscv_trap_recover_end();
	if (faulted) {
		/* The HS-mode trap and its sret cleared hstatus.SPV and sstatus.SPP, which the next
		 * entry relies on (vcpu.c): put the guest's back. */
		csr_set(CSR_HSTATUS, HSTATUS_SPV);
		if (vc->sstatus & SSTATUS_SPP)
			csr_set(CSR_SSTATUS, SSTATUS_SPP);
		return false;
	}
	*insn = (uint32_t)(lo & 0xffffu) | (uint32_t)((hi & 0xffffu) << 16);
	return true;
}

static uint64_t riscv_fault_gpa(const struct riscv_vcpu *vc)
{
	return (vc->htval << 2) | (vc->stval & 3u);
}

static void riscv_exit_s2_fault(struct riscv_vcpu *vc, struct vcpu_exit *exit, uint8_t access)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(riscv_fault_gpa(vc));
	exit->fault.access = access;
	exit->fault.pc = vc->pc;
}

/* The trap's report, read before anything here can take an HS-mode trap (the HLVX fetch) and
 * overwrite it: stval is the guest-virtual address or the instruction bits, htval/htinst
 * describe guest-page faults, sstatus.SPP is the guest's privilege (riscv_reflect). */
static inline void riscv_read_trap_csrs(struct riscv_vcpu *vc)
{
	csr_read(CSR_STVAL, vc->stval);
	csr_read(CSR_HTVAL, vc->htval);
	csr_read(CSR_HTINST, vc->htinst);
	csr_read(CSR_SSTATUS, vc->sstatus);
}

static inline void riscv_exit_mmio_fill(struct riscv_vcpu *vc, struct vcpu_exit *exit, bool store,
					const struct riscv_mem_insn *m, unsigned len)
{
	vc->exit_len = len;
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(riscv_fault_gpa(vc));
	exit->mmio.width = m->width;
	exit->mmio.write = store;
	exit->mmio.sign_extend = m->sign_extend;
	exit->mmio.reg = m->reg;
	exit->mmio.reg_width = 8;
	exit->mmio.data = store && m->reg ? vc->x[m->reg] : 0;
}

/* A load or store guest-page fault whose trap CSRs riscv_exit_mmio saved in @vc, in full. The
 * decoding is memoised per vCPU: riscv_decode_mem is a pure function of the instruction bits,
 * so the last instruction that decoded and its result are kept (0, the empty cache, never
 * decodes) and riscv_exit_mmio can skip the decoder for a repeat of the same bits. */
static __attribute__((noinline)) void riscv_exit_mmio_slow(struct riscv_vcpu *vc,
							   struct vcpu_exit *exit, bool store)
{
	struct riscv_mem_insn m;
	uint32_t insn;
	unsigned len = 0;

	if (!riscv_htinst_insn(vc->htinst, &insn, &len) && !riscv_fetch_insn(vc, &insn)) {
		riscv_exit_s2_fault(vc, exit, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
		return;
	}
	if (insn != 0 && insn == vc->mem_insn) {
		m = vc->mem_decoded;
	} else {
		if (!riscv_decode_mem(insn, &m)) {
			riscv_exit_s2_fault(vc, exit, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
			return;
		}
		vc->mem_insn = insn;
		vc->mem_decoded = m;
	}
	if (m.store != store) {
		riscv_exit_s2_fault(vc, exit, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
		return;
	}
	riscv_exit_mmio_fill(vc, exit, store, &m, len ? len : m.len);
}

/* A load or store guest-page fault: an access to an emulated device (or to nothing, which the
 * core finds out). The usual case, no htinst (QEMU leaves it zero) and the same instruction as
 * the last decoded one, is finished here without a call; anything else takes the full path. */
static __attribute__((noinline)) void riscv_exit_mmio(struct riscv_vcpu *vc, struct vcpu_exit *exit,
						      bool store)
{
	uint32_t insn;

	riscv_read_trap_csrs(vc);
	if ((vc->htinst & 1u) == 0 && riscv_fetch_insn(vc, &insn) && insn != 0 &&
	    insn == vc->mem_insn && vc->mem_decoded.store == store) {
		riscv_exit_mmio_fill(vc, exit, store, &vc->mem_decoded, vc->mem_decoded.len);
		return;
	}
	riscv_exit_mmio_slow(vc, exit, store);
}

/* Delivers exception @cause with @tval to the guest the way the hardware would have: vsepc,
 * vscause, vstval, vsstatus.SPP/SPIE/SIE, then the guest's trap vector (exceptions always go to
 * its base). Refuses (-PV_ENOTSUP) when the fault is the vector itself: the guest cannot take it.
 * Context: the vCPU's hart, VS state loaded. */
static int riscv_reflect(struct vcpu *vcpu, uint64_t cause, uint64_t tval)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
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

/* Host interrupts: an IPI (a kick from another hart) or the timer of the no-Sstc fallback. Both
 * only make the vCPU leave the guest; the run loop then looks at the new state. */
static void riscv_exit_irq(uint64_t code, struct vcpu_exit *exit)
{
	exit->kind = VCPU_EXIT_IRQ;
	exit->irq.irq = (uint32_t)code;
	if (code == IRQ_S_SOFT) {
		csr_clear(CSR_SIP, SIP_SSIP);
	} else if (code == IRQ_S_TIMER) {
		hv_timer_fired(); /* the next deadline of the CPU's timer users, if any */
	}
}

static void riscv_exit_virtual_inst(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint32_t insn = (uint32_t)vc->stval;

	/* stval holds the instruction bits where the hart reports them; fetch it otherwise. */
	if (insn == 0 && !riscv_fetch_insn(vc, &insn))
		insn = 0;
	if (insn == RISCV_INSN_WFI) {
		vc->exit_len = 4;
		exit->kind = VCPU_EXIT_HALT;
		return;
	}
	/* Any other hypervisor-only instruction or CSR: illegal as far as the guest knows. */
	if (riscv_reflect(vcpu, EXC_ILLEGAL_INST, insn) != PV_OK)
		riscv_exit_s2_fault(vc, exit, VCPU_ACCESS_EXEC);
}

static void riscv_do_fences(struct riscv_vcpu *vc)
{
	uint32_t f = __atomic_exchange_n(&vc->fence_pending, 0, __ATOMIC_ACQ_REL);

	if (f & RISCV_FENCE_I)
		__asm__ __volatile__("fence.i" ::: "memory");
	if (f & RISCV_FENCE_VVMA)
		__asm__ __volatile__(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory");
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
		riscv_exit_virtual_inst(vcpu, exit);
		return;
	default:
		/* Illegal instructions, misaligned or PMP-refused accesses: the guest's own faults,
		 * handed back to it unchanged. One it cannot take stops the VM. */
		exit->kind = VCPU_EXIT_NONE;
		if (riscv_reflect(vcpu, code, vc->stval) != PV_OK)
			riscv_exit_s2_fault(vc, exit, VCPU_ACCESS_EXEC);
		return;
	}
}

/* What may be due before an entry: the vCPU's state into the hart, remote fences. Returns @vc
 * so that the caller keeps nothing live across the call. */
static __attribute__((noinline)) struct riscv_vcpu *riscv_vcpu_prepare(struct riscv_vcpu *vc)
{
	riscv_vcpu_load(vc->vcpu);
	if (vc->fence_pending)
		riscv_do_fences(vc);
	return vc;
}

void riscv_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	vc->vcpu = vcpu;
	vc->exit = exit;
	if (__builtin_expect(riscv_this_cpu()->loaded != vcpu || vc->reload || vc->fence_pending,
			     0))
		vc = riscv_vcpu_prepare(vc);
	vc = riscv_guest_enter(vc);
	exit = vc->exit;

	/* The Polyvisor hypercall: decoded by the SBI layer's own helper, answered by the core. */
	if (vc->scause == EXC_ECALL_VS && vc->x[VSBI_A7] == VSBI_EXT_POLYVISOR) {
		vc->exit_len = 4;
		riscv_vsbi_hcall(vc->x, exit);
		return;
	}
	if (vc->scause == EXC_LOAD_GUEST_PAGE_FAULT || vc->scause == EXC_STORE_GUEST_PAGE_FAULT) {
		riscv_exit_mmio(vc, exit, vc->scause == EXC_STORE_GUEST_PAGE_FAULT);
		return;
	}
	riscv_vcpu_decode(vc->vcpu, vc, exit, vc->scause);
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

/* The two frequent kinds are handled without a call, so this stays a leaf function. */
void riscv_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
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
	return riscv_reflect(vcpu, cause, vc->stval);
}
