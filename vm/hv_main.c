// SPDX-License-Identifier: MIT
/*
 * The hypervisor's main on the boot CPU: banner, memory, page pool, virtualization probe.
 * Every architecture reaches this through its boot code; what follows is arch-neutral.
 */
#include <hal/arch_backend.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <hal/page_pool.h>

#define PV_VERSION "0.1.0"

struct page_pool hal_pages;
static uint64_t hal_pages_bitmap[PAGE_POOL_BITMAP_WORDS(CONFIG_PAGE_POOL_MAX_FRAMES)];

static void print_memory(const struct boot_info *bi)
{
	uint64_t total = 0;

	for (unsigned i = 0; i < bi->nmem; i++) {
		const struct boot_range *r = &bi->mem[i];
		hal_printf("memory: 0x%016llx-0x%016llx (%llu MiB)\n",
			   (unsigned long long)r->base.raw,
			   (unsigned long long)(r->base.raw + r->size - 1),
			   (unsigned long long)(r->size >> 20));
		total += r->size;
	}
	hal_printf("memory: %llu MiB in %u range(s)\n", (unsigned long long)(total >> 20),
		   bi->nmem);
	for (unsigned i = 0; i < bi->nreserved; i++) {
		const struct boot_range *r = &bi->reserved[i];
		hal_printf("reserved: 0x%016llx-0x%016llx\n", (unsigned long long)r->base.raw,
			   (unsigned long long)(r->base.raw + r->size - 1));
	}
}

/* Builds the page pool over the largest RAM range, minus the image and reserved ranges. */
static void setup_page_pool(const struct boot_info *bi)
{
	const struct boot_range *best = NULL;
	uint64_t base, end, nframes;
	int err;

	for (unsigned i = 0; i < bi->nmem; i++)
		if (!best || bi->mem[i].size > best->size)
			best = &bi->mem[i];
	if (!best)
		hal_panic("no usable memory found");

	base = PV_ALIGN_UP(best->base.raw, HAL_PAGE_SIZE);
	end = PV_ALIGN_DOWN(best->base.raw + best->size, HAL_PAGE_SIZE);
	nframes = (end - base) >> HAL_PAGE_SHIFT;
	if (nframes > CONFIG_PAGE_POOL_MAX_FRAMES) {
		hal_printf("page pool: using %u of %llu frames (CONFIG_PAGE_POOL_MAX_FRAMES)\n",
			   (unsigned)CONFIG_PAGE_POOL_MAX_FRAMES, (unsigned long long)nframes);
		nframes = CONFIG_PAGE_POOL_MAX_FRAMES;
	}
	/* The hypervisor addresses RAM at its physical address (identity map). */
	err = page_pool_init(&hal_pages, hpa(base), (void *)(uintptr_t)base, (size_t)nframes,
			     hal_pages_bitmap);
	if (err)
		hal_panic("page pool: %s", pv_strerror(err));
	/* Linker symbols are separate objects to C: compare their addresses, not the pointers. */
	page_pool_reserve(&hal_pages, hpa((uintptr_t)__pv_image_start),
			  (uint64_t)((uintptr_t)__pv_image_end - (uintptr_t)__pv_image_start));
	for (unsigned i = 0; i < bi->nreserved; i++)
		page_pool_reserve(&hal_pages, bi->reserved[i].base, bi->reserved[i].size);
	hal_printf("page pool: %zu of %zu frames free\n", hal_pages.nfree, hal_pages.nframes);
}

void hv_main(struct boot_info *bi)
{
	struct vcpu_hw_info hw = { 0 };

	hal_printf("\nPolyvisor " PV_VERSION ": arch %s, platform %s\n", hal_cpu.arch_name,
		   hal_board.name);
	print_memory(bi);
	setup_page_pool(bi);

	arch_backend.vcpu->probe(&hw);
	hal_printf("virtualization: %s [%s]\n", hw.summary, hw.supported ? "present" : "absent");
	if (!hw.supported) {
		hal_printf("no hardware virtualization: guests cannot run on this machine\n");
	} else if (arch_backend.vcpu->cpu_enable) {
		int err = arch_backend.vcpu->cpu_enable();
		if (err)
			hal_printf("cpu %u: enabling virtualization failed: %s\n", bi->boot_cpu,
				   pv_strerror(err));
		else
			hal_printf("cpu %u: virtualization enabled\n", bi->boot_cpu);
	} else {
		hal_printf("backend %s cannot enable virtualization yet\n", arch_backend.name);
	}

	hal_printf("no VM configured; powering off\n");
	hal_board.power_off();
}
