// SPDX-License-Identifier: MIT
/*
 * The run loop and exit dispatch. The backend decodes the trap into a vcpu_exit; everything here
 * is arch-neutral: find the emulated device, answer the hypercall, stop or fault a misbehaving VM.
 * A guest can never stop the hypervisor: every bad access ends in a guest fault or a VM stop.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <pv/fmt.h>
#include <stdarg.h>
#include <vm/exit_step.h>
#include <vm/hypercall.h>
#include <vm/run.h>
#include <vm/sched.h>
#include <vm/vm.h>

static const char *access_name(unsigned access)
{
	if (access & VCPU_ACCESS_EXEC)
		return "exec";
	return access & VCPU_ACCESS_WRITE ? "write" : "read";
}

/* Stops @vm with a formatted reason. Out of line: it keeps the formatting buffer off the stack
 * frames of the hot exit paths. */
static __attribute__((noinline, format(printf, 3, 4))) void vm_stop_fmt(struct vm *vm, int64_t code,
									const char *fmt, ...)
{
	char reason[96];
	va_list ap;

	va_start(ap, fmt);
	pv_vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	vm_stop(vm, code, reason);
}

/* A guest access nobody may serve: inject a fault the guest can catch, or stop the VM. */
static __attribute__((noinline)) enum vm_exit_action vm_bad_access(struct vcpu *vcpu,
								   const struct vcpu_exit *exit,
								   uint64_t addr, unsigned access,
								   const char *what)
{
	struct vm *vm = vcpu->vm;
	const struct vcpu_ops *ops = arch_backend.vcpu;
	uint64_t pc = 0;

	if (ops->get_reg)
		(void)ops->get_reg(vcpu, VCPU_REG_PC, &pc);
	if (!vm->config->stop_on_bad_access && ops->inject_fault &&
	    ops->inject_fault(vcpu, exit) == PV_OK) {
		/* Said, not silent, and rate-limited: a probing guest must not flood the console. */
		if (vm_log_allowed(vm))
			hal_printf(
				"vm %s: vcpu %u: bad %s %s at 0x%llx (pc 0x%llx): fault injected\n",
				vm->name, vcpu->id, what, access_name(access),
				(unsigned long long)addr, (unsigned long long)pc);
		return VM_EXIT_CONTINUE;
	}
	vm_stop_fmt(vm, -PV_EFAULT, "vcpu %u: bad %s %s at 0x%llx (pc 0x%llx)", vcpu->id, what,
		    access_name(access), (unsigned long long)addr, (unsigned long long)pc);
	return VM_EXIT_LEAVE;
}

/* Runs the device handler for an MMIO, port or system-register access. System registers are
 * numbered one id per register, so a 64-bit register occupies one id, not eight. */
static int vm_device_access(struct vcpu *vcpu, enum vdev_space space, uint64_t addr, unsigned width,
			    bool write, uint64_t *data)
{
	unsigned span = space == VDEV_SPACE_SYSREG ? 1u : width;
	struct vdev *dev = vdev_find(vcpu->vm, space, addr, span);

	if (!dev)
		return -PV_ENOENT;
	__atomic_fetch_add(&dev->accesses, 1, __ATOMIC_RELAXED);
	if (write)
		return dev->ops->write(dev, vcpu, addr - dev->base, width,
				       *data & vm_width_mask(width));
	*data = 0;
	return dev->ops->read(dev, vcpu, addr - dev->base, width, data);
}

enum vm_exit_action vm_exit_mmio_refused(struct vcpu *vcpu, const struct vcpu_exit *exit)
{
	return vm_bad_access(vcpu, exit, exit->mmio.addr.raw,
			     exit->mmio.write ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ, "mmio");
}

/* A port no device serves, in a VM whose ports float: as on a bus with nothing on it, a read
 * returns all ones and a write goes nowhere; counted, and logged within the VM's log budget. */
static __attribute__((noinline)) void vm_float_port(struct vcpu *vcpu, const struct vcpu_exit *exit,
						    uint64_t *data)
{
	struct vm *vm = vcpu->vm;
	uint64_t n = __atomic_add_fetch(&vm->ports_floated, 1, __ATOMIC_RELAXED);

	*data = ~0ULL;
	if (vm_log_allowed(vm))
		hal_printf("vm %s: vcpu %u: port 0x%x %s (%u bytes): no device (%llu so far)\n",
			   vm->name, vcpu->id, (unsigned)exit->pio.port,
			   exit->pio.write ? "write dropped" : "read as all ones",
			   (unsigned)exit->pio.width, (unsigned long long)n);
}

