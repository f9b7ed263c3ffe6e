/* SPDX-License-Identifier: MIT */
/*
 * The multiboot2 boot information (the boot loader's memory map, command line and modules) read
 * into a boot_info. Pure C over a buffer, host-tested: the loader's structure is firmware input,
 * and a bad one gets a log line and an error, never a read outside it or a hang.
 */
#ifndef X86_MULTIBOOT2_H
#define X86_MULTIBOOT2_H

#include <hal/boot.h>

/* Reads the structure at @info (8-byte aligned; @avail bytes may be read there, its total_size
 * must fit in them) which lies at physical address @addr. Usable RAM at or above @idmap_limit is
 * left out (the hypervisor cannot reach it). The first MiB, the structure itself and the boot
 * modules are reserved; bi->cmdline points into the structure. PV_OK or -PV_EINVAL. */
int x86_mb2_parse(const void *info, size_t avail, uint64_t addr, uint64_t idmap_limit,
		  struct boot_info *bi);

#endif
