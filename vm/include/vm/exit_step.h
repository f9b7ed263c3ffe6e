/* SPDX-License-Identifier: MIT */
/*
 * The steps of one exit, owned by the core: read back the interrupt state, count the exit,
 * dispatch it (the hot kinds first, everything else through vm_handle_exit, out of line), check
 * whether the vCPU may go on, and prepare interrupts for the next entry.
 *
 * The run loop (vm_run_vcpu) and every backend's fast path (a backend that handles exits inside
 * vcpu_ops.run and enters the guest again without returning) take exactly this sequence, so a step
 * added here reaches every path. It is inline so that a fast path pays no call for the sequence
 * itself: the backend passes its interrupt read-back and flush and its completion of hypercalls
 * and MMIO accesses as functions (ideally static inline, with the controller's own early checks in front of its
 * out-of-line virq_ops), and they are called directly. The run loop passes vm_exit_virq_sync,
 * vm_exit_virq_flush and vm_exit_complete, which go through arch_backend.
 */
#ifndef VM_EXIT_STEP_H
#define VM_EXIT_STEP_H

#include <hal/arch_backend.h>
#include <vm/hypercall.h>
#include <vm/run.h>
#include <vm/vm.h>

/* Reads back (sync) or prepares (flush) the interrupt state of @vcpu: virq_ops.sync / .flush or a
 * backend's equivalent with the same effect. Context: as virq_ops.flush. */
typedef void vm_exit_virq_fn(struct vcpu *vcpu);

/* Completes @exit in the guest's registers: vcpu_ops.complete or a backend's equivalent with the
 * same effect (called here for hypercalls and MMIO only). Context: as vcpu_ops.complete. */
typedef void vm_exit_complete_fn(struct vcpu *vcpu, const struct vcpu_exit *exit);

static inline void vm_exit_complete(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	arch_backend.vcpu->complete(vcpu, exit);
}

static inline void vm_exit_virq_sync(struct vcpu *vcpu)
{
	if (arch_backend.virq)
		arch_backend.virq->sync(vcpu);
}

static inline void vm_exit_virq_flush(struct vcpu *vcpu)
{
	if (arch_backend.virq)
		arch_backend.virq->flush(vcpu);
}

/* The hypercalls answered from the exit alone (VERSION, ECHO): answered, true; false for any
 * other, left to vm_hypercall, which answers these two the same way through this function.
 * Inline, so that the exit step needs no call for them. */
static inline bool vm_hypercall_leaf(struct vcpu_exit *exit)
{
	uint64_t value;

	switch (exit->hcall.nr) {
	case PV_HC_VERSION:
		value = PV_HC_ABI_VERSION;
		break;
	case PV_HC_ECHO:
		value = exit->hcall.args[0];
		break;
	default:
		return false;
	}
	exit->hcall.ret = PV_HC_OK;
	exit->hcall.value = value;
	return true;
}

/* A hypercall: answered by the core, completed by @complete. false: the call stopped the vCPU's
 * VM. */
static inline __attribute__((always_inline)) bool
vm_exit_hypercall(struct vcpu *vcpu, struct vcpu_exit *exit, vm_exit_complete_fn *complete)
{
	if (!vm_hypercall_leaf(exit) && !vm_hypercall(vcpu, exit))
		return false;
	complete(vcpu, exit);
	return true;
}

static inline uint64_t vm_width_mask(unsigned width)
{
	return width >= 8 ? ~0ULL : (1ULL << (width * 8)) - 1;
}

/* Loads: keep the accessed bytes, then sign-extend to the destination register if asked. */
static inline uint64_t vm_load_value(uint64_t raw, unsigned width, bool sign_extend,
				     unsigned reg_width)
{
	uint64_t v = raw & vm_width_mask(width);

	if (sign_extend && width < 8 && (v >> (width * 8 - 1)) & 1)
		v |= ~vm_width_mask(width);
	if (reg_width && reg_width < 8)
		v &= vm_width_mask(reg_width);
	return v;
}

