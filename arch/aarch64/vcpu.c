// SPDX-License-Identifier: MIT
/*
 * EL2 virtualization support: what the CPU offers (probe), the per-CPU EL2 state every guest
 * relies on (cpu_enable), and the vCPU operations: an AArch64 EL1 guest under stage 2, its state
 * switched lazily (a64/vcpu.h), its traps decoded into the core's exits (a64_vcpu_trap in
 * trap.c), its results written back (complete) and faults handed back to it (inject_fault).
 */
#include <a64/backend.h>
#include <a64/cpu.h>
#include <a64/decode.h>
#include <a64/gic.h>
#include <a64/psci.h>
#include <a64/sysreg.h>
#include <a64/vcpu.h>
#include <a64/vgic_hw.h>
#include <hal/hal.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/exit_step.h>
#include <vm/hypercall.h>
#include <vm/vm.h>

#include "s2_armv8.h"

/* SCTLR_EL1 at reset as a kernel expects it: MMU and caches off, RES1 bits set. */
#define A64_SCTLR_EL1_RESET 0x30d00800ULL
/* PSTATE at a kernel's entry: EL1h with D, A, I and F masked. */
#define A64_PSTATE_EL1H_MASKED 0x3c5ULL

static uint64_t a64_vtcr;

/* The virtual CPU interface's list registers; also notes its active-priority registers: one
 * ICH_AP<g>R<n>_EL2 per 32 preemption levels. */
static unsigned a64_ich_probe(void)
{
	uint64_t vtr = a64_read_ich_vtr_el2();
	unsigned prebits = ((unsigned)(vtr >> 26) & 7u) + 1u;

	a64_ich_ap_regs = prebits > 5 ? 1u << (prebits - 5) : 1u;
	return ICH_VTR_LISTREGS(vtr);
}

static void a64_probe(struct vcpu_hw_info *info)
{
	unsigned el = a64_current_el();
	unsigned parange, gic, vmid_bits;
	char gic_desc[48];

	if (el != 2) {
		info->supported = false;
		pv_snprintf(info->summary, sizeof(info->summary), "running at EL%u, not EL2", el);
		return;
	}

	parange = a64_id_field(a64_read_id_aa64mmfr0_el1(), ID_AA64MMFR0_PARANGE_SHIFT);
	vmid_bits = 8;
	if (a64_id_field(a64_read_id_aa64mmfr1_el1(), ID_AA64MMFR1_VMIDBITS_SHIFT) == 2)
		vmid_bits = 16;
	gic = a64_id_field(a64_read_id_aa64pfr0_el1(), ID_AA64PFR0_GIC_SHIFT);
	if (!gic)
		pv_snprintf(gic_desc, sizeof(gic_desc), "no GICv3 CPU interface");
	else if (!a64_gic_sysreg)
		pv_snprintf(gic_desc, sizeof(gic_desc), "GICv3 system registers disabled");
	else
		pv_snprintf(gic_desc, sizeof(gic_desc), "%s vCPU interface with %u list registers",
			    gic >= 3 ? "GICv4.1" : "GICv3", a64_ich_probe());

	/* Guests need the virtual CPU interface (their interrupts) and a 40-bit stage 2. */
	a64_vtcr = s2_armv8_vtcr(&s2_format_armv8_40, a64_parange_bits(parange));
	a64_state_probe(40);
	info->supported = gic && a64_gic_sysreg && a64_vtcr;
	pv_snprintf(info->summary, sizeof(info->summary), "EL2 present, %s, %u-bit PA, %u-bit VMID",
		    gic_desc, a64_parange_bits(parange), vmid_bits);
}

static int a64_cpu_enable(void)
{
	uint64_t hcr;
	int err;

	if (a64_current_el() != 2) {
		hal_printf("cpu %u: not at EL2\n", a64_cpu_index());
		return -PV_ENOTSUP;
	}
	a64_write_vbar_el2((uintptr_t)a64_el2_vectors);
	err = a64_gic_cpu_init();
	if (err)
		return err;
	a64_write_vttbr_el2(0);
	a64_write_vtcr_el2(a64_vtcr);
	a64_write_cntvoff_el2(0);
	a64_write_cnthctl_el2(CNTHCTL_EL1PCTEN);
	a64_state_cpu_enable();
	a64_write_ich_hcr_el2(0); /* virtual CPU interface off until a vCPU loads it */
	a64_write_hcr_el2(A64_HCR_HOST);
	a64_isb();

	hcr = a64_read_hcr_el2();
	if ((hcr & A64_HCR_HOST) != A64_HCR_HOST) {
		hal_printf("cpu %u: HCR_EL2 reads 0x%llx after writing 0x%llx\n", a64_cpu_index(),
			   (unsigned long long)hcr, (unsigned long long)A64_HCR_HOST);
		return -PV_ENOTSUP;
	}
	return PV_OK;
}

