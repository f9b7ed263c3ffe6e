// SPDX-License-Identifier: MIT
/*
 * loongarch64's exit decoding (arch/loongarch64/la_exit.c) with everything a guest controls: the
 * trapping instruction (BADI: loads and stores of every form and their neighbours, GSPR
 * instructions, any word), the exception code and address, all 32 registers, its privilege level
 * and exception entry, and the host's CPUCFG words. Checked on each exit:
 * - loads and stores decode as an independent reading of the manual's opcode layout says (width,
 *   direction, sign extension, data register; the address is BADV, store data the register);
 *   anything else on a page exception is a fault at BADV, never an MMIO access;
 * - GSPR at PLV1..3 gets IPE (cache hit-operations excepted), at PLV0: CPUCFG gives the full
 *   64-bit word number's guest value (LVZ, message interrupts and the PMU hidden, unknown words 0),
 *   IOCSR uses the full 64-bit address (IPI block emulated, other addresses below the limit the
 *   core's SYSREG with the address intact, above it IPE; reads of the identification registers
 *   at 0x8, 0x10 and 0x20, whole or by aligned halves, give their values), IDLE halts, sensitive CSRs read 0 and
 *   never stop the VM, DBCL gets INE; HVCL carries a7 and a0..a5;
 * - an injected exception lands at the guest's entry with ERA, ESTAT and BADI as the hardware
 *   writes them; without an entry the VM is stopped, never resumed at a bogus PC;
 * - r0 stays 0; the PC moves by one instruction, to the exception entry, or not at all.
 */
#include "fake/fake_backend.h"
#include "fuzz.h"
#include "la_mock.h"
#include "la_vcpu.h"

#include <arch/loongarch.h>
#include <string.h>

#define G_EENTRY	     0x90000ULL
#define IOCSR_OP(op, rd, rj) (0x06480000u | (op) << 10 | (rj) << 5 | (rd))

static struct vm vm;
static struct la_vcpu lv[2];

/* The manual's load/store layout, read another way than la_ldst.c's tables: the 12-bit-offset
 * forms are op 0x0a0 + (unsigned << 3 | store << 2 | log2 width), the indexed forms the same
 * numbers times 8 plus 0x7000 in bits 31:15, the pointer forms 0x24 + (log2 width - 2) * 2 +
 * store. Unsigned forms are loads of 1, 2, 4 bytes only. */
static bool ref_ldst(uint32_t insn, struct la_ldst *out)
{
	unsigned k;

	if (insn >> 22 >= 0x0a0 && insn >> 22 <= 0x0aa)
		k = (insn >> 22) - 0x0a0;
	else if (insn >> 15 >= 0x7000 && insn >> 15 <= 0x7050 && (insn >> 15) % 8 == 0)
		k = ((insn >> 15) - 0x7000) / 8;
	else if (insn >> 24 >= 0x24 && insn >> 24 <= 0x27)
		k = ((insn >> 24) - 0x24) / 2 + 2 + ((insn >> 24) & 1) * 4;
	else
		return false;
	out->width = (uint8_t)(1u << (k & 3));
	out->store = k < 8 && (k & 4);
	out->sign_extend = k < 8 && !(k & 4);
	out->rd = (uint8_t)(insn & 31);
	return true;
}

static uint32_t pick_insn(struct fz *f)
{
	static const uint16_t csrs[] = { 0x0,	0x5,   0x15,  0x16,  0x50,   0x55,  0x70,
					 0x71,	0x80,  0x81,  0x90,  0x98,   0x200, 0x21f,
					 0x300, 0x3ff, 0x500, 0x502, 0x3fff, 0x1000 };
	unsigned rd = (unsigned)fz_below(f, 32), rj = (unsigned)fz_below(f, 32);
	unsigned rk = (unsigned)fz_below(f, 32);

	switch (fz_below(f, 10)) {
	case 0:
		return (0x09fu + (uint32_t)fz_below(f, 14)) << 22 | (fz_u32(f) & 0xfff) << 10 |
		       rj << 5 | rd;
	case 1:
		return (0x6ff8u + (uint32_t)fz_below(f, 0x60)) << 15 | rk << 10 | rj << 5 | rd;
	case 2:
		return (0x23u + (uint32_t)fz_below(f, 6)) << 24 | (fz_u32(f) & 0x3fff) << 10 |
		       rj << 5 | rd;
	case 3:
		return 0x00006c00u | rj << 5 | rd; /* cpucfg */
	case 4:
		return IOCSR_OP((uint32_t)fz_below(f, 9), rd, rj);
	case 5:
		return (0x04000000u | (uint32_t)FZ_PICK(f, csrs) << 10) | rj << 5 | rd;
	case 6: {
		static const uint32_t fixed[] = { 0x06488000u, 0x002a8000u, 0x002b8000u,
						  0x06000000u, 0x06000010u, 0x06000008u };
		return FZ_PICK(f, fixed) | (fz_bool(f) ? rj << 5 : 0);
	}
	default:
		return fz_u32(f);
	}
}

