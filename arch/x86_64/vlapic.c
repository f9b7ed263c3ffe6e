// SPDX-License-Identifier: MIT
/*
 * The guest's local APIC, emulated in x2APIC mode only: its registers are MSRs 0x800-0x8ff (and
 * IA32_TSC_DEADLINE), registered as a SYSREG-space device, so every access is a WRMSR/RDMSR exit
 * the core hands to the handlers below. There is no xAPIC page: the MMIO window at 0xfee00000 is
 * unbacked, and the guest's CPUID and IA32_APIC_BASE say x2APIC.
 *
 * Implemented: ID, version, TPR, EOI, LDR, SVR, ISR/TMR/IRR reads, ESR, ICR (fixed delivery,
 * physical destination, or the self / all / all-but-self shorthands), LVTs as plain storage, the
 * timer in TSC-deadline mode only, SELF_IPI. The one-shot and periodic timer modes (initial count)
 * are refused with #GP: a guest learns the TSC rate from CPUID leaf 0x40000010 instead.
 *
 * The timer: the deadline is compared with the TSC (which the guest reads unmodified) before each
 * entry; the physical LAPIC timer is armed at the same deadline, so it ends a guest run (an
 * external-interrupt exit) or the CPU's HLT when the guest idles.
 */
#include <hal/hal.h>
#include <irq/vdev.h>
#include <irq/virq_ops.h>
#include <vm/vm.h>
#include <x86/cpu.h>

#include "vmx_vcpu.h"

enum {
	APIC_ID = 0x802,
	APIC_VERSION = 0x803,
	APIC_TPR = 0x808,
	APIC_PPR = 0x80a,
	APIC_EOI = 0x80b,
	APIC_LDR = 0x80d,
	APIC_SVR = 0x80f,
	APIC_ISR0 = 0x810,
	APIC_TMR0 = 0x818,
	APIC_IRR0 = 0x820,
	APIC_ESR = 0x828,
	APIC_LVT_CMCI = 0x82f,
	APIC_ICR = 0x830,
	APIC_LVT_TIMER = 0x832,
	APIC_LVT_THERMAL = 0x833,
	APIC_LVT_ERROR = 0x837,
	APIC_TIMER_INIT = 0x838,
	APIC_TIMER_CUR = 0x839,
	APIC_TIMER_DIV = 0x83e,
	APIC_SELF_IPI = 0x83f,
};

#define APIC_VERSION_VALUE 0x00050014u /* version 0x14, 6 LVT entries */
#define LVT_MASKED	   PV_BIT(16)
#define LVT_TIMER_MODE(v)  (((v) >> 17) & 3u)
#define LVT_TSC_DEADLINE   2u
#define SVR_ENABLE	   PV_BIT(8)
#define ICR_MODE(v)	   (((v) >> 8) & 7u)
#define ICR_LOGICAL	   PV_BIT(11)
#define ICR_SHORTHAND(v)   (((v) >> 18) & 3u)

static struct vlapic *lapic_of(struct vcpu *vcpu)
{
	return (struct vlapic *)vcpu->virq;
}

static int highest_bit(const uint64_t *words)
{
	for (int w = 3; w >= 0; w--)
		if (words[w])
			return w * 64 + 63 - __builtin_clzll(words[w]);
	return -1;
}

static void request(struct vlapic *l, unsigned vector)
{
	atomic_fetch_or_explicit(&l->irr[vector / 64], PV_BIT(vector % 64), memory_order_release);
}

/* The timer fires when the TSC has passed the deadline: move it into IRR once. */
static void timer_check(struct vlapic *l)
{
	uint64_t deadline = atomic_load_explicit(&l->deadline, memory_order_acquire);

	if (!deadline || x86_rdtsc() < deadline)
		return;
	if (atomic_compare_exchange_strong(&l->deadline, &deadline, 0) &&
	    !(l->lvt_timer & LVT_MASKED) && (l->lvt_timer & 0xffu) >= 16)
		request(l, l->lvt_timer & 0xffu);
}

int vlapic_next_vector(struct vcpu *vcpu)
{
	struct vlapic *l = lapic_of(vcpu);
	int vector, in_service;

	uint64_t irr[4];

	/* This runs before every entry and mostly finds IRR empty: one test for that. */
	for (unsigned i = 0; i < 4; i++)
		irr[i] = atomic_load_explicit(&l->irr[i], memory_order_acquire);
	if (!(irr[0] | irr[1] | irr[2] | irr[3]))
		return -1;
	vector = highest_bit(irr);
	if (vector < 0 || !(l->svr & SVR_ENABLE))
		return -1;
	/* A vector is delivered only above the priority class in service and the TPR's. */
	in_service = highest_bit(l->isr);
	if (in_service >= 0 && (vector >> 4) <= (in_service >> 4))
		return -1;
	if ((unsigned)(vector >> 4) <= ((l->tpr >> 4) & 15u))
		return -1;
	return vector;
}

