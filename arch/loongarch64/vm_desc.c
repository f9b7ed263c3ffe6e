// SPDX-License-Identifier: MIT
/*
 * What a loongarch64 VM looks like to its guest (vm/arch_vm_desc.h): ELF guests for
 * EM_LOONGARCH. The guest's IPI block is reached through IOCSR, not memory, so the backend
 * emulates no guest-physical range. Device interrupt lines and Linux's boot protocol come with
 * Linux support on this backend.
 */
#include <vm/arch_vm_desc.h>

#define LA_EM_LOONGARCH 258

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = PV_KIB(16),
	.elf_machine = LA_EM_LOONGARCH,
};
