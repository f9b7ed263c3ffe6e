// SPDX-License-Identifier: MIT
/*
 * Guest entry and the decoding of every trap out of VS-mode into the core's exits: SBI calls,
 * guest-page faults (MMIO, decoded from the trapping instruction fetched with HLVX.HU since
 * htinst may be zero), virtual-instruction exceptions (WFI), host interrupts. Exceptions the
 * guest caused and can handle itself are reflected into it as the hardware would deliver them.
 */
#include <hal/hal.h>
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

/* Fetches the guest instruction at @pc. false if the fetch itself faulted (the guest changed its
 * mapping under our feet): the caller then treats the access as undecodable. */
static bool riscv_fetch_insn(uint64_t pc, uint32_t *insn)
{
	uint64_t lo, hi = 0;
	bool faulted;

	riscv_trap_recover_begin();
	lo = riscv_hlvx_hu(pc);
	if ((lo & 3u) == 3u)
		hi = riscv_hlvx_hu(pc + 2);
	faulted = riscv_trap_recover_end();
	*insn = (uint32_t)(lo & 0xffffu) | (uint32_t)((hi & 0xffffu) << 16);
	return !faulted;
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

static void riscv_exit_mmio(struct riscv_vcpu *vc, struct vcpu_exit *exit, bool store)
{
	struct riscv_mem_insn m;
	uint32_t insn;
	unsigned len = 0;

	if (!riscv_htinst_insn(vc->htinst, &insn, &len) && !riscv_fetch_insn(vc->pc, &insn)) {
		riscv_exit_s2_fault(vc, exit, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
		return;
	}
	if (!riscv_decode_mem(insn, &m) || m.store != store) {
		riscv_exit_s2_fault(vc, exit, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
		return;
	}
	vc->exit_len = len ? len : m.len;
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(riscv_fault_gpa(vc));
	exit->mmio.width = m.width;
	exit->mmio.write = store;
	exit->mmio.sign_extend = m.sign_extend;
	exit->mmio.reg = m.reg;
	exit->mmio.reg_width = 8;
	exit->mmio.data = store && m.reg ? vc->x[m.reg] : 0;
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
	vc->sstatus |= SSTATUS_SPP; /* the handler runs in VS-mode */
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
		hal_cpu.timer_arm(0);
		csr_clear(CSR_SIE, SIP_STIP);
	}
}

static void riscv_exit_virtual_inst(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint32_t insn = (uint32_t)vc->stval;

	/* stval holds the instruction bits where the hart reports them; fetch it otherwise. */
	if (insn == 0 && !riscv_fetch_insn(vc->pc, &insn))
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

void riscv_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	uint64_t cause, code;

	riscv_vcpu_load(vcpu);
	if (vc->fence_pending)
		riscv_do_fences(vc);
	riscv_guest_enter(vc);

	cause = vc->scause;
	code = cause & SCAUSE_CODE_MASK;
	if (cause & SCAUSE_INTERRUPT) {
		riscv_exit_irq(code, exit);
		return;
	}
	switch (code) {
	case EXC_ECALL_VS:
		vc->exit_len = 4;
		riscv_vsbi_call(vcpu, vc->x, exit);
		if (exit->kind == VCPU_EXIT_NONE)
			vc->pc += 4;
		return;
	case EXC_LOAD_GUEST_PAGE_FAULT:
		riscv_exit_mmio(vc, exit, false);
		return;
	case EXC_STORE_GUEST_PAGE_FAULT:
		riscv_exit_mmio(vc, exit, true);
		return;
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

void riscv_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	switch (exit->kind) {
	case VCPU_EXIT_HYPERCALL:
	case VCPU_EXIT_CPU_UP:
		riscv_vsbi_complete(exit, vc->x);
		break;
	case VCPU_EXIT_MMIO:
		if (!exit->mmio.write && exit->mmio.reg != 0 && exit->mmio.reg < 32)
			vc->x[exit->mmio.reg] = exit->mmio.data;
		break;
	case VCPU_EXIT_HALT:
		break;
	default:
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
