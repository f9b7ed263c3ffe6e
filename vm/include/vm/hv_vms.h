/* SPDX-License-Identifier: MIT */
/*
 * The VMs an image carries: its VM description package (vm/vm_desc.h), embedded at build time
 * between the symbols below, read at boot. Each VM is checked again here; a bad one is refused with
 * a log line and the others still start.
 */
#ifndef VM_HV_VMS_H
#define VM_HV_VMS_H

#include <hal/boot.h>
#include <vm/vm.h>

/* The package the build embedded (empty when the configuration names no description). */
extern const char pv_vm_package[];
extern const char pv_vm_package_end[];

/* Reads the package into @out (at most @max VMs) and reserves the host memory of images the
 * firmware placed, in @bi, so the page pool leaves them alone. Returns how many VMs are usable.
 * Context: boot CPU, before the page pool exists. */
unsigned hv_read_vms(struct boot_info *bi, const struct vm_config **out, unsigned max);

#endif
