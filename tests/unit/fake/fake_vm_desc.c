// SPDX-License-Identifier: MIT
/*
 * The fake backend's VM description side (vm/arch_vm_desc.h), unlike any real architecture on
 * purpose: its "Linux" kernels carry a 16-byte header ("FAKEKERN", text offset as a 32-bit
 * little-endian word, footprint as another) and align to 64 KiB. A "FAKEKRNI" kernel has a 20-byte
 * header (the entry point's offset from the load address follows) and takes boot information: a
 * block FAKE_INFO_OFFSET into its RAM region holding "FAKEINFO", the device tree's address and the
 * command line, with the boot vCPU's arguments FAKE_INFO_ARG0, the command line's address and the
 * block's. Its device tree has /cpus, an
 * interrupt controller with one-cell specifiers offset by 100, and a fake interrupt controller
 * window at FAKE_INTC_BASE. Passthrough: the hypervisor's UART at FAKE_HV_UART, host specifiers
 * of two cells (FAKE_HOST_IRQ_BASE + line, flags).
 */
#include <libfdt.h>
#include <pv/fmt.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>
#include <vm/vm_layout.h>

#include "fake_backend.h"

static uint32_t fake_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static bool fake_takes_info(const void *image, uint64_t size)
{
	return image && size >= 20 && memcmp(image, "FAKEKRNI", 8) == 0;
}

static int fake_linux_header(const void *image, uint64_t size, uint64_t *text_offset,
			     uint64_t *footprint, char *why, size_t why_len)
{
	const uint8_t *h = image;

	if (size < 16 || (memcmp(h, "FAKEKERN", 8) != 0 && !fake_takes_info(image, size)) ||
	    (fake_takes_info(image, size) && fake_le32(h + 16) >= size)) {
		pv_snprintf(why, why_len, "no FAKEKERN header");
		return -PV_EINVAL;
	}
	*text_offset = fake_le32(h + 8);
	*footprint = fake_le32(h + 12);
	return PV_OK;
}

static uint64_t fake_linux_entry(const void *image, uint64_t size)
{
	return fake_takes_info(image, size) ? fake_le32((const uint8_t *)image + 16) : 0;
}

static int fake_linux_info(const struct vm_config *cfg, const struct vm_layout *layout, uint64_t at,
			   void *buf, uint64_t args[VM_BOOT_ARGS], char *why, size_t why_len)
{
	const struct vm_image_config *k = vm_config_image(cfg, VM_IMAGE_KERNEL);
	const char *cmdline = cfg->bootargs ? cfg->bootargs : "";
	size_t len = strlen(cmdline);
	uint8_t *b = buf;

	if (!k || !fake_takes_info(k->data, k->size))
		return 0;
	if (16 + len + 1 > FAKE_INFO_SIZE) {
		pv_snprintf(why, why_len, "command line too long for the fake");
		return -PV_EINVAL;
	}
	args[0] = FAKE_INFO_ARG0;
	args[1] = at + 16;
	args[2] = at;
	if (b) {
		memcpy(b, "FAKEINFO", 8);
		memcpy(b + 8, &layout->fdt.raw, 8);
		memcpy(b + 16, cmdline, len + 1);
	}
	return 3;
}

static int fake_fdt_arch(void *fdt, const struct vm_config *cfg, uint32_t *intc_phandle)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus");
	int intc, rc = cpus < 0 ? cpus : 0;

	for (unsigned i = cfg->nvcpus; !rc && i-- > 0;) {
		char name[24];
		int cpu;

		pv_snprintf(name, sizeof(name), "cpu@%llx",
			    (unsigned long long)cfg->guest_cpu_id[i]);
		cpu = fdt_add_subnode(fdt, cpus, name);
		rc = cpu < 0 ? cpu
			     : fdt_setprop_u32(fdt, cpu, "reg", (uint32_t)cfg->guest_cpu_id[i]);
	}
	if (rc)
		return rc;
	intc = fdt_add_subnode(fdt, 0, "fake-intc");
	rc = intc < 0 ? intc : fdt_setprop_u32(fdt, intc, "phandle", FAKE_INTC_PHANDLE);
	if (!rc)
		rc = fdt_setprop_u32(fdt, intc, "#interrupt-cells", 1);
	*intc_phandle = FAKE_INTC_PHANDLE;
	return rc;
}

static unsigned fake_fdt_irq(uint32_t line, uint32_t cells[4])
{
	cells[0] = line + 100;
	return 1;
}

static uint32_t fake_irq_line(uint32_t line)
{
	return line + 100;
}

static unsigned fake_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	(void)cfg;
	out[0] = (struct arch_vm_range){ "fake interrupt controller", FAKE_INTC_BASE,
					 FAKE_INTC_SIZE };
	return 1;
}

static unsigned fake_host_ranges(struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "console UART", FAKE_HV_UART, FAKE_HV_UART_SIZE };
	return 1;
}

static const char *const fake_host_compatibles[] = { "fake,hv-timer", NULL };

static int fake_fdt_host_irq(const uint32_t *cells, unsigned n, uint32_t *line)
{
	if (n != 2 || cells[0] < FAKE_HOST_IRQ_BASE ||
	    cells[0] - FAKE_HOST_IRQ_BASE > FAKE_MAX_HOST_LINE)
		return -PV_EINVAL;
	*line = cells[0] - FAKE_HOST_IRQ_BASE;
	return PV_OK;
}

static unsigned fake_fdt_guest_irq(const uint32_t *host_cells, unsigned n, uint32_t guest,
				   uint32_t cells[4])
{
	(void)host_cells, (void)n;
	return fake_fdt_irq(guest, cells);
}

const struct arch_vm_desc arch_vm_desc = {
	.elf_machine = FAKE_ELF_MACHINE,
	.ram_align = 4096,
	.linux_align = PV_KIB(64),
	.linux_header = fake_linux_header,
	.linux_entry = fake_linux_entry,
	.linux_info_offset = FAKE_INFO_OFFSET,
	.linux_info_size = FAKE_INFO_SIZE,
	.linux_info = fake_linux_info,
	.fdt_arch = fake_fdt_arch,
	.fdt_irq = fake_fdt_irq,
	.max_irq_line = 31,
	.irq_line = fake_irq_line,
	.guest_ranges = fake_guest_ranges,
	.host_ranges = fake_host_ranges,
	.host_compatibles = fake_host_compatibles,
	.max_host_irq_line = FAKE_MAX_HOST_LINE,
	.fdt_host_irq = fake_fdt_host_irq,
	.fdt_guest_irq = fake_fdt_guest_irq,
};
