/* SPDX-License-Identifier: MIT */
/*
 * Guest RAM as the hypervisor reaches it: the one translation every emulated device uses for the
 * guest-physical addresses a guest hands it (virtqueue rings, buffers, SBI arguments). Only the
 * VM's own RAM translates: its regions, backed by the chunks vm_create allocated (the RAM part
 * of its stage 2). Device windows, holes and ranges that wrap are refused, never touched.
 *
 * A translation is a pure lookup: it reads no guest memory, so nothing the guest changes between
 * a check and a use can make it point elsewhere. The VM's RAM layout is fixed from vm_create to
 * vm_destroy, so a translation stays valid as long as the VM exists.
 */
#ifndef VM_GUEST_MEM_H
#define VM_GUEST_MEM_H

#include <pv/types.h>

struct vm;

/* A piece of guest RAM in hypervisor memory: @len bytes at @host. */
struct vm_gpa_piece {
	uint8_t *host;
	uint64_t len;
};

/* Translates guest-physical [@addr, @addr + @len): one piece per RAM chunk the range crosses, in
 * order, written to @out (at most @max). Returns the number of pieces (0 for @len 0), -PV_EFAULT
 * when a byte of the range is not the VM's RAM or the range wraps, -PV_ENOMEM when it crosses
 * more than @max chunks. With @out NULL it only checks and counts (no limit). Context: any CPU,
 * no lock needed; never blocks. */
int vm_gpa_pieces(const struct vm *vm, gpa_t addr, uint64_t len, struct vm_gpa_piece *out,
		  unsigned max);

/* The host address of guest-physical [@addr, @addr + @len) when that range is RAM within one
 * chunk, else NULL. Naturally aligned fields of at most a page (ring indices, descriptors) always
 * lie within one chunk when they are RAM. Context: as vm_gpa_pieces. */
void *vm_gpa_ptr(const struct vm *vm, gpa_t addr, uint64_t len);

#endif
