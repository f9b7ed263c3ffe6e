// SPDX-License-Identifier: MIT
/*
 * What a riscv64 VM looks like to its guest (vm/arch_vm_desc.h); for passthrough, also the devices
 * the hypervisor keeps (console, PLIC, CLINT) and the host's PLIC sources.
 *
 * Linux boot protocol (Documentation/arch/riscv/boot-image-header.rst): a 64-byte header with
 * the image's load offset from a 2 MiB-aligned base (text_offset), its size in memory and the
 * magic "RSC\x05" at offset 56; the kernel is entered at its first byte in S-mode (VS-mode here)
 * with a0 = the hart id and a1 = the device tree, satp and interrupts off.
 *
 * Device tree: /cpus with the timebase and one node per vCPU (reg = its hart id, the ISA the VM
 * may use, mmu-type, status okay, enable method SBI HSM implied) each with its local interrupt
 * controller, and the vPLIC with its contexts laid out as on QEMU's virt board (devices/vplic.h):
 * for vCPU n, context 2n at its machine-level external interrupt (cause 11, which a guest never
 * takes) and context 2n + 1 at its supervisor-level one (cause 9). Device line n is vPLIC source
 * n (1 to 63; there is no source 0). A guest built for QEMU's board finds everything where it
 * expects, and the same tree boots the same kernel on the bare board (the boot benchmark).
 */
#include <devices/vplic.h>
#include <libfdt.h>
#include <pv/fmt.h>
#include <riscv64/guest_cpu.h>
#include <string.h>
#include <vm/arch_vm_desc.h>
#include <vm/vm_fdt.h>

#define RV_EM_RISCV	   243
#define RV_HOST_MAX_SOURCE 1023u /* a PLIC's last source */
#define RV_IMAGE_HDR	   64
#define RV_IMAGE_MAGIC2	   0x05435352u /* "RSC\x05" at offset 56 */
#define RV_IMAGE_FLAG_BE   1u	       /* flags bit 0: big-endian kernel */
#define RV_PLIC_PHANDLE	   1u
#define RV_INTC_PHANDLE0   2u /* vCPU n's interrupt controller: 2 + n */
#define RV_IRQ_S_EXT	   9u /* the causes PLIC contexts raise at their hart */
#define RV_IRQ_M_EXT	   11u
#define RV_ISA_MAX	   512

const char *const rv_guest_ext_names[RV_GX_COUNT] = {
	[RV_GX_I] = "i",
	[RV_GX_M] = "m",
	[RV_GX_A] = "a",
	[RV_GX_F] = "f",
	[RV_GX_D] = "d",
	[RV_GX_C] = "c",
	[RV_GX_ZICOND] = "zicond",
	[RV_GX_ZICSR] = "zicsr",
	[RV_GX_ZIFENCEI] = "zifencei",
	[RV_GX_ZIHINTNTL] = "zihintntl",
	[RV_GX_ZIHINTPAUSE] = "zihintpause",
	[RV_GX_ZMMUL] = "zmmul",
	[RV_GX_ZFA] = "zfa",
	[RV_GX_ZFH] = "zfh",
	[RV_GX_ZFHMIN] = "zfhmin",
	[RV_GX_ZCA] = "zca",
	[RV_GX_ZCB] = "zcb",
	[RV_GX_ZCD] = "zcd",
	[RV_GX_ZBA] = "zba",
	[RV_GX_ZBB] = "zbb",
	[RV_GX_ZBC] = "zbc",
	[RV_GX_ZBKB] = "zbkb",
	[RV_GX_ZBKC] = "zbkc",
	[RV_GX_ZBKX] = "zbkx",
	[RV_GX_ZBS] = "zbs",
	[RV_GX_ZKND] = "zknd",
	[RV_GX_ZKNE] = "zkne",
	[RV_GX_ZKNH] = "zknh",
	[RV_GX_ZKT] = "zkt",
	[RV_GX_SSTC] = "sstc",
	[RV_GX_SVINVAL] = "svinval",
	[RV_GX_SVNAPOT] = "svnapot",
};
_Static_assert(RV_GX_COUNT <= 64, "one bit per extension");

#define RV_GX(n) (1ULL << RV_GX_##n)
/* QEMU 7.2's rv64 hart: rv64imafdch_zicsr_zifencei_zihintpause_zba_zbb_zbc_zbs_sstc, Sv48, 10 MHz
 * timebase; H is never offered. The boot hart's own description replaces it. */
struct rv_guest_cpu rv_guest_cpu = {
	.timebase_hz = 10000000,
	.exts = RV_GX(I) | RV_GX(M) | RV_GX(A) | RV_GX(F) | RV_GX(D) | RV_GX(C) | RV_GX(ZICSR) |
		RV_GX(ZIFENCEI) | RV_GX(ZIHINTPAUSE) | RV_GX(ZBA) | RV_GX(ZBB) | RV_GX(ZBC) |
		RV_GX(ZBS) | RV_GX(SSTC),
	.satp_max = RV_SATP_SV48,
};

