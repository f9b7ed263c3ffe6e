// SPDX-License-Identifier: MIT
/*
 * The boot CPU's first C code, called by boot.S in 64-bit mode on the boot identity map, stack set,
 * .bss clear, interrupts masked. It makes faults visible first, then reads the boot loader's
 * information, sets up the clock and the local APIC, and hands over to the core.
 */
#include <hal/hal.h>
#include <x86/cpu.h>

#include "multiboot2.h"
#include "x86_arch.h"

#define MB2_BOOT_MAGIC 0x36d76289u

static struct boot_info x86_boot_info;

/* The boot loader's information at physical @mbi (identity-mapped): the loader vouches for its
 * total_size, which is all that may be read. */
static int multiboot2_read(uint32_t mbi, struct boot_info *bi)
{
	if (mbi == 0 || mbi % 8) {
		hal_printf("x86: multiboot2 information at 0x%x is malformed\n", mbi);
		return -PV_EINVAL;
	}
	return x86_mb2_parse((const void *)(uintptr_t)mbi, *(const uint32_t *)(uintptr_t)mbi, mbi,
			     x86_idmap_limit(), bi);
}

void x86_boot_main(uint32_t magic, uint32_t mbi)
{
	struct boot_info *bi = &x86_boot_info;
	uint64_t ram_end = 0;
	unsigned cpu;

	/* Index 0 for the boot CPU; the table is empty, so this cannot fail. */
	(void)x86_cpu_register(x86_initial_apic_id(), &cpu);
	x86_trap_init_cpu(cpu);
	x86_pic_disable();

	if (magic != MB2_BOOT_MAGIC)
		hal_panic("x86: entered with 0x%x instead of the multiboot2 magic", magic);
	if (multiboot2_read(mbi, bi))
		hal_panic("x86: cannot use the boot loader's information");
	for (unsigned i = 0; i < bi->nmem; i++)
		if (bi->mem[i].base.raw + bi->mem[i].size > ram_end)
			ram_end = bi->mem[i].base.raw + bi->mem[i].size;
	/* multiboot2.c dropped RAM beyond the limit, so the extension fits. */
	if (x86_idmap_extend(ram_end))
		hal_panic("x86: cannot map RAM up to 0x%llx", (unsigned long long)ram_end);
	if (bi->cmdline && bi->cmdline[0])
		hal_printf("x86: command line: %s\n", bi->cmdline);

	x86_tsc_init();
	if (x86_lapic_init_cpu())
		hal_panic("x86: the hypervisor needs a local APIC");
	x86_fpu_init_cpu();
	bi->boot_cpu = cpu;
#ifdef CONFIG_X86_SELFTEST
	x86_selftest(bi);
#endif
	hv_main(bi);
}