/* Back to what a CPU with no guest needs: no traps, no stage 2, EL1 still AArch64. */
static void a64_cpu_disable(void)
{
	if (a64_gic_sysreg)
		a64_write_ich_hcr_el2(0);
	a64_write_hcr_el2(HCR_RW);
	a64_write_vttbr_el2(0);
	a64_isb();
}

static unsigned a64_vcpu_order(void)
{
	unsigned order = 0;

	while ((HAL_PAGE_SIZE << order) < sizeof(struct a64_vcpu))
		order++;
	return order;
}

/* The vCPU's state as at power-on, in its frame @frame. */
static void a64_vcpu_fresh(struct a64_vcpu *a, struct vcpu *vcpu, hpa_t frame)
{
	memset(a, 0, sizeof(*a));
	a->frame = frame;
	a->vcpu = vcpu;
	/* MPIDR bit 31 is RES1; the affinity fields are the guest's own numbering. */
	a->vmpidr = (vcpu->guest_cpu_id & 0xff00ffffffULL) | PV_BIT(31);
	a->el1.sctlr = A64_SCTLR_EL1_RESET;
	a64_dbg_reset(&a->dbg);
	a->pstate = A64_PSTATE_EL1H_MASKED;
}

static int a64_vcpu_create(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;
	struct a64_vcpu *a;
	hpa_t frame;
	int err = page_pool_alloc(vm->pool, a64_vcpu_order(), &frame);

	if (err)
		return err;
	a = page_pool_virt(vm->pool, frame);
	a64_vcpu_fresh(a, vcpu, frame);
	vcpu->arch = a;
	return PV_OK;
}

static void a64_vcpu_destroy(struct vcpu *vcpu)
{
	struct a64_vcpu *a = vcpu->arch;

	if (!a)
		return;
	for (unsigned i = 0; i < CONFIG_MAX_CPUS; i++)
		if (a64_loaded[i] == a)
			a64_loaded[i] = NULL;
	(void)page_pool_free(vcpu->vm->pool, a->frame, a64_vcpu_order());
	vcpu->arch = NULL;
}

static void a64_vcpu_set_entry(struct vcpu *vcpu, gpa_t entry, uint64_t arg)
{
	struct a64_vcpu *a = vcpu->arch;

	memset(a->x, 0, sizeof(a->x));
	a->x[0] = arg;
	a->pc = entry.raw;
	a->pstate = A64_PSTATE_EL1H_MASKED;
	memset(&a->el1, 0, sizeof(a->el1));
	a->el1.sctlr = A64_SCTLR_EL1_RESET;
	a64_dbg_reset(&a->dbg);
	memset(&a->fp, 0, sizeof(a->fp));
	a->pc_step = 0;
	a->wb = false;
	/* The CPU that last ran this vCPU may still hold its old state: make run() load anew. */
	__atomic_store_n(&a->reload, true, __ATOMIC_RELEASE);
}

/*
 * A VM restart: the vCPU as create() and attach_s2() left it. Its state may still be in this CPU
 * (lazy switching): the virtual timer is stopped and the list registers emptied before the CPU
 * forgets it, so nothing of the old guest fires or is saved back later. This CPU's TLB entries of
 * the VMID go (the old guest's stage-1 translations would outlive its page tables), and so do
 * instruction caches: the guest's images are about to be written again at the same addresses.
 */
static void a64_vcpu_reset(struct vcpu *vcpu)
{
	struct a64_vcpu *a = vcpu->arch;
	hpa_t frame = a->frame;
	uint64_t vttbr = a->vttbr, saved;

	a64_vcpu_unload(a, a64_cpu_index());
	a64_vcpu_fresh(a, vcpu, frame);
	a->vttbr = vttbr;
	a64_vgic_cpu_reset(&a->vgic, ICH_VTR_LISTREGS(a64_read_ich_vtr_el2()));
	a->reload = true;
	/* TLBI acts on the VMID in VTTBR_EL2: this VM's for the moment, then back to whatever
	 * another VM's vCPU loaded on this CPU expects. */
	saved = a64_read_vttbr_el2();
	a64_write_vttbr_el2(vttbr);
	__asm__ volatile("isb\n\t"
			 "tlbi vmalls12e1\n\t"
			 "dsb nsh\n\t"
			 "ic ialluis\n\t"
			 "dsb ish\n\t"
			 "isb"
			 :
			 :
			 : "memory");
	a64_write_vttbr_el2(saved);
	a64_isb();
}

