// SPDX-License-Identifier: MIT
/*
 * Exit decoding of the loongarch64 backend: every ESTAT code it handles, the load/store decoder
 * behind MMIO exits, the GSPR emulation (CPUCFG, IOCSR and the emulated IPI block, IDLE,
 * sensitive CSRs, CACOP, DBCL) with the guest's privilege level, and the exceptions the backend
 * delivers to the guest. Instructions are encoded here from the manual's opcode tables.
 */
#include <arch/loongarch.h>
#include <pv_test.h>
#include <string.h>

#include "fake/fake_backend.h"
#include "la_mock.h"
#include "la_vcpu.h"

/* Encoders: 12-bit-offset, indexed and 14-bit-offset load/store forms; rd, rj (, rk). */
static uint32_t si12(uint32_t op10, unsigned rd, unsigned rj)
{
	return op10 << 22 | rj << 5 | rd;
}

static uint32_t idx(uint32_t op17, unsigned rd, unsigned rj, unsigned rk)
{
	return op17 << 15 | rk << 10 | rj << 5 | rd;
}

static uint32_t si14(uint32_t op8, unsigned rd, unsigned rj)
{
	return op8 << 24 | 0x123u << 10 | rj << 5 | rd;
}

#define CPUCFG(rd, rj)	     (0x00006c00u | (rj) << 5 | (rd))
#define IOCSR(op, rd, rj)    (0x06480000u | (op) << 10 | (rj) << 5 | (rd)) /* op 0..3 rd, 4..7 wr */
#define IDLE0		     0x06488000u
#define CSRRD(rd, csr)	     (0x04000000u | (csr) << 10 | (rd))
#define CSRWR(rd, csr)	     (0x04000000u | (csr) << 10 | 1u << 5 | (rd))
#define CSRXCHG(rd, rj, csr) (0x04000000u | (csr) << 10 | (rj) << 5 | (rd))
#define HVCL0		     0x002b8000u
#define DBCL0		     0x002a8000u
#define CACOP(code, rj)	     (0x06000000u | (rj) << 5 | (code)) /* offset 0 */
#define G_EENTRY	     0x90000ULL

static struct vm vm;
static struct la_vcpu lv[2];

static int setup(void **state)
{
	(void)state;
	fake_reset();
	la_mock_reset();
	memset(&vm, 0, sizeof(vm));
	memset(lv, 0, sizeof(lv));
	vm.nvcpus = 2;
	strcpy(vm.name, "vm");
	vm.log_tokens = VM_LOG_BURST;
	for (unsigned i = 0; i < 2; i++) {
		vm.vcpus[i].vm = &vm;
		vm.vcpus[i].id = i;
		vm.vcpus[i].pcpu = 2 + i;
		vm.vcpus[i].guest_cpu_id = i;
		vm.vcpus[i].arch = &lv[i];
		lv[i].vcpu = &vm.vcpus[i];
		lv[i].ctx.pc = 0x1000;
	}
	fake_hw.current_cpu = 2;
	return 0;
}

/* ---- the load/store decoder ---- */

struct ldst_case {
	uint32_t insn;
	uint8_t width;
	bool store, sign;
};