void vlapic_accept(struct vcpu *vcpu, unsigned vector)
{
	struct vlapic *l = lapic_of(vcpu);

	atomic_fetch_and_explicit(&l->irr[vector / 64], ~PV_BIT(vector % 64), memory_order_acq_rel);
	l->isr[vector / 64] |= PV_BIT(vector % 64);
}

static void deliver(struct vcpu *from, struct vcpu *to, unsigned vector)
{
	request(lapic_of(to), vector);
	if (to != from && to->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(to->pcpu);
}

static int icr_write(struct vcpu *vcpu, uint64_t value)
{
	struct vm *vm = vcpu->vm;
	unsigned vector = value & 0xffu;
	struct vcpu *target;

	lapic_of(vcpu)->icr = value;
	/* Only fixed delivery of a valid vector; INIT / SIPI / NMI are not offered (guest vCPUs
	 * start with the CPU_ON hypercall). */
	if (ICR_MODE(value) != 0 || vector < 16 || (value & ICR_LOGICAL && !ICR_SHORTHAND(value)))
		return -PV_EFAULT;
	switch (ICR_SHORTHAND(value)) {
	case 1: /* self */
		deliver(vcpu, vcpu, vector);
		return PV_OK;
	case 2: /* all including self */
	case 3: /* all excluding self */
		for (unsigned i = 0; i < vm->nvcpus; i++)
			if (ICR_SHORTHAND(value) == 2 || &vm->vcpus[i] != vcpu)
				deliver(vcpu, &vm->vcpus[i], vector);
		return PV_OK;
	default:
		target = vm_find_vcpu(vm, value >> 32);
		/* A destination no vCPU has is dropped, as on hardware. */
		if (target)
			deliver(vcpu, target, vector);
		return PV_OK;
	}
}

static int lapic_write(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		       uint64_t value)
{
	struct vlapic *l = lapic_of(vcpu);
	uint32_t msr = (uint32_t)(dev->base + offset);
	int in_service;

	(void)width;
	switch (msr) {
	case X86_MSR_TSC_DEADLINE:
		if (LVT_TIMER_MODE(l->lvt_timer) == LVT_TSC_DEADLINE)
			atomic_store_explicit(&l->deadline, value, memory_order_release);
		return PV_OK;
	case APIC_TPR:
		l->tpr = value & 0xffu;
		return PV_OK;
	case APIC_EOI:
		in_service = highest_bit(l->isr);
		if (in_service >= 0)
			l->isr[in_service / 64] &= ~PV_BIT(in_service % 64);
		return PV_OK;
	case APIC_SVR:
		l->svr = value & 0x1ffu;
		return PV_OK;
	case APIC_ESR:
		return PV_OK;
	case APIC_ICR:
		return icr_write(vcpu, value);
	case APIC_LVT_TIMER:
		if (LVT_TIMER_MODE(value) != LVT_TSC_DEADLINE)
			atomic_store_explicit(&l->deadline, 0, memory_order_release);
		l->lvt_timer = value & 0x700ffu;
		return PV_OK;
	case APIC_LVT_CMCI:
		l->lvt_other[5] = (uint32_t)value;
		return PV_OK;
	case APIC_TIMER_DIV:
		return PV_OK;
	case APIC_SELF_IPI:
		if ((value & 0xffu) < 16)
			return -PV_EFAULT;
		request(l, value & 0xffu);
		return PV_OK;
	default:
		if (msr >= APIC_LVT_THERMAL && msr <= APIC_LVT_ERROR) {
			l->lvt_other[msr - APIC_LVT_THERMAL] = (uint32_t)value;
			return PV_OK;
		}
		/* Read-only registers, reserved ones and the count-down timer: #GP. */
		return -PV_EFAULT;
	}
}

static int lapic_read(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		      uint64_t *value)
{
	struct vlapic *l = lapic_of(vcpu);
	uint32_t msr = (uint32_t)(dev->base + offset);
	uint64_t id = vcpu->guest_cpu_id;

	(void)width;
	if (msr >= APIC_ISR0 && msr < APIC_ISR0 + 8) {
		*value = (uint32_t)(l->isr[(msr - APIC_ISR0) / 2] >> (32 * (msr & 1u)));
		return PV_OK;
	}
	if (msr >= APIC_IRR0 && msr < APIC_IRR0 + 8) {
		*value = (uint32_t)(atomic_load(&l->irr[(msr - APIC_IRR0) / 2]) >>
				    (32 * (msr & 1u)));
		return PV_OK;
	}
	if (msr >= APIC_TMR0 && msr < APIC_TMR0 + 8) {
		*value = 0;
		return PV_OK;
	}
	if (msr >= APIC_LVT_THERMAL && msr <= APIC_LVT_ERROR) {
		*value = l->lvt_other[msr - APIC_LVT_THERMAL];
		return PV_OK;
	}
	switch (msr) {
	case X86_MSR_TSC_DEADLINE:
		*value = atomic_load(&l->deadline);
		return PV_OK;
	case APIC_ID:
		*value = id;
		return PV_OK;
	case APIC_VERSION:
		*value = APIC_VERSION_VALUE;
		return PV_OK;
	case APIC_TPR:
	case APIC_PPR:
		*value = l->tpr;
		return PV_OK;
	case APIC_LDR: /* x2APIC logical id: cluster in 31:16, one bit of 16 in 15:0 */
		*value = ((id >> 4) << 16) | (1u << (id & 15u));
		return PV_OK;
	case APIC_SVR:
		*value = l->svr;
		return PV_OK;
	case APIC_ESR:
	case APIC_TIMER_INIT:
	case APIC_TIMER_CUR:
	case APIC_TIMER_DIV:
		*value = 0;
		return PV_OK;
	case APIC_ICR:
		*value = l->icr;
		return PV_OK;
	case APIC_LVT_TIMER:
		*value = l->lvt_timer;
		return PV_OK;
	case APIC_LVT_CMCI:
		*value = l->lvt_other[5];
		return PV_OK;
	default:
		return -PV_EFAULT;
	}
}

static const struct vdev_ops lapic_vdev_ops = {
	.read = lapic_read,
	.write = lapic_write,
};

static int vlapic_vm_init(struct vm *vm)
{
	struct vdev *devs = vm_dev_alloc(vm, 2 * sizeof(*devs));
	int err;

	if (!devs)
		return -PV_ENOMEM;
	devs[0] = (struct vdev){ .name = "x2apic",
				 .space = VDEV_SPACE_SYSREG,
				 .base = 0x800,
				 .size = 0x100,
				 .ops = &lapic_vdev_ops };
	devs[1] = (struct vdev){ .name = "tsc-deadline",
				 .space = VDEV_SPACE_SYSREG,
				 .base = X86_MSR_TSC_DEADLINE,
				 .size = 1,
				 .ops = &lapic_vdev_ops };
	err = vdev_register(vm, &devs[0]);
	if (!err)
		err = vdev_register(vm, &devs[1]);
	if (!err)
		vm->virq = devs;
	return err;
}

static void vlapic_vm_destroy(struct vm *vm)
{
	vm->virq = NULL;
}

static int vlapic_vcpu_init(struct vcpu *vcpu)
{
	struct vlapic *l = &vmx_of(vcpu)->lapic;

	*l = (struct vlapic){ .svr = 0xff, .lvt_timer = (uint32_t)LVT_MASKED };
	for (unsigned i = 0; i < 6; i++)
		l->lvt_other[i] = (uint32_t)LVT_MASKED;
	vcpu->virq = l;
	return PV_OK;
}

static int vlapic_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	/* No I/O APIC is emulated: devices have no interrupt lines yet. */
	(void)vm;
	(void)target;
	(void)irq;
	(void)level;
	return -PV_ENOTSUP;
}

