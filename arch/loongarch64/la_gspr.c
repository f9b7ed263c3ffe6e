// SPDX-License-Identifier: MIT
/*
 * Guest sensitive privileged resources: instructions LVZ hands to the root instead of running in
 * the guest (GSPR exception, the instruction in BADI). What a guest gets for each (the table of
 * guest-visible CPU state in docs/loongarch64.md):
 *
 * - CPUCFG (any PLV): the host's words 0..5 and 0x10..0x14 with what guests do not get masked out:
 *   LVZ (no nesting), LBT and any FP / vector unit la_fp.c does not switch, message interrupts;
 *   word 6 (the PMU) and every other word read 0. The word number is the register's full 64 bits.
 * - IOCSR at PLV0: the vCPU's IPI block (la_vipi.c); reads of the identification registers Linux
 *   probes (features at 0x8: IPI through IOCSR, and "a virtual machine"; vendor at 0x10 and CPU
 *   name at 0x20: the host's); other addresses below LA_IOCSR_LIMIT go to the core as SYSREG
 *   accesses (no device serves them: IPE, or the VM stops); above it, IPE.
 * - IDLE at PLV0: the core's HALT.
 * - CSR instructions at PLV0 on the CSRs a guest may not own (LVZ, implementation, machine-error,
 *   cache-tag, performance-counter, watchpoint and debug CSRs): read as 0, writes dropped.
 * - CACOP: nothing to do (caches are coherent with everything a guest can reach).
 * - DBCL at PLV0: INE. Debug mode is not offered to guests (its CSRs read 0).
 * - Any other instruction: INE, logged.
 * A privileged one of these at PLV1..3 gets IPE, as the hardware does outside a guest: user mode
 * must not reach the IPI block or send IPIs.
 */
#include <hal/hal.h>
#include <vm/vm.h>

#include "la_hw.h"
#include "la_vcpu.h"

#define LA_OP_CPUCFG	   0x1b	   /* bits 31:10 */
#define LA_OP_IOCSR_LO	   0x19200 /* bits 31:10: iocsrrd.b/h/w/d, iocsrwr.b/h/w/d */
#define LA_OP_IOCSR_HI	   0x19207
#define LA_OP_IDLE	   0xc91 /* bits 31:15 */
#define LA_OP_DBCL	   0x55	 /* bits 31:15 */
#define LA_OP_CSR	   0x04	 /* bits 31:24; rj 0 = csrrd, 1 = csrwr, else csrxchg */
#define LA_OP_CACOP	   0x18	 /* bits 31:22; code in bits 4:0 */
#define LA_CACOP_USER_OPS  2	 /* code 4:3 == 2 (hit operations) is allowed at PLV1..3 */
#define LA_CPUCFG1_MSGINT  (1u << 26)
#define LA_CPUCFG2_LVZ_ALL (0xfu << 10) /* LVZ and LVZVER */

uint64_t la_guest_vendor, la_guest_cpuname;

void la_gspr_decode(uint32_t insn, struct la_gspr_insn *out)
{
	uint32_t op22 = insn >> 10;

	out->kind = LA_GSPR_K_OTHER;
	out->rd = (uint8_t)(insn & 0x1f);
	out->rj = (uint8_t)((insn >> 5) & 0x1f);
	out->width = 0;
	out->write = false;
	out->num = 0;
	if (op22 == LA_OP_CPUCFG) {
		out->kind = LA_GSPR_K_CPUCFG;
	} else if (op22 >= LA_OP_IOCSR_LO && op22 <= LA_OP_IOCSR_HI) {
		out->kind = LA_GSPR_K_IOCSR;
		out->width = (uint8_t)(1u << (op22 & 3));
		out->write = (op22 & 4) != 0;
	} else if ((insn >> 15) == LA_OP_IDLE) {
		out->kind = LA_GSPR_K_IDLE;
	} else if ((insn >> 15) == LA_OP_DBCL) {
		out->kind = LA_GSPR_K_DBCL;
	} else if ((insn >> 24) == LA_OP_CSR) {
		out->kind = LA_GSPR_K_CSR;
		out->num = (uint16_t)((insn >> 10) & 0x3fff);
		out->write = out->rj != 0;
	} else if ((insn >> 22) == LA_OP_CACOP) {
		out->kind = LA_GSPR_K_CACOP;
		out->num = (uint16_t)(insn & 0x1f);
	}
}

uint32_t la_cpucfg_guest(uint64_t word)
{
	if (word == 1)
		return la_hw_cpucfg(1) & ~LA_CPUCFG1_MSGINT;
	if (word == 2)
		return la_fp_guest_cpucfg2(la_hw_cpucfg(2) & ~LA_CPUCFG2_LVZ_ALL);
	if (word <= 5 || (word >= 0x10 && word <= 0x14))
		return la_hw_cpucfg((uint32_t)word);
	return 0;
}

/* The CSRs guests may not own that a CPU may trap (LoongArch manual vol. 1 CSR table, and the LVZ
 * CSRs as Linux's KVM port numbers them): all read 0, writes are dropped. */
static bool la_gspr_csr_known(unsigned csr)
{
	return csr == 0x15 || csr == 0x16 ||	 /* GTLBC, TRGP */
	       (csr >= 0x50 && csr <= 0x55) ||	 /* GSTAT, GCFG, GINTC, GCNTC */
	       csr == 0x80 || csr == 0x81 ||	 /* IMPCTL1, IMPCTL2 */
	       (csr >= 0x90 && csr <= 0x95) ||	 /* MERRCTL .. MERRSAVE */
	       csr == 0x98 ||			 /* CTAG */
	       (csr >= 0x200 && csr <= 0x21f) || /* PMCFGn, PMCNTn */
	       (csr >= 0x300 && csr <= 0x3ff) || /* memory and fetch watchpoints */
	       (csr >= 0x500 && csr <= 0x502);	 /* DBG, DERA, DSAVE */
}

