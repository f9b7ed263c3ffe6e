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

#define A64_FSC_SYNC_EXT 0x10u
#define A64_PAR_F	 PV_BIT(0)

/*
 * Enters the guest's EL1 vectors with syndrome @esr. Refused (false, nothing changed, one log
 * line) when the faulting instruction is the vector entry itself: its own exception would lead
 * there again, forever (the vector table is not in the guest's RAM, or its first instruction
 * faults). The caller then stops the VM.
 */
static bool a64_inject(struct a64_vcpu *a, uint64_t esr, bool set_far)
{
	uint64_t pstate = a->pstate, vector = a64_sync_vector(a64_read_vbar_el1(), pstate);

	if (vector == a->pc) {
		hal_printf("vm %s: vcpu %u: exception vector 0x%llx faults itself (ESR 0x%llx): "
			   "the guest cannot take it\n",
			   a->vcpu->vm->name, a->vcpu->id, (unsigned long long)vector,
			   (unsigned long long)esr);
		return false;
	}
	/* The guest's EL1 registers are live: its vCPU is the one loaded on this CPU. */
	a64_write_esr_el1(esr);
	if (set_far)
		a64_write_far_el1(a->far);
	a64_write_elr_el1(a->pc);
	a64_write_spsr_el1(pstate);
	a->pc = vector;
	a->pstate = 0x3c5u; /* EL1h, D, A, I, F masked: how an exception enters EL1 */
	a->pc_step = 0;
	a->wb = false;
	return true;
}

bool a64_inject_abort(struct a64_vcpu *a, bool write, bool exec)
{
	bool same_el = !(a->pstate & A64_PSTATE_NRW) && (a->pstate & 0xcu);
	unsigned ec = exec ? (same_el ? A64_EC_IABT_CUR : A64_EC_IABT_LOW)
			   : (same_el ? A64_EC_DABT_CUR : A64_EC_DABT_LOW);
	uint64_t iss = A64_FSC_SYNC_EXT | (!exec && write ? A64_DABT_WNR : 0);

	return a64_inject(a, ((uint64_t)ec << 26) | ESR_IL | iss, true);
}

bool a64_inject_undef(struct a64_vcpu *a)
{
	return a64_inject(a, ESR_IL, false); /* EC 0: unknown reason */
}

bool a64_inject_sync(struct a64_vcpu *a, uint64_t esr)
{
	return a64_inject(a, esr, false);
}

/* Guest-physical address of the instruction at the guest's PC (its stage 1, if on, walked by AT
 * with the guest's own registers, which are live). */
static bool a64_pc_ipa(const struct a64_vcpu *a, uint64_t *ipa)
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

void a64_trap_inject(struct a64_vcpu *a, struct vcpu_exit *exit, uint64_t esr)
{
	exit->kind = VCPU_EXIT_NONE;
	if (!a64_inject_sync(a, esr))
		vm_stop(a->vcpu->vm, -PV_EFAULT, "its exception vector faults");
}

/* a64_fetch_fn of a loaded vCPU: the instruction at its PC, from its RAM. */
static bool a64_fetch_pc(void *ctx, uint32_t *insn)
{
	const struct a64_vcpu *a = ctx;
	uint64_t ipa;

	return a64_pc_ipa(a, &ipa) &&
	       vm_read_guest(a->vcpu->vm, gpa(ipa), insn, sizeof(*insn)) == PV_OK;
}

static void a64_trap_dabt(struct a64_vcpu *a, struct vcpu_exit *exit)
{
	const struct a64_dabt ab = { .esr = a->esr,
				     .ipa = a64_abort_ipa(a->hpfar, a->far),
				     .pc = a->pc,
				     .pstate = a->pstate,
				     .x = a->x };
	struct a64_writeback wb;
	uint8_t len = a64_insn_len(a->esr);

	switch (a64_decode_dabt(&ab, a64_fetch_pc, a, exit, &wb)) {
	case A64_DABT_MMIO:
		a->pc_step = len;
		a->wb = wb.valid;
		a->wb_reg = wb.reg;
		a->wb_value = wb.value;
		return;
	case A64_DABT_SKIP:
		exit->kind = VCPU_EXIT_NONE;
		a->pc += len;
		return;
	case A64_DABT_FAULT:
		return;
	}
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
			a->pc += a64_insn_len(a->esr);
		} else {
			exit->kind = VCPU_EXIT_HALT;
			a->pc_step = a64_insn_len(a->esr);
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
			a64_trap_psci(a, exit, a64_insn_len(a->esr));
			return;
		}
		a->x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		a->pc += a64_insn_len(a->esr);
		exit->kind = VCPU_EXIT_NONE;
		return;
	case A64_EC_SYSREG:
		a64_trap_sysreg(a, exit);
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
	case A64_EC_PAC:
	case A64_EC_SVE:
	case A64_EC_SME:
		/* Features the guest's identification registers hide: undefined, as without them. */
		a64_trap_inject(a, exit, ESR_IL);
		return;
	default:
		/* Nothing else is trapped on purpose; what the guest did is undefined to it. Said,
		 * but rate-limited: a guest must not flood the console. */
		if (vm_log_allowed(a->vcpu->vm))
			hal_printf("vm %s: vcpu %u: unexpected trap (ESR 0x%llx) at pc 0x%llx: "
				   "undefined instruction injected\n",
				   a->vcpu->vm->name, a->vcpu->id, (unsigned long long)a->esr,
				   (unsigned long long)a->pc);
		a64_trap_inject(a, exit, ESR_IL); /* EC 0: unknown reason */
		return;
	}
}
