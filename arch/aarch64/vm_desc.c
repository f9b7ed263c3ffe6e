// SPDX-License-Identifier: MIT
/*
 * What an aarch64 VM looks like to its guest (vm/arch_vm_desc.h): the arm64 Linux boot protocol
 * (Documentation/arch/arm64/booting.rst: a 64-byte header with the image's text offset and size,
 * a 2 MiB-aligned base, x0 = the device tree), and the device-tree nodes of what the backend
 * emulates: vCPUs started through PSCI (HVC conduit), the vGICv3 where QEMU's virt board has its
 * GIC, and the generic timer's PPIs.
 */
#include <a64/vgic.h>
#include <a64/vgic_mmio.h>
#include <libfdt.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>

#define A64_EM_AARCH64	 183
#define A64_IMAGE_MAGIC	 0x644d5241u /* "ARM\x64" at offset 56 */
#define A64_IMAGE_HDR	 64
#define A64_OLD_TEXT_OFF 0x80000u /* kernels before 3.17 leave text_offset/image_size 0 */
#define A64_INTC_PHANDLE 1
#define A64_GIC_SPI	 0
#define A64_GIC_PPI	 1
#define A64_IRQ_LEVEL_HI 4
#define A64_SPI_FIRST	 32
#define A64_HOST_MAX_SPI 987u	 /* INTID 1019, the last SPI */
#define A64_UART_SIZE	 0x1000u /* a PL011's register page */

static int a64_linux_header(const void *image, uint64_t size, uint64_t *text_offset,
			    uint64_t *footprint, char *why, size_t why_len)
{
	const uint8_t *h = image;
	uint64_t image_size;

	if (size < A64_IMAGE_HDR || arch_vm_le(h + 56, 4) != A64_IMAGE_MAGIC) {
		pv_snprintf(why, why_len,
			    "not an arm64 Linux Image (no \"ARM\\x64\" magic; a vmlinuz must be "
			    "decompressed first)");
		return -PV_EINVAL;
	}
	*text_offset = arch_vm_le(h + 8, 8);
	image_size = arch_vm_le(h + 16, 8);
	if (image_size == 0) {
		*text_offset = A64_OLD_TEXT_OFF;
		image_size = size;
	}
	if (*text_offset >= PV_MIB(2) || image_size > PV_GIB(4)) {
		pv_snprintf(why, why_len, "implausible header: text offset 0x%llx, size 0x%llx",
			    (unsigned long long)*text_offset, (unsigned long long)image_size);
		return -PV_EINVAL;
	}
	*footprint = image_size;
	return PV_OK;
}

static int a64_fdt_cpus(void *fdt, const struct vm_config *cfg)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus");
	int rc = cpus < 0 ? cpus : 0;

	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 2);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	/* Added in reverse: libfdt puts a new node first, and guests number CPUs in tree order. */
	for (unsigned i = cfg->nvcpus; !rc && i-- > 0;) {
		uint64_t mpidr = cfg->guest_cpu_id[i] & 0xff00ffffffULL;
		char name[32];
		int cpu;

		pv_snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)mpidr);
		cpu = fdt_add_subnode(fdt, cpus, name);
		if (cpu < 0)
			return cpu;
		rc = vm_fdt_string(fdt, cpu, "device_type", "cpu");
		if (!rc)
			rc = vm_fdt_string(fdt, cpu, "compatible", "arm,armv8");
		if (!rc)
			rc = fdt_setprop_u64(fdt, cpu, "reg", mpidr);
		if (!rc)
			rc = vm_fdt_string(fdt, cpu, "enable-method", "psci");
	}
	return rc;
}

static int a64_fdt_psci(void *fdt)
{
	static const char compat[] = "arm,psci-1.0\0arm,psci-0.2";
	int node = fdt_add_subnode(fdt, 0, "psci");
	int rc = node < 0 ? node : fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));

	return rc ? rc : vm_fdt_string(fdt, node, "method", "hvc");
}

static int a64_fdt_gic(void *fdt, const struct vm_config *cfg)
{
	fdt64_t reg[4] = {
		cpu_to_fdt64(A64_VGIC_GICD_BASE),
		cpu_to_fdt64(A64_VGIC_GICD_SIZE),
		cpu_to_fdt64(A64_VGIC_GICR_BASE),
		cpu_to_fdt64(A64_VGIC_GICR_FRAME * cfg->nvcpus),
	};
	char name[32];
	int node, rc;

	pv_snprintf(name, sizeof(name), "intc@%llx", (unsigned long long)A64_VGIC_GICD_BASE);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	rc = vm_fdt_string(fdt, node, "compatible", "arm,gic-v3");
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 3);
	if (!rc)
		rc = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#redistributor-regions", 1);
	if (!rc)
		rc = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", A64_INTC_PHANDLE);
	return rc;
}

