// SPDX-License-Identifier: MIT
/*
 * Synchronous traps from the guest: the syndrome saved by guest.S becomes one of the core's exits
 * (decode.c, psci.c do the pure parts), and exceptions handed back to the guest are built here.
 */
#include <a64/decode.h>
#include <a64/psci.h>
#include <a64/sysreg.h>
#include <a64/vcpu.h>
#include <hal/hal.h>
#include <vm/vm.h>

/* Offsets in the guest's vector table (VBAR_EL1) of the synchronous entries. */
#define A64_VEC_CUR_SP0	 0x000u
#define A64_VEC_CUR_SPX	 0x200u
#define A64_VEC_LOW_A64	 0x400u
#define A64_VEC_LOW_A32	 0x600u
#define A64_PSTATE_A32	 PV_BIT(4)
#define A64_FSC_SYNC_EXT 0x10u
#define A64_PAR_F	 PV_BIT(0)

static void a64_inject(struct a64_vcpu *a, uint64_t esr, bool set_far)
{
	uint64_t pstate = a->pstate;
	unsigned offset;

	if (pstate & A64_PSTATE_A32)
		offset = A64_VEC_LOW_A32;
	else if ((pstate & 0xcu) == 0) /* EL0 */
		offset = A64_VEC_LOW_A64;
	else
		offset = (pstate & 1u) ? A64_VEC_CUR_SPX : A64_VEC_CUR_SP0;
	/* The guest's EL1 registers are live: its vCPU is the one loaded on this CPU. */
	a64_write_esr_el1(esr);
	if (set_far)
		a64_write_far_el1(a->far);
	a64_write_elr_el1(a->pc);
	a64_write_spsr_el1(pstate);
	a->pc = a64_read_vbar_el1() + offset;
	a->pstate = 0x3c5u; /* EL1h, D, A, I, F masked: how an exception enters EL1 */
	a->pc_step = 0;
	a->wb = false;
}

void a64_inject_abort(struct a64_vcpu *a, bool write, bool exec)
{
	bool same_el = !(a->pstate & A64_PSTATE_A32) && (a->pstate & 0xcu);
	unsigned ec = exec ? (same_el ? A64_EC_IABT_CUR : A64_EC_IABT_LOW)
			   : (same_el ? A64_EC_DABT_CUR : A64_EC_DABT_LOW);
	uint64_t iss = A64_FSC_SYNC_EXT | (!exec && write ? A64_DABT_WNR : 0);

	a64_inject(a, ((uint64_t)ec << 26) | ESR_IL | iss, true);
}

void a64_inject_undef(struct a64_vcpu *a)
{
	a64_inject(a, ESR_IL, false); /* EC 0: unknown reason */
}

/* Guest-physical address of the instruction at the guest's PC (its stage 1, if on, walked by AT
 * with the guest's own registers, which are live). */
static bool a64_pc_ipa(struct a64_vcpu *a, uint64_t *ipa)
{
	uint64_t saved, par;

	if (!(a64_read_sctlr_el1() & 1u)) {
		*ipa = a->pc;
		return true;
	}
	saved = a64_read_par_el1();
	__asm__ volatile("at s1e1r, %0\n\tisb" : : "r"(a->pc) : "memory");
	par = a64_read_par_el1();
	a64_write_par_el1(saved);
	if (par & A64_PAR_F)
		return false;
	*ipa = (par & PV_MASK(47, 12)) | (a->pc & 0xfffu);
	return true;
}

