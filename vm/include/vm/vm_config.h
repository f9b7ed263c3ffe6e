/* SPDX-License-Identifier: MIT */
/*
 * Checks a VM configuration whole before anything is allocated for it: vCPUs and their CPUs, RAM
 * regions, images, devices (known model, allowed address space, register stride, interrupt line,
 * no overlap with RAM, with each other or with what the backend emulates). Pure code: the same
 * check runs in the build-time checker and in vm_create.
 */
#ifndef VM_VM_CONFIG_H
#define VM_VM_CONFIG_H

#include <vm/vm.h>
#include <vm/vm_err.h>

/* PV_OK, or -PV_EINVAL with @err saying what is wrong (err->where: the VM's name). */
int vm_config_check(const struct vm_config *cfg, struct vm_err *err);

/* The passed-through devices and identity RAM of @cfg (vm_config_pt.c; part of vm_config_check):
 * @name is the VM's name for messages. */
int vm_config_check_pt(const struct vm_config *cfg, const char *name, struct vm_err *err);

/* The MAC address of network device @node of VM @vm when the description gives none: locally
 * administered, unicast, "02:70:76" then 24 bits of a hash of "<vm>/<node>". */
void vm_dev_default_mac(const char *vm, const char *node, uint8_t mac[6]);

#endif