static enum vm_exit_action vm_handle_pio(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	uint64_t data = exit->pio.data;
	unsigned access = exit->pio.write ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ;
	int rc;

	if (!(exit->pio.width == 1 || exit->pio.width == 2 || exit->pio.width == 4))
		return vm_bad_access(vcpu, exit, exit->pio.port, access, "port");
	rc = vm_device_access(vcpu, VDEV_SPACE_PIO, exit->pio.port, exit->pio.width,
			      exit->pio.write, &data);
	if (rc == -PV_ENOENT && vcpu->vm->config->float_ports)
		vm_float_port(vcpu, exit, &data);
	else if (rc != PV_OK)
		return vm_bad_access(vcpu, exit, exit->pio.port, access, "port");
	if (!exit->pio.write)
		exit->pio.data = data & vm_width_mask(exit->pio.width);
	arch_backend.vcpu->complete(vcpu, exit);
	return VM_EXIT_CONTINUE;
}

static enum vm_exit_action vm_handle_sysreg(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	uint64_t data = exit->sysreg.data;
	unsigned access = exit->sysreg.write ? VCPU_ACCESS_WRITE : VCPU_ACCESS_READ;

	if (vm_device_access(vcpu, VDEV_SPACE_SYSREG, exit->sysreg.id, 8, exit->sysreg.write,
			     &data) != PV_OK)
		return vm_bad_access(vcpu, exit, exit->sysreg.id, access, "sysreg");
	if (!exit->sysreg.write)
		exit->sysreg.data = data;
	arch_backend.vcpu->complete(vcpu, exit);
	return VM_EXIT_CONTINUE;
}

/* Whether @vcpu's idle instruction could wait in the guest (vcpu_ops.idle_exits) instead of
 * exiting: only where vm_handle_halt would wait in place and find nothing to do before or after.
 * The vCPU has its CPU to itself (no other vCPU to give it to) and is its VM's only one, and its
 * console holds nothing (an idle guest's held output is shown at its idle exit). */
static bool vm_idle_may_stay(const struct vcpu *vcpu)
{
	const struct vm *vm = vcpu->vm;

	return arch_backend.vcpu->idle_exits && vm->nvcpus == 1 && sched_cpu_alone(vcpu) &&
	       !__atomic_load_n(&vm->console.out_len, __ATOMIC_RELAXED) &&
	       !__atomic_load_n(&vm->console.dropped, __ATOMIC_RELAXED);
}

void vm_idle_exits(struct vcpu *vcpu, bool exits)
{
	if (vcpu->idle_in_guest != exits)
		return; /* already so */
	vcpu->idle_in_guest = !exits;
	arch_backend.vcpu->idle_exits(vcpu, exits);
}

/* The guest idles: unless an interrupt is already pending for it, it gives the CPU to another
 * vCPU that can run there, or else waits in place once. The guest continues after its wait
 * instruction either way (it re-checks its condition after it). */
static enum vm_exit_action vm_handle_halt(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	const struct virq_ops *virq = arch_backend.virq;

	arch_backend.vcpu->complete(vcpu, exit);
	if (virq && virq->pending(vcpu))
		return VM_EXIT_CONTINUE;
	/* An idle guest may have left a prompt without its line end: show it now. */
	vm_console_idle(vcpu);
	(void)vcpu_set_state(vcpu, VCPU_HALTED);
	if (sched_others_runnable(vcpu))
		return VM_EXIT_LEAVE; /* picked again when an interrupt is pending for it */
	if (!vm_state_down(__atomic_load_n(&vcpu->vm->state, __ATOMIC_ACQUIRE))) {
		sched_before_wait(vcpu->pcpu, vcpu);
		hal_cpu.wait_for_interrupt();
	}
	(void)vcpu_set_state(vcpu, VCPU_RUNNING);
	/* The next idles may as well wait in the guest: nothing here would change. */
	if (vm_idle_may_stay(vcpu))
		vm_idle_exits(vcpu, false);
	return VM_EXIT_CONTINUE;
}

