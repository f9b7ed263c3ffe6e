// SPDX-License-Identifier: MIT
/*
 * The guest's local APIC. It is handed over in x2APIC mode: its registers are MSRs 0x800-0x8ff
 * (and IA32_TSC_DEADLINE), registered as a SYSREG-space device, so every access is a WRMSR/RDMSR
 * exit the core hands to the handlers below. A guest may switch it to xAPIC mode through
 * IA32_APIC_BASE (Linux does without interrupt remapping): the same registers are then reached
 * through the xAPIC page at 0xfee00000 (vlapic_xapic.c), an MMIO device.
 *
 * Implemented: ID, version, TPR (also as CR8: MOV to and from CR8 exit, vmx_exit.c), PPR, EOI,
 * LDR, SVR, ISR/TMR/IRR reads, ESR, ICR (fixed delivery, physical destination including the
 * broadcast id 0xffffffff, logical destination (cluster and members, as the LDR says), or the
 * self / all / all-but-self shorthands; INIT and Start-Up, physical only, below), LVTs as plain
 * storage, the timer in TSC-deadline mode only, SELF_IPI. The one-shot and periodic timer modes
 * (a non-zero initial count) are refused with #GP: a guest learns the TSC rate from CPUID leaf 0x40000010
 * or 0x15 instead. Other delivery modes (lowest priority, SMI, NMI) raise #GP.
 *
 * INIT-SIPI-SIPI (SDM vol. 3, "MP Initialization"): an INIT (level assert) to another vCPU of
 * the VM that is not running (created, or stopped) resets its local APIC and puts it in the
 * wait-for-SIPI state (lapic.sipi = WAIT); it does not run. A Start-Up IPI with vector V to a
 * waiting vCPU is not handled here: the exit decoder hands the ICR write to vlapic_sipi_exit,
 * which claims the target (WAIT -> START | V) and turns the write into the core's CPU_UP exit
 * (entry V << 12), so the core's vm_cpu_up starts the vCPU and keeps its lifecycle. Its
 * set_entry asks vlapic_sipi_take whether this start is that Start-Up IPI, and if so loads the
 * real-mode state after INIT and SIPI (CS = V << 8, base V << 12, IP 0) instead of the
 * hypervisor's protected-mode start state. The WRMSR is not completed by a CPU_UP exit: the guest
 * executes it again, and the next write finds nobody waiting, reaches lapic_write as usual and is
 * completed there (this also starts every waiting vCPU for the all-excluding-self shorthand, one
 * per exit). Ignored, as hardware ignores or leaves them undefined: a Start-Up IPI to a vCPU that
 * is not waiting (a second SIPI included), INIT level de-assert, INIT or Start-Up to the sender
 * itself (by id, or the self / all-including-self shorthands), to an APIC id no vCPU has, and
 * INIT to a vCPU that is running (the backend cannot stop another CPU's vCPU).
 *
 * Device interrupts come from the VM's I/O APIC (vioapic.h) through vlapic_irq_deliver; a
 * level-triggered one is marked in TMR, and its EOI is passed back to the I/O APIC.
 *
 * The timer: the deadline is compared with the TSC (which the guest reads unmodified) before each
 * entry; the physical LAPIC timer is armed at the same deadline, so it ends a guest run (an
 * external-interrupt exit) or the CPU's HLT when the guest idles.
 */
#include <hal/hal.h>
#include <hal/hv_timer.h>
#include <irq/vdev.h>
#include <irq/virq_ops.h>
#include <vm/vm.h>
#include <x86/cpu.h>

#include "vlapic.h"
#include "x86_boot.h"

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