static void a64_vcpu_attach_s2(struct vcpu *vcpu, struct s2_space *space)
{
	struct a64_vcpu *a = vcpu->arch;
	uint64_t vmid = space->vmid;

	if (!(a64_vtcr & VTCR_VS))
		vmid &= 0xffu;
	a->vttbr = space->root.raw | (vmid << VTTBR_VMID_SHIFT);
}

/* Registers a64_guest_sync leaves in the CPU (callee-saved under the C ABI): x20-x28. */
static bool a64_reg_in_cpu(unsigned n)
{
	return n - 20u <= 8u;
}

/* complete() of a hypercall: SMCCC results in x0 and x1. */
static inline void a64_complete_hcall(struct a64_vcpu *a, const struct vcpu_exit *exit)
{
	a->x[0] = (uint64_t)exit->hcall.ret;
	a->x[1] = exit->hcall.value;
}

/*
 * The emulated accesses a64_guest_sync takes: what a64_vcpu_trap would decode from the syndrome
 * alone (a data abort with a valid syndrome on an address with no stage-2 mapping, a trapped
 * MRS/MSR), unless the transfer register is one a64_guest_sync leaves in the CPU. false, with
 * nothing changed, for anything else.
 */
static bool a64_fast_access(struct a64_vcpu *a, uint64_t esr, unsigned ec, struct vcpu_exit *exit)
{
	uint64_t far, hpfar;

	if (ec == A64_EC_DABT_LOW) {
		if ((esr & (A64_DABT_ISV | A64_DABT_S1PTW | A64_DABT_CM)) != A64_DABT_ISV ||
		    A64_FSC_TYPE(esr) != A64_FSC_TRANS || a64_reg_in_cpu((esr >> 16) & 31u))
			return false;
		far = a64_read_far_el2();
		hpfar = a64_read_hpfar_el2();
		a->esr = esr;
		a->far = far; /* a64_inject_abort reports it if no device serves the access */
		a->hpfar = hpfar;
		a64_decode_dabt_isv(esr, a64_abort_ipa(hpfar, far), a->x, exit);
		return true;
	}
	/* Of the trapped system registers only the GIC's (CRn 12: ICC_SGI1R_EL1...) are the core's;
	 * the others are emulated by a64_vcpu_trap. */
	if (ec == A64_EC_SYSREG && ((esr >> 10) & 15u) == 12 && !a64_reg_in_cpu((esr >> 5) & 31u)) {
		a->esr = esr;
		a64_decode_sysreg(esr, a->x, exit);
		return true;
	}
	return false;
}

/* complete() of an emulated load or store: the loaded value, the base register's writeback, the
 * PC past the instruction. */
static inline void a64_complete_mmio(struct a64_vcpu *a, const struct vcpu_exit *exit)
{
	if (!exit->mmio.write && exit->mmio.reg < 31)
		a->x[exit->mmio.reg] = exit->mmio.data;
	if (a->wb) {
		a->x[a->wb_reg] = a->wb_value;
		a->wb = false;
	}
	a->pc += a->pc_step;
	a->pc_step = 0;
}

/* vcpu_ops.complete for vm_exit_step, inline for its two kinds. A hypercall's results need no PC
 * to advance: the HVC's saved PC is already past it, and the PC stays in ELR_EL2. */
static void a64_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit);
static inline void a64_exit_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	if (exit->kind == VCPU_EXIT_HYPERCALL)
		a64_complete_hcall(vcpu->arch, exit);
	else if (exit->kind == VCPU_EXIT_MMIO)
		a64_complete_mmio(vcpu->arch, exit);
	else
		a64_vcpu_complete(vcpu, exit);
}

/* The vGIC's read-back and flush for vm_exit_step, behind their own early checks: an exit with no
 * interrupt to move costs no call. */
