// SPDX-License-Identifier: MIT
/*
 * Exit decoding: the root ESTAT code of an exception taken from guest mode, with BADV (the GPA of
 * page exceptions) and BADI (the guest instruction), turned into the core's exit or into work the
 * backend does itself. Codes (la_vcpu.h) as in the LoongArch Reference Manual vol. 1 (Ecode table)
 * and the LVZ additions GSPR 0x16, HVC 0x17, GCM 0x18.
 */
#include "la_vcpu.h"

static void la_fault(struct vcpu_exit *exit, struct la_vcpu *v, uint64_t addr, uint8_t access)
{
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(addr);
	exit->fault.access = access;
	exit->fault.pc = v->ctx.pc;
}

/* A load or store the guest aimed at a GPA with no RAM behind it: a device access, or a fault
 * when the instruction is not a plain load or store. */
static void la_decode_data(struct la_vcpu *v, const struct la_exit_info *info, bool store,
			   struct vcpu_exit *exit)
{
	struct la_ldst op;

	if (!la_ldst_decode(info->badi, &op) || op.store != store) {
		la_fault(exit, v, info->badv, store ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ);
		return;
	}
	exit->kind = VCPU_EXIT_MMIO;
	exit->mmio.addr = gpa(info->badv);
	exit->mmio.width = op.width;
	exit->mmio.write = op.store;
	exit->mmio.sign_extend = op.sign_extend;
	exit->mmio.reg = op.rd;
	exit->mmio.reg_width = 8;
	exit->mmio.data = op.store ? v->ctx.gpr[op.rd] : 0;
}

static void la_decode_hvc(struct la_vcpu *v, struct vcpu_exit *exit)
{
	/* docs/hypercalls.md: a7 = number, a0..a5 = arguments (r11, r4..r9). */
	exit->kind = VCPU_EXIT_HYPERCALL;
	exit->hcall.nr = v->ctx.gpr[11];
	for (unsigned i = 0; i < VCPU_HCALL_ARGS; i++)
		exit->hcall.args[i] = v->ctx.gpr[4 + i];
}

enum la_action la_exit_decode(struct la_vcpu *v, const struct la_exit_info *info,
			      struct vcpu_exit *exit)
{
	unsigned ecode = (unsigned)(info->estat >> 16) & 0x3f;
	unsigned esub = (unsigned)(info->estat >> 22) & 0x1ff;
	struct la_ldst op;

	exit->kind = VCPU_EXIT_NONE;
	if (info->entry == LA_ENTRY_REFILL)
		return LA_ACT_REFILL;
	switch (ecode) {
	case LA_EC_INT:
		exit->kind = VCPU_EXIT_IRQ;
		return LA_ACT_HOST_IRQ;
	case LA_EC_PIL:
	case LA_EC_PIS:
		la_decode_data(v, info, ecode == LA_EC_PIS, exit);
		return LA_ACT_CORE;
	case LA_EC_PIF:
	case LA_EC_PNX:
		la_fault(exit, v, info->badv, VCPU_ACCESS_EXEC);
		return LA_ACT_CORE;
	case LA_EC_PME:
		la_fault(exit, v, info->badv, VCPU_ACCESS_WRITE);
		return LA_ACT_CORE;
	case LA_EC_PNR:
	case LA_EC_PPI:
		la_fault(exit, v, info->badv, VCPU_ACCESS_READ);
		return LA_ACT_CORE;
	case LA_EC_ADE:
		/* A GPA beyond what the second stage translates. */
		if (esub == 0)
			la_fault(exit, v, info->badv, VCPU_ACCESS_EXEC);
		else
			la_fault(exit, v, info->badv,
				 la_ldst_decode(info->badi, &op) && op.store ? VCPU_ACCESS_WRITE
									     : VCPU_ACCESS_READ);
		return LA_ACT_CORE;
	case LA_EC_GSPR:
		switch (la_gspr_emulate(v, info->badi, exit)) {
		case LA_GSPR_DONE:
			return LA_ACT_EMULATED;
		case LA_GSPR_HALT:
		case LA_GSPR_IOCSR:
		case LA_GSPR_CPU_UP:
			return LA_ACT_CORE;
		case LA_GSPR_STOP:
			break;
		}
		return LA_ACT_GUEST_BUG;
	case LA_EC_FPD:
	case LA_EC_SXD:
	case LA_EC_ASXD:
	case LA_EC_BTD: {
		/* A unit the root keeps off for guests (LBT always; FP / vector units la_fp.c does
		 * not switch): hidden from them, so the guest gets what a CPU without it raises. */
		struct la_exception ex = { .ecode = LA_EC_INE,
					   .has_badi = true,
					   .badi = info->badi };

		return la_inject(v, &ex) ? LA_ACT_EMULATED : LA_ACT_GUEST_BUG;
	}
	case LA_EC_HVC:
		la_decode_hvc(v, exit);
		return LA_ACT_CORE;
	default:
		/* Everything else is the guest's own exception and never reaches the root; GCM is
		 * only raised for CSR traps this backend does not enable. */
		return LA_ACT_GUEST_BUG;
	}
}