enum vm_exit_action vm_handle_exit(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct vm *vm = vcpu->vm;
	const struct vcpu_ops *ops = arch_backend.vcpu;

	switch (exit->kind) {
	case VCPU_EXIT_NONE:
		return VM_EXIT_CONTINUE;
	case VCPU_EXIT_IRQ:
		/* The hypervisor's timer interrupts a guest whatever its masking: a vCPU whose slice
		 * is over gives the CPU to the next one that waits for it. */
		if (sched_should_yield(vcpu) &&
		    vcpu_transition(vcpu, VCPU_RUNNING, VCPU_READY) == PV_OK)
			return VM_EXIT_LEAVE;
		return VM_EXIT_CONTINUE;
	case VCPU_EXIT_HYPERCALL:
		return vm_exit_hypercall(vcpu, exit, ops->complete) ? VM_EXIT_CONTINUE
								    : VM_EXIT_LEAVE;
	case VCPU_EXIT_MMIO:
		return vm_exit_mmio(vcpu, exit, ops->complete);
	case VCPU_EXIT_PIO:
		return vm_handle_pio(vcpu, exit);
	case VCPU_EXIT_SYSREG:
		return vm_handle_sysreg(vcpu, exit);
	case VCPU_EXIT_S2_FAULT:
		return vm_bad_access(vcpu, exit, exit->fault.addr.raw, exit->fault.access,
				     "access");
	case VCPU_EXIT_HALT:
		return vm_handle_halt(vcpu, exit);
	case VCPU_EXIT_CPU_UP:
		exit->cpu_up.ret = vm_cpu_up(vm, exit->cpu_up.target, gpa(exit->cpu_up.entry),
					     exit->cpu_up.arg);
		ops->complete(vcpu, exit);
		return VM_EXIT_CONTINUE;
	case VCPU_EXIT_CPU_DOWN:
		(void)vcpu_set_state(vcpu, VCPU_STOPPED);
		hal_printf("vm %s: vcpu %u: off\n", vm->name, vcpu->id);
		return VM_EXIT_LEAVE;
	case VCPU_EXIT_SYSTEM_OFF:
		vm_stop(vm, 0, "guest powered off");
		return VM_EXIT_LEAVE;
	case VCPU_EXIT_SYSTEM_RESET:
		vm_guest_reset(vm);
		return VM_EXIT_LEAVE;
	case VCPU_EXIT_ENTRY_FAIL:
		vm_stop_fmt(vm, -PV_EINVAL, "vcpu %u: entry failed (reason 0x%llx, 0x%llx)",
			    vcpu->id, (unsigned long long)exit->entry_fail.reason,
			    (unsigned long long)exit->entry_fail.detail);
		return VM_EXIT_LEAVE;
	case VCPU_EXIT_KIND_COUNT:
		break;
	}
	vm_stop_fmt(vm, -PV_EINVAL, "vcpu %u: backend returned invalid exit %u", vcpu->id,
		    (unsigned)exit->kind);
	return VM_EXIT_LEAVE;
}

bool vm_exit_inline(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	return vm_exit_step(vcpu, exit, vm_exit_virq_sync, vm_exit_virq_flush, vm_exit_complete);
}

void vm_run_vcpu(struct vcpu *vcpu)
{
	struct vm *vm = vcpu->vm;

	/* From READY (new or preempted) or HALTED (it idled off the CPU, and now has an interrupt). */
	if (vcpu_set_state(vcpu, VCPU_RUNNING) != PV_OK)
		return;
	pv_spin_lock(&vm->lock);
	if (vm->state == VM_READY || vm->state == VM_HALTED)
		vm->state = VM_RUNNING;
	pv_spin_unlock(&vm->lock);

	vm_exit_virq_flush(vcpu);
	while (!vm_state_down(__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE))) {
		struct vcpu_exit exit;

		/* Only the kind is read before run() fills the exit in. */
		exit.kind = VCPU_EXIT_NONE;
		arch_backend.vcpu->run(vcpu, &exit);
		if (!vm_exit_step(vcpu, &exit, vm_exit_virq_sync, vm_exit_virq_flush,
				  vm_exit_complete))
			break;
	}
	/* Leaving for good unless it only gave its CPU to another vCPU (READY, HALTED). */
	if (vm_state_down(__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE)) ||
	    vcpu->state == VCPU_RUNNING)
		(void)vcpu_set_state(vcpu, VCPU_STOPPED);
}