static void test_ldst_forms(void **state)
{
	const struct ldst_case cases[] = {
		{ si12(0x0a0, 5, 6), 1, false, true },	   /* ld.b */
		{ si12(0x0a1, 5, 6), 2, false, true },	   /* ld.h */
		{ si12(0x0a2, 5, 6), 4, false, true },	   /* ld.w */
		{ si12(0x0a3, 5, 6), 8, false, true },	   /* ld.d */
		{ si12(0x0a4, 5, 6), 1, true, false },	   /* st.b */
		{ si12(0x0a5, 5, 6), 2, true, false },	   /* st.h */
		{ si12(0x0a6, 5, 6), 4, true, false },	   /* st.w */
		{ si12(0x0a7, 5, 6), 8, true, false },	   /* st.d */
		{ si12(0x0a8, 5, 6), 1, false, false },	   /* ld.bu */
		{ si12(0x0a9, 5, 6), 2, false, false },	   /* ld.hu */
		{ si12(0x0aa, 5, 6), 4, false, false },	   /* ld.wu */
		{ idx(0x7000, 5, 6, 7), 1, false, true },  /* ldx.b */
		{ idx(0x7008, 5, 6, 7), 2, false, true },  /* ldx.h */
		{ idx(0x7010, 5, 6, 7), 4, false, true },  /* ldx.w */
		{ idx(0x7018, 5, 6, 7), 8, false, true },  /* ldx.d */
		{ idx(0x7020, 5, 6, 7), 1, true, false },  /* stx.b */
		{ idx(0x7028, 5, 6, 7), 2, true, false },  /* stx.h */
		{ idx(0x7030, 5, 6, 7), 4, true, false },  /* stx.w */
		{ idx(0x7038, 5, 6, 7), 8, true, false },  /* stx.d */
		{ idx(0x7040, 5, 6, 7), 1, false, false }, /* ldx.bu */
		{ idx(0x7048, 5, 6, 7), 2, false, false }, /* ldx.hu */
		{ idx(0x7050, 5, 6, 7), 4, false, false }, /* ldx.wu */
		{ si14(0x24, 5, 6), 4, false, true },	   /* ldptr.w */
		{ si14(0x25, 5, 6), 4, true, false },	   /* stptr.w */
		{ si14(0x26, 5, 6), 8, false, true },	   /* ldptr.d */
		{ si14(0x27, 5, 6), 8, true, false },	   /* stptr.d */
	};

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(cases); i++) {
		struct la_ldst op = { 0 };

		assert_true(la_ldst_decode(cases[i].insn, &op));
		assert_int_equal(op.width, cases[i].width);
		assert_int_equal(op.store, cases[i].store);
		assert_int_equal(op.sign_extend, cases[i].sign);
		assert_int_equal(op.rd, 5);
		/* The data register is bits 4:0 whatever the offset or index bits hold. */
		assert_true(la_ldst_decode(cases[i].insn | 0x1fu, &op));
		assert_int_equal(op.rd, 31);
	}
}

static void test_ldst_rejected(void **state)
{
	const uint32_t rejected[] = {
		si12(0x0ab, 0, 6),    /* preld */
		si12(0x0ac, 5, 6),    /* fld.s */
		si12(0x0ad, 5, 6),    /* fst.s */
		si12(0x0ae, 5, 6),    /* fld.d */
		si12(0x0af, 5, 6),    /* fst.d */
		si12(0x0b0, 5, 6),    /* vld */
		si14(0x20, 5, 6),     /* ll.w */
		si14(0x21, 5, 6),     /* sc.w */
		si14(0x22, 5, 6),     /* ll.d */
		si14(0x23, 5, 6),     /* sc.d */
		idx(0x7058, 5, 6, 7), /* preldx */
		idx(0x7060, 5, 6, 7), /* fldx.s */
		idx(0x70c0, 5, 6, 7), /* amswap.w */
		idx(0x70c3, 5, 6, 7), /* amadd.d */
		idx(0x70f0, 5, 6, 7), /* ldgt.b */
		idx(0x70fc, 5, 6, 7), /* stle.b ... bound-checked forms */
		HVCL0,
		IDLE0,
		CPUCFG(5, 6),
		0,
		0xffffffffu,
	};

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(rejected); i++) {
		struct la_ldst op = { 0 };

		assert_false(la_ldst_decode(rejected[i], &op));
	}
}

/* ---- exit decoding ---- */

static enum la_action decode(unsigned entry, unsigned ecode, unsigned esub, uint64_t badv,
			     uint32_t badi, struct vcpu_exit *exit)
{
	struct la_exit_info info = { entry, (uint64_t)esub << 22 | (uint64_t)ecode << 16, badv,
				     badi };

	memset(exit, 0xa5, sizeof(*exit));
	return la_exit_decode(&lv[0], &info, exit);
}

static void assert_fault(const struct vcpu_exit *e, uint64_t addr, unsigned access)
{
	assert_int_equal(e->kind, VCPU_EXIT_S2_FAULT);
	assert_int_equal(e->fault.addr.raw, addr);
	assert_int_equal(e->fault.access, access);
	assert_int_equal(e->fault.pc, 0x1000);
}

static void test_exit_refill_and_irq(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* Through the refill entry, whatever ESTAT says. */
	assert_int_equal(decode(LA_ENTRY_REFILL, 0x2, 0, 0x1234, 0, &e), LA_ACT_REFILL);
	assert_int_equal(e.kind, VCPU_EXIT_NONE);
	assert_int_equal(decode(LA_ENTRY_EXCEPTION, 0x0, 0, 0, 0, &e), LA_ACT_HOST_IRQ);
	assert_int_equal(e.kind, VCPU_EXIT_IRQ);
}