static int vlapic_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	if (irq < 16 || irq > 255)
		return -PV_EINVAL;
	deliver(from, to, irq);
	return PV_OK;
}

static bool vlapic_pending(struct vcpu *vcpu)
{
	struct vlapic *l = lapic_of(vcpu);
	uint64_t deadline = atomic_load_explicit(&l->deadline, memory_order_acquire);

	if (deadline && x86_rdtsc() >= deadline)
		return true;
	return vlapic_next_vector(vcpu) >= 0;
}

/* Right before entry, on the vCPU's CPU: expired deadline into IRR, physical timer at the next
 * one. (The injection itself is done by the VMCS code, which knows whether the guest can take
 * an interrupt now.) */
static void vlapic_flush(struct vcpu *vcpu)
{
	struct vlapic *l = lapic_of(vcpu);
	uint64_t deadline;

	timer_check(l);
	deadline = atomic_load_explicit(&l->deadline, memory_order_acquire);
	if (deadline != l->host_armed) {
		hal_cpu.timer_arm(deadline);
		l->host_armed = deadline;
	}
}

static void vlapic_sync(struct vcpu *vcpu)
{
	(void)vcpu;
}

const struct virq_ops vlapic_ops = {
	.name = "x2apic",
	.vm_init = vlapic_vm_init,
	.vm_destroy = vlapic_vm_destroy,
	.vcpu_init = vlapic_vcpu_init,
	.set_line = vlapic_set_line,
	.send_ipi = vlapic_send_ipi,
	.pending = vlapic_pending,
	.flush = vlapic_flush,
	.sync = vlapic_sync,
};
