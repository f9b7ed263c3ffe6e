// SPDX-License-Identifier: MIT
/*
 * The MMIO exit's decisions (riscv64/mmio.h): which instruction trapped, what it wanted, and what
 * to do when the instruction itself cannot be read. No CSR or hypervisor instruction here; the
 * caller (vexit.c) gathers the trap report and reads guest memory.
 */
#include <riscv64/csr.h>
#include <riscv64/insn.h>
#include <riscv64/mmio.h>

void riscv_exit_s2_fault(const struct riscv_vcpu *vc, struct vcpu_exit *exit, uint8_t access)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa((vc->htval << 2) | (vc->stval & 3u));
	exit->fault.access = access;
	exit->fault.pc = vc->pc;
}

void riscv_fetch_verdict(const struct riscv_gfault *f, struct riscv_fetch_outcome *out)
{
	out->read_cause = f->cause;
	out->tval = f->tval;
	out->gpa = 0;
	out->cause = 0;
	switch (f->cause) {
	case EXC_INST_GUEST_PAGE_FAULT:
	case EXC_LOAD_GUEST_PAGE_FAULT:
	case EXC_STORE_GUEST_PAGE_FAULT:
		/* G-stage said no: the page (or one of the guest's page tables on the way to it)
		 * is no guest RAM. */
		out->verdict = RISCV_FETCH_S2_FAULT;
		out->gpa = (f->htval << 2) | (f->tval & 3u);
		return;
	case EXC_INST_PAGE_FAULT:
	case EXC_LOAD_PAGE_FAULT:
	case EXC_STORE_PAGE_FAULT:
		out->verdict = RISCV_FETCH_INJECT;
		out->cause = EXC_INST_PAGE_FAULT;
		return;
	case EXC_INST_ACCESS:
	case EXC_LOAD_ACCESS:
	case EXC_STORE_ACCESS:
		/* Physical-memory protection, or (QEMU 7.2) a VS-stage refusal reported as an
		 * access fault: either way an instruction access fault is what a re-fetch by a
		 * guest that cannot tell the two apart amounts to. */
		out->verdict = RISCV_FETCH_INJECT;
		out->cause = EXC_INST_ACCESS;
		return;
	default:
		/* Misaligned (the reads are halfword or word aligned), illegal instruction (the
		 * hart has the H extension), anything else: nothing the guest did explains it. */
		out->verdict = RISCV_FETCH_STOP;
		return;
	}
}

bool riscv_fetch_fault_exit(struct riscv_vcpu *vc, struct vcpu_exit *exit,
			    const struct riscv_gfault *f, struct riscv_fetch_outcome *out)
{
	riscv_fetch_verdict(f, out);
	if (out->verdict != RISCV_FETCH_S2_FAULT)
		return false;
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(out->gpa);
	exit->fault.access = VCPU_ACCESS_EXEC;
	exit->fault.pc = vc->pc;
	/* What the guest is told if the core injects the fault (inject_fault). */
	vc->stval = out->tval;
	return true;
}

/* A hart that reports the trapping instruction in htinst: a transformed instruction
 * (bit 0 set) to decode, a pseudoinstruction (bit 0 clear, nonzero) for an implicit access of
 * the guest's VS-stage page-table walk, or zero for nothing. */
enum riscv_htinst_kind {
	RISCV_HTINST_NONE,
	RISCV_HTINST_INSN,
	RISCV_HTINST_IMPLICIT,
};

static enum riscv_htinst_kind riscv_htinst_kind(uint64_t htinst, uint32_t *insn, unsigned *len)
{
	if (htinst == 0)
		return RISCV_HTINST_NONE;
	if (riscv_htinst_insn(htinst, insn, len))
		return RISCV_HTINST_INSN;
	return RISCV_HTINST_IMPLICIT;
}

bool riscv_mmio_exit_slow(struct riscv_vcpu *vc, struct vcpu_exit *exit, bool store,
			  riscv_fetch_fn fetch, struct riscv_fetch_outcome *out)
{
	uint8_t access = store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ;
	struct riscv_mem_insn m;
	struct riscv_gfault f;
	uint32_t insn = 0;
	unsigned len = 0;

	switch (riscv_htinst_kind(vc->htinst, &insn, &len)) {
	case RISCV_HTINST_IMPLICIT:
		/* The guest's page tables reach outside its RAM: nothing to emulate. */
		riscv_exit_s2_fault(vc, exit, access);
		return true;
	case RISCV_HTINST_NONE:
		if (!fetch(vc, &insn, &f))
			return riscv_fetch_fault_exit(vc, exit, &f, out);
		break;
	case RISCV_HTINST_INSN:
		break;
	}
	if (riscv_mmio_memo_hit(vc, insn, store)) {
		m = vc->mem_decoded;
	} else {
		if (!riscv_decode_mem(insn, &m) || m.store != store) {
			riscv_exit_s2_fault(vc, exit, access);
			return true;
		}
		vc->mem_insn = insn;
		vc->mem_decoded = m;
	}
	riscv_exit_mmio_fill(vc, exit, store, &m, len ? len : m.len);
	return true;
}
