// SPDX-License-Identifier: MIT
/*
 * aarch64's guest-facing decoders: the load/store decoder used for data aborts without a valid
 * syndrome (arch/aarch64/decode.c), the syndrome decoders of a64/decode.h, and PSCI
 * (arch/aarch64/psci.c) on a fake-backend VM of one to four vCPUs. Checked:
 * - a64_decode_ldst against the Arm ARM's encoding of the single-register loads and stores
 *   (unsigned offset, unscaled, pre- and post-index, register offset with its allocated extend
 *   options): accepted exactly for those, with width, direction, sign extension, register width
 *   (W or X), store data (XZR reads 0) and base write-back (imm9 added; SP as base and the loaded
 *   register as base refused); PRFM, unallocated size/opc pairs, unprivileged forms, atomics,
 *   pairs and SIMD refused;
 * - the ISV=1 syndrome decoder: width, direction, sign extension, SF and the data register;
 * - whole data aborts (a64_decode_dabt): cache maintenance skipped, translation faults emulated
 *   from the syndrome or, without one, from an AArch64 instruction whose direction agrees with
 *   ESR.WnR (fetched at most once, only then), everything else a fault at the IPA and PC with the
 *   syndrome's direction;
 * - PSCI against the PSCI 1.1 specification: VERSION, FEATURES, MIGRATE_INFO_TYPE,
 *   AFFINITY_INFO (level 0 only, the vCPU's state), CPU_ON through the core (unknown CPU
 *   INVALID_PARAMETERS, entry outside RAM INVALID_ADDRESS, a running CPU ALREADY_ON, one whose
 *   start is still pending ON_PENDING), SMC32 calls seeing only the low halves of their arguments,
 *   registers other than x0 left alone for calls answered in place.
 */
#include "fuzz_vm.h"

#include <a64/decode.h>
#include <a64/psci.h>
#include <string.h>
#include <vm/hypercall.h>

static struct vm vm;

struct ref_ldst {
	unsigned width, reg, reg_width;
	bool write, sign, wb;
	uint8_t wb_reg;
	uint64_t wb_value;
};

/* The Arm ARM's "Loads and stores" encoding index, general registers, single register. */
static bool ref_ldst(uint32_t insn, const uint64_t *x, struct ref_ldst *r)
{
	unsigned size = insn >> 30, opc = insn >> 22 & 3, rt = insn & 31, rn = insn >> 5 & 31;
	bool wb = false;

	if ((insn >> 27 & 7) != 7 || (insn >> 26 & 1))
		return false; /* not a load/store register class, or SIMD&FP */
	if ((insn >> 24 & 3) == 1) {
		/* unsigned immediate */
	} else if ((insn >> 24 & 3) == 0) {
		unsigned form = insn >> 10 & 3;

		if (insn >> 21 & 1) {
			/* register offset needs form 10 and option<1> set (UXTW, LSL, SXTW, SXTX) */
			if (form != 2 || !(insn >> 14 & 1))
				return false;
		} else if (form == 1 || form == 3) {
			wb = true;
		} else if (form != 0) {
			return false; /* unprivileged LDTR/STTR */
		}
	} else {
		return false;
	}
	if ((size == 3 && opc == 2) || (size >= 2 && opc == 3))
		return false; /* PRFM, unallocated */
	if (wb && (rn == 31 || (opc != 0 && rn == rt)))
		return false;
	r->width = 1u << size;
	r->write = opc == 0;
	r->sign = opc >= 2;
	r->reg = rt;
	r->reg_width = opc == 2 ? 8 : opc == 3 ? 4 : size == 3 ? 8 : 4;
	r->wb = wb;
	if (wb) {
		int64_t imm9 = (int64_t)(insn >> 12 & 0x1ff);

		r->wb_reg = (uint8_t)rn;
		r->wb_value = x[rn] + (uint64_t)(imm9 >= 256 ? imm9 - 512 : imm9);
	}
	return true;
}

static uint32_t pick_ldst(struct fz *f)
{
	switch (fz_below(f, 4)) {
	case 0: /* any single-register class word */
		return (fz_u32(f) & ~(0x3fu << 24)) | 0x38u << 24 | (uint32_t)fz_below(f, 4) << 24;
	case 1: /* near the forms: vary size, opc, bit 21, bits 11:10, option */
		return (uint32_t)fz_below(f, 4) << 30 | 0x38000000u |
		       (uint32_t)fz_below(f, 2) << 24 | (uint32_t)fz_below(f, 4) << 22 |
		       (uint32_t)fz_below(f, 2) << 21 | (fz_u32(f) & 0x1ff3ffu) |
		       (uint32_t)fz_below(f, 4) << 10;
	default:
		return fz_u32(f);
	}
}