/* TMR is set before IRR, so the EOI of a level-triggered vector always finds its TMR bit. */
static void request_trig(struct vlapic *l, unsigned vector, bool level)
{
	if (level)
		atomic_fetch_or_explicit(&l->tmr[vector / 64], PV_BIT(vector % 64),
					 memory_order_release);
	else
		atomic_fetch_and_explicit(&l->tmr[vector / 64], ~PV_BIT(vector % 64),
					  memory_order_release);
	request(l, vector);
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

/* Processor priority (SDM vol. 3, 10.8.3.1): the task priority, or the class of the highest
 * vector in service when that is higher (its sub-class then reads 0). */
static uint32_t ppr(const struct vlapic *l)
{
	int isrv = highest_bit(l->isr);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0u;

	return (l->tpr & 0xf0u) >= isr_class ? l->tpr : isr_class;
}

unsigned vlapic_cr8(struct vcpu *vcpu)
{
	return (vlapic_of(vcpu)->tpr >> 4) & 15u;
}

void vlapic_set_cr8(struct vcpu *vcpu, unsigned cr8)
{
	vlapic_of(vcpu)->tpr = (cr8 & 15u) << 4;
}

int vlapic_next_vector(struct vcpu *vcpu)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint64_t irr[4];
	int vector;

	/* This runs before every entry and mostly finds IRR empty: one test for that. */
	for (unsigned i = 0; i < 4; i++)
		irr[i] = atomic_load_explicit(&l->irr[i], memory_order_acquire);
	if (!(irr[0] | irr[1] | irr[2] | irr[3]))
		return -1;
	vector = highest_bit(irr);
	if (vector < 0 || !(l->svr & SVR_ENABLE) ||
	    atomic_load_explicit(&l->mode, memory_order_relaxed) == VLAPIC_MODE_DISABLED)
		return -1;
	/* A vector is delivered only when its class is above the processor priority's. */
	if ((uint32_t)(vector & 0xf0) <= (ppr(l) & 0xf0u))
		return -1;
	return vector;
}

void vlapic_accept(struct vcpu *vcpu, unsigned vector)
{
	struct vlapic *l = vlapic_of(vcpu);

	atomic_fetch_and_explicit(&l->irr[vector / 64], ~PV_BIT(vector % 64), memory_order_acq_rel);
	l->isr[vector / 64] |= PV_BIT(vector % 64);
}

void vlapic_deliver(struct vcpu *from, struct vcpu *to, unsigned vector, bool level)
{
	request_trig(vlapic_of(to), vector, level);
	if (to != from && to->pcpu != hal_cpu.cpu_id())
		hal_cpu.ipi_send(to->pcpu);
}

void vlapic_reset(struct vlapic *l)
{
	for (unsigned i = 0; i < 4; i++) {
		atomic_store_explicit(&l->irr[i], 0, memory_order_relaxed);
		atomic_store_explicit(&l->tmr[i], 0, memory_order_relaxed);
		l->isr[i] = 0;
	}
	l->tpr = 0;
	l->svr = 0xff;
	l->lvt_timer = (uint32_t)LVT_MASKED;
	for (unsigned i = 0; i < 6; i++)
		l->lvt_other[i] = (uint32_t)LVT_MASKED;
	l->icr = 0;
	atomic_store_explicit(&l->ldr, 0, memory_order_relaxed);
	atomic_store_explicit(&l->dfr, 0xffffffffu, memory_order_relaxed);
	atomic_store_explicit(&l->deadline, 0, memory_order_release);
}

/* An x2APIC logical destination (Linux's cluster mode): a cluster in 31:16 and a bitmask of its
 * 16 members in 15:0, matched against each vCPU's LDR; 0xffffffff reaches every vCPU. */
static void deliver_logical(struct vcpu *from, uint32_t dest, unsigned vector)
{
	struct vm *vm = from->vm;

	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vlapic_logical_match(&vm->vcpus[i], dest))
			vlapic_deliver(from, &vm->vcpus[i], vector, false);
}