static int rv_linux_header(const void *image, uint64_t size, uint64_t *text_offset,
			   uint64_t *footprint, char *why, size_t why_len)
{
	const uint8_t *h = image;
	uint64_t image_size;

	if (size < RV_IMAGE_HDR || arch_vm_le(h + 56, 4) != RV_IMAGE_MAGIC2) {
		pv_snprintf(why, why_len,
			    "not a RISC-V Linux Image (no \"RSC\\x05\" magic; boot arch/riscv/boot/"
			    "Image, not vmlinux or a compressed Image.gz)");
		return -PV_EINVAL;
	}
	if (arch_vm_le(h + 24, 8) & RV_IMAGE_FLAG_BE) {
		pv_snprintf(why, why_len, "a big-endian kernel: this VM's harts are little-endian");
		return -PV_EINVAL;
	}
	*text_offset = arch_vm_le(h + 8, 8);
	image_size = arch_vm_le(h + 16, 8);
	if (image_size == 0) /* header version 0.1 left it out */
		image_size = size;
	if (*text_offset >= PV_MIB(64) || image_size > PV_GIB(4) || image_size < RV_IMAGE_HDR) {
		pv_snprintf(why, why_len, "implausible header: text offset 0x%llx, size 0x%llx",
			    (unsigned long long)*text_offset, (unsigned long long)image_size);
		return -PV_EINVAL;
	}
	*footprint = image_size > size ? image_size : size;
	return PV_OK;
}

/* "rv64imafdc_zicsr_..._sstc": the offered extensions in canonical order. */
static void rv_isa_string(char *buf, size_t len)
{
	size_t n = (size_t)pv_snprintf(buf, len, "rv64");

	for (unsigned i = 0; i < RV_GX_COUNT && n < len; i++) {
		const char *name = rv_guest_ext_names[i];

		if (!(rv_guest_cpu.exts >> i & 1))
			continue;
		n += (size_t)pv_snprintf(buf + n, len - n, "%s%s", name[1] ? "_" : "", name);
	}
}

/* The same as a string list, the binding Linux prefers ("riscv,isa-extensions"). */
static int rv_isa_list(char *buf, size_t len)
{
	size_t n = 0;

	for (unsigned i = 0; i < RV_GX_COUNT; i++) {
		size_t l = strlen(rv_guest_ext_names[i]) + 1;

		if (!(rv_guest_cpu.exts >> i & 1))
			continue;
		if (n + l > len)
			return -FDT_ERR_NOSPACE;
		memcpy(buf + n, rv_guest_ext_names[i], l);
		n += l;
	}
	return (int)n;
}

static const char *rv_mmu_type(void)
{
	switch (rv_guest_cpu.satp_max) {
	case RV_SATP_SV57:
		return "riscv,sv57";
	case RV_SATP_SV48:
		return "riscv,sv48";
	default:
		return "riscv,sv39";
	}
}

static int rv_fdt_cpu(void *fdt, int cpus, uint64_t hartid, uint32_t intc_phandle)
{
	char name[32], isa[RV_ISA_MAX], list[RV_ISA_MAX];
	int cpu, intc, len, rc;

	pv_snprintf(name, sizeof(name), "cpu@%llx", (unsigned long long)hartid);
	cpu = fdt_add_subnode(fdt, cpus, name);
	if (cpu < 0)
		return cpu;
	rv_isa_string(isa, sizeof(isa));
	len = rv_isa_list(list, sizeof(list));
	rc = len < 0 ? len : vm_fdt_string(fdt, cpu, "device_type", "cpu");
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpu, "reg", (uint32_t)hartid);
	if (!rc)
		rc = vm_fdt_string(fdt, cpu, "status", "okay");
	if (!rc)
		rc = vm_fdt_string(fdt, cpu, "compatible", "riscv");
	if (!rc)
		rc = vm_fdt_string(fdt, cpu, "riscv,isa", isa);
	if (!rc)
		rc = vm_fdt_string(fdt, cpu, "riscv,isa-base", "rv64i");
	if (!rc)
		rc = fdt_setprop(fdt, cpu, "riscv,isa-extensions", list, len);
	if (!rc)
		rc = vm_fdt_string(fdt, cpu, "mmu-type", rv_mmu_type());
	if (rc)
		return rc;
	intc = fdt_add_subnode(fdt, cpu, "interrupt-controller");
	rc = intc < 0 ? intc : vm_fdt_string(fdt, intc, "compatible", "riscv,cpu-intc");
	if (!rc)
		rc = fdt_setprop_u32(fdt, intc, "#interrupt-cells", 1);
	if (!rc)
		rc = fdt_setprop(fdt, intc, "interrupt-controller", NULL, 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, intc, "phandle", intc_phandle);
	/* Its own interrupt parent: it is a root controller. Without it, it would inherit the
	 * root node's interrupt-parent (the vPLIC, which is its child) and Linux would find no
	 * controller to start from ("of_irq_init: children remain, but no parents"). */
	if (!rc)
		rc = fdt_setprop_u32(fdt, intc, "interrupt-parent", intc_phandle);
	return rc;
}

