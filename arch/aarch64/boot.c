// SPDX-License-Identifier: MIT
/*
 * C side of the boot CPU's entry: insist on EL2, catch exceptions, find the device tree, read the
 * memory map, turn the EL2 MMU on and hand over to the core.
 */
#include <a64/cpu.h>
#include <a64/gic.h>
#include <a64/sysreg.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <libfdt.h>

PV_NORETURN void a64_boot(uint64_t loader_dtb, uint64_t el);

static struct boot_info a64_boot_info;

static PV_NORETURN void a64_park(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

/*
 * The hypervisor drives the GICv3 CPU interface through system registers only (SRE for EL2), and
 * guests get the same choice (Enable lets EL1 set its own SRE). Done once at boot so every later
 * user (probe, IPIs, the virtual interface) finds the interface in one known mode.
 */
static void a64_gic_sysreg_init(void)
{
	if (!a64_id_field(a64_read_id_aa64pfr0_el1(), ID_AA64PFR0_GIC_SHIFT))
		return;
	a64_write_icc_sre_el2(a64_read_icc_sre_el2() | ICC_SRE_SRE | ICC_SRE_ENABLE);
	a64_isb();
	a64_gic_sysreg = a64_read_icc_sre_el2() & ICC_SRE_SRE;
}

/* The loader's pointer if it gave one, else where the board says its firmware leaves a DTB. */
static const void *a64_find_dtb(uint64_t loader_dtb)
{
	int err;

	if (loader_dtb) {
		err = fdt_check_header((const void *)(uintptr_t)loader_dtb);
		if (!err)
			return (const void *)(uintptr_t)loader_dtb;
		hal_printf("aarch64: no device tree at 0x%llx from the loader: %s\n",
			   (unsigned long long)loader_dtb, fdt_strerror(err));
	}
#ifdef CONFIG_AARCH64_FALLBACK_DTB
	err = fdt_check_header((const void *)(uintptr_t)CONFIG_AARCH64_FALLBACK_DTB);
	if (!err)
		return (const void *)(uintptr_t)CONFIG_AARCH64_FALLBACK_DTB;
	hal_printf("aarch64: no device tree at the board's address 0x%llx: %s\n",
		   (unsigned long long)CONFIG_AARCH64_FALLBACK_DTB, fdt_strerror(err));
#endif
	return NULL;
}

void a64_boot(uint64_t loader_dtb, uint64_t el)
{
	struct boot_info *bi = &a64_boot_info;
	const void *dtb;
	int err;

	if (el != 2) {
		/* Without EL2 there is nothing to do, and no vectors catch EL1 or EL3 faults. */
		hal_printf("\nPolyvisor: entered at EL%llu; the hypervisor must start at EL2.\n",
			   (unsigned long long)el);
		if (el == 1)
			hal_printf("On QEMU, add virtualization=on to -M virt.\n");
		else
			hal_printf("Firmware at EL3 must drop to EL2 before starting the image.\n");
		hal_printf("Stopped.\n");
		a64_park();
	}

	a64_write_vbar_el2((uintptr_t)a64_el2_vectors);
	a64_isb();
	a64_gic_sysreg_init();

	dtb = a64_find_dtb(loader_dtb);
	if (!dtb)
		hal_panic("no device tree: cannot learn the memory map");
	err = boot_fdt_memory(dtb, bi);
	if (err)
		hal_panic("device tree at %p: memory map unreadable (%s)", dtb, pv_strerror(err));

	a64_mmu_enable(bi);
	if (a64_gic_sysreg)
		a64_gic_init();
	bi->boot_cpu = a64_cpu_index();
	hv_main(bi);
}

PV_NORETURN void a64_secondary_boot(uint64_t cpu);

/* A secondary CPU's C entry (boot.S): the boot CPU's vectors and identity map, then the core. */
void a64_secondary_boot(uint64_t cpu)
{
	a64_write_vbar_el2((uintptr_t)a64_el2_vectors);
	a64_isb();
	a64_mmu_enable_secondary();
	hv_secondary_main((unsigned)cpu);
}
