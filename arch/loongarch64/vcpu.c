// SPDX-License-Identifier: MIT
/*
 * The loongarch64 vCPU backend: LVZ guests run through ertn with GSTAT.PGM set and come back
 * through the exception or TLB-refill entry (trap.S). Switching the CPU between vCPUs is
 * la_load.c's.
 */
#include <arch/loongarch.h>
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/vm.h>

#include "la_hw.h"
#include "la_internal.h"
#include "la_vcpu.h"

_Static_assert(__builtin_offsetof(struct la_vcpu_ctx, pc) == LA_CTX_PC, "context layout");
_Static_assert(__builtin_offsetof(struct la_vcpu_ctx, host) == LA_CTX_HOST, "context layout");
_Static_assert(__builtin_offsetof(struct la_vcpu_ctx, exit_time) == LA_CTX_EXIT_TIME, "layout");
_Static_assert(sizeof(struct la_vcpu_ctx) == LA_CTX_SIZE, "context layout");
_Static_assert(sizeof(struct la_vcpu) <= HAL_PAGE_SIZE, "one frame per vCPU");

/* Reset state: direct address translation, coherent-cached fetches and data, PLV0, IRQs off. */
#define LA_GUEST_CRMD_RESET (LA_CRMD_DA | LA_CRMD_DATF_CC | (1u << 7))

static struct la_vcpu *la_v(struct vcpu *vcpu)
{
	return vcpu->arch;
}

static int la_vcpu_create(struct vcpu *vcpu)
{
	hpa_t frame;
	struct la_vcpu *v;
	int err = page_pool_alloc(vcpu->vm->pool, 0, &frame);

	if (err)
		return err;
	v = page_pool_virt(vcpu->vm->pool, frame);
	memset(v, 0, sizeof(*v));
	v->vcpu = vcpu;
	vcpu->arch = v;
	return PV_OK;
}

static void la_vcpu_destroy(struct vcpu *vcpu)
{
	struct la_vcpu *v = la_v(vcpu);

	la_vcpu_unload(v);
	if (v->space)
		la_gid_put(v->space);
	(void)page_pool_free(vcpu->vm->pool, hpa((uintptr_t)v), 0);
	vcpu->arch = NULL;
}

static void la_vcpu_set_entry(struct vcpu *vcpu, gpa_t entry, uint64_t arg)
{
	struct la_vcpu *v = la_v(vcpu);

	memset(v->ctx.gpr, 0, sizeof(v->ctx.gpr));
	memset(v->gcsr, 0, sizeof(v->gcsr));
	memset(&v->fp, 0, sizeof(v->fp)); /* a (re)started vCPU inherits no FP values */
	v->ctx.pc = entry.raw;
	v->ctx.gpr[4] = arg;
	v->gcsr[LA_G_CRMD] = LA_GUEST_CRMD_RESET;
	v->gcsr[LA_G_CPUID] = vcpu->guest_cpu_id;
	v->timer_deadline = 0;
	__atomic_store_n(&v->ipi.status, 0, __ATOMIC_SEQ_CST);
	v->ipi.en = 0;
	memset(v->ipi.mailbox, 0, sizeof(v->ipi.mailbox));
	__atomic_store_n(&v->gcsr_stale, true, __ATOMIC_SEQ_CST);
}

static void la_vcpu_attach_s2(struct vcpu *vcpu, struct s2_space *space)
{
	struct la_vcpu *v = la_v(vcpu);

	if (la_gid_get(space, la_gid_max, &v->gid) != PV_OK) {
		hal_printf("loongarch64: vm %s: no guest ID left\n", vcpu->vm->name);
		v->gid = 0;
		return;
	}
	v->space = space;
}

static void la_vcpu_stop_bug(struct la_vcpu *v, const struct la_exit_info *info)
{
	char reason[96];

	pv_snprintf(reason, sizeof(reason),
		    "vcpu %u: unhandled exit, ESTAT 0x%llx insn 0x%08x at pc 0x%llx", v->vcpu->id,
		    (unsigned long long)info->estat, (unsigned)info->badi,
		    (unsigned long long)v->ctx.pc);
	vm_stop(v->vcpu->vm, -PV_EINVAL, reason);
}

static void la_vcpu_run(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct la_vcpu *v = la_v(vcpu);
	struct la_exit_info info;

	exit->kind = VCPU_EXIT_NONE;
	if (!v->space) {
		exit->kind = VCPU_EXIT_ENTRY_FAIL;
		exit->entry_fail.reason = 1; /* no guest ID */
		return;
	}
	la_vcpu_load(v);
	la_vtimer_load(v);
	info.entry = la_guest_enter(&v->ctx);
	info.estat = la_csr_read(LA_CSR_ESTAT);
	if (info.entry == LA_ENTRY_REFILL)
		info.badv = la_csr_read(LA_CSR_TLBRBADV);
	else
		info.badv = la_csr_read(LA_CSR_BADV);
	info.badi = (uint32_t)la_csr_read(LA_CSR_BADI);
	v->exit_badi = info.badi;
	la_vtimer_exit(v);
	v->exit_estat = la_hw_gcsr_read(LA_GCSR_ESTAT);
	v->exit_ecfg = la_hw_gcsr_read(LA_GCSR_ECFG);

	switch (la_exit_decode(v, &info, exit)) {
	case LA_ACT_CORE:
		if (exit->kind == VCPU_EXIT_HALT && v->timer_deadline)
			/* wakes the wait for the guest timer */
			hv_timer_set(HV_TIMER_GUEST, v->timer_deadline);
		break;
	case LA_ACT_REFILL:
		la_refill(v->space, info.badv);
		break;
	case LA_ACT_HOST_IRQ:
		la_host_irq_ack();
		break;
	case LA_ACT_EMULATED:
		break;
	case LA_ACT_GUEST_BUG:
		la_vcpu_stop_bug(v, &info);
		exit->kind = VCPU_EXIT_NONE;
		break;
	}
}

