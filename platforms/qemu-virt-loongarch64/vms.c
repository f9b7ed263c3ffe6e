// SPDX-License-Identifier: MIT
/*
 * The VMs this board starts. With CONFIG_GUEST_SUITE: the suite's two VMs and the bad VM (or the
 * one benchmark VM), each with an emulated NS16550 where the board's own UART sits and the test
 * device, its RAM at CONFIG_GUEST_RAM_BASE (above the hypervisor's image in low RAM, so the
 * isolation probes can aim at the hypervisor). Without it, none.
 */
#include <arch/la_board.h>
#include <vm/vm.h>

#ifdef CONFIG_GUEST_SUITE
#include <devices/testdev.h>
#include <devices/vuart_ns16550.h>
#include <guest/embed.h>
#include <guest/garch.h>

/* Guest-physical places of the emulated devices; the guest layer uses the same numbers. */
#define QV_GUEST_UART	 0x1fe001e0ULL
#define QV_GUEST_TESTDEV 0x1ff00000ULL

#define QV_VM(vm_name, n, cpu0, cpu1, mode, stop)                                                  \
	{                                                                                      \
		.name = vm_name, .nvcpus = n, .pcpu = { cpu0, cpu1 }, .guest_cpu_id = { 0, 1 }, \
		.nmem = 1, .mem = { { .gpa = { CONFIG_GUEST_RAM_BASE },                       \
				      .size = CONFIG_GUEST_RAM_SIZE } },                     \
		.image = guest_suite_image, .image_gpa = { CONFIG_GUEST_RAM_BASE },            \
		.entry = { CONFIG_GUEST_RAM_BASE }, .boot_arg = mode,                          \
		.stop_on_bad_access = stop, .ndevs = 2,                                        \
		.devs = {                                                                      \
			{ .create = vuart_ns16550_create,                                      \
			  .space = VDEV_SPACE_MMIO,                                            \
			  .base = QV_GUEST_UART },                                             \
			{ .create = testdev_create,                                            \
			  .space = VDEV_SPACE_MMIO,                                            \
			  .base = QV_GUEST_TESTDEV },                                          \
		},                                                                             \
	}

/* The image's size is the distance of two symbols, not a constant expression in C: it is filled
 * in by la_board_vms_prepare() before the core reads the configurations. */
#ifdef CONFIG_GUEST_SUITE_BENCH
static struct vm_config qv_vms[] = {
	QV_VM("bench", 1, 0, 0, G_MODE_BENCH, false),
};
#else
static struct vm_config qv_vms[] = {
	QV_VM("vm0", 2, 0, 1, G_MODE_SUITE, false),
	QV_VM("vm1", 2, 2, 3, G_MODE_SUITE, false),
	QV_VM("bad", 1, 3, 0, G_MODE_BAD, true),
};
#endif

static const struct vm_config *const qv_vm_list[] = {
#ifdef CONFIG_GUEST_SUITE_BENCH
	&qv_vms[0],
#else
	&qv_vms[0],
	&qv_vms[1],
	&qv_vms[2],
#endif
};

void la_board_vms_prepare(void)
{
	uint64_t size = (uint64_t)(guest_suite_image_end - guest_suite_image);

	for (unsigned i = 0; i < PV_ARRAY_SIZE(qv_vms); i++)
		qv_vms[i].image_size = size;
}

const struct vm_config *const *const board_vm_configs = qv_vm_list;
const unsigned board_vm_count = PV_ARRAY_SIZE(qv_vm_list);

#else

void la_board_vms_prepare(void)
{
}

const struct vm_config *const *const board_vm_configs = NULL;
const unsigned board_vm_count = 0;

#endif
