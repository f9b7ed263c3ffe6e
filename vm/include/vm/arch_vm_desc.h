/* SPDX-License-Identifier: MIT */
/*
 * What a backend says about the VMs it runs, as pure code (no hardware access), so that the same
 * functions serve the hypervisor at boot and the build-time checker on the host: the Linux boot
 * protocol of the architecture, the guest device tree's architecture nodes (CPUs, interrupt
 * controller, timer, firmware interface), how a device's interrupt line is written there, and the
 * guest-physical ranges the backend emulates in every VM. One const object per backend, defined in
 * arch/<isa>/ and bound at link time like arch_backend; the core never names an architecture.
 * Every member is called on any CPU (or the host), with no lock held, and never blocks.
 */
#ifndef VM_ARCH_VM_DESC_H
#define VM_ARCH_VM_DESC_H

#include <vm/vm.h>

/* A guest-physical range the backend emulates for a VM (e.g. its interrupt controller). */
struct arch_vm_range {
	const char *what;
	uint64_t base;
	uint64_t size;
};

#define ARCH_VM_MAX_RANGES 4

struct arch_vm_desc {
	uint16_t elf_machine; /* e_machine of the guest ELF images the backend runs */

	/* Guest RAM regions start and end on this boundary: the stage-2 format's page size (the
	 * host checker has no stage-2 format; vm_create also checks the two agree). */
	uint64_t ram_align;

	/* Linux boot protocol: alignment of the kernel's base in RAM, and the kernel image's header
	 * read: offset of the image from that base and the memory the kernel occupies from there
	 * (its file plus what it claims after it). -PV_EINVAL with @why filled when @image is not a
	 * kernel of this architecture. NULL: the backend cannot boot Linux. */
	uint64_t linux_align;
	int (*linux_header)(const void *image, uint64_t size, uint64_t *text_offset,
			    uint64_t *footprint, char *why, size_t why_len);

	/* Where the kernel is entered, as an offset from its load address, for kernels whose header
	 * names an entry point inside the image; only called on an image linux_header
	 * accepted, which checked the entry lies inside it. NULL: entered at the load address. */
	uint64_t (*linux_entry)(const void *image, uint64_t size);

	/* Linux kernels that are ELF executables for elf_machine (e.g. a vmlinux entered
	 * through its PVH note): placed and loaded by their segments like an "elf" kernel, entered
	 * at the address this returns in @entry. -PV_EINVAL with @why filled when @image (already
	 * read as an ELF executable) names no such entry. NULL: Linux kernels are flat images
	 * (linux_header). */
	int (*linux_elf_entry)(const void *image, uint64_t size, uint64_t *entry, char *why,
			       size_t why_len);

	/* Boot information a Linux kernel takes besides the device tree's address (e.g. an EFI
	 * system table whose configuration table names the device tree, and the command line):
	 * a block of linux_info_size bytes at linux_info_offset from the start of the kernel's RAM
	 * region. With @buf NULL, linux_info checks that @cfg's boot information fits, before the
	 * device tree is placed (@layout says whether there is one); otherwise it writes the block,
	 * for guest-physical address @at, into @buf (linux_info_size bytes, zeroed), @layout
	 * complete. Either way it writes the boot vCPU's argument registers into @args and returns
	 * how many (1 to VM_BOOT_ARGS); 0 when this kernel takes no such block (none is placed),
	 * -PV_EINVAL with @why filled when it cannot be written. NULL: never such a block. */
	uint64_t linux_info_offset;
	uint64_t linux_info_size;
	int (*linux_info)(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
			  void *buf, uint64_t args[VM_BOOT_ARGS], char *why, size_t why_len);

	/* Adds the architecture's nodes to a guest device tree under construction (/cpus, the
	 * interrupt controller, timers, firmware) and returns the interrupt controller's phandle in
	 * @intc_phandle (0: devices get no interrupt-parent). A negative libfdt error when the tree
	 * is full. NULL: this architecture's guests get no device tree. */
	int (*fdt_arch)(void *fdt, const struct vm_config *cfg, uint32_t *intc_phandle);

	/* Writes the interrupt specifier of device line @line into @cells (at most 4), returns the
	 * number of cells. */
	unsigned (*fdt_irq)(uint32_t line, uint32_t cells[4]);

	/* Device interrupt lines are min_irq_line..max_irq_line. @irq_line turns a line into the
	 * number virq_ops.set_line takes. */
	uint32_t min_irq_line;
	uint32_t max_irq_line;
	uint32_t (*irq_line)(uint32_t line);

	/* The guest-physical ranges the backend itself emulates in a VM configured as @cfg; returns
	 * how many it wrote (at most ARCH_VM_MAX_RANGES). They must not overlap RAM or devices. */
	unsigned (*guest_ranges)(const struct vm_config *cfg, struct arch_vm_range *out);

	/* Passthrough (docs/devices.md). The host-physical ranges of the devices the hypervisor
	 * itself drives on the board it is built for (its console UART, interrupt controller,
	 * timers), from the board's configuration: no VM may be given any part of them. Returns
	 * how many it wrote (at most ARCH_VM_MAX_RANGES). NULL: none known. */
	unsigned (*host_ranges)(struct arch_vm_range *out);

	/* Compatible strings of host device-tree nodes the hypervisor drives besides its console
	 * and the interrupt controllers (which every backend keeps): at boot, the "reg" ranges of
	 * such nodes in the firmware's tree are refused to VMs as well. NULL-terminated; NULL:
	 * none. */
	const char *const *host_compatibles;

	/* Physical interrupt lines a VM may own, as descriptions write them ("host-interrupts"):
	 * 0..max_host_irq_line; lines the hypervisor uses itself are outside that numbering.
	 * fdt_host_irq reads an interrupt specifier of the host's device tree (@n cells of its
	 * interrupt controller) into such a line, -PV_EINVAL when it names none (a private
	 * interrupt, another kind of controller); fdt_guest_irq writes guest line @guest in the
	 * same form (the host's trigger kept) into @cells, at most 4, and returns the count.
	 * NULL fdt_host_irq: the backend forwards no physical interrupt. */
	uint32_t max_host_irq_line;
	int (*fdt_host_irq)(const uint32_t *cells, unsigned n, uint32_t *line);
	unsigned (*fdt_guest_irq)(const uint32_t *host_cells, unsigned n, uint32_t guest,
				  uint32_t cells[4]);
};

extern const struct arch_vm_desc arch_vm_desc;

/* The @n-byte little-endian number at @p (@n <= 8): fields of kernel image headers, which the
 * backends' linux_header read from images that need not be aligned. */
static inline uint64_t arch_vm_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = n; i > 0; i--)
		v = v << 8 | p[i - 1];
	return v;
}

#endif
