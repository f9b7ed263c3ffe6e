// SPDX-License-Identifier: MIT
/*
 * What a riscv64 VM looks like to its guest (vm/arch_vm_desc.h): ELF guests for EM_RISCV, device
 * lines as vPLIC sources, and the vPLIC's guest-physical window; for passthrough, the devices the
 * hypervisor keeps (console, PLIC, CLINT) and the host's PLIC sources. The RISC-V Linux boot protocol
 * and the guest device tree's CPU and PLIC nodes come with Linux support on this backend.
 */
#include <devices/vplic.h>
#include <vm/arch_vm_desc.h>

#define RV_EM_RISCV	   243
#define RV_HOST_MAX_SOURCE 1023u /* a PLIC's last source */

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

/* The console, the PLIC the hypervisor drives for passed-through sources, and M-mode's CLINT. */
static unsigned rv_host_ranges(struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "console UART", CONFIG_PLATFORM_UART_BASE, 0x1000 };
	out[1] = (struct arch_vm_range){ "PLIC", CONFIG_RISCV_HOST_PLIC_BASE,
					 CONFIG_RISCV_HOST_PLIC_SIZE };
	out[2] = (struct arch_vm_range){ "CLINT", CONFIG_RISCV_HOST_CLINT_BASE, 0x10000 };
	return 3;
}

static const char *const rv_host_compatibles[] = { "riscv,clint0",	  "sifive,clint0",
						   "riscv,aclint-mtimer", "riscv,aclint-mswi",
						   "riscv,aclint-sswi",	  NULL };

/* A host specifier is one cell, the PLIC source (0 does not exist). */
static int rv_fdt_host_irq(const uint32_t *cells, unsigned n, uint32_t *line)
{
	if (n != 1 || cells[0] == 0 || cells[0] > RV_HOST_MAX_SOURCE)
		return -PV_EINVAL;
	*line = cells[0];
	return PV_OK;
}

static unsigned rv_fdt_guest_irq(const uint32_t *host_cells, unsigned n, uint32_t guest,
				 uint32_t cells[4])
{
	(void)host_cells, (void)n;
	cells[0] = guest;
	return 1;
}

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = HAL_PAGE_SIZE,
	.elf_machine = RV_EM_RISCV,
	.max_irq_line = VPLIC_SOURCES - 1,
	.irq_line = rv_irq_line,
	.guest_ranges = rv_guest_ranges,
	.host_ranges = rv_host_ranges,
	.host_compatibles = rv_host_compatibles,
	.max_host_irq_line = RV_HOST_MAX_SOURCE,
	.fdt_host_irq = rv_fdt_host_irq,
	.fdt_guest_irq = rv_fdt_guest_irq,
};
