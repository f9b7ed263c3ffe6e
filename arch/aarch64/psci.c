// SPDX-License-Identifier: MIT
/* PSCI emulation for guests (see a64/psci.h). */
#include <a64/psci.h>
#include <vm/hypercall.h>
#include <vm/vm.h>

/* MPIDR affinity fields Aff3 (39:32) and Aff2..Aff0 (23:0); the rest of a target is ignored. */
#define PSCI_AFF_MASK 0xff00ffffffULL

bool a64_psci_is_call(uint32_t fid)
{
	return (fid & 0xbfffffe0u) == 0x84000000u;
}

static bool a64_psci_known(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

/* ON, OFF or ON_PENDING for the vCPU the guest calls @target (lowest affinity level 0 only). */
static int64_t a64_psci_affinity(struct vm *vm, uint64_t target, uint64_t level)
{
	struct vcpu *v;

	if (level != 0)
		return PSCI_RET_INVALID_PARAMS;
	v = vm_find_vcpu(vm, target & PSCI_AFF_MASK);
	if (!v)
		return PSCI_RET_INVALID_PARAMS;
	switch (__atomic_load_n(&v->state, __ATOMIC_ACQUIRE)) {
	case VCPU_RUNNING:
	case VCPU_HALTED:
		return PSCI_AFFINITY_ON;
	case VCPU_READY:
		return PSCI_AFFINITY_ON_PENDING;
	default:
		return PSCI_AFFINITY_OFF;
	}
}

bool a64_psci_call(struct vcpu *vcpu, uint64_t *x, struct vcpu_exit *exit)
{
	uint32_t fid = (uint32_t)x[0];
	bool smc32 = !(fid & 0x40000000u);
	/* SMC32 calls pass 32-bit arguments; the upper halves are not the caller's. */
	uint64_t a1 = smc32 ? (uint32_t)x[1] : x[1];
	uint64_t a2 = smc32 ? (uint32_t)x[2] : x[2];
	uint64_t a3 = smc32 ? (uint32_t)x[3] : x[3];
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_FEATURES:
		ret = a64_psci_known((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		ret = a64_psci_affinity(vcpu->vm, a1, a2);
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		exit->kind = VCPU_EXIT_CPU_UP;
		exit->cpu_up.target = a1 & PSCI_AFF_MASK;
		exit->cpu_up.entry = a2;
		exit->cpu_up.arg = a3;
		exit->cpu_up.ret = PV_HC_OK;
		return true;
	case PSCI_CPU_OFF:
		exit->kind = VCPU_EXIT_CPU_DOWN;
		return true;
	case PSCI_SYSTEM_OFF:
		exit->kind = VCPU_EXIT_SYSTEM_OFF;
		return true;
	case PSCI_SYSTEM_RESET:
		exit->kind = VCPU_EXIT_SYSTEM_RESET;
		return true;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	x[0] = (uint64_t)ret;
	return false;
}

int64_t a64_psci_cpu_on_result(struct vm *vm, uint64_t target, int64_t hc_ret)
{
	switch (hc_ret) {
	case PV_HC_OK:
		return PSCI_RET_SUCCESS;
	case PV_HC_EALREADY: {
		/* Started but not yet running: its CPU_ON is still pending (PSCI 1.1, CPU_ON). */
		struct vcpu *t = vm_find_vcpu(vm, target);

		return t && __atomic_load_n(&t->state, __ATOMIC_ACQUIRE) == VCPU_READY
			       ? PSCI_RET_ON_PENDING
			       : PSCI_RET_ALREADY_ON;
	}
	case PV_HC_EDENIED:
		return PSCI_RET_DENIED;
	case PV_HC_EINVAL:
		/* The core refuses an unknown CPU and an entry outside RAM alike; PSCI tells them
		 * apart. */
		return vm_find_vcpu(vm, target) ? PSCI_RET_INVALID_ADDRESS
						: PSCI_RET_INVALID_PARAMS;
	default:
		return PSCI_RET_INVALID_PARAMS;
	}
}