/* The generic timer: secure and non-secure physical, virtual and hypervisor PPIs (13, 14, 11,
 * 10), as the binding orders them. The guest uses the virtual one. */
static int a64_fdt_timer(void *fdt)
{
	static const uint32_t ppis[4] = { 13, 14, 11, 10 };
	fdt32_t irqs[12];
	int node = fdt_add_subnode(fdt, 0, "timer");
	int rc = node < 0 ? node : 0;

	for (unsigned i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(A64_GIC_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(ppis[i]);
		irqs[3 * i + 2] = cpu_to_fdt32(A64_IRQ_LEVEL_HI);
	}
	if (!rc)
		rc = vm_fdt_string(fdt, node, "compatible", "arm,armv8-timer");
	if (!rc)
		rc = fdt_setprop(fdt, node, "interrupts", irqs, sizeof(irqs));
	if (!rc)
		rc = fdt_setprop(fdt, node, "always-on", NULL, 0);
	return rc;
}

static int a64_fdt_arch(void *fdt, const struct vm_config *cfg, uint32_t *intc_phandle)
{
	int rc = a64_fdt_cpus(fdt, cfg);

	if (!rc)
		rc = a64_fdt_psci(fdt);
	if (!rc)
		rc = a64_fdt_gic(fdt, cfg);
	if (!rc)
		rc = a64_fdt_timer(fdt);
	*intc_phandle = A64_INTC_PHANDLE;
	return rc;
}

/* Device line n is SPI n (INTID 32 + n), level-triggered, active high. */
static unsigned a64_fdt_irq(uint32_t line, uint32_t cells[4])
{
	cells[0] = A64_GIC_SPI;
	cells[1] = line;
	cells[2] = A64_IRQ_LEVEL_HI;
	return 3;
}

static uint32_t a64_irq_line(uint32_t line)
{
	return A64_SPI_FIRST + line;
}

static unsigned a64_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	out[0] =
		(struct arch_vm_range){ "GIC distributor", A64_VGIC_GICD_BASE, A64_VGIC_GICD_SIZE };
	out[1] = (struct arch_vm_range){ "GIC redistributors", A64_VGIC_GICR_BASE,
					 A64_VGIC_GICR_FRAME * cfg->nvcpus };
	return 2;
}

/* What the hypervisor drives on the board: its console and the GIC (the timers are system
 * registers and private interrupts, which no VM can be given). */
static unsigned a64_host_ranges(struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "console UART", CONFIG_PLATFORM_UART_BASE, A64_UART_SIZE };
	out[1] = (struct arch_vm_range){ "GIC distributor", CONFIG_AARCH64_GICD_BASE,
					 A64_VGIC_GICD_SIZE };
	out[2] = (struct arch_vm_range){ "GIC redistributors", CONFIG_AARCH64_GICR_BASE,
					 A64_VGIC_GICR_FRAME * CONFIG_MAX_CPUS };
	return 3;
}

/* Memory-mapped generic timer frames, where a board has them. */
static const char *const a64_host_compatibles[] = { "arm,armv7-timer-mem", NULL };

/* A host specifier <type number flags>: SPIs only (SGIs and PPIs are the CPUs' own). */
static int a64_fdt_host_irq(const uint32_t *cells, unsigned n, uint32_t *line)
{
	if (n != 3 || cells[0] != A64_GIC_SPI || cells[1] > A64_HOST_MAX_SPI)
		return -PV_EINVAL;
	*line = cells[1];
	return PV_OK;
}

static unsigned a64_fdt_guest_irq(const uint32_t *host_cells, unsigned n, uint32_t guest,
				  uint32_t cells[4])
{
	(void)a64_fdt_irq(guest, cells);
	if (n == 3)
		cells[2] = host_cells[2];
	return 3;
}

const struct arch_vm_desc arch_vm_desc = {
	.ram_align = HAL_PAGE_SIZE,
	.elf_machine = A64_EM_AARCH64,
	.linux_align = PV_MIB(2),
	.linux_header = a64_linux_header,
	.fdt_arch = a64_fdt_arch,
	.fdt_irq = a64_fdt_irq,
	.max_irq_line = A64_VGIC_NR_SPI - 1,
	.irq_line = a64_irq_line,
	.guest_ranges = a64_guest_ranges,
	.host_ranges = a64_host_ranges,
	.host_compatibles = a64_host_compatibles,
	.max_host_irq_line = A64_HOST_MAX_SPI,
	.fdt_host_irq = a64_fdt_host_irq,
	.fdt_guest_irq = a64_fdt_guest_irq,
};
