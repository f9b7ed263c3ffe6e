// SPDX-License-Identifier: MIT
/*
 * Boot CPU, C side: find the device tree the loader left in memory, turn it into a boot_info and
 * enter the core. head.S has already set up the stack, the exception entries, the direct-mapped
 * windows and a zeroed .bss.
 */
#include <arch/la_board.h>
#include <arch/loongarch.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <libfdt.h>

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
 * The loader's registers are kept only to say so when they carry something. QEMU up to 7.2
 * passes nothing; later releases place the DTB elsewhere and may pass boot information in
 * a0..a2, which is not handled.
 */
void la_boot_main(uint64_t a0, uint64_t a1, uint64_t a2)
{
	const void *dtb = la_board_dtb();
	struct boot_info *bi = &la_boot_info;
	int chosen, err;

	la_report_cpu();
	if (a0 || a1 || a2)
		hal_printf("loongarch64: loader passed a0 0x%llx a1 0x%llx a2 0x%llx (ignored)\n",
			   (unsigned long long)a0, (unsigned long long)a1, (unsigned long long)a2);

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

	la_board_vms_prepare();
	hv_main(bi);
}