static uint64_t pick_value(struct fz *f)
{
	static const uint64_t edges[] = { 0x1000,	  0x1004, 0x1008,     0x100c,
					  0x1020,	  0x1038, 0x1040,     0x1048,
					  0x104c,	  0x1050, 0x7fffffff, 0x80000000,
					  0x100001000ULL, 2,	  1,	      0x14,
					  0x100000002ULL, 0x8,	  0x10,	      0x20 };

	return fz_below(f, 3) ? FZ_PICK(f, edges) + fz_below(f, 4) : fz_u64(f);
}

/* Identification registers a guest may read (features at 0x8, vendor at 0x10, CPU name at 0x20),
 * whole or by aligned 32-bit halves; everything else there is the core's. */
static bool ident_read(uint64_t addr, unsigned width, bool write)
{
	uint64_t base = addr - addr % 8;

	return !write && (width == 4 || width == 8) && addr % width == 0 &&
	       (base == 0x8 || base == 0x10 || base == 0x20);
}

static uint64_t ident_value(uint64_t addr, unsigned width)
{
	uint64_t base = addr - addr % 8, reg = base == 0x8    ? (1u << 4 | 1u << 11)
					       : base == 0x10 ? la_guest_vendor
							      : la_guest_cpuname;

	return width == 8 ? reg : addr % 8 ? reg >> 32 : reg & 0xffffffffu;
}

static void check_injected(uint64_t pc, uint32_t insn, unsigned ecode, enum la_action act)
{
	if (!la_mock.gcsr[LA_GCSR_EENTRY]) {
		FZ_CHECK(act == LA_ACT_GUEST_BUG, "no exception entry, action %d", act);
		return;
	}
	FZ_CHECK(act == LA_ACT_EMULATED, "exception %u not delivered (action %d)", ecode, act);
	FZ_CHECK(la_mock.gcsr[LA_GCSR_ERA] == pc && la_mock.gcsr[LA_GCSR_BADI] == insn &&
			 (la_mock.gcsr[LA_GCSR_ESTAT] >> 16 & 0x3f) == ecode &&
			 (la_mock.gcsr[LA_GCSR_CRMD] & 3) == 0,
		 "exception %u: ERA 0x%llx BADI 0x%llx ESTAT 0x%llx", ecode,
		 (unsigned long long)la_mock.gcsr[LA_GCSR_ERA],
		 (unsigned long long)la_mock.gcsr[LA_GCSR_BADI],
		 (unsigned long long)la_mock.gcsr[LA_GCSR_ESTAT]);
}

static void check_gspr(const uint64_t *gpr, uint64_t pc, uint32_t insn, unsigned plv,
		       enum la_action act, const struct vcpu_exit *e)
{
	struct la_vcpu *v = &lv[0];
	struct la_gspr_insn op;
	uint64_t now = v->ctx.pc;

