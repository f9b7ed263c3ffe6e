// SPDX-License-Identifier: MIT
/*
 * The CPU state a guest sees, per docs/aarch64.md ("Clean per-VM CPU state"): what is switched
 * when another vCPU is loaded on the CPU (EL1 registers, virtual timer, FP/SIMD, the virtual CPU
 * interface), what traps and is emulated per vCPU (identification, debug and auxiliary registers:
 * sysreg_emul.c), and what is hidden and trapped (PMU, SVE, SME, pointer authentication, MTE,
 * AMU, trace, statistical profiling, RAS error records, LORegions, IMPLEMENTATION DEFINED
 * registers). The EL2 trap configuration follows from the boot CPU's identification registers.
 */
#include <a64/decode.h>
#include <a64/sysreg.h>
#include <a64/sysreg_emul.h>
#include <a64/vcpu.h>
#include <a64/vgic_hw.h>
#include <hal/hal.h>
#include <vm/vm.h>

struct a64_vcpu *a64_loaded[CONFIG_MAX_CPUS];
uint64_t a64_hcr_guest = A64_HCR_HOST | HCR_VM | HCR_TWI;
unsigned a64_ich_ap_regs = 1;
static struct a64_el2_traps a64_traps;
static struct a64_id_view a64_ids;

#define A64_ID_READ(crm, op2)                                                                      \
	case (crm) * 8 + (op2):                                                                    \
		__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v));                     \
		break;
#define A64_ID_READ_ROW(crm)                                                                       \
	A64_ID_READ(crm, 0)                                                                        \
	A64_ID_READ(crm, 1)                                                                        \
	A64_ID_READ(crm, 2)                                                                        \
	A64_ID_READ(crm, 3)                                                                        \
	A64_ID_READ(crm, 4)                                                                        \
	A64_ID_READ(crm, 5)                                                                        \
	A64_ID_READ(crm, 6)                                                                        \
	A64_ID_READ(crm, 7)

/* Identification register op0 3, op1 0, CRn 0, CRm @crm (1..7), op2 @op2: unallocated ones RAZ. */
static uint64_t a64_read_id(unsigned crm, unsigned op2)
{
	uint64_t v = 0;

	switch (crm * 8 + op2) {
		A64_ID_READ_ROW(1)
		A64_ID_READ_ROW(2)
		A64_ID_READ_ROW(3)
		A64_ID_READ_ROW(4)
		A64_ID_READ_ROW(5)
		A64_ID_READ_ROW(6)
		A64_ID_READ_ROW(7)
	default:
		break;
	}
	return v;
}