static void test_exit_mmio(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* PIL with ld.hu a1: a 2-byte zero-extended read into r5. */
	assert_int_equal(decode(0, 0x1, 0, 0x1ff00008, si12(0x0a9, 5, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_MMIO);
	assert_int_equal(e.mmio.addr.raw, 0x1ff00008);
	assert_int_equal(e.mmio.width, 2);
	assert_false(e.mmio.write);
	assert_false(e.mmio.sign_extend);
	assert_int_equal(e.mmio.reg, 5);
	assert_int_equal(e.mmio.reg_width, 8);
	assert_int_equal(e.mmio.data, 0);
	/* PIL with ld.w: sign-extended. */
	assert_int_equal(decode(0, 0x1, 0, 0x1ff00010, idx(0x7010, 9, 6, 7), &e), LA_ACT_CORE);
	assert_true(e.mmio.sign_extend);
	assert_int_equal(e.mmio.width, 4);
	assert_int_equal(e.mmio.reg, 9);
	/* PIS with st.d t0: the store data comes from r12. */
	lv[0].ctx.gpr[12] = 0x1122334455667788ULL;
	assert_int_equal(decode(0, 0x2, 0, 0x1ff00000, si14(0x27, 12, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_MMIO);
	assert_true(e.mmio.write);
	assert_int_equal(e.mmio.width, 8);
	assert_int_equal(e.mmio.data, 0x1122334455667788ULL);
}

static void test_exit_faults(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* A load or store that is no plain load/store (here an atomic), or whose direction does
	 * not match the exception, is a fault, not a device access. */
	assert_int_equal(decode(0, 0x1, 0, 0x2000000, idx(0x70c0, 5, 6, 7), &e), LA_ACT_CORE);
	assert_fault(&e, 0x2000000, VCPU_ACCESS_READ);
	assert_int_equal(decode(0, 0x2, 0, 0x2000000, idx(0x70c0, 5, 6, 7), &e), LA_ACT_CORE);
	assert_fault(&e, 0x2000000, VCPU_ACCESS_WRITE);
	assert_int_equal(decode(0, 0x1, 0, 0x2000000, si12(0x0a7, 5, 6), &e), LA_ACT_CORE);
	assert_fault(&e, 0x2000000, VCPU_ACCESS_READ);
	assert_int_equal(decode(0, 0x3, 0, 0x3000000, 0, &e), LA_ACT_CORE); /* PIF */
	assert_fault(&e, 0x3000000, VCPU_ACCESS_EXEC);
	assert_int_equal(decode(0, 0x6, 0, 0x3000000, 0, &e), LA_ACT_CORE); /* PNX */
	assert_fault(&e, 0x3000000, VCPU_ACCESS_EXEC);
	assert_int_equal(decode(0, 0x4, 0, 0x4000, 0, &e), LA_ACT_CORE); /* PME */
	assert_fault(&e, 0x4000, VCPU_ACCESS_WRITE);
	assert_int_equal(decode(0, 0x5, 0, 0x4000, 0, &e), LA_ACT_CORE); /* PNR */
	assert_fault(&e, 0x4000, VCPU_ACCESS_READ);
	assert_int_equal(decode(0, 0x7, 0, 0x4000, 0, &e), LA_ACT_CORE); /* PPI */
	assert_fault(&e, 0x4000, VCPU_ACCESS_READ);
	/* ADE: ADEF (sub-code 0) a fetch, ADEM a data access whose direction BADI tells. */
	assert_int_equal(decode(0, 0x8, 0, 0x900000000000ULL, 0, &e), LA_ACT_CORE);
	assert_fault(&e, 0x900000000000ULL, VCPU_ACCESS_EXEC);
	assert_int_equal(decode(0, 0x8, 1, 0x900000000000ULL, si12(0x0a6, 5, 6), &e), LA_ACT_CORE);
	assert_fault(&e, 0x900000000000ULL, VCPU_ACCESS_WRITE);
	assert_int_equal(decode(0, 0x8, 1, 0x900000000000ULL, si12(0x0a2, 5, 6), &e), LA_ACT_CORE);
	assert_fault(&e, 0x900000000000ULL, VCPU_ACCESS_READ);
}

static void test_exit_hvc(void **state)
{
	struct vcpu_exit e;

	(void)state;
	for (unsigned i = 0; i < 32; i++)
		lv[0].ctx.gpr[i] = 0x100 + i;
	assert_int_equal(decode(0, 0x17, 0, 0, HVCL0, &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_HYPERCALL);
	assert_int_equal(e.hcall.nr, 0x100 + 11); /* a7 */
	for (unsigned i = 0; i < VCPU_HCALL_ARGS; i++)
		assert_int_equal(e.hcall.args[i], 0x100 + 4 + i); /* a0..a5 */
	assert_int_equal(lv[0].ctx.pc, 0x1000);			  /* complete() advances it */
}

static void test_exit_guest_own(void **state)
{
	/* The guest's own exceptions (ALE, BCE, SYS, BRK, INE, IPE, FPD, FPE, ...) and GCM never
	 * belong to the root: the vCPU cannot go on. */
	const unsigned codes[] = { 0x9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x12, 0x13, 0x18, 0x3f };
	struct vcpu_exit e;

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(codes); i++)
		assert_int_equal(decode(0, codes[i], 0, 0, 0, &e), LA_ACT_GUEST_BUG);
	/* GSPR on an instruction the backend does not emulate: INE, which a guest without an
	 * exception entry cannot take. */
	assert_int_equal(decode(0, 0x16, 0, 0, si12(0x0a2, 5, 6), &e), LA_ACT_GUEST_BUG);
	assert_int_equal(lv[0].ctx.pc, 0x1000);
}

/* ---- GSPR ---- */

static void test_gspr_cpucfg(void **state)
{
	struct vcpu_exit e;

	(void)state;
	la_mock.cpucfg[1] = 0x12345678;
	la_mock.cpucfg[2] = 0xffffffffu;
	la_fp_probe(); /* FP, LSX and LASX: all switched */
	lv[0].ctx.gpr[6] = 2;
	assert_int_equal(decode(0, 0x16, 0, 0, CPUCFG(7, 6), &e), LA_ACT_EMULATED);
	/* LVZ (bit 10), LVZVER (13:11) and LBT (20:18, not switched) hidden, the rest the host's. */
	assert_int_equal(lv[0].ctx.gpr[7], 0xffe3c3ffULL);
	assert_int_equal(lv[0].ctx.pc, 0x1004);
	lv[0].ctx.gpr[6] = 1;
	assert_int_equal(decode(0, 0x16, 0, 0, CPUCFG(7, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[7], 0x12345678);
	/* Into r0: nothing written, still emulated. */
	assert_int_equal(la_gspr_emulate(&lv[0], CPUCFG(0, 6), &e), LA_GSPR_DONE);
	assert_int_equal(lv[0].ctx.gpr[0], 0);
	assert_int_equal(lv[0].ctx.pc, 0x100c);
}

static void test_gspr_idle(void **state)
{
	struct vcpu_exit e;

	(void)state;
	assert_int_equal(decode(0, 0x16, 0, 0, IDLE0, &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_HALT);
	assert_int_equal(lv[0].ctx.pc, 0x1000); /* the core completes it */
}

static void test_gspr_csr(void **state)
{
	/* LVZ, implementation (IMPCTL1/2 at 0x80/0x81), machine-error, cache-tag, performance
	 * counter, watchpoint and debug CSRs: read as 0, writes dropped, quietly; then two no CPU
	 * defines, which read as 0 too (the manual's rule for undefined CSRs) but are logged. */
	const unsigned csrs[] = { 0x15,	 0x16,	0x50,  0x51,  0x52,  0x53,  0x54,  0x55,
				  0x80,	 0x81,	0x90,  0x95,  0x98,  0x200, 0x201, 0x21f,
				  0x300, 0x310, 0x380, 0x3ff, 0x500, 0x502, 0x70,  0x3fff };
	const unsigned known = PV_ARRAY_SIZE(csrs) - 2;
	struct vcpu_exit e;

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(csrs); i++) {
		uint64_t pc = lv[0].ctx.pc;

		lv[0].ctx.gpr[4] = 77;
		assert_int_equal(decode(0, 0x16, 0, 0, CSRRD(4, csrs[i]), &e), LA_ACT_EMULATED);
		assert_int_equal(lv[0].ctx.gpr[4], 0);
		lv[0].ctx.gpr[4] = 77;
		assert_int_equal(decode(0, 0x16, 0, 0, CSRWR(4, csrs[i]), &e), LA_ACT_EMULATED);
		assert_int_equal(lv[0].ctx.gpr[4], 0);
		lv[0].ctx.gpr[4] = 77;
		assert_int_equal(decode(0, 0x16, 0, 0, CSRXCHG(4, 9, csrs[i]), &e),
				 LA_ACT_EMULATED);
		assert_int_equal(lv[0].ctx.gpr[4], 0);
		assert_int_equal(lv[0].ctx.pc, pc + 12);
		if (i < known)
			assert_int_equal(fake_hw.log_len, 0);
	}
	assert_true(fake_log_contains("unknown CSR"));
	/* Whatever a guest repeats, its log lines are rate-limited (vm_log_allowed). */
	for (unsigned i = 0; i < 100; i++)
		assert_int_equal(decode(0, 0x16, 0, 0, CSRRD(4, 0x70), &e), LA_ACT_EMULATED);
	assert_true(fake_hw.log_len < 100 * (VM_LOG_BURST + 2));
	/* Nothing but the guest's privilege level was read. */
	assert_int_equal(la_mock.nlog, la_mock_count(LM_GCSR_RD, 0x0, false));
	assert_int_equal(la_mock_count(LM_GCSR_WR, 0, true), 0);
}

/* The guest's exception state after la_inject delivered @ecode for the instruction at @pc. */
static void assert_injected(unsigned ecode, uint64_t pc, uint32_t insn, uint64_t prev_crmd)
{
	assert_int_equal(la_mock.gcsr[0x5] >> 16 & 0x7fff, ecode);
	assert_int_equal(la_mock.gcsr[0x6], pc);   /* ERA */
	assert_int_equal(la_mock.gcsr[0x8], insn); /* BADI */
	assert_int_equal(la_mock.gcsr[0x1] & 7, prev_crmd & 7);
	assert_int_equal(la_mock.gcsr[0x0] & 7, 0);
	assert_int_equal(lv[0].ctx.pc, G_EENTRY);
}

/* Guest user mode (PLV3) reaches neither the IPI block nor any other GSPR resource: IPE. */
static void test_gspr_user_mode(void **state)
{
	const uint32_t privileged[] = { IOCSR(2, 7, 6), IOCSR(6, 5, 6),	 IOCSR(3, 7, 6), IDLE0,
					CSRRD(4, 0x80), CSRWR(4, 0x500), CACOP(0x08, 6), DBCL0 };
	struct vcpu_exit e;

	(void)state;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(privileged); i++) {
		lv[0].ctx.pc = 0x1000;
		lv[0].ctx.gpr[7] = 0x77;
		la_mock.gcsr[0x0] = 3 | 1u << 2 | 1u << 4; /* PLV3, IE, paging */
		la_mock.gcsr[0xc] = G_EENTRY;
		lv[0].ipi.status = 1u << 5;
		lv[0].ctx.gpr[6] = 0x1000;	 /* IPI_STATUS, or IPI_SEND for the write */
		lv[0].ctx.gpr[5] = 1u << 16 | 2; /* vCPU 1, vector 2 */
		assert_int_equal(decode(0, 0x16, 0, 0, privileged[i], &e), LA_ACT_EMULATED);
		assert_injected(LA_EC_IPE, 0x1000, privileged[i], 3 | 1u << 2);
		assert_int_equal(lv[0].ctx.gpr[7], 0x77); /* nothing read */
		assert_int_equal(lv[1].ipi.status, 0);	  /* nothing sent */
		assert_int_equal(fake_hw.ipis[3], 0);
	}
	/* CPUCFG is for every level; so are hit-type cache operations (code 4:3 = 2). */
	lv[0].ctx.pc = 0x1000;
	lv[0].ctx.gpr[6] = 4;
	la_mock.cpucfg[4] = 100000000;
	assert_int_equal(decode(0, 0x16, 0, 0, CPUCFG(7, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[7], 100000000);
	assert_int_equal(decode(0, 0x16, 0, 0, CACOP(0x13, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.pc, 0x1008);
	/* At PLV0 the same IOCSR read is the IPI status. */
	lv[0].ctx.gpr[6] = 0x1000;
	la_mock.gcsr[0x0] = 0;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(2, 7, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[7], 1u << 5);
}

/* DBCL at PLV0: debug mode is not offered, so INE; the VM goes on. A trapped CACOP is a no-op. */
static void test_gspr_dbcl_cacop(void **state)
{
	struct vcpu_exit e;

	(void)state;
	la_mock.gcsr[0xc] = G_EENTRY;
	la_mock.gcsr[0x0] = 1u << 2;
	assert_int_equal(decode(0, 0x16, 0, 0, DBCL0 | 0x12, &e), LA_ACT_EMULATED);
	assert_injected(LA_EC_INE, 0x1000, DBCL0 | 0x12, 1u << 2);
	lv[0].ctx.pc = 0x1000;
	assert_int_equal(decode(0, 0x16, 0, 0, CACOP(0x08, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.pc, 0x1004);
	/* Without an exception entry the guest cannot take INE: the VM stops. */
	la_mock.gcsr[0xc] = 0;
	assert_int_equal(decode(0, 0x16, 0, 0, DBCL0, &e), LA_ACT_GUEST_BUG);
}

/* IOCSR addresses are the register's 64 bits: 0x100001000 is not the IPI status at 0x1000. */
static void test_gspr_iocsr_wide(void **state)
{
	const uint64_t wide[] = { 0x100001000ULL, 0xffffffff00001040ULL, 0x80001600ULL };
	struct vcpu_exit e;

	(void)state;
	la_mock.gcsr[0xc] = G_EENTRY;
	lv[0].ipi.status = 1u << 5;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(wide); i++) {
		lv[0].ctx.pc = 0x1000;
		lv[0].ctx.gpr[6] = wide[i];
		lv[0].ctx.gpr[7] = 0x77;
		lv[0].ctx.gpr[5] = 1u << 16 | 2;
		assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 7, 6), &e), LA_ACT_EMULATED);
		assert_injected(LA_EC_IPE, 0x1000, IOCSR(3, 7, 6), 0);
		assert_int_equal(lv[0].ctx.gpr[7], 0x77);
		lv[0].ctx.pc = 0x1000;
		assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_EMULATED);
		assert_int_equal(lv[1].ipi.status, 0);
	}
	/* Below the limit, an address the IPI block does not serve keeps all its bits. */
	lv[0].ctx.pc = 0x1000;
	lv[0].ctx.gpr[6] = 0x7fff1000;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(2, 7, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	assert_int_equal(e.sysreg.id, 0xffff1000u);
}

/* CPUCFG word numbers are the register's 64 bits; the PMU's word and undefined words read 0. */
static void test_gspr_cpucfg_words(void **state)
{
	struct vcpu_exit e;

	(void)state;
	for (unsigned i = 0; i < 32; i++)
		la_mock.cpucfg[i] = 0x1000 + i;
	la_mock.cpucfg[1] = 0xffffffffu;
	assert_int_equal(la_cpucfg_guest(0x100000002ULL), 0);
	assert_int_equal(la_cpucfg_guest(~0ULL), 0);
	assert_int_equal(la_cpucfg_guest(6), 0);
	assert_int_equal(la_cpucfg_guest(7), 0);
	assert_int_equal(la_cpucfg_guest(0xf), 0);
	assert_int_equal(la_cpucfg_guest(0x15), 0);
	assert_int_equal(la_cpucfg_guest(0x40000000), 0);
	assert_int_equal(la_cpucfg_guest(0), 0x1000);
	assert_int_equal(la_cpucfg_guest(5), 0x1005);
	assert_int_equal(la_cpucfg_guest(0x10), 0x1010);
	assert_int_equal(la_cpucfg_guest(0x14), 0x1014);
	assert_int_equal(la_cpucfg_guest(1), 0xffffffffu & ~(1u << 26)); /* no message interrupts */
	lv[0].ctx.gpr[6] = 0x100000004ULL;
	lv[0].ctx.gpr[7] = 0x77;
	assert_int_equal(decode(0, 0x16, 0, 0, CPUCFG(7, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[7], 0);
}

/* The root keeps LBT (and FP / vector units it does not switch) off for guests: a guest that
 * uses one gets INE, as on a CPU without it, instead of stopping its VM. */
static void test_exit_hidden_units(void **state)
{
	const unsigned codes[] = { LA_EC_FPD, LA_EC_SXD, LA_EC_ASXD, LA_EC_BTD };
	struct vcpu_exit e;

	(void)state;
	la_mock.gcsr[0xc] = G_EENTRY;
	for (unsigned i = 0; i < PV_ARRAY_SIZE(codes); i++) {
		lv[0].ctx.pc = 0x1000;
		assert_int_equal(decode(0, codes[i], 0, 0, 0x12345678, &e), LA_ACT_EMULATED);
		assert_injected(LA_EC_INE, 0x1000, 0x12345678, 0);
	}
}

/* Vectored entries (ECFG.VS): EENTRY + Ecode * 2^VS instructions; the previous PLV and IE kept. */
static void test_inject_vectored(void **state)
{
	struct la_exception ex = {
		.ecode = LA_EC_ADE, .esub = 1, .has_badv = true, .badv = 0x2000000
	};

	(void)state;
	la_mock.gcsr[0xc] = G_EENTRY;
	la_mock.gcsr[0x4] = 3u << 16; /* VS = 3: 32 bytes per entry */
	la_mock.gcsr[0x0] = 3 | 1u << 2 | 1u << 4;
	la_mock.gcsr[0x1] = 0;
	la_mock.gcsr[0x5] = 1u << 11; /* the timer line stays pending */
	assert_true(la_inject(&lv[0], &ex));
	assert_int_equal(lv[0].ctx.pc, G_EENTRY + 8 * 32);
	assert_int_equal(la_mock.gcsr[0x5], 1u << 11 | 8u << 16 | 1u << 22);
	assert_int_equal(la_mock.gcsr[0x7], 0x2000000);
	assert_int_equal(la_mock.gcsr[0x1], 3 | 1u << 2);
	assert_int_equal(la_mock.gcsr[0x0], 1u << 4);
	assert_int_equal(la_mock.gcsr[0x6], 0x1000);
}

static void test_gspr_iocsr_ipi(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* iocsrwr.w to IPI_EN, then iocsrrd.w of it. */
	lv[0].ctx.gpr[6] = 0x1004;
	lv[0].ctx.gpr[5] = 0xffffffffu;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ipi.en, 0xffffffffu);
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(2, 8, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[8], 0xffffffffu);
	/* IPI_SEND to vCPU 1, vector 3: its status bit, and a physical IPI to its CPU. */
	lv[0].ctx.gpr[6] = 0x1040;
	lv[0].ctx.gpr[5] = 1u << 16 | 3;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[1].ipi.status, 1u << 3);
	assert_int_equal(fake_hw.ipis[3], 1);
	/* vCPU 1 reads and clears its status. */
	lv[1].ctx.gpr[6] = 0x1000;
	assert_int_equal(la_gspr_emulate(&lv[1], IOCSR(2, 7, 6), &e), LA_GSPR_DONE);
	assert_int_equal(lv[1].ctx.gpr[7], 1u << 3);
	lv[1].ctx.gpr[6] = 0x100c;
	lv[1].ctx.gpr[7] = 1u << 3;
	assert_int_equal(la_gspr_emulate(&lv[1], IOCSR(6, 7, 6), &e), LA_GSPR_DONE);
	assert_int_equal(lv[1].ipi.status, 0);
	/* Mailboxes: a 64-bit write and read back; MAIL_SEND writes a word of another vCPU's. */
	lv[0].ctx.gpr[6] = 0x1028;
	lv[0].ctx.gpr[5] = 0x0123456789abcdefULL;
	assert_int_equal(la_gspr_emulate(&lv[0], IOCSR(7, 5, 6), &e), LA_GSPR_DONE);
	assert_int_equal(la_gspr_emulate(&lv[0], IOCSR(3, 9, 6), &e), LA_GSPR_DONE);
	assert_int_equal(lv[0].ctx.gpr[9], 0x0123456789abcdefULL);
	lv[0].ctx.gpr[6] = 0x1048;
	lv[0].ctx.gpr[5] = 0xcafef00dULL << 32 | 1u << 16 | 1u << 2; /* word 1 of vCPU 1 */
	assert_int_equal(la_gspr_emulate(&lv[0], IOCSR(7, 5, 6), &e), LA_GSPR_DONE);
	assert_int_equal(lv[1].ipi.mailbox[0], 0xcafef00dULL << 32);
}

/* A vCPU that is off starts, as a core its firmware parked, when an IPI reaches it with an
 * address in its mailbox 0: the core's CPU_UP, completed (PC advanced) by the core. Without an
 * address, or once it runs, an IPI is only its status bit. */
static void test_gspr_ipi_starts_parked_vcpu(void **state)
{
	struct vcpu_exit e;

	(void)state;
	lv[0].ctx.gpr[6] = 0x1040; /* IPI_SEND to vCPU 1, vector 2 */
	lv[0].ctx.gpr[5] = 1u << 16 | 2;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(e.kind, VCPU_EXIT_NONE);
	assert_int_equal(lv[1].ipi.status, 1u << 2);
	assert_int_equal(lv[0].ctx.pc, 0x1004);
	/* MAIL_SEND the entry into vCPU 1's mailbox 0, high word then low word, as Linux does. */
	lv[0].ctx.gpr[6] = 0x1048;
	lv[0].ctx.gpr[5] = 0x00000000ULL << 32 | 1u << 16 | 1u << 2;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(7, 5, 6), &e), LA_ACT_EMULATED);
	lv[0].ctx.gpr[5] = 0x00221000ULL << 32 | 1u << 16 | 0u << 2;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(7, 5, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[1].ipi.mailbox[0], 0x221000);
	lv[1].ipi.status = 0;
	lv[0].ctx.pc = 0x1000;
	lv[0].ctx.gpr[6] = 0x1040;
	lv[0].ctx.gpr[5] = 1u << 16 | 2;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	assert_int_equal(e.cpu_up.target, 1);
	assert_int_equal(e.cpu_up.entry, 0x221000);
	assert_int_equal(e.cpu_up.arg, 0);
	assert_int_equal(lv[0].ctx.pc, 0x1000);
	assert_int_equal(lv[1].ipi.status,
			 0); /* the start clears it, as the firmware's loop does */
	/* The same for a vCPU the guest stopped; a running one just gets the interrupt. */
	vm.vcpus[1].state = VCPU_STOPPED;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_CPU_UP);
	vm.vcpus[1].state = VCPU_RUNNING;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(e.kind, VCPU_EXIT_NONE);
	assert_int_equal(lv[1].ipi.status, 1u << 2);
}

/* The identification registers Linux's cpu_probe reads: features (IPI through IOCSR, a virtual
 * machine), and the host's vendor and CPU name, 32 or 64 bits wide; writes, other widths and the
 * addresses between them are not served here. */
static void test_gspr_iocsr_identification(void **state)
{
	struct vcpu_exit e;

	(void)state;
	la_guest_vendor = 0x6e6f73676e6f6f4cULL; /* "Loongson" */
	la_guest_cpuname = 0x303030354133ULL;	 /* "3A5000" */
	lv[0].ctx.gpr[6] = 0x8;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(2, 9, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[9], 1u << 4 | 1u << 11);
	lv[0].ctx.gpr[6] = 0x10;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 9, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[9], 0x6e6f73676e6f6f4cULL);
	lv[0].ctx.gpr[6] = 0x14;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(2, 9, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[9], 0x6e6f7367u);
	lv[0].ctx.gpr[6] = 0x20;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 9, 6), &e), LA_ACT_EMULATED);
	assert_int_equal(lv[0].ctx.gpr[9], 0x303030354133ULL);
	assert_int_equal(lv[0].ctx.pc, 0x1010);
	lv[0].ctx.gpr[6] = 0x8;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 9, 6), &e), LA_ACT_CORE); /* wr.w */
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(0, 9, 6), &e), LA_ACT_CORE); /* rd.b */
	lv[0].ctx.gpr[6] = 0x18;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 9, 6), &e), LA_ACT_CORE);
	lv[0].ctx.gpr[6] = 0xc; /* misaligned for a 64-bit read */
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 9, 6), &e), LA_ACT_CORE);
	assert_int_equal(lv[0].ctx.pc, 0x1010);
}

