// SPDX-License-Identifier: MIT
/*
 * riscv64's MMIO exit (arch/riscv64/mmio.c, the decisions behind vexit.c's load and store
 * guest-page faults): any trap report (stval, htval, htinst, pc, registers) and any outcome of
 * reading the trapping instruction (its bits, or the trap the read took), for a sequence of exits
 * on one vCPU, against the privileged specification: htinst's transformed instructions (bit 0 set;
 * bit 1 clear for a compressed original) are used without a read, its pseudoinstructions (bit 0
 * clear) are implicit accesses of the guest's page-table walk and end as stage-2 faults; otherwise
 * the instruction is read, once. An MMIO exit carries the faulting guest-physical address
 * (htval << 2 | stval[1:0]), the trap's direction, the decoded width, sign extension and register,
 * the stored register's value, and the instruction's length; an instruction in the other
 * direction or no integer load or store is a stage-2 fault at that address. A read that trapped
 * is a stage-2 exec fault (guest-page faults), an instruction page or access fault for the guest,
 * or a stop, with the exit untouched then. And the decoder's per-vCPU memo is invisible: the same
 * exit on a vCPU with an empty memo, or with other bytes after a compressed instruction, ends the
 * same way.
 */
#include "fuzz.h"

#include <riscv64/csr.h>
#include <riscv64/insn.h>
#include <riscv64/mmio.h>
#include <string.h>

static struct {
	bool ok;
	uint32_t insn;
	struct riscv_gfault fault;
	unsigned calls;
} fetch_plan;

static bool fetch(struct riscv_vcpu *vc, uint32_t *insn, struct riscv_gfault *fault)
{
	(void)vc;
	fetch_plan.calls++;
	if (fetch_plan.ok)
		*insn = fetch_plan.insn;
	else
		*fault = fetch_plan.fault;
	return fetch_plan.ok;
}

struct result {
	bool done;
	struct vcpu_exit exit;
	struct riscv_fetch_outcome out;
	uint64_t stval;
	unsigned exit_len, calls;
};

static void run(struct riscv_vcpu *vc, bool store, struct result *r)
{
	memset(r, 0, sizeof(*r));
	memset(&r->exit, 0xa5, sizeof(r->exit));
	fetch_plan.calls = 0;
	r->done = riscv_mmio_exit_slow(vc, &r->exit, store, fetch, &r->out);
	r->stval = vc->stval;
	r->exit_len = vc->exit_len;
	r->calls = fetch_plan.calls;
}

static bool same(const struct result *a, const struct result *b)
{
	if (a->done != b->done || a->calls != b->calls || a->stval != b->stval)
		return false;
	if (!a->done)
		return a->out.verdict == b->out.verdict && a->out.cause == b->out.cause &&
		       a->out.tval == b->out.tval;
	if (a->exit.kind != b->exit.kind)
		return false;
	if (a->exit.kind == VCPU_EXIT_MMIO)
		return a->exit_len == b->exit_len &&
		       a->exit.mmio.addr.raw == b->exit.mmio.addr.raw &&
		       a->exit.mmio.width == b->exit.mmio.width &&
		       a->exit.mmio.write == b->exit.mmio.write &&
		       a->exit.mmio.sign_extend == b->exit.mmio.sign_extend &&
		       a->exit.mmio.reg == b->exit.mmio.reg &&
		       a->exit.mmio.data == b->exit.mmio.data;
	return a->exit.fault.addr.raw == b->exit.fault.addr.raw &&
	       a->exit.fault.access == b->exit.fault.access && a->exit.fault.pc == b->exit.fault.pc;
}

