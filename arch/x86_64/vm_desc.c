// SPDX-License-Identifier: MIT
/*
 * What an x86_64 VM looks like to its guest (vm/arch_vm_desc.h): ELF guests for EM_X86_64, no
 * device tree (x86 guests learn their machine from firmware tables), the local APIC's window and
 * the I/O APIC's, which the vLAPIC emulates and no device may take. Device interrupt lines are
 * the I/O APIC's pins 1-23 (ISA IRQ n is pin n, as the MADT says). For passthrough, the
 * host ranges no VM may be given (the UART is an I/O port, which no description can name). Linux
 * kernels boot through PVH (x86_boot.h): the vmlinux ELF, entered at its PVH note with EBX = the
 * start info of the boot information block, which also holds the VM's ACPI tables.
 */
#include <vm/arch_vm_desc.h>

#include "x86_boot.h"

#define X86_EM_X86_64	 62
#define X86_LAPIC_WINDOW 0xfee00000ULL
#define X86_LAPIC_SIZE	 0x1000ULL
#define X86_APIC_RANGE	 0x100000ULL /* 0xfee00000-0xfeefffff: each CPU's local APIC answers */

static unsigned x86_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	(void)cfg;
	out[0] = (struct arch_vm_range){ "local APIC", X86_LAPIC_WINDOW, X86_LAPIC_SIZE };
	out[1] = (struct arch_vm_range){ "I/O APIC", X86_IOAPIC_BASE, X86_IOAPIC_SIZE };
	return 2;
}

/* Line n is I/O APIC pin n. */
static uint32_t x86_irq_line(uint32_t line)
{
	return line;
}

/* The hypervisor's local APIC (xAPIC registers, its timer and IPIs) sits in this range on every
 * CPU; the I/O APIC, which it leaves masked, would let its owner aim any device's interrupt at
 * any CPU and vector, the hypervisor's own included. */
static unsigned x86_host_ranges(struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "local APIC range", X86_LAPIC_WINDOW, X86_APIC_RANGE };
	out[1] = (struct arch_vm_range){ "I/O APIC", X86_IOAPIC_BASE, X86_IOAPIC_SIZE };
	return 2;
}

static int x86_linux_info(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
			  void *buf, uint64_t args[VM_BOOT_ARGS], char *why, size_t why_len)
{
	int rc = x86_pvh_info(cfg, layout, at, buf, why, why_len);

	args[0] = at + X86_INFO_START;
	return rc ? rc : 1;
}

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = HAL_PAGE_SIZE,
	.elf_machine = X86_EM_X86_64,
	.min_irq_line = 1,
	.max_irq_line = X86_IOAPIC_PINS - 1,
	.irq_line = x86_irq_line,
	.guest_ranges = x86_guest_ranges,
	.host_ranges = x86_host_ranges,
	.linux_elf_entry = x86_pvh_entry,
	.linux_info_offset = X86_INFO_OFFSET,
	.linux_info_size = X86_INFO_SIZE,
	.linux_info = x86_linux_info,
};
