// SPDX-License-Identifier: MIT
/*
 * What a riscv64 VM looks like to its guest (vm/arch_vm_desc.h): ELF guests for EM_RISCV, device
 * lines as vPLIC sources, and the vPLIC's guest-physical window. The RISC-V Linux boot protocol
 * and the guest device tree's CPU and PLIC nodes come with Linux support on this backend.
 */
#include <devices/vplic.h>
#include <vm/arch_vm_desc.h>

#define RV_EM_RISCV 243

/* Device line n is vPLIC source n (source 0 does not exist). */
static uint32_t rv_irq_line(uint32_t line)
{
	return line;
}

static unsigned rv_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "PLIC", CONFIG_RISCV_GUEST_PLIC_BASE,
					 VPLIC_SIZE(cfg->nvcpus) };
	return 1;
}

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = HAL_PAGE_SIZE,
	.elf_machine = RV_EM_RISCV,
	.max_irq_line = VPLIC_SOURCES - 1,
	.irq_line = rv_irq_line,
	.guest_ranges = rv_guest_ranges,
};