/* The result the specification asks for (see the file comment). */
static void check(const struct riscv_vcpu *before, bool store, const struct result *r)
{
	uint64_t fault_gpa = (before->htval << 2) | (before->stval & 3u);
	uint8_t access = store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ;
	uint64_t ht = before->htinst;
	uint32_t insn;
	unsigned len;
	struct riscv_mem_insn m;

	if (ht && (!(ht & 1) || ht >> 32)) { /* a pseudoinstruction (or no instruction at all) */
		FZ_CHECK(r->done && r->calls == 0 && r->exit.kind == VCPU_EXIT_S2_FAULT &&
				 r->exit.fault.addr.raw == fault_gpa &&
				 r->exit.fault.access == access,
			 "htinst 0x%llx: not a stage-2 fault at the address",
			 (unsigned long long)ht);
		return;
	}
	if (ht) {
		insn = (uint32_t)ht | 2u;
		len = ht & 2 ? 4 : 2;
		FZ_CHECK(r->calls == 0, "htinst 0x%llx given, instruction read anyway",
			 (unsigned long long)ht);
	} else {
		FZ_CHECK(r->calls == 1, "instruction read %u times", r->calls);
		if (!fetch_plan.ok) {
			const struct riscv_gfault *f = &fetch_plan.fault;

			switch (f->cause) {
			case EXC_INST_GUEST_PAGE_FAULT:
			case EXC_LOAD_GUEST_PAGE_FAULT:
			case EXC_STORE_GUEST_PAGE_FAULT:
				FZ_CHECK(r->done && r->exit.kind == VCPU_EXIT_S2_FAULT &&
						 r->exit.fault.access == VCPU_ACCESS_EXEC &&
						 r->exit.fault.addr.raw ==
							 ((f->htval << 2) | (f->tval & 3u)) &&
						 r->exit.fault.pc == before->pc &&
						 r->stval == f->tval,
					 "read's guest-page fault %llu: not an exec fault there",
					 (unsigned long long)f->cause);
				return;
			case EXC_INST_PAGE_FAULT:
			case EXC_LOAD_PAGE_FAULT:
			case EXC_STORE_PAGE_FAULT:
			case EXC_INST_ACCESS:
			case EXC_LOAD_ACCESS:
			case EXC_STORE_ACCESS:
				FZ_CHECK(!r->done && r->out.verdict == RISCV_FETCH_INJECT &&
						 r->out.cause ==
							 (f->cause == EXC_INST_ACCESS ||
									  f->cause ==
										  EXC_LOAD_ACCESS ||
									  f->cause ==
										  EXC_STORE_ACCESS
								  ? EXC_INST_ACCESS
								  : EXC_INST_PAGE_FAULT) &&
						 r->out.tval == f->tval &&
						 r->stval == before->stval,
					 "read's fault %llu: not the instruction fault for the "
					 "guest",
					 (unsigned long long)f->cause);
				return;
			default:
				FZ_CHECK(!r->done && r->out.verdict == RISCV_FETCH_STOP &&
						 r->stval == before->stval,
					 "read's trap %llu: no stop", (unsigned long long)f->cause);
				return;
			}
		}
		insn = fetch_plan.insn;
		len = riscv_insn_len(insn & 0xffffu);
	}
	FZ_CHECK(r->done, "instruction 0x%x: no exit", insn);
	if (!riscv_decode_mem(insn, &m) || m.store != store) {
		FZ_CHECK(r->exit.kind == VCPU_EXIT_S2_FAULT &&
				 r->exit.fault.addr.raw == fault_gpa &&
				 r->exit.fault.access == access && r->exit.fault.pc == before->pc,
			 "instruction 0x%x (%s trap): not a stage-2 fault at the address", insn,
			 store ? "store" : "load");
		return;
	}
	FZ_CHECK(r->exit.kind == VCPU_EXIT_MMIO && r->exit.mmio.addr.raw == fault_gpa &&
			 r->exit.mmio.write == store && r->exit.mmio.width == m.width &&
			 r->exit.mmio.sign_extend == (!store && m.sign_extend) &&
			 r->exit.mmio.reg == m.reg && r->exit.mmio.reg_width == 8 &&
			 r->exit_len == len,
		 "instruction 0x%x: MMIO exit differs (width %u reg %u len %u)", insn,
		 r->exit.mmio.width, r->exit.mmio.reg, r->exit_len);
	FZ_CHECK(!store || r->exit.mmio.data == (m.reg ? before->x[m.reg] : 0),
		 "store of x%u: data 0x%llx", m.reg, (unsigned long long)r->exit.mmio.data);
}

