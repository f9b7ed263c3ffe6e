/* SPDX-License-Identifier: MIT */
/*
 * What the boot argument (the first argument register at entry) asks the guest suite to do. Plain
 * macros: the guest's C and assembly use them, and so do the VM descriptions that start it.
 */
#ifndef GUEST_MODES_H
#define GUEST_MODES_H

#define G_MODE_SUITE 0 /* run every check, print the summary, stop the VM */
#define G_MODE_BAD   1 /* print one line, then write outside guest RAM (the VM must be stopped) */
#define G_MODE_BENCH 2 /* run the benchmarks, print BENCH lines, stop the VM */
#define G_MODE_ARCH  0x100 /* and up: modes an arch layer defines for itself (g_arch_mode) */

#endif