static void ldst(struct fz *f)
{
	uint64_t x[32];
	uint32_t insn = pick_ldst(f);
	uint64_t ipa = fz_u64(f);
	struct vcpu_exit e;
	struct a64_writeback wb;
	struct ref_ldst r;
	bool ok, want;

	for (unsigned i = 0; i < 31; i++)
		x[i] = fz_u64(f);
	x[31] = 0xdeadbeefcafef00dULL; /* never read: 31 is XZR or SP, not an x[] entry */
	memset(&e, 0, sizeof(e));
	memset(&wb, 0xa5, sizeof(wb));
	ok = a64_decode_ldst(insn, ipa, x, &e, &wb);
	want = ref_ldst(insn, x, &r);
	FZ_CHECK(ok == want, "0x%08x: decoder %d, Arm ARM %d", insn, ok, want);
	if (!ok)
		return;
	FZ_CHECK(e.kind == VCPU_EXIT_MMIO && e.mmio.addr.raw == ipa && e.mmio.width == r.width &&
			 e.mmio.write == r.write && e.mmio.sign_extend == r.sign &&
			 e.mmio.reg == r.reg && e.mmio.reg_width == r.reg_width,
		 "0x%08x: width %u write %d sign %d reg %u/%u; Arm ARM %u %d %d %u/%u", insn,
		 e.mmio.width, e.mmio.write, e.mmio.sign_extend, e.mmio.reg, e.mmio.reg_width,
		 r.width, r.write, r.sign, r.reg, r.reg_width);
	FZ_CHECK(!r.write || e.mmio.data == (r.reg == 31 ? 0 : x[r.reg]), "0x%08x: store data",
		 insn);
	FZ_CHECK(wb.valid == r.wb && (!r.wb || (wb.reg == r.wb_reg && wb.value == r.wb_value)),
		 "0x%08x: write-back %d x%u = 0x%llx; Arm ARM %d x%u = 0x%llx", insn, wb.valid,
		 wb.reg, (unsigned long long)wb.value, r.wb, r.wb_reg,
		 (unsigned long long)r.wb_value);
}

static void syndrome(struct fz *f)
{
	uint64_t x[31], esr = fz_u64(f) | A64_DABT_ISV, ipa = fz_u64(f);
	unsigned srt = (unsigned)(esr >> 16 & 31);
	struct vcpu_exit e;

	for (unsigned i = 0; i < 31; i++)
		x[i] = fz_u64(f);
	a64_decode_dabt_isv(esr, ipa, x, &e);
	FZ_CHECK(e.kind == VCPU_EXIT_MMIO && e.mmio.addr.raw == ipa &&
			 e.mmio.width == 1u << (esr >> 22 & 3) &&
			 e.mmio.write == !!(esr & A64_DABT_WNR) &&
			 e.mmio.sign_extend == !!(esr & A64_DABT_SSE) && e.mmio.reg == srt &&
			 e.mmio.reg_width == (esr & A64_DABT_SF ? 8 : 4) &&
			 (!e.mmio.write || e.mmio.data == (srt == 31 ? 0 : x[srt])),
		 "syndrome 0x%llx", (unsigned long long)esr);
}

/* a64_decode_dabt's fetch: the instruction the input gives, or none; counted. */
struct fetch_ctx {
	bool ok;
	uint32_t insn;
	unsigned calls;
};

static bool fetch(void *ctx, uint32_t *insn)
{
	struct fetch_ctx *c = ctx;

	c->calls++;
	*insn = c->insn;
	return c->ok;
}

/* A whole stage-2 data abort: what the Arm ARM makes of its syndrome and, without one, of the
 * instruction, whose direction must agree with ESR.WnR. */