static inline void a64_exit_virq_sync(struct vcpu *vcpu)
{
	if (a64_vgic_sync_needed(&((struct a64_vcpu *)vcpu->arch)->vgic))
		a64_vgic_sync(vcpu);
}

static inline void a64_exit_virq_flush(struct vcpu *vcpu)
{
	if (a64_vgic_flush_needed(&((struct a64_vcpu *)vcpu->arch)->vgic))
		a64_vgic_flush(vcpu);
}

/*
 * The short way through an exit (vectors.S, guest.S): hypercalls and emulated accesses decoded
 * from the syndrome go through the core's vm_exit_step right here, and the guest is entered again
 * without returning to the run loop. vm_run_vcpu sees every other exit: interrupts (kicks,
 * timers, a stop request from another CPU), WFI, PSCI, faults, anything decoded from the
 * instruction, and an exit after which the vCPU may not go on (a->handled: run() returns a
 * VCPU_EXIT_NONE exit, and the run loop's own checks end or park the vCPU).
 *
 * On entry the vectors have saved x0-x19, x29 and x30 in a->x; x20-x28 stay in the CPU (no C
 * function changes them), and nothing here reads or writes them: exits whose transfer register is
 * one of them are left to the full path, get_reg/set_reg refuse them meanwhile. PC and PSTATE
 * stay in ELR_EL2/SPSR_EL2 unless the exit needs them (a hypercall leaves both as they are: the
 * HVC's saved PC is already past it, and complete() adds a zero pc_step).
 */
struct a64_vcpu *a64_guest_sync(struct a64_vcpu *a)
{
	struct vcpu *vcpu = a->vcpu;
	struct vcpu_exit exit;
	uint64_t esr = a64_read_esr_el2();
	unsigned ec = ESR_EC(esr);
	bool go_on;

	if (ec == A64_EC_HVC64) {
		/* PSCI and unknown function ids take the full path. */
		if (!a64_decode_hvc(a->x, &exit))
			return NULL;
		go_on = vm_exit_step(vcpu, &exit, a64_exit_virq_sync, a64_exit_virq_flush,
				     a64_exit_complete);
	} else {
		if (!a64_fast_access(a, esr, ec, &exit))
			return NULL;
		a->pc = a64_read_elr_el2();
		a->pstate = a64_read_spsr_el2();
		a->pc_step = a64_insn_len(esr);
		a->regs_partial = true;
		go_on = vm_exit_step(vcpu, &exit, a64_exit_virq_sync, a64_exit_virq_flush,
				     a64_exit_complete);
		a->regs_partial = false;
		/* complete() advanced the PC, or a fault for the guest moved it to its vectors. */
		a64_write_elr_el2(a->pc);
		a64_write_spsr_el2(a->pstate);
	}
	/* A vCPU that may not go on (vm_exit_step checked its VM and its state last) is left to
	 * the run loop's own checks. */
	if (!go_on) {
		a->handled = true;
		return NULL;
	}
	return a;
}

static void a64_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct a64_vcpu *a = vcpu->arch;
	unsigned cpu = a64_cpu_index();
	uint64_t vector;

	if (a64_loaded[cpu] != a || __atomic_load_n(&a->reload, __ATOMIC_ACQUIRE))
		a64_vcpu_load(a, cpu);
	vector = a64_guest_enter(a);
	if (a->handled) {
		a->handled = false;
		exit->kind = VCPU_EXIT_NONE;
		return;
	}
	switch (vector & 3u) {
	case 0:
		a64_vcpu_trap(a, exit);
		break;
	case 1:
	case 2:
		a64_gic_handle_irqs();
		exit->kind = VCPU_EXIT_IRQ;
		break;
	default:
		/* A physical SError while the guest ran is the guest's: it gets a virtual one. */
		a64_write_hcr_el2(a64_hcr_guest | HCR_VSE);
		exit->kind = VCPU_EXIT_NONE;
		break;
	}
}

/* complete() of a CPU_UP: PSCI's codes if it came from PSCI (kept out of the leaf below). */
static __attribute__((noinline)) void a64_complete_cpu_up(struct vcpu *vcpu, struct a64_vcpu *a,
							  const struct vcpu_exit *exit)
{
	a->x[0] = (uint64_t)(a->psci ? a64_psci_cpu_on_result(vcpu->vm, exit->cpu_up.target,
							      exit->cpu_up.ret)
				     : exit->cpu_up.ret);
}

