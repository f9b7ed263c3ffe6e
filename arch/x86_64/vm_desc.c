// SPDX-License-Identifier: MIT
/*
 * What an x86_64 VM looks like to its guest (vm/arch_vm_desc.h): ELF guests for EM_X86_64, no
 * device tree (x86 guests learn their machine from firmware tables), and the local APIC's window,
 * which the guest reaches in x2APIC mode only and which no device may take. For passthrough, the
 * host ranges no VM may be given (the UART is an I/O port, which no description can name).
 */
#include <vm/arch_vm_desc.h>

#define X86_EM_X86_64	 62
#define X86_LAPIC_WINDOW 0xfee00000ULL
#define X86_LAPIC_SIZE	 0x1000ULL
#define X86_APIC_RANGE	 0x100000ULL /* 0xfee00000-0xfeefffff: each CPU's local APIC answers */
#define X86_IOAPIC_BASE	 0xfec00000ULL
#define X86_IOAPIC_SIZE	 0x1000ULL

static unsigned x86_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	(void)cfg;
	out[0] = (struct arch_vm_range){ "local APIC", X86_LAPIC_WINDOW, X86_LAPIC_SIZE };
	return 1;
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

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = HAL_PAGE_SIZE,
	.elf_machine = X86_EM_X86_64,
	.guest_ranges = x86_guest_ranges,
	.host_ranges = x86_host_ranges,
};
