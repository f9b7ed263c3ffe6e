/* SPDX-License-Identifier: MIT */
/*
 * The MMIO exit's decisions, apart from the instructions that gather their inputs (vexit.c): from
 * a load or store guest-page fault's report (stval, htval, htinst, saved in the vCPU) and the
 * trapping instruction (or the trap its read took) to an exit for the core, a fault for the guest,
 * or a stop. Plain C on plain data: host-tested, and drivable from bytes by a fuzzer.
 */
#ifndef RISCV64_MMIO_H
#define RISCV64_MMIO_H

#include <riscv64/fixup.h>
#include <riscv64/vcpu.h>

/* Reads the instruction at @vc->pc: true with its bits (a compressed one in the low half, the
 * upper half being whatever follows), or false with the trap the read took. */
typedef bool (*riscv_fetch_fn)(struct riscv_vcpu *vc, uint32_t *insn, struct riscv_gfault *fault);

/* What a failed read of the trapping instruction means (riscv_fetch_verdict). */
enum riscv_fetch_verdict {
	/* The instruction's guest-physical page is no guest RAM: an exec fault there, as the
	 * guest would get by running it now (the core injects it or stops the VM). */
	RISCV_FETCH_S2_FAULT,
	/* The guest's own translation refuses it now (the guest changed it since the trap):
	 * the guest gets exception cause at tval, as it would by running it now. */
	RISCV_FETCH_INJECT,
	/* A cause that reading an instruction cannot have: no fault fits, the VM stops. */
	RISCV_FETCH_STOP,
};

struct riscv_fetch_outcome {
	enum riscv_fetch_verdict verdict;
	uint64_t read_cause; /* the read's own trap cause (for the log) */
	uint64_t cause;	     /* INJECT: the exception code the guest gets */
	uint64_t tval;	     /* INJECT: its stval; S2_FAULT, STOP: the address that faulted */
	uint64_t gpa;	     /* S2_FAULT: the guest-physical address that faulted */
};

/* Judges the trap @f that a read of guest instruction memory took, whichever way the hart
 * reports it: as a load (what the H extension specifies for HLVX) or as an instruction fetch
 * (QEMU from 8.1 on); an access fault can also stand for a VS-stage page fault (QEMU 7.2 reports
 * those as access faults while the hypervisor's own satp is Bare). */
void riscv_fetch_verdict(const struct riscv_gfault *f, struct riscv_fetch_outcome *out);

/* The exit for a failed read of the instruction at @vc->pc that took trap @f: true with @exit
 * set to the stage-2 exec fault (verdict S2_FAULT; @vc->stval becomes the faulting address, which
 * the guest is told if the core injects the fault), or false with @out saying what to do. */
bool riscv_fetch_fault_exit(struct riscv_vcpu *vc, struct vcpu_exit *exit,
			    const struct riscv_gfault *f, struct riscv_fetch_outcome *out);

/* A guest-page fault no device access explains: the core's stage-2 fault for @access at the
 * faulting guest-physical address (htval, stval's low bits). */
void riscv_exit_s2_fault(const struct riscv_vcpu *vc, struct vcpu_exit *exit, uint8_t access);

/* The MMIO exit for an access by @m (an instruction of @len bytes) at the faulting address. */
static inline void riscv_exit_mmio_fill(struct riscv_vcpu *vc, struct vcpu_exit *exit, bool store,
					const struct riscv_mem_insn *m, unsigned len)
{
	vc->exit_len = len;
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa((vc->htval << 2) | (vc->stval & 3u));
	exit->mmio.width = m->width;
	exit->mmio.write = store;
	exit->mmio.sign_extend = m->sign_extend;
	exit->mmio.reg = m->reg;
	exit->mmio.reg_width = 8;
	exit->mmio.data = store && m->reg ? vc->x[m->reg] : 0;
}

/* Whether @insn is the instruction the vCPU's last MMIO exit decoded, in the same direction:
 * riscv_decode_mem is a pure function of the bits, so its result can be reused (0 never
 * decodes, so an empty memo never matches). */
static inline bool riscv_mmio_memo_hit(const struct riscv_vcpu *vc, uint32_t insn, bool store)
{
	return insn != 0 && insn == vc->mem_insn && vc->mem_decoded.store == store;
}

/*
 * A load (@store false) or store guest-page fault, in full: the instruction comes from htinst
 * when the hart reports it there, else from @fetch; it is decoded (memoised per vCPU) and checked
 * against the trap's direction. Returns true with @exit filled in: MMIO, or a stage-2 fault for
 * what cannot be emulated (an instruction that is no integer load or store, the wrong direction,
 * an implicit access of the guest's page-table walk, an instruction on no guest RAM). Returns
 * false when the instruction could not be read and @out says what to do instead (INJECT or
 * STOP); @exit is untouched then.
 */
bool riscv_mmio_exit_slow(struct riscv_vcpu *vc, struct vcpu_exit *exit, bool store,
			  riscv_fetch_fn fetch, struct riscv_fetch_outcome *out);

#endif
