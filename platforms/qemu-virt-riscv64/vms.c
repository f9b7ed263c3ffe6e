// SPDX-License-Identifier: MIT
/*
 * The VMs this board starts. With the guest suite: vm0 and vm1 run the suite on harts 0-1 and
 * 2-3, and "bad" (hart 3) writes outside its RAM and must be stopped while the others go on.
 * In benchmark mode one VM with one vCPU measures exit costs. Each VM gets its RAM at
 * CONFIG_GUEST_RAM_BASE, an emulated NS16550 console at 0x10000000 and a test device at
 * 0x10001000 (the suite's riscv64 layer uses the same addresses); the backend adds the vPLIC.
 */
#include <devices/testdev.h>
#include <devices/vuart_ns16550.h>
#include <vm/vm.h>

#ifdef CONFIG_GUEST_SUITE
#include <guest/embed.h>
#include <guest/garch.h>

#define QV_UART_BASE	0x10000000ULL
#define QV_TESTDEV_BASE 0x10001000ULL

/* Defined by the linker script: the address of this symbol is the embedded guest's size. */
extern const char __pv_guest_suite_size[];

/* The trailing arguments are designated initializers for the vCPUs (count, harts, ids). */
#define QV_GUEST_VM(vm_name, mode, stop_bad, ...)                                                  \
	{                                                                                          \
		.name = vm_name, __VA_ARGS__, .nmem = 1,                                           \
		.mem = { { .gpa = { CONFIG_GUEST_RAM_BASE }, .size = CONFIG_GUEST_RAM_SIZE } },    \
		.image = guest_suite_image,                                                        \
		.image_size = (uint64_t)(uintptr_t)__pv_guest_suite_size,                          \
		.image_gpa = { CONFIG_GUEST_RAM_BASE }, .entry = { CONFIG_GUEST_RAM_BASE },        \
		.boot_arg = mode, .stop_on_bad_access = stop_bad, .ndevs = 2,                      \
		.devs = {                                                                          \
			{ vuart_ns16550_create, VDEV_SPACE_MMIO, QV_UART_BASE, 0 },                \
			{ testdev_create, VDEV_SPACE_MMIO, QV_TESTDEV_BASE, 0 },                   \
		},                                                                                 \
	}

#ifdef CONFIG_GUEST_SUITE_BENCH
static const struct vm_config qv_bench = QV_GUEST_VM("bench", G_MODE_BENCH, false, .nvcpus = 1,
						     .pcpu = { 0 }, .guest_cpu_id = { 0 });
static const struct vm_config *const qv_vms[] = { &qv_bench };
#else
static const struct vm_config qv_vm0 = QV_GUEST_VM("vm0", G_MODE_SUITE, false, .nvcpus = 2,
						   .pcpu = { 0, 1 }, .guest_cpu_id = { 0, 1 });
static const struct vm_config qv_vm1 = QV_GUEST_VM("vm1", G_MODE_SUITE, false, .nvcpus = 2,
						   .pcpu = { 2, 3 }, .guest_cpu_id = { 0, 1 });
static const struct vm_config qv_bad =
	QV_GUEST_VM("bad", G_MODE_BAD, true, .nvcpus = 1, .pcpu = { 3 }, .guest_cpu_id = { 0 });
static const struct vm_config *const qv_vms[] = { &qv_vm0, &qv_vm1, &qv_bad };
#endif

const struct vm_config *const *const board_vm_configs = qv_vms;
const unsigned board_vm_count = sizeof(qv_vms) / sizeof(qv_vms[0]);

#else
const struct vm_config *const *const board_vm_configs = NULL;
const unsigned board_vm_count = 0;
#endif