static void a64_trap_dabt(struct a64_vcpu *a, struct vcpu_exit *exit)
{
	uint64_t esr = a->esr, ipa = a64_abort_ipa(a->hpfar, a->far), pc_ipa;
	struct a64_writeback wb;
	uint32_t insn;

	a->pc_step = 4;
	/* Cache maintenance by address where the guest has no RAM: nothing to maintain. */
	if ((esr & A64_DABT_CM) && A64_FSC_TYPE(esr) == A64_FSC_TRANS) {
		exit->kind = VCPU_EXIT_NONE;
		a->pc += 4;
		a->pc_step = 0;
		return;
	}
	if (A64_FSC_TYPE(esr) == A64_FSC_TRANS && !(esr & A64_DABT_S1PTW)) {
		if (esr & A64_DABT_ISV) {
			a64_decode_dabt_isv(esr, ipa, a->x, exit);
			return;
		}
		if (a64_pc_ipa(a, &pc_ipa) &&
		    vm_read_guest(a->vcpu->vm, gpa(pc_ipa), &insn, sizeof(insn)) == PV_OK &&
		    a64_decode_ldst(insn, ipa, a->x, exit, &wb)) {
			a->wb = wb.valid;
			a->wb_reg = wb.reg;
			a->wb_value = wb.value;
			return;
		}
	}
	/* A walk of the guest's own tables outside its RAM, a pair or vector access, a permission
	 * or external fault: the core faults the guest (or stops it). */
	exit->kind = VCPU_EXIT_S2_FAULT;
	exit->fault.addr = gpa(ipa);
	exit->fault.access = (esr & A64_DABT_WNR) && !(esr & A64_DABT_S1PTW) ? VCPU_ACCESS_WRITE
									     : VCPU_ACCESS_READ;
	exit->fault.pc = a->pc;
}

/* A PSCI call through SMC or HVC; @step: bytes from the saved PC to the next instruction. */
static void a64_trap_psci(struct a64_vcpu *a, struct vcpu_exit *exit, uint8_t step)
{
	if (a64_psci_call(a->vcpu, a->x, exit)) {
		a->psci = true;
		a->pc_step = step;
		return;
	}
	exit->kind = VCPU_EXIT_NONE;
	a->pc += step;
}

void a64_vcpu_trap(struct a64_vcpu *a, struct vcpu_exit *exit)
{
	unsigned ec = ESR_EC(a->esr);

	a->psci = false;
	switch (ec) {
	case A64_EC_WFX:
		if (a->esr & 1u) { /* WFE: nothing to wait for that the guest cannot see */
			exit->kind = VCPU_EXIT_NONE;
			a->pc += 4;
		} else {
			exit->kind = VCPU_EXIT_HALT;
			a->pc_step = 4;
		}
		return;
	case A64_EC_HVC64: /* the saved PC is already past the HVC */
		a->pc_step = 0;
		if (a64_decode_hvc(a->x, exit))
			return;
		if (a64_psci_is_call((uint32_t)a->x[0])) {
			a64_trap_psci(a, exit, 0);
			return;
		}
		a->x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED; /* SMCCC: unknown function */
		exit->kind = VCPU_EXIT_NONE;
		return;
	case A64_EC_SMC64: /* the saved PC is the SMC itself */
		if (a64_psci_is_call((uint32_t)a->x[0])) {
			a64_trap_psci(a, exit, 4);
			return;
		}
		a->x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		a->pc += 4;
		exit->kind = VCPU_EXIT_NONE;
		return;
	case A64_EC_SYSREG:
		a64_decode_sysreg(a->esr, a->x, exit);
		a->pc_step = 4;
		return;
	case A64_EC_DABT_LOW:
		a64_trap_dabt(a, exit);
		return;
	case A64_EC_IABT_LOW:
		exit->kind = VCPU_EXIT_S2_FAULT;
		exit->fault.addr = gpa(a64_abort_ipa(a->hpfar, a->far));
		exit->fault.access = VCPU_ACCESS_EXEC;
		exit->fault.pc = a->pc;
		return;
	default:
		/* Nothing else is trapped on purpose; what the guest did is undefined to it. */
		hal_printf("vm %s: vcpu %u: unexpected trap (ESR 0x%llx) at pc 0x%llx: undefined "
			   "instruction injected\n",
			   a->vcpu->vm->name, a->vcpu->id, (unsigned long long)a->esr,
			   (unsigned long long)a->pc);
		a64_inject_undef(a);
		exit->kind = VCPU_EXIT_NONE;
		return;
	}
}