static void dabt(struct fz *f)
{
	uint64_t x[31];
	struct fetch_ctx fc = { fz_below(f, 8) != 0, pick_ldst(f), 0 };
	struct a64_dabt ab;
	struct vcpu_exit e;
	struct a64_writeback wb;
	struct ref_ldst r;
	enum a64_dabt_kind kind;
	bool trans, isv, wnr, s1ptw, cm, aarch32;

	for (unsigned i = 0; i < 31; i++)
		x[i] = fz_u64(f);
	ab = (struct a64_dabt){
		.esr = fz_u64(f), .ipa = fz_u64(f), .pc = fz_u64(f), .pstate = fz_u64(f), .x = x
	};
	if (fz_below(f, 4)) /* mostly translation faults at some level, without CM / S1PTW */
		ab.esr = (ab.esr & ~0x1bfULL) | (0x4 + fz_below(f, 4)) |
			 (fz_below(f, 4) ? 0 : 0x180);
	trans = (ab.esr & 0x3c) == 4;
	isv = ab.esr & A64_DABT_ISV;
	wnr = ab.esr & A64_DABT_WNR;
	s1ptw = ab.esr & A64_DABT_S1PTW;
	cm = ab.esr & A64_DABT_CM;
	aarch32 = ab.pstate & A64_PSTATE_NRW;
	memset(&e, 0, sizeof(e));
	kind = a64_decode_dabt(&ab, fetch, &fc, &e, &wb);
	FZ_CHECK(fc.calls <= 1 && (!fc.calls || !isv), "fetched %u times (ISV %d)", fc.calls, isv);
	if (trans && cm) {
		FZ_CHECK(kind == A64_DABT_SKIP, "cache maintenance: %d", kind);
		return;
	}
	if (trans && !s1ptw && isv) {
		FZ_CHECK(kind == A64_DABT_MMIO && e.mmio.write == wnr && !wb.valid, "syndrome: %d",
			 kind);
		return;
	}
	if (trans && !s1ptw && !aarch32 && fc.ok && ref_ldst(fc.insn, x, &r) && r.write == wnr) {
		FZ_CHECK(kind == A64_DABT_MMIO && e.mmio.width == r.width &&
				 e.mmio.write == r.write && e.mmio.reg == r.reg &&
				 e.mmio.addr.raw == ab.ipa && wb.valid == r.wb,
			 "0x%08x with WnR %d: %d", fc.insn, wnr, kind);
		return;
	}
	FZ_CHECK(kind == A64_DABT_FAULT && e.kind == VCPU_EXIT_S2_FAULT &&
			 e.fault.addr.raw == ab.ipa && e.fault.pc == ab.pc && !wb.valid &&
			 e.fault.access == (wnr && !s1ptw ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ),
		 "esr 0x%llx insn 0x%08x: %d, not a fault", (unsigned long long)ab.esr, fc.insn,
		 kind);
}

static uint64_t pick_cpu(struct fz *f)
{
	return fz_below(f, 4) ? vm.vcpus[fz_below(f, vm.nvcpus)].guest_cpu_id |
					(fz_u64(f) & ~0xff00ffffffULL)
			      : fz_u64(f);
}