	la_gspr_decode(insn, &op);
	if (op.kind == LA_GSPR_K_OTHER) {
		check_injected(pc, insn, LA_EC_INE, act);
		return;
	}
	if (op.kind == LA_GSPR_K_CPUCFG) {
		uint64_t word = gpr[op.rj];
		uint32_t want = la_cpucfg_guest(word);

		FZ_CHECK(act == LA_ACT_EMULATED && now == pc + 4, "cpucfg not emulated");
		FZ_CHECK(!(word > 0x14 || (word > 5 && word < 0x10)) || want == 0,
			 "CPUCFG word 0x%llx reads 0x%x", (unsigned long long)word, want);
		FZ_CHECK(word != 2 || !(want & 0xf << 10), "CPUCFG2 shows LVZ: 0x%x", want);
		FZ_CHECK(word != 1 || !(want & 1u << 26), "CPUCFG1 shows MSGINT: 0x%x", want);
		FZ_CHECK(word != 2 || !(want & 0x1c0000), "CPUCFG2 shows LBT: 0x%x", want);
		FZ_CHECK(!op.rd || v->ctx.gpr[op.rd] == want, "cpucfg result not in r%u", op.rd);
		return;
	}
	if (plv && !(op.kind == LA_GSPR_K_CACOP && op.num >> 3 == 2)) {
		check_injected(pc, insn, LA_EC_IPE, act);
		return;
	}
	switch (op.kind) {
	case LA_GSPR_K_IOCSR: {
		uint64_t addr = gpr[op.rj];

		if (addr >= 0x1000 && addr < 0x1050 && act == LA_ACT_EMULATED && now == pc + 4)
			break; /* the IPI block served it */
		if (ident_read(addr, op.width, op.write)) {
			uint64_t want = ident_value(addr, op.width);

			FZ_CHECK(act == LA_ACT_EMULATED && now == pc + 4,
				 "IOCSR 0x%llx identification read: action %d",
				 (unsigned long long)addr, act);
			FZ_CHECK(!op.rd || v->ctx.gpr[op.rd] == want,
				 "IOCSR 0x%llx reads 0x%llx, not 0x%llx", (unsigned long long)addr,
				 (unsigned long long)v->ctx.gpr[op.rd], (unsigned long long)want);
			break;
		}
		if (addr >= LA_IOCSR_LIMIT) {
			check_injected(pc, insn, LA_EC_IPE, act);
			break;
		}
		FZ_CHECK(act == LA_ACT_CORE && e->kind == VCPU_EXIT_SYSREG && now == pc,
			 "IOCSR 0x%llx: action %d kind %d", (unsigned long long)addr, act, e->kind);
		FZ_CHECK((e->sysreg.id & 0x7fffffffu) == addr && (e->sysreg.id >> 31),
			 "IOCSR 0x%llx reaches the core as 0x%x", (unsigned long long)addr,
			 e->sysreg.id);
		FZ_CHECK(e->sysreg.write == op.write && e->sysreg.reg == op.rd &&
				 (!op.write || e->sysreg.data == gpr[op.rd]),
			 "IOCSR exit fields");
		break;
	}
	case LA_GSPR_K_IDLE:
		FZ_CHECK(act == LA_ACT_CORE && e->kind == VCPU_EXIT_HALT && now == pc, "idle");
		break;
	case LA_GSPR_K_DBCL:
		check_injected(pc, insn, LA_EC_INE, act);
		break;
	case LA_GSPR_K_CSR:
		FZ_CHECK(act == LA_ACT_EMULATED && now == pc + 4, "CSR 0x%x: action %d", op.num,
			 act);
		FZ_CHECK(!op.rd || v->ctx.gpr[op.rd] == 0, "CSR 0x%x read 0x%llx", op.num,
			 (unsigned long long)v->ctx.gpr[op.rd]);
		break;
	default:
		FZ_CHECK(act == LA_ACT_EMULATED && now == pc + 4, "cacop");
		break;
	}
}

