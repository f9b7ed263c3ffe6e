// SPDX-License-Identifier: MIT
#include <hal/hal.h>
#include <vm/run.h>
#include <vm/sched.h>

static struct vm sched_vms[SCHED_MAX_VMS];
static unsigned sched_nvms;
static uint64_t sched_mask;

unsigned sched_create_vms(const struct vm_config *const *configs, unsigned count,
			  struct page_pool *pool)
{
	for (unsigned i = 0; i < count; i++) {
		struct vm *vm = &sched_vms[sched_nvms];
		int err;

		if (sched_nvms >= SCHED_MAX_VMS) {
			hal_printf("vm %s: not started: at most %u VMs\n", configs[i]->name,
				   SCHED_MAX_VMS);
			continue;
		}
		err = vm_create(vm, sched_nvms, configs[i], pool);
		if (!err) {
			err = vm_load(vm);
			if (err) {
				hal_printf("vm %s: loading failed: %s\n", configs[i]->name,
					   pv_strerror(err));
				vm_destroy(vm);
			}
		}
		if (err)
			continue;
		for (unsigned v = 0; v < vm->nvcpus; v++)
			sched_mask |= 1ULL << vm->vcpus[v].pcpu;
		hal_printf("vm %s: %u vCPU(s), %llu KiB RAM, ready\n", vm->name, vm->nvcpus,
			   (unsigned long long)(vm->config->mem[0].size >> 10));
		sched_nvms++;
	}
	return sched_nvms;
}

uint64_t sched_cpu_mask(void)
{
	return sched_mask;
}

bool sched_all_stopped(void)
{
	for (unsigned i = 0; i < sched_nvms; i++)
		if (__atomic_load_n(&sched_vms[i].state, __ATOMIC_ACQUIRE) != VM_STOPPED)
			return false;
	return true;
}

/* A vCPU pinned to @cpu that waits to run, in a VM that still runs. */
static struct vcpu *sched_next(unsigned cpu)
{
	for (unsigned i = 0; i < sched_nvms; i++) {
		struct vm *vm = &sched_vms[i];
		if (__atomic_load_n(&vm->state, __ATOMIC_ACQUIRE) == VM_STOPPED)
			continue;
		for (unsigned v = 0; v < vm->nvcpus; v++) {
			struct vcpu *vcpu = &vm->vcpus[v];
			if (vcpu->pcpu == cpu &&
			    __atomic_load_n(&vcpu->state, __ATOMIC_ACQUIRE) == VCPU_READY)
				return vcpu;
		}
	}
	return NULL;
}

void sched_run_cpu(unsigned cpu)
{
	for (;;) {
		struct vcpu *vcpu = sched_next(cpu);

		if (vcpu) {
			vm_run_vcpu(vcpu);
			continue;
		}
		if (sched_all_stopped())
			return;
		hal_cpu.wait_for_interrupt();
	}
}

void sched_kick_all(void)
{
	unsigned self = hal_cpu.cpu_id();

	for (unsigned cpu = 0; cpu < 64; cpu++)
		if ((sched_mask >> cpu & 1) && cpu != self)
			hal_cpu.ipi_send(cpu);
}

struct vm *sched_vm(unsigned index)
{
	return index < sched_nvms ? &sched_vms[index] : NULL;
}

unsigned sched_vm_count(void)
{
	return sched_nvms;
}

void sched_reset(void)
{
	sched_nvms = 0;
	sched_mask = 0;
}
