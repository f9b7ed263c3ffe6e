/* SPDX-License-Identifier: MIT */
/*
 * A stage-2 format for host tests that resembles no hardware, so the engine cannot lean on a
 * real layout by accident:
 *   4 levels, 4 KiB pages, 7 index bits per level (1 KiB tables, a quarter of a frame), a root
 *   of 5 index bits (256 bytes) => 38-bit input addresses; leaves at levels 1..3 (64 MiB,
 *   512 KiB, 4 KiB), none in the root.
 * Entry layout (everything else must be zero, or the entry is invalid):
 *   bits 63:62 kind: 0b01 table, 0b10 leaf (0b00 and 0b11 invalid)
 *   bits 61:60 level tag of a leaf: must equal the level it is found at
 *   bits 58:56 permissions stored inverted: bit 56 no-read, 57 no-write, 58 no-execute
 *   bits 53:52 memory type + 1 (0 is invalid in a leaf)
 *   bits 39:0  output address >> 12
 * perm_ok refuses execute-only only, and accepts write-only and no-access leaves, which EPT
 * and RISC-V refuse.
 */
#ifndef FAKE_S2_FORMAT_H
#define FAKE_S2_FORMAT_H

#include <addrspace/s2_format.h>

#define FAKE_S2_KIND_SHIFT    62
#define FAKE_S2_KIND_TABLE    1ULL
#define FAKE_S2_KIND_LEAF     2ULL
#define FAKE_S2_LEVEL_SHIFT   60
#define FAKE_S2_NOPERM_SHIFT  56
#define FAKE_S2_MEMTYPE_SHIFT 52
#define FAKE_S2_ADDR_MASK     PV_MASK(39, 0)

extern const struct s2_format fake_s2_format;

#endif
