// SPDX-License-Identifier: MIT
/*
 * What a loongarch64 VM looks like to its guest (vm/arch_vm_desc.h).
 *
 * Linux boot protocol (Documentation/arch/loongarch/booting.rst): the image starts with a 64-byte
 * header naming its entry point, its size in memory and its load offset from the start of RAM; the
 * kernel is entered in direct-address mode with a0 = efi_boot, a1 = the command line's physical
 * address and a2 = a UEFI system table's, whose configuration table names the device tree. The
 * backend writes that system table itself ("boot information"), 1 MiB into the kernel's RAM
 * region: Linux/LoongArch reserves the first 2 MiB of RAM for its firmware, so nothing it
 * allocates early overwrites the table before it reads it. a0 is 0: the system table offers no
 * boot or runtime services, so the environment is not "fully UEFI-compliant" (Linux then leaves
 * EFI runtime services off, as it must).
 *
 * Device tree: the vCPUs (reg = their CPUID, which the emulated IPI block addresses), and the CPU
 * interrupt controller Linux's irq-loongarch-cpu binds, with its lines as the guest sees them in
 * ESTAT.IS. Devices sit directly on it: device line n is hardware interrupt HWIn (IS 2 + n),
 * raised through GINTC. No EIOINTC, PCH-PIC or LIOINTC is emulated. The emulated IPI block is
 * reached through IOCSR, not memory, so the backend emulates no guest-physical range.
 *
 * Passthrough: the board's devices no VM may be given (console, PCH-PIC, generic event device,
 * fw_cfg); no physical interrupt is forwarded yet.
 */
#include <arch/la_efi.h>
#include <libfdt.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>

#define LA_EM_LOONGARCH	  258
#define LA_MZ_MAGIC	  0x5a4du /* "MZ" */
#define LA_LINUX_PE_MAGIC 0x818223cdu
#define LA_IMAGE_HDR	  64
#define LA_IMAGE_ENTRY	  8  /* kernel_entry */
#define LA_IMAGE_SIZE	  16 /* _end - _text */
#define LA_IMAGE_LOAD	  24 /* load_offset */
#define LA_IMAGE_PE_MAGIC 56
#define LA_PHYS_MASK	  ((1ULL << 48) - 1) /* early kernels wrote virtual addresses */
#define LA_INTC_PHANDLE	  1
#define LA_IRQ_HWI0	  2 /* ESTAT.IS bit of HWI0: the CPU controller's hardware number */
#define LA_HWI_LINES	  8
#define LA_HOST_PAGE	  0x1000u
#define LA_CMDLINE_MAX	  512 /* Linux/LoongArch's COMMAND_LINE_SIZE, the NUL included */
#define LA_INFO_OFFSET	  PV_MIB(1)
#define LA_INFO_SIZE	  PV_KIB(16)
#define LA_INFO_CFG_TABLE 0x80 /* the block: system table, configuration table, vendor, */
#define LA_INFO_VENDOR	  0xa0 /* then the command line */
#define LA_INFO_CMDLINE	  0x100
#define LA_EFI_REVISION	  ((2u << 16) | 70u) /* the system table's layout is UEFI 2.7's */
#define LA_FW_VENDOR	  "Polyvisor"

