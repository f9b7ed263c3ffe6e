// SPDX-License-Identifier: MIT
/*
 * The VMs this board starts. With CONFIG_GUEST_SUITE: the guest suite in three VMs (vm0 on CPUs 0
 * and 1, vm1 on CPUs 2 and 3, and "bad", which must be stopped for its access outside RAM, on CPU
 * 3), or one benchmark VM. Each VM sees QEMU virt's layout: GICv3 distributor and redistributors
 * where QEMU puts them (emulated by the backend), a PL011 console at 0x09000000 and the test device
 * at 0x0b000000 (guests/suite/arch/aarch64/garch.c uses the same addresses).
 */
#include <vm/vm.h>

#ifdef CONFIG_GUEST_SUITE
#include <devices/testdev.h>
#include <devices/vuart_pl011.h>
#include <guest/embed.h>
#include <guest/garch.h>

#define QV_GUEST_UART	 0x09000000ULL
#define QV_GUEST_TESTDEV 0x0b000000ULL
#define PV_CPUS(a, b)	 { a, b }

/* Size of the embedded guest image, computed by the linker (linker.ld.in). */
extern const char guest_suite_image_size[];

#define QV_GUEST_VM(vm_name, n, cpus, mode, stop_bad)                                              \
	{                                                                                          \
		.name = vm_name, .nvcpus = n, .pcpu = cpus, .guest_cpu_id = { 0, 1 }, .nmem = 1,   \
		.mem = { { .gpa = { CONFIG_GUEST_RAM_BASE }, .size = CONFIG_GUEST_RAM_SIZE } },    \
		.image = guest_suite_image, .image_size = (uint64_t)guest_suite_image_size,        \
		.image_gpa = { CONFIG_GUEST_RAM_BASE }, .entry = { CONFIG_GUEST_RAM_BASE },        \
		.boot_arg = mode, .stop_on_bad_access = stop_bad, .ndevs = 2,                      \
		.devs = {                                                                          \
			{ vuart_pl011_create, VDEV_SPACE_MMIO, QV_GUEST_UART, 0 },                 \
			{ testdev_create, VDEV_SPACE_MMIO, QV_GUEST_TESTDEV, 0 },                  \
		},                                                                                 \
	}

#ifdef CONFIG_GUEST_SUITE_BENCH
static const struct vm_config qv_bench = QV_GUEST_VM("bench", 1, { 0 }, G_MODE_BENCH, false);
static const struct vm_config *const qv_vms[] = { &qv_bench };
#else
static const struct vm_config qv_vm0 = QV_GUEST_VM("vm0", 2, PV_CPUS(0, 1), G_MODE_SUITE, false);
static const struct vm_config qv_vm1 = QV_GUEST_VM("vm1", 2, PV_CPUS(2, 3), G_MODE_SUITE, false);
static const struct vm_config qv_bad = QV_GUEST_VM("bad", 1, { 3 }, G_MODE_BAD, true);
static const struct vm_config *const qv_vms[] = { &qv_vm0, &qv_vm1, &qv_bad };
#endif

const struct vm_config *const *const board_vm_configs = qv_vms;
const unsigned board_vm_count = PV_ARRAY_SIZE(qv_vms);

#else

const struct vm_config *const *const board_vm_configs = NULL;
const unsigned board_vm_count = 0;

#endif
