/* SPDX-License-Identifier: MIT */
/* The loader's boot information in a0..a2 (la_bootinfo.c), apart from how memory is reached. */
#ifndef ARCH_LOONGARCH64_LA_BOOTINFO_H
#define ARCH_LOONGARCH64_LA_BOOTINFO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum la_boot_regs {
	LA_BOOT_REGS_NONE,    /* a0..a2 all 0: the loader says nothing (QEMU up to 7.2) */
	LA_BOOT_REGS_EFI,     /* a0 = 1, a1 = command line, a2 = a valid UEFI system table */
	LA_BOOT_REGS_UNKNOWN, /* something else: not interpreted */
};

struct la_bootinfo {
	enum la_boot_regs kind;
	uint64_t cmdline_pa; /* a1 (LA_BOOT_REGS_EFI: the command line's physical address) */
	uint64_t systab_pa;
	unsigned ntables; /* configuration tables of the system table */
	bool has_dtb;	  /* one of them is the device tree's */
	uint64_t dtb_pa;
};

/* @len bytes at physical @pa, or NULL when they cannot be read. */
typedef const void *(*la_phys_map_fn)(void *ctx, uint64_t pa, size_t len);

/* Decides from a0..a2 themselves what the loader passed; fills *out. Context: boot CPU. */
enum la_boot_regs la_bootinfo_parse(uint64_t a0, uint64_t a1, uint64_t a2, la_phys_map_fn map,
				    void *ctx, struct la_bootinfo *out);

#endif
