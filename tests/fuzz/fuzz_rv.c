// SPDX-License-Identifier: MIT
/*
 * riscv64's guest-facing decoders: the load/store decoder behind MMIO exits (arch/riscv64/insn.c)
 * and the SBI implementation guests call (arch/riscv64/vsbi.c), on a fake-backend VM of one to
 * four harts. Checked:
 * - riscv_decode_mem against the unprivileged specification's tables (LOAD and STORE major
 *   opcodes, the C extension's quadrants 0 and 2 on RV64): accepted exactly when the encoding is
 *   an integer load or store, with its width, direction, sign extension, register and length;
 *   an htinst value gives back the instruction it transforms;
 * - every SBI call against the specification (v1.0 and the legacy calls): the error and value in
 *   a0/a1 (legacy: a0 only), every other register preserved, BASE's answers, hart masks (base -1
 *   means every hart; a mask naming a missing hart is refused before any hart is touched, and
 *   otherwise each named hart is reached once), DBCN writes (a prefix of the buffer, at least one
 *   byte, from guest RAM only; the high address half must be 0), HSM status and start (through
 *   the core: unknown hart INVALID_PARAM, start address outside RAM INVALID_ADDR, a started hart
 *   ALREADY_AVAILABLE), SRST, and the Polyvisor extension as hypercalls.
 */
#include "fuzz_vm.h"

#include <riscv64/insn.h>
#include <riscv64/vcpu.h>
#include <riscv64/vsbi.h>
#include <string.h>
#include <vm/hypercall.h>

static struct vm vm;
static unsigned ipis[VM_MAX_VCPUS], fences[VM_MAX_VCPUS], timers;

void riscv_vsbi_set_timer(struct vcpu *vcpu, uint64_t deadline)
{
	(void)vcpu;
	(void)deadline;
	timers++;
}

void riscv_vsbi_send_ipi(struct vcpu *from, struct vcpu *to)
{
	(void)from;
	ipis[to->id]++;
}

void riscv_vsbi_remote_fence(struct vcpu *from, struct vcpu *const *to, unsigned n, unsigned what)
{
	(void)from;
	FZ_CHECK(what == RISCV_FENCE_I || what == RISCV_FENCE_VVMA, "fence %u", what);
	FZ_CHECK(n <= VM_MAX_VCPUS, "%u fence targets", n);
	for (unsigned i = 0; i < n; i++)
		fences[to[i]->id]++;
}

static bool suspended[VM_MAX_VCPUS];

void riscv_vsbi_suspend(struct vcpu *vcpu, bool non_retentive, uint64_t resume_addr)
{
	(void)non_retentive;
	(void)resume_addr;
	suspended[vcpu->id] = true;
}

bool riscv_vsbi_suspended(const struct vcpu *vcpu)
{
	return suspended[vcpu->id];
}

/* ---- loads and stores ---- */

static bool ref_mem(uint32_t insn, struct riscv_mem_insn *r)
{
	static const char *const loads = "bhwdBHW"; /* funct3 0..6: lb lh lw ld lbu lhu lwu */
	unsigned f3;

	if ((insn & 3) == 3) {
		f3 = insn >> 12 & 7;
		r->len = 4;
		if ((insn & 0x7f) == 0x03 && f3 < 7) {
			r->store = false;
			r->width = (uint8_t)(loads[f3] == 'b' || loads[f3] == 'B'   ? 1
					     : loads[f3] == 'h' || loads[f3] == 'H' ? 2
					     : loads[f3] == 'd'			    ? 8
										    : 4);
			r->sign_extend = loads[f3] >= 'a' && loads[f3] != 'd';
			r->reg = insn >> 7 & 31;
			return true;
		}
		if ((insn & 0x7f) == 0x23 && f3 < 4) {
			*r = (struct riscv_mem_insn){ true, false, (uint8_t)(1u << f3),
						      (uint8_t)(insn >> 20 & 31), 4 };
			return true;
		}
		return false;
	}
	insn &= 0xffff;
	f3 = insn >> 13;
	r->len = 2;
	r->width = f3 & 1 ? 8 : 4; /* RV64: c.ld/c.sd/c.ldsp/c.sdsp, c.lw/c.sw/c.lwsp/c.swsp */
	r->store = f3 >= 6;
	r->sign_extend = !r->store && r->width == 4;
	if ((insn & 3) == 0 && (f3 == 2 || f3 == 3 || f3 == 6 || f3 == 7)) {
		r->reg = (uint8_t)(8 + (insn >> 2 & 7));
		return true;
	}
	if ((insn & 3) == 2 && (f3 == 2 || f3 == 3)) {
		r->reg = insn >> 7 & 31;
		return r->reg != 0; /* c.lwsp / c.ldsp with rd 0 are reserved */
	}
	if ((insn & 3) == 2 && (f3 == 6 || f3 == 7)) {
		r->reg = insn >> 2 & 31;
		return true;
	}
	return false;
}

