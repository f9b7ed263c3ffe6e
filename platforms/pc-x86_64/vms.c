// SPDX-License-Identifier: MIT
/*
 * The VMs this board starts. With the guest suite: vm0 and vm1 run the suite on CPUs 0-1 and 2-3,
 * "bad" writes outside its RAM on CPU 3 and must be stopped for it; in benchmark mode one VM on
 * CPU 0. Each VM has COM1 (an emulated 16550 in port space) and the test device at 0xf0000000,
 * above the board's RAM, so the guests' isolation sweep of host RAM never meets it.
 *
 * Besides its main RAM each VM has 64 KiB of RAM at 0x8000: a vCPU started by INIT-SIPI-SIPI
 * begins in real mode at the Start-Up IPI's page (vector V: V << 12), which must be below 1 MiB;
 * the guest suite copies its trampoline to 0x8000 (vector 0x08). The isolation sweep of host RAM
 * probes every 16 MiB from 0 and the addresses next to the main RAM, never this region.
 */
#include <vm/vm.h>

#ifdef CONFIG_GUEST_SUITE
#include <devices/testdev.h>
#include <devices/vuart_ns16550.h>
#include <guest/embed.h>
#include <guest/garch.h>

/* Defined by the image's linker script: the embedded guest's size, as a symbol's address (the
 * difference of two symbols is no constant expression in C). */
extern const char __pv_guest_image_size[];

#define PC_COM1		0x3f8u
#define PC_TESTDEV_GPA	0xf0000000u
#define PC_LOW_RAM_GPA	0x8000u
#define PC_LOW_RAM_SIZE 0x10000u

#define PC_GUEST_VM(vm_name, n, cpu0, cpu1, mode, stop)                                            \
	{                                                                                          \
		.name = vm_name, .nvcpus = n, .pcpu = { cpu0, cpu1 }, .guest_cpu_id = { 0, 1 },    \
		.nmem = 2,                                                                         \
		.mem = { { { CONFIG_GUEST_RAM_BASE }, CONFIG_GUEST_RAM_SIZE },                     \
			 { { PC_LOW_RAM_GPA }, PC_LOW_RAM_SIZE } },                                \
		.image = guest_suite_image,                                                        \
		.image_size = (uint64_t)(uintptr_t)__pv_guest_image_size,                          \
		.image_gpa = { CONFIG_GUEST_RAM_BASE },              \
		.entry = { CONFIG_GUEST_RAM_BASE }, .boot_arg = mode, .stop_on_bad_access = stop, \
		.ndevs = 2,                                                                        \
		.devs = {                                                                          \
			{ .create = vuart_ns16550_create, .space = VDEV_SPACE_PIO,                 \
			  .base = PC_COM1 },                                                       \
			{ .create = testdev_create, .space = VDEV_SPACE_MMIO,                      \
			  .base = PC_TESTDEV_GPA },                                                \
		},                                                                                 \
	}

#ifdef CONFIG_GUEST_SUITE_BENCH
static const struct vm_config pc_vms[] = {
	PC_GUEST_VM("bench", 1, 0, 0, G_MODE_BENCH, false),
};
#else
static const struct vm_config pc_vms[] = {
	PC_GUEST_VM("vm0", 2, 0, 1, G_MODE_SUITE, false),
	PC_GUEST_VM("vm1", 2, 2, 3, G_MODE_SUITE, false),
	PC_GUEST_VM("bad", 1, 3, 0, G_MODE_BAD, true),
};
#endif

static const struct vm_config *const pc_vm_list[] = {
#ifdef CONFIG_GUEST_SUITE_BENCH
	&pc_vms[0],
#else
	&pc_vms[0],
	&pc_vms[1],
	&pc_vms[2],
#endif
};

const struct vm_config *const *const board_vm_configs = pc_vm_list;
const unsigned board_vm_count = PV_ARRAY_SIZE(pc_vm_list);
#else
const struct vm_config *const *const board_vm_configs = NULL;
const unsigned board_vm_count = 0;
#endif