static void test_gspr_iocsr_core(void **state)
{
	struct vcpu_exit e;

	(void)state;
	/* An address the IPI block does not serve (EXTIOI): the core's SYSREG, PC unchanged. */
	lv[0].ctx.gpr[6] = 0x1600;
	lv[0].ctx.gpr[5] = 0xff;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 5, 6), &e), LA_ACT_CORE);
	assert_int_equal(e.kind, VCPU_EXIT_SYSREG);
	assert_int_equal(e.sysreg.id, 0x80001600u);
	assert_true(e.sysreg.write);
	assert_int_equal(e.sysreg.reg, 5);
	assert_int_equal(e.sysreg.data, 0xff);
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(3, 9, 6), &e), LA_ACT_CORE);
	assert_false(e.sysreg.write);
	assert_int_equal(e.sysreg.reg, 9);
	assert_int_equal(e.sysreg.data, 0);
	/* IPI registers at widths or directions they lack go to the core too. */
	lv[0].ctx.gpr[6] = 0x1000;
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(0, 9, 6), &e), LA_ACT_CORE); /* rd.b */
	assert_int_equal(decode(0, 0x16, 0, 0, IOCSR(6, 9, 6), &e), LA_ACT_CORE); /* wr STATUS */
	assert_int_equal(lv[0].ctx.pc, 0x1000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_ldst_forms, setup),
		cmocka_unit_test_setup(test_ldst_rejected, setup),
		cmocka_unit_test_setup(test_exit_refill_and_irq, setup),
		cmocka_unit_test_setup(test_exit_mmio, setup),
		cmocka_unit_test_setup(test_exit_faults, setup),
		cmocka_unit_test_setup(test_exit_hvc, setup),
		cmocka_unit_test_setup(test_exit_guest_own, setup),
		cmocka_unit_test_setup(test_gspr_cpucfg, setup),
		cmocka_unit_test_setup(test_gspr_idle, setup),
		cmocka_unit_test_setup(test_gspr_csr, setup),
		cmocka_unit_test_setup(test_gspr_iocsr_ipi, setup),
		cmocka_unit_test_setup(test_gspr_ipi_starts_parked_vcpu, setup),
		cmocka_unit_test_setup(test_gspr_iocsr_identification, setup),
		cmocka_unit_test_setup(test_gspr_iocsr_core, setup),
		cmocka_unit_test_setup(test_gspr_user_mode, setup),
		cmocka_unit_test_setup(test_gspr_dbcl_cacop, setup),
		cmocka_unit_test_setup(test_gspr_iocsr_wide, setup),
		cmocka_unit_test_setup(test_gspr_cpucfg_words, setup),
		cmocka_unit_test_setup(test_exit_hidden_units, setup),
		cmocka_unit_test_setup(test_inject_vectored, setup),
	};

	return cmocka_run_group_tests_name("la_exit", tests, NULL, NULL);
}