static void decode(struct fz *f)
{
	uint32_t insn;
	struct riscv_mem_insn got, want;
	bool ok, ref;

	switch (fz_below(f, 4)) {
	case 0:
		insn = (fz_u32(f) & ~0x7fu) | (fz_bool(f) ? 0x03 : 0x23);
		break;
	case 1:
		insn = fz_u16(f);
		break;
	default:
		insn = fz_u32(f);
		break;
	}
	memset(&got, 0xa5, sizeof(got));
	ok = riscv_decode_mem(insn, &got);
	ref = ref_mem(insn, &want);
	FZ_CHECK(ok == ref, "0x%08x: decoder says %d, the specification %d", insn, ok, ref);
	if (ok)
		FZ_CHECK(got.store == want.store && got.sign_extend == want.sign_extend &&
				 got.width == want.width && got.reg == want.reg &&
				 got.len == want.len && got.len == riscv_insn_len(insn),
			 "0x%08x: store %d sign %d width %u reg %u len %u; specification %d %d %u "
			 "%u %u",
			 insn, got.store, got.sign_extend, got.width, got.reg, got.len, want.store,
			 want.sign_extend, want.width, want.reg, want.len);
	{
		uint64_t ht = fz_bool(f) ? insn : fz_u64(f);
		uint32_t out = 0;
		unsigned len = 0;

		if (riscv_htinst_insn(ht, &out, &len))
			FZ_CHECK((ht & 1) && !(ht >> 32) && (out & 3) == 3 &&
					 len == (ht & 2 ? 4u : 2u),
				 "htinst 0x%llx gives 0x%x, %u bytes", (unsigned long long)ht, out,
				 len);
		else
			FZ_CHECK(!(ht & 1) || (ht >> 32), "htinst 0x%llx refused",
				 (unsigned long long)ht);
	}
}

/* ---- SBI ---- */

static uint64_t pick_hart(struct fz *f)
{
	return fz_below(f, 4) ? fz_below(f, vm.nvcpus + 1) : fz_u64(f);
}

/* The harts a mask names: -1 with @bad when one does not exist. */
static unsigned mask_targets(uint64_t mask, uint64_t base, bool *seen, bool *bad)
{
	unsigned n = 0;

	*bad = false;
	memset(seen, 0, VM_MAX_VCPUS);
	if (base == UINT64_MAX) {
		for (unsigned i = 0; i < vm.nvcpus; i++)
			seen[i] = true;
		return vm.nvcpus;
	}
	for (unsigned b = 0; b < 64; b++) {
		struct vcpu *t;

		if (!(mask >> b & 1))
			continue;
		t = base + b < base ? NULL : vm_find_vcpu(&vm, base + b);
		if (!t) {
			*bad = true;
			return 0;
		}
		seen[t->id] = true;
		n++;
	}
	return n;
}