static void la_put(uint8_t *p, unsigned n, uint64_t v)
{
	for (unsigned i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static int la_linux_header(const void *image, uint64_t size, uint64_t *text_offset,
			   uint64_t *footprint, char *why, size_t why_len)
{
	const uint8_t *h = image;
	uint64_t entry, load, span;

	if (size < LA_IMAGE_HDR || arch_vm_le(h, 2) != LA_MZ_MAGIC ||
	    arch_vm_le(h + LA_IMAGE_PE_MAGIC, 4) != LA_LINUX_PE_MAGIC) {
		pv_snprintf(why, why_len,
			    "not a LoongArch Linux image (no MZ and LoongArch magic: boot "
			    "vmlinux.efi, not the vmlinux ELF)");
		return -PV_EINVAL;
	}
	entry = arch_vm_le(h + LA_IMAGE_ENTRY, 8) & LA_PHYS_MASK;
	load = arch_vm_le(h + LA_IMAGE_LOAD, 8) & LA_PHYS_MASK;
	span = arch_vm_le(h + LA_IMAGE_SIZE, 8);
	if (load >= PV_GIB(4) || span > PV_GIB(4) || entry < load || entry - load >= size) {
		pv_snprintf(why, why_len,
			    "implausible header: entry 0x%llx, load offset 0x%llx, size 0x%llx",
			    (unsigned long long)entry, (unsigned long long)load,
			    (unsigned long long)span);
		return -PV_EINVAL;
	}
	*text_offset = load;
	*footprint = span;
	return PV_OK;
}

static uint64_t la_linux_entry(const void *image, uint64_t size)
{
	const uint8_t *h = image;

	(void)size;
	return (arch_vm_le(h + LA_IMAGE_ENTRY, 8) & LA_PHYS_MASK) -
	       (arch_vm_le(h + LA_IMAGE_LOAD, 8) & LA_PHYS_MASK);
}

/* CRC-32 (IEEE 802.3, reflected) as the UEFI table header's CRC32 field takes it. */
static uint32_t la_crc32(const uint8_t *p, size_t len)
{
	uint32_t crc = 0xffffffffu;

	for (size_t i = 0; i < len; i++) {
		crc ^= p[i];
		for (unsigned b = 0; b < 8; b++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

static int la_linux_info(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
			 void *buf, uint64_t args[VM_BOOT_ARGS], char *why, size_t why_len)
{
	static const uint8_t dt_guid[16] = LA_EFI_DT_GUID;
	static const char vendor[] = LA_FW_VENDOR;
	const char *cmdline = cfg->bootargs ? cfg->bootargs : "";
	size_t len = strlen(cmdline);
	uint8_t *b = buf;

	if (len >= LA_CMDLINE_MAX) {
		pv_snprintf(why, why_len,
			    "bootargs are %llu bytes; Linux/LoongArch takes %u at most",
			    (unsigned long long)len, LA_CMDLINE_MAX - 1);
		return -PV_EINVAL;
	}
	if (!layout->has_fdt) {
		pv_snprintf(why, why_len, "Linux/LoongArch needs a device tree");
		return -PV_EINVAL;
	}
	args[0] = 0; /* efi_boot: no boot or runtime services */
	args[1] = at + LA_INFO_CMDLINE;
	args[2] = at;
	if (!b)
		return 3;
	la_put(b, 8, LA_EFI_SYSTAB_SIGNATURE);
	la_put(b + LA_EFI_SYSTAB_REVISION, 4, LA_EFI_REVISION);
	la_put(b + LA_EFI_SYSTAB_HEADER_SIZE, 4, LA_EFI_SYSTAB_SIZE);
	la_put(b + LA_EFI_SYSTAB_FW_VENDOR, 8, at + LA_INFO_VENDOR);
	la_put(b + LA_EFI_SYSTAB_NR_TABLES, 8, 1);
	la_put(b + LA_EFI_SYSTAB_TABLES, 8, at + LA_INFO_CFG_TABLE);
	la_put(b + LA_EFI_SYSTAB_CRC32, 4, la_crc32(b, LA_EFI_SYSTAB_SIZE));
	memcpy(b + LA_INFO_CFG_TABLE, dt_guid, sizeof(dt_guid));
	la_put(b + LA_INFO_CFG_TABLE + sizeof(dt_guid), 8, layout->fdt.raw);
	for (size_t i = 0; i < sizeof(vendor); i++) /* UTF-16, its NUL included */
		la_put(b + LA_INFO_VENDOR + 2 * i, 2, (uint8_t)vendor[i]);
	memcpy(b + LA_INFO_CMDLINE, cmdline, len + 1);
	return 3;
}

static int la_fdt_cpus(void *fdt, const struct vm_config *cfg)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus");
	int rc = cpus < 0 ? cpus : 0;

	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	/* Added in reverse: libfdt puts a new node first, and Linux numbers CPUs in tree order. */
	for (unsigned i = cfg->nvcpus; !rc && i-- > 0;) {
		uint32_t id = (uint32_t)cfg->guest_cpu_id[i];
		char name[32];
		int cpu;

		pv_snprintf(name, sizeof(name), "cpu@%x", (unsigned)id);
		cpu = fdt_add_subnode(fdt, cpus, name);
		if (cpu < 0)
			return cpu;
		rc = vm_fdt_string(fdt, cpu, "device_type", "cpu");
		if (!rc)
			rc = vm_fdt_string(fdt, cpu, "compatible", "loongson,la464");
		if (!rc)
			rc = fdt_setprop_u32(fdt, cpu, "reg", id);
	}
	return rc;
}

static int la_fdt_arch(void *fdt, const struct vm_config *cfg, uint32_t *intc_phandle)
{
	int rc = la_fdt_cpus(fdt, cfg);
	int node = rc ? rc : fdt_add_subnode(fdt, 0, "interrupt-controller");

	rc = node < 0 ? node : 0;
	if (!rc)
		rc = vm_fdt_string(fdt, node, "compatible", "loongson,cpu-interrupt-controller");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 1);
	if (!rc)
		rc = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", LA_INTC_PHANDLE);
	*intc_phandle = LA_INTC_PHANDLE;
	return rc;
}

/* Device line n is HWIn: the CPU interrupt controller's line 2 + n. */
static unsigned la_fdt_irq(uint32_t line, uint32_t cells[4])
{
	cells[0] = LA_IRQ_HWI0 + line;
	return 1;
}

/* virq set_line takes the HWI number. */
static uint32_t la_irq_line(uint32_t line)
{
	return line;
}

/* Passthrough: what no VM may be given, each a page of the board's (docs/devices.md). The PCH-PIC
 * routes every device's interrupt to any CPU; the generic event device powers the machine off. */
static unsigned la_host_ranges(struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "console UART", CONFIG_PLATFORM_UART_BASE, LA_HOST_PAGE };
	out[1] = (struct arch_vm_range){ "PCH interrupt controller", CONFIG_LA_HOST_PCH_PIC_BASE,
					 LA_HOST_PAGE };
	out[2] = (struct arch_vm_range){ "generic event device", CONFIG_LA_HOST_GED_BASE,
					 LA_HOST_PAGE };
	out[3] = (struct arch_vm_range){ "fw_cfg", CONFIG_LA_HOST_FW_CFG_BASE, LA_HOST_PAGE };
	return 4;
}

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = PV_KIB(16),
	.elf_machine = LA_EM_LOONGARCH,
	.linux_align = PV_KIB(64),
	.linux_header = la_linux_header,
	.linux_entry = la_linux_entry,
	.linux_info_offset = LA_INFO_OFFSET,
	.linux_info_size = LA_INFO_SIZE,
	.linux_info = la_linux_info,
	.fdt_arch = la_fdt_arch,
	.fdt_irq = la_fdt_irq,
	.max_irq_line = LA_HWI_LINES - 1,
	.irq_line = la_irq_line,
	.host_ranges = la_host_ranges,
};
