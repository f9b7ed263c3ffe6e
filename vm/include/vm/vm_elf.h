/* SPDX-License-Identifier: MIT */
/*
 * ELF64 guest images (bare-metal and RTOS guests): the loadable segments and the entry point.
 * Every field is checked against the file before use, as the file comes from a user's description.
 */
#ifndef VM_VM_ELF_H
#define VM_VM_ELF_H

#include <pv/types.h>

#define VM_ELF_MAX_SEGMENTS 16

struct vm_elf_segment {
	uint64_t paddr;	 /* guest-physical destination */
	uint64_t offset; /* of its bytes in the file */
	uint64_t filesz; /* bytes copied from the file */
	uint64_t memsz;	 /* bytes it occupies (the rest is zero) */
};

struct vm_elf {
	uint64_t entry;
	unsigned nseg;
	struct vm_elf_segment seg[VM_ELF_MAX_SEGMENTS]; /* PT_LOAD segments with memsz > 0 */
};

/* Reads @data (@size bytes) as a little-endian ELF64 executable for @machine. -PV_EINVAL with
 * @why filled when it is not one, or a segment lies outside the file or wraps. Context: pure. */
int vm_elf_read(const void *data, uint64_t size, uint16_t machine, struct vm_elf *out, char *why,
		size_t why_len);

#endif