static void la_set_gpr(struct la_vcpu *v, unsigned r, uint64_t value)
{
	if (r)
		v->ctx.gpr[r] = value;
}

/* An exception the instruction earned: recorded in BADI, as the hardware records it. */
static enum la_gspr_result la_gspr_raise(struct la_vcpu *v, unsigned ecode, uint32_t insn)
{
	struct la_exception ex = { .ecode = (uint8_t)ecode, .has_badi = true, .badi = insn };

	return la_inject(v, &ex) ? LA_GSPR_DONE : LA_GSPR_STOP;
}

/* A read of an identification register (4 or 8 bytes, aligned): true with *data set. */
static bool la_iocsr_ident(uint64_t addr, unsigned width, bool write, uint64_t *data)
{
	uint64_t reg;

	if (write || (width != 4 && width != 8) || addr % width)
		return false;
	switch (addr & ~7ULL) {
	case LA_IOCSR_FEATURES:
		reg = LA_IOCSRF_CSRIPI | LA_IOCSRF_VM;
		break;
	case LA_IOCSR_VENDOR:
		reg = la_guest_vendor;
		break;
	case LA_IOCSR_CPUNAME:
		reg = la_guest_cpuname;
		break;
	default:
		return false;
	}
	*data = width == 8 ? reg : (uint32_t)(reg >> (8 * (addr & 7)));
	return true;
}

static enum la_gspr_result la_gspr_iocsr(struct la_vcpu *v, const struct la_gspr_insn *op,
					 uint32_t insn, struct vcpu_exit *exit)
{
	uint64_t addr = v->ctx.gpr[op->rj];
	uint64_t data = op->write ? v->ctx.gpr[op->rd] : 0;

	if (la_vipi_access(v, addr, op->width, op->write, &data, exit) ||
	    la_iocsr_ident(addr, op->width, op->write, &data)) {
		if (exit->kind == VCPU_EXIT_CPU_UP)
			return LA_GSPR_CPU_UP; /* the core starts it and completes the write */
		if (!op->write)
			la_set_gpr(v, op->rd, data);
		v->ctx.pc += 4;
		return LA_GSPR_DONE;
	}
	if (addr >= LA_IOCSR_LIMIT) {
		if (vm_log_allowed(v->vcpu->vm))
			hal_printf("loongarch64: vm %s vcpu %u: IOCSR address 0x%llx out of range: "
				   "IPE\n",
				   v->vcpu->vm->name, v->vcpu->id, (unsigned long long)addr);
		return la_gspr_raise(v, LA_EC_IPE, insn);
	}
	exit->kind = VCPU_EXIT_SYSREG;
	exit->sysreg.id = LA_SYSREG_IOCSR(addr);
	exit->sysreg.write = op->write;
	exit->sysreg.reg = op->rd;
	exit->sysreg.data = data;
	return LA_GSPR_IOCSR; /* the core completes it */
}

static void la_gspr_log(struct la_vcpu *v, const char *what, uint32_t insn)
{
	if (vm_log_allowed(v->vcpu->vm))
		hal_printf("loongarch64: vm %s vcpu %u: %s 0x%08x at pc 0x%llx\n",
			   v->vcpu->vm->name, v->vcpu->id, what, (unsigned)insn,
			   (unsigned long long)v->ctx.pc);
}

enum la_gspr_result la_gspr_emulate(struct la_vcpu *v, uint32_t insn, struct vcpu_exit *exit)
{
	struct la_gspr_insn op;
	bool user;

	exit->kind = VCPU_EXIT_NONE;
	la_gspr_decode(insn, &op);
	if (op.kind == LA_GSPR_K_CPUCFG) {
		la_set_gpr(v, op.rd, la_cpucfg_guest(v->ctx.gpr[op.rj]));
		v->ctx.pc += 4;
		return LA_GSPR_DONE;
	}
	if (op.kind == LA_GSPR_K_OTHER) {
		la_gspr_log(v, "GSPR exit on an instruction not emulated, INE for", insn);
		return la_gspr_raise(v, LA_EC_INE, insn);
	}
	user = (la_hw_gcsr_read(LA_GCSR_CRMD) & LA_CRMD_PLV_MASK) != 0;
	if (user && (op.kind != LA_GSPR_K_CACOP || op.num >> 3 != LA_CACOP_USER_OPS))
		return la_gspr_raise(v, LA_EC_IPE, insn);
	switch (op.kind) {
	case LA_GSPR_K_IOCSR:
		return la_gspr_iocsr(v, &op, insn, exit);
	case LA_GSPR_K_IDLE:
		exit->kind = VCPU_EXIT_HALT;
		return LA_GSPR_HALT;
	case LA_GSPR_K_DBCL:
		return la_gspr_raise(v, LA_EC_INE, insn);
	case LA_GSPR_K_CSR:
		if (!la_gspr_csr_known(op.num))
			la_gspr_log(v, "unknown CSR, read as 0, writes dropped:", insn);
		la_set_gpr(v, op.rd, 0);
		break;
	default: /* CACOP */
		break;
	}
	v->ctx.pc += 4;
	return LA_GSPR_DONE;
}
