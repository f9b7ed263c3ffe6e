/* SPDX-License-Identifier: MIT */
/* Layout shared by ap_boot.S and smp.c: where the start-up code goes and its parameter block. */
#ifndef X86_AP_BOOT_H
#define X86_AP_BOOT_H

/* A start-up IPI names a 4 KiB page below 1 MiB by its number; 0x8000 is conventional memory
 * that firmware leaves free after boot and the page pool never hands out (it starts at 1 MiB). */
#define X86_AP_TRAMP_BASE  0x8000
#define X86_AP_SIPI_VECTOR (X86_AP_TRAMP_BASE >> 12)
/* The parameter block: offset from the start of the copy, then its fields. */
#define X86_AP_PARAM_OFFSET (x86_ap_tramp_params - x86_ap_tramp_start)
#define X86_AP_PARAM_STACK  0
#define X86_AP_PARAM_CPU    8

#endif
