// SPDX-License-Identifier: MIT
#include "pv_test.h"

#include "vm_fixture.h"

#include <stdlib.h>
#include <string.h>
#include <vm/sched.h>

struct page_pool fix_pool;
struct vm_config fix_config;
const char fix_image[16] = "GUEST-IMAGE-0001";

static uint64_t fix_bitmap[PAGE_POOL_BITMAP_WORDS(FIX_POOL_FRAMES)];
static uint8_t *fix_arena;

int fix_setup(void **state)
{
	(void)state;
	fake_reset();
	fix_arena = aligned_alloc(1 << 22, FIX_POOL_FRAMES * HAL_PAGE_SIZE);
	if (!fix_arena)
		return -1;
	if (page_pool_init(&fix_pool, hpa(FIX_POOL_BASE), fix_arena, FIX_POOL_FRAMES, fix_bitmap))
		return -1;
	fix_config = (struct vm_config){
		.name = "vm0",
		.nvcpus = 2,
		.pcpu = { 0, 1 },
		.guest_cpu_id = { 0x0, 0x100 },
		.nmem = 1,
		.mem = { { gpa(FIX_RAM_GPA), FIX_RAM_SIZE } },
		.format = VM_BOOT_RAW,
		.nimages = 1,
		.images = { { .role = VM_IMAGE_KERNEL,
			      .node = "kernel",
			      .data = fix_image,
			      .size = sizeof(fix_image),
			      .has_load = true,
			      .load = gpa(FIX_RAM_GPA + 0x1000) } },
		.has_boot_arg = true,
		.boot_arg = 0xd7b0,
	};
	return 0;
}

int fix_teardown(void **state)
{
	(void)state;
	free(fix_arena);
	fix_arena = NULL;
	return 0;
}

void fix_vm_start(struct vm *vm)
{
	int err = vm_create(vm, 0, &fix_config, &fix_pool);
	if (err)
		print_message("vm_create failed; console says:\n%s\n", fake_hw.log);
	assert_int_equal(err, PV_OK);
	err = vm_load(vm);
	if (err)
		print_message("vm_load failed; console says:\n%s\n", fake_hw.log);
	assert_int_equal(err, PV_OK);
}

int fix_sched_two(struct vm_config *b_cfg, void (*adjust)(struct vm_config *), struct vm **a,
		  struct vm **b)
{
	const struct vm_config *cfgs[2] = { &fix_config, b_cfg };

	sched_reset();
	*b_cfg = fix_config;
	b_cfg->name = "vmb";
	b_cfg->pcpu[0] = 2;
	b_cfg->pcpu[1] = 3;
	if (adjust)
		adjust(b_cfg);
	if (sched_create_vms(cfgs, 2, &fix_pool) != 2)
		return -1;
	*a = sched_vm(0);
	*b = sched_vm(1);
	return 0;
}

int fix_sched_teardown(void **state)
{
	for (unsigned i = 0; i < sched_vm_count(); i++)
		vm_destroy(sched_vm(i));
	sched_reset();
	return fix_teardown(state);
}
