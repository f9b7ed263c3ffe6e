/* SPDX-License-Identifier: MIT */
/*
 * The Polyvisor hypercall ABI, arch-neutral part. Each backend maps its architecture's calling
 * convention (trapping instruction, function-number and argument registers, error encoding) onto
 * (nr, args) -> (ret, value); docs/hypercalls.md gives the mapping for every backend.
 */
#ifndef VM_HYPERCALL_H
#define VM_HYPERCALL_H

#include <pv/types.h>

struct vcpu;
struct vcpu_exit;

/* Function numbers. */
enum pv_hcall_nr {
	PV_HC_VERSION = 0,	/* ret = 0, value = PV_HC_ABI_VERSION */
	PV_HC_ECHO = 1,		/* ret = 0, value = args[0] */
	PV_HC_VM_STOP = 2,	/* stops the calling VM; args[0] = exit code the log shows */
	PV_HC_PUTCHAR = 3,	/* writes args[0] & 0xff to the VM's console; ret = 0 */
	PV_HC_CPU_ON = 4,	/* starts vCPU args[0] at args[1] with first argument args[2] */
	PV_HC_DEVICE_EXITS = 5, /* value = the VM's emulated device accesses so far: args[1] = 0,
				 * all of them (every vCPU's); 1 + enum vdev_space, those to the
				 * device at args[0] in that space (EINVAL if there is none) */
	PV_HC_COUNT
};

/* Error codes (ret < 0). The backend converts them to its convention. */
enum pv_hcall_err {
	PV_HC_OK = 0,
	PV_HC_ENOSYS = -1,   /* unknown function number */
	PV_HC_EINVAL = -2,   /* bad argument */
	PV_HC_EDENIED = -3,  /* not allowed for this VM */
	PV_HC_EALREADY = -4, /* CPU_ON of a running vCPU */
};

#define PV_HC_ABI_VERSION 0x00010000u /* major 1, minor 0 */

/* Handles a VCPU_EXIT_HYPERCALL exit: fills exit->hcall.ret/value.
 * Returns true if the vCPU may continue, false if the call stopped it (VM_STOP). */
bool vm_hypercall(struct vcpu *vcpu, struct vcpu_exit *exit);

#endif