static void la_vcpu_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct la_vcpu *v = la_v(vcpu);

	switch (exit->kind) {
	case VCPU_EXIT_HYPERCALL:
		v->ctx.gpr[4] = (uint64_t)exit->hcall.ret;
		v->ctx.gpr[5] = exit->hcall.value;
		break;
	case VCPU_EXIT_MMIO:
		if (!exit->mmio.write && exit->mmio.reg)
			v->ctx.gpr[exit->mmio.reg] = exit->mmio.data;
		break;
	case VCPU_EXIT_SYSREG:
		if (!exit->sysreg.write && exit->sysreg.reg)
			v->ctx.gpr[exit->sysreg.reg] = exit->sysreg.data;
		break;
	case VCPU_EXIT_HALT:
	case VCPU_EXIT_CPU_UP: /* an IPI_SEND that started a parked vCPU (la_vipi.c) */
		break;
	default:
		return;
	}
	v->ctx.pc += 4;
}

/*
 * The guest sees an address error for a data access (ADEM) or fetch (ADEF) nothing serves, and an
 * instruction privilege error for a refused IOCSR access (la_inject.c delivers it), with the
 * exit's instruction in BADI.
 */
static int la_vcpu_inject_fault(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	struct la_exception ex = { .ecode = LA_EC_ADE,
				   .has_badv = true,
				   .has_badi = true,
				   .badi = la_v(vcpu)->exit_badi };

	switch (exit->kind) {
	case VCPU_EXIT_MMIO:
		ex.esub = 1; /* ADEM */
		ex.badv = exit->mmio.addr.raw;
		break;
	case VCPU_EXIT_S2_FAULT:
		ex.esub = exit->fault.access & VCPU_ACCESS_EXEC ? 0 : 1;
		ex.has_badi = ex.esub != 0; /* a failed fetch has no instruction */
		ex.badv = exit->fault.addr.raw;
		break;
	case VCPU_EXIT_SYSREG:
		ex.ecode = LA_EC_IPE;
		ex.has_badv = false;
		break;
	default:
		return -PV_ENOTSUP;
	}
	/* No handler: the core stops the VM instead. */
	return la_inject(la_v(vcpu), &ex) ? PV_OK : -PV_ENOTSUP;
}

/* Registers: the arch-neutral names, then r0..r31 from VCPU_REG_GPR_BASE. */
static uint64_t *la_vcpu_reg(struct la_vcpu *v, unsigned reg)
{
	switch (reg) {
	case VCPU_REG_PC:
		return &v->ctx.pc;
	case VCPU_REG_SP:
		return &v->ctx.gpr[3];
	case VCPU_REG_ARG0:
	case VCPU_REG_ARG1:
	case VCPU_REG_ARG2:
	case VCPU_REG_ARG3:
		return &v->ctx.gpr[4 + reg - VCPU_REG_ARG0];
	default:
		if (reg > VCPU_REG_GPR_BASE && reg < VCPU_REG_GPR_BASE + 32)
			return &v->ctx.gpr[reg - VCPU_REG_GPR_BASE];
		return NULL;
	}
}

static int la_vcpu_get_reg(struct vcpu *vcpu, unsigned reg, uint64_t *value)
{
	uint64_t *r = la_vcpu_reg(la_v(vcpu), reg);

	if (reg == VCPU_REG_GPR_BASE) {
		*value = 0;
		return PV_OK;
	}
	if (!r)
		return -PV_EINVAL;
	*value = *r;
	return PV_OK;
}

static int la_vcpu_set_reg(struct vcpu *vcpu, unsigned reg, uint64_t value)
{
	uint64_t *r = la_vcpu_reg(la_v(vcpu), reg);

	if (!r)
		return -PV_EINVAL;
	*r = value;
	return PV_OK;
}

/* virq numbers are the guest ESTAT.IS lines: HWI0..7 (2..9), timer 11, IPI 12. */
static int la_vcpu_inject_irq(struct vcpu *vcpu, uint32_t virq)
{
	struct la_vcpu *v = la_v(vcpu);

	if (virq == LA_IRQ_IPI) {
		la_vipi_raise(v, 0);
		return PV_OK;
	}
	if (virq >= LA_IRQ_HWI0 && virq < LA_IRQ_HWI0 + 8) {
		__atomic_fetch_or(&v->hw_lines, 1u << (virq - LA_IRQ_HWI0), __ATOMIC_SEQ_CST);
		if (vcpu->pcpu != hal_cpu.cpu_id())
			hal_cpu.ipi_send(vcpu->pcpu);
		return PV_OK;
	}
	return -PV_EINVAL;
}

const struct vcpu_ops la_vcpu_ops = {
	.probe = la_lvz_probe,
	.cpu_enable = la_lvz_cpu_enable,
	.cpu_disable = la_lvz_cpu_disable,
	.create = la_vcpu_create,
	.destroy = la_vcpu_destroy,
	.set_entry = la_vcpu_set_entry,
	.attach_s2 = la_vcpu_attach_s2,
	.run = la_vcpu_run,
	.complete = la_vcpu_complete,
	.inject_fault = la_vcpu_inject_fault,
	.get_reg = la_vcpu_get_reg,
	.set_reg = la_vcpu_set_reg,
	.inject_irq = la_vcpu_inject_irq,
	.wake_deadline = la_vtimer_wake_deadline,
};
