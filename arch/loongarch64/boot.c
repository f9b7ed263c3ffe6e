// SPDX-License-Identifier: MIT
/*
 * Boot CPU, C side: find the device tree the loader left in memory (where a0..a2 say, see
 * la_bootinfo.c), turn it into a boot_info and enter the core. head.S has already set up the stack, the exception entries, the direct-mapped
 * windows and a zeroed .bss.
 */
#include <arch/la_board.h>
#include <arch/loongarch.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <libfdt.h>

#include "la_bootinfo.h"
#include "la_internal.h"

static struct boot_info la_boot_info;

static void la_report_cpu(void)
{
	uint32_t cfg1 = la_cpucfg(LA_CPUCFG1);

	hal_printf("loongarch64: boot cpu %u, PALEN %u, VALEN %u, constant timer %llu Hz, "
		   "mapped mode (DMW0 cached RAM, DMW1 uncached devices)\n",
		   hal_cpu.cpu_id(),
		   (unsigned)((cfg1 >> LA_CPUCFG1_PALEN_SHIFT) & LA_CPUCFG1_LEN_MASK) + 1,
		   (unsigned)((cfg1 >> LA_CPUCFG1_VALEN_SHIFT) & LA_CPUCFG1_LEN_MASK) + 1,
		   (unsigned long long)hal_cpu.timer_freq());
}

/*
 * Boot information is read through the uncached window: QEMU puts the command line at physical
 * address 0, which through the cached identity map would be a null pointer. Reads stay below
 * the CPU's physical address width.
 */
static const void *la_boot_map(void *ctx, uint64_t pa, size_t len)
{
	uint64_t limit = *(const uint64_t *)ctx;

	if (pa >= limit || len > limit - pa)
		return NULL;
	return (const void *)LA_MMIO(pa);
}

/* The command line at @pa for the log: printable characters only, cut at 64. */
static void la_boot_cmdline(uint64_t pa, uint64_t limit, char *out, size_t size)
{
	const char *src = la_boot_map(&limit, pa, size);
	size_t i = 0;

	for (; src && i + 1 < size && src[i]; i++)
		out[i] = src[i] >= 0x20 && src[i] < 0x7f ? src[i] : '?';
	out[i] = '\0';
}

/*
 * Where the device tree is, decided from a0..a2 themselves (la_bootinfo.c): the loader's EFI
 * system table names it when the registers carry one (QEMU 8.1 and later); only when they are
 * all zero (QEMU up to 7.2) does the board's fixed address apply. Registers in any other shape
 * are reported, not guessed at.
 */
static const void *la_boot_dtb(uint64_t a0, uint64_t a1, uint64_t a2)
{
	uint32_t cfg1 = la_cpucfg(LA_CPUCFG1);
	uint64_t limit = 1ULL << (((cfg1 >> LA_CPUCFG1_PALEN_SHIFT) & LA_CPUCFG1_LEN_MASK) + 1);
	struct la_bootinfo info;
	char cmdline[65];

	switch (la_bootinfo_parse(a0, a1, a2, la_boot_map, &limit, &info)) {
	case LA_BOOT_REGS_NONE:
		hal_printf("loongarch64: loader passed no boot information (a0..a2 = 0); "
			   "device tree at the board's address\n");
		return la_board_dtb();
	case LA_BOOT_REGS_EFI:
		la_boot_cmdline(info.cmdline_pa, limit, cmdline, sizeof(cmdline));
		hal_printf("loongarch64: loader passed EFI boot information: a0 1, command line at "
			   "0x%llx \"%s\", system table at 0x%llx with %u configuration table(s)\n",
			   (unsigned long long)info.cmdline_pa, cmdline,
			   (unsigned long long)info.systab_pa, info.ntables);
		if (!info.has_dtb || !info.dtb_pa)
			hal_panic("the loader's system table names no device tree");
		hal_printf("loongarch64: device tree from the system table (DEVICE_TREE_GUID)\n");
		return (const void *)(uintptr_t)info.dtb_pa;
	case LA_BOOT_REGS_UNKNOWN:
		break;
	}
	hal_panic("loader passed a0 0x%llx a1 0x%llx a2 0x%llx: no boot protocol this image knows",
		  (unsigned long long)a0, (unsigned long long)a1, (unsigned long long)a2);
}

void la_boot_main(uint64_t a0, uint64_t a1, uint64_t a2)
{
	const void *dtb;
	struct boot_info *bi = &la_boot_info;
	int chosen, err;

	la_report_cpu();
	dtb = la_boot_dtb(a0, a1, a2);
	if (!dtb)
		hal_panic("the board knows no device tree");
	err = fdt_check_header(dtb);
	if (err)
		hal_panic("no device tree at %p (%s)", dtb, fdt_strerror(err));
	hal_printf("loongarch64: device tree at %p, %u bytes\n", dtb, fdt_totalsize(dtb));

	err = boot_fdt_memory(dtb, bi);
	if (err)
		hal_panic("device tree memory map unusable: %s", pv_strerror(err));
	if (bi->nmem == 0) {
		hal_printf("loongarch64: the device tree lists no memory; asking the board\n");
		err = la_board_memory(dtb, bi);
		if (err)
			hal_panic("no memory map: %s", pv_strerror(err));
	}
	bi->dtb = dtb;
	bi->boot_cpu = hal_cpu.cpu_id();
	chosen = fdt_path_offset(dtb, "/chosen");
	if (chosen >= 0)
		bi->cmdline = fdt_getprop(dtb, chosen, "bootargs", NULL);

	hv_main(bi);
}