void a64_state_probe(unsigned ipa_bits)
{
	struct a64_hw_ids hw = { 0 };
	unsigned pmuver;

	for (unsigned crm = 1; crm <= 7; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			hw.id[crm - 1][op2] = a64_read_id(crm, op2);
	pmuver = A64_ID_FIELD(A64_IDREG(&hw, 5, 0), A64_DFR0_PMUVER);
	if (pmuver != 0 && pmuver != 0xf) /* PMCR_EL0.N */
		hw.pmu_counters = (unsigned)(a64_read_pmcr_el0() >> 11) & 0x1fu;
	a64_el2_traps_init(&a64_traps, &hw);
	a64_id_view_init(&a64_ids, &hw, ipa_bits);
	a64_hcr_guest = A64_HCR_HOST | HCR_VM | HCR_TWI | a64_traps.hcr;
}

/* Nothing counts and no debug event fires while guests run: they reach neither. */
static void a64_state_quiesce(void)
{
	if (a64_traps.pmu) {
		__asm__ volatile("msr pmcr_el0, %0\n\t" /* E = 0, counters reset (P, C) */
				 "msr pmcntenclr_el0, %1\n\t"
				 "msr pmintenclr_el1, %1\n\t"
				 "msr pmovsclr_el0, %1\n\t"
				 "msr pmuserenr_el0, xzr\n\t" /* EL0 accesses go to the guest */
				 "msr pmselr_el0, xzr\n\t"
				 "msr pmccfiltr_el0, xzr" /* NSH = 0: no cycles at EL2 */
				 :
				 : "r"(6ULL), "r"(~0ULL)
				 : "memory");
	}
	a64_write_mdscr_el1(0); /* no breakpoint, watchpoint or step from the hardware's copy */
	if (a64_traps.vdisr)
		a64_write_vsesr_el2(0);
}

void a64_state_cpu_enable(void)
{
	a64_write_mdcr_el2(a64_traps.mdcr);
	a64_write_cptr_el2(a64_traps.cptr);
	a64_write_vpidr_el2(a64_read_midr_el1());
	a64_state_quiesce();
}

void a64_trap_sysreg(struct a64_vcpu *a, struct vcpu_exit *exit)
{
	bool el0 = (a->pstate & 0xcu) == 0;
	uint64_t value;

	a64_decode_sysreg(a->esr, a->x, exit);
	a->pc_step = a64_insn_len(a->esr);
	value = exit->sysreg.data;
	switch (a64_sysreg_emulate(&a->dbg, &a64_ids, exit->sysreg.id, exit->sysreg.write, el0,
				   &value)) {
	case A64_SR_CORE:
		return; /* the core's devices, or its undefined instruction */
	case A64_SR_DONE:
		if (!exit->sysreg.write && exit->sysreg.reg < 31)
			a->x[exit->sysreg.reg] = value;
		a->pc += a->pc_step;
		break;
	case A64_SR_UNDEF:
		a64_trap_inject(a, exit, ESR_IL);
		break;
	case A64_SR_EL1:
		/* The same trap, taken to the guest's EL1 as MDSCR_EL1.TDCC would have. */
		a64_trap_inject(a, exit, a->esr);
		break;
	}
	a->pc_step = 0;
	exit->kind = VCPU_EXIT_NONE;
}

static void a64_el1_save(struct a64_el1_state *s)
{
	s->sctlr = a64_read_sctlr_el1();
	s->ttbr0 = a64_read_ttbr0_el1();
	s->ttbr1 = a64_read_ttbr1_el1();
	s->tcr = a64_read_tcr_el1();
	s->mair = a64_read_mair_el1();
	s->amair = a64_read_amair_el1();
	s->vbar = a64_read_vbar_el1();
	s->contextidr = a64_read_contextidr_el1();
	s->tpidr_el0 = a64_read_tpidr_el0();
	s->tpidrro_el0 = a64_read_tpidrro_el0();
	s->tpidr_el1 = a64_read_tpidr_el1();
	s->cpacr = a64_read_cpacr_el1();
	s->esr = a64_read_esr_el1();
	s->far = a64_read_far_el1();
	s->afsr0 = a64_read_afsr0_el1();
	s->afsr1 = a64_read_afsr1_el1();
	s->par = a64_read_par_el1();
	s->cntkctl = a64_read_cntkctl_el1();
	s->csselr = a64_read_csselr_el1();
	s->sp_el0 = a64_read_sp_el0();
	s->sp_el1 = a64_read_sp_el1();
	s->elr = a64_read_elr_el1();
	s->spsr = a64_read_spsr_el1();
	s->cntv_ctl = a64_read_cntv_ctl_el0();
	s->cntv_cval = a64_read_cntv_cval_el0();
	if (a64_traps.tpidr2)
		s->tpidr2 = a64_read_tpidr2_el0();
	if (a64_traps.vdisr)
		s->vdisr = a64_read_vdisr_el2();
}

static void a64_el1_restore(const struct a64_el1_state *s)
{
	a64_write_sctlr_el1(s->sctlr);
	a64_write_ttbr0_el1(s->ttbr0);
	a64_write_ttbr1_el1(s->ttbr1);
	a64_write_tcr_el1(s->tcr);
	a64_write_mair_el1(s->mair);
	a64_write_amair_el1(s->amair);
	a64_write_vbar_el1(s->vbar);
	a64_write_contextidr_el1(s->contextidr);
	a64_write_tpidr_el0(s->tpidr_el0);
	a64_write_tpidrro_el0(s->tpidrro_el0);
	a64_write_tpidr_el1(s->tpidr_el1);
	a64_write_cpacr_el1(s->cpacr);
	a64_write_esr_el1(s->esr);
	a64_write_far_el1(s->far);
	a64_write_afsr0_el1(s->afsr0);
	a64_write_afsr1_el1(s->afsr1);
	a64_write_par_el1(s->par);
	a64_write_cntkctl_el1(s->cntkctl);
	a64_write_csselr_el1(s->csselr);
	a64_write_sp_el0(s->sp_el0);
	a64_write_sp_el1(s->sp_el1);
	a64_write_elr_el1(s->elr);
	a64_write_spsr_el1(s->spsr);
	a64_write_cntv_cval_el0(s->cntv_cval);
	a64_write_cntv_ctl_el0(s->cntv_ctl);
	if (a64_traps.tpidr2)
		a64_write_tpidr2_el0(s->tpidr2);
	if (a64_traps.vdisr)
		a64_write_vdisr_el2(s->vdisr);
}

/* Takes @a's state off the CPU; its timer must not fire for a vCPU that is not there. */
static void a64_vcpu_put(struct a64_vcpu *a)
{
	a64_el1_save(&a->el1);
	a64_write_cntv_ctl_el0(0);
	a64_fp_save(&a->fp);
	a64_vgic_put(a);
}

/*
 * One virtual counter per VM, reading zero at the boot vCPU's first instruction, as a machine's
 * counter does at reset: guests (and the boot benchmark) read their own uptime from it. The boot
 * vCPU fixes the offset when it first loads; the others start later, at the guest's request.
 */
static uint64_t a64_vm_cntvoff(struct a64_vcpu *a)
{
	struct a64_vcpu *boot = a->vcpu->vm->vcpus[0].arch;

	if (!__atomic_load_n(&boot->counter_started, __ATOMIC_ACQUIRE) && a == boot) {
		boot->cntvoff = a64_read_cntpct();
		__atomic_store_n(&boot->counter_started, true, __ATOMIC_RELEASE);
	}
	return boot->cntvoff;
}

void a64_vcpu_load(struct a64_vcpu *a, unsigned cpu)
{
	struct a64_vcpu *old = a64_loaded[cpu];

	if (old && old != a)
		a64_vcpu_put(old);
	a->cntvoff = a64_vm_cntvoff(a);
	__atomic_store_n(&a->reload, false, __ATOMIC_RELAXED);
	a64_write_vttbr_el2(a->vttbr);
	a64_write_vmpidr_el2(a->vmpidr);
	a64_write_cntvoff_el2(a->cntvoff);
	a64_el1_restore(&a->el1);
	a64_fp_restore(&a->fp);
	a64_vgic_load(a);
	a64_write_hcr_el2(a64_hcr_guest);
	a64_isb();
	a64_loaded[cpu] = a;
}

void a64_vcpu_unload(struct a64_vcpu *a, unsigned cpu)
{
	if (a64_loaded[cpu] != a)
		return;
	a64_vcpu_put(a);
	a64_loaded[cpu] = NULL;
}