/* Instructions from bytes: mostly loads and stores (the opcodes the decoder serves). */
static uint32_t pick_insn(struct fz *f)
{
	static const uint32_t major[] = { 0x03, 0x23, 0x07, 0x27, 0x2f, 0x13, 0x73 };
	uint32_t v = fz_u32(f);

	switch (fz_below(f, 4)) {
	case 0:
		return (v & ~0x7fu) | FZ_PICK(f, major);
	case 1: /* compressed: quadrants 0 and 2, with any upper half */
		return (v & ~3u) | (fz_bool(f) ? 0u : 2u);
	default:
		return v;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t causes[] = { EXC_INST_GUEST_PAGE_FAULT,
					   EXC_LOAD_GUEST_PAGE_FAULT,
					   EXC_STORE_GUEST_PAGE_FAULT,
					   EXC_INST_PAGE_FAULT,
					   EXC_LOAD_PAGE_FAULT,
					   EXC_STORE_PAGE_FAULT,
					   EXC_INST_ACCESS,
					   EXC_LOAD_ACCESS,
					   EXC_STORE_ACCESS,
					   EXC_ILLEGAL_INST,
					   0,
					   4 };
	static struct riscv_vcpu vc, fresh, before;
	struct fz f = fz_init(data, size);

	memset(&vc, 0, sizeof(vc));
	for (unsigned i = 1; i < 32; i++)
		vc.x[i] = fz_u64(&f);
	for (unsigned steps = 0; steps < 32 && fz_more(&f); steps++) {
		bool store = fz_bool(&f);
		struct result r, r2;

		vc.pc = fz_u64(&f) & ~1ULL;
		vc.stval = fz_u64(&f);
		vc.htval = fz_u64(&f) & ((1ULL << 62) - 1);
		switch (fz_below(&f, 4)) {
		case 0:
			vc.htinst = pick_insn(&f) | 1u; /* transformed, either length */
			if (fz_bool(&f))
				vc.htinst &= ~2ULL;
			break;
		case 1:
			vc.htinst = fz_bool(&f)
					    ? FZ_PICK(&f, ((const uint64_t[]){ 0x2000, 0x3000,
									       0x2020, 0x3020 }))
					    : fz_u64(&f);
			break;
		default:
			vc.htinst = 0;
			break;
		}
		fetch_plan.ok = fz_below(&f, 4) != 0;
		fetch_plan.insn = pick_insn(&f);
		fetch_plan.fault = (struct riscv_gfault){ FZ_PICK(&f, causes), fz_u64(&f),
							  fz_u64(&f) & ((1ULL << 62) - 1) };
		before = vc;
		fresh = vc;
		fresh.mem_insn = 0; /* nothing remembered */
		run(&vc, store, &r);
		check(&before, store, &r);
		run(&fresh, store, &r2);
		FZ_CHECK(same(&r, &r2),
			 "the decoder's memo changed the outcome of instruction 0x%x",
			 fetch_plan.insn);
		if (!before.htinst && fetch_plan.ok &&
		    riscv_insn_len(fetch_plan.insn & 0xffffu) == 2) {
			/* The bytes after a compressed instruction are not part of it. */
			fresh = before;
			fresh.mem_insn = 0;
			fetch_plan.insn ^= (uint32_t)fz_u16(&f) << 16;
			run(&fresh, store, &r2);
			FZ_CHECK(same(&r, &r2),
				 "the half after compressed 0x%x changed its outcome",
				 fetch_plan.insn & 0xffffu);
		}
	}
	return 0;
}
