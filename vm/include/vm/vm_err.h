/* SPDX-License-Identifier: MIT */
/*
 * What is wrong with a VM description or configuration: where (the description's node path, or the
 * VM's name for a configuration written in C) and what, in one line. The same messages reach the
 * build-time checker (stderr, with the file name) and the hypervisor's log at boot.
 */
#ifndef VM_VM_ERR_H
#define VM_VM_ERR_H

#include <pv/types.h>

struct vm_err {
	char where[80];
	char msg[320];
};

/* Fills @err (if not NULL) and returns -PV_EINVAL, so that callers can `return vm_err_set(...)`. */
int vm_err_set(struct vm_err *err, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
