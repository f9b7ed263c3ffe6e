/* SPDX-License-Identifier: MIT */
/*
 * PSCI for guests (Arm DEN 0022): the calls a guest OS makes to start, stop and query its CPUs
 * and to power its machine off, answered by the hypervisor for the VM. CPU ids are the guest's
 * MPIDR affinity values (vcpu->guest_cpu_id).
 */
#ifndef A64_PSCI_H
#define A64_PSCI_H

#include <vcpu/exit.h>

struct vcpu;
struct vm;

#define PSCI_VERSION	       0x84000000u
#define PSCI_CPU_OFF	       0x84000002u
#define PSCI_CPU_ON_32	       0x84000003u
#define PSCI_CPU_ON_64	       0xc4000003u
#define PSCI_AFFINITY_INFO_32  0x84000004u
#define PSCI_AFFINITY_INFO_64  0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF	       0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES	       0x8400000au

#define PSCI_RET_SUCCESS	  0
#define PSCI_RET_NOT_SUPPORTED	  (-1)
#define PSCI_RET_INVALID_PARAMS	  (-2)
#define PSCI_RET_DENIED		  (-3)
#define PSCI_RET_ALREADY_ON	  (-4)
#define PSCI_RET_ON_PENDING	  (-5)
#define PSCI_RET_INVALID_ADDRESS  (-9)
#define PSCI_AFFINITY_ON	  0
#define PSCI_AFFINITY_OFF	  1
#define PSCI_AFFINITY_ON_PENDING  2
#define PSCI_VERSION_1_1	  0x00010001u
#define PSCI_MIGRATE_NOT_REQUIRED 2

/* Whether @fid lies in the PSCI range of the standard secure service calls. */
bool a64_psci_is_call(uint32_t fid);

/*
 * Runs PSCI call x[0] of @vcpu (x: its x0..x30). Queries are answered in place: x[0] gets the
 * result and false is returned. Calls that change a CPU's or the VM's life fill @exit (CPU_UP,
 * CPU_DOWN, SYSTEM_OFF, SYSTEM_RESET) and return true; the core then acts on it.
 * Context: the vCPU's CPU, after an exit.
 */
bool a64_psci_call(struct vcpu *vcpu, uint64_t *x, struct vcpu_exit *exit);

/* The PSCI result of a CPU_ON the core answered with PV_HC_* code @hc_ret. */
int64_t a64_psci_cpu_on_result(struct vm *vm, uint64_t target, int64_t hc_ret);

#endif
