/* SPDX-License-Identifier: MIT */
/*
 * What an x86_64 Linux guest is handed at boot (arch_vm_desc's Linux hooks): the PVH entry found in
 * the vmlinux's ELF notes, the hvm_start_info block (memory map, command line, initrd module) and
 * the ACPI tables describing the VM (CPUs, I/O APIC, power-off and reset registers). Pure code:
 * the hypervisor at boot and the host-side description checker share it.
 *
 * The boot information block sits X86_INFO_OFFSET bytes into the kernel's RAM region (on a VM whose
 * RAM starts at 0: where a PC's BIOS area is, a range Linux never allocates), X86_INFO_SIZE bytes,
 * reported to the guest as reserved memory.
 */
#ifndef X86_BOOT_H
#define X86_BOOT_H

#include <pv/types.h>
#include <vm/vm.h>
#include <vm/vm_layout.h>

#define X86_INFO_OFFSET 0xe0000ULL
#define X86_INFO_SIZE	0x2000ULL

/* Offsets inside the block. */
#define X86_INFO_START	    0x000 /* struct hvm_start_info (56 bytes) */
#define X86_INFO_MODULE	    0x040 /* one hvm_modlist_entry: the initrd */
#define X86_INFO_MEMMAP	    0x080 /* hvm_memmap_table_entry array */
#define X86_INFO_MEMMAP_MAX 16
#define X86_INFO_CMDLINE    0x200
#define X86_CMDLINE_MAX	    2048   /* Linux/x86's COMMAND_LINE_SIZE, the NUL included */
#define X86_INFO_ACPI	    0x1000 /* the ACPI tables, RSDP first */

/* hvm_start_info (Xen's public arch-x86/hvm/start_info.h), version 1. */
#define X86_PVH_MAGIC	      0x336ec578u
#define X86_PVH_VERSION	      1u
#define X86_PVH_NR_MODULES    12
#define X86_PVH_MODLIST	      16
#define X86_PVH_CMDLINE	      24
#define X86_PVH_RSDP	      32
#define X86_PVH_MEMMAP	      40
#define X86_PVH_MEMMAP_NR     48
#define X86_PVH_START_SIZE    56
#define X86_PVH_MODULE_SIZE   32
#define X86_PVH_MEMMAP_SIZE   24
#define X86_E820_RAM	      1u
#define X86_E820_RESERVED     2u
#define X86_ELFNOTE_PVH_ENTRY 18u /* XEN_ELFNOTE_PHYS32_ENTRY */

/* The I/O APIC every VM has (MADT, and the emulated one's MMIO window). */
#define X86_IOAPIC_BASE 0xfec00000ULL
#define X86_IOAPIC_SIZE 0x1000ULL
#define X86_IOAPIC_PINS 24

/* The hardware-reduced ACPI registers (FADT), in I/O space, served by the backend. */
#define X86_ACPI_SLEEP_CTL   0x600 /* 8 bits: SLP_TYP << 2 | SLP_EN */
#define X86_ACPI_SLEEP_STS   0x601 /* 8 bits, reads 0 */
#define X86_ACPI_RESET_PORT  0x602 /* 8 bits: X86_ACPI_RESET_VALUE resets the VM */
#define X86_ACPI_RESET_VALUE 0x01
#define X86_ACPI_SLP_TYP_S5  5u /* \_S5's SLP_TYP in the DSDT */
#define X86_ACPI_SLP_EN	     0x20u

static inline uint64_t x86_get(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

static inline void x86_put(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

/* The PVH entry point of @image (an ELF64 executable vm_elf_read accepted): the value of its
 * XEN_ELFNOTE_PHYS32_ENTRY note in a PT_NOTE segment, a 32-bit physical address. -PV_EINVAL with
 * @why filled when there is none or the notes are malformed. */
int x86_pvh_entry(const void *image, uint64_t size, uint64_t *entry, char *why, size_t why_len);

/* Writes the boot information block for guest-physical @at into @buf (X86_INFO_SIZE bytes, zeroed):
 * start info, module list, memory map, command line, ACPI tables. -PV_EINVAL with @why filled when
 * something does not fit. With @buf NULL only checks. */
int x86_pvh_info(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
		 uint8_t *buf, char *why, size_t why_len);

/* Writes the VM's ACPI tables at @buf, for guest-physical @at, in at most @size bytes: the RSDP at
 * @at, then XSDT, FADT, MADT and DSDT. Returns the bytes used, 0 when @size is too small. */
uint64_t x86_acpi_build(const struct vm_config *cfg, uint64_t at, uint8_t *buf, uint64_t size);

/* What a guest's port access does to the ACPI sleep and reset registers. */
enum x86_acpi_pm {
	X86_ACPI_PM_NONE,  /* not theirs: touches none of their ports */
	X86_ACPI_PM_DONE,  /* served: reads return 0, other writes are ignored */
	X86_ACPI_PM_OFF,   /* SLP_EN with \_S5's SLP_TYP: the VM powers off */
	X86_ACPI_PM_RESET, /* the reset value to the reset register: the VM resets */
};

/* Classifies a port access of @width bytes at @port (a @write of @value); each byte of it that
 * falls on one of the registers counts as a byte access to that register. Pure. */
enum x86_acpi_pm x86_acpi_pm_access(uint16_t port, unsigned width, bool write, uint64_t value);

#endif
