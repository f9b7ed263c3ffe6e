/* SPDX-License-Identifier: MIT */
/*
 * What a loongarch64 board provides to the boot code beyond hal_board. Boards of this backend
 * define it; the core never sees it.
 */
#ifndef ARCH_LA_BOARD_H
#define ARCH_LA_BOARD_H

#include <hal/boot.h>

/*
 * The flattened device tree the loader left in memory, or NULL if the board knows none. QEMU's
 * loongarch64 virt machine passes no pointer in a0..a2 (up to 7.2), so the board says where it is.
 * Context: boot CPU, early boot.
 */
const void *la_board_dtb(void);

/*
 * Adds the board's RAM ranges to @bi when the device tree @dtb names none (QEMU 7.2's loongarch64
 * virt DTB has no memory node). Returns PV_OK with at least one range added, or a negative pv_err
 * after printing why. Context: boot CPU, early boot, console usable.
 */
int la_board_memory(const void *dtb, struct boot_info *bi);

#endif