/* An emulated access no device served (none there, a bad width, the device refused): a fault for
 * the guest or a stopped VM (vm/run.c). Out of line: it formats a log line. */
enum vm_exit_action vm_exit_mmio_refused(struct vcpu *vcpu, const struct vcpu_exit *exit);

/* An MMIO access: the device found last (vdev_find's hint) is tried inline, any other through
 * vdev_find; completed by @complete. */
static inline __attribute__((always_inline)) enum vm_exit_action
vm_exit_mmio(struct vcpu *vcpu, struct vcpu_exit *exit, vm_exit_complete_fn *complete)
{
	/* Read before the device's handler, which the compiler cannot see through. */
	unsigned width = exit->mmio.width, reg_width = exit->mmio.reg_width;
	bool write = exit->mmio.write, sign_extend = exit->mmio.sign_extend;
	uint64_t addr = exit->mmio.addr.raw, data = 0;
	struct vdev *dev = __atomic_load_n(&vcpu->vm->vdev_last, __ATOMIC_RELAXED);
	int err;

	if (!(width == 1 || width == 2 || width == 4 || width == 8))
		return vm_exit_mmio_refused(vcpu, exit);
	if (!dev || !vdev_covers(dev, VDEV_SPACE_MMIO, addr, width)) {
		dev = vdev_find(vcpu->vm, VDEV_SPACE_MMIO, addr, width);
		if (!dev)
			return vm_exit_mmio_refused(vcpu, exit);
	}
	/* DEVICE_EXITS' count of this device (the guest suite's console check). */
	__atomic_fetch_add(&dev->accesses, 1, __ATOMIC_RELAXED);
	if (write)
		err = dev->ops->write(dev, vcpu, addr - dev->base, width,
				      exit->mmio.data & vm_width_mask(width));
	else
		err = dev->ops->read(dev, vcpu, addr - dev->base, width, &data);
	if (err != PV_OK)
		return vm_exit_mmio_refused(vcpu, exit);
	if (!write)
		exit->mmio.data = vm_load_value(data, width, sign_extend, reg_width);
	complete(vcpu, exit);
	return VM_EXIT_CONTINUE;
}

/*
 * One exit from start to end. Returns true if the vCPU may enter the guest again (interrupts are
 * then flushed), false if it must leave its run loop (it stopped, gave its CPU away, or its VM
 * stopped). A fast path that gets false returns a VCPU_EXIT_NONE exit from vcpu_ops.run; the run
 * loop then ends or parks the vCPU as the state says.
 * Context: current CPU of @vcpu, no locks held.
 */
static inline __attribute__((always_inline)) bool
vm_exit_step(struct vcpu *vcpu, struct vcpu_exit *exit, vm_exit_virq_fn *sync,
	     vm_exit_virq_fn *flush, vm_exit_complete_fn *complete)
{
	/* Read before the read-back, which the compiler cannot see through. */
	enum vcpu_exit_kind kind = exit->kind;

	sync(vcpu);
	if ((unsigned)kind < VCPU_EXIT_KIND_COUNT)
		vcpu->exit_count[kind]++;
	if (kind == VCPU_EXIT_HYPERCALL) {
		if (!vm_exit_hypercall(vcpu, exit, complete))
			return false;
	} else if (kind == VCPU_EXIT_MMIO) {
		if (vm_exit_mmio(vcpu, exit, complete) == VM_EXIT_LEAVE)
			return false;
	} else if (vm_handle_exit(vcpu, exit) == VM_EXIT_LEAVE) {
		return false;
	}
	if (__builtin_expect(vm_state_down(__atomic_load_n(&vcpu->vm->state, __ATOMIC_ACQUIRE)) ||
				     vcpu->state != VCPU_RUNNING,
			     0))
		return false;
	flush(vcpu);
	return true;
}

#endif
