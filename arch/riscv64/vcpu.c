// SPDX-License-Identifier: MIT
/*
 * riscv64 vCPUs: backend state, reset, registers and the switch of VS-level state between the
 * vCPUs pinned to one hart. The integer file moves on every entry and exit (vcpu_entry.S); the VS
 * CSRs, the FP file and hvip stay in the hart until it runs another vCPU, so a plain exit costs
 * none of them.
 *
 * hstatus and sstatus.SPP are not rewritten on every entry either: riscv_vcpu_restore writes
 * them when the vCPU becomes the hart's, and after that they stay the vCPU's own. A trap out of
 * the guest sets hstatus.SPV = 1 and sstatus.SPP = the guest's privilege, which is exactly what
 * the next sret needs (the rest of hstatus only changes by a write: VSXL, VTW, VGEIN; SPVP and
 * GVA are the trap's report); the hypervisor keeps interrupts off and writes neither CSR except
 * here, in riscv_reflect (which moves the guest into VS-mode and updates vc->sstatus with it)
 * and after a recovered HS-mode trap during an instruction fetch (riscv_fetch_insn puts both
 * back, since an HS-mode trap and its sret clear SPV and SPP).
 */
#include <hal/hal.h>
#include <riscv64/backend.h>
#include <riscv64/cpu.h>
#include <riscv64/csr.h>
#include <riscv64/hfence.h>
#include <riscv64/vcpu.h>
#include <string.h>
#include <vm/vm.h>

#include "s2_sv_x4.h"

/* VSXL = 2 (64-bit VS-mode), WFI traps (VTW, until vcpu_ops.idle_exits), sret enters V = 1 at VS privilege. */
#define RISCV_GUEST_HSTATUS                                                                        \
	((2ULL << HSTATUS_VSXL_SHIFT) | HSTATUS_VTW | HSTATUS_SPV | HSTATUS_SPVP)

static inline void riscv_hfence_vvma_all(void)
{
	/* HFENCE.VVMA x0, x0: SYSTEM, funct7 0x11; acts on the VMID in hgatp. */
	__asm__ __volatile__(".insn r 0x73, 0, 0x11, x0, x0, x0" ::: "memory");
}

static void riscv_vcpu_save(struct riscv_vcpu *vc)
{
	uint64_t sstatus;

	csr_read(CSR_SSTATUS, sstatus);
	vc->sstatus = (vc->sstatus & ~SSTATUS_SPP) | (sstatus & SSTATUS_SPP);
	csr_read(CSR_VSSTATUS, vc->vsstatus);
	csr_read(CSR_VSIE, vc->vsie);
	csr_read(CSR_VSTVEC, vc->vstvec);
	csr_read(CSR_VSSCRATCH, vc->vsscratch);
	csr_read(CSR_VSEPC, vc->vsepc);
	csr_read(CSR_VSCAUSE, vc->vscause);
	csr_read(CSR_VSTVAL, vc->vstval);
	csr_read(CSR_VSATP, vc->vsatp);
	csr_read(CSR_HVIP, vc->hvip);
	if (riscv_info.sstc)
		csr_read(CSR_VSTIMECMP, vc->vstimecmp);
	csr_read(CSR_SCOUNTEREN, vc->scounteren);
	if (riscv_info.senvcfg)
		csr_read(CSR_SENVCFG, vc->senvcfg);
	riscv_fp_save(vc);
}

/*
 * One time base per VM, reading zero at the boot vCPU's first instruction, as a machine's time
 * does at reset: guests (and the boot benchmark) read their own uptime, not the hypervisor's,
 * and nothing about when other VMs started. The boot vCPU fixes it when it first loads; the
 * others start later, at the guest's request, and take the same.
 */
static uint64_t riscv_vm_time_start(struct vcpu *vcpu)
{
	struct vcpu *boot = &vcpu->vm->vcpus[0];
	struct riscv_vcpu *b = riscv_vcpu(boot);

	if (vcpu == boot && !__atomic_load_n(&b->time_started, __ATOMIC_ACQUIRE)) {
		b->time_start = hal_cpu.timer_now();
		__atomic_store_n(&b->time_started, true, __ATOMIC_RELEASE);
	}
	return b->time_start;
}

