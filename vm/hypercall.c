// SPDX-License-Identifier: MIT
/* The arch-neutral side of the hypercall ABI (vm/hypercall.h, docs/hypercalls.md). */
#include <pv/fmt.h>
#include <vm/exit_step.h>
#include <vm/hypercall.h>
#include <vm/vm.h>

/* DEVICE_EXITS (docs/hypercalls.md): the VM's trapped device accesses, all or one device's. Other
 * vCPUs' counts move while they are read: each is read once, atomically. */
static void vm_hypercall_device_exits(struct vm *vm, uint64_t addr, uint64_t which,
				      struct vcpu_exit *exit)
{
	struct vdev *dev;

	if (which == 0) {
		for (unsigned i = 0; i < vm->nvcpus; i++) {
			const uint64_t *n = vm->vcpus[i].exit_count;

			exit->hcall.value +=
				__atomic_load_n(&n[VCPU_EXIT_MMIO], __ATOMIC_RELAXED) +
				__atomic_load_n(&n[VCPU_EXIT_PIO], __ATOMIC_RELAXED) +
				__atomic_load_n(&n[VCPU_EXIT_SYSREG], __ATOMIC_RELAXED);
		}
		return;
	}
	dev = which <= VDEV_SPACE_COUNT ? vdev_find(vm, (enum vdev_space)(which - 1), addr, 1)
					: NULL;
	if (dev)
		exit->hcall.value = __atomic_load_n(&dev->accesses, __ATOMIC_RELAXED);
	else
		exit->hcall.ret = PV_HC_EINVAL;
}

/* Out of line: keeps the reason buffer off the stack frame of every hypercall. */
static __attribute__((noinline)) void vm_hypercall_stop(struct vcpu *vcpu, int64_t code)
{
	char reason[64];

	pv_snprintf(reason, sizeof(reason), "vcpu %u asked to stop", vcpu->id);
	vm_stop(vcpu->vm, code, reason);
}

bool vm_hypercall(struct vcpu *vcpu, struct vcpu_exit *exit)
{
	struct vm *vm = vcpu->vm;
	const uint64_t *a = exit->hcall.args;

	if (vm_hypercall_leaf(exit))
		return true;
	exit->hcall.ret = PV_HC_OK;
	exit->hcall.value = 0;
	switch (exit->hcall.nr) {
	case PV_HC_VM_STOP:
		vm_hypercall_stop(vcpu, (int64_t)a[0]);
		return false;
	case PV_HC_PUTCHAR:
		vm_console_putc(vm, (char)(a[0] & 0xff));
		return true;
	case PV_HC_DEVICE_EXITS:
		vm_hypercall_device_exits(vm, a[0], a[1], exit);
		return true;
	case PV_HC_CPU_ON:
		exit->hcall.ret = vm_cpu_up(vm, a[0], gpa(a[1]), a[2]);
		return true;
	default:
		exit->hcall.ret = PV_HC_ENOSYS;
		return true;
	}
}