static int rv_fdt_cpus(void *fdt, const struct vm_config *cfg)
{
	int cpus = fdt_add_subnode(fdt, 0, "cpus");
	int rc = cpus < 0 ? cpus : 0;

	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#address-cells", 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "#size-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, cpus, "timebase-frequency",
				     (uint32_t)rv_guest_cpu.timebase_hz);
	/* Added in reverse: libfdt puts a new node first, and guests number CPUs in tree order. */
	for (unsigned i = cfg->nvcpus; !rc && i-- > 0;)
		rc = rv_fdt_cpu(fdt, cpus, cfg->guest_cpu_id[i], RV_INTC_PHANDLE0 + i);
	return rc;
}

static int rv_fdt_plic(void *fdt, const struct vm_config *cfg)
{
	static const char compat[] = "sifive,plic-1.0.0\0riscv,plic0";
	fdt64_t reg[2] = { cpu_to_fdt64(CONFIG_RISCV_GUEST_PLIC_BASE),
			   cpu_to_fdt64(VPLIC_SIZE(VPLIC_CTXS(cfg->nvcpus))) };
	fdt32_t ctx[2 * VPLIC_MAX_CTX];
	char name[40];
	int node, rc;

	for (unsigned i = 0; i < cfg->nvcpus && VPLIC_S_CTX(i) < VPLIC_MAX_CTX; i++) {
		ctx[2 * VPLIC_M_CTX(i)] = cpu_to_fdt32(RV_INTC_PHANDLE0 + i);
		ctx[2 * VPLIC_M_CTX(i) + 1] = cpu_to_fdt32(RV_IRQ_M_EXT);
		ctx[2 * VPLIC_S_CTX(i)] = cpu_to_fdt32(RV_INTC_PHANDLE0 + i);
		ctx[2 * VPLIC_S_CTX(i) + 1] = cpu_to_fdt32(RV_IRQ_S_EXT);
	}
	pv_snprintf(name, sizeof(name), "interrupt-controller@%llx",
		    (unsigned long long)CONFIG_RISCV_GUEST_PLIC_BASE);
	node = fdt_add_subnode(fdt, 0, name);
	if (node < 0)
		return node;
	rc = fdt_setprop(fdt, node, "compatible", compat, sizeof(compat));
	if (!rc)
		rc = fdt_setprop(fdt, node, "reg", reg, sizeof(reg));
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#address-cells", 0);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "#interrupt-cells", 1);
	if (!rc)
		rc = fdt_setprop(fdt, node, "interrupt-controller", NULL, 0);
	if (!rc)
		rc = fdt_setprop(fdt, node, "interrupts-extended", ctx,
				 (int)(2 * VPLIC_CTXS(cfg->nvcpus) * sizeof(fdt32_t)));
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "riscv,ndev", VPLIC_SOURCES - 1);
	if (!rc)
		rc = fdt_setprop_u32(fdt, node, "phandle", RV_PLIC_PHANDLE);
	return rc;
}

static int rv_fdt_arch(void *fdt, const struct vm_config *cfg, uint32_t *intc_phandle)
{
	int rc =
		VPLIC_CTXS(cfg->nvcpus) > VPLIC_MAX_CTX ? -FDT_ERR_BADVALUE : rv_fdt_cpus(fdt, cfg);

	if (!rc)
		rc = rv_fdt_plic(fdt, cfg);
	*intc_phandle = RV_PLIC_PHANDLE;
	return rc;
}

/* One cell: the PLIC source, level-triggered like every vPLIC source. */
static unsigned rv_fdt_irq(uint32_t line, uint32_t cells[4])
{
	cells[0] = line;
	return 1;
}

/* Device line n is vPLIC source n (source 0 does not exist). */
static uint32_t rv_irq_line(uint32_t line)
{
	return line;
}

static unsigned rv_guest_ranges(const struct vm_config *cfg, struct arch_vm_range *out)
{
	out[0] = (struct arch_vm_range){ "PLIC", CONFIG_RISCV_GUEST_PLIC_BASE,
					 VPLIC_SIZE(VPLIC_CTXS(cfg->nvcpus)) };
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
	.linux_align = PV_MIB(2),
	.linux_header = rv_linux_header,
	.fdt_arch = rv_fdt_arch,
	.fdt_irq = rv_fdt_irq,
	.min_irq_line = 1,
	.max_irq_line = VPLIC_SOURCES - 1,
	.irq_line = rv_irq_line,
	.guest_ranges = rv_guest_ranges,
	.host_ranges = rv_host_ranges,
	.host_compatibles = rv_host_compatibles,
	.max_host_irq_line = RV_HOST_MAX_SOURCE,
	.fdt_host_irq = rv_fdt_host_irq,
	.fdt_guest_irq = rv_fdt_guest_irq,
};