static void sbi(struct fz *f)
{
	static const uint64_t eids[] = { 0,
					 1,
					 2,
					 3,
					 4,
					 5,
					 8,
					 9,
					 0x10,
					 VSBI_EXT_TIME,
					 VSBI_EXT_IPI,
					 VSBI_EXT_RFENCE,
					 VSBI_EXT_HSM,
					 VSBI_EXT_SRST,
					 VSBI_EXT_DBCN,
					 VSBI_EXT_POLYVISOR };
	struct vcpu *v = &vm.vcpus[0];
	uint64_t x[32], before[32];
	struct vcpu_exit e;
	uint64_t eid = fz_below(f, 8) ? FZ_PICK(f, eids) : fz_u64(f);
	uint64_t fid = fz_below(f, 8) ? fz_below(f, 8) : fz_u64(f);
	bool seen[VM_MAX_VCPUS], bad, legacy = eid <= 8;
	int64_t err;
	uint64_t val;

	for (unsigned i = 1; i < 32; i++)
		x[i] = fz_u64(f);
	x[0] = 0;
	x[VSBI_A7] = eid;
	x[VSBI_A6] = fid;
	if (fz_bool(f)) /* hart ids, masks and guest addresses that mean something */
		x[VSBI_A0] = eid == VSBI_EXT_DBCN ? fz_below(f, 5000) : pick_hart(f);
	if (fz_bool(f))
		x[VSBI_A1] = eid == VSBI_EXT_DBCN || eid == 4
				     ? FZV_RAM + FZV_RAM_SIZE - fz_below(f, 8192)
				     : (fz_bool(f) ? UINT64_MAX : fz_below(f, 4));
	if (eid == 4 && fz_bool(f))
		x[VSBI_A0] = FZV_RAM + fz_below(f, FZV_RAM_SIZE + 16);
	if (fz_bool(f))
		x[VSBI_A0 + 2] = 0;
	memcpy(before, x, sizeof(x));
	memset(ipis, 0, sizeof(ipis));
	memset(fences, 0, sizeof(fences));
	memset(suspended, 0, sizeof(suspended));
	timers = 0;
	riscv_vsbi_call(v, x, &e);
	for (unsigned i = 0; i < 32; i++)
		FZ_CHECK(i == VSBI_A0 || (i == VSBI_A1 && !legacy) || x[i] == before[i],
			 "eid 0x%llx fid %llu changed x%u", (unsigned long long)eid,
			 (unsigned long long)fid, i);
	err = (int64_t)x[VSBI_A0];
	val = x[VSBI_A1];
	if (e.kind != VCPU_EXIT_NONE) {
		/* Through the core, as the backend's run loop does, then back into a0/a1. */
		struct vcpu_exit sent = e;
		enum fzv_outcome o = fzv_exit(v, &sent);

		switch (e.kind) {
		case VCPU_EXIT_HYPERCALL:
			FZ_CHECK(eid == VSBI_EXT_POLYVISOR && e.hcall.nr == fid &&
					 e.hcall.args[0] == before[VSBI_A0] &&
					 e.hcall.args[5] == before[VSBI_A0 + 5],
				 "hypercall fields");
			break;
		case VCPU_EXIT_CPU_UP:
			FZ_CHECK(eid == VSBI_EXT_HSM && fid == 0 &&
					 e.cpu_up.target == before[VSBI_A0] &&
					 e.cpu_up.entry == before[VSBI_A1] &&
					 e.cpu_up.arg == before[VSBI_A0 + 2],
				 "hart_start fields");
			if (o == FZV_COMPLETED) {
				struct vcpu *t = vm_find_vcpu(&vm, e.cpu_up.target);
				bool in_ram = e.cpu_up.entry >= FZV_RAM &&
					      e.cpu_up.entry < FZV_RAM + FZV_RAM_SIZE;
				int64_t want = !t	 ? VSBI_ERR_INVALID_PARAM
					       : !in_ram ? VSBI_ERR_INVALID_ADDR
					       : sent.cpu_up.ret == PV_HC_EALREADY
						       ? VSBI_ERR_ALREADY_AVAIL
						       : VSBI_SUCCESS;

				riscv_vsbi_complete(&sent, x);
				FZ_CHECK((int64_t)x[VSBI_A0] == want && x[VSBI_A1] == 0,
					 "hart_start(0x%llx, 0x%llx): %lld, the specification %lld",
					 (unsigned long long)e.cpu_up.target,
					 (unsigned long long)e.cpu_up.entry, (long long)x[VSBI_A0],
					 (long long)want);
			}
			break;
		case VCPU_EXIT_CPU_DOWN:
			FZ_CHECK(eid == VSBI_EXT_HSM && fid == 1, "hart_stop");
			break;
		case VCPU_EXIT_HALT: /* hart_suspend of a default type: the vCPU idles */
			FZ_CHECK(eid == VSBI_EXT_HSM && fid == 3 &&
					 (before[VSBI_A0] == VSBI_SUSPEND_RETENTIVE ||
					  before[VSBI_A0] == VSBI_SUSPEND_NON_RETENTIVE),
				 "hart_suspend");
			break;
		case VCPU_EXIT_SYSTEM_OFF:
		case VCPU_EXIT_SYSTEM_RESET:
			FZ_CHECK((eid == VSBI_EXT_SRST && fid == 0 && before[VSBI_A0] <= 2) ||
					 eid == VSBI_EXT_LEGACY_SHUTDOWN,
				 "reset or shutdown");
			break;
		default:
			FZ_CHECK(false, "exit kind %d", e.kind);
		}
		return;
	}
	switch (eid) {
	case VSBI_EXT_BASE:
		if (fid == 0 || fid == 1 || fid == 2)
			FZ_CHECK(err == 0 && val == (fid == 0	? VSBI_SPEC_VERSION
						     : fid == 1 ? VSBI_IMPL_ID
								: VSBI_IMPL_VERSION),
				 "BASE %llu", (unsigned long long)fid);
		else if (fid == 3)
			FZ_CHECK(err == 0 && val == 0 || val == 1, "probe_extension");
		else if (fid <= 6)
			FZ_CHECK(err == 0, "machine ids");
		else
			FZ_CHECK(err == VSBI_ERR_NOT_SUPPORTED, "BASE %llu",
				 (unsigned long long)fid);
		break;
	case VSBI_EXT_IPI:
	case VSBI_EXT_RFENCE: {
		unsigned n = mask_targets(before[VSBI_A0], before[VSBI_A1], seen, &bad);
		unsigned *hits = eid == VSBI_EXT_IPI ? ipis : fences;
		bool known = eid == VSBI_EXT_IPI ? fid == 0 : fid <= 2;

		if (!known) {
			FZ_CHECK(err == VSBI_ERR_NOT_SUPPORTED, "unknown function");
			break;
		}
		FZ_CHECK(err == (bad ? VSBI_ERR_INVALID_PARAM : VSBI_SUCCESS) && val == 0,
			 "hart mask 0x%llx base 0x%llx: %lld", (unsigned long long)before[VSBI_A0],
			 (unsigned long long)before[VSBI_A1], (long long)err);
		for (unsigned i = 0; i < vm.nvcpus; i++)
			FZ_CHECK(hits[i] == (!bad && seen[i]), "hart %u reached %u times", i,
				 hits[i]);
		(void)n;
		break;
	}
	case VSBI_EXT_HSM:
		if (fid == 2) {
			struct vcpu *t = vm_find_vcpu(&vm, before[VSBI_A0]);

			FZ_CHECK(t ? err == 0 && val <= 2 : err == VSBI_ERR_INVALID_PARAM,
				 "hart_get_status");
		} else if (fid == 0) { /* answered without the core: a bad start address */
			FZ_CHECK(vm_find_vcpu(&vm, before[VSBI_A0]) &&
					 err == VSBI_ERR_INVALID_ADDR &&
					 (before[VSBI_A1] < FZV_RAM ||
					  before[VSBI_A1] >= FZV_RAM + FZV_RAM_SIZE),
				 "hart_start answered %lld", (long long)err);
		} else {
			FZ_CHECK(err == VSBI_ERR_NOT_SUPPORTED, "HSM %llu",
				 (unsigned long long)fid);
		}
		break;
	case VSBI_EXT_DBCN:
		if (fid == 0) {
			/* The specification's console_write: any prefix of the buffer, at least a
			 * byte unless none was asked, from guest RAM only; a buffer not all in RAM
			 * (or above 4 GiB) may be refused as a whole. */
			uint64_t len = before[VSBI_A0], addr = before[VSBI_A1];
			bool all_in = addr >= FZV_RAM && addr + len >= addr &&
				      addr + len <= FZV_RAM + FZV_RAM_SIZE;

			if (before[VSBI_A0 + 2] || (err == VSBI_ERR_INVALID_PARAM && !all_in)) {
				FZ_CHECK(err == VSBI_ERR_INVALID_PARAM && val == 0,
					 "console_write refused with %lld", (long long)err);
				break;
			}
			FZ_CHECK(err == VSBI_SUCCESS && val <= len && (val > 0 || len == 0) &&
					 (!val || (addr >= FZV_RAM &&
						   addr + val <= FZV_RAM + FZV_RAM_SIZE)),
				 "console_write(%llu, 0x%llx): %lld, %llu", (unsigned long long)len,
				 (unsigned long long)addr, (long long)err, (unsigned long long)val);
		} else if (fid <= 2) {
			FZ_CHECK(err == 0 && val == 0, "DBCN %llu", (unsigned long long)fid);
		} else {
			FZ_CHECK(err == VSBI_ERR_NOT_SUPPORTED, "DBCN %llu",
				 (unsigned long long)fid);
		}
		break;
	case VSBI_EXT_LEGACY_GETCHAR:
		FZ_CHECK(err == -1, "getchar");
		break;
	case VSBI_EXT_LEGACY_SET_TIMER:
	case VSBI_EXT_LEGACY_PUTCHAR:
		FZ_CHECK(err == 0, "legacy call");
		break;
	case VSBI_EXT_TIME:
		FZ_CHECK(fid ? err == VSBI_ERR_NOT_SUPPORTED : err == 0 && timers == 1, "TIME");
		break;
	case VSBI_EXT_LEGACY_SEND_IPI:
	case VSBI_EXT_SRST:
		break; /* a mask read from memory, and SRST's refusals: no exit, an error */
	default:
		FZ_CHECK(err == VSBI_ERR_NOT_SUPPORTED, "extension 0x%llx answered %lld",
			 (unsigned long long)eid, (long long)err);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);
	struct vm_config cfg;

	fzv_reset();
	fzv_config(&cfg, 1 + (unsigned)fz_below(&f, 4));
	for (unsigned i = 0; i < cfg.nvcpus; i++)
		cfg.guest_cpu_id[i] = i;
	fzv_start(&vm, &cfg);
	for (unsigned n = 0; fz_more(&f) && n < 512 && vm.state != VM_STOPPED; n++) {
		if (fz_below(&f, 3) == 0)
			decode(&f);
		else
			sbi(&f);
	}
	fzv_check_console();
	for (unsigned i = 0; i < vm.nvcpus; i++)
		if (vm.vcpus[i].state == VCPU_RUNNING)
			(void)vcpu_set_state(&vm.vcpus[i], VCPU_STOPPED);
	fzv_finish(&vm);
	return 0;
}