static void one_exit(struct fz *f)
{
	static const uint8_t codes[] = { LA_EC_INT, LA_EC_PIL,	LA_EC_PIS,  LA_EC_PIF,
					 LA_EC_PME, LA_EC_PNR,	LA_EC_PNX,  LA_EC_PPI,
					 LA_EC_ADE, LA_EC_GSPR, LA_EC_GSPR, LA_EC_GSPR,
					 LA_EC_HVC, LA_EC_FPD,	LA_EC_BTD,  LA_EC_INE };
	struct la_vcpu *v = &lv[0];
	struct la_exit_info info;
	struct vcpu_exit e;
	uint64_t gpr[32], pc = 0x1000 + 4 * fz_below(f, 1024);
	unsigned ecode, plv = fz_below(f, 3) ? 0 : (unsigned)fz_below(f, 4);
	enum la_action act;
	struct la_ldst ref;

	for (unsigned i = 1; i < 32; i++)
		v->ctx.gpr[i] = fz_below(f, 4) ? pick_value(f) : 0;
	v->ctx.gpr[0] = 0;
	v->ctx.pc = pc;
	memcpy(gpr, v->ctx.gpr, sizeof(gpr));
	memset(la_mock.gcsr, 0, sizeof(la_mock.gcsr));
	la_mock.gcsr[LA_GCSR_CRMD] = plv | (fz_u8(f) & 0x1f8u);
	la_mock.gcsr[LA_GCSR_EENTRY] = fz_below(f, 8) ? G_EENTRY : 0;
	la_mock.gcsr[LA_GCSR_ECFG] = (uint64_t)fz_below(f, 8) << 16;
	for (unsigned i = 0; i < 32; i++)
		la_mock.cpucfg[i] = fz_below(f, 2) ? 0xffffffffu : fz_u32(f);
	info.entry = fz_below(f, 16) ? LA_ENTRY_EXCEPTION : (unsigned)fz_below(f, 4);
	ecode = fz_below(f, 8) ? FZ_PICK(f, codes) : (unsigned)fz_below(f, 64);
	info.estat = (uint64_t)ecode << 16 | (uint64_t)fz_below(f, 512) << 22 | fz_below(f, 0x2000);
	info.badv = fz_bool(f) ? pick_value(f) : fz_u64(f);
	info.badi = pick_insn(f);
	memset(&e, 0xa5, sizeof(e));
	act = la_exit_decode(v, &info, &e);

	FZ_CHECK(v->ctx.gpr[0] == 0, "r0 written");
	FZ_CHECK(v->ctx.pc == pc || v->ctx.pc == pc + 4 || v->ctx.pc >= G_EENTRY,
		 "pc 0x%llx after an exit at 0x%llx", (unsigned long long)v->ctx.pc,
		 (unsigned long long)pc);
	if (info.entry == LA_ENTRY_REFILL) {
		FZ_CHECK(act == LA_ACT_REFILL, "refill: action %d", act);
		return;
	}
	if (info.entry != LA_ENTRY_EXCEPTION)
		return; /* the trap entry only ever passes these two */
	switch (ecode) {
	case LA_EC_PIL:
	case LA_EC_PIS:
		FZ_CHECK(act == LA_ACT_CORE && v->ctx.pc == pc, "page exception: action %d", act);
		if (ref_ldst(info.badi, &ref) && ref.store == (ecode == LA_EC_PIS)) {
			FZ_CHECK(e.kind == VCPU_EXIT_MMIO, "0x%08x is a %s, decoded as exit %d",
				 info.badi, ref.store ? "store" : "load", e.kind);
			FZ_CHECK(e.mmio.width == ref.width && e.mmio.write == ref.store &&
					 e.mmio.sign_extend == ref.sign_extend &&
					 e.mmio.reg == ref.rd && e.mmio.reg_width == 8 &&
					 e.mmio.addr.raw == info.badv &&
					 (!ref.store || e.mmio.data == gpr[ref.rd]),
				 "0x%08x: width %u store %d sign %d reg %u; manual: %u %d %d %u",
				 info.badi, e.mmio.width, e.mmio.write, e.mmio.sign_extend,
				 e.mmio.reg, ref.width, ref.store, ref.sign_extend, ref.rd);
		} else {
			FZ_CHECK(e.kind == VCPU_EXIT_S2_FAULT && e.fault.addr.raw == info.badv,
				 "0x%08x is no %s: exit %d", info.badi,
				 ecode == LA_EC_PIS ? "store" : "load", e.kind);
		}
		break;
	case LA_EC_GSPR:
		check_gspr(gpr, pc, info.badi, plv, act, &e);
		break;
	case LA_EC_HVC:
		FZ_CHECK(act == LA_ACT_CORE && e.kind == VCPU_EXIT_HYPERCALL &&
				 e.hcall.nr == gpr[11] && e.hcall.args[0] == gpr[4] &&
				 e.hcall.args[5] == gpr[9],
			 "hvcl");
		break;
	case LA_EC_PIF:
	case LA_EC_PNX:
	case LA_EC_PME:
	case LA_EC_PNR:
	case LA_EC_PPI:
	case LA_EC_ADE:
		FZ_CHECK(act == LA_ACT_CORE && e.kind == VCPU_EXIT_S2_FAULT &&
				 e.fault.addr.raw == info.badv && e.fault.pc == pc,
			 "ecode %u: action %d kind %d", ecode, act, e.kind);
		break;
	case LA_EC_FPD:
	case LA_EC_SXD:
	case LA_EC_ASXD:
	case LA_EC_BTD:
		check_injected(pc, info.badi, LA_EC_INE, act);
		break;
	case LA_EC_INT:
		FZ_CHECK(act == LA_ACT_HOST_IRQ, "interrupt: action %d", act);
		break;
	default:
		FZ_CHECK(act == LA_ACT_GUEST_BUG, "ecode 0x%x: action %d", ecode, act);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz f = fz_init(data, size);

	fake_reset();
	la_mock_reset();
	memset(&vm, 0, sizeof(vm));
	memset(lv, 0, sizeof(lv));
	vm.nvcpus = 2;
	memcpy(vm.name, "vm", 3);
	vm.log_tokens = VM_LOG_BURST;
	la_guest_vendor = 0x6e6f73676e6f6f4cULL; /* what lvz.c reads from the host at boot */
	la_guest_cpuname = 0x303030354133ULL;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].pcpu = i;
		vm.vcpus[i].guest_cpu_id = i;
		vm.vcpus[i].arch = &lv[i];
		lv[i].vcpu = &vm.vcpus[i];
	}
	for (unsigned n = 0; fz_more(&f) && n < 256; n++)
		one_exit(&f);
	return 0;
}