static int icr_write(struct vcpu *vcpu, uint64_t value)
{
	struct vm *vm = vcpu->vm;
	unsigned vector = value & 0xffu;
	struct vcpu *target;

	vlapic_of(vcpu)->icr = value;
	if ((value & ICR_LOGICAL) && ICR_SHORTHAND(value) == ICR_DEST_ONE) {
		if (ICR_MODE(value) != ICR_MODE_FIXED || vector < 16)
			return -PV_EFAULT;
		deliver_logical(vcpu, (uint32_t)(value >> 32), vector);
		return PV_OK;
	}
	switch (ICR_MODE(value)) {
	case ICR_MODE_FIXED:
		break;
	case ICR_MODE_INIT:
		return vlapic_icr_init(vcpu, value);
	case ICR_MODE_STARTUP:
		/* Start-Up IPIs to waiting vCPUs became CPU_UP exits (vlapic_sipi_exit); this one
		 * finds nobody waiting and is ignored. */
		return PV_OK;
	default: /* lowest priority, SMI, NMI, reserved */
		return -PV_EFAULT;
	}
	if (vector < 16)
		return -PV_EFAULT;
	switch (ICR_SHORTHAND(value)) {
	case ICR_DEST_SELF:
		vlapic_deliver(vcpu, vcpu, vector, false);
		return PV_OK;
	case ICR_DEST_ALL:
	case ICR_DEST_OTHERS:
		for (unsigned i = 0; i < vm->nvcpus; i++)
			if (ICR_SHORTHAND(value) == ICR_DEST_ALL || &vm->vcpus[i] != vcpu)
				vlapic_deliver(vcpu, &vm->vcpus[i], vector, false);
		return PV_OK;
	default:
		/* The broadcast id: every vCPU, the sender included. */
		if ((uint32_t)(value >> 32) == ICR_BROADCAST_ID) {
			for (unsigned i = 0; i < vm->nvcpus; i++)
				vlapic_deliver(vcpu, &vm->vcpus[i], vector, false);
			return PV_OK;
		}
		target = vm_find_vcpu(vm, value >> 32);
		/* A destination no vCPU has is dropped, as on hardware. */
		if (target)
			vlapic_deliver(vcpu, target, vector, false);
		return PV_OK;
	}
}

/* EOI: the highest vector in service ends; a level-triggered one's EOI reaches the I/O APIC. */
static void eoi(struct vcpu *vcpu)
{
	struct vlapic *l = vlapic_of(vcpu);
	const struct vlapic_vm *lv = vcpu->vm->virq;
	int v = highest_bit(l->isr);
	uint64_t bit;

	if (v < 0)
		return;
	bit = PV_BIT(v % 64);
	l->isr[v / 64] &= ~bit;
	if (atomic_fetch_and_explicit(&l->tmr[v / 64], ~bit, memory_order_acq_rel) & bit)
		vioapic_eoi((struct vioapic *)&lv->ioapic, (unsigned)v);
}