static void riscv_vcpu_restore(struct riscv_vcpu *vc)
{
	/* The host's gp and tp for the exit path: constant on this hart (see vcpu_entry.S). */
	__asm__ __volatile__("mv %0, gp" : "=r"(vc->host[2]));
	__asm__ __volatile__("mv %0, tp" : "=r"(vc->host[3]));
	csr_write(CSR_HSTATUS, vc->hstatus);
	if (vc->sstatus & SSTATUS_SPP)
		csr_set(CSR_SSTATUS, SSTATUS_SPP);
	else
		csr_clear(CSR_SSTATUS, SSTATUS_SPP);
	csr_write(CSR_HGATP, vc->hgatp);
	csr_write(CSR_HTIMEDELTA, 0 - vc->time_start);
	csr_write(CSR_VSSTATUS, vc->vsstatus);
	csr_write(CSR_VSIE, vc->vsie);
	csr_write(CSR_VSTVEC, vc->vstvec);
	csr_write(CSR_VSSCRATCH, vc->vsscratch);
	csr_write(CSR_VSEPC, vc->vsepc);
	csr_write(CSR_VSCAUSE, vc->vscause);
	csr_write(CSR_VSTVAL, vc->vstval);
	csr_write(CSR_VSATP, vc->vsatp);
	csr_write(CSR_HVIP, vc->hvip);
	if (riscv_info.sstc)
		csr_write(CSR_VSTIMECMP, vc->vstimecmp);
	csr_write(CSR_SCOUNTEREN, vc->scounteren);
	if (riscv_info.senvcfg)
		csr_write(CSR_SENVCFG, vc->senvcfg);
	riscv_fp_restore(vc);
	/* With too few VMID bits to tell VMs apart, nothing cached may survive a switch. */
	if (((vc->hgatp & HGATP_VMID_MASK) >> HGATP_VMID_SHIFT) >> riscv_h_vmid_bits())
		riscv_hfence_gvma_all();
	/* The guest's own translations may differ from what this VMID last cached (a restart). */
	riscv_hfence_vvma_all();
}

bool riscv_vcpu_is_loaded(const struct vcpu *vcpu)
{
	return riscv_this_cpu()->loaded == vcpu;
}

void riscv_vcpu_load(struct vcpu *vcpu)
{
	struct riscv_cpu *cpu = riscv_this_cpu();
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);
	struct vcpu *old = cpu->loaded;

	if (old == vcpu && !vc->reload)
		return;
	/* A vCPU marked for reload has its newest state in memory already. */
	if (old && old != vcpu && !riscv_vcpu(old)->reload)
		riscv_vcpu_save(riscv_vcpu(old));
	vc->time_start = riscv_vm_time_start(vcpu);
	riscv_vcpu_restore(vc);
	vc->reload = false;
	cpu->loaded = vcpu;
}

static int riscv_vcpu_create(struct vcpu *vcpu)
{
	hpa_t frame;
	struct riscv_vcpu *vc;
	int err;

	_Static_assert(sizeof(struct riscv_vcpu) <= HAL_PAGE_SIZE, "one frame per vCPU");
	err = page_pool_alloc(vcpu->vm->pool, 0, &frame);
	if (err)
		return err;
	vc = page_pool_virt(vcpu->vm->pool, frame);
	memset(vc, 0, sizeof(*vc));
	vc->hstatus = RISCV_GUEST_HSTATUS;
	vc->vstimecmp = UINT64_MAX;
	vc->reload = true;
	vcpu->arch = vc;
	return PV_OK;
}

static void riscv_vcpu_destroy(struct vcpu *vcpu)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (!vc)
		return;
	/* Forget it on its hart; the hart saves nothing into freed memory then. */
	if (vcpu->pcpu < CONFIG_MAX_CPUS && riscv_cpus[vcpu->pcpu].loaded == vcpu)
		riscv_cpus[vcpu->pcpu].loaded = NULL;
	page_pool_free(vcpu->vm->pool, hpa((uintptr_t)vc), 0);
	vcpu->arch = NULL;
}

/* The RISC-V boot convention (SBI HSM hart_start, Linux): a0 = hart id, a1 = the boot argument
 * (DTB or opaque value), VS-mode, satp and interrupts off. */
static void riscv_vcpu_set_entry(struct vcpu *vcpu, gpa_t entry, uint64_t arg)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	memset(vc->x, 0, sizeof(vc->x));
	memset(vc->f, 0, sizeof(vc->f));
	vc->x[10] = vcpu->guest_cpu_id;
	vc->x[11] = arg;
	vc->pc = entry.raw;
	vc->hstatus = RISCV_GUEST_HSTATUS;
	vc->sstatus = SSTATUS_SPP | SSTATUS_FS_INITIAL;
	vc->fcsr = 0;
	vc->vsstatus = 0;
	vc->vsie = vc->vstvec = vc->vsscratch = vc->vsepc = vc->vscause = vc->vstval = 0;
	vc->vsatp = 0;
	vc->senvcfg = 0;
	/* As SBI firmware leaves it (OpenSBI sets it whole): user programs may read time, which
	 * Linux's vDSO does. cycle and instret stay hidden by hcounteren whatever it says. */
	vc->scounteren = SCOUNTEREN_TM;
	vc->vstimecmp = UINT64_MAX;
	vc->hvip = 0;
	vc->hvip_eip = 0;
	vc->timer_deadline = 0;
	vc->ssip_pending = 0;
	vc->rfence.pending = 0;
	vc->hsm_suspended = false;
	__atomic_store_n(&vc->reload, true, __ATOMIC_RELEASE);
}

