// SPDX-License-Identifier: MIT
/*
 * Guest sensitive privileged resources: instructions LVZ hands to the root instead of running in
 * the guest (GSPR exception, the instruction in BADI). Emulated: CPUCFG (the host's words, with
 * LVZ hidden: the guest cannot nest; and LBT, and any FP / vector unit la_fp.c does not switch), IOCSR accesses to the vCPU's IPI block, IDLE (the core's
 * HALT), and the CSRs a guest may not own (implementation, machine-error, debug and LVZ CSRs:
 * read as 0, writes ignored). Other IOCSR addresses go to the core as SYSREG accesses.
 */
#include "la_hw.h"
#include "la_vcpu.h"

#define LA_OP_CPUCFG	   0x1b	   /* bits 31:10 */
#define LA_OP_IOCSR_LO	   0x19200 /* bits 31:10: iocsrrd.b/h/w/d, iocsrwr.b/h/w/d */
#define LA_OP_IOCSR_HI	   0x19207
#define LA_OP_IDLE	   0xc91	/* bits 31:15 */
#define LA_OP_CSR	   0x04		/* bits 31:24; rj 0 = csrrd, 1 = csrwr, else csrxchg */
#define LA_CPUCFG2_LVZ_ALL (0xfu << 10) /* LVZ and LVZVER */

static unsigned la_rd(uint32_t insn)
{
	return insn & 0x1f;
}

static unsigned la_rj(uint32_t insn)
{
	return (insn >> 5) & 0x1f;
}

static void la_set_gpr(struct la_vcpu *v, unsigned r, uint64_t value)
{
	if (r)
		v->ctx.gpr[r] = value;
}

/* The CSRs a guest accesses through the root (GSPR): all read as 0, writes are dropped. */
static bool la_gspr_csr_known(unsigned csr)
{
	return (csr >= 0x50 && csr <= 0x55) || csr == 0x15 || csr == 0x16 ||
	       (csr >= 0x70 && csr <= 0x71) || (csr >= 0x90 && csr <= 0x95) || csr == 0x98 ||
	       (csr >= 0x500 && csr <= 0x502);
}

static enum la_gspr_result la_gspr_iocsr(struct la_vcpu *v, uint32_t insn, struct vcpu_exit *exit)
{
	unsigned op = (insn >> 10) & 7;
	unsigned width = 1u << (op & 3);
	bool write = op >= 4;
	uint32_t addr = (uint32_t)v->ctx.gpr[la_rj(insn)];
	uint64_t data = write ? v->ctx.gpr[la_rd(insn)] : 0;

	if (la_vipi_access(v, addr, width, write, &data)) {
		if (!write)
			la_set_gpr(v, la_rd(insn), data);
		return LA_GSPR_DONE;
	}
	exit->kind = VCPU_EXIT_SYSREG;
	exit->sysreg.id = LA_SYSREG_IOCSR(addr);
	exit->sysreg.write = write;
	exit->sysreg.reg = (uint8_t)la_rd(insn);
	exit->sysreg.data = data;
	return LA_GSPR_IOCSR;
}

enum la_gspr_result la_gspr_emulate(struct la_vcpu *v, uint32_t insn, struct vcpu_exit *exit)
{
	uint32_t op22 = insn >> 10;
	enum la_gspr_result res = LA_GSPR_DONE;

	if (op22 == LA_OP_CPUCFG) {
		uint32_t word = (uint32_t)v->ctx.gpr[la_rj(insn)];
		uint32_t value = la_hw_cpucfg(word);

		if (word == 2)
			value = la_fp_guest_cpucfg2(value & ~LA_CPUCFG2_LVZ_ALL);
		la_set_gpr(v, la_rd(insn), value);
	} else if (op22 >= LA_OP_IOCSR_LO && op22 <= LA_OP_IOCSR_HI) {
		res = la_gspr_iocsr(v, insn, exit);
		if (res == LA_GSPR_IOCSR)
			return res; /* the core completes it */
	} else if ((insn >> 15) == LA_OP_IDLE) {
		exit->kind = VCPU_EXIT_HALT;
		return LA_GSPR_HALT;
	} else if ((insn >> 24) == LA_OP_CSR && la_gspr_csr_known((insn >> 10) & 0x3fff)) {
		la_set_gpr(v, la_rd(insn), 0);
	} else {
		return LA_GSPR_UNKNOWN;
	}
	v->ctx.pc += 4;
	return res;
}