int vlapic_reg_write(struct vcpu *vcpu, uint32_t msr, uint64_t value)
{
	struct vlapic *l = vlapic_of(vcpu);

	switch (msr) {
	case X86_MSR_TSC_DEADLINE:
		if (LVT_TIMER_MODE(l->lvt_timer) == LVT_TSC_DEADLINE)
			atomic_store_explicit(&l->deadline, value, memory_order_release);
		return PV_OK;
	case APIC_TPR:
		l->tpr = value & 0xffu;
		return PV_OK;
	case APIC_EOI:
		eoi(vcpu);
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
	case APIC_TIMER_INIT:
		/* An initial count of 0 stops the count-down timer, which never runs here: Linux
		 * writes it to shut a TSC-deadline timer down. Any other count is refused. */
		return value ? -PV_EFAULT : PV_OK;
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

int vlapic_reg_read(struct vcpu *vcpu, uint32_t msr, uint64_t *value)
{
	struct vlapic *l = vlapic_of(vcpu);
	uint64_t id = vcpu->guest_cpu_id;

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
		*value = (uint32_t)(atomic_load(&l->tmr[(msr - APIC_TMR0) / 2]) >>
				    (32 * (msr & 1u)));
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
		*value = l->tpr;
		return PV_OK;
	case APIC_PPR:
		*value = ppr(l);
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

/* The MSR windows: the x2APIC registers exist in x2APIC mode only, the TSC deadline in both. */
static bool msr_reachable(const struct vdev *dev, struct vcpu *vcpu)
{
	return dev->base == X86_MSR_TSC_DEADLINE ||
	       atomic_load_explicit(&vlapic_of(vcpu)->mode, memory_order_relaxed) ==
		       VLAPIC_MODE_X2APIC;
}

static int lapic_write(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		       uint64_t value)
{
	(void)width;
	if (!msr_reachable(dev, vcpu))
		return -PV_EFAULT;
	return vlapic_reg_write(vcpu, (uint32_t)(dev->base + offset), value);
}

static int lapic_read(struct vdev *dev, struct vcpu *vcpu, uint64_t offset, unsigned width,
		      uint64_t *value)
{
	(void)width;
	if (!msr_reachable(dev, vcpu))
		return -PV_EFAULT;
	return vlapic_reg_read(vcpu, (uint32_t)(dev->base + offset), value);
}

static const struct vdev_ops lapic_vdev_ops = {
	.read = lapic_read,
	.write = lapic_write,
};

static int vlapic_vm_init(struct vm *vm)
{
	struct vlapic_vm *lv = vm_dev_alloc(vm, sizeof(*lv));
	int err;

	if (!lv)
		return -PV_ENOMEM;
	lv->msrs = (struct vdev){ .name = "x2apic",
				  .space = VDEV_SPACE_SYSREG,
				  .base = 0x800,
				  .size = 0x100,
				  .ops = &lapic_vdev_ops };
	lv->deadline = (struct vdev){ .name = "tsc-deadline",
				      .space = VDEV_SPACE_SYSREG,
				      .base = X86_MSR_TSC_DEADLINE,
				      .size = 1,
				      .ops = &lapic_vdev_ops };
	lv->apic_base = (struct vdev){ .name = "apic-base",
				       .space = VDEV_SPACE_SYSREG,
				       .base = X86_MSR_APIC_BASE,
				       .size = 1,
				       .ops = &vlapic_base_ops };
	lv->xapic = (struct vdev){ .name = "xapic",
				   .space = VDEV_SPACE_MMIO,
				   .base = VLAPIC_XAPIC_BASE,
				   .size = 0x1000,
				   .ops = &vlapic_xapic_ops };
	err = vdev_register(vm, &lv->msrs);
	if (!err)
		err = vdev_register(vm, &lv->deadline);
	if (!err)
		err = vdev_register(vm, &lv->apic_base);
	if (!err)
		err = vdev_register(vm, &lv->xapic);
	if (!err)
		err = vioapic_init(&lv->ioapic, vm, X86_IOAPIC_BASE);
	if (!err)
		vm->virq = lv;
	return err;
}

static void vlapic_vm_destroy(struct vm *vm)
{
	vm->virq = NULL;
}

static int vlapic_vcpu_init(struct vcpu *vcpu)
{
	struct vlapic *l = &vmx_of(vcpu)->lapic;

	*l = (struct vlapic){ .host_armed = 0 };
	vlapic_reset(l);
	vcpu->virq = l;
	return PV_OK;
}

static int vlapic_set_line(struct vm *vm, struct vcpu *target, uint32_t irq, bool level)
{
	struct vlapic_vm *lv = vm->virq;

	/* Device lines are the I/O APIC's pins (ISA IRQ n on pin n, as the MADT says). */
	(void)target;
	return lv ? vioapic_set_line(&lv->ioapic, irq, level) : -PV_EINVAL;
}

static int vlapic_send_ipi(struct vcpu *from, struct vcpu *to, uint32_t irq)
{
	if (irq < 16 || irq > 255)
		return -PV_EINVAL;
	vlapic_deliver(from, to, irq, false);
	return PV_OK;
}

static bool vlapic_pending(struct vcpu *vcpu)
{
	struct vlapic *l = vlapic_of(vcpu);
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
	struct vlapic *l = vlapic_of(vcpu);
	uint64_t deadline;

	timer_check(l);
	deadline = atomic_load_explicit(&l->deadline, memory_order_acquire);
	if (deadline != l->host_armed) {
		hv_timer_set(HV_TIMER_GUEST, deadline);
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
