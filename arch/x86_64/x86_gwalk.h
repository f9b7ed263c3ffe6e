/* SPDX-License-Identifier: MIT */
/*
 * Translation of a guest-linear address through the guest's own page tables, for reading the
 * instruction behind an MMIO exit. Paging off (identity) and 4-level long-mode paging with 4 KiB,
 * 2 MiB and 1 GiB pages are walked; 32-bit and PAE paging are refused. Pure C with a callback
 * that reads guest-physical memory, host-tested.
 */
#ifndef X86_GWALK_H
#define X86_GWALK_H

#include <pv/types.h>

struct x86_gwalk_regs {
	uint64_t cr0, cr3, cr4, efer;
};

/* Reads @len bytes of guest-physical memory at @addr; PV_OK or a negative error. */
typedef int (*x86_gwalk_read_fn)(void *ctx, uint64_t addr, void *buf, size_t len);

/* PV_OK and *pa, -PV_ENOENT for a non-present entry, -PV_ENOTSUP for a paging mode not walked,
 * or the reader's error. */
int x86_gwalk(const struct x86_gwalk_regs *regs, uint64_t linear, x86_gwalk_read_fn read, void *ctx,
	      uint64_t *pa);

#endif