/* A VM restart: registers as at a fresh entry, and the hart forgets the vCPU so nothing of the
 * old guest is saved back or stays armed (its timer compare, its injected interrupts). */
static void riscv_vcpu_reset(struct vcpu *vcpu)
{
	struct riscv_cpu *cpu = riscv_this_cpu();

	if (cpu->loaded == vcpu) {
		if (riscv_info.sstc)
			csr_write(CSR_VSTIMECMP, UINT64_MAX);
		csr_write(CSR_HVIP, 0);
		cpu->loaded = NULL;
	}
	riscv_vcpu_set_entry(vcpu, gpa(0), 0);
	/* A restarted VM's time reads zero at its first instruction again, as after a machine's
	 * reset (riscv_vm_time_start): its boot vCPU fixes it anew. */
	if (vcpu == &vcpu->vm->vcpus[0])
		__atomic_store_n(&riscv_vcpu(vcpu)->time_started, false, __ATOMIC_RELEASE);
}

static void riscv_vcpu_attach_s2(struct vcpu *vcpu, struct s2_space *space)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	vc->hgatp = s2_sv_x4_hgatp(space->fmt, space->vmid, space->root);
	vc->reload = true;
}

static uint64_t *riscv_vcpu_reg(struct riscv_vcpu *vc, unsigned reg)
{
	switch (reg) {
	case VCPU_REG_PC:
		return &vc->pc;
	case VCPU_REG_SP:
		return &vc->x[2];
	case VCPU_REG_ARG0:
	case VCPU_REG_ARG1:
	case VCPU_REG_ARG2:
	case VCPU_REG_ARG3:
		return &vc->x[10 + reg - VCPU_REG_ARG0];
	default:
		if (reg >= VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + 32 &&
		    !(vc->regs_partial && riscv_reg_in_hart(reg - VCPU_REG_GPR_BASE)))
			return &vc->x[reg - VCPU_REG_GPR_BASE];
		return NULL;
	}
}

static int riscv_vcpu_get_reg(struct vcpu *vcpu, unsigned reg, uint64_t *value)
{
	uint64_t *p = riscv_vcpu_reg(riscv_vcpu(vcpu), reg);

	if (!p)
		return -PV_EINVAL;
	*value = reg == VCPU_REG_GPR_BASE ? 0 : *p;
	return PV_OK;
}

static int riscv_vcpu_set_reg(struct vcpu *vcpu, unsigned reg, uint64_t value)
{
	uint64_t *p = riscv_vcpu_reg(riscv_vcpu(vcpu), reg);

	if (!p)
		return -PV_EINVAL;
	if (reg != VCPU_REG_GPR_BASE) /* x0 stays zero */
		*p = value;
	return PV_OK;
}

/* The only interrupt injected directly is the supervisor software interrupt (an IPI); external
 * interrupts go through the vPLIC, the timer through vstimecmp. */
static int riscv_vcpu_inject_irq(struct vcpu *vcpu, uint32_t virq)
{
	if (virq != IRQ_S_SOFT)
		return -PV_EINVAL;
	__atomic_store_n(&riscv_vcpu(vcpu)->ssip_pending, 1, __ATOMIC_RELEASE);
	riscv_virq_kick(vcpu);
	return PV_OK;
}

/* hstatus.VTW clear: the guest's WFI waits in the hart (until any interrupt pending and enabled
 * there, the guest's own or the hypervisor's, which then traps to HS-mode as ever) instead of
 * raising a virtual-instruction exception. hstatus is the vCPU's while it is loaded, and
 * vc->hstatus is what its next load writes. */
static void riscv_vcpu_idle_exits(struct vcpu *vcpu, bool exits)
{
	struct riscv_vcpu *vc = riscv_vcpu(vcpu);

	if (exits) {
		vc->hstatus |= HSTATUS_VTW;
		csr_set(CSR_HSTATUS, HSTATUS_VTW);
	} else {
		vc->hstatus &= ~HSTATUS_VTW;
		csr_clear(CSR_HSTATUS, HSTATUS_VTW);
	}
}

const struct vcpu_ops riscv_vcpu_ops = {
	.probe = riscv_h_probe,
	.cpu_enable = riscv_h_cpu_enable,
	.cpu_disable = riscv_h_cpu_disable,
	.create = riscv_vcpu_create,
	.destroy = riscv_vcpu_destroy,
	.set_entry = riscv_vcpu_set_entry,
	.reset = riscv_vcpu_reset,
	.attach_s2 = riscv_vcpu_attach_s2,
	.run = riscv_vcpu_run,
	.complete = riscv_vcpu_complete,
	.inject_fault = riscv_vcpu_inject_fault,
	.get_reg = riscv_vcpu_get_reg,
	.set_reg = riscv_vcpu_set_reg,
	.inject_irq = riscv_vcpu_inject_irq,
	.wake_deadline = riscv_virq_wake_deadline,
	.idle_exits = riscv_vcpu_idle_exits,
};
