// SPDX-License-Identifier: MIT
/*
 * The hypervisor's main on the boot CPU: banner, memory, page pool, virtualization probe.
 * Every architecture reaches this through its boot code; what follows is arch-neutral.
 */
#include <hal/arch_backend.h>
#include <hal/boot.h>
#include <hal/hal.h>
#include <hal/page_pool.h>
#include <pv/fmt.h>
#include <vm/console_switch.h>
#include <vm/hv_vms.h>
#include <vm/sched.h>

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

/* Starts the CPUs the VMs are pinned to; a VM with a vCPU on a CPU that cannot start is stopped,
 * so the others still run and nothing waits for it forever. */
static void start_cpus(unsigned boot_cpu)
{
	uint64_t mask = sched_cpu_mask();

	for (unsigned cpu = 0; cpu < 64; cpu++) {
		int err = -PV_ENOTSUP;

		if (!(mask >> cpu & 1) || cpu == boot_cpu)
			continue;
		if (cpu < hal_board.max_cpus && hal_cpu.cpu_start)
			err = hal_cpu.cpu_start(cpu);
		if (!err)
			continue;
		hal_printf("cpu %u: cannot start: %s\n", cpu, pv_strerror(err));
		for (unsigned i = 0; i < sched_vm_count(); i++) {
			struct vm *vm = sched_vm(i);
			for (unsigned v = 0; v < vm->nvcpus; v++)
				if (vm->vcpus[v].pcpu == cpu)
					vm_stop(vm, -PV_ENOTSUP,
						"a vCPU's physical CPU cannot start");
		}
	}
}

void hv_secondary_main(unsigned cpu)
{
	int err = arch_backend.vcpu->cpu_enable ? arch_backend.vcpu->cpu_enable() : -PV_ENOTSUP;

	if (err) {
		hal_printf("cpu %u: enabling virtualization failed: %s\n", cpu, pv_strerror(err));
		for (unsigned i = 0; i < sched_vm_count(); i++) {
			struct vm *vm = sched_vm(i);
			for (unsigned v = 0; v < vm->nvcpus; v++)
				if (vm->vcpus[v].pcpu == cpu)
					vm_stop(vm, err, "virtualization could not be enabled");
		}
	} else {
		hal_printf("cpu %u: up, virtualization enabled\n", cpu);
		sched_run_cpu(cpu);
	}
	for (;;)
		hal_cpu.wait_for_interrupt();
}

void hv_main(struct boot_info *bi)
{
	static const struct vm_config *configs[SCHED_MAX_VMS];
	struct vcpu_hw_info hw = { 0 };
	int err = -PV_ENOTSUP;
	unsigned nvms;

	hal_printf("\nPolyvisor " PV_VERSION ": arch %s, platform %s\n", hal_cpu.arch_name,
		   hal_board.name);
	print_memory(bi);
	/* Before the page pool: images the firmware placed for VMs are reserved from it. */
	nvms = hv_read_vms(bi, configs, SCHED_MAX_VMS);
	setup_page_pool(bi);

	/* A backend in its first steps may have no probe yet (docs/porting.md): no guests then. */
	if (arch_backend.vcpu->probe)
		arch_backend.vcpu->probe(&hw);
	else
		pv_snprintf(hw.summary, sizeof(hw.summary), "the %s backend has no probe yet",
			    arch_backend.name);
	hal_printf("virtualization: %s [%s]\n", hw.summary, hw.supported ? "present" : "absent");
	if (!hw.supported) {
		hal_printf("no hardware virtualization: guests cannot run on this machine\n");
	} else if (arch_backend.vcpu->cpu_enable) {
		err = arch_backend.vcpu->cpu_enable();
		if (err)
			hal_printf("cpu %u: enabling virtualization failed: %s\n", bi->boot_cpu,
				   pv_strerror(err));
		else
			hal_printf("cpu %u: virtualization enabled\n", bi->boot_cpu);
	} else {
		hal_printf("backend %s cannot enable virtualization yet\n", arch_backend.name);
	}

	if (nvms == 0) {
		hal_printf("no VM configured; powering off\n");
		hal_board.power_off();
	}
	if (err) {
		hal_printf("%u VM(s) configured but guests cannot run; powering off\n", nvms);
		hal_board.power_off();
	}
	if (sched_create_vms(configs, nvms, &hal_pages) == 0) {
		hal_printf("no VM could be created; powering off\n");
		hal_board.power_off();
	}
	console_start();
	start_cpus(bi->boot_cpu);
	sched_run_cpu(bi->boot_cpu);
	for (unsigned i = 0; i < sched_vm_count(); i++) {
		const struct vm *vm = sched_vm(i);
		hal_printf("vm %s: %s (code %lld)\n", vm->name, vm->stop_reason,
			   (long long)vm->exit_code);
	}
	hal_printf("all VMs stopped; powering off\n");
	hal_board.power_off();
}
