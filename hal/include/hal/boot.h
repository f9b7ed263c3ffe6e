/* SPDX-License-Identifier: MIT */
/*
 * What the architecture's boot code hands to the core: the memory map and the firmware's
 * description of the machine. The arch entry code sets up a stack, zeroes .bss, fills a boot_info
 * and calls hv_main() on the boot CPU.
 */
#ifndef HAL_BOOT_H
#define HAL_BOOT_H

#include <pv/types.h>

#define BOOT_MAX_RANGES 16

struct boot_range {
	hpa_t base;
	uint64_t size;
};

struct boot_info {
	unsigned nmem;
	struct boot_range mem[BOOT_MAX_RANGES]; /* usable RAM */
	unsigned nreserved;
	struct boot_range
		reserved[BOOT_MAX_RANGES]; /* firmware, DTB, boot modules: not for the pool */
	const void *dtb;		   /* flattened device tree, or NULL */
	const char *cmdline;		   /* boot command line, or NULL */
	unsigned boot_cpu;		   /* hal_cpu.cpu_id() of the boot CPU */
};

/* First and last byte + 1 of the loaded hypervisor image (linker script symbols). */
extern char __pv_image_start[];
extern char __pv_image_end[];

/* Adds a range to bi->mem or bi->reserved. -PV_ENOMEM when the table is full. */
int boot_add_mem(struct boot_info *bi, hpa_t base, uint64_t size);
int boot_add_reserved(struct boot_info *bi, hpa_t base, uint64_t size);

/* Reads the /memory nodes, /memreserve/ entries and /reserved-memory children of @dtb into @bi,
 * and reserves the DTB itself. Returns PV_OK, or -PV_EINVAL with a message for a broken DTB. */
int boot_fdt_memory(const void *dtb, struct boot_info *bi);

/* The core's entry point on the boot CPU. Context: C runtime ready, console usable, IRQs off. */
PV_NORETURN void hv_main(struct boot_info *bi);

/* The core's entry point on a secondary CPU started by hal_cpu.cpu_start. Context: that CPU, stack
 * and vectors set up, IRQs off. */
PV_NORETURN void hv_secondary_main(unsigned cpu);

#endif