static void a64_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct a64_vcpu *a = vcpu->arch;

	/* The most frequent first: emulated accesses, then hypercalls. */
	if (exit->kind == VCPU_EXIT_MMIO) {
		a64_complete_mmio(a, exit);
		return;
	} else if (exit->kind == VCPU_EXIT_HYPERCALL) {
		a64_complete_hcall(a, exit);
	} else if (exit->kind == VCPU_EXIT_SYSREG) {
		if (!exit->sysreg.write && exit->sysreg.reg < 31)
			a->x[exit->sysreg.reg] = exit->sysreg.data;
	} else if (exit->kind == VCPU_EXIT_CPU_UP) {
		a64_complete_cpu_up(vcpu, a, exit);
	}
	a->wb = false;
	a->pc += a->pc_step;
	a->pc_step = 0;
}

static int a64_vcpu_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct a64_vcpu *a = vcpu->arch;
	bool write, exec;

	switch (exit->kind) {
	case VCPU_EXIT_MMIO:
		write = exit->mmio.write;
		exec = false;
		break;
	case VCPU_EXIT_S2_FAULT:
		write = exit->fault.access & VCPU_ACCESS_WRITE;
		exec = exit->fault.access & VCPU_ACCESS_EXEC;
		break;
	case VCPU_EXIT_SYSREG:
		return a64_inject_undef(a) ? PV_OK : -PV_ENOTSUP;
	default:
		return -PV_ENOTSUP;
	}
	return a64_inject_abort(a, write, exec) ? PV_OK : -PV_ENOTSUP;
}

/* x20-x28 of a vCPU in a64_guest_sync are in the CPU, not in a->x: neither read nor written. */
static bool a64_reg_unsaved(const struct a64_vcpu *a, unsigned n)
{
	return a->regs_partial && a64_reg_in_cpu(n);
}

static int a64_vcpu_get_reg(struct vcpu *vcpu, unsigned reg, uint64_t *value)
{
	struct a64_vcpu *a = vcpu->arch;

	if (reg == VCPU_REG_PC)
		*value = a->pc;
	else if (reg == VCPU_REG_SP)
		*value = a64_loaded[a64_cpu_index()] == a ? a64_read_sp_el1() : a->el1.sp_el1;
	else if (reg >= VCPU_REG_ARG0 && reg <= VCPU_REG_ARG3)
		*value = a->x[reg - VCPU_REG_ARG0];
	else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + 31 &&
		 !a64_reg_unsaved(a, reg - VCPU_REG_GPR_BASE))
		*value = a->x[reg - VCPU_REG_GPR_BASE];
	else
		return -PV_EINVAL;
	return PV_OK;
}

static int a64_vcpu_set_reg(struct vcpu *vcpu, unsigned reg, uint64_t value)
{
	struct a64_vcpu *a = vcpu->arch;

	if (reg == VCPU_REG_PC) {
		a->pc = value;
	} else if (reg == VCPU_REG_SP) {
		if (a64_loaded[a64_cpu_index()] == a)
			a64_write_sp_el1(value);
		a->el1.sp_el1 = value;
	} else if (reg >= VCPU_REG_ARG0 && reg <= VCPU_REG_ARG3) {
		a->x[reg - VCPU_REG_ARG0] = value;
	} else if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + 31 &&
		   !a64_reg_unsaved(a, reg - VCPU_REG_GPR_BASE)) {
		a->x[reg - VCPU_REG_GPR_BASE] = value;
	} else {
		return -PV_EINVAL;
	}
	return PV_OK;
}

static int a64_vcpu_inject_irq(struct vcpu *vcpu, uint32_t virq)
{
	return a64_vgic_inject(vcpu, virq);
}

const struct vcpu_ops a64_vcpu_ops = {
	.probe = a64_probe,
	.cpu_enable = a64_cpu_enable,
	.cpu_disable = a64_cpu_disable,
	.create = a64_vcpu_create,
	.destroy = a64_vcpu_destroy,
	.set_entry = a64_vcpu_set_entry,
	.reset = a64_vcpu_reset,
	.attach_s2 = a64_vcpu_attach_s2,
	.run = a64_vcpu_run,
	.complete = a64_vcpu_complete,
	.inject_fault = a64_vcpu_inject_fault,
	.get_reg = a64_vcpu_get_reg,
	.set_reg = a64_vcpu_set_reg,
	.inject_irq = a64_vcpu_inject_irq,
	.wake_deadline = a64_vtimer_wake_deadline,
};
