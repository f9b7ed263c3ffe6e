// SPDX-License-Identifier: MIT
/*
 * Restarting a VM while the others run (vm_restart in vm/vm.h). A restart is a sequence of steps
 * on the CPUs of the VM, driven by their scheduler loops:
 *   1. vm_restart: the VM becomes RESETTING (its vCPUs leave their run loops at their next exit;
 *      IPIs make that exit come now), vCPUs waiting to start are taken back, and the restart
 *      generation advances.
 *   2. each CPU, in its loop, resets the vCPUs pinned to it once they have left: a vCPU's state
 *      may still be loaded on its own CPU (lazy switching), so only that CPU can drop it.
 *      The reset also drops the translations that CPU cached for the VM: the guest's own are
 *      tagged with the VM's VMID and would outlive its page tables. vCPUs are pinned, so the CPUs
 *      of its vCPUs are the only ones holding any; stage 2 itself does not change (same RAM).
 *   3. the boot vCPU's CPU, once every vCPU is reset: clears RAM, recreates the devices and the
 *      interrupt controller, reloads the images from their pristine copies (the embedded
 *      package or the firmware-reserved range; the guest only ever wrote its own copy) and
 *      makes the boot vCPU ready.
 * Nothing here holds a lock while it waits: a CPU whose vCPU has not left yet simply comes back
 * on its next loop iteration.
 */
#include <hal/arch_backend.h>
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/sched.h>
#include <vm/vm.h>

int vm_restart(struct vm *vm, const char *why)
{
	const struct vcpu_ops *ops = arch_backend.vcpu;
	unsigned self = hal_cpu.cpu_id();
	enum vm_state was;

	if (!ops->reset)
		return -PV_ENOTSUP;
	pv_spin_lock(&vm->lock);
	was = vm->state;
	if (was == VM_RESETTING || was == VM_CREATED) {
		pv_spin_unlock(&vm->lock);
		return -PV_EBUSY;
	}
	__atomic_store_n(&vm->reset_gen, vm->reset_gen + 1, __ATOMIC_RELAXED);
	__atomic_store_n(&vm->state, VM_RESETTING, __ATOMIC_RELEASE);
	/* A vCPU waiting for its CPU (started, preempted, or idle off its CPU) must not run the
	 * old guest any more; one idling on its CPU finds itself stopped when it wakes. */
	for (unsigned i = 0; i < vm->nvcpus; i++) {
		(void)vcpu_transition(&vm->vcpus[i], VCPU_READY, VCPU_STOPPED);
		(void)vcpu_transition(&vm->vcpus[i], VCPU_HALTED, VCPU_STOPPED);
	}
	pv_spin_unlock(&vm->lock);

	vm_console_flush(vm);
	hal_printf("vm %s: restarting: %s\n", vm->name, why);
	for (unsigned i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i].pcpu != self)
			hal_cpu.ipi_send(vm->vcpus[i].pcpu);
	sched_kick_all();
	return PV_OK;
}

void vm_guest_reset(struct vm *vm)
{
	if (vm->config->stop_on_reset) {
		vm_stop(vm, 0, "guest asked for a reset; its description says to stop (on-reset)");
		return;
	}
	if (vm_restart(vm, "the guest asked for a reset") == -PV_ENOTSUP)
		vm_stop(vm, 0, "guest asked for a reset; this backend cannot restart VMs");
}

/* The restart cannot finish: the VM stays stopped and says why. */
static void vm_restart_failed(struct vm *vm, int err)
{
	pv_spin_lock(&vm->lock);
	vm->exit_code = err;
	pv_snprintf(vm->stop_reason, sizeof(vm->stop_reason), "restart failed: %s",
		    pv_strerror(err));
	__atomic_store_n(&vm->state, VM_STOPPED, __ATOMIC_RELEASE);
	pv_spin_unlock(&vm->lock);
	hal_printf("vm %s: stopped: %s\n", vm->name, vm->stop_reason);
	sched_kick_all();
}

/* RAM reads as zeros again, cleaned to the point of coherency: the guest starts with its caches
 * off and must not find old lines. */
static void vm_clear_ram(struct vm *vm)
{
	for (unsigned i = 0; i < vm->nchunks; i++) {
		void *host = page_pool_virt(vm->pool, vm->chunks[i].hpa);

		memset(host, 0, (size_t)vm->chunks[i].size);
		hal_cpu.dcache_clean_inval(host, (size_t)vm->chunks[i].size);
	}
}

/* Step 3, on the boot vCPU's CPU: every vCPU is reset and none runs. */
static void vm_reload(struct vm *vm)
{
	int err;

	vm_console_detach(vm); /* typed input for the old guest is dropped with it */
	vm_destroy_devices(vm);
	err = vm_create_devices(vm);
	if (!err) {
		vm_clear_ram(vm);
		vm_console_note(vm, "--- restarted ---");
		err = vm_load_images(vm);
	}
	if (err) {
		vm_restart_failed(vm, err);
		return;
	}
	pv_spin_lock(&vm->lock);
	vm->restarts++;
	vm->exit_code = 0;
	vm->stop_reason[0] = '\0';
	__atomic_store_n(&vm->state, VM_READY, __ATOMIC_RELEASE);
	pv_spin_unlock(&vm->lock);
	hal_printf("vm %s: restarted (%u)\n", vm->name, vm->restarts);
}

/* Step 2 for the vCPUs of @vm pinned to @cpu; true when every vCPU of @vm is reset. */
static bool vm_reset_vcpus(struct vm *vm, unsigned cpu, unsigned gen)
{
	bool all = true;

	for (unsigned i = 0; i < vm->nvcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];
		enum vcpu_state st;

		if (__atomic_load_n(&v->reset_gen, __ATOMIC_ACQUIRE) == gen)
			continue;
		st = __atomic_load_n(&v->state, __ATOMIC_ACQUIRE);
		if (v->pcpu != cpu || (st != VCPU_STOPPED && st != VCPU_CREATED)) {
			all = false; /* not left yet, or another CPU's to reset */
			continue;
		}
		arch_backend.vcpu->reset(v);
		memset(v->exit_count, 0, sizeof(v->exit_count));
		v->idle_in_guest = false; /* reset() made its idles exit again */
		__atomic_store_n(&v->reset_gen, gen, __ATOMIC_RELEASE);
		/* The boot vCPU's CPU finishes the restart: tell it there is news. */
		if (vm->vcpus[0].pcpu != cpu)
			hal_cpu.ipi_send(vm->vcpus[0].pcpu);
	}
	return all;
}

void vm_reset_work(unsigned cpu)
{
	for (unsigned i = 0; i < sched_vm_count(); i++) {
		struct vm *vm = sched_vm(i);

		if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) != VM_RESETTING)
			continue;
		if (vm_reset_vcpus(vm, cpu, __atomic_load_n(&vm->reset_gen, __ATOMIC_ACQUIRE)) &&
		    vm->vcpus[0].pcpu == cpu)
			vm_reload(vm);
	}
}