static void psci(struct fz *f)
{
	static const uint32_t fids[] = {
		PSCI_VERSION,		PSCI_CPU_OFF,	       PSCI_CPU_ON_32,
		PSCI_CPU_ON_64,		PSCI_AFFINITY_INFO_32, PSCI_AFFINITY_INFO_64,
		PSCI_MIGRATE_INFO_TYPE, PSCI_SYSTEM_OFF,       PSCI_SYSTEM_RESET,
		PSCI_FEATURES,		0x84000001u,	       0xc4000005u
	};
	struct vcpu *v = &vm.vcpus[fz_below(f, vm.nvcpus)];
	uint64_t x[31], before[31];
	struct vcpu_exit e = { .kind = VCPU_EXIT_NONE };
	uint32_t fid = fz_below(f, 8) ? FZ_PICK(f, fids) : fz_u32(f);
	bool smc32, exited;
	uint64_t a1, a2, a3;

	for (unsigned i = 0; i < 31; i++)
		x[i] = fz_u64(f);
	x[0] = fz_bool(f) ? fid : (x[0] & ~0xffffffffULL) | fid;
	fid = (uint32_t)x[0];
	smc32 = !(fid & 0x40000000u);
	if (fz_bool(f))
		x[1] = fid == PSCI_FEATURES ? FZ_PICK(f, fids) : pick_cpu(f);
	if (fz_bool(f))
		x[2] = fz_below(f, 2) ? 0 : FZV_RAM + fz_below(f, FZV_RAM_SIZE + 0x1000);
	memcpy(before, x, sizeof(x));
	a1 = smc32 ? (uint32_t)x[1] : x[1];
	a2 = smc32 ? (uint32_t)x[2] : x[2];
	a3 = smc32 ? (uint32_t)x[3] : x[3];
	if (!a64_psci_is_call(fid))
		return;
	exited = a64_psci_call(v, x, &e);
	for (unsigned i = 1; i < 31; i++)
		FZ_CHECK(x[i] == before[i], "PSCI 0x%x changed x%u", fid, i);
	if (!exited) {
		int64_t ret = (int64_t)x[0], want;

		FZ_CHECK(e.kind == VCPU_EXIT_NONE, "answered in place with an exit");
		switch (fid) {
		case PSCI_VERSION:
			want = 0x10001;
			break;
		case PSCI_FEATURES: {
			bool known = false;

			for (unsigned i = 0; i < 10; i++)
				known |= fids[i] == (uint32_t)a1;
			want = known ? 0 : PSCI_RET_NOT_SUPPORTED;
			break;
		}
		case PSCI_MIGRATE_INFO_TYPE:
			want = 2;
			break;
		case PSCI_AFFINITY_INFO_32:
		case PSCI_AFFINITY_INFO_64: {
			struct vcpu *t = vm_find_vcpu(&vm, a1 & 0xff00ffffffULL);

			if (a2 != 0 || !t)
				want = PSCI_RET_INVALID_PARAMS;
			else if (t->state == VCPU_RUNNING || t->state == VCPU_HALTED)
				want = PSCI_AFFINITY_ON;
			else
				want = t->state == VCPU_READY ? PSCI_AFFINITY_ON_PENDING
							      : PSCI_AFFINITY_OFF;
			break;
		}
		default:
			want = PSCI_RET_NOT_SUPPORTED;
			break;
		}
		FZ_CHECK(ret == want, "PSCI 0x%x(0x%llx, 0x%llx): %lld, the specification %lld",
			 fid, (unsigned long long)a1, (unsigned long long)a2, (long long)ret,
			 (long long)want);
		return;
	}
	switch (fid) {
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64: {
		uint64_t target = a1 & 0xff00ffffffULL;
		struct vcpu *t = vm_find_vcpu(&vm, target);
		/* The caller itself runs by the time the core looks at it. */
		enum vcpu_state before_state = t == v ? VCPU_RUNNING : t ? t->state : VCPU_CREATED;
		struct vcpu_exit sent = e;
		int64_t got, want;

		FZ_CHECK(e.kind == VCPU_EXIT_CPU_UP && e.cpu_up.target == target &&
				 e.cpu_up.entry == a2 && e.cpu_up.arg == a3,
			 "CPU_ON fields");
		if (fzv_exit(v, &sent) != FZV_COMPLETED)
			return;
		got = a64_psci_cpu_on_result(&vm, target, sent.cpu_up.ret);
		if (!t)
			want = PSCI_RET_INVALID_PARAMS;
		else if (a2 < FZV_RAM || a2 >= FZV_RAM + FZV_RAM_SIZE)
			want = PSCI_RET_INVALID_ADDRESS;
		else if (before_state == VCPU_READY)
			want = -5; /* ON_PENDING */
		else if (before_state == VCPU_RUNNING || before_state == VCPU_HALTED)
			want = PSCI_RET_ALREADY_ON;
		else
			want = PSCI_RET_SUCCESS;
		FZ_CHECK(got == want,
			 "CPU_ON(0x%llx, 0x%llx) of a %s vCPU: %lld, the specification "
			 "%lld",
			 (unsigned long long)target, (unsigned long long)a2,
			 t ? vcpu_state_name(before_state) : "missing", (long long)got,
			 (long long)want);
		break;
	}
	case PSCI_CPU_OFF:
		FZ_CHECK(e.kind == VCPU_EXIT_CPU_DOWN, "CPU_OFF");
		(void)fzv_exit(v, &e);
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		FZ_CHECK(e.kind == (fid == PSCI_SYSTEM_OFF ? VCPU_EXIT_SYSTEM_OFF
							   : VCPU_EXIT_SYSTEM_RESET),
			 "system call");
		break;
	default:
		FZ_CHECK(false, "PSCI 0x%x made exit %d", fid, e.kind);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	struct vm_config cfg;

	fzv_reset();
	fzv_config(&cfg, 1 + (unsigned)fz_below(&f, 4));
	fzv_start(&vm, &cfg);
	for (unsigned n = 0; fz_more(&f) && n < 512 && vm.state != VM_STOPPED; n++) {
		switch (fz_below(&f, 5)) {
		case 0:
			syndrome(&f);
			break;
		case 4:
			dabt(&f);
			break;
		case 1:
			psci(&f);
			break;
		default:
			ldst(&f);
			break;
		}
	}
	for (unsigned i = 0; i < vm.nvcpus; i++)
		if (vm.vcpus[i].state == VCPU_RUNNING)
			(void)vcpu_set_state(&vm.vcpus[i], VCPU_STOPPED);
	fzv_finish(&vm);
	return 0;
}
